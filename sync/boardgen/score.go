package boardgen

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/cardwall/cardwall/sync/board"
)

// ReadTruth reads the ground truth written beside a generated photo.
func ReadTruth(path string) (*Truth, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t Truth
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: not a boardgen truth file: %w", path, err)
	}
	if t.Width <= 0 || t.Height <= 0 || len(t.Columns) == 0 {
		return nil, fmt.Errorf("%s: not a boardgen truth file (no size or columns)", path)
	}
	return &t, nil
}

// Score compares a scan of a generated photo with its truth.
type Score struct {
	Cards, Found int // cards on the board; of them, seen in the scan (placed or not)
	Headers      int // column headers on the board
	// HeadersFound counts the truth's columns the scan found a header for.
	HeadersFound int
	// Placed counts found cards the scan put in their true column.
	Placed int
	// FalseKeys are keys the scan reports that are not on the board.
	FalseKeys []string
	// Missed are the cards not found; Misplaced "KEY: got X, want Y".
	Missed, Misplaced []string
}

// ScoreScan scores a scan result against the truth.
func ScoreScan(t *Truth, r *board.Result) Score {
	s := Score{Cards: len(t.Cards), Headers: len(t.Columns)}
	want := map[string]string{}
	for _, c := range t.Cards {
		want[c.Key] = c.Column
	}
	got := map[string]string{}
	seen := map[string]bool{}
	for _, c := range r.Cards {
		got[c.Key], seen[c.Key] = c.Column, true
	}
	for _, u := range r.Unassigned {
		if !seen[u.Key] {
			got[u.Key], seen[u.Key] = "(unassigned: "+u.Reason+")", true
		}
	}
	for k, g := range got {
		w, ok := want[k]
		switch {
		case !ok:
			s.FalseKeys = append(s.FalseKeys, k)
		case g == w:
			s.Found++
			s.Placed++
		default:
			s.Found++
			s.Misplaced = append(s.Misplaced, fmt.Sprintf("%s: got %s, want %s", k, g, w))
		}
	}
	for k := range want {
		if !seen[k] {
			s.Missed = append(s.Missed, k)
		}
	}
	cols := map[string]bool{}
	for _, c := range r.Columns {
		cols[c.Name] = true
	}
	for _, c := range t.Columns {
		if cols[c.Column] {
			s.HeadersFound++
		}
	}
	sort.Strings(s.FalseKeys)
	sort.Strings(s.Missed)
	sort.Strings(s.Misplaced)
	return s
}
