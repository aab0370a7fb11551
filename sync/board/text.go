package board

import (
	"net/url"
	"regexp"
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

var (
	jiraKey   = regexp.MustCompile(`^[A-Z][A-Z0-9_]+-[0-9]+$`)
	githubKey = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#[0-9]+$`)
	// githubPath matches the path of a GitHub issue or pull request page.
	githubPath = regexp.MustCompile(`^/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/(?:issues|pull)/([0-9]+)/?$`)
)

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
	if jiraKey.MatchString(t) || githubKey.MatchString(t) {
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
		if jiraKey.MatchString(key) {
			return key, true
		}
		return "", false
	}
	if m := githubPath.FindStringSubmatch(u.Path); m != nil && strings.EqualFold(u.Hostname(), "github.com") {
		return m[1] + "/" + m[2] + "#" + m[3], true
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
