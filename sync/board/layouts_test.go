package board_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/sync/board"
	"github.com/cardwall/cardwall/sync/boardgen"
)

// TestLocateOnGeneratedLayouts places the cards of many generated boards
// (every level: 10–80 cards, columns 1–3 cards wide, cards askew, tilt up
// to 35°, roll up to ±12°) from their true code corners, moved by up to a
// pixel as a detector would: every card must land in its column. Then,
// with one header taken away (in the middle, and at the edge), that
// column's cards must not be given to a neighbour.
func TestLocateOnGeneratedLayouts(t *testing.T) {
	seeds := 25
	if testing.Short() {
		seeds = 4
	}
	for _, level := range boardgen.Levels {
		for seed := 1; seed <= seeds; seed++ {
			s, err := boardgen.Generate(context.Background(), boardgen.Options{Level: level, Seed: uint64(seed), TruthOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			tr := s.Truth
			name := fmt.Sprintf("%s/%d", level, seed)
			var dets []board.Detection
			for _, c := range append(tr.Columns, tr.Cards...) {
				dets = append(dets, board.Detection{Text: c.Text, Decoded: true, Corners: c.Corners})
			}
			addNoise(dets, 1, int64(seed))
			r := board.Locate(dets, tr.Width, tr.Height)
			if sc := boardgen.ScoreScan(&tr, r); sc.Placed != sc.Cards || len(r.Problems) > 0 {
				t.Errorf("%s: %d of %d cards placed right: %v; problems %q", name, sc.Placed, sc.Cards, sc.Misplaced, r.Problems)
			}
			// The board is in step with the tracker: each issue's status is
			// its card's column. With a header taken away, no card may be
			// proposed for a move, and no card of another column may be
			// put in a wrong one (next to the gap it may stay unassigned).
			var issues []cards.Issue
			for _, c := range tr.Cards {
				issues = append(issues, cards.Issue{Key: c.Key, Status: c.Column})
			}
			for _, gone := range []int{1, len(tr.Columns) - 1} {
				var rest []board.Detection
				for _, d := range dets {
					if d.Text != tr.Columns[gone].Text {
						rest = append(rest, d)
					}
				}
				r := board.Locate(rest, tr.Width, tr.Height)
				if p := board.ProposeUpdates(r, issues, nil); len(p.Updates) > 0 {
					t.Errorf("%s without header %s: wrong updates %v", name, tr.Columns[gone].Column, p.Updates)
				}
				got := placement(r)
				for _, c := range tr.Cards {
					if c.Column != tr.Columns[gone].Column && got[c.Key] != c.Column && got[c.Key] != "" {
						t.Errorf("%s without header %s: %s in %q, want %q", name, tr.Columns[gone].Column, c.Key, got[c.Key], c.Column)
					}
				}
			}
		}
	}
}
