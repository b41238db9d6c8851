package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"hireloop/internal/hiring"
)

// Applying for a job. The form is parsed, every field validated, and only
// then is the application handed to the store, which keeps it whole or not
// at all. A rejected form comes back as typed (except files, which browsers
// cannot refill), each message beside its field. A success redirects to a
// confirmation page, so that refreshing it sends nothing again.

// Limits of the application form.
const (
	// maxApplyBody caps the whole request: a resume and a file answer of
	// 10 MB could not both fit, and that is meant; one file and text can.
	maxApplyBody = 12 << 20
	// maxTextPart caps one text field as read; every field's own limit is
	// far below it, so a longer value is refused, not cut silently.
	maxTextPart = 64 << 10
	// maxParts caps the number of fields of a form.
	maxParts = 500
	// confirmationTTL is how long the confirmation page can be reloaded.
	confirmationTTL = time.Hour
	// honeypotField is the field people never see; software that fills in
	// every field fills it.
	honeypotField = "website"
	appliedCookie = "hireloop_applied"
)

// GuideURL is the address of a candidate's private page for the token
// that Apply returned; the confirmation email links to it.
func GuideURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/guide/" + url.PathEscape(token)
}

// applyPage is the form that came back with messages.
type applyPage struct {
	layout
	Job  *hiring.Opening
	Form *applyForm
}

// handleApply takes an application: rate limit, read, validate, store,
// redirect to the confirmation.
func (s *Server) handleApply(w http.ResponseWriter, r *http.Request) error {
	if ok, wait := s.careers.limiter.allow(clientAddress(r, s.careers.behindProxy)); !ok {
		s.renderTooMany(w, r, wait)
		return nil
	}
	o, err := s.findPublicJob(r)
	if err != nil {
		return err
	}
	if o.Status == hiring.OpeningClosed {
		s.renderJobClosed(w, r, o)
		return nil
	}
	sub, err := readApplyForm(w, r, o)
	if err != nil {
		return err
	}
	defer sub.release()
	if sub.values.Get(honeypotField) != "" {
		s.log.InfoContext(r.Context(), "application with the honeypot filled in dropped",
			"opening_id", o.ID, "remote", r.RemoteAddr)
		return s.confirm(w, r, o, appliedNote{Name: sub.values.Get("name"), Email: sub.values.Get("email"),
			Adjustments: strings.TrimSpace(sub.values.Get("adjustment_request")) != ""})
	}
	in, v, status := s.validateApplication(o, sub)
	if len(v) > 0 {
		return s.renderApplyForm(w, r, o, sub, v, status)
	}
	in.Language = browserLanguage(r)
	res, err := s.applications.Apply(r.Context(), in)
	switch code := hiring.ErrorCode(err); {
	case err == nil:
	case hiring.ErrorFields(err) != nil:
		status := http.StatusBadRequest
		if code == hiring.ETOOLARGE {
			status = http.StatusRequestEntityTooLarge
		}
		return s.renderApplyForm(w, r, o, sub, hiring.ErrorFields(err), status)
	case code == hiring.ECONFLICT:
		// The job closed between the page and the submit.
		s.renderJobClosed(w, r, o)
		return nil
	default:
		return err
	}
	return s.confirm(w, r, o, appliedNote{
		ApplicationID: res.Application.ID, Name: res.Candidate.Name, Email: res.Candidate.Email,
		Adjustments: strings.TrimSpace(res.Application.AdjustmentRequest) != "",
	})
}

func (s *Server) renderApplyForm(w http.ResponseWriter, r *http.Request, o *hiring.Opening,
	sub *applySubmission, v map[string]string, status int) error {
	f := s.newApplyForm(o, sub)
	f.setErrors(v)
	s.render(w, r, status, "apply", &applyPage{
		layout: layout{Title: "Error: apply for " + o.Title}, Job: o, Form: f})
	return nil
}

// renderTooMany answers a client that sent too many applications too fast.
func (s *Server) renderTooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int(wait.Round(time.Second) / time.Second)
	secs = max(secs, 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	when := plural(secs, "second", "seconds")
	if secs >= 90 {
		when = plural((secs+59)/60, "minute", "minutes")
	}
	s.render(w, r, http.StatusTooManyRequests, "error", &errorPage{
		layout: layout{Title: "Too many applications at once"},
		Status: http.StatusTooManyRequests,
		Message: "We received many applications from your network in a short time, so this one was not taken. " +
			"Please wait " + when + " and send it again; your browser’s Back button brings back what you typed.",
	})
}

// appliedNote is what the confirmation page shows, kept in the session
// for a short while under an unguessable reference.
type appliedNote struct {
	Ref           string    `json:"ref"`
	OpeningID     int64     `json:"opening_id"`
	ApplicationID int64     `json:"application_id"`
	Name          string    `json:"name"`
	Email         string    `json:"email"`
	Adjustments   bool      `json:"adjustments"`
	At            time.Time `json:"at"`
}

// confirm remembers the note and redirects to the confirmation page.
func (s *Server) confirm(w http.ResponseWriter, r *http.Request, o *hiring.Opening, n appliedNote) error {
	n.Ref, n.OpeningID, n.At = newKey(), o.ID, s.now()
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	// The note travels in a signed cookie rather than the session: a
	// session would cost every application a second write to the database.
	http.SetCookie(w, &http.Cookie{
		Name: appliedCookie, Value: s.sign(b), Path: "/jobs/", MaxAge: int(confirmationTTL / time.Second),
		HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, "/jobs/"+strconv.FormatInt(o.ID, 10)+"/applied?ref="+n.Ref, http.StatusSeeOther)
	return nil
}

// sign returns b with its signature, in a form a cookie can carry.
func (s *Server) sign(b []byte) string {
	m := hmac.New(sha256.New, s.signingKey)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(b) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verify returns what sign signed, or false when v was not signed by this
// server's key.
func (s *Server) verify(v string) ([]byte, bool) {
	data, sig, ok := strings.Cut(v, ".")
	if !ok {
		return nil, false
	}
	b, err1 := base64.RawURLEncoding.DecodeString(data)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return nil, false
	}
	m := hmac.New(sha256.New, s.signingKey)
	m.Write(b)
	if !hmac.Equal(mac, m.Sum(nil)) {
		return nil, false
	}
	return b, true
}

// appliedPage confirms an application and says what happens next.
type appliedPage struct {
	layout
	Job             *hiring.Opening
	Note            appliedNote
	Steps           []hiring.HiringStep
	ReplyDays       int
	RetentionMonths int
}

func (s *Server) handleApplied(w http.ResponseWriter, r *http.Request) error {
	o, err := s.findPublicJob(r)
	if err != nil {
		return err
	}
	gone := hiring.Errorf(hiring.ENOTFOUND, "This confirmation is no longer available. If you applied, "+
		"the email we sent you has a private link to your application.")
	var n appliedNote
	ref := r.URL.Query().Get("ref")
	var raw []byte
	if c, err := r.Cookie(appliedCookie); err == nil {
		raw, _ = s.verify(c.Value)
	}
	if raw == nil || ref == "" || json.Unmarshal(raw, &n) != nil ||
		subtle.ConstantTimeCompare([]byte(ref), []byte(n.Ref)) != 1 ||
		n.OpeningID != o.ID || s.now().Sub(n.At) > confirmationTTL {
		return gone
	}
	// The promise is the company's reply policy, as the settings keep it.
	replyDays := s.careers.replyDays
	st, err := s.settings.GetSettings(r.Context())
	if err != nil {
		return err
	}
	if st.AfterApplyDays > 0 {
		replyDays = st.AfterApplyDays
	}
	s.render(w, r, http.StatusOK, "applied", &appliedPage{
		layout:          layout{Title: "Application received"},
		Job:             o,
		Note:            n,
		Steps:           hiringSteps(o),
		ReplyDays:       replyDays,
		RetentionMonths: s.careers.retention,
	})
	return nil
}

// messageLanguages matches a browser's languages against those hireloop
// writes its messages in.
var messageLanguages = func() language.Matcher {
	tags := make([]language.Tag, len(hiring.BuiltInLanguages))
	for i, l := range hiring.BuiltInLanguages {
		tags[i] = language.Make(l)
	}
	return language.NewMatcher(tags)
}()

// browserLanguage is the language of hireloop's messages that the
// candidate's browser prefers, or "" when it names none of them: the
// candidate then hears from us in the language already on record.
func browserLanguage(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return ""
	}
	_, i, conf := messageLanguages.Match(tags...)
	if conf == language.No {
		return ""
	}
	return hiring.BuiltInLanguages[i]
}
