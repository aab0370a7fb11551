package qrscan

import (
	"fmt"
	"math"
	"testing"
)

func TestFinderRatio(t *testing.T) {
	tests := []struct {
		runs [5]int
		want bool
	}{
		{[5]int{2, 2, 6, 2, 2}, true},
		{[5]int{1, 3, 5, 2, 2}, true}, // 2 px modules, blurred
		{[5]int{10, 10, 30, 10, 10}, true},
		{[5]int{10, 10, 10, 10, 10}, false},
		{[5]int{4, 4, 4, 4, 4}, false},
		{[5]int{1, 1, 1, 1, 1}, false}, // too small to be a finder
		{[5]int{10, 3, 30, 10, 10}, false},
	}
	for _, tc := range tests {
		r := tc.runs
		if got := finderRatio(r[0], r[1], r[2], r[3], r[4], finderTol); got != tc.want {
			t.Errorf("finderRatio%v = %v, want %v", r, got, tc.want)
		}
	}
}

func TestFitHomographyRoundTrip(t *testing.T) {
	truth := homography{3.1, 0.4, 100, -0.2, 2.9, 50, 0.001, -0.0005}
	var cs []correspondence
	for _, m := range [][2]float64{{0, 0}, {21, 0}, {21, 21}, {0, 21}, {3.5, 3.5}, {10, 14}} {
		x, y := truth.apply(m[0], m[1])
		cs = append(cs, correspondence{m[0], m[1], x, y, 1})
	}
	h, ok := fitHomography(cs)
	if !ok {
		t.Fatal("fit failed")
	}
	for _, m := range [][2]float64{{5, 7}, {20, 1}, {11, 19}} {
		x0, y0 := truth.apply(m[0], m[1])
		x1, y1 := h.apply(m[0], m[1])
		if math.Hypot(x1-x0, y1-y0) > 1e-6 {
			t.Errorf("at %v: got (%.4f,%.4f), want (%.4f,%.4f)", m, x1, y1, x0, y0)
		}
	}
	if _, ok := fitHomography(cs[:3]); ok {
		t.Error("three points fitted a homography")
	}
	line := []correspondence{{0, 0, 0, 0, 1}, {1, 0, 1, 0, 1}, {2, 0, 2, 0, 1}, {3, 0, 3, 0, 1}}
	if _, ok := fitHomography(line); ok {
		t.Error("collinear points fitted a homography")
	}
}

// TestStagesOnRenderedCode runs binarize, findFinders, verifyFinders and
// groupFinders on one rendered code and checks each stage's output against
// where the code was drawn.
func TestStagesOnRenderedCode(t *testing.T) {
	tests := []struct {
		name     string
		ms       float64
		angle    float64
		keystone float64
	}{
		{"upright 3px", 3, 0, 0},
		{"rotated 4px", 4, 0.5, 0},
		{"keystone 3px", 3, -0.2, 0.25},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := placeCode(t, "STAGE-1", 200, 200, tc.ms, tc.angle, tc.keystone)
			img := scene(400, 400, []placedCode{c})
			p := basePlane(img)
			bm := binarize(p, defaultThreshold)
			// Binarize: finder cores dark, gap rings light.
			d := float64(len(c.mods))
			for _, m := range [3]Point{{3.5, 3.5}, {d - 3.5, 3.5}, {3.5, d - 3.5}} {
				x, y := c.h.apply(m.X, m.Y)
				if !bm.dark(int(x), int(y)) {
					t.Errorf("finder core at (%.0f,%.0f) not dark", x, y)
				}
			}
			raw, _ := findFinders(bm, maxRawFinders)
			fs := verifyFinders(raw, p, 0)
			var idx [3]int
			for k, m := range [3]Point{{3.5, 3.5}, {d - 3.5, 3.5}, {3.5, d - 3.5}} {
				x, y := c.h.apply(m.X, m.Y)
				idx[k] = -1
				for i, f := range fs {
					if math.Hypot(f.x-x, f.y-y) < tc.ms {
						idx[k] = i
					}
				}
				if idx[k] < 0 {
					t.Fatalf("no finder near (%.1f,%.1f) in %+v", x, y, fs)
				}
			}
			ts := groupFinders(fs, bm, p, 10)
			if len(ts) == 0 {
				t.Fatal("no triple")
			}
			tr := ts[0]
			if tr.tl != idx[0] || tr.tr != idx[1] || tr.bl != idx[2] {
				t.Errorf("best triple %d %d %d, want %v", tr.tl, tr.tr, tr.bl, idx)
			}
			if tr.dim != len(c.mods) || tr.timing < 0.9 {
				t.Errorf("dim %d timing %.2f, want %d and ≥ 0.9", tr.dim, tr.timing, len(c.mods))
			}
			// Geometry: the fitted corners are within a module of the truth.
			g := locate(bm, p, fs, nil, &tr)
			h, ok := g.fit(tr.dim, true, nil)
			if !ok {
				t.Fatal("fit failed")
			}
			want, got := cornersOf(c.h, tr.dim), cornersOf(h, tr.dim)
			for k := range want {
				if e := math.Hypot(got[k].X-want[k].X, got[k].Y-want[k].Y); e > tc.ms {
					t.Errorf("corner %d off by %.2f px", k, e)
				}
			}
			// Sampling: the grid reads the drawn modules.
			vals := make([]float32, tr.dim*tr.dim)
			sampleGrid(p, h, tr.dim, vals)
			bits := thresholdGrid(vals, tr.dim, gridLocal)
			errs := 0
			for y := 0; y < tr.dim; y++ {
				for x := 0; x < tr.dim; x++ {
					if bits.Get(x, y) != c.mods[y][x] {
						errs++
					}
				}
			}
			if errs > 5 {
				t.Errorf("%d module errors", errs)
			}
			if text, err := decodeBits(bits, false); err != nil || text != "STAGE-1" {
				t.Errorf("decoded %q, %v", text, err)
			}
		})
	}
}

func TestInsideQuad(t *testing.T) {
	q := [4]Point{{0, 0}, {10, 0}, {10, 10}, {0, 10}}
	rev := [4]Point{q[3], q[2], q[1], q[0]}
	for _, tc := range []struct {
		x, y float64
		want bool
	}{{5, 5, true}, {0, 0, true}, {11, 5, false}, {-1, -1, false}} {
		if insideQuad(q, tc.x, tc.y) != tc.want || insideQuad(rev, tc.x, tc.y) != tc.want {
			t.Errorf("(%v,%v): want %v", tc.x, tc.y, tc.want)
		}
	}
}

func TestRefineGridImproves(t *testing.T) {
	c := placeCode(t, "REFINE-1", 150, 150, 3, 0.1, 0.1)
	img := degrade(t, scene(300, 300, []placedCode{c}), 1, 3, 0, 1)
	p := basePlane(img)
	dim := len(c.mods)
	// Start from the true corners pushed by about half a module (the
	// symbol repeats at whole modules, so larger errors may settle a
	// module off).
	cs := cornersOf(c.h, dim)
	cs[2].X += 1.5
	cs[2].Y -= 1
	cs[1].Y += 1.2
	h, _ := fromCorners(cs, dim)
	r := refineGrid(p, h, dim, 3)
	before, after := cornersOf(h, dim), cornersOf(r, dim)
	truth := cornersOf(c.h, dim)
	var eb, ea float64
	for k := range truth {
		eb += math.Hypot(before[k].X-truth[k].X, before[k].Y-truth[k].Y)
		ea += math.Hypot(after[k].X-truth[k].X, after[k].Y-truth[k].Y)
	}
	if ea >= eb/2 {
		t.Errorf("corner error %.2f px before, %.2f after refinement", eb, ea)
	}
}

// TestGroupGridOfCodes groups the finders of an aligned grid of codes (a
// board photographed head-on, where triples across neighbouring codes line
// up with real timing patterns at both ends): every code's own triple is
// found, and no triple mixes finders of two codes.
func TestGroupGridOfCodes(t *testing.T) {
	var codes []placedCode
	for row := 0; row < 3; row++ {
		for col := 0; col < 4; col++ {
			codes = append(codes, placeCode(t, fmt.Sprintf("GRID-%d%d", row, col), 150+float64(col)*170, 150+float64(row)*170, 4, 0, 0))
		}
	}
	img := scene(800, 620, codes)
	p := basePlane(img)
	bm := binarize(p, defaultThreshold)
	raw, _ := findFinders(bm, maxRawFinders)
	fs := verifyFinders(raw, p, 0)
	// owner[i] is the code whose finder fs[i] is, and role 0..2 (tl, tr, bl).
	owner, role := make([]int, len(fs)), make([]int, len(fs))
	for i, f := range fs {
		owner[i] = -1
		for ci, c := range codes {
			d := float64(len(c.mods))
			for k, m := range [3]Point{{3.5, 3.5}, {d - 3.5, 3.5}, {3.5, d - 3.5}} {
				if x, y := c.h.apply(m.X, m.Y); math.Hypot(f.x-x, f.y-y) < 4 {
					owner[i], role[i] = ci, k
				}
			}
		}
		if owner[i] < 0 {
			t.Fatalf("finder at (%.1f,%.1f) belongs to no code", f.x, f.y)
		}
	}
	if len(fs) != 3*len(codes) {
		t.Fatalf("%d finders, want %d", len(fs), 3*len(codes))
	}
	found := make([]bool, len(codes))
	for _, tr := range groupFinders(fs, bm, p, 4000) {
		o := owner[tr.tl]
		if owner[tr.tr] != o || owner[tr.bl] != o {
			t.Errorf("triple mixes codes %d, %d and %d (timing %.2f)", o, owner[tr.tr], owner[tr.bl], tr.timing)
			continue
		}
		if role[tr.tl] != 0 || role[tr.tr] != 1 || role[tr.bl] != 2 {
			t.Errorf("code %d: triple roles %d %d %d", o, role[tr.tl], role[tr.tr], role[tr.bl])
		}
		found[o] = true
	}
	for ci, ok := range found {
		if !ok {
			t.Errorf("code %d: no triple", ci)
		}
	}
}
