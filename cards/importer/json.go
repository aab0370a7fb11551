package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonDoc is one JSON input being read. The whole input is checked for
// syntax first; then the readers walk it in place, slicing out only the
// values they use (no copy of the document, no tree of it in memory).
// Values are passed as raw sub-slices of data with their byte offset,
// turned into line:column only when an error is reported.
type jsonDoc struct {
	file  string
	data  []byte
	names map[string]string // member names seen, so each is allocated once
	adfw  adfWriter         // reused for every ADF document
}

// maxInterned bounds the member names kept by name, so hostile input with
// millions of distinct names cannot grow the table without end.
const maxInterned = 4096

// name returns the member name raw (a JSON string without escapes) as a
// string, allocating each distinct name only once.
func (d *jsonDoc) name(raw []byte) string {
	if s, ok := d.names[string(raw)]; ok { // no allocation for the lookup
		return s
	}
	s := string(raw)
	if d.names == nil {
		d.names = map[string]string{}
	}
	if len(d.names) < maxInterned {
		d.names[s] = s
	}
	return s
}

// errAt returns a ParseError at byte offset off.
func (d *jsonDoc) errAt(off int64, field, msg string) *ParseError {
	line, col := position(d.data, off)
	return &ParseError{File: d.file, Line: line, Column: col, Field: field, Msg: msg}
}

// wrap turns an error from encoding/json, decoding the value at byte
// offset base of the input, into a ParseError.
func (d *jsonDoc) wrap(err error, base int64, field string) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		pe  *ParseError
	)
	switch {
	case errors.As(err, &pe):
		return err
	case errors.As(err, &syn):
		// Offset counts the bytes read, the offending one included.
		e := d.errAt(max(base+syn.Offset-1, 0), field, "invalid JSON: "+syn.Error())
		e.Err = err
		return e
	case errors.As(err, &typ):
		// Offset is the end of the offending value; a value decoded on
		// its own starts at base.
		off := base
		if typ.Field != "" {
			field = joinPath(field, typ.Field)
			off = d.literalStart(base + typ.Offset)
		}
		e := d.errAt(off, field, fmt.Sprintf("expected %s, got JSON %s", goTypeName(typ.Type.String()), typ.Value))
		e.Err = err
		return e
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		e := d.errAt(int64(len(d.data)), field, "invalid JSON: the input ends before the value is complete")
		e.Err = err
		return e
	}
	e := d.errAt(base, field, err.Error())
	e.Err = err
	return e
}

// goTypeName describes a Go type in JSON words for error messages.
func goTypeName(t string) string {
	switch {
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "float"), t == "json.Number":
		return "a number"
	case t == "bool":
		return "true or false"
	}
	return "an object"
}

// underPath puts the field of a *ParseError under path; the paths of
// members are built only when an error needs them.
func underPath(err error, path string) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.Field = joinPath(path, pe.Field)
	}
	return err
}

// joinPath joins a JSON path and a member name or index.
func joinPath(base, field string) string {
	switch {
	case base == "":
		return field
	case field == "":
		return base
	case strings.HasPrefix(field, "["):
		return base + field
	}
	return base + "." + field
}

// literalStart returns where the JSON literal (string, number, true,
// false, null) that ends at byte offset end begins; for other values it
// returns end.
func (d *jsonDoc) literalStart(end int64) int64 {
	if end <= 0 || end > int64(len(d.data)) {
		return end
	}
	i := end - 1
	if d.data[i] == '"' {
		for i--; i >= 0; i-- {
			if d.data[i] == '"' && (i == 0 || d.data[i-1] != '\\') {
				return i
			}
		}
		return end
	}
	for i >= 0 && strings.IndexByte("0123456789+-.eEtruefalsn", d.data[i]) >= 0 {
		i--
	}
	return i + 1
}

// valueStart skips white space, commas and colons from byte offset off
// to the next value.
func (d *jsonDoc) valueStart(off int64) int64 {
	for off < int64(len(d.data)) {
		switch d.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// decode decodes raw, the value at byte offset off, into dst; errors name
// path and the position in the whole document.
func (d *jsonDoc) decode(raw []byte, off int64, path string, dst any) error {
	if err := json.Unmarshal(raw, dst); err != nil {
		return d.wrap(err, off, path)
	}
	return nil
}

// str decodes a JSON string, without allocating more than the result for
// the common case of a string with no escapes.
func (d *jsonDoc) str(raw []byte, off int64, path string) (string, error) {
	if s, ok := plainString(raw); ok {
		return string(s), nil
	}
	var s string
	err := d.decode(raw, off, path, &s)
	return s, err
}

// plainString returns the inside of a JSON string literal that has no
// escapes.
func plainString(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, false
	}
	for _, c := range raw[1 : len(raw)-1] {
		if c == '\\' || c == '"' || c < 0x20 {
			return nil, false
		}
	}
	return raw[1 : len(raw)-1], true
}

// skip returns the length of the JSON value at the start of raw, which
// must be valid JSON (the document was checked before walking it).
func skip(raw []byte) int {
	if len(raw) == 0 {
		return 0
	}
	switch raw[0] {
	case '"':
		return skipString(raw)
	case '{', '[':
		depth := 0
		for i := 0; i < len(raw); i++ {
			// Jump over the bytes that cannot open or close anything.
			for i < len(raw) && !structural[raw[i]] {
				i++
			}
			if i == len(raw) {
				break
			}
			switch raw[i] {
			case '"':
				i += skipString(raw[i:]) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(raw)
	}
	i := 0
	for i < len(raw) && !endOfLiteral[raw[i]] {
		i++
	}
	return i
}

// skipString returns the length of the string literal at the start of raw.
func skipString(raw []byte) int {
	for i := 1; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '"')
		if j < 0 {
			return len(raw)
		}
		i += j
		// The quote ends the string unless an odd number of backslashes
		// precede it.
		n := 0
		for k := i - 1; k > 0 && raw[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return i + 1
		}
		i++
	}
	return len(raw)
}

// structural marks the bytes skip must look at inside a container;
// endOfLiteral the bytes that end a number or literal.
var structural, endOfLiteral [256]bool

func init() {
	for _, b := range []byte(`"{}[]`) {
		structural[b] = true
	}
	for _, b := range []byte(",}] \t\r\n") {
		endOfLiteral[b] = true
	}
}

// spaceLen returns the number of JSON white-space bytes at the start of b.
func spaceLen(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// eachMember calls fn with the name, raw value and byte offset of each
// member of the object raw, found at byte offset off.
func (d *jsonDoc) eachMember(raw []byte, off int64, path string, fn func(name string, v []byte, voff int64) error) error {
	return d.eachItem(raw, off, path, '{', func(_ int, name string, v []byte, voff int64) error {
		return fn(name, v, voff)
	})
}

// eachElement calls fn with the index, raw value and byte offset of each
// element of the array raw, found at byte offset off.
func (d *jsonDoc) eachElement(raw []byte, off int64, path string, fn func(i int, v []byte, voff int64) error) error {
	return d.eachItem(raw, off, path, '[', func(i int, _ string, v []byte, voff int64) error {
		return fn(i, v, voff)
	})
}

// eachItem walks the members of an object (open '{') or the elements of
// an array (open '[') in place.
func (d *jsonDoc) eachItem(raw []byte, off int64, path string, open byte, fn func(i int, name string, v []byte, voff int64) error) error {
	raw, off = trimValue(raw, off)
	if len(raw) == 0 || raw[0] != open {
		want := "an array"
		if open == '{' {
			want = "an object"
		}
		return d.errAt(off, path, "expected "+want+", got "+kindOf(raw))
	}
	for i, k := 1, 0; ; k++ {
		// Skip white space and the comma before the item.
		for i < len(raw) && (raw[i] == ',' || spaceLen(raw[i:i+1]) == 1) {
			i++
		}
		if i >= len(raw) || raw[i] == '}' || raw[i] == ']' {
			return nil
		}
		var name string
		if open == '{' {
			n := skip(raw[i:])
			if _, plain := plainString(raw[i : i+n]); plain {
				name = d.name(raw[i+1 : i+n-1])
			} else {
				var err error
				if name, err = d.str(raw[i:i+n], off+int64(i), path); err != nil {
					return err
				}
			}
			i += n
			i += spaceLen(raw[i:]) + 1 // the colon
			i += spaceLen(raw[i:])
		}
		n := skip(raw[i:])
		if err := fn(k, name, raw[i:i+n], off+int64(i)); err != nil {
			return err
		}
		i += n
	}
}

// trimValue drops white space before a value, moving its offset along.
func trimValue(raw []byte, off int64) ([]byte, int64) {
	n := spaceLen(raw)
	return raw[n:], off + int64(n)
}

// kindOf names the JSON kind of a raw value.
func kindOf(raw []byte) string {
	switch firstByte(raw) {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "true/false"
	case 'n':
		return "null"
	}
	return "a number"
}

// checkSyntax reports the first JSON syntax error in data, if any, with
// its line and column.
func (d *jsonDoc) checkSyntax() error {
	if off, msg, ok := checkJSON(d.data); !ok {
		return d.errAt(int64(off), "", "invalid JSON: "+msg)
	}
	return nil
}

// readJSON reads a JSON document of any supported shape.
func readJSON(file string, data []byte) ([]record, Format, error) {
	d := &jsonDoc{file: file, data: data}
	if err := d.checkSyntax(); err != nil {
		return nil, "", err
	}
	raw, off := trimValue(data, 0)
	raw = raw[:skip(raw)]
	if firstByte(raw) == '[' {
		return d.readArray(raw, off, "")
	}
	return d.readObject(raw, off)
}

// readArray reads an array of issues: GitHub issues (REST or gh --json)
// or, when the first element has "fields", Jira issues.
func (d *jsonDoc) readArray(raw []byte, off int64, path string) ([]record, Format, error) {
	var (
		format Format
		jira   *jiraReader
		recs   []record
	)
	err := d.eachElement(raw, off, path, func(i int, v []byte, voff int64) error {
		p := fmt.Sprintf("%s[%d]", path, i)
		if format == "" {
			switch d.arrayKind(v, voff) {
			case JiraJSON:
				format, jira = JiraJSON, newJiraReader(d)
			case GitHubJSON:
				format = GitHubJSON
			default:
				return fileError(d.file, ErrUnrecognised, fmt.Sprintf("%s is not an issue: it has neither \"number\" (GitHub) nor \"fields\" (Jira)", p))
			}
		}
		if jira != nil {
			return jira.issue(v, voff, p)
		}
		rec, err := d.githubIssue(v, voff, p)
		recs = append(recs, rec)
		return err
	})
	if format == "" {
		format = GitHubJSON
	}
	if jira != nil {
		return jira.records(), format, err
	}
	return recs, format, err
}

// arrayKind tells from the first element of an array whether it holds
// Jira issues (with "fields") or GitHub issues (with "number"); "" when
// it is neither.
func (d *jsonDoc) arrayKind(raw []byte, off int64) Format {
	var kind Format
	if kindOf(raw) != "an object" {
		return ""
	}
	_ = d.eachMember(raw, off, "", func(name string, _ []byte, _ int64) error {
		switch {
		case name == "number":
			kind = GitHubJSON
		case name == "fields" && kind == "":
			kind = JiraJSON
		}
		return nil
	})
	return kind
}

// readObject reads a top-level object: a Jira search response or issue,
// a GitHub search response, GraphQL response or single issue.
func (d *jsonDoc) readObject(raw []byte, off int64) ([]record, Format, error) {
	jira := newJiraReader(d)
	type span struct {
		raw []byte
		off int64
	}
	top := map[string]span{}
	// The names map may follow the issues, so read it first.
	err := d.eachMember(raw, off, "", func(name string, v []byte, voff int64) error {
		top[name] = span{v, voff}
		if name == "names" {
			return jira.readNames(v, voff)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	has := func(name string) bool { _, ok := top[name]; return ok }
	switch {
	case has("issues"):
		s := top["issues"]
		err := d.eachElement(s.raw, s.off, "issues", func(i int, v []byte, voff int64) error {
			return jira.issue(v, voff, fmt.Sprintf("issues[%d]", i))
		})
		return jira.records(), JiraJSON, err
	case has("items"):
		s := top["items"]
		recs, _, err := d.readArray(s.raw, s.off, "items")
		return recs, GitHubJSON, err
	case has("data"):
		s := top["data"]
		recs, err := d.graphQL(s.raw, s.off)
		return recs, GitHubJSON, err
	case has("fields"):
		if err := jira.issue(raw, off, ""); err != nil {
			return nil, JiraJSON, err
		}
		return jira.records(), JiraJSON, nil
	case has("number"):
		rec, err := d.githubIssue(raw, off, "")
		return []record{rec}, GitHubJSON, err
	case has("errorMessages"):
		var msgs []string
		_ = json.Unmarshal(top["errorMessages"].raw, &msgs)
		return nil, JiraJSON, fileError(d.file, ErrUnrecognised, "it is a Jira error response: "+strings.Join(msgs, "; "))
	case has("message") && has("documentation_url"):
		var msg string
		_ = json.Unmarshal(top["message"].raw, &msg)
		return nil, GitHubJSON, fileError(d.file, ErrUnrecognised, "it is a GitHub error response: "+msg)
	}
	return nil, "", fileError(d.file, ErrUnrecognised, "the JSON object has none of issues, fields, items, number or data")
}
