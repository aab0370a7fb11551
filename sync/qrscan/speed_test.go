package qrscan

import (
	"context"
	"image"
	"path/filepath"
	"slices"
	"testing"

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
				for b.Loop() {
					cs, err := Scan(context.Background(), g, nil)
					if err != nil {
						b.Fatal(err)
					}
					n = len(cs)
				}
				b.ReportMetric(float64(n), "codes")
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
