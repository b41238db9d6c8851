package demo

import (
	"strings"
	"testing"

	"hireloop/internal/hiring"
)

func TestAccounts(t *testing.T) {
	accounts := Accounts()

	t.Run("AdminComesFirst", func(t *testing.T) {
		if got := accounts[0].Role; got != hiring.RoleAdmin {
			t.Errorf("first account has role %q, want %q", got, hiring.RoleAdmin)
		}
	})

	t.Run("OneAccountPerRole", func(t *testing.T) {
		seen := map[hiring.UserRole]int{}
		for _, a := range accounts {
			seen[a.Role]++
		}
		for _, r := range hiring.UserRoles {
			if seen[r] != 1 {
				t.Errorf("role %q has %d demo accounts, want 1", r, seen[r])
			}
		}
	})

	t.Run("EveryAccountIsAcceptedAsANewUser", func(t *testing.T) {
		for _, a := range accounts {
			n := hiring.NewUser{Email: a.Email, Name: a.Name, Role: a.Role, Password: a.Password}
			if err := n.Validate(); err != nil {
				t.Errorf("%s: %v", a.Email, hiring.ErrorFields(err))
			}
			if n.Email != a.Email {
				t.Errorf("email %q is not in normal form %q", a.Email, n.Email)
			}
		}
	})

	t.Run("EmailsAreUniqueAndFictional", func(t *testing.T) {
		seen := map[string]bool{}
		for _, a := range accounts {
			if seen[a.Email] {
				t.Errorf("email %q used twice", a.Email)
			}
			seen[a.Email] = true
			if !strings.HasSuffix(a.Email, "@larkspur.example") {
				t.Errorf("email %q is not on the reserved example domain", a.Email)
			}
		}
	})
}

func TestPages(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("SortedAndUniqueBySource", func(t *testing.T) {
		for i := 1; i < len(pages); i++ {
			if pages[i-1].Source >= pages[i].Source {
				t.Errorf("pages out of order: %q before %q", pages[i-1].Source, pages[i].Source)
			}
		}
	})

	t.Run("EveryPageHasFrontMatterAndContent", func(t *testing.T) {
		for _, p := range pages {
			if !strings.HasPrefix(p.Source, "demo/families/") || !strings.HasSuffix(p.Source, ".md") {
				t.Errorf("unexpected source %q", p.Source)
			}
			if !strings.HasPrefix(string(p.Data), "---\nlayout: job_family_page\n") {
				t.Errorf("%s: does not start with job-family front matter", p.Source)
			}
		}
	})
}
