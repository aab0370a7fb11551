package board

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseText(t *testing.T) {
	tests := []struct {
		text  string
		kind  Kind
		value string
	}{
		{"PROJ-123", CardCode, "PROJ-123"},
		{"CW-1", CardCode, "CW-1"},
		{"A_B2-7", CardCode, "A_B2-7"},
		{" PROJ-9\n", CardCode, "PROJ-9"},
		{"https://jira.example.com/browse/PROJ-12", CardCode, "PROJ-12"},
		{"https://jira.example.com/jira/browse/PROJ-12/", CardCode, "PROJ-12"},
		{"https://jira.example.com/browse/PROJ-12?focusedCommentId=3#x", CardCode, "PROJ-12"},
		{"HTTPS://JIRA.EXAMPLE.COM/BROWSE/PROJ-12", CardCode, "PROJ-12"},
		{"cardwall/cardwall#42", CardCode, "cardwall/cardwall#42"},
		{"https://github.com/cardwall/cardwall/issues/42", CardCode, "cardwall/cardwall#42"},
		{"https://github.com/cardwall/cardwall/pull/7", CardCode, "cardwall/cardwall#7"},
		{"COL:IN PROGRESS", HeaderCode, "IN PROGRESS"},
		{"col:In  Progress ", HeaderCode, "IN PROGRESS"},
		{"COL:TO DO", HeaderCode, "TO DO"},
		{"COL:", Foreign, ""},
		{"COL:DONE\x1b[31m", Foreign, ""},
		{"COL:\xff", Foreign, ""},
		{"COL:В РАБОТЕ", HeaderCode, "В РАБОТЕ"},
		{"COL:   ", Foreign, ""},
		{"proj-12", Foreign, ""},
		{"P-12", Foreign, ""},
		{"PROJ-", Foreign, ""},
		{"PROJ-12 extra", Foreign, ""},
		{"https://jira.example.com/browse/not a key", Foreign, ""},
		{"https://example.com/PROJ-12", Foreign, ""},
		{"ftp://jira.example.com/browse/PROJ-12", Foreign, ""},
		{"https://gitlab.com/a/b/issues/3", Foreign, ""},
		{"WIFI:S:home;T:WPA;P:secret;;", Foreign, ""},
		{"", Foreign, ""},
	}
	for _, tc := range tests {
		kind, value := ParseText(tc.text)
		if kind != tc.kind || value != tc.value {
			t.Errorf("ParseText(%q) = %v %q, want %v %q", tc.text, kind, value, tc.kind, tc.value)
		}
	}
}

// FuzzParseText checks that any text parses without panic and that what
// it yields is well-formed: a card key re-parses to itself, a header name is
// normalised and non-empty.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"PROJ-1", "COL:DONE", "https://x.example/browse/A1-2", "a/b#3", "COL:", "\xff\xfe", "https://github.com/a/b/issues/9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, v := ParseText(s)
		switch kind {
		case CardCode:
			if k2, v2 := ParseText(v); k2 != CardCode || v2 != v {
				t.Fatalf("key %q from %q does not re-parse to itself (%v %q)", v, s, k2, v2)
			}
		case HeaderCode:
			if v == "" || v != NormalizeColumn(v) {
				t.Fatalf("header name %q from %q is not normalised", v, s)
			}
			if !utf8.ValidString(v) {
				t.Fatalf("header name %q from %q is not valid UTF-8", v, s)
			}
		case Foreign:
			if v != "" {
				t.Fatalf("foreign code %q has value %q", s, v)
			}
		}
	})
}

func TestParseEffort(t *testing.T) {
	for _, name := range []string{"fast", "Normal", "THOROUGH"} {
		e, err := ParseEffort(name)
		if err != nil || !strings.EqualFold(e.String(), name) {
			t.Errorf("ParseEffort(%q) = %v, %v", name, e, err)
		}
	}
	if _, err := ParseEffort("turbo"); err == nil || !strings.Contains(err.Error(), `effort "turbo"`) {
		t.Errorf("ParseEffort(turbo): %v", err)
	}
}

// The key forms as regular expressions: the hand-written matchers must agree
// with them on every string.
var (
	jiraKeyPattern    = regexp.MustCompile(`^[A-Z][A-Z0-9_]+-[0-9]+$`)
	githubKeyPattern  = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#[0-9]+$`)
	githubPathPattern = regexp.MustCompile(`^/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/(?:issues|pull)/([0-9]+)/?$`)
)

// checkKeyForms compares the matchers with the patterns on s.
func checkKeyForms(t *testing.T, s string) {
	t.Helper()
	if got, want := isJiraKey(s), jiraKeyPattern.MatchString(s); got != want {
		t.Fatalf("isJiraKey(%q) = %v, pattern says %v", s, got, want)
	}
	if got, want := isGitHubKey(s), githubKeyPattern.MatchString(s); got != want {
		t.Fatalf("isGitHubKey(%q) = %v, pattern says %v", s, got, want)
	}
	key, ok := gitHubIssuePath(s)
	m := githubPathPattern.FindStringSubmatch(s)
	if ok != (m != nil) || ok && key != m[1]+"/"+m[2]+"#"+m[3] {
		t.Fatalf("gitHubIssuePath(%q) = %q, %v; pattern says %q", s, key, ok, m)
	}
}

// TestKeyForms checks the matchers against the patterns on strings built
// from the characters that matter to them.
func TestKeyForms(t *testing.T) {
	for _, s := range []string{"", "-", "AB-", "AB-1", "A-1", "Ab-1", "AB_9-12", "AB-1-2", "a/b#1", "a/b#", "/b#1", "a/#1", "a/b/c#1",
		"a.b/c-d#9", "/a/b/issues/1", "/a/b/pull/22/", "/a/b/issues/1//", "/a/b/issue/1", "a/b/issues/1", "/a/b/c/issues/1", "/a//issues/1"} {
		checkKeyForms(t, s)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const alphabet = "AZaz09_.-/#issuespul\u00e9 "
	runes := []rune(alphabet)
	for n := 0; n < 200000; n++ {
		b := make([]rune, rng.IntN(14))
		for i := range b {
			b[i] = runes[rng.IntN(len(runes))]
		}
		s := string(b)
		if n%3 == 0 {
			s = "/" + s
		}
		checkKeyForms(t, s)
	}
}

// FuzzKeyForms checks the matchers against the patterns on any string.
func FuzzKeyForms(f *testing.F) {
	for _, s := range []string{"PROJ-1", "a/b#3", "/a/b/issues/9", "/a/b/pull/9/"} {
		f.Add(s)
	}
	f.Fuzz(checkKeyForms)
}
