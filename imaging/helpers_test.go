package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Builders of small encoded images for the tests and fuzz seeds.

// grayRamp returns a w×h gray image with a deterministic pattern.
func grayRamp(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g.Pix[y*g.Stride+x] = uint8((x*7 + y*13 + (x*y)%29) % 256)
		}
	}
	return g
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tiffWithOrientation builds a TIFF block whose IFD0 holds an unrelated tag
// and then the orientation tag as a SHORT with value v.
func tiffWithOrientation(bo binary.AppendByteOrder, v uint16) []byte {
	var b []byte
	if bo == binary.LittleEndian {
		b = append(b, "II"...)
	} else {
		b = append(b, "MM"...)
	}
	b = bo.AppendUint16(b, 42)
	b = bo.AppendUint32(b, 8) // IFD0 right after the header
	b = bo.AppendUint16(b, 2) // two entries
	// ImageWidth (0x0100), LONG, 1, 640
	b = bo.AppendUint16(b, 0x0100)
	b = bo.AppendUint16(b, 4)
	b = bo.AppendUint32(b, 1)
	b = bo.AppendUint32(b, 640)
	// Orientation, SHORT, 1, v (left-justified in the 4-byte value field)
	b = bo.AppendUint16(b, tagOrientation)
	b = bo.AppendUint16(b, 3)
	b = bo.AppendUint32(b, 1)
	b = bo.AppendUint16(b, v)
	b = bo.AppendUint16(b, 0)
	b = bo.AppendUint32(b, 0) // no next IFD
	return b
}

// withJPEGEXIF splices an APP1 Exif segment holding tiff right after SOI.
func withJPEGEXIF(jpg, tiff []byte) []byte {
	payload := append(append([]byte{}, exifHeader...), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(2+len(payload)))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngChunk encodes one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	crc := crc32.ChecksumIEEE(append([]byte(typ), data...))
	return binary.BigEndian.AppendUint32(b, crc)
}

// withPNGEXIF inserts an eXIf chunk right after IHDR (8+25 bytes in).
func withPNGEXIF(p, tiff []byte) []byte {
	at := len(pngSignature) + 25
	out := append([]byte{}, p[:at]...)
	out = append(out, pngChunk("eXIf", tiff)...)
	return append(out, p[at:]...)
}

// pngHeaderOnly is a PNG signature and a valid IHDR claiming w×h 8-bit gray
// pixels, followed by an empty IDAT and IEND.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // depth 8, gray, deflate, filter 0, no interlace
	b := append([]byte{}, pngSignature...)
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("IDAT", nil)...)
	return append(b, pngChunk("IEND", nil)...)
}

// bitWriter packs bits least-significant first, as VP8L does.
type bitWriter struct {
	buf  []byte
	nbit uint
}

func (w *bitWriter) write(v uint32, n uint) {
	for i := uint(0); i < n; i++ {
		if w.nbit%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		w.buf[len(w.buf)-1] |= byte((v>>i)&1) << (w.nbit % 8)
		w.nbit++
	}
}

// solidWebP encodes a w×h lossless WebP of a single colour: every prefix
// code has one symbol, so the pixels take no bits at all. extra chunks are
// appended after the image chunk.
func solidWebP(w, h int, c color.NRGBA, extra ...[]byte) []byte {
	var bw bitWriter
	bw.write(0x2f, 8)
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	bw.write(1, 1) // alpha is used
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // 8-bit symbol
		bw.write(uint32(sym), 8)
	}
	chunk := riffChunk("VP8L", bw.buf)
	body := append([]byte("WEBP"), chunk...)
	for _, e := range extra {
		body = append(body, e...)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(out, body...)
}

// riffChunk encodes a RIFF chunk, padded to an even size.
func riffChunk(fourcc string, data []byte) []byte {
	b := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}
