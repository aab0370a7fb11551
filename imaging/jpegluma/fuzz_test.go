package jpegluma

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// fuzzRefPixels bounds the images image/jpeg is asked to decode while
// fuzzing: it allocates whatever a header claims.
const fuzzRefPixels = 1 << 22

// FuzzDecode checks that Decode never panics, returns well-formed images
// or typed errors, agrees with image/jpeg's Y plane whenever both decode
// the data, and refuses as corrupt nothing that image/jpeg decodes (it may
// call it unsupported, which sends callers to image/jpeg).
func FuzzDecode(f *testing.F) {
	m := newTestImage(19, 11, 3, 1)
	for _, o := range []encOptions{
		{sampling: []byte{0x22, 0x11, 0x11}, quality: 75},
		{sampling: []byte{0x21, 0x11, 0x11}, quality: 90, restart: 1, fill: true},
		{sampling: []byte{0x41, 0x11, 0x11}, quality: 100, restart: 2},
		{sampling: []byte{0x11}, quality: 50},
		{sampling: []byte{0x11, 0x11, 0x11}, quality: 60, scans: [][]int{{2}, {0}, {1}}},
		{sampling: []byte{0x12, 0x11, 0x11}, quality: 90, sof1: true},
		{sampling: []byte{0x11, 0x22, 0x22}, quality: 80},
		{sampling: []byte{0x11, 0x11, 0x11}, quality: 85, restart: 2, scans: [][]int{{1, 2}, {0}}, eobRuns: true},
	} {
		data, _ := encode(f, m, o)
		f.Add(data)
		f.Add(data[:len(data)*3/4])
	}
	gray := &image.Gray{Pix: m.planes[0], Stride: m.w, Rect: image.Rect(0, 0, m.w, m.h)}
	ycc := image.NewYCbCr(gray.Rect, image.YCbCrSubsampleRatio444)
	copy(ycc.Y, m.planes[0])
	for _, img := range []image.Image{gray, ycc} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	for _, fx := range libjpegFixtures {
		data, err := os.ReadFile(filepath.Join(libjpegDir, fx.name+".jpg"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xD9})
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(data)
		var ref image.Image
		refErr := errors.New("not tried: header over fuzzRefPixels")
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height <= fuzzRefPixels {
			ref, refErr = jpeg.Decode(bytes.NewReader(data))
		}
		if err != nil {
			var fe *FormatError
			if got != nil {
				t.Fatalf("both an image and error %v", err)
			}
			if !errors.As(err, &fe) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %v is neither a *FormatError nor ErrUnsupported", err)
			}
			// image/jpeg returns an empty image for a frame of width 0
			// (which the standard does not allow); Decode refuses it.
			empty := refErr == nil && ref.Bounds().Empty()
			if refErr == nil && !empty && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("image/jpeg decodes it, Decode says %v", err)
			}
			return
		}
		r := got.Rect
		if r.Min != (image.Point{}) || r.Dx() <= 0 || r.Dy() <= 0 || got.Stride != r.Dx() || len(got.Pix) != r.Dx()*r.Dy() {
			t.Fatalf("bounds %v, stride %d, %d bytes", r, got.Stride, len(got.Pix))
		}
		if refErr != nil {
			return
		}
		md, mean := planeDiff(t, got, ref)
		if md > maxDiffAllowed || len(got.Pix) >= 4096 && mean >= meanDiffAllowed {
			t.Fatalf("vs image/jpeg: max |diff| %d, mean %.4f", md, mean)
		}
	})
}

// TestMutatedScans flips random bytes of the entropy-coded data of valid
// JPEGs, where FuzzDecode's corpus rarely stays decodable: whenever
// image/jpeg still decodes the result, Decode must agree with it (or call
// the file unsupported).
func TestMutatedScans(t *testing.T) {
	m := newTestImage(37, 29, 3, 2)
	var inputs [][]byte
	for _, o := range []encOptions{
		{sampling: []byte{0x22, 0x11, 0x11}, quality: 80},
		{sampling: []byte{0x21, 0x11, 0x11}, quality: 95, restart: 3},
		{sampling: []byte{0x11}, quality: 60},
		{sampling: []byte{0x11, 0x11, 0x11}, quality: 100, scans: [][]int{{1}, {0}, {2}}},
		{sampling: []byte{0x22, 0x11, 0x11}, quality: 90, restart: 2, eobRuns: true},
		{sampling: []byte{0x11, 0x11, 0x11}, quality: 70, scans: [][]int{{2}, {1}, {0}}, eobRuns: true},
	} {
		data, _ := encode(t, m, o)
		inputs = append(inputs, data)
	}
	rng := rand.New(rand.NewSource(1))
	trials := 3000
	if testing.Short() {
		trials = 300
	}
	agreed := 0
	for i := 0; i < trials; i++ {
		data := mutateScan(inputs[i%len(inputs)], rng)
		got, err := Decode(data)
		ref, refErr := jpeg.Decode(bytes.NewReader(data))
		if refErr != nil {
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("trial %d: image/jpeg decodes it, Decode says %v", i, err)
			}
			continue
		}
		if md, _ := planeDiff(t, got, ref); md > maxDiffAllowed {
			t.Fatalf("trial %d: max |diff| %d from image/jpeg", i, md)
		}
		agreed++
	}
	t.Logf("%d of %d mutated files decoded by both, within ±%d", agreed, trials, maxDiffAllowed)
	if agreed < trials/20 {
		t.Errorf("only %d of %d mutated files decoded by both: the test exercises too little", agreed, trials)
	}
}

// mutateScan returns a copy of the JPEG data with one to three random
// bytes of its last scan's entropy-coded data changed (never to or next
// to 0xFF, which keeps the markers).
func mutateScan(data []byte, rng *rand.Rand) []byte {
	data = append([]byte{}, data...)
	sos := bytes.LastIndex(data, []byte{0xFF, markerSOS})
	start := sos + 2 + (int(data[sos+2])<<8 | int(data[sos+3]))
	for n := 1 + rng.Intn(3); n > 0; n-- {
		if j := start + rng.Intn(len(data)-2-start); data[j] != 0xFF && data[j-1] != 0xFF {
			data[j] = byte(rng.Intn(255))
		}
	}
	return data
}

// TestDecode420MatchesGeneric checks the unrolled 4:2:0 loop against the
// generic one on intact and mutated 4:2:0 scans (with and without restart
// intervals and end-of-band runs): the same pixels, or the same error.
func TestDecode420MatchesGeneric(t *testing.T) {
	m := newTestImage(53, 41, 3, 7)
	var inputs [][]byte
	for _, o := range []encOptions{
		{sampling: []byte{0x22, 0x11, 0x11}, quality: 85},
		{sampling: []byte{0x22, 0x11, 0x11}, quality: 75, restart: 2},
		{sampling: []byte{0x22, 0x11, 0x11}, quality: 95, restart: 5, eobRuns: true},
	} {
		data, _ := encode(t, m, o)
		inputs = append(inputs, data)
	}
	decodeWith := func(unrolled bool, data []byte) (*image.Gray, error) {
		defer func(v bool) { unrolled420 = v }(unrolled420)
		unrolled420 = unrolled
		return Decode(data)
	}
	rng := rand.New(rand.NewSource(3))
	errs := 0
	for i := 0; i < 1500; i++ {
		data := inputs[i%len(inputs)]
		if i >= len(inputs) {
			data = mutateScan(data, rng)
		}
		got, err := decodeWith(true, data)
		want, wantErr := decodeWith(false, data)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("input %d: unrolled error %v, generic %v", i, err, wantErr)
		}
		if err != nil {
			errs++
			continue
		}
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("input %d: unrolled and generic pixels differ", i)
		}
	}
	t.Logf("1500 inputs, %d errors (the same from both loops)", errs)
	if errs == 0 {
		t.Errorf("no mutated input failed: the error paths went untested")
	}
}
