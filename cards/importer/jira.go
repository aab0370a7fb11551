package importer

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/cardwall/cardwall/cards"
)

// jiraReader collects the issues of one Jira JSON document. Custom fields
// are resolved only at the end, because the "names" map that gives them
// their display names may come after the issues.
type jiraReader struct {
	d       *jsonDoc
	names   map[string]string // field id -> display name, from expand=names
	pending []jiraIssue
}

// jiraIssue is an issue read but not yet resolved.
type jiraIssue struct {
	rec      record
	self     string
	epicLink string       // from a custom field named "Epic Link"
	epic     *jiraEpic    // agile "epic" member
	parent   *jiraEpic    // "parent" member (key and summary)
	sprints  []jiraSprint // agile sprint and closedSprints
	custom   []customValue
	other    []namedValue // system fields for Fields, by id
}

type jiraEpic struct{ key, name string }

type jiraSprint struct {
	Name  string `json:"name"`
	State string `json:"state"`
}

// customValue is one customfield_* value reduced to what can be used.
type customValue struct {
	id      string
	text    string   // plain text of the value, "" when it has none
	num     *float64 // the value as a number, when it is one
	sprints []jiraSprint
}

type namedValue struct{ id, text string }

func newJiraReader(d *jsonDoc) *jiraReader { return &jiraReader{d: d} }

// readNames reads the "names" member of a response (field id -> name).
func (jr *jiraReader) readNames(raw []byte, off int64) error {
	jr.names = map[string]string{}
	return jr.d.eachMember(raw, off, "names", func(id string, v []byte, voff int64) error {
		if kindOf(v) == "a string" {
			n, err := jr.d.str(v, voff, "names."+id)
			jr.names[id] = n
			return err
		}
		return nil
	})
}

// issue reads one issue object, raw, found at byte offset off.
func (jr *jiraReader) issue(raw []byte, off int64, path string) error {
	d := jr.d
	ji := jiraIssue{rec: record{at: jsonWhere(off, path, joinPath(path, "key"))}}
	is := &ji.rec.issue
	err := d.eachMember(raw, off, path, func(name string, v []byte, voff int64) error {
		var err error
		switch name {
		case "key":
			is.Key, err = d.str(v, voff, joinPath(path, name))
		case "self":
			ji.self, err = d.str(v, voff, joinPath(path, name))
		case "fields":
			if kindOf(v) == "null" {
				return nil
			}
			p := joinPath(path, name)
			err = d.eachMember(v, voff, p, func(name string, v []byte, voff int64) error {
				if err := jr.field(&ji, name, v, voff); err != nil {
					return underPath(err, joinPath(p, name))
				}
				return nil
			})
		}
		return err
	})
	if err != nil {
		return err
	}
	jr.pending = append(jr.pending, ji)
	return nil
}

// jiraNamedFields are the fields whose value is a user, status, type or
// priority object, and the Issue field each fills.
var jiraNamedFields = map[string]target{
	"issuetype": toType, "status": toStatus, "priority": toPriority,
	"assignee": toAssignee, "reporter": toReporter,
}

// field reads one member of an issue's "fields" object. Its errors name
// paths relative to the member; the caller puts them under its path.
func (jr *jiraReader) field(ji *jiraIssue, name string, v []byte, voff int64) error {
	const p = ""
	d := jr.d
	is := &ji.rec.issue
	if kindOf(v) == "null" {
		return nil
	}
	var err error
	switch name {
	case "summary":
		is.Summary, err = d.str(v, voff, p)
	case "description":
		is.Description, err = d.richText(v, voff, p)
	case "issuetype", "status", "priority", "assignee", "reporter":
		*stringTarget(is, jiraNamedFields[name]), err = d.nameOf(v, voff, p)
	case "labels":
		err = d.eachElement(v, voff, p, func(i int, lv []byte, loff int64) error {
			l, err := d.str(lv, loff, fmt.Sprintf("[%d]", i))
			is.Labels = append(is.Labels, l)
			return err
		})
	case "components":
		err = d.eachElement(v, voff, p, func(i int, cv []byte, coff int64) error {
			c, err := d.nameOf(cv, coff, fmt.Sprintf("[%d]", i))
			is.Components = append(is.Components, c)
			return err
		})
	case "duedate":
		var s string
		if s, err = d.str(v, voff, p); err == nil {
			ji.other = append(ji.other, setDue(is, s, name)...)
		}
	case "parent":
		var pa struct {
			Key    string `json:"key"`
			Fields struct {
				Summary string `json:"summary"`
			} `json:"fields"`
		}
		err = d.decode(v, voff, p, &pa)
		ji.parent = &jiraEpic{key: pa.Key, name: pa.Fields.Summary}
	case "epic":
		var ep struct {
			Key     string `json:"key"`
			Name    string `json:"name"`
			Summary string `json:"summary"`
		}
		err = d.decode(v, voff, p, &ep)
		if ep.Name == "" {
			ep.Name = ep.Summary
		}
		ji.epic = &jiraEpic{key: ep.Key, name: ep.Name}
	case "sprint":
		var sp jiraSprint
		err = d.decode(v, voff, p, &sp)
		ji.sprints = append(ji.sprints, sp)
	case "closedSprints":
		var sps []jiraSprint
		err = d.decode(v, voff, p, &sps)
		// Closed sprints come before the current one.
		ji.sprints = append(sps, ji.sprints...)
	default:
		if strings.HasPrefix(name, "customfield_") {
			ji.custom = append(ji.custom, d.customValue(name, v))
		} else if t := d.valueText(v); t != "" {
			ji.other = append(ji.other, namedValue{name, t})
		}
	}
	return err
}

// richText reads a text field: a string (API v2) or an Atlassian
// Document Format document (API v3).
func (d *jsonDoc) richText(raw []byte, off int64, path string) (string, error) {
	if kindOf(raw) == "a string" {
		return d.str(raw, off, path)
	}
	if kindOf(raw) != "an object" {
		return "", d.errAt(off, path, "expected a string or an Atlassian Document Format object, got "+kindOf(raw))
	}
	doc, err := d.adf(raw, off, path)
	if err != nil {
		return "", err
	}
	return d.adfw.text(&doc), nil
}

// nameMembers are the members that name a Jira object, by preference.
var nameMembers = map[string]int{"displayName": 0, "name": 1, "value": 2, "emailAddress": 3}

// nameOf reads a user, status, type, priority, component or option: an
// object with a displayName, name, value or emailAddress (the first one
// present wins, in that order), or a plain string.
func (d *jsonDoc) nameOf(raw []byte, off int64, path string) (string, error) {
	switch kindOf(raw) {
	case "a string":
		return d.str(raw, off, path)
	case "null":
		return "", nil
	case "an object":
		var names [4]string
		err := d.eachMember(raw, off, path, func(name string, v []byte, voff int64) error {
			k, ok := nameMembers[name]
			if !ok || kindOf(v) == "null" {
				return nil
			}
			if kindOf(v) != "a string" {
				return d.errAt(voff, joinPath(path, name), "expected a string, got "+kindOf(v))
			}
			var err error
			names[k], err = d.str(v, voff, joinPath(path, name))
			return err
		})
		for _, n := range names {
			if n != "" {
				return n, err
			}
		}
		return "", err
	}
	return "", d.errAt(off, path, "expected an object with a name, got "+kindOf(raw))
}

// setDue parses a due date into is.Due; a date it cannot parse is kept
// as text under the returned field name.
func setDue(is *cards.Issue, s, field string) []namedValue {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if t, ok := parseDate(s); ok {
		is.Due = &t
		return nil
	}
	return []namedValue{{field, s}}
}

// parentOf picks the parent: the Epic Link field first, then the agile
// epic, then "parent"; its name comes from whichever of the epic and
// parent objects has the same key.
func (ji *jiraIssue) parentOf() (key, name string) {
	switch {
	case ji.epicLink != "":
		key = ji.epicLink
	case ji.epic != nil:
		key, name = ji.epic.key, ji.epic.name
	case ji.parent != nil:
		key, name = ji.parent.key, ji.parent.name
	}
	for _, e := range []*jiraEpic{ji.epic, ji.parent} {
		if name == "" && e != nil && e.key == key {
			name = e.name
		}
	}
	return key, name
}

// customValue reduces a custom field value to its text, number and
// sprints.
func (d *jsonDoc) customValue(id string, raw []byte) customValue {
	cv := customValue{id: id, text: d.valueText(raw), sprints: d.sprintsOf(raw)}
	switch kindOf(raw) {
	case "a number":
		var f float64
		if json.Unmarshal(raw, &f) == nil {
			cv.num = &f
		}
	case "a string":
		if f, ok := parsePoints(cv.text); ok {
			cv.num = &f
		}
	}
	return cv
}

// valueText is the plain text of a field value: scalars as written,
// objects by displayName/name/value (cascading options as "parent / child"),
// ADF documents flattened, arrays joined with ", ". Objects with none of
// these (avatars, counters, links) give "". Values are read in place; only
// the members used are decoded.
func (d *jsonDoc) valueText(raw []byte) string {
	switch kindOf(raw) {
	case "a string":
		s, _ := d.str(raw, 0, "")
		if sp, ok := parseLegacySprint(s); ok {
			return sp.Name
		}
		return s
	case "a number", "true/false":
		return string(raw)
	case "null":
		return ""
	case "an array":
		var parts []string
		_ = d.eachElement(raw, 0, "", func(_ int, v []byte, _ int64) error {
			if s := d.valueText(v); s != "" {
				parts = append(parts, s)
			}
			return nil
		})
		return strings.Join(parts, ", ")
	}
	var typ, child []byte
	var names [3][]byte // displayName, name, value: the first that is set wins
	_ = d.eachMember(raw, 0, "", func(name string, v []byte, _ int64) error {
		switch name {
		case "type":
			typ = v
		case "child":
			child = v
		case "displayName":
			names[0] = v
		case "name":
			names[1] = v
		case "value":
			names[2] = v
		}
		return nil
	})
	if string(typ) == `"doc"` {
		if doc, err := d.adf(raw, 0, ""); err == nil {
			return d.adfw.text(&doc)
		}
		return ""
	}
	for _, v := range names {
		if k := kindOf(v); v == nil || k != "a string" && k != "a number" {
			continue
		}
		s := d.valueText(v)
		if s == "" {
			continue
		}
		if kindOf(child) == "an object" {
			if c := d.valueText(child); c != "" {
				s += " / " + c
			}
		}
		return s
	}
	return ""
}

// sprintsOf recognises sprint values: objects with a name and a state and
// some sprint-only member, or the legacy GreenHopper strings.
func (d *jsonDoc) sprintsOf(raw []byte) []jiraSprint {
	var out []jiraSprint
	switch kindOf(raw) {
	case "an array":
		_ = d.eachElement(raw, 0, "", func(_ int, v []byte, _ int64) error {
			out = append(out, d.sprintsOf(v)...)
			return nil
		})
	case "a string":
		s, _ := d.str(raw, 0, "")
		if sp, ok := parseLegacySprint(s); ok {
			out = append(out, sp)
		}
	case "an object":
		var sp jiraSprint
		sprintOnly := false
		_ = d.eachMember(raw, 0, "", func(name string, v []byte, _ int64) error {
			switch name {
			case "name":
				sp.Name, _ = d.str(v, 0, "")
			case "state":
				sp.State, _ = d.str(v, 0, "")
			case "boardId", "originBoardId", "rapidViewId", "startDate", "goal":
				sprintOnly = true
			}
			return nil
		})
		if sp.Name != "" && sp.State != "" && sprintOnly {
			out = append(out, sp)
		}
	}
	return out
}

// legacySprintKeys are the members that follow name= in the GreenHopper
// sprint strings; a sprint name may itself contain commas.
var legacySprintKeys = []string{",startDate=", ",endDate=", ",completeDate=", ",activatedDate=", ",sequence=", ",goal=", ",synced=", ",autoStartStop=", ",incompleteIssuesDestinationId="}

// parseLegacySprint reads "com.atlassian.greenhopper.service.sprint.Sprint@1f[id=1,rapidViewId=1,state=ACTIVE,name=Sprint 1,startDate=...]".
func parseLegacySprint(s string) (jiraSprint, bool) {
	if !strings.HasPrefix(s, "com.atlassian.greenhopper.service.sprint.Sprint@") {
		return jiraSprint{}, false
	}
	i := strings.Index(s, ",name=")
	if i < 0 {
		return jiraSprint{}, false
	}
	rest := s[i+len(",name="):]
	end := strings.LastIndex(rest, "]")
	if end < 0 {
		end = len(rest)
	}
	for _, k := range legacySprintKeys {
		if j := strings.Index(rest, k); j >= 0 && j < end {
			end = j
		}
	}
	sp := jiraSprint{Name: rest[:end]}
	if j := strings.Index(s, ",state="); j >= 0 {
		st := s[j+len(",state="):]
		if k := strings.IndexByte(st, ','); k >= 0 {
			st = st[:k]
		}
		sp.State = st
	}
	return sp, sp.Name != ""
}

// currentSprint picks the active sprint, else the last one listed.
func currentSprint(sps []jiraSprint) string {
	for i := len(sps) - 1; i >= 0; i-- {
		if strings.EqualFold(sps[i].State, "active") {
			return sps[i].Name
		}
	}
	if len(sps) > 0 {
		return sps[len(sps)-1].Name
	}
	return ""
}

// storyPointIDs are the custom field ids Jira commonly uses for story
// points, used only when the response has no "names" map naming one.
var storyPointIDs = []string{"customfield_10016", "customfield_10026", "customfield_10105", "customfield_10002"}

// systemFieldNames gives Jira's display names for system fields when the
// response has no "names" map, so Fields keys do not depend on expand.
var systemFieldNames = map[string]string{
	"project": "Project", "resolution": "Resolution", "resolutiondate": "Resolved",
	"created": "Created", "updated": "Updated", "creator": "Creator",
	"fixVersions": "Fix Version/s", "versions": "Affects Version/s",
	"environment": "Environment", "lastViewed": "Last Viewed", "workratio": "Work Ratio",
	"timeestimate": "Remaining Estimate", "timeoriginalestimate": "Original Estimate",
	"timespent": "Time Spent", "aggregatetimeestimate": "Σ Remaining Estimate",
	"aggregatetimeoriginalestimate": "Σ Original Estimate", "aggregatetimespent": "Σ Time Spent",
	"security": "Security Level", "statuscategorychangedate": "Status Category Changed",
	"duedate": "Due date", "flagged": "Flagged",
}

// displayName returns the name a field id is shown under.
func (jr *jiraReader) displayName(id string) string {
	if n := jr.names[id]; n != "" {
		return n
	}
	if n := systemFieldNames[id]; n != "" {
		return n
	}
	return id
}

// idsNamed returns the field ids whose display name is one of names
// (case-insensitive), sorted for a stable choice.
func (jr *jiraReader) idsNamed(names ...string) map[string]bool {
	ids := map[string]bool{}
	for id, n := range jr.names {
		for _, want := range names {
			if strings.EqualFold(strings.TrimSpace(n), want) {
				ids[id] = true
			}
		}
	}
	return ids
}

// records resolves the pending issues into records.
func (jr *jiraReader) records() []record {
	pointIDs := jr.idsNamed("Story Points", "Story point estimate")
	if len(pointIDs) == 0 {
		for _, id := range storyPointIDs {
			pointIDs[id] = true
		}
	}
	epicLinkIDs := jr.idsNamed("Epic Link")
	sprintIDs := jr.idsNamed("Sprint")
	epicNameIDs := jr.idsNamed("Epic Name")

	recs := make([]record, len(jr.pending))
	for i := range jr.pending {
		ji := &jr.pending[i]
		is := &ji.rec.issue
		is.URL = browseURL(ji.self, is.Key)
		// Resolve fields in id order so results do not depend on the order
		// of members in the input.
		sort.SliceStable(ji.other, func(a, b int) bool { return ji.other[a].id < ji.other[b].id })
		sort.SliceStable(ji.custom, func(a, b int) bool { return ji.custom[a].id < ji.custom[b].id })
		for _, o := range ji.other {
			addField(is, jr.displayName(o.id), o.text)
		}
		for _, cv := range ji.custom {
			switch {
			case pointIDs[cv.id] && cv.num != nil && is.StoryPoints == nil:
				f := *cv.num
				is.StoryPoints = &f
			case epicLinkIDs[cv.id] && cv.text != "":
				ji.epicLink = cv.text
			case sprintIDs[cv.id] || len(cv.sprints) > 0:
				ji.sprints = append(ji.sprints, cv.sprints...)
				if len(cv.sprints) == 0 && cv.text != "" {
					ji.sprints = append(ji.sprints, jiraSprint{Name: cv.text})
				}
			case epicNameIDs[cv.id]:
				addField(is, epicNameField, cv.text)
			case cv.text != "":
				addField(is, jr.displayName(cv.id), cv.text)
			}
		}
		is.Sprint = currentSprint(ji.sprints)
		is.ParentKey, is.ParentName = ji.parentOf()
		recs[i] = ji.rec
	}
	return recs
}

// browseURL derives https://host/browse/KEY from an issue's REST self URL
// (https://host[/context]/rest/api/2/issue/10002).
func browseURL(self, key string) string {
	if self == "" || key == "" {
		return ""
	}
	u, err := url.Parse(self)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	p := u.EscapedPath()
	i := strings.Index(p, "/rest/")
	if i < 0 {
		return ""
	}
	return u.Scheme + "://" + u.Host + p[:i] + "/browse/" + url.PathEscape(key)
}
