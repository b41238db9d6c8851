package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hireloop/internal/hiring"
)

// applicant is a demo candidate and where they applied. The resume is
// plain text written for the demo; emails are at example.com, which no mail
// server delivers to.
type applicant struct {
	name, email, phone, location string
	links                        []string
	resume                       string
	cover                        string
	adjustment                   string
	// requisitions are the openings applied to, in order; what happened
	// to each application is in stories.
	requisitions []string
}

func applicants() []applicant {
	return []applicant{
		{
			name: "Amara Eze", email: "amara.eze@example.com", phone: "+234 803 555 0142", location: "Lagos, Nigeria",
			links:        []string{"https://github.com/amara-eze-demo"},
			requisitions: []string{"1001", "1003"},
			cover:        "I have spent four years making search fast for people who type badly, and I would like to do it for developers.",
			resume: `Amara Eze
Backend engineer, Lagos. Remote since 2019.

Experience
- Lantern Books (2021-now): rebuilt catalogue search on PostgreSQL full-text; p95 from 900 ms to 60 ms.
- Kitepay (2018-2021): payments ledger in Go; on-call lead for a team of six.

Skills: Go, PostgreSQL, Elasticsearch, Kafka, Terraform.`,
		},
		{
			name: "Jonas Lindgren", email: "jonas.lindgren@example.com", location: "Malmö, Sweden",
			requisitions: []string{"1001"},
			resume: `Jonas Lindgren
Senior software engineer.

2016-2024  Nordvik Logistics - routing service in Java and later Go; introduced OpenSearch for shipment lookup.
2013-2016  Consultant - many small Rails applications.

I like profiling, tidy migrations and reviewing code kindly.`,
		},
		{
			name: "Priyanka Desai", email: "priyanka.desai@example.com", phone: "+49 151 5550 1934", location: "Berlin, Germany",
			links:        []string{"https://priyanka-desai.example.com"},
			requisitions: []string{"1002"},
			adjustment:   "I am hard of hearing; please enable live captions in video interviews.",
			resume: `Priyanka Desai - Build and release engineer, Berlin

Now: Heliotrope GmbH, CI platform team. Cut pipeline time in half by caching Docker layers and splitting test suites.
Before: Quarry Games, release tooling for three console platforms.

Tools: GitLab CI, Buildkite, Bazel, Python, Go, Kubernetes.`,
		},
		{
			name: "Tomasz Wójcik", email: "tomasz.wojcik@example.com", location: "Kraków, Poland",
			requisitions: []string{"1002", "1005"},
			resume: `Tomasz Wójcik
Platform engineer, Kraków.

- Ran 40 PostgreSQL clusters with Patroni; wrote the failover runbook the team still uses.
- Moved deploys from Jenkins to GitLab pipelines.
- Speaks Polish, English and some German.`,
		},
		{
			name: "Grace Mensah", email: "grace.mensah@example.com", location: "Toronto, Canada",
			links:        []string{"https://github.com/grace-mensah-demo", "https://grace.example.org"},
			requisitions: []string{"1004"},
			resume: `Grace Mensah
Frontend engineer, Toronto.

Five years of Vue and TypeScript. Built an accessible design system used by eleven product teams;
every component passes WCAG 2.1 AA with keyboard and screen reader tests.`,
		},
		{
			name: "Diego Ramírez", email: "diego.ramirez@example.com", location: "Austin, United States",
			requisitions: []string{"1004"},
			resume: `Diego Ramírez
Web developer.

2020-now  Freelance: marketing sites and small shops in React.
Before that, a bootcamp and three years in customer support.`,
		},
		{
			name: "Mei Tanaka", email: "mei.tanaka@example.com", location: "Osaka, Japan",
			requisitions: []string{"1005"},
			resume: `Mei Tanaka
Site reliability engineer.

Kumo Cloud (2017-now): database reliability for a managed PostgreSQL service; built point-in-time
recovery tests that run every night; SLOs and error budgets for 3,000 clusters.
Writes about incident reviews.`,
		},
		{
			name: "Olusegun Bakare", email: "olusegun.bakare@example.com", location: "Lisbon, Portugal",
			requisitions: []string{"1007"},
			resume: `Olusegun Bakare
Product designer, Lisbon.

Designed merge request reviews at a code hosting company: research with 40 developers,
prototypes in Figma, shipped in three iterations. Before: agency work for banks.`,
		},
		{
			name: "Sofia Costa", email: "sofia.costa@example.com", location: "Porto, Portugal",
			requisitions: []string{"1007", "1008"},
			resume: `Sofia Costa
Designer turned product manager.

Led the roadmap of a CI product for two years; ran discovery interviews every week;
before that six years as an interaction designer.`,
		},
		{
			name: "Henrik Sørensen", email: "henrik.sorensen@example.com", location: "Amsterdam, Netherlands",
			requisitions: []string{"1008"},
			resume: `Henrik Sørensen
Product manager, Amsterdam.

Owns release management features at a developer tools company; shipped deployment approvals
and environments. Former backend engineer (Ruby, PostgreSQL).`,
		},
		{
			name: "Lucía Fernández", email: "lucia.fernandez@example.com", location: "Madrid, Spain",
			requisitions: []string{"1010"},
			resume: `Lucía Fernández
Technical recruiter.

Hired 60 engineers in two years for a remote-first company; built structured interview kits
and trained 30 interviewers. Spanish, English, Portuguese.`,
		},
		{
			name: "Marcus Webb", email: "marcus.webb@example.com", phone: "+1 415 555 0199", location: "Denver, United States",
			requisitions: []string{"1011"},
			resume: `Marcus Webb
Candidate coordinator.

Scheduled 1,200 interviews a year across nine time zones; answers every candidate within a day.
Set up the interview feedback reminders the recruiting team relies on.`,
		},
	}
}

// loadApplications applies every demo applicant to their openings on the
// day their story starts, and plays the story. Each application carries an
// idempotency key, so a second load replays instead of applying again and
// plays nothing; openings that take no applications are passed over. The
// store's clock is back in the present when it returns.
func loadApplications(ctx context.Context, h Hiring, openings map[string]*hiring.Opening, team demoTeam, present time.Time) error {
	defer h.Clock.set(time.Time{})
	p := present.UTC()
	today := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
	plot := stories(team, today)
	// Candidates apply on their own; the recruiter makes every later
	// change, as the timeline shows.
	byRecruiter := ctx
	if team.recruiter != nil {
		u, err := h.Users.FindUserByID(ctx, *team.recruiter)
		if err != nil {
			return fmt.Errorf("find the demo recruiter: %w", err)
		}
		byRecruiter = hiring.NewContextWithActor(ctx, u)
	}
	for i, a := range applicants() {
		for _, req := range a.requisitions {
			o := openings[req]
			if o == nil || o.Status != hiring.OpeningOpen {
				continue
			}
			full, err := h.Openings.FindOpeningByID(ctx, o.ID)
			if err != nil {
				return fmt.Errorf("find demo opening %s: %w", req, err)
			}
			st, told := plot[req+" "+a.email]
			r := &run{ctx: byRecruiter, h: h, team: team, today: today, zone: zones[a.email]}
			if told {
				r.on(st.applied)
			} else {
				h.Clock.set(time.Time{})
			}
			in := hiring.ApplyInput{
				OpeningID:   full.ID,
				Email:       a.email,
				Name:        a.name,
				Phone:       a.phone,
				Location:    a.location,
				Links:       a.links,
				CoverLetter: a.cover,
				Resume: &hiring.Upload{
					Name:        strings.ToLower(strings.Fields(a.name)[0]) + "-resume.txt",
					ContentType: "text/plain; charset=utf-8",
					Content:     strings.NewReader(a.resume + "\n"),
				},
				Answers:           demoAnswers(full.Questions, i),
				AdjustmentRequest: a.adjustment,
				Consent:           true,
				Source:            hiring.SourceCareersSite,
				IdempotencyKey:    "demo-" + req,
			}
			res, err := h.Applications.Apply(ctx, in)
			if hiring.ErrorCode(err) == hiring.ECONFLICT {
				// Changed in the demo since: already applied, or too many.
				continue
			} else if err != nil {
				return fmt.Errorf("apply %s to demo opening %s: %w", a.email, req, err)
			}
			if res.Replayed || !told || st.play == nil {
				continue
			}
			r.app = res.Application
			st.play(r)
			if r.err != nil {
				return r.err
			}
		}
	}
	return nil
}

// demoAnswers answers an opening's questions, varying with the applicant.
func demoAnswers(questions []hiring.Question, who int) []hiring.AnswerInput {
	var out []hiring.AnswerInput
	for _, q := range questions {
		a := hiring.AnswerInput{QuestionID: q.ID}
		switch q.Type {
		case hiring.YesNo:
			a.Value = []string{"yes", "no"}[who%2]
		case hiring.SingleSelect:
			a.Value = q.Options[who%len(q.Options)]
		case hiring.MultiSelect:
			a.Values = []string{q.Options[who%len(q.Options)]}
		case hiring.ShortText:
			a.Value = "https://portfolio.example.com/" + fmt.Sprint(who)
		case hiring.LongText:
			a.Value = "Mostly GitLab CI; I split a slow test stage into parallel jobs and cached dependencies between them."
		case hiring.FileQuestion:
			continue
		}
		out = append(out, a)
	}
	return out
}
