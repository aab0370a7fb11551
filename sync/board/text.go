package board

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cardwall/cardwall/cards/qrcode"
)

// Kind says what a QR code's text means on a board.
type Kind int

const (
	// Foreign is a code that is neither a card nor a column header
	// (a poster, a product label, a code printed for something else).
	Foreign Kind = iota
	// CardCode is an issue card: its text is an issue key or a browse URL.
	CardCode
	// HeaderCode is a column header: its text is "COL:" and the column name.
	HeaderCode
)

// String returns the kind's name as used in messages.
func (k Kind) String() string {
	switch k {
	case CardCode:
		return "card"
	case HeaderCode:
		return "header"
	}
	return "foreign"
}

// The key forms are matched by hand rather than with package regexp:
// compiling the patterns at start-up runs the regexp compiler long enough
// under WebAssembly for V8 to optimise it, about 200 ms of background
// compilation for code that never runs again. (TestKeyForms and
// FuzzKeyForms hold the matchers to the patterns.)

// isJiraKey reports whether s is a Jira issue key, [A-Z][A-Z0-9_]+-[0-9]+:
// a project key of two or more characters that starts with a letter, a
// hyphen and the issue number.
func isJiraKey(s string) bool {
	project, number, ok := strings.Cut(s, "-")
	if !ok || len(project) < 2 || project[0] < 'A' || project[0] > 'Z' || !isDigits(number) {
		return false
	}
	for i := 1; i < len(project); i++ {
		if c := project[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// isGitHubKey reports whether s is a GitHub issue key, owner/repo#number.
func isGitHubKey(s string) bool {
	owner, rest, ok := strings.Cut(s, "/")
	if !ok {
		return false
	}
	repo, number, ok := strings.Cut(rest, "#")
	return ok && isGitHubName(owner) && isGitHubName(repo) && isDigits(number)
}

// gitHubIssuePath returns the GitHub key of the path of an issue or pull
// request page, /owner/repo/issues/number or /owner/repo/pull/number (one
// trailing slash allowed).
func gitHubIssuePath(p string) (key string, ok bool) {
	p, ok = strings.CutPrefix(p, "/")
	if !ok {
		return "", false
	}
	parts := strings.Split(strings.TrimSuffix(p, "/"), "/")
	if len(parts) != 4 || !isGitHubName(parts[0]) || !isGitHubName(parts[1]) ||
		(parts[2] != "issues" && parts[2] != "pull") || !isDigits(parts[3]) {
		return "", false
	}
	return parts[0] + "/" + parts[1] + "#" + parts[3], true
}

// isGitHubName reports whether s is a non-empty GitHub owner or repository
// name: letters, digits, '_', '.' and '-'.
func isGitHubName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return s != ""
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ParseText classifies the text of a QR code by the board contract:
//
//	PROJ-123                                  card with key PROJ-123
//	https://jira.example.com/browse/PROJ-123  card with key PROJ-123
//	owner/repo#12                             card with key owner/repo#12 (GitHub)
//	https://github.com/owner/repo/issues/12   card with key owner/repo#12
//	COL:IN PROGRESS                           header of column "IN PROGRESS"
//
// It returns the kind and the key or column name (upper-case, with runs of
// spaces folded); for a Foreign code the value is empty.
func ParseText(text string) (Kind, string) {
	t := strings.TrimSpace(text)
	if len(t) >= len(qrcode.HeaderPrefix) && strings.EqualFold(t[:len(qrcode.HeaderPrefix)], qrcode.HeaderPrefix) {
		raw := t[len(qrcode.HeaderPrefix):]
		name := NormalizeColumn(raw)
		if name == "" || !utf8.ValidString(raw) || !printable(name) {
			return Foreign, ""
		}
		return HeaderCode, name
	}
	if key, ok := parseKey(t); ok {
		return CardCode, key
	}
	return Foreign, ""
}

// parseKey accepts a bare issue key or a URL that names one.
func parseKey(t string) (string, bool) {
	if isJiraKey(t) || isGitHubKey(t) {
		return t, true
	}
	u, err := url.Parse(t)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	p := strings.TrimSuffix(u.Path, "/")
	// Upper-case URLs are legal (QR alphanumeric mode has no lower case).
	if i := strings.LastIndex(strings.ToLower(p), "/browse/"); i >= 0 {
		key := p[i+len("/browse/"):]
		if isJiraKey(key) {
			return key, true
		}
		return "", false
	}
	if key, ok := gitHubIssuePath(u.Path); ok && strings.EqualFold(u.Hostname(), "github.com") {
		return key, true
	}
	return "", false
}

// NormalizeColumn returns a column name as header codes carry it:
// upper-case, trimmed, inner runs of white space folded to one space.
func NormalizeColumn(name string) string {
	return strings.ToUpper(strings.Join(strings.Fields(name), " "))
}

// printable reports whether s is valid UTF-8 without control characters,
// so a column name can be shown as it is.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
