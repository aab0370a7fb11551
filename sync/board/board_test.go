package board_test

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/cardwall/cardwall/sync/board"
	"github.com/cardwall/cardwall/sync/boardgen"
)

// scene is a synthetic board in millimetres: header codes on a row at the
// top, card codes below them.
type scene struct {
	codes []placed
}

// placed is one code on the board: its text, centre (mm), size (mm) and
// how far it is turned on the board (degrees; a card pinned askew).
type placed struct {
	text       string
	x, y, size float64
	turn       float64
	undecoded  bool
}

// standardScene is four columns 300 mm apart with 2 cards side by side
// and rows rows of cards each; card codes are turned by up to ±4°.
func standardScene(rows int, seed int64) (scene, map[string]string) {
	rng := rand.New(rand.NewSource(seed))
	names := []string{"TO DO", "IN PROGRESS", "REVIEW", "DONE"}
	var s scene
	want := map[string]string{}
	n := 1
	for ci, name := range names {
		cx := float64(ci) * 300
		s.codes = append(s.codes, placed{text: "COL:" + name, x: cx, y: 0, size: 40})
		for r := 0; r < rows; r++ {
			for side := -1.0; side <= 1; side += 2 {
				key := fmt.Sprintf("PROJ-%d", n)
				n++
				s.codes = append(s.codes, placed{
					text: key, size: 30,
					x:    cx + side*65 + rng.Float64()*20 - 10,
					y:    130 + float64(r)*90 + rng.Float64()*10,
					turn: rng.Float64()*8 - 4,
				})
				want[key] = name
			}
		}
	}
	return s, want
}

// photo projects the scene through a camera aimed at the board's middle.
func (s scene) photo(tilt, pan, roll float64) ([]board.Detection, boardgen.Camera) {
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, c := range s.codes {
		minX, maxX = math.Min(minX, c.x), math.Max(maxX, c.x)
		minY, maxY = math.Min(minY, c.y), math.Max(maxY, c.y)
	}
	cam := boardgen.Camera{Width: 4000, Height: 3000, Focal: 3000, Tilt: tilt, Pan: pan, Roll: roll,
		Distance: 2.2 * math.Max(maxX-minX, maxY-minY), Aim: board.Point{X: (minX + maxX) / 2, Y: (minY + maxY) / 2}}
	h := cam.Homography()
	var dets []board.Detection
	for _, c := range s.codes {
		dets = append(dets, board.Detection{Text: c.text, Decoded: !c.undecoded, Corners: project(h, c)})
	}
	return dets, cam
}

func project(h board.Homography, c placed) [4]board.Point {
	sn, cs := math.Sincos(c.turn * math.Pi / 180)
	var q [4]board.Point
	for i, d := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		dx, dy := d[0]*c.size/2, d[1]*c.size/2
		q[i] = h.Apply(board.Point{X: c.x + cs*dx - sn*dy, Y: c.y + sn*dx + cs*dy})
	}
	return q
}

func placement(r *board.Result) map[string]string {
	got := map[string]string{}
	for _, c := range r.Cards {
		got[c.Key] = c.Column
	}
	return got
}

func TestLocateUnderCameraPoses(t *testing.T) {
	tests := []struct {
		name            string
		tilt, pan, roll float64
	}{
		{"frontal", 0, 0, 0},
		{"rotated +12", 0, 0, 12},
		{"rotated -12", 0, 0, -12},
		{"tilt 35 top away", 35, 0, 0},
		{"tilt -35 bottom away", -35, 0, 0},
		{"pan 35", 0, 35, 0},
		{"pan -30 tilt 25 roll 10", 25, -30, 10},
		{"tilt 35 pan 20 roll -12", 35, 20, -12},
		{"upside-down phone", 10, 10, 180},
		{"portrait phone", -10, 15, 90},
	}
	for _, tc := range tests {
		for seed := int64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", tc.name, seed), func(t *testing.T) {
				s, want := standardScene(6, seed)
				dets, cam := s.photo(tc.tilt, tc.pan, tc.roll)
				addNoise(dets, 1.0, seed)
				r := board.Locate(dets, cam.Width, cam.Height)
				got := placement(r)
				for k, col := range want {
					if got[k] != col {
						t.Errorf("%s: got column %q, want %q", k, got[k], col)
					}
				}
				if len(r.Unassigned) != 0 || len(r.Problems) != 0 {
					t.Errorf("unexpected unassigned %v / problems %v", r.Unassigned, r.Problems)
				}
				// Without a header, in the middle or at the edge, its
				// cards go nowhere rather than to a neighbour; the rest
				// stay put.
				for _, gone := range []string{"IN PROGRESS", "DONE"} {
					var missing []board.Detection
					for _, d := range dets {
						if d.Text != "COL:"+gone {
							missing = append(missing, d)
						}
					}
					got2 := placement(board.Locate(missing, cam.Width, cam.Height))
					for k, col := range want {
						if col == gone {
							col = ""
						}
						if got2[k] != col {
							t.Errorf("without the %s header: %s in %q, want %q", gone, k, got2[k], col)
						}
					}
				}
				var cols []string
				for _, c := range r.Columns {
					cols = append(cols, c.Name)
				}
				if strings.Join(cols, ",") != "TO DO,IN PROGRESS,REVIEW,DONE" {
					t.Errorf("columns %v, want left to right TO DO, IN PROGRESS, REVIEW, DONE", cols)
				}
			})
		}
	}
}

// addNoise moves every corner by up to ±px pixels, as a detector's
// corner estimates on a 2–3 px/module code do.
func addNoise(dets []board.Detection, px float64, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	for i := range dets {
		for j := range dets[i].Corners {
			dets[i].Corners[j].X += (rng.Float64()*2 - 1) * px
			dets[i].Corners[j].Y += (rng.Float64()*2 - 1) * px
		}
	}
}

func TestLocateEdgeCases(t *testing.T) {
	base := func() scene { s, _ := standardScene(2, 7); return s }
	tests := []struct {
		name   string
		edit   func(s *scene)
		place  map[string]string // expected column of some cards ("" = unassigned)
		reason map[string]string // substring of the unassigned reason
		// problem substrings expected (all) and the number of problems
		problems []string
		columns  int
	}{
		{
			name:    "card far left of the first column",
			edit:    func(s *scene) { s.codes = append(s.codes, placed{text: "XX-1", x: -400, y: 200, size: 30}) },
			reason:  map[string]string{"XX-1": "left of the first column (TO DO)"},
			columns: 4,
		},
		{
			name:    "card just left of the first header is in the first column",
			edit:    func(s *scene) { s.codes = append(s.codes, placed{text: "XX-1", x: -150, y: 200, size: 30}) },
			place:   map[string]string{"XX-1": "TO DO"},
			columns: 4,
		},
		{
			name:    "card far right of the last column",
			edit:    func(s *scene) { s.codes = append(s.codes, placed{text: "XX-2", x: 1400, y: 300, size: 30}) },
			reason:  map[string]string{"XX-2": "right of the last column (DONE)"},
			columns: 4,
		},
		{
			name:    "card above the header row",
			edit:    func(s *scene) { s.codes = append(s.codes, placed{text: "XX-3", x: 310, y: -120, size: 30}) },
			reason:  map[string]string{"XX-3": "above the header row (over column IN PROGRESS)"},
			columns: 4,
		},
		{
			name: "no headers",
			edit: func(s *scene) {
				s.codes = slices.DeleteFunc(s.codes, func(c placed) bool { return strings.HasPrefix(c.text, "COL:") })
			},
			reason:   map[string]string{"PROJ-1": "no column headers found in the photo"},
			problems: []string{"no column headers"},
			columns:  0,
		},
		{
			name: "headers only",
			edit: func(s *scene) {
				s.codes = slices.DeleteFunc(s.codes, func(c placed) bool { return !strings.HasPrefix(c.text, "COL:") })
			},
			columns: 4,
		},
		{
			name: "two headers with the same name, adjacent: one wide column",
			edit: func(s *scene) {
				s.codes[indexOf(s.codes, "COL:REVIEW")].text = "COL:IN PROGRESS"
			},
			place:    map[string]string{"PROJ-5": "IN PROGRESS", "PROJ-9": "IN PROGRESS", "PROJ-13": "DONE"},
			problems: []string{`column header "IN PROGRESS" appears 2 times`},
			columns:  4,
		},
		{
			name: "same card twice",
			edit: func(s *scene) {
				s.codes = append(s.codes, placed{text: "PROJ-1", x: 600, y: 500, size: 30})
			},
			place:    map[string]string{"PROJ-2": "TO DO"},
			problems: []string{"card PROJ-1 is on the board 2 times"},
			columns:  4,
		},
		{
			name: "same code detected twice at one place is one card",
			edit: func(s *scene) {
				c := s.codes[indexOf(s.codes, "PROJ-1")]
				c.x += 2
				s.codes = append(s.codes, c)
			},
			place:   map[string]string{"PROJ-1": "TO DO"},
			columns: 4,
		},
		{
			name: "foreign code and an unreadable code",
			edit: func(s *scene) {
				s.codes = append(s.codes, placed{text: "WIFI:S:x;;", x: 100, y: 300, size: 30},
					placed{text: "", x: 400, y: 300, size: 30, undecoded: true})
			},
			place:    map[string]string{"PROJ-1": "TO DO"},
			problems: []string{`neither a card nor a column header at`, `"WIFI:S:x;;"`},
			columns:  4,
		},
		{
			name:    "card pinned sideways still counts",
			edit:    func(s *scene) { s.codes = append(s.codes, placed{text: "XX-4", x: 620, y: 350, size: 30, turn: 90}) },
			place:   map[string]string{"XX-4": "REVIEW"},
			columns: 4,
		},
		{
			name: "header missing in the middle: its cards are not given to a neighbour",
			edit: func(s *scene) {
				s.codes = slices.DeleteFunc(s.codes, func(c placed) bool { return c.text == "COL:IN PROGRESS" })
			},
			place:    map[string]string{"PROJ-1": "TO DO", "PROJ-4": "TO DO", "PROJ-9": "REVIEW", "PROJ-13": "DONE"},
			reason:   map[string]string{"PROJ-5": "between columns TO DO and REVIEW, where a header may be missing", "PROJ-8": "between columns TO DO and REVIEW"},
			problems: []string{"columns TO DO and REVIEW are unusually far apart"},
			columns:  3,
		},
		{
			name: "single header",
			edit: func(s *scene) {
				s.codes = slices.DeleteFunc(s.codes, func(c placed) bool {
					return strings.HasPrefix(c.text, "COL:") && c.text != "COL:TO DO"
				})
			},
			place:   map[string]string{"PROJ-1": "TO DO", "PROJ-2": "TO DO"},
			reason:  map[string]string{"PROJ-13": "right of the last column (TO DO)"},
			columns: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := base()
			tc.edit(&s)
			dets, cam := s.photo(20, -15, 8)
			r := board.Locate(dets, cam.Width, cam.Height)
			if len(r.Columns) != tc.columns {
				t.Errorf("%d columns, want %d", len(r.Columns), tc.columns)
			}
			got := placement(r)
			for k, col := range tc.place {
				if got[k] != col {
					t.Errorf("%s in column %q, want %q", k, got[k], col)
				}
			}
			for k, reason := range tc.reason {
				i := slices.IndexFunc(r.Unassigned, func(u board.Unassigned) bool { return u.Key == k })
				if i < 0 {
					t.Errorf("%s not unassigned (column %q)", k, got[k])
				} else if !strings.Contains(r.Unassigned[i].Reason, reason) {
					t.Errorf("%s unassigned because %q, want %q", k, r.Unassigned[i].Reason, reason)
				}
			}
			checkProblems(t, r.Problems, tc.problems)
		})
	}
}

// checkProblems checks that every wanted text is in some problem, and
// that there are no problems when none are wanted.
func checkProblems(t *testing.T, problems, want []string) {
	t.Helper()
	all := strings.Join(problems, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("problems %q lack %q", problems, w)
		}
	}
	if len(want) == 0 && len(problems) > 0 {
		t.Errorf("unexpected problems %q", problems)
	}
}

func indexOf(cs []placed, text string) int {
	return slices.IndexFunc(cs, func(c placed) bool { return c.text == text })
}

func TestLocateWithDividers(t *testing.T) {
	s, want := standardScene(4, 3)
	noHeaders := s
	noHeaders.codes = slices.DeleteFunc(slices.Clone(s.codes), func(c placed) bool { return strings.HasPrefix(c.text, "COL:") })
	for _, tc := range []struct {
		name   string
		sc     scene
		names  []string
		expect map[string]string // header name → name the column gets
	}{
		{"headers name the columns", s, nil, nil},
		{"names given", noHeaders, []string{"To Do", "In Progress", "Review", "Done"}, nil},
		{"neither: numbered", noHeaders, nil, map[string]string{"TO DO": "COLUMN 1", "IN PROGRESS": "COLUMN 2", "REVIEW": "COLUMN 3", "DONE": "COLUMN 4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dets, cam := tc.sc.photo(30, 20, -10)
			h := cam.Homography()
			var divs []board.Divider
			// Dividers drawn bottom to top, in no particular order.
			for _, x := range []float64{750, 150, 450} {
				divs = append(divs, board.Divider{A: h.Apply(board.Point{X: x, Y: 600}), B: h.Apply(board.Point{X: x + 10, Y: -50})})
			}
			r, err := board.LocateWithDividers(dets, cam.Width, cam.Height, divs, tc.names)
			if err != nil {
				t.Fatal(err)
			}
			got := placement(r)
			for k, col := range want {
				if exp := tc.expect[col]; exp != "" {
					col = exp
				}
				if got[k] != col {
					t.Errorf("%s in %q, want %q", k, got[k], col)
				}
			}
		})
	}
	dets, cam := s.photo(0, 0, 0)
	if _, err := board.LocateWithDividers(dets, cam.Width, cam.Height, []board.Divider{{A: board.Point{X: 100, Y: 100}, B: board.Point{X: 900, Y: 120}}}, nil); err == nil || !strings.Contains(err.Error(), "does not run down the board") {
		t.Errorf("horizontal divider: err = %v", err)
	}
	if _, err := board.LocateWithDividers(dets, cam.Width, cam.Height, []board.Divider{{A: board.Point{X: 100, Y: 100}, B: board.Point{X: 100, Y: 900}}}, []string{"A"}); err == nil || !strings.Contains(err.Error(), "1 dividers make 2 columns, but 1 column names") {
		t.Errorf("name count mismatch: err = %v", err)
	}
}

func BenchmarkLocate80(b *testing.B) {
	s, _ := standardScene(10, 1) // 4 headers, 80 cards
	dets, cam := s.photo(30, 15, 8)
	for b.Loop() {
		board.Locate(dets, cam.Width, cam.Height)
	}
}
