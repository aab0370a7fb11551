package qrscan

import (
	"context"
	"image"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/cardwall/cardwall/imaging"
)

// speedPhotos are the real photos the stage benchmarks run on: a 12 MP
// board, a medium board and a noisy monitor photo (many false finders).
var speedPhotos = []string{
	"../../testdata/boards/large-60.jpg",
	"../../testdata/boards/medium-1.jpg",
	datasets + "/boofcv-qrcodes/monitor/image016.jpg",
}

// BenchmarkStages times each stage of one level-0 pass (binarize, finders,
// verification, grouping) and a whole Scan, on the synthetic board and on
// the speedPhotos.
func BenchmarkStages(b *testing.B) {
	type input struct {
		name string
		g    *image.Gray
	}
	ins := []input{{"synthetic", nil}}
	for _, p := range speedPhotos {
		ins = append(ins, input{filepath.Base(p), nil})
	}
	for i, in := range ins {
		b.Run(in.name, func(b *testing.B) {
			g := in.g
			if i == 0 {
				g = boardImage(b)
			} else {
				ph, err := imaging.DecodeFile(speedPhotos[i-1], nil)
				if err != nil {
					b.Skipf("photo missing: %v", err)
				}
				g = ph.Gray
			}
			p := basePlane(g)
			tp := thresholdParams{block: 8, radius: 2, minContrast: 20}
			bm := binarize(p, tp)
			raw, _ := findFinders(bm, maxRawFinders)
			fs := verifyFinders(append([]finder(nil), raw...), p, 0)
			b.Run("binarize", func(b *testing.B) {
				for b.Loop() {
					binarize(p, tp)
				}
			})
			b.Run("finders", func(b *testing.B) {
				for b.Loop() {
					findFinders(bm, maxRawFinders)
				}
				b.ReportMetric(float64(len(raw)), "raw")
			})
			b.Run("verify", func(b *testing.B) {
				buf := make([]finder, len(raw))
				for b.Loop() {
					copy(buf, raw)
					verifyFinders(buf, p, 0)
				}
				b.ReportMetric(float64(len(fs)), "finders")
			})
			b.Run("group", func(b *testing.B) {
				var n int
				for b.Loop() {
					n = len(groupFinders(fs, bm, p, 4000))
				}
				b.ReportMetric(float64(n), "triples")
			})
			b.Run("scan", func(b *testing.B) {
				var n int
				var sum StageTimes
				for b.Loop() {
					var rep Report
					cs, err := Scan(context.Background(), g, &Options{Report: &rep})
					if err != nil {
						b.Fatal(err)
					}
					n = len(cs)
					sum = sum.add(rep.Time)
				}
				b.ReportMetric(float64(n), "codes")
				// Each stage's share, in ms per scan.
				per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
				b.ReportMetric(per(sum.Binarize), "binarize-ms")
				b.ReportMetric(per(sum.Finders), "finders-ms")
				b.ReportMetric(per(sum.Group), "group-ms")
				b.ReportMetric(per(sum.Decode), "decode-ms")
				b.ReportMetric(per(sum.Retry+sum.Pyramid), "other-ms")
			})
		})
	}
}

func TestTimingIndicesBound(t *testing.T) {
	for dim := 21; dim <= 177; dim += 4 {
		if n := len(timingIndices(dim)); n > maxTimingIndices {
			t.Errorf("dim %d: %d indices, more than maxTimingIndices %d", dim, n, maxTimingIndices)
		}
	}
}

func TestRowRuns(t *testing.T) {
	tests := []struct {
		row  []byte
		want []int32
	}{
		{[]byte{0}, []int32{1}},
		{[]byte{1, 1, 1}, []int32{3}},
		{[]byte{0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, []int32{1, 1, 2, 3, 4, 1, 1, 9, 1}},
		{[]byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, []int32{17, 1}},
	}
	for _, tc := range tests {
		got := rowRuns(tc.row, nil)
		if !slices.Equal(got, tc.want) {
			t.Errorf("rowRuns(%v) = %v, want %v", tc.row, got, tc.want)
		}
	}
}

// TestBinarizeMatchesDirect compares binarize with directThreshold (its
// rule evaluated pixel by pixel) on small random planes of awkward sizes,
// half flat and half textured, for every block size in use.
func TestBinarizeMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range [][2]int{{1, 1}, {3, 5}, {17, 9}, {33, 31}, {64, 48}} {
		for _, tp := range []thresholdParams{{block: 2, radius: 2, minContrast: 16}, {block: 4, radius: 2, minContrast: 16}, {block: 8, radius: 2, minContrast: 20}, {block: 16, radius: 2, minContrast: 20}} {
			w, h := size[0], size[1]
			p := &plane{w: w, h: h, stride: w + 3, pix: make([]byte, (w+3)*h)}
			for i := range p.pix {
				// Flat on the left (range below minContrast), textured
				// on the right.
				spread := 40
				if i%p.stride < w/2 {
					spread = 8
				}
				p.pix[i] = byte(100 + rng.IntN(spread))
			}
			got := binarize(p, tp)
			direct := directThreshold(p, tp)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					want := direct[y*w+x] != 0
					if got.dark(x, y) != want {
						t.Fatalf("%d×%d %+v: pixel (%d,%d) dark=%v, want %v", w, h, tp, x, y, got.dark(x, y), want)
					}
				}
			}
		}
	}
}
