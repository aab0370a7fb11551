package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestDecodeFormats(t *testing.T) {
	ramp := grayRamp(33, 17)
	smooth := image.NewGray(ramp.Rect)
	for i := range smooth.Pix {
		smooth.Pix[i] = uint8(i%33*5 + i/33*3)
	}
	nrgba := image.NewNRGBA(image.Rect(0, 0, 4, 3))
	for i := 0; i < len(nrgba.Pix); i += 4 {
		copy(nrgba.Pix[i:], []uint8{200, 100, 50, 255}) // luma 124
	}
	tests := []struct {
		name   string
		data   []byte
		format string
		w, h   int
		check  func(*image.Gray) bool
	}{
		{"gray PNG", encodePNG(t, ramp), "png", 33, 17,
			func(g *image.Gray) bool { return bytes.Equal(g.Pix, ramp.Pix) }},
		{"NRGBA PNG", encodePNG(t, nrgba), "png", 4, 3,
			func(g *image.Gray) bool { return bytes.Count(g.Pix, []byte{124}) == 12 }},
		{"gray JPEG", encodeJPEG(t, smooth), "jpeg", 33, 17,
			func(g *image.Gray) bool { return closeTo(g, smooth, 4) }},
		{"color JPEG", encodeJPEG(t, nrgba), "jpeg", 4, 3,
			func(g *image.Gray) bool { return closeTo(g, Luminance(nrgba), 3) }},
		{"lossless WebP", solidWebP(5, 3, color.NRGBA{200, 100, 50, 255}), "webp", 5, 3,
			func(g *image.Gray) bool { return bytes.Count(g.Pix, []byte{124}) == 15 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Decode(bytes.NewReader(tc.data), nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.Format != tc.format || p.Orientation != OrientNormal {
				t.Errorf("format %q orientation %d, want %q 1", p.Format, p.Orientation, tc.format)
			}
			if p.Gray.Rect != image.Rect(0, 0, tc.w, tc.h) {
				t.Fatalf("bounds %v, want %dx%d", p.Gray.Rect, tc.w, tc.h)
			}
			if !tc.check(p.Gray) {
				t.Errorf("unexpected pixels %v", p.Gray.Pix[:min(20, len(p.Gray.Pix))])
			}
		})
	}
}

// closeTo reports whether a and b (same size) differ by at most tol per pixel.
func closeTo(a, b *image.Gray, tol int) bool {
	for y := 0; y < a.Rect.Dy(); y++ {
		ra, rb := row(a, y), row(b, y)
		for x := range ra {
			if d := int(ra[x]) - int(rb[x]); d > tol || d < -tol {
				return false
			}
		}
	}
	return true
}

func TestDecodeErrors(t *testing.T) {
	jpg := encodeJPEG(t, grayRamp(64, 64))
	random := make([]byte, 500)
	rand.New(rand.NewSource(1)).Read(random)
	random[0] = 'x'
	tests := []struct {
		name string
		data []byte
		opt  *Options
		is   error
		msg  string
	}{
		{"zero bytes", nil, nil, ErrEmpty, "photo.jpg: is empty (0 bytes)"},
		{"truncated JPEG", jpg[:len(jpg)/2], nil, ErrCorrupt,
			"photo.jpg: truncated or corrupt JPEG: scan (SOS at byte 361) at byte 1394: data ends inside the entropy-coded data: unexpected EOF"},
		{"JPEG header only", jpg[:3], nil, ErrCorrupt, "photo.jpg: truncated or corrupt JPEG"},
		{"PNG claiming 100000×100000", pngHeaderOnly(100000, 100000), nil, ErrTooBig,
			"photo.jpg: 100000×100000 pixels (10000 MP) is over the pixel limit of 50 MP"},
		{"PNG over a small budget", pngHeaderOnly(2000, 1000), &Options{MaxPixels: 1_500_000}, ErrTooBig,
			"2000×1000 pixels (2 MP) is over the pixel limit of 1.5 MP"},
		{"PNG with no pixel data", pngHeaderOnly(20, 10), nil, ErrCorrupt, "truncated or corrupt PNG"},
		{"PNG claiming 7000×7000 in 57 bytes", pngHeaderOnly(7000, 7000), nil, ErrCorrupt,
			"photo.jpg: truncated or corrupt PNG: 7000×7000 pixels need 49007000 bytes of image data, more than a 57-byte file can hold"},
		{"PNG 0×0", pngHeaderOnly(0, 0), nil, ErrCorrupt, "PNG"},
		{"random garbage", random, nil, ErrFormat, "photo.jpg: unsupported image format: first bytes 78 "},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), nil, ErrFormat,
			"photo.jpg: unsupported image format: GIF; supported formats are JPEG, PNG and WebP"},
		{"HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), nil, ErrFormat, `"heic" (HEIC/AVIF?)`},
		{"WebP header only", []byte("RIFF\x04\x00\x00\x00WEBP"), nil, ErrCorrupt, "truncated or corrupt WebP"},
	}
	path := filepath.Join(t.TempDir(), "photo.jpg")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := DecodeFile(path, tc.opt)
			if err == nil {
				t.Fatalf("no error; got %v", p.Gray.Rect)
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %q", err, tc.is)
			}
			msg := strings.ReplaceAll(tc.msg, "photo.jpg", path)
			if !strings.Contains(err.Error(), msg) {
				t.Errorf("error %q\ndoes not contain %q", err, msg)
			}
			// DecodeBytes says the same without the file name.
			if _, err := DecodeBytes(tc.data, tc.opt); err == nil || !errors.Is(err, tc.is) {
				t.Errorf("DecodeBytes: error %v, want %v", err, tc.is)
			}
		})
	}
}

// Refusing a hostile header must not allocate the pixels it claims.
func TestDecodeHugeHeaderAllocatesLittle(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("MemStats totals are not meaningful under wasm's allocator")
	}
	for _, data := range [][]byte{pngHeaderOnly(100000, 100000), pngHeaderOnly(7000, 7000)} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := DecodeBytes(data, nil); err == nil {
			t.Fatal("no error")
		}
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("refusing a %d-byte PNG allocated %d bytes", len(data), n)
		}
	}
}

func TestDecodeFileMissing(t *testing.T) {
	_, err := DecodeFile("no/such/photo.jpg", nil)
	if err == nil || !strings.Contains(err.Error(), "no/such/photo.jpg") {
		t.Errorf("error %v should name the file", err)
	}
}

// A JPEG whose frame header claims 65535×65535 is refused before decoding.
func TestDecodeJPEGHugeHeader(t *testing.T) {
	jpg := encodeJPEG(t, grayRamp(16, 16))
	i := bytes.Index(jpg, []byte{0xFF, 0xC0}) // baseline SOF0
	if i < 0 {
		t.Fatal("no SOF0 in encoded JPEG")
	}
	data := append([]byte{}, jpg...)
	copy(data[i+5:], []byte{0xFF, 0xFF, 0xFF, 0xFF}) // height, width
	_, err := DecodeBytes(data, nil)
	if !errors.Is(err, ErrTooBig) || !strings.Contains(err.Error(), "65535×65535") {
		t.Errorf("error %v, want ErrTooBig for 65535×65535", err)
	}
}

// datasetDir is the shared photo collection, relative to this package.
const datasetDir = "../../shared/datasets"

func TestDecodeDatasetPhotos(t *testing.T) {
	files := []string{
		"boofcv-qrcodes/nominal/image001.jpg",
		"boofcv-qrcodes/rotations/image001.jpg",
		"boofcv-qrcodes/perspective/image001.jpg",
		"zxing-blackbox/qrcode-1/1.png",
		"zxing-blackbox/qrcode-2/1.png",
	}
	for _, f := range files {
		path := filepath.Join(datasetDir, f)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Skipf("dataset photo missing (%v); see ../shared/datasets/README.md", err)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		p, err := DecodeFile(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Gray.Rect != image.Rect(0, 0, cfg.Width, cfg.Height) {
			t.Errorf("%s: bounds %v, header says %dx%d", f, p.Gray.Rect, cfg.Width, cfg.Height)
		}
		if want := filepath.Ext(f)[1:]; p.Format != strings.Replace(want, "jpg", "jpeg", 1) {
			t.Errorf("%s: format %q", f, p.Format)
		}
		// The luminance of a JPEG photo is its Y plane, as image/jpeg
		// decodes it but for IDCT rounding (jpegluma decodes it).
		if p.Format == "jpeg" {
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			ycc, ok := img.(*image.YCbCr)
			if !ok {
				t.Fatalf("%s: decoded to %T", f, img)
			}
			worst, sum := 0, 0
			for y := 0; y < cfg.Height; y++ {
				for x, v := range row(p.Gray, y) {
					d := int(v) - int(ycc.Y[y*ycc.YStride+x])
					worst, sum = max(worst, d, -d), sum+max(d, -d)
				}
			}
			if mean := float64(sum) / float64(cfg.Width*cfg.Height); worst > 2 || mean >= 0.05 {
				t.Errorf("%s: luminance differs from the Y plane by up to %d, %.3f on average", f, worst, mean)
			}
		}
	}
}

// JPEGs jpegluma does not decode go through image/jpeg; the result is the
// same luminance as before.
func TestDecodeJPEGFallback(t *testing.T) {
	for _, name := range []string{"progressive.jpg", "rgb.jpg", "arithmetic.jpg"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("jpegluma/testdata/libjpeg", name))
			if err != nil {
				t.Fatal(err)
			}
			p, err := DecodeBytes(data, nil)
			img, refErr := jpeg.Decode(bytes.NewReader(data))
			if refErr != nil {
				// image/jpeg has no arithmetic decoding: its error, worded as before.
				if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "unsupported JPEG feature") {
					t.Fatalf("got %v; want ErrFormat from image/jpeg's %v", err, refErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := Luminance(img)
			if p.Gray.Rect != want.Rect || !bytes.Equal(p.Gray.Pix, want.Pix) {
				t.Errorf("luminance differs from image/jpeg's (%v vs %v)", p.Gray.Rect, want.Rect)
			}
		})
	}
}

// Corrupt JPEGs that jpegluma rejects keep imaging's wording.
func TestDecodeJPEGCorrupt(t *testing.T) {
	jpg := encodeJPEG(t, grayRamp(64, 64))
	sos := bytes.Index(jpg, []byte{0xFF, 0xDA})
	bad := append([]byte{}, jpg...)
	copy(bad[sos+12:], []byte{0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00}) // all-ones: no such code
	_, err := DecodeBytes(bad, nil)
	if !errors.Is(err, ErrCorrupt) || !strings.HasPrefix(err.Error(), "image: truncated or corrupt JPEG: ") ||
		!strings.Contains(err.Error(), "MCU (0, 0) in the entropy-coded data at bytes") {
		t.Errorf("error %v; want ErrCorrupt saying where the bad code is", err)
	}
}
