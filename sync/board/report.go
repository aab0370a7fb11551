package board

// Report is the scan of one photo in the shape `cardwall scan --json`
// prints and the browser API returns: every list is present (empty rather
// than null), updates only when issues were given.
type Report struct {
	Photo      ReportPhoto        `json:"photo"`
	Columns    []ReportColumn     `json:"columns"`
	Cards      []ReportCard       `json:"cards"`
	Unassigned []ReportUnassigned `json:"unassigned"`
	Unreadable []ReportCorners    `json:"unreadable"`
	// Updates is nil without issues, so it is left out of the JSON; with
	// issues it is never nil, so an empty plan shows as "updates":[].
	Updates  *[]Update `json:"updates,omitempty"`
	Unknown  []string  `json:"unknown,omitempty"`
	NotSeen  []string  `json:"notSeen,omitempty"`
	Problems []string  `json:"problems"`
}

// ReportPhoto names the photo and gives its size as displayed.
type ReportPhoto struct {
	File   string `json:"file,omitempty"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// ReportColumn is a column and its header code's corners.
type ReportColumn struct {
	Name    string   `json:"name"`
	Corners [4]Point `json:"corners"`
}

// ReportCard is a card placed in a column.
type ReportCard struct {
	Key     string   `json:"key"`
	Column  string   `json:"column"`
	Corners [4]Point `json:"corners"`
}

// ReportUnassigned is a card in no column, with the reason.
type ReportUnassigned struct {
	Key     string   `json:"key"`
	Reason  string   `json:"reason"`
	Corners [4]Point `json:"corners"`
}

// ReportCorners is a code located but not read.
type ReportCorners struct {
	Corners [4]Point `json:"corners"`
}

// NewReport builds the report of photo file from a scan result and, when
// issues were given, the update plan (nil otherwise).
func NewReport(file string, r *Result, plan *Plan) *Report {
	out := &Report{
		Photo:      ReportPhoto{file, r.Width, r.Height},
		Columns:    []ReportColumn{},
		Cards:      []ReportCard{},
		Unassigned: []ReportUnassigned{},
		Unreadable: []ReportCorners{},
		Problems:   append([]string{}, r.Problems...),
	}
	for _, c := range r.Columns {
		out.Columns = append(out.Columns, ReportColumn{c.Name, c.Corners})
	}
	for _, c := range r.Cards {
		out.Cards = append(out.Cards, ReportCard{c.Key, c.Column, c.Corners})
	}
	for _, u := range r.Unassigned {
		out.Unassigned = append(out.Unassigned, ReportUnassigned{u.Key, u.Reason, u.Corners})
	}
	for _, q := range r.Unreadable {
		out.Unreadable = append(out.Unreadable, ReportCorners{q})
	}
	if plan != nil {
		ups := append([]Update{}, plan.Updates...)
		out.Updates = &ups
		out.Unknown, out.NotSeen = plan.Unknown, plan.NotSeen
		out.Problems = append(out.Problems, plan.Problems...)
	}
	return out
}
