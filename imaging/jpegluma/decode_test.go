package jpegluma

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"runtime"
	"strings"
	"testing"
)

// maxDiff returns the largest absolute difference between two planes of
// the same size and how many samples differ.
func maxDiff(t testing.TB, got, want *image.Gray) (worst, differ int) {
	t.Helper()
	if got.Rect != want.Rect {
		t.Fatalf("bounds %v, want %v", got.Rect, want.Rect)
	}
	for y := 0; y < want.Rect.Dy(); y++ {
		g, w := got.Pix[y*got.Stride:][:want.Rect.Dx()], want.Pix[y*want.Stride:][:want.Rect.Dx()]
		for x := range w {
			d := int(g[x]) - int(w[x])
			if d != 0 {
				differ++
			}
			worst = max(worst, d, -d)
		}
	}
	return worst, differ
}

// checkDecode decodes data and compares it with want (the exact decoding)
// and, when image/jpeg decodes the file, with image/jpeg's Y plane.
func checkDecode(t *testing.T, data []byte, want *image.Gray) {
	t.Helper()
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stride != want.Rect.Dx() || len(got.Pix) != want.Rect.Dx()*want.Rect.Dy() {
		t.Errorf("stride %d, %d bytes; want %d, %d", got.Stride, len(got.Pix), want.Rect.Dx(), want.Rect.Dx()*want.Rect.Dy())
	}
	// Our IDCT rounds like the exact one but for rare ±1.
	if worst, differ := maxDiff(t, got, want); worst > 1 || differ*50 > len(want.Pix) {
		t.Errorf("vs exact decoding: max |diff| %d, %d of %d samples differ", worst, differ, len(want.Pix))
	}
	ref, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Logf("image/jpeg cannot decode it: %v", err)
		return
	}
	if md, mean := planeDiff(t, got, ref); md > maxDiffAllowed || mean >= meanDiffAllowed {
		t.Errorf("vs image/jpeg: max |diff| %d, mean %.4f", md, mean)
	}
}

func TestSamplingFactors(t *testing.T) {
	samplings := []struct {
		name string
		s    []byte
	}{
		{"gray", []byte{0x11}},
		{"gray 2x2 factors", []byte{0x22}},
		{"4:4:4", []byte{0x11, 0x11, 0x11}},
		{"4:2:2", []byte{0x21, 0x11, 0x11}},
		{"4:2:0", []byte{0x22, 0x11, 0x11}},
		{"4:1:1", []byte{0x41, 0x11, 0x11}},
		{"4:4:0", []byte{0x12, 0x11, 0x11}},
		{"4:1:0", []byte{0x42, 0x11, 0x11}},
		{"all 2x1", []byte{0x21, 0x21, 0x21}},
		{"3x1 luma", []byte{0x31, 0x11, 0x11}},
		{"mixed chroma", []byte{0x22, 0x21, 0x12}},
		{"luma below chroma", []byte{0x11, 0x22, 0x22}},
		{"luma 1x2 chroma 2x1", []byte{0x12, 0x21, 0x11}},
	}
	sizes := [][2]int{{1, 1}, {7, 9}, {16, 16}, {33, 47}, {100, 21}}
	for _, sm := range samplings {
		for _, sz := range sizes {
			for _, restart := range []int{0, 1, 3} {
				name := fmt.Sprintf("%s/%dx%d/restart%d", sm.name, sz[0], sz[1], restart)
				t.Run(name, func(t *testing.T) {
					m := newTestImage(sz[0], sz[1], len(sm.s), uint32(sz[0]*sz[1]+restart))
					data, want := encode(t, m, encOptions{sampling: sm.s, quality: 90, restart: restart})
					checkDecode(t, data, want)
				})
			}
		}
	}
}

func TestScanLayouts(t *testing.T) {
	tests := []struct {
		name  string
		s     []byte
		scans [][]int
	}{
		{"separate 4:4:4", []byte{0x11, 0x11, 0x11}, [][]int{{0}, {1}, {2}}},
		{"separate 4:2:0", []byte{0x22, 0x11, 0x11}, [][]int{{0}, {1}, {2}}},
		{"chroma first 4:2:0", []byte{0x22, 0x11, 0x11}, [][]int{{2}, {1}, {0}}},
		{"chroma pair then luma 4:2:2", []byte{0x21, 0x11, 0x11}, [][]int{{1, 2}, {0}}},
		{"luma with Cb, then Cr 4:1:1", []byte{0x41, 0x11, 0x11}, [][]int{{0, 1}, {2}}},
		{"separate, luma below chroma", []byte{0x11, 0x22, 0x22}, [][]int{{1}, {0}, {2}}},
	}
	for _, tc := range tests {
		for _, restart := range []int{0, 1, 4} {
			t.Run(fmt.Sprintf("%s/restart%d", tc.name, restart), func(t *testing.T) {
				m := newTestImage(45, 29, 3, 7)
				data, want := encode(t, m, encOptions{sampling: tc.s, quality: 80, restart: restart, scans: tc.scans})
				checkDecode(t, data, want)
			})
		}
	}
}

func TestEncodingVariants(t *testing.T) {
	tests := []struct {
		name string
		o    encOptions
	}{
		{"quality 100 (large coefficients)", encOptions{sampling: []byte{0x22, 0x11, 0x11}, quality: 100}},
		{"quality 2 (mostly DC)", encOptions{sampling: []byte{0x22, 0x11, 0x11}, quality: 2}},
		{"16-bit tables, SOF1", encOptions{sampling: []byte{0x21, 0x11, 0x11}, quality: 90, sof1: true}},
		{"fill bytes and stray markers", encOptions{sampling: []byte{0x22, 0x11, 0x11}, quality: 90, restart: 2, fill: true}},
		{"restart interval over 8 markers", encOptions{sampling: []byte{0x11}, quality: 90, restart: 1}},
		{"restart interval longer than the image", encOptions{sampling: []byte{0x11, 0x11, 0x11}, quality: 90, restart: 500}},
		{"component ids 0, 1, 2", encOptions{sampling: []byte{0x22, 0x11, 0x11}, quality: 90, ids: []byte{0, 1, 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestImage(61, 35, 3, 3)
			data, want := encode(t, m, tc.o)
			checkDecode(t, data, want)
		})
	}
}

// TestImageJPEGEncoder decodes what image/jpeg's own encoder writes:
// greyscale and 4:2:0 with the standard Huffman tables.
func TestImageJPEGEncoder(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {9, 7}, {16, 16}, {31, 17}, {64, 48}} {
		m := newTestImage(sz[0], sz[1], 3, 11)
		gray := &image.Gray{Pix: m.planes[0], Stride: m.w, Rect: image.Rect(0, 0, m.w, m.h)}
		ycc := image.NewYCbCr(gray.Rect, image.YCbCrSubsampleRatio444)
		copy(ycc.Y, m.planes[0])
		copy(ycc.Cb, m.planes[1])
		copy(ycc.Cr, m.planes[2])
		for _, img := range []image.Image{gray, ycc} {
			for _, q := range []int{1, 50, 90, 100} {
				t.Run(fmt.Sprintf("%dx%d/%T/q%d", sz[0], sz[1], img, q), func(t *testing.T) {
					var buf bytes.Buffer
					if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
						t.Fatal(err)
					}
					ref, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
					if err != nil {
						t.Fatal(err)
					}
					got, err := Decode(buf.Bytes())
					if err != nil {
						t.Fatal(err)
					}
					if md, mean := planeDiff(t, got, ref); md > maxDiffAllowed || mean >= meanDiffAllowed {
						t.Errorf("vs image/jpeg: max |diff| %d, mean %.4f", md, mean)
					}
				})
			}
		}
	}
}

// segmentAt returns the offset of the first marker m in data.
func segmentAt(t testing.TB, data []byte, m byte) int {
	t.Helper()
	i := bytes.Index(data, []byte{0xFF, m})
	if i < 0 {
		t.Fatalf("no marker %02X", m)
	}
	return i
}

// patched returns a copy of data with b written at offset i.
func patched(data []byte, i int, b ...byte) []byte {
	out := append([]byte{}, data...)
	copy(out[i:], b)
	return out
}

func TestUnsupported(t *testing.T) {
	m := newTestImage(24, 16, 3, 5)
	base, _ := encode(t, m, encOptions{sampling: []byte{0x22, 0x11, 0x11}, quality: 90})
	sof := segmentAt(t, base, markerSOF0)
	big, _ := encode(t, m, encOptions{sampling: []byte{0x22, 0x11, 0x11}, quality: 90, sof1: true})
	dqt := segmentAt(t, big, markerDQT)
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"progressive", patched(base, sof+1, 0xC2), fmt.Sprintf("progressive DCT (SOF2) at byte %d", sof)},
		{"lossless", patched(base, sof+1, 0xC3), "lossless (SOF3)"},
		{"arithmetic", patched(base, sof+1, 0xC9), "arithmetic-coded sequential DCT (SOF9)"},
		{"12-bit", patched(base, sof+4, 12), "12-bit samples"},
		{"DNL height", patched(base, sof+5, 0, 0), "height given by a later DNL marker"},
		{"RGB ids", encodeWith(t, m, encOptions{sampling: []byte{0x11, 0x11, 0x11}, quality: 90, ids: []byte{'R', 'G', 'B'}}), "RGB-coded colour"},
		{"Adobe RGB", withSegment(base, 0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x00")), "RGB-coded colour"},
		{"4 components", fourComponents(t), "4 components"},
		{"quantizer over 2048", patched(big, dqt+5, 0x10, 0x00), "luminance quantizer 4096"},
		{"JPG extension marker", withSegment(base, 0xF3, []byte("x")), "marker 0xF3"},
		{"over-full Huffman table", withSegment(base, markerDHT, append([]byte{0, 3}, make([]byte, 15+3)...)),
			"over-full Huffman table (DHT at byte 2, class 0 table 0: 3 codes of 1 bits do not fit after the shorter ones)"},
		{"no luminance scan", noLumaScan(t, m), "no scan holds the luminance"},
		{"luminance scan after skipped chroma", encodeWith(t, m, encOptions{sampling: []byte{0x11, 0x11, 0x11}, quality: 90, scans: [][]int{{0}, {1}, {0}}}),
			"second luminance scan after chroma scans"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Decode(tc.data)
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, %v; want ErrUnsupported with %q", g, err, tc.msg)
			}
		})
	}
}

// noLumaScan returns a JPEG whose only scan holds Cb and Cr.
func noLumaScan(t testing.TB, m *testImage) []byte {
	return encodeWith(t, m, encOptions{sampling: []byte{0x11, 0x11, 0x11}, quality: 90, scans: [][]int{{1, 2}}})
}

// encodeWith is encode without the reference image.
func encodeWith(t testing.TB, m *testImage, o encOptions) []byte {
	data, _ := encode(t, m, o)
	return data
}

// withSegment inserts a marker segment right after SOI.
func withSegment(data []byte, marker byte, payload []byte) []byte {
	n := len(payload) + 2
	seg := append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
	return append(append(append([]byte{}, data[:2]...), seg...), data[2:]...)
}

// fourComponents returns a CMYK-style frame header after SOI.
func fourComponents(t testing.TB) []byte {
	sof := []byte{8, 0, 8, 0, 8, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0}
	return withSegment([]byte{0xFF, 0xD8, 0xFF, 0xD9}, markerSOF0, sof)
}

func TestCorrupt(t *testing.T) {
	m := newTestImage(40, 24, 3, 9)
	base, _ := encode(t, m, encOptions{sampling: []byte{0x22, 0x11, 0x11}, quality: 90, restart: 2})
	single, _ := encode(t, m, encOptions{sampling: []byte{0x22, 0x11, 0x11}, quality: 90})
	sos := segmentAt(t, base, markerSOS)
	dht := segmentAt(t, base, markerDHT)
	dqt := segmentAt(t, base, markerDQT)
	rst1 := segmentAt(t, base, markerRST0+1)
	ecs := sos + 2 + 12 // SOS segment of 3 components is 12 bytes long
	tests := []struct {
		name   string
		data   []byte
		offset int
		msg    string
		eof    bool
	}{
		{"empty", nil, 0, "missing SOI marker", false},
		{"not a JPEG", []byte("GIF89a"), 0, "missing SOI marker", false},
		{"SOI only", base[:2], 2, "no EOI marker", true},
		{"cut in a segment", base[:dqt+20], dqt + 20, "DQT segment at byte", true},
		{"cut in the scan", base[:ecs+30], ecs + 30, "data ends inside the entropy-coded data", true},
		{"no EOI", base[:len(base)-2], len(base) - 2, "data ends inside the entropy-coded data", true},
		{"no EOI after the scan", append(base[:len(base)-2:len(base)-2], 0xFF, markerRST0), len(base), "no EOI marker", true},
		{"scan before frame", patched(base, segmentAt(t, base, markerSOF0)+1, 0xE5), sos, "no SOF marker", false},
		{"zero-length segment", patched(base, dqt+2, 0, 1), dqt + 2, "segment length 1 is below 2", false},
		{"DQT precision 2", patched(base, dqt+4, 0x20), dqt, "table precision 2", false},
		{"DHT class 2", patched(base, dht+4, 0x20), dht, "table class 2", false},
		{"unknown marker", patched(base, dqt+1, 0x02), dqt, "unknown marker 0x02", false},
		{"SOS component not in frame", patched(base, sos+5, 9), sos, "component 9 is not in the frame", false},
		{"wrong restart marker", patched(base, rst1+1, markerRST0+5), rst1, "marker RST5 where RST1 was expected", false},
		{"marker inside a restart interval", patched(base, ecs+4, 0xFF, 0xD9), ecs + 4, "marker EOI where RST0 was expected", false},
		{"marker inside the scan", patched(single, len(single)-8, 0xFF, 0xD9), len(single) - 8, "entropy-coded segment ends before this MCU does", false},
		{"bad Huffman code", garbleScan(base, ecs), ecs, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Decode(tc.data)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, %v; want a *FormatError", g, err)
			}
			if g != nil || !strings.Contains(err.Error(), tc.msg) || fe.Offset != tc.offset && tc.offset >= 0 {
				t.Errorf("error %q (offset %d); want %q at offset %d", err, fe.Offset, tc.msg, tc.offset)
			}
			if errors.Is(err, io.ErrUnexpectedEOF) != tc.eof {
				t.Errorf("errors.Is(%q, io.ErrUnexpectedEOF) = %v", err, !tc.eof)
			}
			if errors.Is(err, ErrUnsupported) {
				t.Errorf("corrupt data reported as unsupported: %v", err)
			}
		})
	}
}

// garbleScan overwrites the start of the entropy-coded data at ecs with
// 1 bits, which no table codes (the all-ones code is never used).
func garbleScan(data []byte, ecs int) []byte {
	out := append([]byte{}, data...)
	for i := ecs; i < ecs+6; i += 2 {
		out[i], out[i+1] = 0xFF, 0x00
	}
	return out
}

// A header claiming a huge image over little data is refused before the
// image is allocated.
func TestHugeHeaderAllocatesLittle(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("MemStats totals are not meaningful under wasm's allocator")
	}
	m := newTestImage(16, 16, 1, 1)
	data, _ := encode(t, m, encOptions{sampling: []byte{0x11}, quality: 90})
	sof := segmentAt(t, data, markerSOF0)
	data = patched(data, sof+5, 0xFF, 0xFF, 0xFF, 0xFF) // 65535×65535
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Decode(data)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "cannot hold 67108864 blocks") {
		t.Errorf("error %v; want the data too short for the blocks", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing a %d-byte JPEG allocated %d bytes", len(data), n)
	}
}
