package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// qrPNG writes a PNG of size×size pixels holding one QR code of text, 6 px
// per module, with its top-left corner at (off, off) on a white page, and
// returns its path and the symbol's side in pixels.
func qrPNG(t *testing.T, name, text string, size, off int) (path string, side int) {
	t.Helper()
	hints := map[gozxing.EncodeHintType]interface{}{gozxing.EncodeHintType_MARGIN: 0}
	bm, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 0, 0, hints)
	if err != nil {
		t.Fatal(err)
	}
	const scale = 6
	page := image.NewGray(image.Rect(0, 0, size, size))
	draw.Draw(page, page.Bounds(), image.White, image.Point{}, draw.Src)
	for y := 0; y < bm.GetHeight(); y++ {
		for x := 0; x < bm.GetWidth(); x++ {
			if bm.Get(x, y) {
				r := image.Rect(off+x*scale, off+y*scale, off+(x+1)*scale, off+(y+1)*scale)
				draw.Draw(page, r, image.Black, image.Point{}, draw.Src)
			}
		}
	}
	path = filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, page); err != nil {
		t.Fatal(err)
	}
	return path, bm.GetWidth() * scale
}

func runCLI(args ...string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = run(args, &out, &errb)
	return status, out.String(), errb.String()
}

func TestDecodeText(t *testing.T) {
	img, _ := qrPNG(t, "one.png", "PROJ-101", 300, 40)
	status, out, errs := runCLI("decode", img)
	if status != 0 || out != "PROJ-101\n" {
		t.Errorf("decode one image: status %d, stdout %q, stderr %q; want 0, \"PROJ-101\\n\"", status, out, errs)
	}
}

func TestDecodeSeveralAndBadFile(t *testing.T) {
	a, _ := qrPNG(t, "a.png", "COL:Done", 300, 40)
	multi, _ := qrPNG(t, "multi.png", "line one\r\nline two\x1b[31m", 400, 40)
	bad := filepath.Join(t.TempDir(), "bad.jpg")
	if err := os.WriteFile(bad, []byte("\xff\xd8\xff\xe0 truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "blank.png")
	blank := image.NewGray(image.Rect(0, 0, 50, 50))
	var buf bytes.Buffer
	if err := png.Encode(&buf, blank); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(empty, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	status, out, errs := runCLI("decode", a, bad, multi, empty)
	want := a + ": COL:Done\n" + multi + ": \"line one\\r\\nline two\\x1b[31m\"\n"
	if status != 1 || out != want {
		t.Errorf("stdout %q, status %d; want %q, 1", out, status, want)
	}
	for _, w := range []string{bad, "1 of 4 images could not be read", empty + ": no QR code found"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr %q does not contain %q", errs, w)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	text := "line one\r\nline two <&>"
	img, side := qrPNG(t, "multi.png", text, 400, 40)
	bad := filepath.Join(t.TempDir(), "missing.png")
	status, out, errs := runCLI("decode", "--json", img, bad)
	if status != 1 {
		t.Errorf("status %d, want 1 (one file missing); stderr %q", status, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 || lines[1] != "null" {
		t.Fatalf("stdout %q: want one line per image, the missing one null", out)
	}
	var codes []struct {
		Text    string       `json:"text"`
		Corners [][2]float64 `json:"corners"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &codes); err != nil {
		t.Fatalf("stdout line %q: %v", lines[0], err)
	}
	if len(codes) != 1 || codes[0].Text != text || len(codes[0].Corners) != 4 {
		t.Fatalf("codes %+v, want one with text %q and 4 corners", codes, text)
	}
	// The symbol spans (40, 40) to (40+side, 40+side); corners in order
	// top-left, top-right, bottom-right, bottom-left, within 2 px.
	e := float64(40 + side)
	want := [4][2]float64{{40, 40}, {e, 40}, {e, e}, {40, e}}
	for i, c := range codes[0].Corners {
		if math.Abs(c[0]-want[i][0]) > 2 || math.Abs(c[1]-want[i][1]) > 2 {
			t.Errorf("corner %d = %v, want about %v", i, c, want[i])
		}
	}
}

func TestDecodeUsage(t *testing.T) {
	for _, args := range [][]string{{"decode"}, {"decode", "--bogus", "x.png"}} {
		status, _, errs := runCLI(args...)
		if status != 2 || !strings.Contains(errs, "usage: cardwall decode") {
			t.Errorf("%q: status %d, stderr %q; want 2 with usage", args, status, errs)
		}
	}
	status, _, errs := runCLI("decode", "-h")
	if status != 0 || !strings.Contains(errs, "--json") {
		t.Errorf("-h: status %d, stderr %q", status, errs)
	}
}

// TestDecodeMaxPixels checks --max-pixels: an image over the limit is
// refused with the limit and the way to raise it, one within it reads,
// and values out of range are usage errors.
func TestDecodeMaxPixels(t *testing.T) {
	img, _ := qrPNG(t, "one.png", "PROJ-101", 300, 40)
	status, out, errs := runCLI("decode", "--max-pixels", "50000", img)
	want := "one.png: 300×300 pixels (0.09 MP) is over the pixel limit of 0.05 MP (--max-pixels raises it)"
	if status != 1 || out != "" || !strings.Contains(errs, want) {
		t.Errorf("over the limit: status %d, stdout %q, stderr %q; want 1 and …%s…", status, out, errs, want)
	}
	if status, out, errs := runCLI("decode", "--max-pixels", "90000", img); status != 0 || out != "PROJ-101\n" {
		t.Errorf("at the limit: status %d, stdout %q, stderr %q", status, out, errs)
	}
	for _, v := range []string{"0", "-5", "104857601"} {
		status, _, errs := runCLI("decode", "--max-pixels", v, img)
		if want := "--max-pixels " + v + ": want 1 to 104857600 pixels"; status != 2 || !strings.Contains(errs, want) {
			t.Errorf("--max-pixels %s: status %d, stderr %q; want 2 and %q", v, status, errs, want)
		}
	}
}
