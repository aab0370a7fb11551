package imaging

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand"
	"sync"
	"testing"
)

// Benchmarks run on a synthetic 12 MP (4000×3000) phone-like photo: a grey
// board with a lighting gradient, dark 3 px "modules" in patches, Gaussian-
// ish noise, saved as a 4:2:0 colour JPEG at quality 90 like a camera's.
// Run natively with -cpu 1,2 and under wasm with
//
//	GOOS=js GOARCH=wasm go test -run '^$' -bench . -benchmem \
//	    -exec=$(go env GOROOT)/lib/wasm/go_js_wasm_exec ./imaging/

var bench struct {
	once sync.Once
	jpeg []byte
	ycc  *image.YCbCr
	gray *image.Gray
}

func benchPhoto(b *testing.B) {
	b.Helper()
	bench.once.Do(func() {
		const w, h = 4000, 3000
		rng := rand.New(rand.NewSource(42))
		m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := 90 + 100*x/w + 40*y/h // lighting gradient
				// 150×150 "cards" every 400 px holding random 3 px modules.
				if cx, cy := x%400, y%400; cx >= 100 && cx < 250 && cy >= 100 && cy < 250 {
					if (cx/3*7+cy/3*13+(cx/3)*(cy/3))%5 < 2 {
						v -= 110
					}
				}
				v += rng.Intn(13) - 6
				m.Y[y*m.YStride+x] = uint8(max(0, min(255, v)))
			}
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = uint8(126+i%5), uint8(129-i%3)
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
			panic(err)
		}
		bench.jpeg = buf.Bytes()
		img, err := jpeg.Decode(bytes.NewReader(bench.jpeg))
		if err != nil {
			panic(err)
		}
		bench.ycc = img.(*image.YCbCr)
		bench.gray = Luminance(bench.ycc)
	})
	b.ReportAllocs()
	b.ResetTimer()
}

func BenchmarkDecode12MP(b *testing.B) {
	benchPhoto(b)
	b.SetBytes(int64(len(bench.jpeg)))
	timeCPU(b, func() {
		if _, err := DecodeBytes(bench.jpeg, nil); err != nil {
			b.Fatal(err)
		}
	})
}

// timeCPU runs op b.N times and, where the platform tells, also reports
// the process CPU time per op ("cpu-ms/op"; with GOMAXPROCS > 1 it adds up
// all threads, so it shows work, not speed-up).
func timeCPU(b *testing.B, op func()) {
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		op()
	}
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkStages12MP times each preprocessing step on the photo's
// luminance (the YCbCr and NRGBA cases convert the photo itself).
func BenchmarkStages12MP(b *testing.B) {
	benchPhoto(b)
	nrgba := image.NewNRGBA(bench.gray.Rect)
	for i, v := range bench.gray.Pix {
		nrgba.Pix[4*i], nrgba.Pix[4*i+1], nrgba.Pix[4*i+2], nrgba.Pix[4*i+3] = v, v/2, 255-v, 255
	}
	g := bench.gray
	tile := g.SubImage(image.Rect(1000, 1000, 1600, 1600)).(*image.Gray)
	window := ThresholdOptions{Window: 31, Offset: 10}
	stages := []struct {
		name string
		run  func()
	}{
		{"LuminanceYCbCr", func() { Luminance(bench.ycc) }},
		{"LuminanceNRGBA", func() { Luminance(nrgba) }},
		{"Downscale2", func() { Downscale2(g) }},
		{"Pyramid4", func() { Pyramid(g, 4) }},
		{"Threshold", func() { Threshold(g, window) }},
		// The same threshold through a full uint32 integral image (the
		// FIELD-NOTES prototype, row 6), against Threshold's running sums.
		{"ThresholdIntegral", func() { integralThreshold(g, window) }},
		{"HybridThreshold", func() { HybridThreshold(g, HybridOptions{}) }},
		{"ApplyRotate90", func() { OrientRotate90.Apply(g) }},
		// Upscale2 is meant for tiles: one 600×600 tile, not the photo.
		{"Upscale2Tile600", func() { Upscale2(tile) }},
	}
	for _, st := range stages {
		b.Run(st.name, func(b *testing.B) { timeCPU(b, st.run) })
	}
}
