package qrscan

import (
	"context"
	"fmt"
	"image"
	"math"
	"testing"
)

func TestScanSingle(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		ms       float64
		angle    float64 // degrees
		keystone float64
		blur     int
		sigma    float64
		q        int
	}{
		{"v1 clean 4px", "PROJ-101", 4, 0, 0, 0, 0, 0},
		{"v1 rotated 30°", "PROJ-102", 4, 30, 0, 0, 0, 0},
		{"v1 rotated 135°", "PROJ-103", 4, 135, 0, 0, 0, 0},
		{"v1 2.5px noisy jpeg", "PROJ-104", 2.5, 8, 0, 0, 6, 80},
		{"v1 keystone", "PROJ-105", 4, 10, 0.25, 0, 0, 0},
		{"v1 3px blur", "PROJ-106", 3, -5, 0.1, 1, 4, 85},
		{"v3 3px", "https://example.com/issue/PROJ-1234?x=1", 3, 12, 0.1, 0, 4, 85},
		{"v7 3px", "The quick brown fox jumps over the lazy dog, twice over: the quick brown fox jumps!", 3, 5, 0.05, 0, 3, 90},
		{"v2 big modules", "PROJ-999 with text", 24, 20, 0.05, 0, 3, 85},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := placeCode(t, tc.text, 300, 300, tc.ms, tc.angle*math.Pi/180, tc.keystone)
			w := 600
			if tc.ms > 10 {
				c = placeCode(t, tc.text, 700, 700, tc.ms, tc.angle*math.Pi/180, tc.keystone)
				w = 1400
			}
			img := degrade(t, scene(w, w, []placedCode{c}), tc.blur, tc.sigma, tc.q, 1)
			codes, err := Scan(context.Background(), img, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, cd := range codes {
				if cd.Decoded {
					got = append(got, cd.Text)
				}
			}
			if len(got) != 1 || got[0] != tc.text {
				t.Fatalf("decoded %q (all %+v), want [%q]", got, codes, tc.text)
			}
			// The top-left corner must be near the code's own top-left.
			x, y := c.h.apply(0, 0)
			if d := math.Hypot(codes[0].Corners[0].X-x, codes[0].Corners[0].Y-y); d > 2*tc.ms {
				t.Errorf("top-left corner %v, want near (%.1f, %.1f)", codes[0].Corners[0], x, y)
			}
		})
	}
}

func TestScanEmpty(t *testing.T) {
	for _, sz := range []image.Rectangle{image.Rect(0, 0, 0, 0), image.Rect(0, 0, 1, 1), image.Rect(0, 0, 50, 3), image.Rect(5, 5, 60, 70)} {
		img := image.NewGray(sz)
		codes, err := Scan(context.Background(), img, nil)
		if err != nil || len(codes) != 0 {
			t.Errorf("%v: got %v, %v; want nothing", sz, codes, err)
		}
	}
}

func TestScanCancelAndProgress(t *testing.T) {
	c := placeCode(t, "PROJ-7", 300, 300, 3, 0.2, 0.05)
	img := scene(600, 600, []placedCode{c})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Scan(ctx, img, nil); err != context.Canceled {
		t.Errorf("cancelled context: err %v, want %v", err, context.Canceled)
	}
	var got []float64
	codes, err := Scan(context.Background(), img, &Options{Progress: func(f float64) { got = append(got, f) }})
	if err != nil || len(codes) != 1 || codes[0].Text != "PROJ-7" {
		t.Fatalf("got %+v, %v", codes, err)
	}
	if len(got) < 2 || got[0] != 0 || got[len(got)-1] != 1 {
		t.Errorf("progress %v: want 0 … 1", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i] < got[i-1] {
			t.Errorf("progress went back: %v", got)
		}
	}
}

func TestEffortString(t *testing.T) {
	for e, want := range map[Effort]string{Fast: "fast", Normal: "normal", Thorough: "thorough", Effort(9): "Effort(9)"} {
		if e.String() != want {
			t.Errorf("%d: %q, want %q", int(e), e.String(), want)
		}
	}
}

func TestScanEfforts(t *testing.T) {
	c := placeCode(t, "PROJ-8", 300, 300, 3, -0.3, 0.1)
	img := degrade(t, scene(600, 600, []placedCode{c}), 0, 4, 85, 3)
	for _, e := range []Effort{Fast, Normal, Thorough} {
		codes, err := Scan(context.Background(), img, &Options{Effort: e})
		if err != nil || len(codes) != 1 || codes[0].Text != "PROJ-8" {
			t.Errorf("%v: got %+v, %v", e, codes, err)
		}
	}
}

// TestScanNoiseBounded scans a photo of pure noise: nothing is found, and
// a small candidate cap is reported as truncation.
func TestScanNoiseBounded(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 800, 600))
	seed := uint32(1)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223
		img.Pix[i] = byte(seed >> 24)
	}
	var rep Report
	codes, err := Scan(context.Background(), img, &Options{MaxCandidates: 1, Report: &rep})
	if err != nil || len(codes) != 0 {
		t.Fatalf("noise: got %+v, %v", codes, err)
	}
	if rep.Candidates > 1*8 {
		t.Errorf("candidates %d over the cap", rep.Candidates)
	}
	t.Logf("report %+v", rep)
}

// TestScan200Codes checks a photo with far more codes than any board: all
// 200 are read, each once, with no false read, and the scan stays bounded.
func TestScan200Codes(t *testing.T) {
	if testing.Short() {
		t.Skip("a 4 MP scene of 200 codes; skipped in -short")
	}
	const cols, rows, pitch = 20, 10, 140.0
	var codes []placedCode
	want := map[string]bool{}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			text := fmt.Sprintf("MANY-%d", r*cols+c+1)
			want[text] = true
			codes = append(codes, placeCode(t, text, pitch/2+float64(c)*pitch, pitch/2+float64(r)*pitch, 3.5, 0.05*float64((r+c)%5-2), 0))
		}
	}
	img := scene(cols*int(pitch), rows*int(pitch), codes)
	var rep Report
	got, err := Scan(context.Background(), img, &Options{Report: &rep})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, c := range got {
		if !c.Decoded {
			continue
		}
		if !want[c.Text] {
			t.Errorf("false read %q", c.Text)
		}
		seen[c.Text]++
	}
	for text := range want {
		if seen[text] != 1 {
			t.Errorf("%s read %d times, want once", text, seen[text])
		}
	}
	t.Logf("%d codes, report %+v", len(got), rep)
}

// TestSearchedBefore checks the memory of failed searches: a start counts
// as searched only on the same level, with the same dimension and every
// corner within searchTolerance modules.
func TestSearchedBefore(t *testing.T) {
	base := [4]Point{{100, 100}, {200, 100}, {200, 200}, {100, 200}}
	s := &scanner{searched: []searchStart{{scale: 2, dim: 25, ms: 4, corners: base}}}
	shift := func(k int, dx float64) [4]Point {
		c := base
		c[k].X += dx
		return c
	}
	for _, tc := range []struct {
		name  string
		scale float64
		dim   int
		c     [4]Point
		want  bool
	}{
		{"same", 2, 25, base, true},
		{"one corner within tolerance", 2, 25, shift(2, 0.9*searchTolerance*4), true},
		{"one corner beyond tolerance", 2, 25, shift(3, 1.1*searchTolerance*4), false},
		{"other level", 1, 25, base, false},
		{"other dimension", 2, 29, base, false},
	} {
		if got := s.searchedBefore(tc.scale, tc.dim, tc.c); got != tc.want {
			t.Errorf("%s: searchedBefore = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestScanMirrored reads symbols printed mirror-wise (modules transposed),
// which only the first read of each candidate looks for, at several
// sizes and angles.
func TestScanMirrored(t *testing.T) {
	for _, tc := range []struct {
		text      string
		ms, angle float64
	}{
		{"MIRROR-1", 4, 0.2},
		{"MIRROR-2 https://example.com/m", 3, 2.5},
		{"MIRROR-3", 6, -1},
	} {
		c := placeCode(t, tc.text, 200, 200, tc.ms, tc.angle, 0.05)
		n := len(c.mods)
		for y := 0; y < n; y++ {
			for x := y + 1; x < n; x++ {
				c.mods[y][x], c.mods[x][y] = c.mods[x][y], c.mods[y][x]
			}
		}
		img := degrade(t, scene(400, 400, []placedCode{c}), 0, 3, 90, 5)
		codes, err := Scan(context.Background(), img, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 1 || !codes[0].Decoded || codes[0].Text != tc.text {
			t.Errorf("%s: got %+v, want the mirrored symbol decoded", tc.text, codes)
		}
	}
}

// TestFinderRowStep checks which passes scan every second row for
// finders: those looking for modules of minStepModule pixels or more.
func TestFinderRowStep(t *testing.T) {
	for _, tc := range []struct {
		name      string
		tp        thresholdParams
		minModule float64
		want      int
	}{
		{"level 0, 8-pixel blocks", defaultThreshold, 0, 2},
		{"level 0, 2-pixel blocks", smallModuleThreshold, 0, 1},
		{"level 0 of a small photo, 4-pixel blocks", narrowThreshold, 0, 1},
		{"upper level, 4-pixel blocks", narrowThreshold, minUpperModule, 2},
		{"upper level, 16-pixel blocks", wideThreshold, minUpperModule, 2},
	} {
		if got := finderRowStep(tc.tp, tc.minModule); got != tc.want {
			t.Errorf("%s: row step %d, want %d", tc.name, got, tc.want)
		}
	}
}
