package board

import (
	"math"
	"testing"
)

func near(a, b Point, tol float64) bool {
	return math.Abs(a.X-b.X) <= tol && math.Abs(a.Y-b.Y) <= tol
}

func TestSquareToQuadAndInverse(t *testing.T) {
	quads := [][4]Point{
		{{0, 0}, {1, 0}, {1, 1}, {0, 1}},
		{{10, 20}, {110, 25}, {105, 130}, {5, 120}},
		{{100, 100}, {300, 120}, {280, 200}, {130, 190}},
	}
	unit := [4]Point{{0, 0}, {1, 0}, {1, 1}, {0, 1}}
	for _, q := range quads {
		h, ok := SquareToQuad(q)
		if !ok {
			t.Fatalf("SquareToQuad(%v) failed", q)
		}
		inv, ok := h.Inverse()
		if !ok {
			t.Fatalf("inverse of %v failed", h)
		}
		for i, u := range unit {
			if p := h.Apply(u); !near(p, q[i], 1e-9) {
				t.Errorf("quad %v: corner %d maps to %v", q, i, p)
			}
			if p := inv.Apply(q[i]); !near(p, u, 1e-9) {
				t.Errorf("quad %v: inverse of corner %d is %v", q, i, p)
			}
		}
		if id := h.Mul(inv); !near(id.Apply(Point{3, 4}), Point{3, 4}, 1e-9) {
			t.Errorf("h·h⁻¹ is not the identity: %v", id)
		}
	}
	if _, ok := SquareToQuad([4]Point{{0, 0}, {1, 1}, {2, 2}, {3, 3}}); ok {
		t.Error("SquareToQuad accepted a degenerate quadrilateral")
	}
}
