package qreval

import (
	"math"
	"testing"
)

func rect(x0, y0, x1, y1 float64) []Point {
	return []Point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

func reversed(p []Point) []Point {
	r := make([]Point, len(p))
	for i, v := range p {
		r[len(p)-1-i] = v
	}
	return r
}

func TestOverlap(t *testing.T) {
	square := rect(0, 0, 2, 2)
	tests := []struct {
		name string
		p, q []Point
		want float64
	}{
		{"identical squares", square, square, 1},
		{"half-shifted squares: 2 of 4", square, rect(1, 0, 3, 2), 0.5},
		{"corner-shifted squares: 9 of 16", rect(0, 0, 4, 4), rect(1, 1, 5, 5), 9.0 / 16},
		{"small inside big: whole smaller area", rect(3, 3, 4, 4), rect(0, 0, 10, 10), 1},
		{"big around small", rect(0, 0, 10, 10), rect(3, 3, 4, 4), 1},
		{"disjoint", square, rect(5, 5, 6, 6), 0},
		{"touching edge only", square, rect(2, 0, 4, 2), 0},
		{"clockwise subject", reversed(square), rect(1, 0, 3, 2), 0.5},
		{"clockwise clipper", square, reversed(rect(1, 0, 3, 2)), 0.5},
		{"rotated start corner", []Point{{2, 2}, {0, 2}, {0, 0}, {2, 0}}, rect(1, 0, 3, 2), 0.5},
		// triangle (0,0),(2,0),(0,2): area 2, all inside the 2×2 square
		{"triangle in square", []Point{{0, 0}, {2, 0}, {0, 2}}, square, 1},
		// diamond centred at (2,1), radius 1: area 2, its left half (1) in the square
		{"diamond half in square", []Point{{1, 1}, {2, 0}, {3, 1}, {2, 2}}, square, 0.5},
		// 20×1 strip across a 4×4 square: 4 shared of min(20, 16)
		{"strip across square", rect(-10, 1.5, 10, 2.5), rect(0, 0, 4, 4), 4.0 / 16},
		// bow tie (corners out of order): shoelace sum 0, so zero area and
		// no overlap, as in the peer script
		{"bow tie label", square, []Point{{0, 0}, {2, 2}, {2, 0}, {0, 2}}, 0},
		{"two points", []Point{{0, 0}, {1, 1}}, square, 0},
		{"zero-area line", []Point{{0, 0}, {1, 1}, {2, 2}}, square, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Overlap(tc.p, tc.q)
			if math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("Overlap(%v, %v) = %v, want %v", tc.p, tc.q, got, tc.want)
			}
		})
	}
}

func TestOverlapDoesNotModifyInput(t *testing.T) {
	p := reversed(rect(0, 0, 2, 2))
	want := append([]Point(nil), p...)
	Overlap(p, p)
	for i := range p {
		if p[i] != want[i] {
			t.Fatalf("Overlap changed its argument: %v, was %v", p, want)
		}
	}
}

func TestPolygonArea(t *testing.T) {
	if got := polygonArea(rect(1, 1, 4, 3)); got != 6 {
		t.Errorf("area of 3×2 rectangle = %v, want 6", got)
	}
	if got := polygonArea(reversed(rect(1, 1, 4, 3))); got != 6 {
		t.Errorf("area of clockwise 3×2 rectangle = %v, want 6", got)
	}
}
