// Package cards turns a team's tracker issues into printable cards.
//
// The Issue type is the one model every importer produces and every
// renderer consumes. Sub-packages hold the importers (cards/importer),
// the card templates (cards/template) and the PDF renderer (cards/pdf).
package cards

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Issue is one tracker issue, reduced to what a card can show.
//
// Every field except Key is optional. Text fields hold plain text (markup
// from the source, such as Atlassian Document Format, is already flattened)
// and are never truncated by importers: fitting text on a card is the
// renderer's job.
type Issue struct {
	Key         string   // issue key, e.g. "PROJ-123" or "owner/repo#12"
	Summary     string   // one-line title
	Description string   // plain-text description (may be long; cards show an excerpt)
	Type        string   // issue type: Story, Bug, Task, Epic, ...
	Status      string   // workflow status name: "To Do", "In Progress", ...
	Priority    string   // priority name: Highest, High, Medium, ...
	Assignee    string   // display name
	Reporter    string   // display name
	Labels      []string // labels / tags, in source order
	Components  []string // Jira components
	ParentKey   string   // epic or parent issue key
	ParentName  string   // epic name or parent summary
	StoryPoints *float64 // estimate; nil when the issue has none
	Sprint      string   // current (last) sprint name
	Due         *time.Time
	URL         string // browse URL of the issue, when the source gives one

	// Fields holds every other field the source carried, by its display
	// name where known (e.g. "Team", "Fix Version/s"), as plain text.
	Fields map[string]string
}

// Field returns the value of a field by name, looking first at the named
// fields of Issue (case-insensitive: "summary", "status", "story points",
// "epic", ...) and then at Fields. It reports whether the issue has a value.
func (is *Issue) Field(name string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	var v string
	switch n {
	case "key":
		v = is.Key
	case "summary", "title":
		v = is.Summary
	case "description":
		v = is.Description
	case "type", "issuetype", "issue type":
		v = is.Type
	case "status":
		v = is.Status
	case "priority":
		v = is.Priority
	case "assignee":
		v = is.Assignee
	case "reporter":
		v = is.Reporter
	case "labels", "label":
		v = strings.Join(is.Labels, ", ")
	case "components", "component", "component/s":
		v = strings.Join(is.Components, ", ")
	case "parent", "epic", "epic link", "parent key":
		v = is.ParentKey
	case "parent name", "epic name":
		v = is.ParentName
	case "story points", "storypoints", "points", "estimate":
		if is.StoryPoints != nil {
			v = FormatPoints(*is.StoryPoints)
		}
	case "sprint":
		v = is.Sprint
	case "due", "due date", "duedate":
		if is.Due != nil {
			v = is.Due.Format("2006-01-02")
		}
	case "url":
		v = is.URL
	default:
		if is.Fields != nil {
			if fv, ok := is.Fields[name]; ok {
				return fv, fv != ""
			}
			for k, fv := range is.Fields {
				if strings.EqualFold(k, n) {
					return fv, fv != ""
				}
			}
		}
		return "", false
	}
	return v, v != ""
}

// FormatPoints prints a story-point estimate without a needless fraction,
// rounded to two decimals: 3 → "3", 0.5 → "0.5", 0.30000000000000004 → "0.3".
func FormatPoints(p float64) string {
	return strconv.FormatFloat(math.Round(p*100)/100, 'f', -1, 64)
}

// FieldNames returns the names in Fields, sorted, for stable output.
func (is *Issue) FieldNames() []string {
	names := make([]string, 0, len(is.Fields))
	for k := range is.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
