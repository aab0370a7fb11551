package qrscan

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// TestFormatCodewords checks the format codeword table against gozxing's
// format decoding: each codeword decodes to its own error correction level
// and mask.
func TestFormatCodewords(t *testing.T) {
	for d, w := range formatCodewords {
		f := decoder.FormatInformation_DecodeFormatInformation(uint(w), uint(w))
		if f == nil {
			t.Fatalf("codeword %d (%#04x) does not decode", d, w)
		}
		if got := int(f.GetErrorCorrectionLevel().GetBits())<<3 | int(f.GetDataMask()); got != d {
			t.Errorf("codeword %d (%#04x) decodes to %d", d, w, got)
		}
	}
}

// formatGrid is a dim×dim grid of random modules with the two copies of
// format codeword w written where ISO 18004 puts them, bits in flip
// (positions 0–14 of each copy, most significant first) inverted.
func formatGrid(dim int, w uint16, flip1, flip2 []int, rng *rand.Rand) *gozxing.BitMatrix {
	b, _ := gozxing.NewBitMatrix(dim, dim)
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			if rng.IntN(2) == 1 {
				b.Set(x, y)
			}
		}
	}
	var pos1, pos2 [][2]int // (i, j) = (x, y) in reading order
	for i := 0; i < 6; i++ {
		pos1 = append(pos1, [2]int{i, 8})
	}
	pos1 = append(pos1, [2]int{7, 8}, [2]int{8, 8}, [2]int{8, 7})
	for j := 5; j >= 0; j-- {
		pos1 = append(pos1, [2]int{8, j})
	}
	for j := dim - 1; j >= dim-7; j-- {
		pos2 = append(pos2, [2]int{8, j})
	}
	for i := dim - 8; i < dim; i++ {
		pos2 = append(pos2, [2]int{i, 8})
	}
	put := func(pos [][2]int, flip []int) {
		for k, p := range pos {
			bit := w>>(14-k)&1 == 1
			for _, f := range flip {
				if f == k {
					bit = !bit
				}
			}
			if bit {
				b.Set(p[0], p[1])
			} else {
				b.Unset(p[0], p[1])
			}
		}
	}
	put(pos1, flip1)
	put(pos2, flip2)
	return b
}

// TestFormatReadable checks the retry gate: consistent format copies pass
// (damaged by up to three bits each, or one exact), copies that decode to
// different formats and random grids mostly do not.
func TestFormatReadable(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	w := formatCodewords[13]
	for _, tc := range []struct {
		name         string
		flip1, flip2 []int
		want         bool
	}{
		{"clean", nil, nil, true},
		{"three bits off in each copy", []int{0, 5, 14}, []int{2, 7, 9}, true},
		{"one copy exact, the other garbled", nil, []int{0, 1, 2, 3, 4, 5, 6}, true},
		{"both copies four bits off", []int{0, 1, 2, 3}, []int{4, 5, 6, 7}, false},
	} {
		if got := formatReadable(formatGrid(25, w, tc.flip1, tc.flip2, rng)); got != tc.want {
			t.Errorf("%s: formatReadable = %v, want %v", tc.name, got, tc.want)
		}
	}
	// Copies of two different formats disagree.
	b := formatGrid(25, formatCodewords[3], nil, nil, rng)
	other := formatGrid(25, formatCodewords[20], nil, []int{1}, rng)
	for j := 25 - 1; j >= 25-7; j-- {
		b.Unset(8, j)
		if other.Get(8, j) {
			b.Set(8, j)
		}
	}
	for i := 25 - 8; i < 25; i++ {
		b.Unset(i, 8)
		if other.Get(i, 8) {
			b.Set(i, 8)
		}
	}
	// Copy 1 of format 3 is exact, so this one passes; with a bit off it
	// must not.
	if !formatReadable(b) {
		t.Errorf("an exact copy did not pass")
	}
	b.Flip(0, 8)
	if formatReadable(b) {
		t.Errorf("copies of different formats passed")
	}
	// Random grids: a decoder accepts most of them; the gate few.
	pass := 0
	const n = 2000
	for k := 0; k < n; k++ {
		g, _ := gozxing.NewBitMatrix(29, 29)
		for y := 0; y < 29; y++ {
			for x := 0; x < 29; x++ {
				if rng.IntN(2) == 1 {
					g.Set(x, y)
				}
			}
		}
		if formatReadable(g) {
			pass++
		}
	}
	if pass > n/20 {
		t.Errorf("%d of %d random grids pass, want under 5%%", pass, n)
	}
}

// TestSampledVersion checks that reading the version blocks from their
// own samples gives what the whole sampled grid gives: on two symbols of
// version 7 or more, through their true geometry and through geometries
// off by up to two modules (where the blocks read as noise), and for
// dimensions the symbol does not have.
func TestSampledVersion(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for _, text := range []string{"large " + strings.Repeat("0123456789", 16), "larger " + strings.Repeat("abcdefghij", 30)} {
		c := placeCode(t, text, 300, 300, 3.9, 0.3, 0.12)
		wantDim := len(c.mods)
		if wantDim < 45 {
			t.Fatalf("%q: dim %d, want a version of 7 or more", text[:12], wantDim)
		}
		img := degrade(t, scene(600, 600, []placedCode{c}), 1, 3, 85, 3)
		p := basePlane(img)
		read := 0
		for trial := 0; trial < 40; trial++ {
			dim := wantDim
			h := c.h
			if trial > 0 {
				dim = wantDim + 4*(rng.IntN(5)-2)
				var cs [4]Point
				for k, q := range cornersOf(c.h, wantDim) {
					cs[k] = Point{q.X + 8*(rng.Float64()-0.5), q.Y + 8*(rng.Float64()-0.5)}
				}
				var ok bool
				if h, ok = fromCorners(cs, dim); !ok {
					continue
				}
			}
			full := make([]float32, dim*dim)
			sampleGrid(p, h, dim, full)
			bits := thresholdGrid(full, dim, gridLocal)
			// Every module of both blocks reads as in the whole grid
			// (a window reaching an unsampled module reads NaN).
			part := make([]float32, dim*dim)
			for i := range part {
				part[i] = float32(math.NaN())
			}
			sampleVersionBlocks(p, h, dim, part)
			for j := 0; j < 6; j++ {
				for i := dim - 11; i <= dim-9; i++ {
					for _, m := range [2]Point{{float64(i), float64(j)}, {float64(j), float64(i)}} {
						x, y := int(m.X), int(m.Y)
						if localDark(part, dim, x, y) != bits.Get(x, y) || part[y*dim+x] != full[y*dim+x] {
							t.Fatalf("%d/%d trial %d: module (%d, %d) reads otherwise than in the whole grid", wantDim, dim, trial, x, y)
						}
					}
				}
			}
			want := versionFromGrid(bits, dim)
			got := sampledVersion(p, h, dim, make([]float32, dim*dim))
			if got != want {
				t.Errorf("%d/%d trial %d: sampledVersion %d, whole grid %d", wantDim, dim, trial, got, want)
			}
			if got != 0 {
				read++
			}
		}
		if v := sampledVersion(p, c.h, wantDim, make([]float32, wantDim*wantDim)); v != wantDim {
			t.Errorf("%d: true geometry reads version dimension %d", wantDim, v)
		}
		t.Logf("dim %d: %d of 40 geometries read a version", wantDim, read)
	}
}

// TestDecodeUnmirrored checks decodeBits without the mirrored attempt
// against gozxing's whole decoder: the same text for intact symbols and
// for symbols with errors within their correction capacity, an error for
// symbols damaged beyond it, and an error for a mirrored symbol that the
// whole decoder reads.
func TestDecodeUnmirrored(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, text := range []string{"PROJ-1", "https://example.com/board/PROJ-1234?col=doing", strings.Repeat("long text ", 30)} {
		mods := qrModules(t, text)
		n := len(mods)
		// build returns the symbol's matrix, transposed or not, with the
		// modules at flip inverted.
		build := func(flip [][2]int, transposed bool) *gozxing.BitMatrix {
			bits, _ := gozxing.NewSquareBitMatrix(n)
			for y := range mods {
				for x, d := range mods[y] {
					if d && transposed {
						bits.Set(y, x)
					} else if d {
						bits.Set(x, y)
					}
				}
			}
			for _, f := range flip {
				bits.Flip(f[0], f[1])
			}
			return bits
		}
		for _, flips := range []int{0, 2, 6, 60, 400} {
			// Data modules only (outside the finders and their format
			// information), so that the symbol stays locatable.
			var flip [][2]int
			for len(flip) < flips {
				x, y := rng.IntN(n), rng.IntN(n)
				if (x < 9 && y < 9) || (x >= n-8 && y < 9) || (x < 9 && y >= n-8) {
					continue
				}
				flip = append(flip, [2]int{x, y})
			}
			want, wantErr := decoder.NewDecoder().Decode(build(flip, false), nil)
			got, err := decodeBits(build(flip, false), false)
			switch {
			case (err == nil) != (wantErr == nil):
				t.Errorf("%.10q, %d flips: error %v, gozxing's %v", text, flips, err, wantErr)
			case err == nil && got != want.GetText():
				t.Errorf("%.10q, %d flips: %q, gozxing's %q", text, flips, got, want.GetText())
			}
			if flips == 0 && err != nil {
				t.Errorf("%.10q: intact symbol does not decode: %v", text, err)
			}
			if flips == 400 && err == nil {
				t.Errorf("%.10q: decoded with 400 modules flipped", text)
			}
		}
		// Transposed: only the mirrored attempt reads it.
		if _, err := decodeBits(build(nil, true), false); err == nil {
			t.Errorf("%.10q: transposed symbol decoded without the mirrored attempt", text)
		}
		if got, err := decodeBits(build(nil, true), true); err != nil || got != text {
			t.Errorf("%.10q: transposed symbol with the mirrored attempt: %q, %v", text, got, err)
		}
	}
}
