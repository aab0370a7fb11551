package boardgen

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/cardwall/cardwall/sync/board"
)

// shot is everything about one photo besides the board.
type shot struct {
	cam       Camera
	light     lighting
	blur      float64 // Gaussian defocus sigma, photo pixels
	noise     float64 // sensor noise sigma, 0..255 levels
	quality   int     // JPEG quality
	wall      color.RGBA
	supersamp int // samples per pixel side
}

// lighting is the uneven light over the photo: a linear gradient, a
// vignette and a glare spot, plus the light's colour.
type lighting struct {
	level         float64 // overall brightness factor
	gx, gy        float64 // brightness change across the photo width/height
	vignette      float64 // darkening at the corners
	glareX        float64 // glare centre, pixels
	glareY        float64
	glareR        float64 // glare radius (sigma), pixels
	glare         float64 // glare strength at the centre, 0..1
	tint          [3]float64
	width, height float64
}

// factor returns the multiplicative light and the additive glare (0..1)
// at photo pixel (x, y).
func (l *lighting) at(x, y float64) (float64, float64) {
	nx, ny := x/l.width-0.5, y/l.height-0.5
	f := l.level * (1 + l.gx*nx + l.gy*ny) * (1 - l.vignette*(nx*nx+ny*ny)*2)
	dx, dy := x-l.glareX, y-l.glareY
	d2 := (dx*dx + dy*dy) / (2 * l.glareR * l.glareR)
	if d2 > 12 { // exp(-12) < 1e-5: no glare this far out
		return f, 0
	}
	return f, l.glare * math.Exp(-d2)
}

// render draws the photo: for every pixel, supersamp² samples of the
// board texture through the inverse camera homography, bilinearly, lit.
// tex holds the board from board point (ox, oy) at ppm pixels per mm.
func render(s *shot, tex *image.RGBA, ppm, ox, oy float64) *image.RGBA {
	w, h := s.cam.Width, s.cam.Height
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	hm := s.cam.Homography()
	inv, _ := hm.Inverse()
	// Photo pixel → texture pixel.
	toTex := board.Homography{ppm, 0, -ox * ppm, 0, ppm, -oy * ppm, 0, 0, 1}.Mul(inv)
	n := s.supersamp
	tw, th := tex.Rect.Dx(), tex.Rect.Dy()
	wall := [3]float64{float64(s.wall.R), float64(s.wall.G), float64(s.wall.B)}
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := out.Pix[y*out.Stride:]
			for x := 0; x < w; x++ {
				var acc [3]float64
				for sy := 0; sy < n; sy++ {
					py := float64(y) + (float64(sy)+0.5)/float64(n)
					for sx := 0; sx < n; sx++ {
						px := float64(x) + (float64(sx)+0.5)/float64(n)
						tz := toTex[6]*px + toTex[7]*py + toTex[8]
						tx := (toTex[0]*px+toTex[1]*py+toTex[2])/tz - 0.5
						ty := (toTex[3]*px+toTex[4]*py+toTex[5])/tz - 0.5
						if tz <= 0 || tx < 0 || ty < 0 || tx >= float64(tw-1) || ty >= float64(th-1) {
							acc[0] += wall[0]
							acc[1] += wall[1]
							acc[2] += wall[2]
							continue
						}
						ix, iy := int(tx), int(ty)
						fx, fy := tx-float64(ix), ty-float64(iy)
						i := iy*tex.Stride + ix*4
						p := tex.Pix
						for c := 0; c < 3; c++ {
							a := float64(p[i+c])*(1-fx) + float64(p[i+4+c])*fx
							b := float64(p[i+tex.Stride+c])*(1-fx) + float64(p[i+tex.Stride+4+c])*fx
							acc[c] += a*(1-fy) + b*fy
						}
					}
				}
				f, g := s.light.at(float64(x)+0.5, float64(y)+0.5)
				k := 1 / float64(n*n)
				for c := 0; c < 3; c++ {
					v := acc[c] * k * f * s.light.tint[c]
					v += (255 - math.Min(v, 255)) * g
					row[x*4+c] = clamp8(v)
				}
				row[x*4+3] = 255
			}
		}
	})
	return out
}

func clamp8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// parallelRows runs f over row bands [y0, y1) on all cores.
func parallelRows(h int, f func(y0, y1 int)) {
	workers := runtime.GOMAXPROCS(0)
	band := max(16, (h+workers*4-1)/(workers*4))
	var wg sync.WaitGroup
	next := make(chan int)
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y0 := range next {
				f(y0, min(h, y0+band))
			}
		}()
	}
	for y0 := 0; y0 < h; y0 += band {
		next <- y0
	}
	close(next)
	wg.Wait()
}

// gaussianBlur blurs the RGB channels of img in place with sigma pixels.
func gaussianBlur(img *image.RGBA, sigma float64) {
	if sigma < 0.2 {
		return
	}
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := range k {
		d := float64(i - r)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	tmp := make([]uint8, len(img.Pix))
	// Horizontal pass: img → tmp.
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			src := img.Pix[y*img.Stride : y*img.Stride+w*4]
			dst := tmp[y*img.Stride : y*img.Stride+w*4]
			for x := 0; x < w; x++ {
				var a [3]float32
				for j, kv := range k {
					xx := min(max(x+j-r, 0), w-1) * 4
					a[0] += kv * float32(src[xx])
					a[1] += kv * float32(src[xx+1])
					a[2] += kv * float32(src[xx+2])
				}
				dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = uint8(a[0]+0.5), uint8(a[1]+0.5), uint8(a[2]+0.5), 255
			}
		}
	})
	// Vertical pass: tmp → img, a row at a time for cache friendliness.
	parallelRows(h, func(y0, y1 int) {
		acc := make([]float32, w*3)
		for y := y0; y < y1; y++ {
			clear(acc)
			for j, kv := range k {
				yy := min(max(y+j-r, 0), h-1)
				src := tmp[yy*img.Stride:]
				for x := 0; x < w; x++ {
					acc[x*3] += kv * float32(src[x*4])
					acc[x*3+1] += kv * float32(src[x*4+1])
					acc[x*3+2] += kv * float32(src[x*4+2])
				}
			}
			dst := img.Pix[y*img.Stride:]
			for x := 0; x < w; x++ {
				dst[x*4], dst[x*4+1], dst[x*4+2] = uint8(acc[x*3]+0.5), uint8(acc[x*3+1]+0.5), uint8(acc[x*3+2]+0.5)
			}
		}
	})
}

// addNoise adds sensor noise: mostly luminance, some colour, stronger in
// the dark (shot noise). Each row has its own generator, so the result
// does not depend on scheduling.
func addNoise(img *image.RGBA, sigma float64, seed uint64) {
	if sigma <= 0 {
		return
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			rng := rand.New(rand.NewPCG(seed, uint64(y)))
			row := img.Pix[y*img.Stride:]
			for x := 0; x < w; x++ {
				p := row[x*4 : x*4+3 : x*4+3]
				lum := (float64(p[0]) + float64(p[1]) + float64(p[2])) / 765
				s := sigma * (1.2 - 0.5*lum)
				n := rng.NormFloat64() * s
				for c := 0; c < 3; c++ {
					p[c] = clamp8(float64(p[c]) + n + rng.NormFloat64()*s*0.35)
				}
			}
		}
	})
}
