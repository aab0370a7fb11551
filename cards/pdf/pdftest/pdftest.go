// Package pdftest renders PDF pages to images for tests, with poppler's
// pdftoppm, so tests can look at what the printer really prints.
package pdftest

import (
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// Rasterize renders page 1 of pdf at dpi dots per inch in grey. It skips
// the test under -short, under wasm (no programs to run) and when pdftoppm
// is not installed (apt-get install poppler-utils).
func Rasterize(tb testing.TB, pdf []byte, dpi float64) *image.Gray {
	tb.Helper()
	if runtime.GOOS == "js" || testing.Short() {
		tb.Skip("rasterising with pdftoppm: not under wasm or -short")
	}
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		tb.Skip("pdftoppm not installed (apt-get install poppler-utils)")
	}
	dir := tb.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	r := strconv.FormatFloat(dpi, 'f', -1, 64)
	out, err := exec.Command(bin, "-r", r, "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatalf("pdftoppm output: %v", err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}
