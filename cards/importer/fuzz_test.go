package importer

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cardwall/cardwall/cards"
)

// addSeeds adds the small testdata inputs matching glob, and extra seeds,
// to a fuzz corpus.
func addSeeds(f *testing.F, glob string, extra ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", glob))
	for _, p := range files {
		if st, err := os.Stat(p); err != nil || st.IsDir() || strings.HasSuffix(p, ".golden") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkResult asserts what every importer promises: a *ParseError naming
// the file, or issues with non-empty unique keys and clean UTF-8 text.
func checkResult(t *testing.T, is []cards.Issue, err error) {
	t.Helper()
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %T is not a *ParseError: %v", err, err)
		}
		if pe.File != "fuzz" || !strings.HasPrefix(err.Error(), "fuzz") {
			t.Fatalf("error does not name the file: %v", err)
		}
		return
	}
	seen := map[string]bool{}
	for i, x := range is {
		if x.Key == "" {
			t.Fatalf("issue %d has an empty key", i)
		}
		if seen[x.Key] {
			t.Fatalf("duplicate key %q accepted", x.Key)
		}
		seen[x.Key] = true
		texts := []string{x.Key, x.Summary, x.Description, x.Type, x.Status, x.Priority, x.Assignee, x.Reporter, x.ParentKey, x.ParentName, x.Sprint, x.URL}
		texts = append(texts, x.Labels...)
		texts = append(texts, x.Components...)
		for k, v := range x.Fields {
			texts = append(texts, k, v)
		}
		for _, s := range texts {
			if !utf8.ValidString(s) {
				t.Fatalf("issue %q has invalid UTF-8 %q", x.Key, s)
			}
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }) {
				t.Fatalf("issue %q keeps a control character in %q", x.Key, s)
			}
		}
	}
}

// fuzzParser returns a fuzz function that runs one format parser and the
// rules common to all formats on the input.
func fuzzParser(parse func(file string, data []byte) ([]record, Format, error)) func(*testing.T, []byte) {
	return func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			return // Read refuses it before any parser runs
		}
		recs, _, err := parse("fuzz", data)
		var is []cards.Issue
		if err == nil {
			is, err = finish("fuzz", data, recs)
		}
		checkResult(t, is, err)
	}
}

func FuzzRead(f *testing.F) {
	addSeeds(f, "*",
		"", "\xEF\xBB\xBF", "key\n", "key,summary\nA-1,x\nA-1,y\n", "[]", "{}", "{\"issues\":[{}]}",
		"\xff\xfe\x00", "key;summary\n\"a\";\"b\"\"c\"\n", `{"data":{"repository":{"issues":{"nodes":[{"number":1}]}}}}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		is, _, err := Read("fuzz", data)
		checkResult(t, is, err)
	})
}

func FuzzJiraJSON(f *testing.F) {
	addSeeds(f, "jira_*.json",
		`{"key":"A-1","fields":{"customfield_1":["com.atlassian.greenhopper.service.sprint.Sprint@1[id=1,state=ACTIVE,name=S]"]}}`,
		`{"names":{"customfield_2":"Story Points"},"issues":[{"key":"A-1","fields":{"customfield_2":"1,5","parent":{"key":"A-0"}}}]}`)
	f.Fuzz(fuzzParser(readJSON))
}

func FuzzGitHubJSON(f *testing.F) {
	addSeeds(f, "g*.json",
		`{"number":3,"title":"t","labels":{"nodes":[{"name":"x"}]},"comments":{"totalCount":2}}`,
		`{"data":{"repository":{"issue":{"number":1,"url":"https://github.com/o/r/issues/1"}}}}`)
	f.Fuzz(fuzzParser(readJSON))
}

func FuzzCSV(f *testing.F) {
	addSeeds(f, "*.csv")
	addSeeds(f, "*.tsv", "Issue key,Sprint,Sprint,Parent id,Issue id\nA-1,S1,S2,7,7\n", "key\tpoints\tdue\nA\t1e400\t31/Feb/16\n")
	f.Fuzz(fuzzParser(readCSV))
}

func FuzzADF(f *testing.F) {
	f.Add([]byte(`{"type":"doc","content":[{"type":"bulletList","content":[{"type":"listItem","content":[{"type":"orderedList","attrs":{"order":-5},"content":[{"type":"listItem"}]}]}]}]}`))
	f.Add([]byte(`{"type":"doc","content":[{"type":"table","content":[{"type":"tableRow","content":[{"type":"tableCell","content":[{"type":"codeBlock","content":[{"type":"text","text":"a\nb"}]}]}]}]},{"type":"date","attrs":{"timestamp":"99999999999999999999"}}]}`))
	if p := filepath.Join(datasets, "issues/jira/jira-cli/adf-md.json"); fileExists(p) {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &jsonDoc{file: "fuzz", data: data}
		if d.checkSyntax() != nil {
			return
		}
		doc, err := d.adf(data, 0, "")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			return
		}
		text := adfText(&doc)
		if utf8.Valid(data) && !utf8.ValidString(text) {
			t.Fatalf("valid input gave invalid UTF-8 %q", text)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"10/Oct/16 11:54 AM", "06/août/15", "2016-10-10", "1/x./99", "//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := parseDate(s); ok && d.IsZero() && !strings.HasPrefix(s, "0001") {
			t.Fatalf("parseDate(%q) gave the zero time", s)
		}
	})
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// FuzzCheckJSON checks the syntax checker against encoding/json.
func FuzzCheckJSON(f *testing.F) {
	addSeeds(f, "*.json", `{"a":[1,-0.5e+3,true,null,"\u00e9\n"]}`, `[01]`, `{"a" 1}`, `"\x01"`, `[1,]`, `{}{}`, `-`, `1.`, `"\u12"`)
	f.Fuzz(func(t *testing.T, data []byte) {
		off, msg, ok := checkJSON(data)
		if ok != json.Valid(data) {
			t.Fatalf("checkJSON ok=%v (%d: %s), json.Valid=%v", ok, off, msg, !ok)
		}
		if !ok && (off < 0 || off > len(data) || msg == "") {
			t.Fatalf("bad error report %d %q for %d bytes", off, msg, len(data))
		}
	})
}
