// Package importer turns issue-tracker exports into cards.Issue values.
//
// Read detects the format from the content (never from the file name):
//
//   - Jira REST responses, API v2 and v3: a search response
//     ({"issues":[...]}, also the agile board/sprint/epic issue lists), a
//     single issue, or an array of issues. The "names" map of expand=names
//     gives custom fields their display names. Atlassian Document Format
//     (v3 rich text) becomes plain text.
//   - Jira's CSV export, in English or French, with its repeated columns
//     (Labels, Sprint, Component/s, Comment, ...).
//   - GitHub issues JSON: the REST list (or search) response, the output of
//     gh issue list --json, or a GraphQL response with issue nodes.
//   - Plain CSV with a header row (key,summary,...), comma, semicolon or tab
//     separated.
//
// Every issue must have a key and keys must be unique. Text is cleaned
// (\r\n becomes \n; other control characters except tab are removed) but
// never truncated. Input that is not UTF-8 is refused with the position of
// the first bad byte rather than repaired, so nothing is replaced silently.
// Values an importer cannot interpret (a due date or story-point estimate
// it cannot parse) are kept as text in Issue.Fields, never dropped.
//
// Mapping notes. Jira: story points come from the field named "Story
// Points" or "Story point estimate" in the names map, else from the
// numeric customfield_10016/10026/10105/10002; the parent is the Epic Link
// field, else the agile epic, else "parent"; the sprint is the active one,
// else the last listed; an epic's own Epic Name is Fields["Epic Name"];
// other fields go to Fields under their display name (or id when the
// response has no names map). Jira CSV: repeated columns are collected
// (Labels, Component/s) or joined on new lines in Fields (Comment, ...);
// with several Sprint columns Sprint is the last and Fields["Sprints"]
// lists all; "Parent id" is resolved to a key through the "Issue id"
// column. GitHub: the key is owner/repo#N when the repository can be told
// from a URL, else #N; Type is "Issue" or "Pull request"; the milestone is
// Fields["Milestone"]. When a parent is in the same export and has no name
// yet, its Epic Name (else summary) becomes the child's ParentName.
package importer

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/cardwall/cardwall/cards"
)

// Format names a recognised input format.
type Format string

// The recognised formats.
const (
	JiraJSON   Format = "jira-json"   // Jira REST search response or issue, API v2 or v3
	JiraCSV    Format = "jira-csv"    // Jira's own CSV export
	GitHubJSON Format = "github-json" // GitHub REST, gh --json or GraphQL issues
	PlainCSV   Format = "csv"         // CSV with a header row such as key,summary,status
)

// MaxFileSize is the largest file ReadFile accepts, in bytes.
var MaxFileSize int64 = 64 << 20

// ReadFile reads the file at path and parses it with Read. Files larger
// than MaxFileSize are refused with ErrTooLarge. Errors opening or reading
// the file are the os package's errors (*fs.PathError, possibly wrapped).
func ReadFile(path string) ([]cards.Issue, Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxFileSize {
		return nil, "", tooLarge(path, st.Size())
	}
	// The size may grow or be unknown (a pipe): read one byte past the limit.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, "", fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > MaxFileSize {
		return nil, "", tooLarge(path, int64(len(data)))
	}
	return Read(path, data)
}

func tooLarge(path string, size int64) error {
	return fileError(path, ErrTooLarge, fmt.Sprintf("%s is more than the %s limit", mib(size), mib(MaxFileSize)))
}

func mib(n int64) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// Read detects the format of data and parses it. name is used in error
// messages (normally the file name). Errors are *ParseError values that
// name the line, column and field at fault.
func Read(name string, data []byte) ([]cards.Issue, Format, error) {
	if isUTF16(data) {
		return nil, "", &ParseError{File: name, Line: 1, Column: 1, Err: ErrInvalidUTF8,
			Msg: "the file is UTF-16 text; save or export it as UTF-8"}
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "", fileError(name, ErrEmpty, "")
	}
	if looksBinary(data) {
		return nil, "", fileError(name, ErrUnrecognised, "it looks like binary data")
	}
	if err := checkUTF8(name, data); err != nil {
		return nil, "", err
	}
	var (
		recs   []record
		format Format
		err    error
	)
	switch firstByte(data) {
	case '{', '[':
		recs, format, err = readJSON(name, data)
	default:
		recs, format, err = readCSV(name, data)
	}
	if err != nil {
		return nil, format, err
	}
	issues, err := finish(name, data, recs)
	return issues, format, err
}

// firstByte returns the first byte of data that is not white space.
func firstByte(data []byte) byte {
	t := bytes.TrimLeft(data, " \t\r\n")
	if len(t) == 0 {
		return 0
	}
	return t[0]
}

// record is one parsed issue and where it came from.
type record struct {
	issue cards.Issue
	at    where
}

// where locates a record in the input for error messages. JSON records
// carry a byte offset, turned into a line and column only when an error
// is reported (computing it for every record would be quadratic).
type where struct {
	line, col int
	off       int64  // byte offset of a JSON record, or -1 when line is known
	path      string // JSON path of the record ("issues[3]") or "" for CSV
	keyField  string // the field holding the key: "issues[3].key", `column 3 "Issue key"`
}

// jsonWhere locates the JSON record at byte offset off.
func jsonWhere(off int64, path, keyField string) where {
	return where{off: off, path: path, keyField: keyField}
}

// resolve fills line and col from the byte offset.
func (w where) resolve(data []byte) where {
	if w.off >= 0 && w.line == 0 {
		w.line, w.col = position(data, w.off)
	}
	return w
}

func (w where) String() string {
	if w.path != "" {
		return fmt.Sprintf("%s (line %d)", w.path, w.line)
	}
	return fmt.Sprintf("line %d", w.line)
}

// finish applies the rules common to every format: each issue has a key,
// keys are unique, text is clean, and a parent found in the same export
// lends its name to its children.
func finish(file string, data []byte, recs []record) ([]cards.Issue, error) {
	seen := make(map[string]int, len(recs))
	issues := make([]cards.Issue, len(recs))
	for i := range recs {
		r := &recs[i]
		clean(&r.issue)
		if r.issue.Key == "" {
			at := r.at.resolve(data)
			return nil, &ParseError{File: file, Line: at.line, Column: at.col, Field: at.keyField,
				Msg: fmt.Sprintf("record %d has no issue key", i+1)}
		}
		if prev, dup := seen[r.issue.Key]; dup {
			at := r.at.resolve(data)
			return nil, &ParseError{File: file, Line: at.line, Column: at.col, Field: at.keyField,
				Msg: fmt.Sprintf("duplicate issue key %q: already used by %s", r.issue.Key, recs[prev].at.resolve(data))}
		}
		seen[r.issue.Key] = i
		issues[i] = r.issue
	}
	nameParents(issues)
	return issues, nil
}

// clean applies cleanText to every text of an issue.
func clean(is *cards.Issue) {
	for _, p := range []*string{&is.Key, &is.Summary, &is.Description, &is.Type, &is.Status,
		&is.Priority, &is.Assignee, &is.Reporter, &is.ParentKey, &is.ParentName, &is.Sprint, &is.URL} {
		*p = cleanText(*p)
	}
	is.Labels = cleanList(is.Labels)
	is.Components = cleanList(is.Components)
	if len(is.Fields) == 0 {
		is.Fields = nil
		return
	}
	fields := make(map[string]string, len(is.Fields))
	for k, v := range is.Fields {
		k, v = cleanText(k), cleanText(v)
		if k != "" && v != "" {
			fields[k] = v
		}
	}
	is.Fields = fields
	if len(fields) == 0 {
		is.Fields = nil
	}
}

// epicNameField is the Fields name under which an epic carries its own
// short name (Jira's "Epic Name").
const epicNameField = "Epic Name"

// nameParents fills ParentName for issues whose parent is in the same
// export and has no name yet: the parent's epic name, else its summary.
func nameParents(issues []cards.Issue) {
	byKey := make(map[string]int, len(issues))
	for i := range issues {
		byKey[issues[i].Key] = i
	}
	for i := range issues {
		is := &issues[i]
		if is.ParentKey == "" || is.ParentName != "" {
			continue
		}
		j, ok := byKey[is.ParentKey]
		if !ok {
			continue
		}
		if n := issues[j].Fields[epicNameField]; n != "" {
			is.ParentName = n
		} else {
			is.ParentName = issues[j].Summary
		}
	}
}
