package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
)

// MaxSize is the largest template file Parse accepts.
const MaxSize = 1 << 20

// ParseError is a template that is not valid JSON for the format. It
// names the file, the line and column, and the JSON path of the problem.
type ParseError struct {
	File         string // file name or "template"
	Line, Column int    // 1-based position of the bad token, 0 if unknown
	Path         string // JSON path, e.g. "fields[2].fontSize"
	Msg          string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse reads a template from JSON. Unknown fields, duplicate fields,
// values of the wrong type, trailing data and unsupported versions are
// errors naming file, line:column and JSON path. Parse does not
// validate geometry; call Validate.
func Parse(file string, data []byte) (*Template, error) {
	if file == "" {
		file = "template"
	}
	if len(data) > MaxSize {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("file is %d bytes; a template is at most %d", len(data), MaxSize)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &ParseError{File: file, Msg: "empty file; a template is a JSON object"}
	}
	c := &checker{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	c.dec.UseNumber()
	if err := c.value(reflect.TypeFor[Template](), ""); err != nil {
		return nil, err
	}
	end := c.tokenStart(c.dec.InputOffset())
	if _, err := c.dec.Token(); err != io.EOF {
		return nil, c.errAt(end, "", "unexpected data after the template object")
	}
	var t Template
	if err := json.Unmarshal(data, &t); err != nil {
		// The checker accepts only what Unmarshal accepts; this is a
		// safety net (e.g. a number too large for an int).
		return nil, &ParseError{File: file, Msg: err.Error()}
	}
	if t.Version != FormatVersion {
		return nil, c.errAt(c.keyOffset("version"), "version", fmt.Sprintf("unsupported template version %d; this cardwall reads version %d", t.Version, FormatVersion))
	}
	return &t, nil
}

// Load reads and parses a template file.
func Load(path string) (*Template, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read template %s: %w", path, err)
	}
	return Parse(path, data)
}

// checker walks the JSON tokens alongside the Go type, so that every
// problem is reported with its position and path.
type checker struct {
	file string
	data []byte
	dec  *json.Decoder
}

func (c *checker) errAt(off int64, path, msg string) *ParseError {
	line, col := lineCol(c.data, off)
	return &ParseError{File: c.file, Line: line, Column: col, Path: path, Msg: msg}
}

// lineCol converts a byte offset to a 1-based line and column (in bytes).
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// tokenStart skips whitespace, commas and colons after off, to point at
// the start of the next token.
func (c *checker) tokenStart(off int64) int64 {
	for off < int64(len(c.data)) && strings.IndexByte(" \t\r\n,:", c.data[off]) >= 0 {
		off++
	}
	return off
}

// keyOffset finds the first occurrence of a top-level key, for messages
// about values that passed the syntax check.
func (c *checker) keyOffset(key string) int64 {
	if i := bytes.Index(c.data, []byte(strconv.Quote(key))); i >= 0 {
		return int64(i)
	}
	return 0
}

func (c *checker) token(path string) (json.Token, int64, error) {
	off := c.tokenStart(c.dec.InputOffset())
	tok, err := c.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, off, c.errAt(se.Offset-1, path, "invalid JSON: "+se.Error())
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, off, c.errAt(int64(len(c.data)), path, "unexpected end of file")
		}
		return nil, off, c.errAt(off, path, "invalid JSON: "+err.Error())
	}
	return tok, off, nil
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// value checks one JSON value against type t.
func (c *checker) value(t reflect.Type, path string) error {
	tok, off, err := c.token(path)
	if err != nil {
		return err
	}
	if t.Kind() == reflect.Pointer {
		if tok == nil {
			return nil
		}
		t = t.Elem()
	}
	want := ""
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			want = "an object"
			break
		}
		return c.object(t, path)
	case reflect.Slice:
		if tok == nil {
			return nil
		}
		if tok != json.Delim('[') {
			want = "an array"
			break
		}
		for i := 0; c.dec.More(); i++ {
			if err := c.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, _, err := c.token(path)
		return err
	case reflect.String:
		if _, ok := tok.(string); !ok {
			want = "a string"
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			want = "true or false"
		}
	case reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			want = "a number"
			break
		}
		if _, err := n.Float64(); err != nil {
			return c.errAt(off, path, fmt.Sprintf("number %s is out of range", n))
		}
	case reflect.Int:
		n, ok := tok.(json.Number)
		if !ok {
			want = "a whole number"
			break
		}
		if _, err := strconv.ParseInt(string(n), 10, 32); err != nil {
			return c.errAt(off, path, fmt.Sprintf("%s is not a whole number in range", n))
		}
	default:
		return c.errAt(off, path, "internal: unsupported type "+t.String())
	}
	if want != "" {
		return c.errAt(off, path, fmt.Sprintf("expected %s, found %s", want, describe(tok)))
	}
	return nil
}

// object checks the members of a JSON object against struct type t.
func (c *checker) object(t reflect.Type, path string) error {
	seen := map[string]bool{}
	for c.dec.More() {
		tok, off, err := c.token(path)
		if err != nil {
			return err
		}
		key := tok.(string) // object keys are always strings
		sub := key
		if path != "" {
			sub = path + "." + key
		}
		f, ok := fieldByTag(t, key)
		if !ok {
			return c.errAt(off, sub, fmt.Sprintf("unknown field %q (known: %s)", key, strings.Join(tags(t), ", ")))
		}
		if seen[key] {
			return c.errAt(off, sub, fmt.Sprintf("field %q given twice", key))
		}
		seen[key] = true
		if err := c.value(f.Type, sub); err != nil {
			return err
		}
	}
	_, _, err := c.token(path)
	return err
}

// fieldByTag finds the struct field whose JSON name is exactly key.
func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if jsonName(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

func tags(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		names = append(names, jsonName(t.Field(i)))
	}
	return names
}
