package jpegluma

import (
	"fmt"
	"image"
	"io"
)

// Marker codes, from ITU-T T.81 table B.1.
const (
	markerSOF0  = 0xC0 // baseline DCT
	markerSOF1  = 0xC1 // extended sequential DCT, Huffman coding
	markerSOF2  = 0xC2 // progressive DCT, Huffman coding
	markerDHT   = 0xC4
	markerRST0  = 0xD0
	markerRST7  = 0xD7
	markerSOI   = 0xD8
	markerEOI   = 0xD9
	markerSOS   = 0xDA
	markerDQT   = 0xDB
	markerDRI   = 0xDD
	markerAPP0  = 0xE0
	markerAPP14 = 0xEE
	markerAPP15 = 0xEF
	markerCOM   = 0xFE
)

// unsupportedMarkers names the markers of JPEG processes this package does
// not decode.
var unsupportedMarkers = map[byte]string{
	0xC2: "progressive DCT (SOF2)",
	0xC3: "lossless (SOF3)",
	0xC5: "hierarchical sequential DCT (SOF5)",
	0xC6: "hierarchical progressive DCT (SOF6)",
	0xC7: "hierarchical lossless (SOF7)",
	0xC8: "JPEG extension (JPG marker)",
	0xC9: "arithmetic-coded sequential DCT (SOF9)",
	0xCA: "arithmetic-coded progressive DCT (SOF10)",
	0xCB: "arithmetic-coded lossless (SOF11)",
	0xCC: "arithmetic coding conditioning (DAC)",
	0xCD: "hierarchical arithmetic-coded sequential DCT (SOF13)",
	0xCE: "hierarchical arithmetic-coded progressive DCT (SOF14)",
	0xCF: "hierarchical arithmetic-coded lossless (SOF15)",
	0xDC: "number of lines defined later (DNL)",
	0xDE: "hierarchical progression (DHP)",
	0xDF: "reference component expansion (EXP)",
}

// component is one image component of the frame (section B.2.2).
type component struct {
	id   uint8 // component identifier
	h, v int   // sampling factors
	tq   uint8 // quantization table selector
}

// decoder holds the state of one Decode call.
type decoder struct {
	data []byte

	width, height int
	comps         []component // nil until the frame header is read
	hmax, vmax    int         // largest sampling factors
	baseline      bool        // SOF0 seen: table selectors are limited to 0 and 1

	quant [4][64]uint16    // quantization tables, in zig-zag order
	huff  [2][4]*huffTable // [0: DC, 1: AC][table destination]
	ri    int              // restart interval in MCUs; 0 for none
	// eobRun is the number of blocks left whose AC coefficients are all
	// zero after an EOBn code. Like image/jpeg, it is reset only by restart
	// markers, not between scans.
	eobRun int

	jfif           bool // an APP0 JFIF segment was seen last
	adobe          bool // an APP14 Adobe segment was seen
	adobeTransform byte

	sawScan bool
	gray    *image.Gray // the result, allocated by the first luminance scan
	// plane holds the luminance at its own resolution when that is below
	// the image's (the Y component is not the most sampled one); it is
	// upsampled into gray at the end.
	plane       []byte
	planeStride int
	planeRows   int
	lumaScanned bool
	// skippedChroma records a chroma scan after the luminance one, skipped
	// unread.
	skippedChroma bool

	ecs []byte // entropy-coded data of the current scan, unstuffed
}

// formatError returns a *FormatError.
func formatError(offset int, part, format string, args ...any) error {
	return &FormatError{Offset: offset, Part: part, Msg: fmt.Sprintf(format, args...)}
}

// eofError reports data that ends at offset while part was being read.
func eofError(offset int, part, format string, args ...any) error {
	return &FormatError{Offset: offset, Part: part, Msg: fmt.Sprintf(format, args...), Err: io.ErrUnexpectedEOF}
}

// markerName spells a marker for messages.
func markerName(m byte) string {
	switch {
	case m == markerSOF0 || m == markerSOF1:
		return fmt.Sprintf("SOF%d", m-markerSOF0)
	case m == markerDHT:
		return "DHT"
	case m >= markerRST0 && m <= markerRST7:
		return fmt.Sprintf("RST%d", m-markerRST0)
	case m == markerSOI:
		return "SOI"
	case m == markerEOI:
		return "EOI"
	case m == markerSOS:
		return "SOS"
	case m == markerDQT:
		return "DQT"
	case m == markerDRI:
		return "DRI"
	case m >= markerAPP0 && m <= markerAPP15:
		return fmt.Sprintf("APP%d", m-markerAPP0)
	case m == markerCOM:
		return "COM"
	}
	return fmt.Sprintf("0x%02X", m)
}

// decode walks the marker segments of d.data. Its leniency follows
// image/jpeg's: bytes between segments that are not a marker are skipped, a
// marker may be preceded by fill bytes (0xFF), stray RST markers are
// ignored and nothing after EOI is read.
func (d *decoder) decode() error {
	data := d.data
	if len(data) < 2 || data[0] != 0xFF || data[1] != markerSOI {
		return formatError(0, "start of data", "missing SOI marker (FF D8)")
	}
	p := 2
	for {
		// Find the next marker.
		if p+2 > len(data) {
			return eofError(len(data), "marker search", "no EOI marker")
		}
		t0, t1 := data[p], data[p+1]
		p += 2
		for t0 != 0xFF {
			if p >= len(data) {
				return eofError(len(data), "marker search", "no EOI marker")
			}
			t0, t1 = t1, data[p]
			p++
		}
		marker := t1
		if marker == 0 { // a stuffed 0xFF outside a scan: extraneous data
			continue
		}
		for marker == 0xFF { // fill bytes
			if p >= len(data) {
				return eofError(len(data), "marker search", "no EOI marker")
			}
			marker = data[p]
			p++
		}
		at := p - 2 // the marker's 0xFF
		if marker == markerEOI {
			break
		}
		if marker >= markerRST0 && marker <= markerRST7 {
			continue // a restart marker after the last interval of a scan
		}
		name := markerName(marker) + " segment"
		if p+2 > len(data) {
			return eofError(len(data), name, "data ends in the segment length")
		}
		n := int(data[p])<<8 | int(data[p+1]) - 2
		if n < 0 {
			return formatError(p, name, "segment length %d is below 2", n+2)
		}
		p += 2
		if p+n > len(data) {
			return eofError(len(data), name, "segment of %d bytes starting at byte %d is cut off", n+2, at)
		}
		seg := data[p : p+n]
		var err error
		switch {
		case marker == markerSOF0 || marker == markerSOF1:
			err = d.parseSOF(seg, at, marker)
		case marker == markerDHT:
			err = d.parseDHT(seg, at)
		case marker == markerDQT:
			err = d.parseDQT(seg, at)
		case marker == markerDRI:
			err = d.parseDRI(seg, at)
		case marker == markerSOS:
			p, err = d.scan(seg, at, p+n)
			if err != nil {
				return err
			}
			continue
		case marker == markerAPP0:
			if len(seg) >= 5 {
				d.jfif = string(seg[:5]) == "JFIF\x00"
			}
		case marker == markerAPP14:
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" {
				d.adobe, d.adobeTransform = true, seg[11]
			}
		case marker > markerAPP0 && marker <= markerAPP15 || marker == markerCOM:
			// skipped
		case unsupportedMarkers[marker] != "":
			return unsupported("%s at byte %d", unsupportedMarkers[marker], at)
		case marker >= 0xC0:
			return unsupported("marker 0x%02X at byte %d", marker, at)
		default:
			return formatError(at, "marker", "unknown marker 0x%02X", marker)
		}
		if err != nil {
			return err
		}
		p += n
	}
	if !d.sawScan {
		return formatError(len(data), "EOI", "no SOS marker before EOI")
	}
	if d.isRGB() {
		return unsupported("RGB-coded colour (no luminance component)")
	}
	if !d.lumaScanned {
		return unsupported("no scan holds the luminance (first) component")
	}
	if d.plane != nil {
		d.upsampleLuma()
	}
	return nil
}

// isRGB reports whether a three-component image is stored as RGB rather
// than YCbCr, by image/jpeg's rules (from libjpeg): not JFIF, and either an
// Adobe APP14 segment saying "no transform" or component identifiers R, G, B.
func (d *decoder) isRGB() bool {
	if len(d.comps) != 3 || d.jfif {
		return false
	}
	if d.adobe && d.adobeTransform == 0 {
		return true
	}
	return d.comps[0].id == 'R' && d.comps[1].id == 'G' && d.comps[2].id == 'B'
}

// parseSOF reads a frame header (section B.2.2).
func (d *decoder) parseSOF(seg []byte, at int, marker byte) error {
	name := markerName(marker)
	if d.comps != nil {
		return formatError(at, name+" segment", "second frame header (multiple SOF markers)")
	}
	if len(seg) < 6 || len(seg) != 6+3*int(seg[5]) {
		return formatError(at, name+" segment", "length %d does not fit its component count", len(seg)+2)
	}
	if seg[0] != 8 {
		return unsupported("%d-bit samples (%s at byte %d)", seg[0], name, at)
	}
	nc := int(seg[5])
	if nc != 1 && nc != 3 {
		return unsupported("%d components (%s at byte %d); only greyscale and YCbCr are decoded", nc, name, at)
	}
	d.height = int(seg[1])<<8 | int(seg[2])
	d.width = int(seg[3])<<8 | int(seg[4])
	if d.height == 0 {
		return unsupported("height given by a later DNL marker (%s at byte %d gives height 0)", name, at)
	}
	if d.width == 0 {
		return formatError(at, name+" segment", "image width is 0")
	}
	comps := make([]component, nc)
	for i := range comps {
		c := seg[6+3*i:]
		comps[i] = component{id: c[0], h: int(c[1] >> 4), v: int(c[1] & 15), tq: c[2]}
		for j := 0; j < i; j++ {
			if comps[j].id == comps[i].id {
				return formatError(at, name+" segment", "component identifier %d repeated", c[0])
			}
		}
		if comps[i].tq > 3 {
			return formatError(at, name+" segment", "component %d: quantization table %d (not 0–3)", c[0], comps[i].tq)
		}
		if h, v := comps[i].h, comps[i].v; h < 1 || h > 4 || v < 1 || v > 4 {
			return formatError(at, name+" segment", "component %d: sampling factors %d×%d (not 1–4)", c[0], h, v)
		}
		if nc == 1 {
			// A single component is not interleaved: its data units run
			// left to right, top to bottom, whatever its factors (A.2).
			comps[i].h, comps[i].v = 1, 1
		}
		d.hmax = max(d.hmax, comps[i].h)
		d.vmax = max(d.vmax, comps[i].v)
	}
	d.comps = comps
	d.baseline = marker == markerSOF0
	return nil
}

// parseDQT reads quantization tables (section B.2.4.1), as image/jpeg does:
// a trailing precision/destination byte with no table after it is ignored.
func (d *decoder) parseDQT(seg []byte, at int) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, seg[0]&15
		seg = seg[1:]
		if tq > 3 {
			return formatError(at, "DQT segment", "table destination %d (not 0–3)", tq)
		}
		switch pq {
		case 0:
			if len(seg) < 64 {
				break
			}
			for i := range d.quant[tq] {
				d.quant[tq][i] = uint16(seg[i])
			}
			seg = seg[64:]
			continue
		case 1:
			if len(seg) < 128 {
				break
			}
			for i := range d.quant[tq] {
				d.quant[tq][i] = uint16(seg[2*i])<<8 | uint16(seg[2*i+1])
			}
			seg = seg[128:]
			continue
		default:
			return formatError(at, "DQT segment", "table precision %d (not 0 or 1)", pq)
		}
		if len(seg) != 0 {
			return formatError(at, "DQT segment", "%d bytes left over, too few for a table", len(seg))
		}
	}
	return nil
}

// parseDHT reads Huffman tables (section B.2.4.2).
func (d *decoder) parseDHT(seg []byte, at int) error {
	for len(seg) > 0 {
		if len(seg) < 17 {
			return formatError(at, "DHT segment", "%d bytes left over, too few for a table", len(seg))
		}
		tc, th := seg[0]>>4, seg[0]&15
		if tc > 1 {
			return formatError(at, "DHT segment", "table class %d (not 0 or 1)", tc)
		}
		if th > 3 || d.baseline && th > 1 {
			return formatError(at, "DHT segment", "table destination %d (baseline allows 0–1, others 0–3)", th)
		}
		counts := seg[1:17]
		total := 0
		for _, c := range counts {
			total += int(c)
		}
		if total == 0 || total > 256 {
			return formatError(at, "DHT segment", "table of %d codes (must be 1–256)", total)
		}
		if len(seg) < 17+total {
			return formatError(at, "DHT segment", "table of %d codes needs %d bytes, only %d left", total, 17+total, len(seg))
		}
		if d.huff[tc][th] == nil {
			d.huff[tc][th] = new(huffTable)
		}
		if err := d.huff[tc][th].build(counts, seg[17:17+total], tc == 1); err != nil {
			// image/jpeg decodes with such a table, its own way; libjpeg refuses it.
			return unsupported("over-full Huffman table (DHT at byte %d, class %d table %d: %v)", at, tc, th, err)
		}
		seg = seg[17+total:]
	}
	return nil
}

// parseDRI reads the restart interval (section B.2.4.4).
func (d *decoder) parseDRI(seg []byte, at int) error {
	if len(seg) != 2 {
		return formatError(at, "DRI segment", "length %d (must be 4)", len(seg)+2)
	}
	d.ri = int(seg[0])<<8 | int(seg[1])
	return nil
}

// upsampleLuma fills gray from a luminance plane stored at a lower
// resolution than the image, replicating samples.
func (d *decoder) upsampleLuma() {
	hy, vy := d.comps[0].h, d.comps[0].v
	w := d.width
	xs := make([]int, w)
	for x := range xs {
		xs[x] = x * hy / d.hmax
	}
	for y := 0; y < d.height; y++ {
		src := d.plane[(y*vy/d.vmax)*d.planeStride:]
		dst := d.gray.Pix[y*w : y*w+w]
		for x, sx := range xs {
			dst[x] = src[sx]
		}
	}
}
