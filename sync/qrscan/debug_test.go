package qrscan

import (
	"context"
	"fmt"
	"github.com/cardwall/cardwall/imaging"
	"image"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestDebugStages(t *testing.T) {
	c := placeCode(t, "PROJ-104", 300, 300, 2.5, 8*math.Pi/180, 0)
	t0 := time.Now()
	img := degrade(t, scene(600, 600, []placedCode{c}), 0, 6, 80, 1)
	t.Logf("render %v", time.Since(t0))
	p := &plane{w: 600, h: 600, stride: img.Stride, pix: img.Pix}
	t0 = time.Now()
	bm := binarize(p, thresholdParams{8, 2, 20})
	t.Logf("binarize %v", time.Since(t0))
	t0 = time.Now()
	fs, full := findFinders(bm, maxRawFinders)
	t.Logf("finders %d full %v %v", len(fs), full, time.Since(t0))
	t0 = time.Now()
	ts := groupFinders(fs, bm, p, 4000)
	t.Logf("triples %d %v", len(ts), time.Since(t0))
}

func TestDebugFile(t *testing.T) {
	path := os.Getenv("QRSCAN_FILE")
	if path == "" {
		t.Skip("QRSCAN_FILE not set")
	}
	codes, d := scanFile(t, path, nil)
	t.Logf("%v, %d codes", d, len(codes))
	for _, c := range codes {
		t.Logf("%v v%d ms %.1f %q %v", c.Decoded, c.Version, c.ModuleSize, c.Text, c.Corners)
	}
	if l, err := readLabels(strings.TrimSuffix(path, filepath.Ext(path)) + ".txt"); err == nil {
		t.Logf("labels %v", l)
	}
}

func TestDebugStagesFile(t *testing.T) {
	path := os.Getenv("QRSCAN_FILE")
	if path == "" {
		t.Skip("QRSCAN_FILE not set")
	}
	ph, err := imaging.DecodeFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := ph.Gray
	p := &plane{w: g.Rect.Dx(), h: g.Rect.Dy(), stride: g.Stride, pix: g.Pix}
	for lv := 0; lv < 3 && p.w >= 100; lv++ {
		bm := binarize(p, thresholdParams{8, 2, 20})
		fs, _ := findFinders(bm, maxRawFinders)
		n0 := len(fs)
		for i, f := range fs {
			if i < 10 && os.Getenv("QRSCAN_RAW") != "" {
				t.Logf("  raw (%.1f,%.1f) ms %.2f hits %d core %.0f", f.x, f.y, f.ms, f.hits, p.bilinear(f.x, f.y))
			}
		}
		fs = verifyFinders(fs, p, 0)
		t.Logf("level %d %dx%d: finders %d verified %d", lv, p.w, p.h, n0, len(fs))
		for i, f := range fs {
			if i < 20 {
				t.Logf("  finder %d (%.1f,%.1f) ms %.2f hits %d", i, f.x, f.y, f.ms, f.hits)
			}
		}
		ts := groupFinders(fs, bm, p, 100)
		for i, tr := range ts {
			if i < 10 {
				gm := locate(bm, p, fs, &tr, nil)
				h, _ := gm.fit(tr.dim, true, nil)
				t.Logf("  triple %d %d %d dim %d timing %.2f geo %.2f quads %v check %.2f", tr.tl, tr.tr, tr.bl, tr.dim, tr.timing, tr.geo, gm.hasQuad, finderCheck(p, h, tr.dim))
			}
		}
		p = downscale2(p)
	}
}

func TestDebugTriple(t *testing.T) {
	path := os.Getenv("QRSCAN_FILE")
	if path == "" {
		t.Skip("QRSCAN_FILE not set")
	}
	ph, _ := imaging.DecodeFile(path, nil)
	g := ph.Gray
	p := &plane{w: g.Rect.Dx(), h: g.Rect.Dy(), stride: g.Stride, pix: g.Pix}
	bm := binarize(p, thresholdParams{8, 2, 20})
	fs, _ := findFinders(bm, maxRawFinders)
	fs = verifyFinders(fs, p, 0)
	var a, b, c int
	fmt.Sscan(os.Getenv("QRSCAN_TRIPLE"), &a, &b, &c)
	tr := triple{tl: a, tr: b, bl: c}
	A, B, C := &fs[a], &fs[b], &fs[c]
	okT := sideModules(bm, A, B, math.Hypot(B.x-A.x, B.y-A.y), &tr.msTop)
	okL := sideModules(bm, A, C, math.Hypot(C.x-A.x, C.y-A.y), &tr.msLeft)
	t.Logf("side modules %v %v %v %v; ms %.2f %.2f %.2f", okT, okL, tr.msTop, tr.msLeft, A.ms, B.ms, C.ms)
	for d := 21; d <= 61; d += 4 {
		t.Logf("dim %d timing %.2f", d, timingScore(fs, &tr, d, p))
	}
}

func TestDebugASCII(t *testing.T) {
	path := os.Getenv("QRSCAN_FILE")
	if path == "" {
		t.Skip("QRSCAN_FILE not set")
	}
	ph, _ := imaging.DecodeFile(path, nil)
	g := ph.Gray
	p := &plane{w: g.Rect.Dx(), h: g.Rect.Dy(), stride: g.Stride, pix: g.Pix}
	bm := binarize(p, thresholdParams{8, 2, 20})
	var x0, y0, x1, y1 int
	fmt.Sscan(os.Getenv("QRSCAN_BOX"), &x0, &y0, &x1, &y1)
	for y := y0; y < y1; y++ {
		var b strings.Builder
		for x := x0; x < x1; x++ {
			if bm.dark(x, y) {
				b.WriteByte('#')
			} else {
				b.WriteByte('.')
			}
		}
		fmt.Printf("%4d %s\n", y, b.String())
	}
}

func TestDebugBoard(t *testing.T) {
	if os.Getenv("QRSCAN_BOARD") == "" {
		t.Skip("QRSCAN_BOARD not set")
	}
	var i int
	fmt.Sscan(os.Getenv("QRSCAN_BOARD"), &i)
	img, _ := board(t, boardCases[i].spec)
	p := &plane{w: img.Rect.Dx(), h: img.Rect.Dy(), stride: img.Stride, pix: img.Pix}
	for lv := 0; lv < 2; lv++ {
		t0 := time.Now()
		bm := binarize(p, thresholdParams{8, 2, 20})
		t1 := time.Now()
		fs, _ := findFinders(bm, maxRawFinders)
		n0 := len(fs)
		t2 := time.Now()
		fs = verifyFinders(fs, p, 0)
		hist := map[[2]int]int{}
		for _, f := range fs {
			hist[[2]int{min(f.hits, 9), int(f.ms * 2)}]++
		}
		t.Logf("hist (hits, 2ms): %v", hist)
		ts := groupFinders(fs, bm, p, 4000)
		t3 := time.Now()
		t.Logf("level %d: binarize %v finders %d→%d %v triples %d %v", lv, t1.Sub(t0), n0, len(fs), t2.Sub(t1), len(ts), t3.Sub(t2))
		p = downscale2(p)
	}
}

func TestDebugRandom(t *testing.T) {
	if os.Getenv("QRSCAN_RANDOM") == "" {
		t.Skip()
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		w, h := 1+r.Intn(255), 1+r.Intn(512)
		g := image.NewGray(image.Rect(0, 0, w, h))
		r.Read(g.Pix)
		t0 := time.Now()
		Scan(context.Background(), g, nil)
		t.Logf("%dx%d %v", w, h, time.Since(t0))
	}
}

func TestDebugBoardCPU(t *testing.T) {
	if os.Getenv("QRSCAN_BOARD") == "" {
		t.Skip("QRSCAN_BOARD not set")
	}
	var i int
	fmt.Sscan(os.Getenv("QRSCAN_BOARD"), &i)
	img, _ := board(t, boardCases[i].spec)
	var r0, r1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	t0 := time.Now()
	codes, _ := Scan(context.Background(), img, nil)
	syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	cpu := time.Duration(r1.Utime.Nano()-r0.Utime.Nano()) + time.Duration(r1.Stime.Nano()-r0.Stime.Nano())
	t.Logf("board %d: %d codes, wall %v, cpu %v", i, len(codes), time.Since(t0), cpu)
}

func TestDebugBoardCodes(t *testing.T) {
	if os.Getenv("QRSCAN_BOARD") == "" {
		t.Skip("QRSCAN_BOARD not set")
	}
	var bi int
	fmt.Sscan(os.Getenv("QRSCAN_BOARD"), &bi)
	img, _, placed := boardPlaced(t, boardCases[bi].spec)
	p := basePlane(img)
	bm := binarize(p, thresholdParams{8, 2, 20})
	raw, _ := findFinders(bm, maxRawFinders)
	fs := verifyFinders(append([]finder(nil), raw...), p, 0)
	ts := groupFinders(fs, bm, p, 4000)
	codes, _ := Scan(context.Background(), img, nil)
	near := func(fs []finder, x, y float64) int {
		for i, f := range fs {
			if math.Hypot(f.x-x, f.y-y) < 3 {
				return i
			}
		}
		return -1
	}
	for _, pc := range placed {
		d := float64(len(pc.mods))
		var idx, rawIdx [3]int
		for k, m := range [3]Point{{3.5, 3.5}, {d - 3.5, 3.5}, {3.5, d - 3.5}} {
			x, y := pc.h.apply(m.X, m.Y)
			idx[k] = near(fs, x, y)
			rawIdx[k] = near(raw, x, y)
		}
		tri := "none"
		for _, tr := range ts {
			if tr.tl == idx[0] && idx[0] >= 0 {
				tri = fmt.Sprintf("tr %d bl %d dim %d timing %.2f", tr.tr, tr.bl, tr.dim, tr.timing)
				break
			}
		}
		ok := false
		for _, c := range codes {
			if c.Text == pc.text {
				ok = true
			}
		}
		if !ok {
			var info []string
			for k := 0; k < 3; k++ {
				if rawIdx[k] >= 0 {
					f := raw[rawIdx[k]]
					info = append(info, fmt.Sprintf("raw ms %.2f/%.2f hits %d", f.ms, f.msMax, f.hits))
				} else {
					info = append(info, "no raw")
				}
			}
			t.Logf("%s: finders %v raw %v; triple %s", pc.text, idx, info, tri)
		}
	}
}

func TestDebugBoardDecode(t *testing.T) {
	if os.Getenv("QRSCAN_CODE") == "" {
		t.Skip("QRSCAN_CODE not set")
	}
	img, _, placed := boardPlaced(t, boardCases[1].spec)
	p := basePlane(img)
	bm := binarize(p, thresholdParams{8, 2, 20})
	raw, _ := findFinders(bm, maxRawFinders)
	fs := verifyFinders(raw, p, 0)
	ts := groupFinders(fs, bm, p, 4000)
	for _, pc := range placed {
		if pc.text != os.Getenv("QRSCAN_CODE") {
			continue
		}
		x, y := pc.h.apply(3.5, 3.5)
		for _, tr := range ts {
			f := fs[tr.tl]
			if math.Hypot(f.x-x, f.y-y) > 3 {
				continue
			}
			g := locate(bm, p, fs, &tr, nil)
			for _, uc := range []bool{true, false} {
				h, _ := g.fit(21, uc, nil)
				vals := make([]float32, 441)
				sampleGrid(p, h, 21, vals)
				for _, m := range []int{gridLocal, gridGlobal} {
					bits := thresholdGrid(vals, 21, m)
					errs := 0
					for yy := 0; yy < 21; yy++ {
						for xx := 0; xx < 21; xx++ {
							if bits.Get(xx, yy) != pc.mods[yy][xx] {
								errs++
							}
						}
					}
					var cerr float64
					for k, m := range [4]Point{{0, 0}, {21, 0}, {21, 21}, {0, 21}} {
						ex, ey := pc.h.apply(m.X, m.Y)
						gx, gy := h.apply(m.X, m.Y)
						cerr = math.Max(cerr, math.Hypot(ex-gx, ey-gy))
						_ = k
					}
					t.Logf("corners %v quads %v method %d: %d bit errors, max corner error %.2f px", uc, g.hasQuad, m, errs, cerr)
				}
			}
		}
	}
}

func TestDebugRefine(t *testing.T) {
	if os.Getenv("QRSCAN_CODE") == "" {
		t.Skip("QRSCAN_CODE not set")
	}
	img, _, placed := boardPlaced(t, boardCases[1].spec)
	p := basePlane(img)
	bm := binarize(p, thresholdParams{8, 2, 20})
	raw, _ := findFinders(bm, maxRawFinders)
	fs := verifyFinders(raw, p, 0)
	ts := groupFinders(fs, bm, p, 4000)
	for _, pc := range placed {
		if pc.text != os.Getenv("QRSCAN_CODE") {
			continue
		}
		x, y := pc.h.apply(3.5, 3.5)
		for _, tr := range ts {
			f := fs[tr.tl]
			if math.Hypot(f.x-x, f.y-y) > 3 {
				continue
			}
			g := locate(bm, p, fs, &tr, nil)
			h, _ := g.fit(21, true, nil)
			h = refineGrid(p, h, 21, g.ms)
			vals := make([]float32, 441)
			sampleGrid(p, h, 21, vals)
			bits := thresholdGrid(vals, 21, gridLocal)
			errs := 0
			for yy := 0; yy < 21; yy++ {
				for xx := 0; xx < 21; xx++ {
					if bits.Get(xx, yy) != pc.mods[yy][xx] {
						errs++
					}
				}
			}
			var cerr float64
			for _, m := range [4]Point{{0, 0}, {21, 0}, {21, 21}, {0, 21}} {
				ex, ey := pc.h.apply(m.X, m.Y)
				gx, gy := h.apply(m.X, m.Y)
				cerr = math.Max(cerr, math.Hypot(ex-gx, ey-gy))
			}
			_, err := decodeBits(bits)
			t.Logf("refined: %d bit errors, max corner error %.2f px, decode err %v", errs, cerr, err)
		}
	}
}

func TestDebugComplete(t *testing.T) {
	if os.Getenv("QRSCAN_PAIR") == "" {
		t.Skip("QRSCAN_PAIR not set")
	}
	var a, b int
	fmt.Sscan(os.Getenv("QRSCAN_PAIR"), &a, &b)

	img, _, placed := boardPlaced(t, boardCases[1].spec)
	p := basePlane(img)
	bm := binarize(p, thresholdParams{8, 2, 20})
	raw, _ := findFinders(bm, maxRawFinders)
	fs := verifyFinders(raw, p, 0)
	A, B := fs[a], fs[b]
	for _, pc := range placed {
		x, y := pc.h.apply(3.5, 3.5)
		if math.Hypot(x-A.x, y-A.y) < 4 {
			bx, by := pc.h.apply(3.5, 17.5)
			tx, ty := pc.h.apply(17.5, 3.5)
			var dk, lt float64
			for i, d := range finderTemplate {
				u, v := float64(i%7)+0.5, float64(i/7)+14.5
				gx, gy := pc.h.apply(u, v)
				if d {
					dk += p.bilinear(gx, gy)
				} else {
					lt += p.bilinear(gx, gy)
				}
			}
			t.Logf("true BL template: dark %.0f light %.0f", dk/33, lt/16)
			t.Logf("%s TL (%.1f,%.1f) TR (%.1f,%.1f) BL (%.1f,%.1f); A (%.1f,%.1f) B (%.1f,%.1f)", pc.text, x, y, tx, ty, bx, by, A.x, A.y, B.x, B.y)
		}
	}
	wx, wy := B.x-A.x, B.y-A.y
	d := math.Hypot(wx, wy)
	contrast := finderContrast(p, &A)
	for _, sg := range [2]float64{1, -1} {
		gx, gy := A.x-sg*wy, A.y+sg*wx
		x, y, ok := findFinderNear(p, gx, gy, wx/d, wy/d, (A.ms+B.ms)/2, contrast)
		t.Logf("guess (%.1f,%.1f) → (%.1f,%.1f) ok %v contrast %.1f", gx, gy, x, y, ok, contrast)
		if ok {
			three := []finder{A, B, {x: x, y: y, ms: A.ms, msMax: A.msMax}}
			ts := groupFinders(three, bm, p, 1)
			t.Logf("triples %+v", ts)
		}
	}
}
