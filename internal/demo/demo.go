// Package demo holds Larkspur Labs, the fictional company that
// "hireloop serve --demo" shows: its job-family pages, written as a
// handbook-first company writes them, a handful of demo accounts, and (in
// LoadOpenings) its open jobs, hiring plan and a dozen people who applied.
//
// The pages go through the same importer as a real company's handbook, so the
// demo shows exactly what an import produces.
package demo

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"

	"hireloop/internal/hiring"
)

// CompanyName is the demo company's name, shown on its careers site.
const CompanyName = "Larkspur Labs"

//go:embed families/*.md
var files embed.FS

// sourcePrefix marks where demo pages come from, so that a family imported
// from the demo is never mistaken for one imported from a real handbook.
const sourcePrefix = "demo/"

// Page is one embedded job-family page.
type Page struct {
	// Source is the path the page is imported under, such as
	// "demo/families/backend-engineer.md"; it stays the same between runs so
	// a second import updates the family in place.
	Source string
	Data   []byte
}

// Pages returns the embedded demo pages, sorted by source path.
func Pages() ([]Page, error) {
	names, err := fs.Glob(files, "families/*.md")
	if err != nil {
		return nil, fmt.Errorf("list demo pages: %w", err)
	}
	sort.Strings(names)
	pages := make([]Page, 0, len(names))
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read demo page %s: %w", name, err)
		}
		pages = append(pages, Page{Source: sourcePrefix + name, Data: data})
	}
	return pages, nil
}

// Account is a demo login. The passwords are fixed and published on purpose:
// the demo runs on a fresh local data folder and must be explorable at once.
type Account struct {
	Email    string
	Name     string
	Role     hiring.UserRole
	Password string
}

// Accounts returns one demo account for each user role, the admin first.
func Accounts() []Account {
	return []Account{
		{Email: "admin@larkspur.example", Name: "Noor Okafor", Role: hiring.RoleAdmin, Password: "demo-admin-pass-2026"},
		{Email: "recruiter@larkspur.example", Name: "Tomás Lindqvist", Role: hiring.RoleRecruiter, Password: "demo-recruiter-pass-2026"},
		{Email: "manager@larkspur.example", Name: "Priya Raman", Role: hiring.RoleHiringManager, Password: "demo-manager-pass-2026"},
		{Email: "interviewer@larkspur.example", Name: "Jun Takahashi", Role: hiring.RoleInterviewer, Password: "demo-interviewer-pass-2026"},
	}
}

// ParseFunc turns one page into a family. It is passed in so that this
// package does not depend on the importer.
type ParseFunc func(source string, data []byte) (*hiring.Family, error)

// Load imports every demo page and creates the demo accounts that do not
// exist yet. Calling it again changes nothing, so serve --demo can call it on
// every start. It returns the admin account, whose login serve prints.
func Load(ctx context.Context, parse ParseFunc, families hiring.FamilyService, users hiring.UserService) (*Account, error) {
	if err := LoadCatalog(ctx, parse, families); err != nil {
		return nil, err
	}
	accounts := Accounts()
	for _, a := range accounts {
		_, err := users.FindUserByEmail(ctx, a.Email)
		if err == nil {
			continue
		} else if hiring.ErrorCode(err) != hiring.ENOTFOUND {
			return nil, fmt.Errorf("find demo user %s: %w", a.Email, err)
		}
		n := hiring.NewUser{Email: a.Email, Name: a.Name, Role: a.Role, Password: a.Password}
		if _, err := users.CreateUser(ctx, n); err != nil {
			return nil, fmt.Errorf("create demo user %s: %w", a.Email, err)
		}
	}
	admin := accounts[0]
	return &admin, nil
}

// LoadCatalog imports every demo page, and nothing else: no accounts, so
// that tools which need a catalog on a real database can use the demo's
// without adding its published logins. Importing again changes nothing.
func LoadCatalog(ctx context.Context, parse ParseFunc, families hiring.FamilyService) error {
	pages, err := Pages()
	if err != nil {
		return err
	}
	for _, p := range pages {
		f, err := parse(p.Source, p.Data)
		if err != nil {
			return fmt.Errorf("parse demo page %s: %w", p.Source, err)
		}
		if f == nil {
			return fmt.Errorf("demo page %s is not a job family", p.Source)
		}
		if f.Source == "" {
			f.Source = p.Source
		}
		if f.ContentHash == "" {
			sum := sha256.Sum256(p.Data)
			f.ContentHash = hex.EncodeToString(sum[:])
		}
		if _, err := families.ImportFamily(ctx, f); err != nil {
			return fmt.Errorf("import demo page %s: %w", p.Source, err)
		}
	}
	return nil
}
