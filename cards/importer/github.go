package importer

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// githubIssue is the union of the issue shapes of GitHub's REST API,
// gh issue list --json and GraphQL. Members whose shape differs between
// them (lists, counts) stay raw.
type githubIssue struct {
	Number      json.RawMessage `json:"number"`
	Title       string          `json:"title"`
	Body        string          `json:"body"`
	State       string          `json:"state"`
	StateReason string          `json:"state_reason"`
	Labels      json.RawMessage `json:"labels"`
	Assignee    *githubUser     `json:"assignee"`
	Assignees   json.RawMessage `json:"assignees"`
	User        *githubUser     `json:"user"`
	Author      *githubUser     `json:"author"`
	Milestone   *struct {
		Title string `json:"title"`
	} `json:"milestone"`
	HTMLURL       string          `json:"html_url"`
	URL           string          `json:"url"`
	RepositoryURL string          `json:"repository_url"`
	PullRequest   json.RawMessage `json:"pull_request"`
	Typename      string          `json:"__typename"`
	Comments      json.RawMessage `json:"comments"`
	CreatedAt     string          `json:"created_at"`
	CreatedAt2    string          `json:"createdAt"`
	UpdatedAt     string          `json:"updated_at"`
	UpdatedAt2    string          `json:"updatedAt"`
	ClosedAt      string          `json:"closed_at"`
	ClosedAt2     string          `json:"closedAt"`
}

type githubUser struct {
	Login string `json:"login"`
	Name  string `json:"name"`
}

// githubIssue reads one GitHub issue object, raw, at byte offset off.
func (d *jsonDoc) githubIssue(raw []byte, off int64, path string) (record, error) {
	rec := record{at: jsonWhere(off, path, joinPath(path, "number"))}
	if kindOf(raw) != "an object" {
		return rec, d.errAt(off, path, "expected an issue object, got "+kindOf(raw))
	}
	var gi githubIssue
	if err := d.decode(raw, off, path, &gi); err != nil {
		return rec, err
	}
	is := &rec.issue
	is.Summary = gi.Title
	is.Description = gi.Body
	is.Status = gi.State
	is.Type = "Issue"
	if gi.PullRequest != nil && string(gi.PullRequest) != "null" || gi.Typename == "PullRequest" {
		is.Type = "Pull request"
	}
	var err error
	if is.Labels, err = d.ghNames(gi.Labels, off, joinPath(path, "labels"), "name"); err != nil {
		return rec, err
	}
	assignees, err := d.ghNames(gi.Assignees, off, joinPath(path, "assignees"), "login")
	if err != nil {
		return rec, err
	}
	if len(assignees) == 0 && gi.Assignee != nil {
		assignees = []string{gi.Assignee.Login}
	}
	is.Assignee = strings.Join(assignees, ", ")
	for _, u := range []*githubUser{gi.User, gi.Author} {
		if u != nil && is.Reporter == "" {
			is.Reporter = u.Login
		}
	}
	if gi.Milestone != nil {
		addField(is, "Milestone", gi.Milestone.Title)
	}
	if gi.StateReason != "" {
		addField(is, "State reason", gi.StateReason)
	}
	addField(is, "Comments", ghCount(gi.Comments))
	addField(is, "Created", first(gi.CreatedAt, gi.CreatedAt2))
	addField(is, "Updated", first(gi.UpdatedAt, gi.UpdatedAt2))
	addField(is, "Closed", first(gi.ClosedAt, gi.ClosedAt2))

	is.URL = gi.HTMLURL
	if is.URL == "" && !strings.Contains(gi.URL, "://api.") {
		is.URL = gi.URL
	}
	if k := kindOf(gi.Number); gi.Number != nil && k != "null" {
		n := string(gi.Number)
		if _, err := strconv.ParseUint(n, 10, 64); k != "a number" || err != nil {
			return rec, d.errAt(off, joinPath(path, "number"), fmt.Sprintf("expected a whole issue number, got %s %s", k, n))
		}
		is.Key = "#" + n
		if repo := githubRepo(gi.HTMLURL, gi.URL, gi.RepositoryURL); repo != "" {
			is.Key = repo + "#" + n
		}
	}
	return rec, nil
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// ghNames reads a list of labels or users in any of GitHub's shapes:
// [{"name":..}], ["name"], or GraphQL {"nodes":[{"name":..}]}.
func (d *jsonDoc) ghNames(raw json.RawMessage, off int64, path, member string) ([]string, error) {
	if raw == nil || kindOf(raw) == "null" {
		return nil, nil
	}
	if kindOf(raw) == "an object" {
		var conn struct {
			Nodes json.RawMessage `json:"nodes"`
		}
		if err := d.decode(raw, off, path, &conn); err != nil {
			return nil, err
		}
		return d.ghNames(conn.Nodes, off, path+".nodes", member)
	}
	var items []any
	if err := d.decode(raw, off, path, &items); err != nil {
		return nil, err
	}
	var out []string
	for i, it := range items {
		switch t := it.(type) {
		case string:
			out = append(out, t)
		case map[string]any:
			s, _ := t[member].(string)
			out = append(out, s)
		default:
			return nil, d.errAt(off, fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("expected an object with a %s", member))
		}
	}
	return out, nil
}

// ghCount reads a comment count: a number (REST), an array (gh --json)
// or {"totalCount": n} (GraphQL).
func ghCount(raw json.RawMessage) string {
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		return strconv.Itoa(len(list))
	}
	var conn struct {
		TotalCount *json.Number `json:"totalCount"`
	}
	if json.Unmarshal(raw, &conn) == nil && conn.TotalCount != nil {
		return conn.TotalCount.String()
	}
	return ""
}

// githubRepo derives "owner/repo" from an issue's browse or API URL.
func githubRepo(urls ...string) string {
	for _, s := range urls {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			continue
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) > 0 && parts[0] == "repos" { // api.github.com/repos/o/r/...
			parts = parts[1:]
		}
		if len(parts) >= 2 && parts[0] != "" && parts[1] != "" && (len(parts) == 2 || parts[2] == "issues" || parts[2] == "pull") {
			if repo := parts[0] + "/" + parts[1]; utf8.ValidString(repo) {
				return repo
			}
		}
	}
	return ""
}

// graphQL reads the "data" member of a GraphQL response: lists of issue
// nodes under repository.issues, repository.pullRequests or search, or a
// single repository.issue / repository.pullRequest.
func (d *jsonDoc) graphQL(raw []byte, off int64) ([]record, error) {
	var recs []record
	found := false
	for _, p := range [][]string{{"repository", "issues", "nodes"}, {"repository", "pullRequests", "nodes"}, {"search", "nodes"}} {
		nodes, noff, ok := d.lookup(raw, off, p...)
		if !ok {
			continue
		}
		found = true
		path := "data." + strings.Join(p, ".")
		err := d.eachElement(nodes, noff, path, func(i int, v []byte, voff int64) error {
			rec, err := d.githubIssue(v, voff, fmt.Sprintf("%s[%d]", path, i))
			recs = append(recs, rec)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	for _, p := range [][]string{{"repository", "issue"}, {"repository", "pullRequest"}} {
		v, voff, ok := d.lookup(raw, off, p...)
		if !ok {
			continue
		}
		found = true
		rec, err := d.githubIssue(v, voff, "data."+strings.Join(p, "."))
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	if !found {
		return nil, fileError(d.file, ErrUnrecognised, "the GraphQL data has no repository issues or search nodes")
	}
	return recs, nil
}

// lookup follows a path of member names from the object raw; ok is false
// when a member is missing or null.
func (d *jsonDoc) lookup(raw []byte, off int64, names ...string) (v []byte, voff int64, ok bool) {
	v, voff = raw, off
	for _, name := range names {
		if kindOf(v) != "an object" {
			return nil, 0, false
		}
		var next []byte
		_ = d.eachMember(v, voff, "", func(n string, mv []byte, moff int64) error {
			if n == name {
				next, voff = mv, moff
			}
			return nil
		})
		if next == nil || kindOf(next) == "null" {
			return nil, 0, false
		}
		v = next
	}
	return v, voff, true
}
