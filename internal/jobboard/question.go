package jobboard

import (
	"hash/fnv"
	"strconv"

	"hireloop/internal/hiring"
)

// Greenhouse's field types: how a form should show each field.
const (
	InputText   = "input_text"
	InputFile   = "input_file"
	InputHidden = "input_hidden"
	Textarea    = "textarea"
	SingleValue = "multi_value_single_select"
	MultiValue  = "multi_value_multi_select"
)

// Question is one question of an application form. Several fields may
// answer one question: a resume is a file or pasted text.
type Question struct {
	Required bool   `json:"required"`
	Label    string `json:"label"`
	// Description is extra help for the candidate; hireloop's questions
	// have none.
	Description *string `json:"description"`
	Fields      []Field `json:"fields"`
}

// Field is one input of a question.
type Field struct {
	Name   string   `json:"name"`
	Type   string   `json:"type"`
	Values []Choice `json:"values"`
}

// Choice is one option of a select field: the label shown and the value
// sent back.
type Choice struct {
	Label string `json:"label"`
	Value int64  `json:"value"`
}

func field(name, typ string) Field { return Field{Name: name, Type: typ, Values: []Choice{}} }

func question(label string, required bool, fields ...Field) Question {
	return Question{Required: required, Label: label, Fields: fields}
}

// Yes and no are sent as 1 and 0, as Greenhouse sends its boolean
// questions.
var yesNo = []Choice{{Label: "Yes", Value: 1}, {Label: "No", Value: 0}}

// OptionValue is the value a select question's option is sent back as. It
// is a hash of the option's text cut to 53 bits, so that it stays the same
// when options are reordered or added, an option that was removed is not
// mistaken for another, and it is safe in a JavaScript number.
func OptionValue(option string) int64 {
	f := fnv.New64a()
	f.Write([]byte(option))
	return int64(f.Sum64() & (1<<53 - 1))
}

// questions is the application form of an opening: Greenhouse's standard
// questions, then the opening's own as question_{id}. The last name is
// optional because not everyone has one; the resume is required, as a file
// or as text.
func questions(o *hiring.Opening) []Question {
	qs := []Question{
		question("First Name", true, field("first_name", InputText)),
		question("Last Name", false, field("last_name", InputText)),
		question("Email", true, field("email", InputText)),
		question("Phone", false, field("phone", InputText)),
		question("Resume/CV", true, field("resume", InputFile), field("resume_text", Textarea)),
		question("Cover Letter", false, field("cover_letter", InputFile), field("cover_letter_text", Textarea)),
	}
	for _, q := range o.Questions {
		f := field(q.FieldName(), InputText)
		switch q.Type {
		case hiring.LongText:
			f.Type = Textarea
		case hiring.YesNo:
			f.Type, f.Values = SingleValue, yesNo
		case hiring.SingleSelect, hiring.MultiSelect:
			f.Type = SingleValue
			if q.Type == hiring.MultiSelect {
				f.Type = MultiValue
			}
			for _, opt := range q.Options {
				f.Values = append(f.Values, Choice{Label: opt, Value: OptionValue(opt)})
			}
		case hiring.FileQuestion:
			f.Type = InputFile
		}
		qs = append(qs, question(q.Label, q.Required, f))
	}
	return qs
}

// locationQuestions asks where the candidate lives. hireloop keeps the
// place as text, so there are no hidden latitude and longitude fields.
func locationQuestions() []Question {
	return []Question{question("Location", false, field("location", InputText))}
}

// choiceValue turns what a client sent for a select or yes/no question into
// hireloop's answer: the option's value, or its text, or for yes/no also
// true/false and yes/no. Anything else is passed on as it came, for the
// answer checks to refuse with their message.
func choiceValue(q *hiring.Question, sent string) string {
	if q.Type == hiring.YesNo {
		switch sent {
		case "1", "true", "yes", "Yes", "YES":
			return "yes"
		case "0", "false", "no", "No", "NO":
			return "no"
		}
		return sent
	}
	if n, err := strconv.ParseInt(sent, 10, 64); err == nil {
		for _, opt := range q.Options {
			if OptionValue(opt) == n {
				return opt
			}
		}
	}
	return sent
}
