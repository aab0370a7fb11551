package imaging

import (
	"image"
	"math"
)

// Values written by the thresholding functions.
const (
	Black uint8 = 0
	White uint8 = 255
)

// DefaultWindow is the Threshold window side used when
// ThresholdOptions.Window is 0.
const DefaultWindow = 31

// MaxWindow is the largest Threshold window side; larger values are capped
// so that window sums fit in 32 bits.
const MaxWindow = 4095

// ThresholdOptions configure Threshold. A pixel with value v becomes black
// when
//
//	v < mean×(1−K) − Offset
//
// where mean is the average of the Window×Window square centred on it
// (clipped at the image border). The zero value thresholds at the plain local
// mean over a DefaultWindow window.
type ThresholdOptions struct {
	// Window is the side of the square in pixels; an even value is rounded up
	// to the next odd one; 0 means DefaultWindow; at most MaxWindow. For QR
	// codes about 7–10 module widths works: wide enough to span a finder
	// pattern, narrow enough to follow uneven light.
	Window int
	// K lowers the reference in proportion to the mean (e.g. 0.1 = 10%
	// darker), which suits dim and bright areas alike. 0 disables it;
	// values are clamped to [−1, 1].
	K float64
	// Offset lowers the reference by a fixed number of gray levels, which
	// keeps flat noisy areas white. 0 disables it; values are clamped to
	// [−255, 255].
	Offset int
}

// Threshold binarizes g against its local mean (see ThresholdOptions) and
// returns an image with g's bounds holding only Black and White.
//
// The window sums come from running column sums updated row by row, which
// gives the same result as an integral image with O(width) memory per
// goroutine instead of 4 bytes per pixel.
func Threshold(g *image.Gray, opt ThresholdOptions) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	r := min(opt.Window, MaxWindow) / 2
	if opt.Window <= 0 {
		r = DefaultWindow / 2
	}
	// Fixed point: black if (v+Offset)·n·2¹⁶ < sum·kf, kf = (1−K)·2¹⁶.
	// With the clamps every product stays far inside int64.
	k := max(-1, min(1, opt.K))
	if math.IsNaN(k) {
		k = 0
	}
	kf := int64(math.Round((1 - k) * (1 << 16)))
	off := int64(max(-255, min(255, opt.Offset)))
	dst := image.NewGray(g.Rect)
	parallelRows(h, func(y0, y1 int) {
		col := make([]uint32, w) // sums of rows top..bot, per column
		var limits windowLimits
		top, bot := max(0, y0-r), min(h-1, y0+r)
		for y := top; y <= bot; y++ {
			addRow(col, row(g, y))
		}
		for y := y0; y < y1; y++ {
			if y > y0 {
				switch add, sub := y+r < h, y-r-1 >= 0; {
				case add && sub:
					slideRow(col, row(g, y+r), row(g, y-r-1))
					bot++
					top++
				case add:
					addRow(col, row(g, y+r))
					bot++
				case sub:
					subRow(col, row(g, y-r-1))
					top++
				}
			}
			thresholdRow(dst.Pix[y*dst.Stride:][:w], row(g, y), col, r, int64(bot-top+1), kf, off, &limits)
		}
	})
	return dst
}

// thresholdRow binarizes one row given the column sums of its window rows
// (nRows of them) and the window radius r.
func thresholdRow(dst, src []uint8, col []uint32, r int, nRows, kf, off int64, limits *windowLimits) {
	w := len(src)
	col, dst = col[:w], dst[:w]
	var s uint32
	for x := 0; x < min(r, w); x++ {
		s += col[x]
	}
	// Border pixels: the window is clipped, so its size varies.
	border := func(x int) {
		if x+r < w {
			s += col[x+r]
		}
		if x-r-1 >= 0 {
			s -= col[x-r-1]
		}
		n := int64(min(w-1, x+r)-max(0, x-r)+1) * nRows
		dst[x] = binarize((int64(src[x])+off)*n<<16, int64(s)*kf)
	}
	lo := min(r+1, w)
	hi := max(lo, w-r) // interior [lo, hi): the full window fits
	for x := 0; x < lo; x++ {
		border(x)
	}
	if lo < hi {
		limits.fill(int64(2*r+1)*nRows, kf, off)
		// Aligned sub-slices let the compiler drop the bounds checks.
		in, out := src[lo:hi], dst[lo:hi]
		enter, leave := col[lo+r:hi+r], col[lo-r-1:hi-r-1]
		out, enter, leave = out[:len(in)], enter[:len(in)], leave[:len(in)]
		for i, v := range in {
			s += enter[i] - leave[i]
			// Black if s > limit: limit−s < 0 → 0.
			out[i] = uint8(^((limits.sum[v] - int64(s)) >> 63))
		}
	}
	for x := hi; x < w; x++ {
		border(x)
	}
}

// windowLimits holds, for a window of n pixels, the largest window sum at
// which each pixel value is still white: black ⇔ (v+off)·n·2¹⁶ < sum·kf ⇔
// sum > ⌊(v+off)·n·2¹⁶ / kf⌋. It turns two multiplications per pixel into
// one table lookup, and is refilled only when n changes.
type windowLimits struct {
	n   int64
	sum [256]int64
}

func (l *windowLimits) fill(n, kf, off int64) {
	if l.n == n {
		return
	}
	l.n = n
	for v := range l.sum {
		x := (int64(v) + off) * n << 16
		switch {
		case kf == 0: // black ⇔ x < 0, whatever the sum
			l.sum[v] = math.MaxInt64
			if x < 0 {
				l.sum[v] = -1
			}
		case x < 0:
			l.sum[v] = (x+1)/kf - 1 // floor division
		default:
			l.sum[v] = x / kf
		}
	}
}

// binarize returns Black if a < b and White otherwise, without a branch.
// Both must lie within ±2⁶².
func binarize(a, b int64) uint8 {
	return uint8(^((a - b) >> 63))
}

func addRow(col []uint32, src []uint8) {
	src = src[:len(col)]
	for x, v := range src {
		col[x] += uint32(v)
	}
}

func subRow(col []uint32, src []uint8) {
	src = src[:len(col)]
	for x, v := range src {
		col[x] -= uint32(v)
	}
}

// slideRow adds row add and removes row sub from the column sums.
func slideRow(col []uint32, add, sub []uint8) {
	add, sub = add[:len(col)], sub[:len(col)]
	for x := range col {
		col[x] += uint32(add[x]) - uint32(sub[x])
	}
}
