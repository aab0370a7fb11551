package boardgen

import (
	"bytes"
	"context"
	"image/jpeg"
	"math"
	"runtime"
	"testing"

	"github.com/cardwall/cardwall/sync/board"
)

func TestGenerateDeterministicAndTruthful(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("renders two 8–12 MP photos; skipped with -short and under wasm")
	}
	opt := Options{Level: Medium, Seed: 7, Cards: 12}
	a, err := Generate(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.JPEG, b.JPEG) {
		t.Error("the same options gave different photos")
	}
	tr := a.Truth
	if n := tr.Width * tr.Height; n < 8e6 || n > 12.5e6 {
		t.Errorf("photo %d×%d is not 8–12 MP", tr.Width, tr.Height)
	}
	if len(tr.Cards) != 12 || len(tr.Columns) != 4 {
		t.Fatalf("truth has %d cards and %d columns, want 12 and 4", len(tr.Cards), len(tr.Columns))
	}
	if tr.ModulePx < 2.6 || tr.ModulePx > 3.7 {
		t.Errorf("median module %.2f px is outside the medium range", tr.ModulePx)
	}
	img, err := jpeg.Decode(bytes.NewReader(a.JPEG))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != tr.Width || img.Bounds().Dy() != tr.Height {
		t.Errorf("JPEG is %v, truth says %d×%d", img.Bounds(), tr.Width, tr.Height)
	}
	// Every code lies inside the photo, and its finder corner (the
	// module inside the top-left corner) is dark while the quiet zone
	// just outside is light.
	for _, c := range append(tr.Cards, tr.Columns...) {
		for _, p := range c.Corners {
			if p.X < 0 || p.Y < 0 || p.X >= float64(tr.Width) || p.Y >= float64(tr.Height) {
				t.Errorf("%s: corner %v outside the photo", c.Text, p)
			}
		}
		h, ok := board.SquareToQuad(c.Corners)
		if !ok {
			t.Fatalf("%s: degenerate corners %v", c.Text, c.Corners)
		}
		in := h.Apply(board.Point{X: 0.5 / 21, Y: 0.5 / 21})   // first module
		out := h.Apply(board.Point{X: -2.0 / 21, Y: 0.5 / 21}) // quiet zone
		if l, q := luma(a, in), luma(a, out); !(l+40 < q) {
			t.Errorf("%s: finder module %.0f not darker than quiet zone %.0f at %v", c.Text, l, q, in)
		}
	}
}

func luma(s *Sample, p board.Point) float64 {
	x, y := int(math.Floor(p.X)), int(math.Floor(p.Y))
	i := y*s.Image.Stride + x*4
	return (float64(s.Image.Pix[i]) + float64(s.Image.Pix[i+1]) + float64(s.Image.Pix[i+2])) / 3
}

func TestParseLevel(t *testing.T) {
	for _, l := range Levels {
		if got, err := ParseLevel(string(l)); err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %q, %v", l, got, err)
		}
	}
	if _, err := ParseLevel("impossible"); err == nil {
		t.Error("ParseLevel accepted an unknown level")
	}
}

func BenchmarkGenerate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Generate(context.Background(), Options{Level: Medium, Seed: uint64(i), Cards: 40}); err != nil {
			b.Fatal(err)
		}
	}
}
