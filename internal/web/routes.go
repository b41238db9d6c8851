package web

import (
	"net/http"
	"strings"

	"hireloop/internal/api"
	"hireloop/internal/hiring"
	"hireloop/internal/jobboard"
)

// Access says who may use a route. The route adapter enforces it before the
// handler runs, so a handler never forgets a permission check.
type Access string

// The access levels, from the most open to the most closed.
const (
	// AccessPublic routes answer everyone: sign-in, setup, operations, assets.
	AccessPublic Access = "public"
	// AccessCatalog routes answer everyone unless an admin made the catalog
	// private; then only signed-in users.
	AccessCatalog Access = "catalog"
	// AccessUser routes need a signed-in user or an API token.
	AccessUser Access = "user"
	// AccessEditor routes need a user who may edit the catalog.
	AccessEditor Access = "editor"
	// AccessStaff routes need a user who may see openings: a recruiter, an
	// admin, or a hiring manager, whose handler then checks that the
	// opening or candidate asked for is theirs.
	AccessStaff Access = "staff"
	// AccessTeam routes need a signed-in user; the handler then decides
	// from the user's part in the opening or application asked for: its
	// hiring team, or an interview of it (see hiring.AccessToApplication).
	AccessTeam Access = "team"
	// AccessRecruiter routes need a user who runs hiring across openings:
	// a recruiter or an admin.
	AccessRecruiter Access = "recruiter"
	// AccessAdmin routes need an admin.
	AccessAdmin Access = "admin"
)

// Route is one entry of the route table.
type Route struct {
	// Method is the HTTP method; GET routes also answer HEAD.
	Method string
	// Path is a net/http ServeMux path pattern such as "/roles/{id}".
	Path string
	// API routes answer in JSON, HTML routes with pages.
	API    bool
	Access Access

	handle handlerFunc
}

// Pattern is the ServeMux pattern, such as "GET /roles/{id}"; metrics and
// logs label requests with it.
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

// handlerFunc is the shape of every handler: it writes a success itself and
// returns an error for the adapter to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// routeTable is the one map of everything hireloop serves.
func (s *Server) routeTable() []Route {
	page := func(method, path string, access Access, h handlerFunc) Route {
		return Route{Method: method, Path: path, Access: access, handle: h}
	}
	json := func(method, path string, access Access, h api.Func) Route {
		return Route{Method: method, Path: api.Prefix + path, API: true, Access: access, handle: handlerFunc(h)}
	}
	const get, post, patch, put = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut
	routes := []Route{
		// The job catalog.
		page(get, "/{$}", AccessCatalog, s.handleHome),
		page(get, "/departments/{id}", AccessCatalog, s.handleDepartment),
		page(get, "/families/{id}", AccessCatalog, s.handleFamily),
		page(get, "/families/{id}/edit", AccessEditor, s.handleFamilyEdit),
		page(post, "/families/{id}/edit", AccessEditor, s.handleFamilySave),
		page(get, "/roles", AccessCatalog, s.handleRoles),
		page(get, "/roles/{id}", AccessCatalog, s.handleRole),
		page(get, "/roles/{id}/edit", AccessEditor, s.handleRoleEdit),
		page(post, "/roles/{id}/edit", AccessEditor, s.handleRoleSave),

		// The careers site and applying (public).
		page(get, "/jobs", AccessPublic, s.handleJobs),
		page(get, "/jobs/feed.atom", AccessPublic, s.handleFeed),
		page(get, "/jobs/{id}", AccessPublic, s.handleJob),
		page(post, "/jobs/{id}/apply", AccessPublic, s.handleApply),
		page(get, "/jobs/{id}/applied", AccessPublic, s.handleApplied),
		page(get, "/sitemap.xml", AccessPublic, s.handleSitemap),

		// The candidate's Guide, reached from the private link in emails.
		page(get, "/guide/{token}", AccessPublic, s.private(s.handleGuide)),
		page(post, "/guide/resend", AccessPublic, s.private(s.handleGuideResend)),
		page(post, "/guide/{token}/adjustment", AccessPublic, s.private(s.handleGuideAdjustment)),
		page(post, "/guide/{token}/message", AccessPublic, s.private(s.handleGuideMessage)),
		page(get, "/guide/{token}/withdraw", AccessPublic, s.private(s.handleGuideWithdrawConfirm)),
		page(post, "/guide/{token}/withdraw", AccessPublic, s.private(s.handleGuideWithdraw)),
		page(get, "/guide/{token}/interviews/{id}/invite.ics", AccessPublic, s.private(s.handleGuideInvite)),

		// Openings, the hiring plan, candidates (recruiter side).
		page(get, "/openings", AccessStaff, s.handleOpenings),
		page(get, "/openings/new", AccessRecruiter, s.handleOpeningNew),
		page(post, "/openings", AccessRecruiter, s.handleOpeningCreate),
		page(get, "/openings/{id}", AccessStaff, s.handleOpening),
		page(get, "/openings/{id}/edit", AccessStaff, s.handleOpeningEdit),
		page(post, "/openings/{id}/edit", AccessStaff, s.handleOpeningSave),
		page(post, "/openings/{id}/status", AccessStaff, s.handleOpeningStatus),
		page(get, "/openings/{id}/applications", AccessTeam, s.handleInbox),
		page(get, "/openings/{id}/pipeline", AccessTeam, s.handleBoard),
		page(post, "/openings/{id}/pipeline/reject", AccessTeam, s.handleBulkReject),
		page(post, "/openings/{id}/plan", AccessStaff, s.handleOpeningPlanApply),
		page(get, "/applications/{id}", AccessTeam, s.handleApplication),
		page(post, "/applications/{id}/advance", AccessTeam, s.handleAdvance),
		page(post, "/applications/{id}/move", AccessTeam, s.handleMove),
		page(post, "/applications/{id}/step", AccessTeam, s.handleStep),
		page(post, "/applications/{id}/reject", AccessTeam, s.handleReject),
		page(post, "/applications/{id}/withdraw", AccessTeam, s.handleWithdraw),
		page(post, "/applications/{id}/hire", AccessTeam, s.handleHire),
		page(get, "/applications/{id}/messages", AccessTeam, s.handleOutbox),
		page(post, "/applications/{id}/messages", AccessTeam, s.handleSendMessage),
		page(get, "/applications/{id}/interviews/new", AccessTeam, s.handleInterviewNew),
		page(post, "/applications/{id}/interviews/new", AccessTeam, s.handleInterviewCreate),
		page(get, "/interviews", AccessUser, s.handleMyInterviews),
		page(get, "/interviews/{id}", AccessTeam, s.handleInterview),
		page(get, "/interviews/{id}/invite.ics", AccessTeam, s.handleInterviewICS),
		page(post, "/interviews/{id}/reschedule", AccessTeam, s.handleInterviewReschedule),
		page(post, "/interviews/{id}/cancel", AccessTeam, s.handleInterviewCancel),
		page(post, "/interviews/{id}/outcome", AccessTeam, s.handleInterviewOutcome),
		page(post, "/applications/{id}/guide/link", AccessStaff, s.handleGuideLinkNew),
		page(post, "/applications/{id}/guide/revoke", AccessStaff, s.handleGuideLinkRevoke),
		page(get, "/plan", AccessRecruiter, s.handlePlan),
		page(post, "/plan", AccessRecruiter, s.handlePlanSave),
		page(post, "/plan/import", AccessRecruiter, s.handlePlanImport),
		page(get, "/plan.csv", AccessRecruiter, s.handlePlanCSV),
		page(get, "/candidates", AccessRecruiter, s.handleCandidates),
		page(get, "/candidates/{id}", AccessTeam, s.handleCandidate),
		page(get, "/files/{id}", AccessTeam, s.handleFile),
		page(get, "/replies", AccessStaff, s.handleReplies),

		// Accounts.
		page(get, "/signin", AccessPublic, s.handleSignInForm),
		page(post, "/signin", AccessPublic, s.handleSignIn),
		page(post, "/signout", AccessPublic, s.handleSignOut),
		page(get, "/setup", AccessPublic, s.handleSetupForm),
		page(post, "/setup", AccessPublic, s.handleSetup),
		page(get, "/account", AccessUser, s.handleAccount),
		page(post, "/account/profile", AccessUser, s.handleProfile),
		page(post, "/account/tokens", AccessUser, s.handleTokenCreate),
		page(post, "/account/tokens/{id}/revoke", AccessUser, s.handleTokenRevoke),

		// Administration.
		page(get, "/admin/users", AccessAdmin, s.handleUsers),
		page(post, "/admin/users", AccessAdmin, s.handleUserCreate),
		page(get, "/admin/settings", AccessAdmin, s.handleSettings),
		page(post, "/admin/settings", AccessAdmin, s.handleSettingsSave),
		page(get, "/admin/audit", AccessAdmin, s.handleAudit),
		page(get, "/settings/messages", AccessRecruiter, s.handleMessageTemplates),
		page(get, "/settings/messages/{event}/{language}", AccessRecruiter, s.handleMessageTemplateEdit),
		page(post, "/settings/messages/{event}/{language}", AccessRecruiter, s.handleMessageTemplateSave),

		// The JSON API.
		json(get, "/openapi.json", AccessPublic, s.api.ServeOpenAPI),
		json(get, "/me", AccessUser, s.api.Me),
		json(get, "/departments", AccessCatalog, s.api.ListDepartments),
		json(get, "/departments/{id}", AccessCatalog, s.api.GetDepartment),
		json(get, "/families", AccessCatalog, s.api.ListFamilies),
		json(get, "/families/{id}", AccessCatalog, s.api.GetFamily),
		json(patch, "/families/{id}", AccessEditor, s.api.UpdateFamily),
		json(get, "/roles", AccessCatalog, s.api.ListRoles),
		json(get, "/roles/{id}", AccessCatalog, s.api.GetRole),
		json(patch, "/roles/{id}", AccessEditor, s.api.UpdateRole),
		json(get, "/openings", AccessStaff, s.api.ListOpenings),
		json(post, "/openings", AccessRecruiter, s.api.CreateOpening),
		json(get, "/openings/{id}", AccessStaff, s.api.GetOpening),
		json(patch, "/openings/{id}", AccessStaff, s.api.UpdateOpening),
		json(get, "/candidates", AccessRecruiter, s.api.SearchCandidates),
		json(get, "/candidates/{id}", AccessStaff, s.api.GetCandidate),
		json(get, "/applications", AccessTeam, s.api.ListApplications),
		json(get, "/applications/{id}", AccessTeam, s.api.GetApplication),
		json(get, "/applications/{id}/timeline", AccessTeam, s.api.ApplicationTimeline),
		json(post, "/applications/{id}/moves", AccessTeam, s.api.MoveApplication),
		json(post, "/applications/{id}/steps/{step_id}", AccessTeam, s.api.CompleteStep),
		json(post, "/applications/{id}/rejections", AccessTeam, s.api.RejectApplication),
		json(post, "/rejections", AccessTeam, s.api.BulkReject),
		json(post, "/applications/{id}/withdrawal", AccessTeam, s.api.WithdrawApplication),
		json(post, "/applications/{id}/hire", AccessTeam, s.api.HireApplication),
		json(get, "/applications/{id}/messages", AccessTeam, s.api.ApplicationMessages),
		json(post, "/applications/{id}/messages", AccessTeam, s.api.SendMessage),
		json(get, "/plan-templates", AccessStaff, s.api.ListPlanTemplates),
		json(get, "/plan-templates/{id}", AccessStaff, s.api.GetPlanTemplate),
		json(get, "/openings/{id}/plan", AccessTeam, s.api.GetOpeningPlan),
		json(put, "/openings/{id}/plan", AccessStaff, s.api.PutOpeningPlan),
		json(get, "/interviews", AccessTeam, s.api.ListInterviews),
		json(get, "/interviews/{id}", AccessTeam, s.api.GetInterview),
		json(get, "/interviews/{id}/invite.ics", AccessTeam, s.api.InterviewICS),
		json(post, "/applications/{id}/interviews", AccessTeam, s.api.ScheduleInterview),
		json(post, "/interviews/{id}/reschedule", AccessTeam, s.api.RescheduleInterview),
		json(post, "/interviews/{id}/cancel", AccessTeam, s.api.CancelInterview),
		json(post, "/interviews/{id}/outcome", AccessTeam, s.api.RecordInterviewOutcome),

		// The Greenhouse-compatible job board API: its routes are listed in
		// package jobboard (Handler.Routes) and appended below; any other
		// path under it answers with the job board's own 404.
		page(get, jobboard.Prefix+"/{rest...}", AccessPublic, s.boardNotFound),
		page(post, jobboard.Prefix+"/{rest...}", AccessPublic, s.boardNotFound),

		// Operations and assets.
		page(get, "/healthz", AccessPublic, s.handleHealthz),
		page(get, "/readyz", AccessPublic, s.handleReadyz),
		page(get, "/metrics", AccessPublic, s.handleMetrics),
		page(get, "/static/{file}", AccessPublic, s.handleStatic),
	}
	for _, rt := range s.board.Routes() {
		routes = append(routes, Route{Method: rt.Method, Path: rt.Path, Access: AccessPublic, handle: s.boardRoute(rt.Handle)})
	}
	return routes
}

// boardRoute runs a job board handler; it renders its own errors in the
// shape Greenhouse clients expect, never as an HTML page.
func (s *Server) boardRoute(fn jobboard.Func) handlerFunc {
	h := s.board.Adapt(fn)
	return func(w http.ResponseWriter, r *http.Request) error {
		h.ServeHTTP(w, r)
		return nil
	}
}

// boardNotFound answers a path under the job board that it does not have.
func (s *Server) boardNotFound(w http.ResponseWriter, r *http.Request) error {
	s.board.ServeHTTP(w, r)
	return nil
}

// adapt turns a route into the http.Handler registered on the mux: it labels
// the request for logs and metrics, enforces the route's access, runs the
// handler and renders its error.
func (s *Server) adapt(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoFrom(r.Context()); info != nil {
			info.route = r.Pattern
		}
		err := s.authorize(r, rt.Access)
		if err == nil {
			err = rt.handle(w, r)
		}
		if err != nil {
			s.renderError(w, r, rt.API, err)
		}
	})
}

// authorize checks the acting user against a route's access level.
func (s *Server) authorize(r *http.Request, access Access) error {
	u := hiring.ActorFromContext(r.Context())
	switch access {
	case AccessPublic:
		return nil
	case AccessCatalog:
		if u != nil {
			return nil
		}
		st, err := s.settings.GetSettings(r.Context())
		if err != nil {
			return err
		}
		if st.CatalogPrivate {
			return hiring.Errorf(hiring.EUNAUTHORIZED, "The job catalog is private. Please sign in.")
		}
		return nil
	}
	if u == nil {
		return hiring.Errorf(hiring.EUNAUTHORIZED, "Please sign in.")
	}
	switch {
	case access == AccessEditor && !u.Role.CanEditCatalog():
		return hiring.Errorf(hiring.EFORBIDDEN, "Only admins and recruiters can change the catalog.")
	case access == AccessAdmin && u.Role != hiring.RoleAdmin:
		return hiring.Errorf(hiring.EFORBIDDEN, "Only admins can do this.")
	case access == AccessStaff && !u.Role.CanSeeOpenings():
		return hiring.Errorf(hiring.EFORBIDDEN, "Only recruiters, admins and hiring managers can see openings.")
	case access == AccessRecruiter && !u.Role.CanManageOpenings():
		return hiring.Errorf(hiring.EFORBIDDEN, "Only recruiters and admins can do this.")
	}
	return nil
}

// dispatch hands a request to the mux, and answers requests no route matches
// in the same style as every other error: a page for people, JSON for the API.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	// The mux knows whether the path exists for another method; ask it.
	rec := &headerRecorder{header: http.Header{}}
	s.mux.ServeHTTP(rec, r)
	isAPI := r.URL.Path == api.Prefix || strings.HasPrefix(r.URL.Path, api.Prefix+"/")
	if rec.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", rec.header.Get("Allow"))
		s.renderError(w, r, isAPI, &hiring.Error{Code: api.CodeMethodNotAllowed,
			Message: "This address does not accept " + r.Method + " requests."})
		return
	}
	s.renderError(w, r, isAPI, hiring.Errorf(hiring.ENOTFOUND, "There is nothing at this address."))
}

// headerRecorder captures what the mux's own fallback would answer.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }
