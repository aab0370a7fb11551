package qrscan

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"
)

// boardCases are synthetic 12 MP board photos: 40 version-1 cards.
var boardCases = []struct {
	name string
	spec boardSpec
	min  int // codes that must be read
}{
	{"clean 3.2px", boardSpec{w: 4000, h: 3000, cols: 8, rows: 5, ms: [2]float64{3, 3.4}, angle: 8 * math.Pi / 180, keystone: 0.1, sigma: 6, quality: 90, seed: 1}, 40},
	{"hard 2.6px blur", boardSpec{w: 4000, h: 3000, cols: 8, rows: 5, ms: [2]float64{2.5, 2.8}, angle: 8 * math.Pi / 180, keystone: 0.15, blur: 1, sigma: 10, quality: 80, seed: 2}, 32},
	{"mixed 2.5-4px", boardSpec{w: 4000, h: 3000, cols: 8, rows: 5, ms: [2]float64{2.5, 4}, angle: 12 * math.Pi / 180, keystone: 0.2, blur: 1, sigma: 6, quality: 80, seed: 3}, 40},
}

func TestBoards(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("12 MP boards are slow; skipped in -short and under wasm")
	}
	for _, bc := range boardCases {
		t.Run(bc.name, func(t *testing.T) {
			img, texts := board(t, bc.spec)
			t0 := time.Now()
			codes, err := Scan(context.Background(), img, nil)
			if err != nil {
				t.Fatal(err)
			}
			d := time.Since(t0)
			want := map[string]bool{}
			for _, s := range texts {
				want[s] = true
			}
			read, bad, located := 0, 0, 0
			seen := map[string]bool{}
			for _, c := range codes {
				switch {
				case !c.Decoded:
					located++
				case want[c.Text] && !seen[c.Text]:
					read++
					seen[c.Text] = true
				default:
					bad++
				}
			}
			t.Logf("%s: read %d/%d, located %d, false/duplicate %d, %v", bc.name, read, len(texts), located, bad, d)
			if bad > 0 {
				t.Errorf("%d false or duplicate reads", bad)
			}
			if read < bc.min {
				t.Errorf("read %d, want at least %d", read, bc.min)
			}
		})
	}
}
