package qrscan

import (
	"context"
	"github.com/cardwall/cardwall/imaging"
	"image"
	"sync"
	"testing"
)

var (
	benchOnce  sync.Once
	benchBoard *image.Gray
)

// boardImage renders the mixed synthetic board once for the benchmarks.
func boardImage(b *testing.B) *image.Gray {
	benchOnce.Do(func() { benchBoard, _ = board(b, boardCases[2].spec) })
	return benchBoard
}

func basePlane(g *image.Gray) *plane {
	return &plane{w: g.Rect.Dx(), h: g.Rect.Dy(), stride: g.Stride, pix: g.Pix}
}

func BenchmarkScanBoard(b *testing.B) {
	img := boardImage(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Scan(context.Background(), img, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBinarize(b *testing.B) {
	p := basePlane(boardImage(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		binarize(p, defaultThreshold)
	}
}

func BenchmarkFindFinders(b *testing.B) {
	bm := binarize(basePlane(boardImage(b)), defaultThreshold)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		findFinders(bm, maxRawFinders)
	}
}

func BenchmarkGroupFinders(b *testing.B) {
	p := basePlane(boardImage(b))
	bm := binarize(p, defaultThreshold)
	fs, _ := findFinders(bm, maxRawFinders)
	fs = verifyFinders(fs, p, 0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		groupFinders(fs, bm, p, 4000)
	}
}

func BenchmarkDownscale2(b *testing.B) {
	p := basePlane(boardImage(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		downscale2(p)
	}
}

// datasets is the shared photo sets, relative to this package. The
// regression test over all of them is sync/qreval's TestRegression, with
// the same scoring as the peers' script.
const datasets = "../../../shared/datasets"

// benchPhoto is a real 10 MP phone photo (2824×3432) from the shared datasets.
const benchPhoto = datasets + "/boofcv-qrcodes/monitor/image001.jpg"

func BenchmarkScanPhoto(b *testing.B) {
	ph, err := imaging.DecodeFile(benchPhoto, nil)
	if err != nil {
		b.Skipf("photo missing: %v", err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Scan(context.Background(), ph.Gray, nil); err != nil {
			b.Fatal(err)
		}
	}
}
