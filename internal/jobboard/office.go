package jobboard

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"sort"
	"strings"

	"hireloop/internal/hiring"
)

// Offices.
//
// hireloop has no offices of its own: an opening names the places it may be
// done from. The board derives one office from each distinct location name
// of the open openings, compared without regard to case or repeated spaces,
// and one office named "Remote" that holds every opening that may be done
// remotely (a remote location named otherwise, such as "Europe", puts its
// opening under both). Open jobs without any location are under "No
// Office", id 0, as Greenhouse lists them.
//
// An office's id is a hash of its folded name cut to 53 bits, so it is the
// same on every request, after a restart and on every replica, and safe in
// a JavaScript number; an office keeps its id while any opening names it.
// Offices are flat: none has a parent or children.

const (
	noOfficeID   = 0
	noOfficeName = "No Office"
	remoteOffice = "Remote"
)

// OfficeRef is an office as a job lists it.
type OfficeRef struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Location string  `json:"location"`
	ParentID *int64  `json:"parent_id"`
	ChildIDs []int64 `json:"child_ids"`
}

// OfficeItem is an office with its departments and their open jobs in the
// office, as render_as=list shows it.
type OfficeItem struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Location    string  `json:"location"`
	Departments any     `json:"departments"`
	ParentID    *int64  `json:"parent_id"`
	ChildIDs    []int64 `json:"child_ids"`
}

// OfficeNode is an office as render_as=tree shows it.
type OfficeNode struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	Location    string        `json:"location"`
	Departments any           `json:"departments"`
	Children    []*OfficeNode `json:"children"`
}

// OfficeList is the answer to GET /offices.
type OfficeList struct {
	Offices any `json:"offices"`
}

// foldName is the key two location names share when they name one office.
func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// OfficeID is the stable id of the office with the name.
func OfficeID(name string) int64 {
	f := fnv.New64a()
	f.Write([]byte("office\x00" + foldName(name)))
	id := int64(f.Sum64() & (1<<53 - 1))
	if id == noOfficeID {
		id = 1
	}
	return id
}

// officeNames returns the offices an opening is in, by its own spelling
// of their names.
func officeNames(o *hiring.Opening) []string {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if k := foldName(n); k != "" && !seen[k] {
			seen[k] = true
			names = append(names, n)
		}
	}
	for _, l := range o.Locations {
		add(l.Name)
	}
	if o.Remote() {
		add(remoteOffice)
	}
	return names
}

var noOfficeRef = OfficeRef{ID: noOfficeID, Name: noOfficeName, Location: "", ChildIDs: []int64{}}

// officeRefs returns the offices of an opening as its job lists them.
func (b *board) officeRefs(o *hiring.Opening) []OfficeRef {
	b.offices()
	names := officeNames(o)
	if len(names) == 0 {
		return []OfficeRef{noOfficeRef}
	}
	out := make([]OfficeRef, len(names))
	for i, n := range names {
		out[i] = officeRef(b.officeName[foldName(n)])
	}
	return out
}

func officeRef(name string) OfficeRef {
	return OfficeRef{ID: OfficeID(name), Name: name, Location: name, ChildIDs: []int64{}}
}

// office is one derived office with the ids of its open jobs.
type office struct {
	ref  OfficeRef
	jobs map[int64]bool
}

// offices derives the board's offices, sorted by name, "No Office" last.
// When openings spell one place differently ("Berlin", "berlin"), the
// office takes the spelling that sorts first, which puts capitals first,
// so that its name does not depend on the order of the openings.
func (b *board) offices() []*office {
	if b.officeName != nil {
		return b.officeList
	}
	b.officeName = map[string]string{}
	byKey := map[string]*office{}
	var none *office
	for _, o := range b.jobs {
		names := officeNames(o)
		if len(names) == 0 {
			if none == nil {
				none = &office{ref: noOfficeRef, jobs: map[int64]bool{}}
			}
			none.jobs[o.ID] = true
		}
		for _, n := range names {
			k := foldName(n)
			if byKey[k] == nil {
				byKey[k] = &office{jobs: map[int64]bool{}}
			}
			byKey[k].jobs[o.ID] = true
			if cur, ok := b.officeName[k]; !ok || n < cur {
				b.officeName[k] = n
			}
		}
	}
	out := make([]*office, 0, len(byKey)+1)
	for k, f := range byKey {
		f.ref = officeRef(b.officeName[k])
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return foldName(out[i].ref.Name) < foldName(out[j].ref.Name) })
	if none != nil {
		out = append(out, none)
	}
	b.officeList = out
	return out
}

// officeView renders an office with the departments of its jobs, as a list
// item or as a tree node.
func (h *Handler) officeView(b *board, f *office, tree bool, days int) any {
	v := departmentView{h: h, b: b, days: days, keep: func(o *hiring.Opening) bool { return f.jobs[o.ID] }}
	if tree {
		return &OfficeNode{ID: f.ref.ID, Name: f.ref.Name, Location: f.ref.Location,
			Departments: v.tree(), Children: []*OfficeNode{}}
	}
	return &OfficeItem{ID: f.ref.ID, Name: f.ref.Name, Location: f.ref.Location, Departments: v.list(),
		ChildIDs: []int64{}}
}

// ListOffices lists the offices, each with every department and the
// department's open jobs in that office.
func (h *Handler) ListOffices(w http.ResponseWriter, r *http.Request) error {
	tree, err := renderAs(r)
	if err != nil {
		return h.notFoundUnlessBoard(r, err)
	}
	return h.respond(w, r, fmt.Sprintf("offices tree=%t", tree), func(b *board) (any, error) {
		days := h.retentionDays()
		out := []any{}
		for _, f := range b.offices() {
			out = append(out, h.officeView(b, f, tree, days))
		}
		return OfficeList{Offices: out}, nil
	})
}

const errNoOffice = "Office not found"

// GetOffice answers with one office, its departments and their open jobs in
// the office.
func (h *Handler) GetOffice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, errNoOffice)
	if err != nil {
		return h.notFoundUnlessBoard(r, err)
	}
	tree, err := renderAs(r)
	if err != nil {
		return h.notFoundUnlessBoard(r, err)
	}
	return h.respond(w, r, fmt.Sprintf("office %d tree=%t", id, tree), func(b *board) (any, error) {
		for _, f := range b.offices() {
			if f.ref.ID == id {
				return h.officeView(b, f, tree, h.retentionDays()), nil
			}
		}
		return nil, hiring.Errorf(hiring.ENOTFOUND, errNoOffice)
	})
}
