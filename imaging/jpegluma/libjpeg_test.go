package jpegluma

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/libjpeg with cjpeg and djpeg (apt-get install libjpeg-turbo-progs)")

// libjpegDir holds JPEGs written by libjpeg-turbo's cjpeg from one 45×29
// source image, and for those this package decodes, djpeg's luminance
// (djpeg -grayscale -nosmooth) as PGM: an independent encoder and
// reference for layouts image/jpeg's encoder cannot write.
const libjpegDir = "testdata/libjpeg"

var libjpegFixtures = []struct {
	name        string
	args        []string // cjpeg options
	scans       string   // scan script for -scans, if any
	unsupported string   // expected ErrUnsupported text; "" if it decodes
}{
	{name: "422", args: []string{"-sample", "2x1"}},
	{name: "411", args: []string{"-sample", "4x1"}},
	{name: "440", args: []string{"-sample", "1x2"}},
	{name: "420-restart-every-mcu", args: []string{"-sample", "2x2", "-restart", "1B"}},
	{name: "444-restart-every-row", args: []string{"-sample", "1x1", "-restart", "1"}},
	{name: "420-separate-scans-restart", args: []string{"-sample", "2x2", "-restart", "3B"}, scans: "0;\n1;\n2;\n"},
	{name: "420-chroma-scan-first", args: []string{"-sample", "2x2"}, scans: "1,2;\n0;\n"},
	{name: "luma-below-chroma", args: []string{"-sample", "1x1,2x2,2x2"}},
	{name: "gray-optimized", args: []string{"-grayscale", "-optimize", "-quality", "97"}},
	{name: "quality100", args: []string{"-quality", "100", "-sample", "2x2"}},
	{name: "quality1-16bit-tables", args: []string{"-quality", "1"}, unsupported: "luminance quantizer"},
	{name: "progressive", args: []string{"-progressive"}, unsupported: "progressive DCT (SOF2)"},
	{name: "arithmetic", args: []string{"-arithmetic"}, unsupported: "arithmetic-coded sequential DCT (SOF9)"},
	{name: "rgb", args: []string{"-rgb"}, unsupported: "RGB-coded colour"},
}

func TestLibjpegFixtures(t *testing.T) {
	if *update {
		writeLibjpegFixtures(t)
	}
	for _, fx := range libjpegFixtures {
		t.Run(fx.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(libjpegDir, fx.name+".jpg"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(data)
			if fx.unsupported != "" {
				if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), fx.unsupported) {
					t.Fatalf("got %v; want ErrUnsupported with %q", err, fx.unsupported)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := readPGM(filepath.Join(libjpegDir, fx.name+".pgm"))
			if err != nil {
				t.Fatal(err)
			}
			// Both decoders are within ±1 of an exact inverse DCT.
			if worst, differ := maxDiff(t, got, want); worst > 2 || differ*20 > len(want.Pix) {
				t.Errorf("vs djpeg: max |diff| %d, %d of %d samples differ", worst, differ, len(want.Pix))
			}
			if ref, err := jpeg.Decode(bytes.NewReader(data)); err == nil {
				if md, mean := planeDiff(t, got, ref); md > maxDiffAllowed || mean >= meanDiffAllowed {
					t.Errorf("vs image/jpeg: max |diff| %d, mean %.4f", md, mean)
				}
			} else {
				t.Logf("image/jpeg cannot decode it: %v", err)
			}
		})
	}
}

// writeLibjpegFixtures regenerates libjpegDir with cjpeg and djpeg.
func writeLibjpegFixtures(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Fatal("-update needs cjpeg and djpeg; run it natively")
	}
	for _, tool := range []string{"cjpeg", "djpeg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("-update needs %s: apt-get install libjpeg-turbo-progs", tool)
		}
	}
	if err := os.MkdirAll(libjpegDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	m := newTestImage(45, 29, 3, 42)
	ppm := fmt.Appendf(nil, "P6\n%d %d\n255\n", m.w, m.h)
	for i := range m.planes[0] {
		ppm = append(ppm, m.planes[0][i], m.planes[1][i], m.planes[2][i])
	}
	src := filepath.Join(tmp, "source.ppm")
	if err := os.WriteFile(src, ppm, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, fx := range libjpegFixtures {
		jpg := filepath.Join(libjpegDir, fx.name+".jpg")
		args := append([]string{}, fx.args...)
		if fx.scans != "" {
			script := filepath.Join(tmp, fx.name+".scans")
			if err := os.WriteFile(script, []byte(fx.scans), 0o644); err != nil {
				t.Fatal(err)
			}
			args = append(args, "-scans", script)
		}
		args = append(args, "-outfile", jpg, src)
		if out, err := exec.Command("cjpeg", args...).CombinedOutput(); err != nil {
			t.Fatalf("cjpeg %v: %v\n%s", args, err, out)
		}
		pgm := filepath.Join(libjpegDir, fx.name+".pgm")
		if fx.unsupported != "" {
			os.Remove(pgm)
			continue
		}
		out, err := exec.Command("djpeg", "-grayscale", "-nosmooth", "-dct", "float", "-pnm", jpg).Output()
		if err != nil {
			t.Fatalf("djpeg %s: %v", jpg, err)
		}
		if err := os.WriteFile(pgm, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readPGM reads a binary 8-bit PGM file as djpeg writes it: "P5", width,
// height and 255, each followed by one whitespace byte, then the samples.
func readPGM(path string) (*image.Gray, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var fields [4]string
	i := 0
	for f := range fields {
		j := bytes.IndexAny(data[i:], " \n")
		if j < 0 {
			return nil, fmt.Errorf("%s: short PGM header", path)
		}
		fields[f], i = string(data[i:i+j]), i+j+1
	}
	var w, h int
	if _, err := fmt.Sscan(fields[1]+" "+fields[2], &w, &h); err != nil || fields[0] != "P5" || fields[3] != "255" {
		return nil, fmt.Errorf("%s: not an 8-bit binary PGM: header %q", path, fields)
	}
	if len(data)-i != w*h {
		return nil, fmt.Errorf("%s: %d sample bytes for %d×%d", path, len(data)-i, w, h)
	}
	return &image.Gray{Pix: data[i:], Stride: w, Rect: image.Rect(0, 0, w, h)}, nil
}
