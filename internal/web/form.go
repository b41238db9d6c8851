package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"hireloop/internal/hiring"
)

// MaxFormBytes caps every form body; the largest form, a role, stays far
// below it.
const MaxFormBytes = 1 << 20

// parseForm reads a URL-encoded form body, refusing one over MaxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return hiring.Errorf(hiring.ETOOLARGE, "The form is larger than 1 MiB; please send less.")
		}
		return hiring.Errorf(hiring.EINVALID, "The form could not be read.")
	}
	return nil
}

type fieldKind int

const (
	kindText fieldKind = iota
	kindEmail
	kindPassword
	kindTextarea
	kindSelect
	kindCheckbox
)

// fieldSpec describes one form field once; the template renders every field
// from it, so labels, hints and error links are alike on every form.
type fieldSpec struct {
	Name         string
	Label        string
	Hint         string
	Kind         fieldKind
	Required     bool
	MaxLen       int
	Rows         int
	Autocomplete string
	InputMode    string
	Options      []option
}

type option struct{ Value, Label string }

// form is a form's fields, the values typed and the message for each field
// that was rejected.
type form struct {
	specs  []fieldSpec
	Values map[string]string
	Errors map[string]string
	// Message is shown in the error summary when no field is to blame.
	Message string
}

// newForm builds a form from submitted values, or an empty one for nil.
func newForm(specs []fieldSpec, vals url.Values) *form {
	f := &form{specs: specs, Values: map[string]string{}, Errors: map[string]string{}}
	for _, sp := range specs {
		f.Values[sp.Name] = vals.Get(sp.Name)
	}
	return f
}

// setError records err's field messages, or its message when it names no
// field of this form.
func (f *form) setError(err error) {
	known := map[string]bool{}
	for _, sp := range f.specs {
		known[sp.Name] = true
	}
	for k, msg := range hiring.ErrorFields(err) {
		if known[k] {
			f.Errors[k] = msg
		} else if f.Message == "" {
			f.Message = msg
		}
	}
	if len(f.Errors) == 0 && f.Message == "" {
		f.Message = hiring.ErrorMessage(err)
	}
}

// HasErrors tells the template to show the error summary.
func (f *form) HasErrors() bool { return len(f.Errors) > 0 || f.Message != "" }

// fieldView is one field ready for the template.
type fieldView struct {
	fieldSpec
	Value string
	Error string
}

// IsTextarea reports a multi-line field.
func (v fieldView) IsTextarea() bool { return v.Kind == kindTextarea }

// IsSelect reports a drop-down.
func (v fieldView) IsSelect() bool { return v.Kind == kindSelect }

// IsCheckbox reports a tick box.
func (v fieldView) IsCheckbox() bool { return v.Kind == kindCheckbox }

// Checked reports a ticked box.
func (v fieldView) Checked() bool { return v.Value == "on" || v.Value == "true" }

// Type is the input element's type attribute.
func (v fieldView) Type() string {
	switch v.Kind {
	case kindEmail:
		return "email"
	case kindPassword:
		return "password"
	}
	return "text"
}

// DescribedBy lists the ids of the hint and the error, for aria-describedby.
func (v fieldView) DescribedBy() string {
	var ids []string
	if v.Hint != "" {
		ids = append(ids, v.Name+"-hint")
	}
	if v.Error != "" {
		ids = append(ids, v.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// Fields returns the fields in their order, with values and messages.
func (f *form) Fields() []fieldView {
	out := make([]fieldView, len(f.specs))
	for i, sp := range f.specs {
		out[i] = fieldView{fieldSpec: sp, Value: f.Values[sp.Name], Error: f.Errors[sp.Name]}
	}
	return out
}

// Field returns one field, for forms laid out by hand.
func (f *form) Field(name string) fieldView {
	for _, v := range f.Fields() {
		if v.Name == name {
			return v
		}
	}
	return fieldView{fieldSpec: fieldSpec{Name: name, Label: name}}
}

type summaryItem struct{ Href, Label, Message string }

// Summary lists the rejected fields in form order, each linking to its field.
func (f *form) Summary() []summaryItem {
	var out []summaryItem
	for _, sp := range f.specs {
		if msg, ok := f.Errors[sp.Name]; ok {
			out = append(out, summaryItem{Href: "#" + sp.Name, Label: sp.Label, Message: msg})
		}
	}
	return out
}
