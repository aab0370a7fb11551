package importer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cardwall/cardwall/cards"
)

// TestReadErrors checks that bad input gives an error that names the
// place and the problem.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		is   error    // sentinel the error wraps, if any
		want []string // substrings of the message
		line int      // expected ParseError.Line (0: not checked)
	}{
		{"empty", "", ErrEmpty, []string{"in.txt is empty"}, 0},
		{"blank", " \r\n\t\n", ErrEmpty, []string{"is empty"}, 0},
		{"bom only", "\xEF\xBB\xBF", ErrEmpty, []string{"is empty"}, 0},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ErrUnrecognised, []string{"not a recognised issue export", "binary"}, 0},
		{"prose", "Dear team,\nplease print the cards.\n", ErrUnrecognised, []string{"names no known column"}, 0},
		{"invalid utf8", "key,summary\nA-1,caf\xe9 au lait\n", ErrInvalidUTF8, []string{"in.txt:2:8", "byte 0xE9", "UTF-8"}, 2},
		{"utf16", "\xff\xfek\x00e\x00y\x00", nil, []string{"UTF-16"}, 1},
		{"ragged", "key,summary,status\nA-1,One,Open\nA-2,Two\n", nil, []string{"in.txt:3", "ragged row", "2 fields", "header has 3"}, 3},
		{"ragged long", "key,summary\nA-1,One,extra\n", nil, []string{"in.txt:2", "3 fields"}, 2},
		{"csv bad quote", "key,summary\nA-1,\"unterminated\nA-2,x\n", nil, []string{"invalid CSV"}, 0},
		{"csv bare quote", "key,summary,status\nA-1,say \"hi\",Open\n", nil, []string{"in.txt:2:9", `column 2 "summary"`, "invalid CSV", "bare \""}, 2},
		{"csv no key column", "summary,status\nOne,Open\n", nil, []string{"in.txt:1", "no issue key column", `"summary"`}, 1},
		{"csv empty key", "key,summary\nA-1,One\n ,Two\n", nil, []string{"in.txt:3", `column 1 "key"`, "record 2 has no issue key"}, 3},
		{"csv duplicate", "key,summary\nA-1,One\nA-2,Two\nA-1,Three\n", nil, []string{"in.txt:4", `duplicate issue key "A-1"`, "line 2"}, 4},
		{"jira missing key", `{"issues":[{"key":"A-1","fields":{}},` + "\n" + `{"fields":{"summary":"x"}}]}`, nil, []string{"in.txt:2:1", "issues[1].key", "record 2 has no issue key"}, 2},
		{"jira duplicate", `{"issues":[{"key":"A-1","fields":{}},{"key":"A-1","fields":{}}]}`, nil, []string{`duplicate issue key "A-1"`, "issues[0] (line 1)", "issues[1].key"}, 1},
		{"jira summary type", "{\"issues\":[\n {\"key\":\"A-1\",\"fields\":{\"summary\":\"ok\"}},\n {\"key\":\"A-2\",\"fields\":{\n  \"summary\": 42}}]}", nil, []string{"in.txt:4:14", "issues[1].fields.summary", "expected a string", "number"}, 4},
		{"jira labels type", `{"key":"A-1","fields":{"labels":"one"}}`, nil, []string{"fields.labels", "expected an array"}, 1},
		{"jira status type", `{"key":"A-1","fields":{"status":7}}`, nil, []string{"fields.status", "expected an object with a name, got a number"}, 1},
		{"jira description type", `{"key":"A-1","fields":{"description":[1]}}`, nil, []string{"fields.description", "Atlassian Document Format"}, 1},
		{"truncated json", "{\"issues\":[{\"key\":\"A-1\",\n\"fields\":{\"summary\":\"x\"", nil, []string{"in.txt:2", "ends before the value is complete"}, 2},
		{"json syntax", "{\"issues\":[{\"key\":\"A-1\" \"fields\":{}}]}", nil, []string{"in.txt:1:25", "invalid JSON", "expected ',' or '}' after an object member, found '\"'"}, 1},
		{"trailing data", `{"key":"A-1","fields":{}} {"x":1}`, nil, []string{"in.txt:1:27", "unexpected data after the end"}, 1},
		{"unknown object", `{"hello":"world"}`, ErrUnrecognised, []string{"none of issues, fields"}, 0},
		{"array of numbers", `[1,2,3]`, ErrUnrecognised, []string{"[0] is not an issue"}, 0},
		{"jira error response", `{"errorMessages":["Field 'foo' does not exist"],"errors":{}}`, ErrUnrecognised, []string{"Jira error response", "Field 'foo' does not exist"}, 0},
		{"github error response", `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`, ErrUnrecognised, []string{"GitHub error response", "Bad credentials"}, 0},
		{"github missing number", `[{"number":1,"title":"a"},{"title":"b"}]`, nil, []string{"[1].number", "record 2 has no issue key"}, 1},
		{"github bad number", `[{"number":1.5,"title":"a"}]`, nil, []string{"[0].number", "expected a whole issue number, got a number 1.5"}, 1},
		{"github string number", "{\"data\":{\"repository\":{\"issues\":{\"nodes\":[\n{\"number\":1},\n{\"number\":\"x\"}]}}}}", nil, []string{"in.txt:3:1", "data.repository.issues.nodes[1].number", "got a string"}, 3},
		{"github duplicate", `[{"number":1,"html_url":"https://github.com/o/r/issues/1"},{"number":1,"html_url":"https://github.com/o/r/issues/1"}]`, nil, []string{`duplicate issue key "o/r#1"`}, 1},
		{"github title type", "[\n{\"number\":1,\n \"title\": 5}]", nil, []string{"in.txt:3:11", "[0].title", "expected a string, got JSON number"}, 3},
		{"github labels type", `[{"number":1,"labels":[3]}]`, nil, []string{"[0].labels[0]", "expected an object with a name"}, 1},
		{"graphql without issues", `{"data":{"viewer":{"login":"x"}}}`, ErrUnrecognised, []string{"GraphQL"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues, _, err := Read("in.txt", []byte(tt.in))
			if err == nil {
				t.Fatalf("no error; got %d issues: %+v", len(issues), issues)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap %v", msg, tt.is)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if pe.File != "in.txt" {
				t.Errorf("File = %q", pe.File)
			}
			if tt.line != 0 && pe.Line != tt.line {
				t.Errorf("Line = %d, want %d (%s)", pe.Line, tt.line, msg)
			}
		})
	}
}

// TestReadCases checks single behaviours of each format.
func TestReadCases(t *testing.T) {
	long := strings.Repeat("Ω long summary ", 334) // 5,010 characters
	tests := []struct {
		name   string
		in     string
		format Format
		check  func(t *testing.T, is []cards.Issue)
	}{
		{"control characters and CRLF", "key,summary,description\r\nA-1,\"tab\there\x01\x1b[31m\",\"one\r\ntwo\rthree\x7f\"\r\n", PlainCSV, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Summary, "tab\there[31m")
			eq(t, is[0].Description, "one\ntwo\nthree")
		}},
		{"5000 character summary kept whole", "key,summary\nA-1," + long + "\n", PlainCSV, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Summary, strings.TrimSpace(long))
		}},
		{"header case and aliases", "KEY,Title,Points,Epic,Tags\nA-1,T,1.5,E-1,x;y\n", PlainCSV, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Summary, "T")
			eq(t, cards.FormatPoints(*is[0].StoryPoints), "1.5")
			eq(t, is[0].ParentKey, "E-1")
			eq(t, strings.Join(is[0].Labels, "|"), "x|y")
		}},
		{"unparseable points and dates kept as text", "key,points,due\nA-1,XL,next week\n", PlainCSV, func(t *testing.T, is []cards.Issue) {
			if is[0].StoryPoints != nil || is[0].Due != nil {
				t.Errorf("points/due set: %v %v", is[0].StoryPoints, is[0].Due)
			}
			eq(t, is[0].Fields["points"], "XL")
			eq(t, is[0].Fields["due"], "next week")
		}},
		{"negative and NaN points refused", "key,points\nA-1,-3\nA-2,NaN\n", PlainCSV, func(t *testing.T, is []cards.Issue) {
			if is[0].StoryPoints != nil || is[1].StoryPoints != nil {
				t.Error("points set")
			}
			eq(t, is[1].Fields["points"], "NaN")
		}},
		{"unknown columns kept", "key,Team,,Risk\nA-1,Red,orphan,\n", PlainCSV, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Fields["Team"], "Red")
			eq(t, is[0].Fields["Column 3"], "orphan")
			if _, ok := is[0].Fields["Risk"]; ok {
				t.Error("empty cell stored")
			}
		}},
		{"header only", "key,summary\n", PlainCSV, func(t *testing.T, is []cards.Issue) {
			if len(is) != 0 {
				t.Errorf("%d issues", len(is))
			}
		}},
		{"jira csv french dates", "Clé de ticket,Résumé,Date d'échéance\nX-1,Un,06/août/15\nX-2,Deux,10/oct./16 11:54 AM\n", JiraCSV, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Due.Format("2006-01-02"), "2015-08-06")
			eq(t, is[1].Due.Format("2006-01-02 15:04"), "2016-10-10 11:54")
		}},
		{"jira csv parent id not in file", "Issue key,Issue id,Parent id\nX-2,2,999\n", JiraCSV, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].ParentKey, "")
			eq(t, is[0].Fields["Parent id"], "999")
		}},
		{"jira csv parent given as a key", "Issue key,Parent,Summary\nX-1,,Story\nX-2,X-1,Sub\n", JiraCSV, func(t *testing.T, is []cards.Issue) {
			eq(t, is[1].ParentKey, "X-1")
			eq(t, is[1].ParentName, "Story")
		}},
		{"empty issue list", `{"startAt":0,"total":0,"issues":[]}`, JiraJSON, func(t *testing.T, is []cards.Issue) {
			if len(is) != 0 {
				t.Errorf("%d issues", len(is))
			}
		}},
		{"jira array of issues", `[{"key":"A-1","fields":{"summary":"s"}}]`, JiraJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Summary, "s")
		}},
		{"jira names before issues", `{"names":{"customfield_1":"Story Points"},"issues":[{"key":"A-1","fields":{"customfield_1":"5","customfield_10016":8}}]}`, JiraJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, cards.FormatPoints(*is[0].StoryPoints), "5")
			eq(t, is[0].Fields["customfield_10016"], "8")
		}},
		{"jira epic link named by parent", `{"names":{"customfield_1":"Epic Link"},"issues":[{"key":"A-1","fields":{"customfield_1":"E-1","parent":{"key":"E-1","fields":{"summary":"Epic one"}}}}]}`, JiraJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].ParentKey, "E-1")
			eq(t, is[0].ParentName, "Epic one")
		}},
		{"jira agile epic without names", `{"issues":[{"key":"A-1","fields":{"epic":{"key":"A-9","name":"Nine","summary":"Epic nine"},"sprint":null,"closedSprints":[{"name":"S1","state":"closed"}]}}]}`, JiraJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].ParentKey, "A-9")
			eq(t, is[0].ParentName, "Nine")
			eq(t, is[0].Sprint, "S1")
		}},
		{"jira null fields", `{"issues":[{"key":"A-1","fields":null}]}`, JiraJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Key, "A-1")
		}},
		{"jira escaped control characters", `{"key":"A-1","fields":{"summary":"a\u0000b\u001bc"}}`, JiraJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Summary, "abc")
		}},
		{"github single issue", `{"number":5,"title":"t","html_url":"https://github.com/o/r/issues/5"}`, GitHubJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Key, "o/r#5")
		}},
		{"github without url", `[{"number":5,"title":"t"}]`, GitHubJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Key, "#5")
		}},
		{"github url with escaped bytes", `[{"number":5,"html_url":"https://github.com/o%80/r/issues/5"}]`, GitHubJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Key, "#5")
		}},
		{"jira self with escapes", `{"key":"A-1","self":"https://h/j%C3%A9/rest/api/2/issue/1","fields":{}}`, JiraJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].URL, "https://h/j%C3%A9/browse/A-1")
		}},
		{"github search response", `{"total_count":1,"items":[{"number":5,"title":"t","repository_url":"https://api.github.com/repos/o/r"}]}`, GitHubJSON, func(t *testing.T, is []cards.Issue) {
			eq(t, is[0].Key, "o/r#5")
			eq(t, is[0].URL, "")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is, f, err := Read("in", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if f != tt.format {
				t.Errorf("format %q, want %q", f, tt.format)
			}
			tt.check(t, is)
		})
	}
}

func eq(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadFileTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(p, []byte(`{"issues":[]}`+strings.Repeat(" ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	old := MaxFileSize
	MaxFileSize = 64
	defer func() { MaxFileSize = old }()
	_, _, err := ReadFile(p)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "big.json is too large") {
		t.Fatalf("err = %v", err)
	}
	if _, _, err := ReadFile(filepath.Join(t.TempDir(), "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Fatalf("missing file: err = %v", err)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-12-01", "2026-12-01 00:00"},
		{"2016-10-10T11:54:44.723+0200", "2016-10-10 09:54"},
		{"10/Oct/16 11:54 AM", "2016-10-10 11:54"},
		{"1/feb/2016 3:04 PM", "2016-02-01 15:04"},
		{"28/sept./15 1:42 PM", "2015-09-28 13:42"},
		{"06/août/15", "2015-08-06 00:00"},
		{"13/déc./15 9:39 AM", "2015-12-13 09:39"},
		{"2016-10-10 11:54:44.723", "2016-10-10 11:54"},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok {
			t.Errorf("parseDate(%q) failed", tt.in)
			continue
		}
		eq(t, got.UTC().Format("2006-01-02 15:04"), tt.want)
	}
	for _, bad := range []string{"", "soon", "31/Feb/16", "10/Foo/16", "2016-13-01"} {
		if _, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) succeeded", bad)
		}
	}
}

func TestErrorString(t *testing.T) {
	e := &ParseError{File: "a.json", Line: 3, Column: 7, Field: "issues[2].fields.summary", Msg: "expected a string"}
	eq(t, e.Error(), "a.json:3:7: issues[2].fields.summary: expected a string")
	e = &ParseError{File: "a.csv", Line: 4, Field: `column 2 "Summary"`, Msg: "bad"}
	eq(t, e.Error(), `a.csv:4: column 2 "Summary": bad`)
	eq(t, fileError("x", ErrEmpty, "").Error(), "x is empty")
}

func TestSkip(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{`"abc" ,`, 5},
		{`"a\"b",`, 6},
		{`"a\\",1`, 5},
		{`"a\\\"",1`, 7},
		{`{"a":"}","b":[1,{"c":"]"}]} x`, 27},
		{`-12.5e3,`, 7},
		{`true]`, 4},
		{`[]`, 2},
	}
	for _, tt := range tests {
		if got := skip([]byte(tt.in)); got != tt.want {
			t.Errorf("skip(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
