package qrscan

import (
	"encoding/binary"
	"fmt"
	"image"
	"math"
	"math/bits"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cardwall/cardwall/imaging"
)

// refFindFinders is findFinders as it was before the row and column scans
// were optimised (walks pixel by pixel, one row and band at a time), kept
// as the reference the optimised one must match exactly.
func refFindFinders(bm *bitmap, limit int) (fs []finder, full bool) {
	s := &finderScan{bm: bm, tol: finderTol, cells: map[int][]int32{}, limit: limit}
	var runs []int32
	pix := bm.unpack()
	for y := 0; y < bm.h; y++ {
		runs = rowRuns(pix[y*bm.w:(y+1)*bm.w], runs[:0])
		first := pix[y*bm.w]
		i0, x := 0, 0
		if first == 0 {
			i0, x = 1, int(runs[0])
		}
		for i := i0; i+4 < len(runs); i += 2 {
			r := runs[i : i+5]
			if finderRatio(int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), s.tol) {
				cx := x + int(r[0]) + int(r[1]) + int(r[2])/2
				g := bm.src
				if g == nil || coreContrast(g.pix[y*g.stride:y*g.stride+g.w], x, int(r[0]), int(r[1]), int(r[2]), int(r[3])) {
					refConfirm(s, cx, y, int(r[0]+r[1]+r[2]+r[3]+r[4]))
				}
			}
			x += int(runs[i]) + int(runs[i+1])
		}
	}
	out := &finderScan{bm: bm, tol: finderTol, cells: map[int][]int32{}, limit: limit}
	for _, h := range s.hits {
		out.add(h.x, h.y, h.ms, h.msMax)
		if out.full {
			return out.finders(1), true
		}
	}
	return out.finders(1), false
}

func refConfirm(s *finderScan, cx, y, total int) {
	maxRun := total * 2
	v, vc, ok := refRunsAlong(s.bm, cx, y, 0, 1, maxRun)
	if !ok || !finderRatio(v[0], v[1], v[2], v[3], v[4], s.tol) {
		return
	}
	vt := v[0] + v[1] + v[2] + v[3] + v[4]
	if vt*3 < total || vt > total*3 {
		return
	}
	cyf := float64(y) + 0.5 + vc
	cy := int(cyf)
	h, hc, ok := refRunsAlong(s.bm, cx, cy, 1, 0, maxRun)
	if !ok || !finderRatio(h[0], h[1], h[2], h[3], h[4], s.tol) {
		return
	}
	ht := h[0] + h[1] + h[2] + h[3] + h[4]
	cxf := float64(cx) + 0.5 + hc
	ix, iy := int(cxf), int(cyf)
	d1, _, ok := refRunsAlong(s.bm, ix, iy, 1, 1, maxRun)
	if !ok || !finderRatio(d1[0], d1[1], d1[2], d1[3], d1[4], s.tol*1.5) {
		return
	}
	d2, _, ok := refRunsAlong(s.bm, ix, iy, 1, -1, maxRun)
	if !ok || !finderRatio(d2[0], d2[1], d2[2], d2[3], d2[4], s.tol*1.5) {
		return
	}
	t1 := float64(d1[0]+d1[1]+d1[2]+d1[3]+d1[4]) * math.Sqrt2
	t2 := float64(d2[0]+d2[1]+d2[2]+d2[3]+d2[4]) * math.Sqrt2
	m := math.Min(math.Min(float64(ht), float64(vt)), math.Min(t1, t2))
	mx := math.Max(math.Max(float64(ht), float64(vt)), math.Max(t1, t2))
	s.hits = append(s.hits, finderHit{cxf, cyf, m / 7, mx / 7})
}

// refRunsAlong walks pixel by pixel with bm.dark.
func refRunsAlong(bm *bitmap, x, y, dx, dy, maxRun int) (runs [5]int, centre float64, ok bool) {
	if !bm.dark(x, y) {
		return runs, 0, false
	}
	walk := func(x, y, dx, dy int, out *[3]int) bool {
		for st := 0; st < 3; st++ {
			want := st != 1
			c := 0
			for bm.dark(x, y) == want {
				c++
				x, y = x+dx, y+dy
				if c > maxRun {
					return false
				}
			}
			out[st] = c
		}
		return true
	}
	var back, fwd [3]int
	if !walk(x, y, -dx, -dy, &back) || back[1] == 0 || back[2] == 0 {
		return runs, 0, false
	}
	if !walk(x+dx, y+dy, dx, dy, &fwd) || fwd[1] == 0 || fwd[2] == 0 {
		return runs, 0, false
	}
	runs = [5]int{back[2], back[1], back[0] + fwd[0], fwd[1], fwd[2]}
	return runs, (float64(fwd[0]) - float64(back[0]-1)) / 2, true
}

// finderBitmaps are bitmaps to compare the finder scans on: random noise
// of several densities and sizes (edges, widths around multiples of 8 and
// 64), rendered codes, and the threshold of the synthetic board and of
// real photos (all of which are skipped if missing).
func finderBitmaps(tb testing.TB) map[string]*bitmap {
	rng := rand.New(rand.NewPCG(7, 8))
	bms := map[string]*bitmap{}
	for _, size := range [][2]int{{1, 1}, {7, 5}, {9, 64}, {63, 65}, {64, 64}, {65, 129}, {130, 100}, {300, 200}} {
		for _, density := range []int{2, 5, 20} {
			w, h := size[0], size[1]
			bm := newBitmap(w, h)
			// Runs of random lengths along rows, so that some 1:1:3:1:1
			// patterns occur.
			for y := 0; y < h; y++ {
				v := rng.IntN(2)
				for x := 0; x < w; {
					n := 1 + rng.IntN(density)
					for ; n > 0 && x < w; n, x = n-1, x+1 {
						if v != 0 {
							bm.set(x, y)
						}
					}
					v ^= 1
				}
			}
			bms[fmt.Sprintf("noise %dx%d/%d", w, h, density)] = bm
		}
	}
	// Finder-like squares of several sizes, some touching the edges.
	for _, ms := range []int{1, 2, 3, 5} {
		w, h := 31*ms+5, 17*ms+64
		bm := newBitmap(w, h)
		for _, c := range [][2]int{{0, 0}, {w - 7*ms, 3}, {12 * ms, h - 7*ms}, {20 * ms, 40}} {
			for y := 0; y < 7*ms; y++ {
				for x := 0; x < 7*ms; x++ {
					mx, my := x/ms, y/ms
					ring := min(mx, my, 6-mx, 6-my)
					if ring != 1 {
						bm.set(c[0]+x, c[1]+y)
					}
				}
			}
		}
		bms[fmt.Sprintf("squares %d", ms)] = bm
	}
	if g := boardGray(tb); g != nil {
		bms["synthetic board"] = binarize(basePlane(g), thresholdParams{block: 8, radius: 2, minContrast: 20})
	}
	for _, path := range speedPhotos {
		ph, err := imaging.DecodeFile(path, nil)
		if err != nil {
			continue
		}
		p := basePlane(ph.Gray)
		bms[path] = binarize(p, thresholdParams{block: 8, radius: 2, minContrast: 20})
		bms[path+" block 2"] = binarize(p, thresholdParams{block: 2, radius: 2, minContrast: 16})
	}
	return bms
}

// boardGray is the synthetic board of the benchmarks, or nil under
// -short (it takes seconds to render).
func boardGray(tb testing.TB) *image.Gray {
	if testing.Short() {
		return nil
	}
	benchOnce.Do(func() { benchBoard, _ = board(tb, boardCases[2].spec) })
	return benchBoard
}

// TestFindFindersMatchesReference checks that findFinders, with and
// without column bits, returns exactly the finders (same order, same
// values) and the same full flag as the pixel-walking reference.
func TestFindFindersMatchesReference(t *testing.T) {
	for name, bm := range finderBitmaps(t) {
		for _, limit := range []int{maxRawFinders, 5} {
			want, wantFull := refFindFinders(bm, limit)
			for _, columns := range []int{autoColumns, neverColumns, alwaysColumns} {
				got, gotFull := findFindersCols(bm, limit, columns, 1)
				if gotFull != wantFull || len(got) != len(want) {
					t.Fatalf("%s limit %d columns %d: %d finders (full %v), want %d (full %v)", name, limit, columns, len(got), gotFull, len(want), wantFull)
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%s limit %d columns %d: finder %d = %+v, want %+v", name, limit, columns, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestFindFindersStep checks that scanning every second row finds the
// finders of the modules it is meant for: on the test bitmaps of 8-pixel
// blocks, every verified finder of 3 pixels per module or more that the
// every-row scan confirms on 4 rows or more is found (and verified) within
// a module of it, and rows counts the rows skipped. (Finders confirmed on
// 2 or 3 rows only, a fraction of their 9-row core, are lost to it; they
// add no code on any photo set.)
func TestFindFindersStep(t *testing.T) {
	checked := 0
	for name, bm := range finderBitmaps(t) {
		if bm.src == nil || strings.HasSuffix(name, "block 2") {
			continue
		}
		all, _ := findFinders(bm, maxRawFinders)
		half, _ := findFindersStep(bm, maxRawFinders, 2)
		for _, f := range half {
			if f.rows != 2*f.hits {
				t.Fatalf("%s: finder %+v: rows %d, want twice the hits", name, f, f.rows)
			}
		}
		all = verifyFinders(all, bm.src, 0)
		half = verifyFinders(half, bm.src, 0)
		for _, f := range all {
			if f.ms < 3 || f.hits < 4 {
				continue
			}
			checked++
			found := false
			for _, g := range half {
				if math.Hypot(g.x-f.x, g.y-f.y) < f.ms && math.Abs(g.ms-f.ms) < 0.25*f.ms {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s: finder at (%.1f, %.1f), %.2f px per module, %d hits: not found scanning every second row", name, f.x, f.y, f.ms, f.hits)
			}
		}
	}
	if checked == 0 {
		t.Skip("no finders of 3 pixels per module or more to check")
	}
	t.Logf("%d finders checked", checked)
}

// TestRunsAlong checks runsAlong (the 16-pixel window and the walks), the
// horizontal packed-row words and the vertical column bits against pixel
// walks with bm.dark, at every pixel of noise bitmaps (dense, and sparse
// so that runs outgrow the windows), for several run limits.
func TestRunsAlong(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	type walk func(bm *bitmap, cb *colBits, x, y, maxRun int) (r0, r1, r2, r3, r4 int, c float64, ok bool)
	walks := []struct {
		name   string
		dx, dy int
		f      walk
	}{
		{"down", 0, 1, func(bm *bitmap, _ *colBits, x, y, m int) (int, int, int, int, int, float64, bool) {
			return runsAlong(bm, x, y, 0, 1, m)
		}},
		{"right", 1, 0, func(bm *bitmap, _ *colBits, x, y, m int) (int, int, int, int, int, float64, bool) {
			return runsAlong(bm, x, y, 1, 0, m)
		}},
		{"diagonal", 1, 1, func(bm *bitmap, _ *colBits, x, y, m int) (int, int, int, int, int, float64, bool) {
			return runsAlong(bm, x, y, 1, 1, m)
		}},
		{"antidiagonal", 1, -1, func(bm *bitmap, _ *colBits, x, y, m int) (int, int, int, int, int, float64, bool) {
			return runsAlong(bm, x, y, 1, -1, m)
		}},
		{"horizontal", 1, 0, func(bm *bitmap, _ *colBits, x, y, m int) (int, int, int, int, int, float64, bool) {
			return horizontal(bm, x, y, m)
		}},
		{"columns", 0, 1, func(_ *bitmap, cb *colBits, x, y, m int) (int, int, int, int, int, float64, bool) {
			return cb.vertical(x, y, m)
		}},
	}
	for _, size := range [][2]int{{3, 1}, {5, 63}, {17, 20}, {40, 41}, {9, 130}, {150, 7}} {
		for _, density := range []int{2, 6, 40} {
			w, h := size[0], size[1]
			bm := newBitmap(w, h)
			for i := 0; i < w*h; i++ {
				if rng.IntN(density) != 0 {
					bm.set(i%w, i/w)
				}
			}
			cb := transposeBits(bm)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					if cb.dark(x, y) != bm.dark(x, y) {
						t.Fatalf("%dx%d: column bit (%d,%d) = %v, want %v", w, h, x, y, cb.dark(x, y), bm.dark(x, y))
					}
					for _, maxRun := range []int{1, 3, 8, 300} {
						for _, wk := range walks {
							r0, r1, r2, r3, r4, c, ok := wk.f(bm, cb, x, y, maxRun)
							runs := [5]int{r0, r1, r2, r3, r4}
							wr, wc, wok := refRunsAlong(bm, x, y, wk.dx, wk.dy, maxRun)
							if ok != wok || ok && (runs != wr || c != wc) {
								t.Fatalf("%dx%d (%d,%d) %s maxRun %d: %v %v %v, want %v %v %v", w, h, x, y, wk.name, maxRun, runs, c, ok, wr, wc, wok)
							}
						}
					}
				}
			}
		}
	}
}

// BenchmarkFinderPhotos times findFinders on the threshold (block 8) of
// each speed photo, loading only the photo of the sub-benchmark run.
func BenchmarkFinderPhotos(b *testing.B) {
	for _, path := range speedPhotos {
		b.Run(filepath.Base(path), func(b *testing.B) {
			ph, err := imaging.DecodeFile(path, nil)
			if err != nil {
				b.Skipf("photo missing: %v", err)
			}
			bm := binarize(basePlane(ph.Gray), thresholdParams{block: 8, radius: 2, minContrast: 20})
			var n int
			for b.Loop() {
				fs, _ := findFinders(bm, maxRawFinders)
				n = len(fs)
			}
			b.ReportMetric(float64(n), "raw")
		})
	}
}

// TestIsFinderRatio checks the integer decision against finderRatio for
// every tuple of runs up to 13 pixels and random larger ones, at both
// tolerances in use.
func TestIsFinderRatio(t *testing.T) {
	check := func(r [5]int) {
		for _, tc := range []struct {
			tol10 int
			tol   float64
		}{{finderTol10, finderTol}, {finderTol10 * 3 / 2, finderTol * 1.5}} {
			got := isFinderRatio(r[0], r[1], r[2], r[3], r[4], tc.tol10, tc.tol)
			if want := finderRatio(r[0], r[1], r[2], r[3], r[4], tc.tol); got != want {
				t.Fatalf("isFinderRatio%v tol %v = %v, want %v", r, tc.tol, got, want)
			}
		}
	}
	var r [5]int
	for r[0] = 0; r[0] < 14; r[0]++ {
		for r[1] = 0; r[1] < 14; r[1]++ {
			for r[2] = 0; r[2] < 14; r[2]++ {
				for r[3] = 0; r[3] < 14; r[3]++ {
					for r[4] = 0; r[4] < 14; r[4]++ {
						check(r)
					}
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 200000; i++ {
		m := 1 + rng.IntN(60)
		for k := range r {
			r[k] = max(0, m+rng.IntN(m+3)-m/2)
		}
		r[2] = max(0, 3*m+rng.IntN(2*m+3)-m)
		check(r)
	}
}

// rowRuns appends the lengths of the runs of equal values in row (0/1
// bytes) to runs. Eight pixels are compared with their left neighbours at
// a time: each transition is a non-zero byte of the XOR of two loads.
// scanRow takes the same runs on the fly; this list is the reference
// scan's.
func rowRuns(row []byte, runs []int32) []int32 {
	last := 0 // start of the current run
	x := 1
	for ; x+8 <= len(row); x += 8 {
		t := binary.LittleEndian.Uint64(row[x:]) ^ binary.LittleEndian.Uint64(row[x-1:])
		for t != 0 {
			p := x + bits.TrailingZeros64(t)/8
			runs = append(runs, int32(p-last))
			last = p
			t &= t - 1 // bytes are 0 or 1: one bit per transition
		}
	}
	for ; x < len(row); x++ {
		if row[x] != row[x-1] {
			runs = append(runs, int32(x-last))
			last = x
		}
	}
	return append(runs, int32(len(row)-last))
}

// refTraceRing is traceRing as a plain flood fill, pixel by pixel (as it
// was before the fill went by runs): the component's pixels and whether
// the fill leaked out of the box or past the area bound.
func refTraceRing(bm *bitmap, f *finder, start int) (comp map[[2]int]bool, leaked, inBox bool) {
	x0, y0, x1, y1, maxArea := ringBounds(bm, f)
	sx, sy := start%bm.w, start/bm.w
	if sx < x0 || sx > x1 || sy < y0 || sy > y1 {
		return nil, false, false
	}
	comp = map[[2]int]bool{{sx, sy}: true}
	stack := [][2]int{{sx, sy}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, o := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			n := [2]int{p[0] + o[0], p[1] + o[1]}
			if !bm.dark(n[0], n[1]) || comp[n] {
				continue
			}
			if n[0] < x0 || n[0] > x1 || n[1] < y0 || n[1] > y1 {
				return comp, true, true
			}
			comp[n] = true
			stack = append(stack, n)
		}
	}
	return comp, len(comp) > maxArea, true
}

// TestTraceRing compares the run-by-run fill with the pixel fill on
// random blobs, rings, rings broken open or leaking into noise, near the
// bitmap's edges and across word boundaries: the same pixels, the same
// area and the same verdict on leaks.
func TestTraceRing(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	closed, leaks := 0, 0
	for trial := 0; trial < 400; trial++ {
		w, h := 40+rng.IntN(150), 40+rng.IntN(100)
		bm := newBitmap(w, h)
		ms := 1 + 4*rng.Float64()
		f := &finder{x: float64(rng.IntN(w)), y: float64(rng.IntN(h)), ms: ms, msMax: ms * (1 + rng.Float64()/2)}
		// A ring of 7 modules around the finder, maybe broken, on noise.
		noise := rng.Float64() * 0.5
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dx, dy := math.Abs(float64(x)+0.5-f.x)/ms, math.Abs(float64(y)+0.5-f.y)/ms
				d := max(dx, dy)
				ring := d >= 2.5 && d < 3.5 || d < 1.5
				if ring && rng.Float64() > 0.03 || rng.Float64() < noise*0.3 {
					bm.set(x, y)
				}
			}
		}
		switch trial % 4 {
		case 1: // a bar from the ring out of the box
			y := clampInt(int(f.y), 0, h-1)
			for x := int(f.x); x < min(w, int(f.x+10*f.msMax)); x++ {
				bm.set(max(x, 0), y)
			}
		case 2: // a dark patch filling most of the box
			for y := max(int(f.y-4*f.msMax), 0); y < min(h, int(f.y+4*f.msMax)); y++ {
				for x := max(int(f.x-4*f.msMax), 0); x < min(w, int(f.x+4*f.msMax)); x++ {
					bm.set(x, y)
				}
			}
		}
		for k := 0; k < 5; k++ {
			x, y := clampInt(int(f.x+(rng.Float64()-0.5)*8*ms), 0, w-1), clampInt(int(f.y+(rng.Float64()-0.5)*8*ms), 0, h-1)
			if !bm.dark(x, y) {
				continue
			}
			start := y*w + x
			want, wantLeak, inBox := refTraceRing(bm, f, start)
			got := traceRing(bm, f, start)
			if !inBox {
				if got != nil {
					t.Fatalf("trial %d: start (%d, %d) outside the box traced", trial, x, y)
				}
				continue
			}
			if got == nil || got.leaked != wantLeak {
				t.Fatalf("trial %d, start (%d, %d): trace %v, want leak %v", trial, x, y, got, wantLeak)
			}
			if wantLeak {
				leaks++
				continue
			}
			closed++
			if got.area != len(want) {
				t.Fatalf("trial %d, start (%d, %d): area %d, want %d", trial, x, y, got.area, len(want))
			}
			for p := range want {
				if !got.reached(p[0], p[1]) {
					t.Fatalf("trial %d, start (%d, %d): pixel %v not reached", trial, x, y, p)
				}
			}
			n := 0
			for _, r := range got.runs {
				n += int(r.b - r.a)
				for x := r.a; x < r.b; x++ {
					if !want[[2]int{int(x), int(r.y)}] {
						t.Fatalf("trial %d, start (%d, %d): run %v holds (%d, %d), not in the component", trial, x, y, r, x, r.y)
					}
				}
			}
			if n != got.area {
				t.Fatalf("trial %d: runs hold %d pixels, area %d", trial, n, got.area)
			}
		}
	}
	t.Logf("%d closed components, %d leaks", closed, leaks)
	if closed < 100 || leaks < 100 {
		t.Errorf("%d closed components and %d leaks compared, want 100 of each", closed, leaks)
	}
}

// TestRingSet checks that tracing a finder's ring once and keeping it
// gives the corners of a fresh trace from every side the finder is
// reached from, and that each finder's ring is filled once.
func TestRingSet(t *testing.T) {
	codes := []placedCode{
		placeCode(t, "RING-1", 80, 90, 4.2, 0.35, 0.1),
		placeCode(t, "RING-2", 230, 100, 3.1, -0.2, 0),
		placeCode(t, "RING-3", 150, 240, 5, 1.1, 0.15),
	}
	img := degrade(t, scene(320, 320, codes), 1, 2, 90, 11)
	p := basePlane(img)
	bm := binarize(p, defaultThreshold)
	raw, _ := findFinders(bm, maxRawFinders)
	fs := verifyFinders(raw, p, 0)
	if len(fs) < 9 {
		t.Fatalf("%d finders, want the 9 of three codes", len(fs))
	}
	rings := make([]ringSet, len(fs))
	traced := 0
	for i := range fs {
		for k := 0; k < 16; k++ {
			a := float64(k) * math.Pi / 8
			ux, uy := math.Cos(a), math.Sin(a)
			vx, vy := -uy, ux
			q0, ok0 := finderCorners(bm, &fs[i], nil, ux, uy, vx, vy)
			q1, ok1 := finderCorners(bm, &fs[i], &rings[i], ux, uy, vx, vy)
			if ok0 != ok1 || q0 != q1 {
				t.Errorf("finder %d, axis %.2f rad: kept trace gives %v %v, fresh %v %v", i, a, q1, ok1, q0, ok0)
			}
			if ok0 && k == 0 {
				traced++
			}
		}
		if n := len(rings[i].traces); n > 1 {
			t.Errorf("finder %d: ring filled %d times", i, n)
		}
	}
	if traced < 9 {
		t.Errorf("%d finders have corners, want at least 9", traced)
	}
	// The core is a component of its own: reached from it, the kept
	// ring is not returned.
	f := &fs[0]
	core := int(f.y)*bm.w + int(f.x)
	if !bm.dark(int(f.x), int(f.y)) {
		t.Fatal("finder 0: centre not dark")
	}
	if r := rings[0].trace(bm, f, core); r == nil || r.area > rings[0].traces[0].area/2 {
		t.Errorf("finder 0: the core's trace is the ring's")
	}
	if n := len(rings[0].traces); n != 2 {
		t.Errorf("finder 0: %d traces kept after the core's, want 2", n)
	}
}
