// Package handbook reads job-family pages, as companies keep them in their
// handbooks, into hireloop's job catalog, and writes the catalog back as
// pages. It is pure: no database, no network, no clock.
//
// Parse reads one page of any era: Middleman pages with YAML front matter
// (.html.md, .html.md.erb), Hugo pages, 2016 "job_page" pages, and text
// scraped from a web page that has lost its Markdown marks (its headings are
// short lines standing alone, and are recognised as such). It never fails
// and never panics: what it cannot place becomes a Warning naming the line
// of the original file, and a file that is not a job-family page (an index
// page, a template partial, a data file, an empty, binary or oversized file)
// comes back marked NotFamily with a reason.
//
// The reader is line-oriented rather than a full Markdown parser, because
// the pages mix Markdown with kramdown attributes, Hugo shortcodes and ERB,
// and scraped pages have no marks at all. It then decides what each heading
// is: a section the catalog knows (Job Grade, Responsibilities,
// Requirements, Nice-to-haves, Performance Indicators, Specialties, Levels,
// Career Ladder, Hiring Process, in their many spellings and typos), a role,
// or a heading it has no place for.
//
// Choices, so that results can be predicted:
//
//   - A heading is a role when a Job Grade section or a sentence such as
//     "The Senior Recruiter is a grade 7" follows it, when it sits under a
//     Levels heading, or when it looks like a job title and role sections
//     follow it. A heading that is only a level ("Senior") is named by its
//     grade sentence or joined to the family's name. A page with role
//     sections but no role heading is one role named after the page.
//   - Shared sections: a section stated outside any role (before the first
//     role, after the last, or under a group heading such as "## Benefits")
//     is given to every role below it that does not state its own. A list
//     section holding only prose ("To be defined") does not replace the
//     shared list; one that says "None." does.
//   - The family's summary is the text before the first role, including
//     headings the importer has no section for; on a page with no role
//     heading that is the whole page outside its sections.
//   - Performance indicators: a list introduced with another role's name
//     goes to that role; lists introduced for managers and for individual
//     contributors go to each; a role that still has none, on a page with no
//     shared ones, takes those of the nearest role before it (pages state
//     job-family indicators once per group). Each such choice is reported.
//   - Hiring steps given "For Individual Contributors" and "For Managers"
//     go to the matching roles; a sub-heading with nothing under it
//     ("#### Screening call with Recruiter") is a step.
//   - Nested list items are kept as separate items, in page order; link
//     syntax, emphasis, HTML, kramdown attributes, Hugo shortcodes and ERB
//     tags are removed from item text, keeping the words.
//   - Text under headings inside a role that name no section (the "Technical"
//     and "Execution" expectations of a level) becomes part of the role's
//     summary, as light Markdown: one line per paragraph, "- " per item.
//   - Grades come from Job Grade sections, then grade sentences, then tables
//     of roles and grades; a grade outside hiring.ValidGrade is kept and
//     reported. A role named only in a table is added with its grade.
//   - A role that appears twice on a page is merged into its first
//     appearance.
//   - The department is the front matter's "department" ("Engineering >
//     Infrastructure"), else the folders between "job-families" and the
//     family's folder; a page with neither has none.
//   - Bytes that are not UTF-8 are replaced and reported; a file that is
//     mostly not UTF-8, or has NUL bytes, is binary.
//
// Render writes a family as a page that Parse reads back to the same
// catalog; ExportPath says where `families export` puts it.
package handbook
