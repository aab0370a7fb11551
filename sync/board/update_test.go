package board_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/sync/board"
)

func issues(kv ...string) []cards.Issue {
	var is []cards.Issue
	for i := 0; i < len(kv); i += 2 {
		is = append(is, cards.Issue{Key: kv[i], Status: kv[i+1]})
	}
	return is
}

func result(cols []string, cardsIn map[string]string, unassigned []string, dups []string) *board.Result {
	r := &board.Result{Width: 100, Height: 100, Duplicates: dups}
	for _, c := range cols {
		r.Columns = append(r.Columns, board.Column{Name: c})
	}
	for k, c := range cardsIn {
		r.Cards = append(r.Cards, board.Card{Key: k, Column: c})
	}
	for _, k := range unassigned {
		r.Unassigned = append(r.Unassigned, board.Unassigned{Key: k, Reason: "test"})
	}
	return r
}

func TestProposeUpdates(t *testing.T) {
	std := []string{"TO DO", "IN PROGRESS", "DONE"}
	tests := []struct {
		name       string
		r          *board.Result
		issues     []cards.Issue
		colmap     map[string]string
		updates    []string // "KEY from→to"
		unknown    []string
		notSeen    []string
		duplicates []string
		problems   []string // substrings
	}{
		{
			name:    "moves by case-insensitive name",
			r:       result(std, map[string]string{"A1-1": "TO DO", "A1-2": "IN PROGRESS", "A1-3": "DONE"}, nil, nil),
			issues:  issues("A1-1", "To Do", "A1-2", "To Do", "A1-3", "In Progress", "A1-4", "Done"),
			updates: []string{"A1-2 To Do→In Progress", "A1-3 In Progress→Done"},
			notSeen: []string{"A1-4"},
		},
		{
			name:    "status differing only in case is no change",
			r:       result(std, map[string]string{"A1-1": "IN PROGRESS"}, nil, nil),
			issues:  issues("A1-1", "in progress", "A1-2", "In Progress", "A1-3", "To Do", "A1-4", "Done"),
			notSeen: []string{"A1-2", "A1-3", "A1-4"},
		},
		{
			name:     "column map",
			r:        result([]string{"BACKLOG", "DOING", "DONE"}, map[string]string{"A1-1": "DOING", "A1-2": "BACKLOG", "A1-3": "DONE"}, nil, nil),
			issues:   issues("A1-1", "To Do", "A1-2", "Selected", "A1-3", "Closed"),
			colmap:   map[string]string{"Doing": "In Progress", "backlog": "Selected"},
			updates:  []string{"A1-1 To Do→In Progress"},
			problems: []string{`column "DONE" is not in the column map`},
		},
		{
			name:     "column map names a column not in the photo",
			r:        result([]string{"DOING"}, map[string]string{"A1-1": "DOING"}, nil, nil),
			issues:   issues("A1-1", "To Do"),
			colmap:   map[string]string{"DOING": "In Progress", "REVIEW": "In Review"},
			updates:  []string{"A1-1 To Do→In Progress"},
			problems: []string{`no header for column "REVIEW" (from the column map)`},
		},
		{
			name:     "missing header for a status",
			r:        result([]string{"TO DO", "DONE"}, map[string]string{"A1-1": "DONE"}, nil, nil),
			issues:   issues("A1-1", "To Do", "A1-2", "In Progress", "A1-3", "Done"),
			updates:  []string{"A1-1 To Do→Done"},
			notSeen:  []string{"A1-2", "A1-3"},
			problems: []string{`no header for status "In Progress" (COL:IN PROGRESS)`},
		},
		{
			name:     "a card of a column whose header is missing is not moved to a neighbour",
			r:        result([]string{"TO DO", "DONE"}, map[string]string{"A1-1": "DONE", "A1-2": "TO DO", "A1-4": "DONE"}, nil, nil),
			issues:   issues("A1-1", "To Do", "A1-2", "In Progress", "A1-3", "In Progress", "A1-4", "Done"),
			updates:  []string{"A1-1 To Do→Done"},
			notSeen:  []string{"A1-3"},
			problems: []string{`no header for status "In Progress"`, "not moved, as the IN PROGRESS header is missing and its cards cannot be told from their neighbours': A1-2"},
		},
		{
			name:     "the same with a column map",
			r:        result([]string{"TO DO", "DONE"}, map[string]string{"A1-1": "DONE", "A1-2": "DONE"}, nil, nil),
			issues:   issues("A1-1", "Open", "A1-2", "Doing"),
			colmap:   map[string]string{"TO DO": "Open", "DOING": "Doing", "DONE": "Closed"},
			updates:  []string{"A1-1 Open→Closed"},
			problems: []string{`no header for column "DOING"`, "not moved, as the DOING header is missing and its cards cannot be told from their neighbours': A1-2"},
		},
		{
			name:     "column that matches no status",
			r:        result([]string{"TO DO", "PARKED"}, map[string]string{"A1-1": "PARKED"}, nil, nil),
			issues:   issues("A1-1", "To Do"),
			problems: []string{`column "PARKED" matches no status`},
		},
		{
			name:    "unknown key",
			r:       result(std, map[string]string{"A1-1": "DONE", "ZZ-9": "DONE"}, []string{"ZZ-10"}, nil),
			issues:  issues("A1-1", "To Do", "A1-2", "In Progress", "A1-3", "Done"),
			updates: []string{"A1-1 To Do→Done"},
			unknown: []string{"ZZ-9", "ZZ-10"},
			notSeen: []string{"A1-2", "A1-3"},
		},
		{
			name:       "same card twice gets no update",
			r:          result(std, map[string]string{"A1-1": "DONE", "A1-2": "DONE"}, nil, []string{"A1-1"}),
			issues:     issues("A1-1", "To Do", "A1-2", "In Progress", "A1-3", "Done"),
			updates:    []string{"A1-2 In Progress→Done"},
			duplicates: []string{"A1-1"},
			notSeen:    []string{"A1-3"},
		},
		{
			name:    "unassigned card is seen but not moved",
			r:       result(std, nil, []string{"A1-1"}, nil),
			issues:  issues("A1-1", "To Do", "A1-2", "In Progress", "A1-3", "Done"),
			notSeen: []string{"A1-2", "A1-3"},
		},
		{
			name:     "no headers: nothing proposed",
			r:        result(nil, nil, []string{"A1-1", "A1-2"}, nil),
			issues:   issues("A1-1", "To Do", "A1-2", "Done"),
			problems: []string{`no header for status "To Do"`, `no header for status "Done"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := board.ProposeUpdates(tc.r, tc.issues, tc.colmap)
			var ups []string
			for _, u := range p.Updates {
				ups = append(ups, fmt.Sprintf("%s %s→%s", u.Key, u.From, u.To))
			}
			check := func(what string, got, want []string) {
				if !slices.Equal(got, want) {
					t.Errorf("%s = %q, want %q", what, got, want)
				}
			}
			check("updates", ups, tc.updates)
			check("unknown", p.Unknown, tc.unknown)
			check("not seen", p.NotSeen, tc.notSeen)
			check("duplicates", p.Duplicates, tc.duplicates)
			checkProblems(t, p.Problems, tc.problems)
		})
	}
}

func TestParseColumnMap(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
		err  string
	}{
		{`{"In Progress": "In Progress", "to  do":"To Do"}`, map[string]string{"IN PROGRESS": "In Progress", "TO DO": "To Do"}, ""},
		{`{}`, map[string]string{}, ""},
		{``, nil, "m.json:1: column map must be a JSON object"},
		{`null`, nil, "not null"},
		{"{\n\"A\": \"x\",\n\"B\": 3}", nil, `m.json:3: column "B": status must be a string, not 3`},
		{"{\n\"A\": \"x\",\n\"B\" \"y\"}", nil, "m.json:3:"},
		{`["A"]`, nil, "must be a JSON object"},
		{`{"A": "x"} {}`, nil, "unexpected data after"},
		{`{"A": " "}`, nil, `column "A": empty status`},
		{`{" ": "x"}`, nil, "empty column name"},
		{"{\"Done\": \"x\",\n\"DONE\": \"y\"}", nil, `m.json:2: columns "Done" and "DONE" are the same column`},
	}
	for _, tc := range tests {
		got, err := board.ParseColumnMap([]byte(tc.in), "m.json")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseColumnMap(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseColumnMap(%q): %v", tc.in, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("ParseColumnMap(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func FuzzParseColumnMap(f *testing.F) {
	for _, s := range []string{`{"A":"b"}`, `{}`, `null`, `{"A":1}`, "{\"x\":\"y\",\n\"X\":\"z\"}", `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := board.ParseColumnMap(data, "f.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.json:") {
				t.Fatalf("error without file and line: %v", err)
			}
			return
		}
		for k, v := range m {
			if k != board.NormalizeColumn(k) || k == "" || strings.TrimSpace(v) == "" {
				t.Fatalf("bad entry %q → %q", k, v)
			}
		}
	})
}
