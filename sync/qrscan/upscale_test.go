package qrscan

import (
	"context"
	"math"
	"testing"
)

// TestSharpenGrid reads a code of about 2 pixels per module blurred across
// modules: the sharpened grid must decode and have fewer module errors
// than the plain one.
func TestSharpenGrid(t *testing.T) {
	c := placeCode(t, "SHARP-17", 60, 60, 2.1, 0.2, 0.1)
	img := degrade(t, scene(120, 120, []placedCode{c}), 1, 3, 80, 7)
	p := basePlane(img)
	dim := len(c.mods)
	vals := make([]float32, dim*dim)
	sampleGrid(p, c.h, dim, vals)
	errs := func(method int) int {
		bits := thresholdGrid(vals, dim, method)
		n := 0
		for y := 0; y < dim; y++ {
			for x := 0; x < dim; x++ {
				if bits.Get(x, y) != c.mods[y][x] {
					n++
				}
			}
		}
		return n
	}
	plain, sharp := errs(gridGlobal), errs(gridSharp)
	t.Logf("module errors: plain %d, sharpened %d", plain, sharp)
	if 2*sharp >= plain {
		t.Errorf("sharpened grid: %d module errors, plain %d (want under half)", sharp, plain)
	}
	if text, err := decodeBits(thresholdGrid(vals, dim, gridSharp), false); err != nil || text != "SHARP-17" {
		t.Errorf("sharpened grid decoded %q, %v (%d module errors)", text, err, sharp)
	}
}

// TestScanTile decodes a small code on its upscaled tile and reports its
// corners in image coordinates.
func TestScanTile(t *testing.T) {
	c := placeCode(t, "TILE-42", 130, 110, 2.6, 0.3, 0.15)
	img := degrade(t, scene(260, 220, []placedCode{c}), 1, 2, 85, 3)
	s := newScanner(context.Background(), img, &Options{Effort: Thorough})
	codes := s.scanTile(tile{70, 50, 190, 170})
	if len(codes) != 1 || codes[0].Text != "TILE-42" {
		t.Fatalf("tile scan: %+v, want TILE-42", codes)
	}
	want := cornersOf(c.h, len(c.mods))
	for k, p := range codes[0].Corners {
		if e := math.Hypot(p.X-want[k].X, p.Y-want[k].Y); e > 2*2.6 {
			t.Errorf("corner %d at (%.1f,%.1f), want (%.1f,%.1f)", k, p.X, p.Y, want[k].X, want[k].Y)
		}
	}
}

// TestRetryTiles checks which places get a retry: undecoded small codes
// and left-over finders not covered already, never decoded codes or big
// modules, and no more than upscaleMaxTiles.
func TestRetryTiles(t *testing.T) {
	s := newScanner(context.Background(), scene(1000, 1000, nil), nil)
	sq := func(x, y, side float64) [4]Point {
		return [4]Point{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}}
	}
	s.found = []Code{
		{Decoded: true, Text: "A", Corners: sq(100, 100, 44), ModuleSize: 2.1},
		{Corners: sq(400, 100, 44), ModuleSize: 2.1},
		{Corners: sq(700, 100, 210), ModuleSize: 10},
	}
	s.left = []finder{
		{x: 110, y: 110, ms: 2.1}, // inside the decoded code
		{x: 410, y: 110, ms: 2.1}, // covered by the undecoded code's tile
		{x: 500, y: 600, ms: 2.1}, // new place
		{x: 800, y: 800, ms: 8},   // modules big enough already
	}
	ts := s.retryTiles()
	if len(ts) != 2 || !ts[0].contains(422, 122) || !ts[1].contains(500, 600) {
		t.Fatalf("tiles %+v, want one around (422,122) and one around (500,600)", ts)
	}
	s.found = nil
	s.left = nil
	for i := 0; i < 500; i++ {
		s.left = append(s.left, finder{x: float64(i%25) * 40, y: float64(i/25) * 50, ms: 2})
	}
	if n := len(s.retryTiles()); n != upscaleMaxTiles {
		t.Errorf("%d tiles for 500 scattered finders, want the cap %d", n, upscaleMaxTiles)
	}
}

// TestSearchCorner starts from a bottom-right corner a module off (the
// corner without a finder) and must find a geometry that decodes, with
// that corner nearer the truth.
func TestSearchCorner(t *testing.T) {
	const ms = 2.6
	c := placeCode(t, "CORNER-5", 60, 60, ms, 0.25, 0.1)
	img := degrade(t, scene(120, 120, []placedCode{c}), 1, 2, 85, 5)
	p := basePlane(img)
	dim := len(c.mods)
	truth := cornersOf(c.h, dim)
	cs := truth
	cs[2].X += 1.1 * ms
	cs[2].Y -= 0.4 * ms
	h, _ := fromCorners(cs, dim)
	vals := make([]float32, dim*dim)
	if _, ok, _, _ := readGrid(p, h, dim, cornerSearchMethods, vals); ok {
		t.Fatal("the displaced geometry decodes already; the test needs a larger displacement")
	}
	text, h2, ok := searchCorner(p, h, dim, vals)
	if !ok || text != "CORNER-5" {
		t.Fatalf("searchCorner: %q, %v", text, ok)
	}
	got := cornersOf(h2, dim)[2]
	before := math.Hypot(cs[2].X-truth[2].X, cs[2].Y-truth[2].Y)
	after := math.Hypot(got.X-truth[2].X, got.Y-truth[2].Y)
	if after >= before {
		t.Errorf("corner error %.2f px after the search, %.2f before", after, before)
	}
}
