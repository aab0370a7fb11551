package qrscan

import (
	"math"
	"os"
	"path/filepath"
	"strings"
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
	fs, full := findFinders(bm, 10000)
	t.Logf("finders %d full %v %v", len(fs), full, time.Since(t0))
	t0 = time.Now()
	ts := groupFinders(fs, bm, 4000)
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
