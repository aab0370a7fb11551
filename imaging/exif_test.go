package imaging

import (
	"encoding/binary"
	"image/color"
	"testing"
)

func TestEXIFOrientationAllFormats(t *testing.T) {
	jpg := encodeJPEG(t, grayRamp(16, 8))
	pngData := encodePNG(t, grayRamp(16, 8))
	for _, bo := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := uint16(1); o <= 8; o++ {
			tiff := tiffWithOrientation(bo, o)
			inputs := map[string][]byte{
				"jpeg": withJPEGEXIF(jpg, tiff),
				"png":  withPNGEXIF(pngData, tiff),
			}
			for format, data := range inputs {
				p, err := DecodeBytes(data, nil)
				if err != nil {
					t.Fatalf("%s %v orientation %d: %v", format, bo, o, err)
				}
				if p.Orientation != Orientation(o) || p.Format != format {
					t.Errorf("%s %v: got orientation %d format %s, want %d", format, bo, p.Orientation, p.Format, o)
				}
				if p.Gray.Rect.Dx() != 16 || p.Gray.Rect.Dy() != 8 {
					t.Errorf("%s: raw size %v, want 16x8 (orientation must not be applied)", format, p.Gray.Rect)
				}
			}
			// WebP: the parser on an EXIF chunk, with and without the
			// JPEG-style prefix some writers add.
			for _, payload := range [][]byte{tiff, append(append([]byte{}, exifHeader...), tiff...)} {
				data := solidWebP(2, 2, color.NRGBA{A: 255}, riffChunk("EXIF", payload))
				if got := orientationOf("webp", data); got != Orientation(o) {
					t.Errorf("webp %v: orientation %d, want %d", bo, got, o)
				}
			}
		}
	}
}

func TestEXIFMissingIsNormal(t *testing.T) {
	p, err := DecodeBytes(encodeJPEG(t, grayRamp(8, 8)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Orientation != OrientNormal {
		t.Errorf("orientation %d without EXIF, want 1", p.Orientation)
	}
}

// Malformed EXIF blocks must read as orientation 1, never fail or panic.
func TestEXIFMalformed(t *testing.T) {
	le := binary.LittleEndian
	good := tiffWithOrientation(le, 6)
	patch := func(at int, b ...byte) []byte {
		out := append([]byte{}, good...)
		copy(out[at:], b)
		return out
	}
	tests := []struct {
		name string
		tiff []byte
	}{
		{"empty", nil},
		{"short header", good[:7]},
		{"bad byte order", patch(0, 'X', 'X')},
		{"bad magic", patch(2, 43, 0)},
		{"IFD offset past end", patch(4, 0xff, 0xff, 0xff, 0x7f)},
		{"IFD offset huge", patch(4, 0xff, 0xff, 0xff, 0xff)},
		{"truncated in entry", good[:len(good)-10]},
		{"value 0", patch(8+2+12+8, 0, 0)},
		{"value 9", patch(8+2+12+8, 9, 0)},
		{"value huge", patch(8+2+12+8, 0xff, 0xff)},
		{"type ASCII", patch(8+2+12+2, 2, 0)},
		{"count 0", patch(8+2+12+4, 0, 0, 0, 0)},
	}
	jpg := encodeJPEG(t, grayRamp(8, 8))
	for _, tc := range tests {
		if got := tiffOrientation(tc.tiff); got != OrientNormal {
			t.Errorf("%s: orientation %d, want 1", tc.name, got)
		}
		p, err := DecodeBytes(withJPEGEXIF(jpg, tc.tiff), nil)
		if err != nil {
			t.Errorf("%s: a bad EXIF block must not fail decoding: %v", tc.name, err)
		} else if p.Orientation != OrientNormal {
			t.Errorf("%s: decoded orientation %d, want 1", tc.name, p.Orientation)
		}
	}
}

func TestEXIFEntryCountPastEnd(t *testing.T) {
	// Entries that exist are read even if the count claims more.
	tiff := tiffWithOrientation(binary.LittleEndian, 6)
	tiff[8], tiff[9] = 0xff, 0xff
	if got := tiffOrientation(tiff); got != OrientRotate90 {
		t.Errorf("orientation %d, want 6", got)
	}
	tiff = tiff[:8+2+12+6] // orientation entry cut short
	if got := tiffOrientation(tiff); got != OrientNormal {
		t.Errorf("cut entry: orientation %d, want 1", got)
	}
}

func TestEXIFLongValue(t *testing.T) {
	tiff := tiffWithOrientation(binary.BigEndian, 0)
	e := 8 + 2 + 12 // second entry
	binary.BigEndian.PutUint16(tiff[e+2:], 4)
	binary.BigEndian.PutUint32(tiff[e+8:], 8)
	if got := tiffOrientation(tiff); got != OrientRotate270 {
		t.Errorf("LONG value: orientation %d, want 8", got)
	}
}

func TestEXIFSegmentWalk(t *testing.T) {
	tiff := tiffWithOrientation(binary.LittleEndian, 3)
	jpg := encodeJPEG(t, grayRamp(8, 8))
	// An XMP APP1 and fill bytes before the Exif APP1 must be skipped.
	xmp := append([]byte{0xFF, 0xE1, 0, 2 + 5}, "http:"...)
	data := append([]byte{}, jpg[:2]...)
	data = append(data, xmp...)
	data = append(data, 0xFF, 0xFF)
	data = append(data, withJPEGEXIF(jpg, tiff)[2:]...)
	if got := orientationOf("jpeg", data); got != OrientRotate180 {
		t.Errorf("orientation %d, want 3", got)
	}
	// A segment length running past the end stops the walk.
	bad := append(append([]byte{}, jpg[:2]...), 0xFF, 0xE1, 0xFF, 0xFF, 'E')
	if got := orientationOf("jpeg", bad); got != OrientNormal {
		t.Errorf("overlong segment: orientation %d, want 1", got)
	}
	// EXIF after the start of scan is not metadata.
	afterSOS := append(append([]byte{}, jpg[:2]...), 0xFF, 0xDA, 0, 2)
	afterSOS = append(afterSOS, withJPEGEXIF([]byte{0xFF, 0xD8}, tiff)[2:]...)
	if got := orientationOf("jpeg", afterSOS); got != OrientNormal {
		t.Errorf("EXIF after SOS: orientation %d, want 1", got)
	}
}
