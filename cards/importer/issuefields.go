package importer

import "github.com/cardwall/cardwall/cards"

// target is the Issue field a CSV column or Jira field fills.
type target int

const (
	toFields target = iota // not a model field: kept in Issue.Fields
	toKey
	toSummary
	toDescription
	toType
	toStatus
	toPriority
	toAssignee
	toReporter
	toLabels
	toComponents
	toParentKey
	toParentName
	toParentID // Jira "Parent id": an issue id, resolved to a key
	toIssueID  // Jira "Issue id": kept in Fields and used to resolve Parent id
	toPoints
	toSprint
	toDue
	toURL
)

// stringTarget returns the Issue field a single-valued target fills, or
// nil for targets kept in Fields.
func stringTarget(is *cards.Issue, t target) *string {
	switch t {
	case toKey:
		return &is.Key
	case toSummary:
		return &is.Summary
	case toDescription:
		return &is.Description
	case toType:
		return &is.Type
	case toStatus:
		return &is.Status
	case toPriority:
		return &is.Priority
	case toAssignee:
		return &is.Assignee
	case toReporter:
		return &is.Reporter
	case toParentKey:
		return &is.ParentKey
	case toParentName:
		return &is.ParentName
	case toURL:
		return &is.URL
	}
	return nil
}

// addField stores a value in is.Fields; a second value under the same
// name is appended on a new line rather than lost.
func addField(is *cards.Issue, name, value string) {
	if value == "" {
		return
	}
	if is.Fields == nil {
		is.Fields = map[string]string{}
	}
	if old, ok := is.Fields[name]; ok && old != "" {
		value = old + "\n" + value
	}
	is.Fields[name] = value
}
