package jpegluma

import (
	"bytes"
	"image"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Real photos: the shared data sets (never copied into the repository) and
// the repository's own test boards, relative to this package.
const (
	datasetsDir = "../../../shared/datasets"
	boardsDir   = "../../testdata"
)

// Accuracy against image/jpeg's Y plane, per image.
const (
	maxDiffAllowed  = 2
	meanDiffAllowed = 0.05
)

// planeDiff compares our plane with image/jpeg's luminance of the same
// file: the largest and the mean absolute difference.
func planeDiff(t testing.TB, got *image.Gray, ref image.Image) (maxDiff int, mean float64) {
	t.Helper()
	var y []byte
	var stride int
	switch m := ref.(type) {
	case *image.YCbCr:
		y, stride = m.Y, m.YStride
	case *image.Gray:
		y, stride = m.Pix, m.Stride
	default:
		t.Fatalf("image/jpeg gave %T", ref)
	}
	b := ref.Bounds()
	if got.Rect != image.Rect(0, 0, b.Dx(), b.Dy()) || got.Stride != b.Dx() {
		t.Fatalf("bounds %v stride %d, want %v stride %d", got.Rect, got.Stride, b, b.Dx())
	}
	var sum int
	for r := 0; r < b.Dy(); r++ {
		g, w := got.Pix[r*got.Stride:][:b.Dx()], y[r*stride:][:b.Dx()]
		for x := range g {
			d := int(g[x]) - int(w[x])
			if d < 0 {
				d = -d
			}
			sum += d
			maxDiff = max(maxDiff, d)
		}
	}
	return maxDiff, float64(sum) / float64(b.Dx()*b.Dy())
}

// jpegFiles lists the JPEG files under dir.
func jpegFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := strings.ToLower(filepath.Ext(path)); !e.IsDir() && (ext == ".jpg" || ext == ".jpeg") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Skipf("%s: %v (the shared data sets are beside the repository; see ../shared/datasets/README.md)", dir, err)
	}
	return files
}

// TestRealPhotos decodes every JPEG of the data sets and test boards and
// compares it with image/jpeg's Y plane.
func TestRealPhotos(t *testing.T) {
	if testing.Short() && runtime.GOOS == "js" {
		t.Skip("slow under wasm; run without -short")
	}
	for _, dir := range []string{datasetsDir, boardsDir} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			files := jpegFiles(t, dir)
			if len(files) == 0 {
				t.Skipf("no JPEG files under %s", dir)
			}
			perDir := map[string]int{}
			worstMax, worstMean := 0, 0.0
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				ref, err := jpeg.Decode(bytes.NewReader(data))
				if err != nil {
					t.Errorf("%s: image/jpeg: %v", f, err)
					continue
				}
				got, err := Decode(data)
				if err != nil {
					t.Errorf("%s: %v", f, err)
					continue
				}
				md, mean := planeDiff(t, got, ref)
				if md > maxDiffAllowed || mean >= meanDiffAllowed {
					t.Errorf("%s: max |diff| %d, mean %.4f; want ≤ %d and < %g", f, md, mean, maxDiffAllowed, meanDiffAllowed)
				}
				worstMax, worstMean = max(worstMax, md), max(worstMean, mean)
				rel, _ := filepath.Rel(dir, filepath.Dir(f))
				perDir[rel]++
			}
			t.Logf("%d files under %s; worst max |diff| %d, worst mean |diff| %.4f; per folder %v",
				len(files), dir, worstMax, worstMean, perDir)
		})
	}
}
