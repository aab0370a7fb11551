package qrscan

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// qrModules encodes text at error-correction level M and returns the
// module matrix (true = dark).
func qrModules(tb testing.TB, text string) [][]bool {
	tb.Helper()
	q, err := encoder.Encoder_encodeWithoutHint(text, decoder.ErrorCorrectionLevel_M)
	if err != nil {
		tb.Fatalf("encode %q: %v", text, err)
	}
	m := q.GetMatrix()
	out := make([][]bool, m.GetHeight())
	for y := range out {
		out[y] = make([]bool, m.GetWidth())
		for x := range out[y] {
			out[y][x] = m.Get(x, y) == 1
		}
	}
	return out
}

// placedCode is a code drawn into a synthetic scene: its modules and the
// map from module coordinates to scene coordinates.
type placedCode struct {
	text string
	mods [][]bool
	h    homography // module → image
	inv  homography // image → module
}

// placeCode maps a code of the given module size, rotation (radians) and
// keystone (relative shrink of the bottom edge) with its centre at (cx, cy).
func placeCode(tb testing.TB, text string, cx, cy, ms, angle, keystone float64) placedCode {
	mods := qrModules(tb, text)
	d := float64(len(mods))
	half := d * ms / 2
	sin, cos := math.Sin(angle), math.Cos(angle)
	corner := func(x, y float64) Point { // (x, y) relative to the centre
		return Point{cx + x*cos - y*sin, cy + x*sin + y*cos}
	}
	k := 1 - keystone
	img := [4]Point{corner(-half, -half), corner(half, -half), corner(half*k, half), corner(-half*k, half)}
	mod := [4]Point{{0, 0}, {d, 0}, {d, d}, {0, d}}
	var fwd, back []correspondence
	for i := 0; i < 4; i++ {
		fwd = append(fwd, correspondence{mod[i].X, mod[i].Y, img[i].X, img[i].Y, 1})
		back = append(back, correspondence{img[i].X, img[i].Y, mod[i].X, mod[i].Y, 1})
	}
	h, ok1 := fitHomography(fwd)
	inv, ok2 := fitHomography(back)
	if !ok1 || !ok2 {
		tb.Fatalf("placeCode: degenerate homography")
	}
	return placedCode{text: text, mods: mods, h: h, inv: inv}
}

// scene renders codes on a light background with a lighting gradient,
// 2×2 supersampling and a 4-module quiet zone (codes' own area only).
func scene(w, h int, codes []placedCode) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Pix[y*img.Stride+x] = byte(170 + 40*float64(x)/float64(w))
		}
	}
	for _, c := range codes {
		d := float64(len(c.mods))
		// Bounding box of the code with its quiet zone.
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, m := range [4]Point{{-4, -4}, {d + 4, -4}, {d + 4, d + 4}, {-4, d + 4}} {
			x, y := c.h.apply(m.X, m.Y)
			minX, minY = math.Min(minX, x), math.Min(minY, y)
			maxX, maxY = math.Max(maxX, x), math.Max(maxY, y)
		}
		for y := clampInt(int(minY), 0, h); y < clampInt(int(maxY)+1, 0, h); y++ {
			for x := clampInt(int(minX), 0, w); x < clampInt(int(maxX)+1, 0, w); x++ {
				var sum, n float64
				inside := false
				for _, o := range [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
					u, v := c.inv.apply(float64(x)+o[0], float64(y)+o[1])
					if u < -4 || v < -4 || u >= d+4 || v >= d+4 {
						continue
					}
					inside = true
					val := 235.0
					if u >= 0 && v >= 0 && u < d && v < d && c.mods[int(v)][int(u)] {
						val = 35
					}
					sum += val
					n++
				}
				if inside {
					bg := float64(img.Pix[y*img.Stride+x])
					img.Pix[y*img.Stride+x] = byte((sum + bg*(4-n)) / 4)
				}
			}
		}
	}
	return img
}

// degrade blurs (box radius blur, 0 for none), adds Gaussian noise of
// standard deviation sigma and round-trips through JPEG at quality q (0 for
// none).
func degrade(tb testing.TB, img *image.Gray, blur int, sigma float64, q int, seed int64) *image.Gray {
	tb.Helper()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewGray(img.Rect)
	copy(out.Pix, img.Pix)
	if blur > 0 {
		tmp := make([]byte, len(out.Pix))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var s, n int
				for k := -blur; k <= blur; k++ {
					if xx := x + k; xx >= 0 && xx < w {
						s += int(out.Pix[y*w+xx])
						n++
					}
				}
				tmp[y*w+x] = byte(s / n)
			}
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var s, n int
				for k := -blur; k <= blur; k++ {
					if yy := y + k; yy >= 0 && yy < h {
						s += int(tmp[yy*w+x])
						n++
					}
				}
				out.Pix[y*w+x] = byte(s / n)
			}
		}
	}
	if sigma > 0 {
		r := rand.New(rand.NewSource(seed))
		for i, v := range out.Pix {
			out.Pix[i] = byte(clampInt(int(float64(v)+r.NormFloat64()*sigma+0.5), 0, 255))
		}
	}
	if q > 0 {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: q}); err != nil {
			tb.Fatal(err)
		}
		dec, err := jpeg.Decode(&buf)
		if err != nil {
			tb.Fatal(err)
		}
		out = dec.(*image.Gray)
	}
	return out
}

// boardSpec describes a synthetic board photo.
type boardSpec struct {
	w, h       int
	cols, rows int
	ms         [2]float64 // module size range
	angle      float64    // max rotation (radians)
	keystone   float64
	blur       int
	sigma      float64
	quality    int
	seed       int64
}

// board renders a grid of version-1 codes "PROJ-101"… and returns the
// photo and the texts.
func board(tb testing.TB, b boardSpec) (*image.Gray, []string) {
	img, texts, _ := boardPlaced(tb, b)
	return img, texts
}

// boardPlaced is board, also returning where each code was drawn.
func boardPlaced(tb testing.TB, b boardSpec) (*image.Gray, []string, []placedCode) {
	r := rand.New(rand.NewSource(b.seed))
	var codes []placedCode
	var texts []string
	cw, ch := float64(b.w)/float64(b.cols), float64(b.h)/float64(b.rows)
	for j := 0; j < b.rows; j++ {
		for i := 0; i < b.cols; i++ {
			text := fmt.Sprintf("PROJ-%d", 101+len(texts))
			ms := b.ms[0] + r.Float64()*(b.ms[1]-b.ms[0])
			// Keystone grows towards the top of the photo, as with a
			// camera tilted up.
			ks := b.keystone * (1 - float64(j)/float64(b.rows))
			cx := cw*(float64(i)+0.5) + (r.Float64()-0.5)*cw*0.2
			cy := ch*(float64(j)+0.5) + (r.Float64()-0.5)*ch*0.2
			codes = append(codes, placeCode(tb, text, cx, cy, ms, (r.Float64()*2-1)*b.angle, ks))
			texts = append(texts, text)
		}
	}
	img := scene(b.w, b.h, codes)
	return degrade(tb, img, b.blur, b.sigma, b.quality, b.seed), texts, codes
}
