//go:build !js

package qrscan

// Developer tools: skipped unless their environment variable is set.
//
//	QRSCAN_FILE=photo.jpg go test -run TestDevFile -v ./sync/qrscan
//	QRSCAN_BOARD=1 go test -run TestDevBoard -v ./sync/qrscan
//
// Scores over whole photo sets: go run ./cmd/qrbench --peers none FOLDER...

import (
	"context"
	"fmt"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cardwall/cardwall/imaging"
	"github.com/cardwall/cardwall/sync/qreval"
)

// cpuTime is the user+system time of this process.
func cpuTime() time.Duration {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// TestDevFile scans one photo and shows the result, the labels beside it
// (BoofCV sets) and, per pyramid level, the finders and the best triples.
func TestDevFile(t *testing.T) {
	path := os.Getenv("QRSCAN_FILE")
	if path == "" {
		t.Skip("QRSCAN_FILE not set")
	}
	ph, err := imaging.DecodeFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	c0, t0 := cpuTime(), time.Now()
	codes, err := Scan(context.Background(), ph.Gray, nil)
	t.Logf("%d codes, err %v, wall %v, cpu %v", len(codes), err, time.Since(t0), cpuTime()-c0)
	for _, c := range codes {
		t.Logf("  decoded %v v%d ms %.1f %q %v", c.Decoded, c.Version, c.ModuleSize, c.Text, c.Corners)
	}
	labelPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".txt"
	if data, err := os.ReadFile(labelPath); err == nil {
		if l, err := qreval.ParseLabel(labelPath, data); err == nil {
			t.Logf("labels %v", l.Codes)
		}
	}
	g := ph.Gray
	p := &plane{w: g.Rect.Dx(), h: g.Rect.Dy(), stride: g.Stride, pix: g.Pix}
	for lv := 0; lv < 4 && p.w >= minLevelSide; lv++ {
		bm := binarize(p, defaultThreshold)
		fs, _ := findFinders(bm, maxRawFinders)
		n0 := len(fs)
		fs = verifyFinders(fs, p, 0)
		t.Logf("level %d %dx%d: finders %d, verified %d", lv, p.w, p.h, n0, len(fs))
		for i, f := range fs {
			if i < 12 {
				t.Logf("  finder %d (%.1f,%.1f) ms %.2f/%.2f hits %d", i, f.x, f.y, f.ms, f.msMax, f.hits)
			}
		}
		for i, tr := range groupFinders(fs, bm, p, 12) {
			gm := locate(bm, p, fs, nil, &tr)
			h, _ := gm.fit(tr.dim, true, nil)
			h, al := gm.refine(p, h, tr.dim, true)
			vals := make([]float32, tr.dim*tr.dim)
			_, ok, fm, _ := readGrid(p, h, tr.dim, gridMethods, vals)
			t.Logf("  triple %d: %d %d %d dim %d timing %.2f geo %.2f quads %v finders %.2f aligned %d read %v",
				i, tr.tl, tr.tr, tr.bl, tr.dim, tr.timing, tr.geo, gm.hasQuad, fm, len(al), ok)
		}
		p = downscale2(p)
	}
}

// TestDevBoard scans a synthetic board and lists the codes not read, with
// the finders found for each.
func TestDevBoard(t *testing.T) {
	if os.Getenv("QRSCAN_BOARD") == "" {
		t.Skip("QRSCAN_BOARD not set")
	}
	var bi int
	fmt.Sscan(os.Getenv("QRSCAN_BOARD"), &bi)
	img, _, placed := boardPlaced(t, boardCases[bi].spec)
	c0, t0 := cpuTime(), time.Now()
	codes, _ := Scan(context.Background(), img, nil)
	t.Logf("board %d: %d codes, wall %v, cpu %v", bi, len(codes), time.Since(t0), cpuTime()-c0)
	p := basePlane(img)
	bm := binarize(p, defaultThreshold)
	raw, _ := findFinders(bm, maxRawFinders)
	near := func(x, y float64) string {
		for _, f := range raw {
			if math.Hypot(f.x-x, f.y-y) < 3 {
				return fmt.Sprintf("ms %.2f/%.2f hits %d", f.ms, f.msMax, f.hits)
			}
		}
		return "none"
	}
	for _, pc := range placed {
		read := false
		for _, c := range codes {
			read = read || c.Text == pc.text
		}
		if read {
			continue
		}
		d := float64(len(pc.mods))
		var info []string
		for _, m := range [3]Point{{3.5, 3.5}, {d - 3.5, 3.5}, {3.5, d - 3.5}} {
			x, y := pc.h.apply(m.X, m.Y)
			info = append(info, near(x, y))
		}
		t.Logf("%s not read; raw finders TL/TR/BL: %v", pc.text, info)
	}
}

// TestDevWriteBoards writes the synthetic boards as JPEG (quality 95) with
// BoofCV-style corner labels into $QRSCAN_WRITE_BOARDS, for running the
// peers (shared/tools/peer_decode.py) on the same photos.
func TestDevWriteBoards(t *testing.T) {
	dir := os.Getenv("QRSCAN_WRITE_BOARDS")
	if dir == "" {
		t.Skip("QRSCAN_WRITE_BOARDS not set")
	}
	for i, bc := range boardCases {
		img, _, placed := boardPlaced(t, bc.spec)
		name := filepath.Join(dir, fmt.Sprintf("board%d", i))
		f, err := os.Create(name + ".jpg")
		if err != nil {
			t.Fatal(err)
		}
		if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 95}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		var b strings.Builder
		b.WriteString("# list of hand selected 2D points\nSETS\n")
		for _, pc := range placed {
			d := float64(len(pc.mods))
			for k, m := range [4]Point{{0, 0}, {d, 0}, {d, d}, {0, d}} {
				x, y := pc.h.apply(m.X, m.Y)
				if k > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%.2f %.2f", x, y)
			}
			b.WriteByte('\n')
		}
		if err := os.WriteFile(name+".txt", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
