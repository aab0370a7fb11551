package jpegluma

import (
	"math"
	"math/rand"
	"testing"
)

// idctBlock runs idct on dequantized coefficients (natural order) the way
// the decoder does: prescaled, with dcBias added.
func idctBlock(coef *[64]int) (out [64]byte, ok bool) {
	var blk [64]int
	for n, c := range coef {
		blk[n] = int(math.Round(float64(c) * aanScale[n]))
	}
	blk[0] += dcBias
	var ws [64]int
	ok = idct(&blk, &ws, out[:], 8, acMask(&blk))
	if blk != ([64]int{}) {
		panic("idct left coefficients behind")
	}
	return out, ok
}

// acMask is the mask idct takes for blk: the OR of the natural-order
// indices of its non-zero AC coefficients.
func acMask(blk *[64]int) uint {
	var mask uint
	for n, c := range blk[1:] {
		if c != 0 {
			mask |= uint(n + 1)
		}
	}
	return mask
}

// exactSamples is the float inverse DCT of coef, rounded and clipped.
func exactSamples(coef *[64]int) (out [64]byte) {
	var in [64]float64
	for n, c := range coef {
		in[n] = float64(c)
	}
	f := refIDCT(&in)
	for i, v := range f {
		out[i] = uint8(max(0, min(255, math.Floor(v+0.5+1e-9)+128)))
	}
	return out
}

// TestIDCTAccuracy compares idct with the exact transform on blocks an
// encoder makes: the DCT of random, smooth and edged 8-bit blocks,
// quantized with fine and coarse steps, and on sparse random blocks.
func TestIDCTAccuracy(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	total, differ, worst := 0, 0, 0
	check := func(coef *[64]int) {
		got, ok := idctBlock(coef)
		if !ok {
			t.Fatalf("block %v flagged as far out of range", coef)
		}
		want := exactSamples(coef)
		for i := range got {
			d := int(got[i]) - int(want[i])
			worst = max(worst, d, -d)
			if d != 0 {
				differ++
			}
		}
		total += 64
	}
	for trial := 0; trial < 20000; trial++ {
		var f [64]float64
		switch trial % 4 {
		case 0: // noise
			for i := range f {
				f[i] = float64(rng.Intn(256)) - 128
			}
		case 1: // smooth gradient
			a, b, c := rng.Float64()*40-20, rng.Float64()*40-20, rng.Float64()*200-100
			for i := range f {
				f[i] = a*float64(i%8) + b*float64(i/8) + c
			}
		case 2: // an edge between two levels
			lo, hi := float64(rng.Intn(256))-128, float64(rng.Intn(256))-128
			edge := rng.Intn(8)
			for i := range f {
				f[i] = lo
				if i%8+i/8 > edge {
					f[i] = hi
				}
			}
		case 3: // extremes: black and white checks
			for i := range f {
				f[i] = -128
				if (i%8+i/8+trial/4)%2 == 0 {
					f[i] = 127
				}
			}
		}
		coefs := refFDCT(&f)
		q := []int{1, 2, 5, 16, 60, 255}[trial%6]
		var coef [64]int
		for i, c := range coefs {
			qi := q
			if i > 0 && trial%12 >= 6 {
				qi = min(255, q*(1+i%8+i/8)) // coarser at higher frequencies
			}
			coef[i] = int(math.Round(c/float64(qi))) * qi
		}
		check(&coef)
	}
	for trial := 0; trial < 20000; trial++ {
		var coef [64]int
		for k := rng.Intn(10); k >= 0; k-- {
			coef[rng.Intn(64)] = rng.Intn(401) - 200
		}
		coef[0] = rng.Intn(2049) - 1024
		check(&coef)
	}
	t.Logf("%d samples: %d (%.3f%%) differ from the exact IDCT, by at most %d", total, differ, 100*float64(differ)/float64(total), worst)
	if worst > 1 || differ*200 > total {
		t.Errorf("%d of %d samples differ from the exact IDCT, by up to %d; want ±1 in under 0.5%%", differ, total, worst)
	}
}

// TestIDCTFar checks the flag for samples far outside the 8-bit range,
// and that blocks just inside it are not flagged.
func TestIDCTFar(t *testing.T) {
	for _, tc := range []struct {
		dc, ac int
		ok     bool
	}{
		{dc: 8 * 1000, ok: true},    // samples 1128: clipped, accepted
		{dc: -8 * 1000, ok: true},   // -872
		{dc: 8 * 1200, ok: false},   // 1328
		{dc: -8 * 1200, ok: false},  // -1072
		{dc: 0, ac: 2000, ok: true}, // ±~310 around 128
		{dc: 0, ac: 9000, ok: false},
	} {
		var coef [64]int
		coef[0], coef[1] = tc.dc, tc.ac
		if _, ok := idctBlock(&coef); ok != tc.ok {
			t.Errorf("DC %d, AC %d: ok %v, want %v", tc.dc, tc.ac, ok, tc.ok)
		}
	}
}

func BenchmarkIDCT(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	var blocks [64][64]int
	for i := range blocks {
		var f [64]float64
		for j := range f {
			f[j] = float64(rng.Intn(64)) + float64(j%8*8)
		}
		coefs := refFDCT(&f)
		for n, c := range coefs {
			blocks[i][n] = int(math.Round(c/4) * 4 * aanScale[n])
		}
	}
	var blk, ws [64]int
	var out [64]byte
	for i := 0; b.Loop(); i++ {
		blk = blocks[i&63]
		idctFull(&blk, &ws, out[:], 8)
	}
}

// TestIDCTSparseExact checks that the sparse transforms idct picks give
// exactly the samples and far flag of idctFull, write nothing outside the
// block and clear the coefficients, on random blocks of every shape.
func TestIDCTSparseExact(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	shapes := []struct {
		name string
		mask uint
	}{
		{"DC only", 0},
		{"first row", maskRow0},
		{"first column", maskCol0},
		{"4×4", mask4x4},
		{"columns 0–3", maskLeft4},
		{"rows 0–3", maskTop4},
		{"full", 63},
	}
	const stride = 11 // room for sentinels right of the block
	for _, sh := range shapes {
		var inside []int // natural-order AC indices inside the shape
		for n := 1; n < 64; n++ {
			if uint(n)&^sh.mask == 0 {
				inside = append(inside, n)
			}
		}
		for trial := 0; trial < 20000; trial++ {
			var coef [64]int
			coef[0] = rng.Intn(2*2048+1) - 2048
			if trial%3 == 0 {
				coef[0] = rng.Intn(2*8000+1) - 8000 // samples far out of range too
			}
			var mask uint
			for k := rng.Intn(len(inside) + 1); k > 0; k-- {
				n := inside[rng.Intn(len(inside))]
				v := rng.Intn(401) - 200
				if trial%7 == 0 {
					v = (rng.Intn(1<<15) - 1<<14) * (1 + rng.Intn(maxQuant))
				}
				coef[n] = v
				if v != 0 {
					mask |= uint(n)
				}
			}
			var blk, ws [64]int
			for n, c := range coef {
				blk[n] = int(math.Round(float64(c) * aanScale[n]))
			}
			blk[0] += dcBias
			full, sparse := blk, blk
			var want, got [8 * stride]byte
			for i := range got {
				want[i], got[i] = byte(i), byte(i)
			}
			wantOK := idctFull(&full, &ws, want[:], stride)
			for i := range ws {
				ws[i] = rng.Int() // stale scratch must not matter
			}
			gotOK := idct(&sparse, &ws, got[:], stride, mask)
			if got != want || gotOK != wantOK {
				t.Fatalf("%s, coefficients %v (mask %#o): idct gives %v, %v; idctFull %v, %v",
					sh.name, coef, mask, got, gotOK, want, wantOK)
			}
			if sparse != ([64]int{}) {
				t.Fatalf("%s, coefficients %v: idct left %v", sh.name, coef, sparse)
			}
		}
	}
}
