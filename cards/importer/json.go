package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonDoc is one JSON input being read. Positions are byte offsets into
// data, turned into line:column only when an error is reported.
type jsonDoc struct {
	file string
	data []byte
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
		e := d.errAt(base+syn.Offset, field, "invalid JSON: "+syn.Error())
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

// valueStart skips the white space, commas and colons between a JSON
// decoder's position and the next value.
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

// newDecoder returns a decoder over raw that keeps numbers as
// json.Number, so no precision is lost.
func (d *jsonDoc) newDecoder(raw []byte) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec
}

// decode decodes raw, the value at byte offset off, into dst; errors name
// path and the position in the whole document.
func (d *jsonDoc) decode(raw []byte, off int64, path string, dst any) error {
	if err := d.newDecoder(raw).Decode(dst); err != nil {
		return d.wrap(err, off, path)
	}
	return nil
}

// members reads one object from dec, calling fn with each member's name
// and the byte offset of its value; fn must consume the value from dec.
// base is the offset of dec's input within the whole document.
func (d *jsonDoc) members(dec *json.Decoder, base int64, path string, fn func(name string, off int64) error) error {
	if err := d.expectDelim(dec, base, path, '{', "an object"); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return d.wrap(err, base, path)
		}
		name, _ := tok.(string)
		if err := fn(name, d.valueStart(base+dec.InputOffset())); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return d.wrap(err, base, path)
	}
	return nil
}

// eachMember calls fn for each member of the object raw (at byte offset
// off) with the member's value and the value's offset. With precise false
// it decodes the object in one pass and gives every member the object's
// offset; with precise true it walks the tokens to find each member.
func (d *jsonDoc) eachMember(raw []byte, off int64, path string, precise bool, fn func(name string, v json.RawMessage, voff int64) error) error {
	if !precise {
		if kindOf(raw) != "an object" {
			return d.errAt(off, path, "expected an object, got "+kindOf(raw))
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return d.wrap(err, off, path)
		}
		for name, v := range m {
			if err := fn(name, v, off); err != nil {
				return err
			}
		}
		return nil
	}
	dec := d.newDecoder(raw)
	return d.members(dec, off, path, func(name string, voff int64) error {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return d.wrap(err, off, joinPath(path, name))
		}
		return fn(name, v, voff)
	})
}

// elements reads one array from dec, calling fn with each element's index
// and byte offset; fn must consume the element from dec.
func (d *jsonDoc) elements(dec *json.Decoder, base int64, path string, fn func(i int, off int64) error) error {
	if err := d.expectDelim(dec, base, path, '[', "an array"); err != nil {
		return err
	}
	for i := 0; dec.More(); i++ {
		if err := fn(i, d.valueStart(base+dec.InputOffset())); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return d.wrap(err, base, path)
	}
	return nil
}

func (d *jsonDoc) expectDelim(dec *json.Decoder, base int64, path string, want json.Delim, what string) error {
	off := d.valueStart(base + dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		return d.wrap(err, base, path)
	}
	if tok != want {
		return d.errAt(off, path, fmt.Sprintf("expected %s, got %s", what, tokenKind(tok)))
	}
	return nil
}

// tokenKind names a JSON token for error messages.
func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		if t == '[' {
			return "an array"
		}
		return "'" + t.String() + "'"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "true/false"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
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

// readJSON reads a JSON document of any supported shape.
func readJSON(file string, data []byte) ([]record, Format, error) {
	d := &jsonDoc{file: file, data: data}
	dec := d.newDecoder(data)
	var (
		recs   []record
		format Format
		err    error
	)
	if firstByte(data) == '[' {
		recs, format, err = d.readArray(dec, 0, "")
	} else {
		recs, format, err = d.readObject(dec)
	}
	if err != nil {
		return nil, format, err
	}
	if _, err := dec.Token(); err != io.EOF {
		off := d.valueStart(dec.InputOffset())
		return nil, format, d.errAt(off, "", "unexpected data after the end of the JSON document")
	}
	return recs, format, nil
}

// readArray reads a bare array of issues: GitHub issues (REST or gh
// --json) unless the first element looks like a Jira issue.
func (d *jsonDoc) readArray(dec *json.Decoder, base int64, path string) ([]record, Format, error) {
	var (
		format Format
		jira   *jiraReader
		recs   []record
	)
	err := d.elements(dec, base, path, func(i int, off int64) error {
		var raw json.RawMessage
		p := fmt.Sprintf("%s[%d]", path, i)
		if err := dec.Decode(&raw); err != nil {
			return d.wrap(err, base, p)
		}
		if format == "" {
			switch arrayKind(raw) {
			case JiraJSON:
				format, jira = JiraJSON, newJiraReader(d)
			case GitHubJSON:
				format = GitHubJSON
			default:
				return fileError(d.file, ErrUnrecognised, fmt.Sprintf("%s is not an issue: it has neither \"number\" (GitHub) nor \"fields\" (Jira)", p))
			}
		}
		if jira != nil {
			return jira.issue(raw, off, p)
		}
		rec, err := d.githubIssue(raw, off, p)
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

// arrayKind tells from the first element of a bare array whether it holds
// Jira issues (with "fields") or GitHub issues (with "number"); "" when
// it is neither.
func arrayKind(raw []byte) Format {
	var probe struct {
		Fields json.RawMessage `json:"fields"`
		Number json.RawMessage `json:"number"`
	}
	if kindOf(raw) != "an object" || json.Unmarshal(raw, &probe) != nil {
		return ""
	}
	switch {
	case probe.Number != nil:
		return GitHubJSON
	case probe.Fields != nil:
		return JiraJSON
	}
	return ""
}

// readObject reads a top-level object: a Jira search response or issue,
// a GitHub search response, GraphQL response or single issue.
func (d *jsonDoc) readObject(dec *json.Decoder) ([]record, Format, error) {
	jira := newJiraReader(d)
	var (
		sawIssues bool
		gh        []record
		sawItems  bool
		graphql   json.RawMessage
		graphqlAt int64
		top       = map[string]json.RawMessage{}
	)
	err := d.members(dec, 0, "", func(name string, off int64) error {
		switch name {
		case "issues":
			sawIssues = true
			return d.elements(dec, 0, "issues", func(i int, off int64) error {
				var raw json.RawMessage
				p := fmt.Sprintf("issues[%d]", i)
				if err := dec.Decode(&raw); err != nil {
					return d.wrap(err, 0, p)
				}
				return jira.issue(raw, off, p)
			})
		case "items":
			sawItems = true
			recs, _, err := d.readArray(dec, 0, "items")
			gh = recs
			return err
		case "names":
			return jira.readNames(dec, off)
		case "data":
			graphqlAt = off
			if err := dec.Decode(&graphql); err != nil {
				return d.wrap(err, 0, "data")
			}
			return nil
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return d.wrap(err, 0, name)
		}
		top[name] = raw
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	whole := d.data[:dec.InputOffset()] // the object without what may follow it
	switch {
	case sawIssues:
		return jira.records(), JiraJSON, nil
	case sawItems:
		return gh, GitHubJSON, nil
	case graphql != nil:
		recs, err := d.graphQL(graphql, graphqlAt)
		return recs, GitHubJSON, err
	case top["fields"] != nil:
		if err := jira.issue(whole, d.valueStart(0), ""); err != nil {
			return nil, JiraJSON, err
		}
		return jira.records(), JiraJSON, nil
	case top["number"] != nil:
		rec, err := d.githubIssue(whole, d.valueStart(0), "")
		return []record{rec}, GitHubJSON, err
	case top["errorMessages"] != nil:
		var msgs []string
		_ = json.Unmarshal(top["errorMessages"], &msgs)
		return nil, JiraJSON, fileError(d.file, ErrUnrecognised, "it is a Jira error response: "+strings.Join(msgs, "; "))
	case top["message"] != nil && top["documentation_url"] != nil:
		var msg string
		_ = json.Unmarshal(top["message"], &msg)
		return nil, GitHubJSON, fileError(d.file, ErrUnrecognised, "it is a GitHub error response: "+msg)
	}
	return nil, "", fileError(d.file, ErrUnrecognised, "the JSON object has none of issues, fields, items, number or data")
}
