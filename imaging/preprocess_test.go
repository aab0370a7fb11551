package imaging

import (
	"image"
	"math/rand"
	"testing"
)

func grayFrom(w, h int, pix ...uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	copy(g.Pix, pix)
	return g
}

func TestScaleExact(t *testing.T) {
	tests := []struct {
		name  string
		scale func(*image.Gray) *image.Gray
		in    *image.Gray
		want  *image.Gray
	}{
		{"down 4x2", Downscale2, grayFrom(4, 2,
			0, 4, 10, 10,
			8, 4, 11, 10), // (0+4+8+4+2)/4 = 4; (10+10+11+10+2)/4 = 10
			grayFrom(2, 1, 4, 10)},
		{"down rounding", Downscale2, grayFrom(2, 2, 1, 0, 0, 1), grayFrom(1, 1, 1)}, // (2+2)>>2 = 1
		{"down odd sizes drop the last column and row", Downscale2, grayFrom(3, 3,
			255, 255, 9,
			255, 255, 9,
			9, 9, 9),
			grayFrom(1, 1, 255)},
		{"down 1x5 gives empty", Downscale2, grayFrom(1, 5, 1, 2, 3, 4, 5), grayFrom(0, 2)},
		// Mix 4·[0 160] = [0 640]: (3·0+0+8)>>4 = 0, (0+640+8)>>4 = 40,
		// (1920+0+8)>>4 = 120, (1920+640+8)>>4 = 160; rows repeat.
		{"up 2x1", Upscale2, grayFrom(2, 1, 0, 160), grayFrom(4, 2,
			0, 40, 120, 160,
			0, 40, 120, 160)},
		// Vertical: rows [0] and [160] → 0, 40, 120, 160 down the column.
		{"up 1x2", Upscale2, grayFrom(1, 2, 0, 160), grayFrom(2, 4, 0, 0, 40, 40, 120, 120, 160, 160)},
		{"up flat", Upscale2, grayFrom(2, 2, 77, 77, 77, 77), grayFrom(4, 4,
			77, 77, 77, 77, 77, 77, 77, 77, 77, 77, 77, 77, 77, 77, 77, 77)},
		{"up empty", Upscale2, grayFrom(0, 3), grayFrom(0, 6)},
	}
	for _, tc := range tests {
		got := tc.scale(tc.in)
		if got.Rect != tc.want.Rect || string(got.Pix) != string(tc.want.Pix) {
			t.Errorf("%s: got %v %v, want %v %v", tc.name, got.Rect, got.Pix, tc.want.Rect, tc.want.Pix)
		}
	}
}

func TestDownscale2SubImage(t *testing.T) {
	// A sub-image with an offset and a wide stride, large enough to run
	// in parallel bands, against a direct computation.
	full := grayRamp(301, 263)
	sub := full.SubImage(image.Rect(1, 2, 300, 262)).(*image.Gray)
	got := Downscale2(sub)
	if got.Rect != image.Rect(0, 0, 149, 130) {
		t.Fatalf("bounds %v", got.Rect)
	}
	for y := 0; y < 130; y++ {
		for x := 0; x < 149; x++ {
			s := 2
			for _, d := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				s += int(full.GrayAt(1+2*x+d[0], 2+2*y+d[1]).Y)
			}
			if v := got.GrayAt(x, y).Y; int(v) != s/4 {
				t.Fatalf("(%d,%d) = %d, want %d", x, y, v, s/4)
			}
		}
	}
}

func TestPyramid(t *testing.T) {
	g := grayRamp(20, 9)
	p := Pyramid(g, 10)
	var sizes []image.Point
	for _, l := range p {
		sizes = append(sizes, l.Rect.Size())
	}
	want := []image.Point{{20, 9}, {10, 4}, {5, 2}, {2, 1}}
	if len(sizes) != len(want) || p[0] != g {
		t.Fatalf("sizes %v, want %v with level 0 = g", sizes, want)
	}
	for i := range want {
		if sizes[i] != want[i] {
			t.Errorf("level %d: %v, want %v", i, sizes[i], want[i])
		}
	}
	if n := len(Pyramid(g, 2)); n != 2 {
		t.Errorf("Pyramid(g, 2) has %d levels", n)
	}
	if Pyramid(g, 0) != nil {
		t.Error("Pyramid(g, 0) should be nil")
	}
}

func TestThresholdExact(t *testing.T) {
	tests := []struct {
		name string
		in   *image.Gray
		opt  ThresholdOptions
		want []uint8 // 0 black, 1 white
	}{
		// Window 3 on one row: means (10+10)/2=10, (10+10+200)/3=73.3,
		// (10+200+10)/3=73.3, 73.3, 10. Black if v < mean.
		{"mean", grayFrom(5, 1, 10, 10, 200, 10, 10), ThresholdOptions{Window: 3},
			[]uint8{1, 0, 1, 0, 1}},
		// Offset 5: 10 < 73.3−5 still black; flat areas (v = mean) white.
		{"offset", grayFrom(5, 1, 10, 10, 200, 10, 10), ThresholdOptions{Window: 3, Offset: 5},
			[]uint8{1, 0, 1, 0, 1}},
		// 100 vs mean 110 of {100, 120}: black with K=0, white with K=0.1
		// (110·0.9 = 99), white with Offset 11.
		{"K=0", grayFrom(2, 1, 100, 120), ThresholdOptions{Window: 3}, []uint8{0, 1}},
		{"K=0.1", grayFrom(2, 1, 100, 120), ThresholdOptions{Window: 3, K: 0.1}, []uint8{1, 1}},
		{"offset 11", grayFrom(2, 1, 100, 120), ThresholdOptions{Window: 3, Offset: 11}, []uint8{1, 1}},
		// Even window 2 is rounded up to 3; a window larger than the image
		// uses the whole image: mean of 3×3 = 50.
		{"even window", grayFrom(2, 1, 100, 120), ThresholdOptions{Window: 2}, []uint8{0, 1}},
		{"huge window", grayFrom(3, 3, 0, 0, 0, 0, 200, 100, 0, 100, 50),
			ThresholdOptions{Window: 99}, []uint8{0, 0, 0, 0, 1, 1, 0, 1, 1}},
		{"window over MaxWindow", grayFrom(3, 3, 0, 0, 0, 0, 200, 100, 0, 100, 50),
			ThresholdOptions{Window: 1 << 40}, []uint8{0, 0, 0, 0, 1, 1, 0, 1, 1}},
		// Out-of-range K and Offset are clamped: K=−5 acts as −1 (reference
		// 2×mean), Offset −1000 as −255: everything is black.
		{"K and Offset clamped", grayFrom(2, 1, 100, 120), ThresholdOptions{Window: 3, K: -5, Offset: -1000},
			[]uint8{0, 0}},
	}
	for _, tc := range tests {
		got := Threshold(tc.in, tc.opt)
		if got.Rect != tc.in.Rect {
			t.Fatalf("%s: bounds %v", tc.name, got.Rect)
		}
		for i, v := range got.Pix {
			if want := tc.want[i] * 255; v != want {
				t.Errorf("%s: pixel %d = %d, want %d (all %v)", tc.name, i, v, want, got.Pix)
				break
			}
		}
	}
}

// naiveThreshold applies the ThresholdOptions rule pixel by pixel, summing
// each window directly.
func naiveThreshold(g *image.Gray, opt ThresholdOptions) []uint8 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	r := opt.Window / 2
	if opt.Window == 0 {
		r = DefaultWindow / 2
	}
	out := make([]uint8, 0, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum, n := 0, 0
			for yy := max(0, y-r); yy <= min(h-1, y+r); yy++ {
				for xx := max(0, x-r); xx <= min(w-1, x+r); xx++ {
					sum += int(row(g, yy)[xx])
					n++
				}
			}
			mean := float64(sum) / float64(n)
			v := float64(row(g, y)[x])
			if v < mean*(1-opt.K)-float64(opt.Offset) {
				out = append(out, Black)
			} else {
				out = append(out, White)
			}
		}
	}
	return out
}

func TestThresholdMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	full := image.NewGray(image.Rect(0, 0, 90, 140))
	for i := range full.Pix {
		full.Pix[i] = uint8(rng.Intn(256))
	}
	sub := full.SubImage(image.Rect(5, 3, 83, 139)).(*image.Gray) // 78×136: parallel bands
	for _, opt := range []ThresholdOptions{
		{}, {Window: 1}, {Window: 5}, {Window: 15, Offset: 7}, {Window: 8, K: 0.15},
		{Window: 301, K: 0.05, Offset: 2}, {Window: 9, K: -0.25, Offset: -20}, {Window: 7, K: 1, Offset: -3},
		{Window: 11, K: 0.5},
	} {
		got := Threshold(sub, opt)
		want := naiveThreshold(sub, opt)
		if string(got.Pix) != string(want) {
			t.Fatalf("%+v: differs from the naive result", opt)
		}
		if string(integralThreshold(sub, opt)) != string(want) {
			t.Fatalf("%+v: integral-image oracle differs from the naive result", opt)
		}
	}
}

func TestHybridThreshold(t *testing.T) {
	// Every 8×8 block holds both 20 and 220, so every black point lies
	// between them and the result is exactly "v == 20".
	g := image.NewGray(image.Rect(0, 0, 61, 43))
	for y := 0; y < 43; y++ {
		for x := 0; x < 61; x++ {
			v := uint8(220)
			if (x/3+y/2)%2 == 0 {
				v = 20
			}
			g.Pix[y*g.Stride+x] = v
		}
	}
	got := HybridThreshold(g, HybridOptions{})
	for i, v := range got.Pix {
		if want := map[uint8]uint8{20: Black, 220: White}[g.Pix[i]]; v != want {
			t.Fatalf("pixel %d (value %d) = %d, want %d", i, g.Pix[i], v, want)
		}
	}
	// A block larger than the image (capped at 1024) is one block.
	if out := HybridThreshold(g, HybridOptions{BlockSize: 1 << 30}); out.Rect != g.Rect {
		t.Errorf("huge block: bounds %v", out.Rect)
	}
	// Flat images: light is white; flat black stays black (black point 0).
	for _, tc := range []struct{ v, want uint8 }{{200, White}, {30, White}, {0, Black}} {
		flat := image.NewGray(image.Rect(0, 0, 20, 20))
		for i := range flat.Pix {
			flat.Pix[i] = tc.v
		}
		if out := HybridThreshold(flat, HybridOptions{BlockSize: 4}); out.Pix[0] != tc.want || out.Pix[399] != tc.want {
			t.Errorf("flat %d: got %d, want %d", tc.v, out.Pix[0], tc.want)
		}
	}
	// A dark flat area inside a contrasty region inherits the black point
	// of its neighbours instead of turning white: 80×80 of 255 with 50 in
	// 4..76, block size 8. Around (40,40) all 5×5 blocks are flat; with
	// min/2 = 25 as their black point the centre would come out white.
	img := image.NewGray(image.Rect(0, 0, 80, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 80; x++ {
			img.Pix[y*80+x] = 255
			if x >= 4 && x < 76 && y >= 4 && y < 76 {
				img.Pix[y*80+x] = 50
			}
		}
	}
	out := HybridThreshold(img, HybridOptions{})
	if v := out.GrayAt(40, 40).Y; v != Black {
		t.Errorf("centre of a dark square: %d, want black", v)
	}
	if v := out.GrayAt(1, 1).Y; v != White {
		t.Errorf("white margin: %d, want white", v)
	}
}

// integralThreshold is the textbook way to compute Threshold: a full
// (w+1)×(h+1) uint32 summed-area table (sums wrap above 16 MP, but window
// differences stay exact modulo 2³²), then four lookups per pixel. It is
// an independent oracle for Threshold and the baseline in its benchmark.
func integralThreshold(g *image.Gray, opt ThresholdOptions) []uint8 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	r := opt.Window / 2
	if opt.Window == 0 {
		r = DefaultWindow / 2
	}
	sat := make([]uint32, (w+1)*(h+1))
	for y := 0; y < h; y++ {
		var s uint32
		src := row(g, y)
		above, cur := sat[y*(w+1):], sat[(y+1)*(w+1):]
		for x, v := range src {
			s += uint32(v)
			cur[x+1] = above[x+1] + s
		}
	}
	kf := int64((1 - opt.K) * 65536)
	out := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		y0, y1 := max(0, y-r), min(h, y+r+1)
		src := row(g, y)
		for x, v := range src {
			x0, x1 := max(0, x-r), min(w, x+r+1)
			s := sat[y1*(w+1)+x1] - sat[y0*(w+1)+x1] - sat[y1*(w+1)+x0] + sat[y0*(w+1)+x0]
			n := int64((x1 - x0) * (y1 - y0))
			if (int64(v)+int64(opt.Offset))*n<<16 < int64(s)*kf {
				out[y*w+x] = Black
			} else {
				out[y*w+x] = White
			}
		}
	}
	return out
}

func TestUpscale2SubImage(t *testing.T) {
	// On a sub-image tall enough for parallel bands, against the 9:3:3:1
	// formula applied directly: output (X, Y) takes its nearest input pixel
	// (X/2, Y/2) and the neighbours on the side X and Y lean to.
	g := grayRamp(90, 80).SubImage(image.Rect(10, 7, 80, 75)).(*image.Gray)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	up := Upscale2(g)
	at := func(x, y int) int {
		return int(g.GrayAt(10+max(0, min(w-1, x)), 7+max(0, min(h-1, y))).Y)
	}
	for y := 0; y < 2*h; y++ {
		for x := 0; x < 2*w; x++ {
			nx, ny := x/2, y/2
			sx, sy := 2*(x%2)-1, 2*(y%2)-1 // −1 for even, +1 for odd
			want := (9*at(nx, ny) + 3*at(nx+sx, ny) + 3*at(nx, ny+sy) + at(nx+sx, ny+sy) + 8) >> 4
			if got := int(up.GrayAt(x, y).Y); got != want {
				t.Fatalf("(%d,%d) = %d, want %d", x, y, got, want)
			}
		}
	}
}

// Every step copes with any size, down to 1×1 and 0×0, and thresholds
// yield only Black and White.
func TestPreprocessOddSizes(t *testing.T) {
	sizes := []int{0, 1, 2, 3, 7, 8, 9, 33}
	for _, w := range sizes {
		for _, h := range sizes {
			g := grayRamp(w+2, h+2).SubImage(image.Rect(1, 1, w+1, h+1)).(*image.Gray)
			w, h := g.Rect.Dx(), g.Rect.Dy() // an empty sub-image is 0×0
			for name, out := range map[string]*image.Gray{
				"Threshold":       Threshold(g, ThresholdOptions{Window: 5, K: 0.1}),
				"HybridThreshold": HybridThreshold(g, HybridOptions{}),
			} {
				if out.Rect != g.Rect {
					t.Fatalf("%s %dx%d: bounds %v", name, w, h, out.Rect)
				}
				for _, v := range out.Pix {
					if v != Black && v != White {
						t.Fatalf("%s %dx%d: value %d", name, w, h, v)
					}
				}
			}
			if d := Downscale2(g).Rect.Size(); d != (image.Point{w / 2, h / 2}) {
				t.Errorf("Downscale2 %dx%d: size %v", w, h, d)
			}
			if u := Upscale2(g).Rect.Size(); u != (image.Point{2 * w, 2 * h}) {
				t.Errorf("Upscale2 %dx%d: size %v", w, h, u)
			}
			for o := Orientation(1); o <= 8; o++ {
				dw, dh := o.DisplaySize(w, h)
				if a := o.Apply(g).Rect.Size(); a != (image.Point{dw, dh}) {
					t.Errorf("%v %dx%d: size %v", o, w, h, a)
				}
			}
		}
	}
}

// TestAverage2x2 checks the word loop of average2x2 against the rule per
// pixel on random rows, all-white rows and every length up to 40 (whole
// words and the tail).
func TestAverage2x2(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for n := 0; n <= 40; n++ {
		for trial := 0; trial < 50; trial++ {
			a, b := make([]uint8, 2*n), make([]uint8, 2*n)
			for i := range a {
				if trial == 0 {
					a[i], b[i] = 255, 255
				} else {
					a[i], b[i] = uint8(rng.Intn(256)), uint8(rng.Intn(256))
				}
			}
			dst := make([]uint8, n)
			average2x2(dst, a, b)
			for x := range dst {
				want := (int(a[2*x]) + int(a[2*x+1]) + int(b[2*x]) + int(b[2*x+1]) + 2) / 4
				if int(dst[x]) != want {
					t.Fatalf("n %d trial %d: dst[%d] = %d, want %d", n, trial, x, dst[x], want)
				}
			}
		}
	}
}
