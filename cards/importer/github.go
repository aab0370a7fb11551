package importer

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// githubIssue is the union of the issue shapes of GitHub's REST API,
// gh issue list --json and GraphQL. Members whose shape differs between
// them (lists, counts) stay raw.
type githubIssue struct {
	Number      json.Number     `json:"number"`
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
	if n := gi.Number.String(); n != "" {
		if _, err := strconv.ParseUint(n, 10, 64); err != nil {
			return rec, d.errAt(off, joinPath(path, "number"), fmt.Sprintf("issue number %s is not a whole number", n))
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
			return parts[0] + "/" + parts[1]
		}
	}
	return ""
}

// graphQL reads {"data":{"repository":{"issues":{"nodes":[...]}}}} and
// the search and single-issue variants.
func (d *jsonDoc) graphQL(raw json.RawMessage, off int64) ([]record, error) {
	var data struct {
		Repository *struct {
			Issues       *struct{ Nodes json.RawMessage } `json:"issues"`
			PullRequests *struct{ Nodes json.RawMessage } `json:"pullRequests"`
			Issue        json.RawMessage                  `json:"issue"`
			PullRequest  json.RawMessage                  `json:"pullRequest"`
		} `json:"repository"`
		Search *struct{ Nodes json.RawMessage } `json:"search"`
	}
	if err := d.decode(raw, off, "data", &data); err != nil {
		return nil, err
	}
	var lists []json.RawMessage
	var singles []json.RawMessage
	if r := data.Repository; r != nil {
		if r.Issues != nil {
			lists = append(lists, r.Issues.Nodes)
		}
		if r.PullRequests != nil {
			lists = append(lists, r.PullRequests.Nodes)
		}
		singles = append(singles, r.Issue, r.PullRequest)
	}
	if data.Search != nil {
		lists = append(lists, data.Search.Nodes)
	}
	var recs []record
	found := false
	for _, l := range lists {
		var nodes []json.RawMessage
		if err := d.decode(l, off, "data.nodes", &nodes); err != nil {
			return nil, err
		}
		found = true
		for i, n := range nodes {
			rec, err := d.githubIssue(n, off, fmt.Sprintf("data.nodes[%d]", i))
			if err != nil {
				return nil, err
			}
			recs = append(recs, rec)
		}
	}
	for _, s := range singles {
		if s == nil || kindOf(s) == "null" {
			continue
		}
		found = true
		rec, err := d.githubIssue(s, off, "data.repository.issue")
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
