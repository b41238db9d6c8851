package handbook

import (
	"regexp"
	"strconv"
	"strings"

	"hireloop/internal/hiring"
)

var (
	reMinutes = regexp.MustCompile(`(?i)\b(\d{1,4})\s*(?:-|–|\s)?\s*(?:minutes?|mins?)\b`)
	reHours   = regexp.MustCompile(`(?i)\b(\d{1,2}(?:\.\d+)?|an|one|a|two|half\s+an|half-an)\s*(?:-|–|\s)?\s*(?:hours?|hrs?)\b`)
	reWho     = regexp.MustCompile(`(?i)\b(?:with|by)\s+(?:one\s+of\s+(?:our|the)\s+|a\s+member\s+of\s+(?:our|the)\s+|members\s+of\s+(?:our|the)\s+|an?\s+|the\s+|our\s+)?([^,.;:()]{2,100})`)
	// reStepSuffix is the note Render adds when a step's name alone does not
	// carry its duration or who leads it: "(30 minutes; with: a Recruiter)".
	reStepSuffix = regexp.MustCompile(`\s*\((?:(\d{1,4}) minutes?)?(?:; )?(?:with: ([^()]{1,200}))?\)$`)
	// reAudienceIC and reAudienceManager recognise the lines that split a
	// hiring process into one for individual contributors and one for
	// managers.
	reAudienceIC      = regexp.MustCompile(`(?i)^for\s+(?:individual\s+contributors?|ics?\b|engineers?\b|non-managers?)`)
	reAudienceManager = regexp.MustCompile(`(?i)^for\s+(?:people\s+)?(?:managers?|management|leaders?|leadership|directors?)\b`)
)

// audience says which roles a hiring step is for.
type audience int

const (
	forEveryone audience = iota
	forIndividuals
	forManagers
)

func audienceOf(paragraph string) (audience, bool) {
	switch {
	case reAudienceIC.MatchString(paragraph):
		return forIndividuals, true
	case reAudienceManager.MatchString(paragraph):
		return forManagers, true
	}
	return forEveryone, false
}

// isManagerLevel reports whether a level leads people, for hiring
// processes that differ between managers and individual contributors.
func isManagerLevel(level string) bool {
	switch level {
	case LevelManager, LevelSeniorManager, LevelDirector, LevelSeniorDirector, LevelVP, LevelExecutive:
		return true
	}
	return false
}

// parseStep reads one hiring step from its plain text: the duration from
// "30 minute", "90-minute", "1 hour", and who leads it from "with one of
// our Technical Recruiters". An explicit suffix written by Render wins.
func parseStep(text string) hiring.HiringStep {
	step := hiring.HiringStep{Name: text}
	if m := reStepSuffix.FindStringSubmatchIndex(text); m != nil && m[1]-m[0] > 2 && (m[2] >= 0 || m[4] >= 0) {
		step.Name = strings.TrimSpace(text[:m[0]])
		if m[2] >= 0 {
			step.Minutes, _ = strconv.Atoi(text[m[2]:m[3]])
		} else {
			step.Minutes = stepMinutes(step.Name)
		}
		if m[4] >= 0 {
			step.Who = strings.TrimSpace(text[m[4]:m[5]])
		} else {
			step.Who = stepWho(step.Name)
		}
		return step
	}
	step.Minutes = stepMinutes(text)
	step.Who = stepWho(text)
	return step
}

func stepMinutes(text string) int {
	best, at := 0, -1
	if m := reMinutes.FindStringSubmatchIndex(text); m != nil {
		n, _ := strconv.Atoi(text[m[2]:m[3]])
		best, at = n, m[0]
	}
	if m := reHours.FindStringSubmatchIndex(text); m != nil && (at < 0 || m[0] < at) {
		var h float64
		switch w := strings.ToLower(strings.Join(strings.Fields(text[m[2]:m[3]]), " ")); w {
		case "an", "one", "a":
			h = 1
		case "two":
			h = 2
		case "half an", "half-an":
			h = 0.5
		default:
			h, _ = strconv.ParseFloat(w, 64)
		}
		best = int(h * 60)
	}
	return min(max(best, 0), hiring.MaxMinutes)
}

func stepWho(text string) string {
	m := reWho.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	who := strings.TrimSpace(m[1])
	// Stop at words that start a new clause.
	lower := strings.ToLower(who)
	for _, stop := range []string{" to ", " who ", " where ", " in order ", " and then ", " via ", " for ", " about ", " on "} {
		if i := strings.Index(lower, stop); i > 0 {
			who, lower = who[:i], lower[:i]
		}
	}
	who = strings.TrimSpace(who)
	if len(normWords(who)) == 0 {
		return ""
	}
	return who
}

// stepText is the text Render writes for a step: its name, followed by a
// note only when the name alone would not give back the same duration and
// leader.
func stepText(s hiring.HiringStep) string {
	name := collapseSpace(s.Name)
	if stepMinutes(name) == s.Minutes && stepWho(name) == s.Who && !reStepSuffix.MatchString(name) {
		return name
	}
	var parts []string
	if s.Minutes > 0 {
		parts = append(parts, strconv.Itoa(s.Minutes)+" minutes")
	}
	if s.Who != "" {
		parts = append(parts, "with: "+collapseSpace(strings.NewReplacer("(", "", ")", "").Replace(s.Who)))
	}
	if len(parts) == 0 {
		// The name suggests a duration or leader the step does not have;
		// an empty note would not say so, so keep the name as it is.
		return name
	}
	return name + " (" + strings.Join(parts, "; ") + ")"
}
