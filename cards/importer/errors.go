package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors wrapped by a *ParseError, for errors.Is.
var (
	// ErrEmpty reports an input with nothing in it but white space.
	ErrEmpty = errors.New("is empty")
	// ErrUnrecognised reports an input that is none of the supported formats.
	ErrUnrecognised = errors.New("not a recognised issue export (expected Jira JSON, Jira CSV, GitHub JSON or CSV with a header row)")
	// ErrTooLarge reports a file over MaxFileSize.
	ErrTooLarge = errors.New("is too large")
	// ErrInvalidUTF8 reports bytes that are not UTF-8.
	ErrInvalidUTF8 = errors.New("is not valid UTF-8")
)

// ParseError describes bad input: which file, where in it, which field,
// and what is wrong.
type ParseError struct {
	File   string // file name as given to Read
	Line   int    // 1-based line; 0 when the error is about the whole file
	Column int    // 1-based column in characters; 0 when unknown
	// Field names what was being read: a JSON path such as
	// issues[3].fields.summary, or a CSV column such as
	// column 4 "Story Points". Empty when not about one field.
	Field string
	Msg   string // what is wrong
	Err   error  // underlying error, if any (one of the Err* sentinels, a strconv error, ...)
}

// Error formats the error as "file:line:column: field: message".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(":" + strconv.Itoa(e.Column))
		}
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	if e.Msg != "" {
		if e.Line == 0 && e.Field == "" {
			b.WriteString(" ")
		} else {
			b.WriteString(": ")
		}
		b.WriteString(e.Msg)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// fileError is an error about the whole file that wraps a sentinel; its
// message is the sentinel's text plus detail.
func fileError(file string, sentinel error, detail string) *ParseError {
	msg := sentinel.Error()
	if detail != "" {
		msg += ": " + detail
	}
	return &ParseError{File: file, Msg: msg, Err: sentinel}
}

// position converts a byte offset in data to a 1-based line and a 1-based
// column counted in characters.
func position(data []byte, off int64) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, start := 1, 0
	for i, c := range data[:off] {
		if c == '\n' {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

// isUTF16 reports whether data starts with a UTF-16 byte order mark, as
// spreadsheet programs write "Unicode text".
func isUTF16(data []byte) bool {
	return len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF)
}

// checkUTF8 returns an error naming the line and column of the first byte
// that is not UTF-8. Importers refuse such input rather than guess an
// encoding or replace text silently.
func checkUTF8(file string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	off := 0
	for off < len(data) {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	line, col := position(data, int64(off))
	msg := fmt.Sprintf("invalid UTF-8 byte 0x%02X (the file is in another encoding; save or export it as UTF-8)", data[off])
	return &ParseError{File: file, Line: line, Column: col, Msg: msg, Err: ErrInvalidUTF8}
}
