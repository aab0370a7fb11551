package jpegluma

import (
	"bytes"
	"errors"
	"fmt"
	"image"
)

// scanComp is a component taking part in a scan.
type scanComp struct {
	ci     int // index in the frame's components
	h, v   int // blocks per MCU: the sampling factors, 1×1 when alone in a scan
	dc, ac *huffTable
	pred   int  // DC predictor
	luma   bool // the first (luminance) component
}

// segment is one entropy-coded segment of a scan (one restart interval):
// bytes [start, end) of the unstuffed data, and where it lies in the file.
type segment struct {
	start, end int
	fileStart  int
	fileEnd    int // the marker that ends it
}

// ecsPad is the zero padding after the unstuffed data: the bit reader
// loads 8 bytes at once, and where fewer than 8 bytes are left it knows
// them to be zeros.
const ecsPad = 8

// scanLayout is the geometry of one scan.
type scanLayout struct {
	comps     []scanComp
	mcusX     int // MCUs per row
	mcus      int // MCUs in all
	ri        int // MCUs per restart interval
	intervals int
	part      string // "scan (SOS at byte N)", for messages
}

// scan decodes the scan whose header seg belongs to the SOS marker at byte
// at, with entropy-coded data from byte p on. It returns where the marker
// search resumes.
func (d *decoder) scan(seg []byte, at, p int) (int, error) {
	part := fmt.Sprintf("scan (SOS at byte %d)", at)
	sc, err := d.parseSOS(seg, at)
	if err != nil {
		return 0, err
	}
	d.sawScan = true
	if d.isRGB() {
		return 0, unsupported("RGB-coded colour (no luminance component; SOS at byte %d)", at)
	}
	luma := false
	for i := range sc {
		luma = luma || sc[i].luma
	}
	switch {
	case !luma && d.lumaScanned:
		// Chroma after the luminance: nothing to decode. Find the marker
		// after the data.
		end, ok := skipECS(d.data, p)
		if !ok {
			return 0, eofError(len(d.data), part, "data ends inside the entropy-coded data")
		}
		d.skippedChroma = true
		return end, nil
	case luma && d.skippedChroma:
		// A skipped scan may have left an end-of-band run that image/jpeg
		// would carry into this one.
		return 0, unsupported("a second luminance scan after chroma scans (%s)", part)
	}

	lay := d.layout(sc, part)
	if lay.intervals > (len(d.data)-p)/2+1 { // each restart marker takes 2 bytes
		return 0, eofError(len(d.data), part, "%d bytes cannot hold %d restart intervals", len(d.data)-p, lay.intervals)
	}
	segs, end, err := d.segments(p, lay.intervals, part)
	if err != nil {
		return 0, err
	}
	// Every block takes at least one bit: refuse short data before
	// allocating the image it claims.
	blocks := 0
	for i := range sc {
		blocks += lay.mcus * sc[i].h * sc[i].v
	}
	if bits := 8 * (len(d.ecs) - ecsPad); blocks > bits {
		return 0, eofError(end, part, "%d bytes of entropy-coded data cannot hold %d blocks", bits/8, blocks)
	}

	s := &scanDecoder{br: bitReader{buf: d.ecs}, eobRun: d.eobRun}
	if luma {
		if err := d.prepareLuma(s, at); err != nil {
			return 0, err
		}
	}
	for k, sg := range segs {
		if err := s.decodeInterval(&lay, k, sg); err != nil {
			return 0, err
		}
	}
	d.eobRun = s.eobRun
	d.lumaScanned = d.lumaScanned || luma
	return end, nil
}

// layout works out the MCU grid (section A.2) and restart intervals of a
// scan of components sc.
func (d *decoder) layout(sc []scanComp, part string) scanLayout {
	lay := scanLayout{comps: sc, part: part}
	var mcusY int
	if len(sc) == 1 {
		// One component: an MCU is one block, over the component's size.
		c := d.comps[sc[0].ci]
		lay.mcusX = ceilDiv(ceilDiv(d.width*c.h, d.hmax), 8)
		mcusY = ceilDiv(ceilDiv(d.height*c.v, d.vmax), 8)
		sc[0].h, sc[0].v = 1, 1
	} else {
		lay.mcusX = ceilDiv(d.width, 8*d.hmax)
		mcusY = ceilDiv(d.height, 8*d.vmax)
	}
	lay.mcus = lay.mcusX * mcusY
	lay.ri, lay.intervals = d.ri, 1
	if d.ri > 0 {
		lay.intervals = ceilDiv(lay.mcus, d.ri)
	} else {
		lay.ri = lay.mcus
	}
	return lay
}

// decodeInterval decodes the MCUs of restart interval k from segment sg.
func (s *scanDecoder) decodeInterval(lay *scanLayout, k int, sg segment) error {
	s.br = bitReader{buf: s.br.buf, pos: sg.start}
	if k > 0 { // restart: section F.2.1.3.1
		for i := range lay.comps {
			lay.comps[i].pred = 0
		}
		s.eobRun = 0
	}
	m0, m1 := k*lay.ri, min(lay.mcus, (k+1)*lay.ri)
	if unrolled420 && lay.is420() {
		return s.decode420(lay, k, sg, m0, m1)
	}
	for m := m0; m < m1; m++ {
		mx, my := m%lay.mcusX, m/lay.mcusX
		for i := range lay.comps {
			c := &lay.comps[i]
			for y := 0; y < c.v; y++ {
				for x := 0; x < c.h; x++ {
					var err error
					far := false
					if !c.luma {
						err = s.skipBlock(c)
					} else if err = s.lumaBlock(c); err == nil {
						far = !s.put(mx*c.h+x, my*c.v+y)
					}
					if err == nil && !far {
						continue
					}
					return s.blockFailure(err, far, lay, k, sg, mx, my, mx*c.h+x, my*c.v+y)
				}
			}
		}
		if s.br.overrun(sg) {
			return blockError(errEndOfSegment, lay, k, sg, mx, my)
		}
	}
	return nil
}

// unrolled420 selects decode420 for 4:2:0 scans (tests compare it with
// the generic loop).
var unrolled420 = true

// is420 reports whether the scan has the layout of most phone photos:
// luminance sampled 2×2 and the two chroma components 1×1, so that an
// MCU is four luminance blocks and one block of each chroma component.
func (lay *scanLayout) is420() bool {
	c := lay.comps
	return len(c) == 3 && c[0].luma && c[0].h == 2 && c[0].v == 2 &&
		c[1].h == 1 && c[1].v == 1 && c[2].h == 1 && c[2].v == 1
}

// decode420 is decodeInterval's loop over MCUs m0 ≤ m < m1 for the
// 4:2:0 layout (is420), unrolled: the same blocks in the same order, with
// the same errors, without the loops over components and sampling factors.
func (s *scanDecoder) decode420(lay *scanLayout, k int, sg segment, m0, m1 int) error {
	y, cb, cr := &lay.comps[0], &lay.comps[1], &lay.comps[2]
	mx, my := m0%lay.mcusX, m0/lay.mcusX
	for m := m0; m < m1; m++ {
		for j := 0; j < 4; j++ {
			bx, by := 2*mx+j&1, 2*my+j>>1
			if err := s.lumaBlock(y); err != nil {
				return s.blockFailure(err, false, lay, k, sg, mx, my, bx, by)
			}
			// put's common case inline: a block wholly inside with AC
			// coefficients.
			var ok bool
			if x0, y0 := 8*bx, 8*by; x0+8 <= s.w && y0+8 <= s.h && s.mask != 0 {
				off := y0*s.stride + x0
				ok = idct((*[64]int)(s.blk[:64]), &s.ws, s.pix[off:off+7*s.stride+8], s.stride, s.mask)
			} else {
				ok = s.put(bx, by)
			}
			if !ok {
				return s.blockFailure(nil, true, lay, k, sg, mx, my, bx, by)
			}
		}
		if err := s.skipBlock(cb); err != nil {
			return s.blockFailure(err, false, lay, k, sg, mx, my, mx, my)
		}
		if err := s.skipBlock(cr); err != nil {
			return s.blockFailure(err, false, lay, k, sg, mx, my, mx, my)
		}
		if s.br.overrun(sg) {
			return blockError(errEndOfSegment, lay, k, sg, mx, my)
		}
		if mx++; mx == lay.mcusX {
			mx, my = 0, my+1
		}
	}
	return nil
}

// blockFailure is the error for a block of MCU (mx, my), at block (bx, by)
// of its component, that failed to decode (err) or decoded to samples far
// outside the 8-bit range (far).
func (s *scanDecoder) blockFailure(err error, far bool, lay *scanLayout, k int, sg segment, mx, my, bx, by int) error {
	switch {
	case s.br.overrun(sg):
		err = errEndOfSegment
	case far || err == errFar:
		return unsupported("block at pixel (%d, %d) decodes to samples over %d levels outside 0–255 (corrupt data?; %s)",
			bx*8, by*8, farLimit, lay.part)
	}
	return blockError(err, lay, k, sg, mx, my)
}

// parseSOS reads a scan header (section B.2.3) with image/jpeg's checks.
func (d *decoder) parseSOS(seg []byte, at int) ([]scanComp, error) {
	const part = "SOS segment"
	if d.comps == nil {
		return nil, formatError(at, part, "scan before the frame header (no SOF marker)")
	}
	if len(seg) < 6 || len(seg) > 4+2*len(d.comps) || len(seg)%2 != 0 {
		return nil, formatError(at, part, "length %d does not fit %d components", len(seg)+2, len(d.comps))
	}
	ns := int(seg[0])
	if len(seg) != 4+2*ns {
		return nil, formatError(at, part, "length %d does not fit its %d components", len(seg)+2, ns)
	}
	sc := make([]scanComp, ns)
	totalHV := 0
	for i := range sc {
		id, tables := seg[1+2*i], seg[2+2*i]
		ci := -1
		for j, c := range d.comps {
			if c.id == id {
				ci = j
			}
		}
		if ci < 0 {
			return nil, formatError(at, part, "component %d is not in the frame", id)
		}
		for j := 0; j < i; j++ {
			if sc[j].ci == ci {
				return nil, formatError(at, part, "component %d listed twice", id)
			}
		}
		td, ta := tables>>4, tables&15
		if td > 3 || ta > 3 || d.baseline && (td > 1 || ta > 1) {
			return nil, formatError(at, part, "component %d: Huffman tables %d/%d out of range", id, td, ta)
		}
		c := d.comps[ci]
		sc[i] = scanComp{ci: ci, h: c.h, v: c.v, dc: d.table(0, td), ac: d.table(1, ta), luma: ci == 0}
		totalHV += c.h * c.v
	}
	if len(d.comps) > 1 && totalHV > 10 {
		return nil, formatError(at, part, "%d blocks per MCU (at most 10)", totalHV)
	}
	return sc, nil
}

// table returns Huffman table th of class tc, or undefinedTable.
func (d *decoder) table(tc, th byte) *huffTable {
	if t := d.huff[tc][th]; t != nil {
		return t
	}
	return &undefinedTable
}

// segments copies the entropy-coded data of a scan that starts at byte p
// into d.ecs, removing the stuffed zero after each 0xFF data byte, and
// splits it into intervals segments at the restart markers. It returns the
// segments and the offset of the marker after the last one.
//
// Like image/jpeg, a segment's data ends at its first marker, and garbage
// between that and the expected RST marker is skipped; any other marker
// there is an error.
func (d *decoder) segments(p, intervals int, part string) ([]segment, int, error) {
	data := d.data
	if cap(d.ecs) < len(data)-p+ecsPad {
		d.ecs = make([]byte, 0, len(data)-p+ecsPad)
	}
	buf := d.ecs[:0]
	var segs []segment
	for k := 0; ; k++ {
		start, fileStart := len(buf), p
		for {
			i := bytes.IndexByte(data[p:], 0xFF)
			if i < 0 {
				return nil, 0, eofError(len(data), part, "data ends inside the entropy-coded data")
			}
			buf = append(buf, data[p:p+i]...)
			p += i
			if p+1 >= len(data) {
				return nil, 0, eofError(len(data), part, "data ends inside the entropy-coded data")
			}
			if data[p+1] != 0 {
				break
			}
			buf = append(buf, 0xFF)
			p += 2
		}
		segs = append(segs, segment{start: start, end: len(buf), fileStart: fileStart, fileEnd: p})
		if k == intervals-1 {
			break
		}
		want := byte(markerRST0 + k%8)
		for {
			q := p + 1
			for q < len(data) && data[q] == 0xFF {
				q++
			}
			if q >= len(data) {
				return nil, 0, eofError(len(data), part, "data ends before restart marker RST%d", k%8)
			}
			if data[q] == want {
				p = q + 1
				break
			}
			if data[q] != 0 {
				return nil, 0, formatError(q-1, part, "marker %s where RST%d was expected after restart interval %d of %d",
					markerName(data[q]), k%8, k, intervals)
			}
			p = q + 1
			i := bytes.IndexByte(data[p:], 0xFF)
			if i < 0 {
				return nil, 0, eofError(len(data), part, "data ends before restart marker RST%d", k%8)
			}
			p += i
		}
	}
	d.ecs = append(buf, make([]byte, ecsPad)...)
	return segs, p, nil
}

// skipECS returns the offset of the first marker at or after p that is not
// a restart marker, a stuffed byte or a fill byte, and false if there is none.
func skipECS(data []byte, p int) (int, bool) {
	for {
		i := bytes.IndexByte(data[p:], 0xFF)
		if i < 0 {
			return len(data), false
		}
		p += i
		q := p + 1
		for q < len(data) && data[q] == 0xFF {
			q++
		}
		if q >= len(data) {
			return len(data), false
		}
		if m := data[q]; m != 0 && (m < markerRST0 || m > markerRST7) {
			return p, true
		}
		p = q + 1
	}
}

// prepareLuma sets up s to decode luminance blocks: the output and the
// dequantization table.
func (d *decoder) prepareLuma(s *scanDecoder, at int) error {
	c := d.comps[0]
	q := &d.quant[c.tq]
	for k, v := range q {
		if v > maxQuant {
			return unsupported("luminance quantizer %d (table %d, zig-zag index %d) over %d (SOS at byte %d)",
				v, c.tq, k, maxQuant, at)
		}
	}
	if d.gray == nil {
		d.gray = image.NewGray(image.Rect(0, 0, d.width, d.height))
		if c.h != d.hmax || c.v != d.vmax {
			// Luminance below full resolution: decode into a plane
			// covering its whole MCU grid, upsampled at the end.
			d.planeStride = ceilDiv(d.width, 8*d.hmax) * c.h * 8
			d.planeRows = ceilDiv(d.height, 8*d.vmax) * c.v * 8
			d.plane = make([]byte, d.planeStride*d.planeRows)
		}
	}
	s.qs = prescale(q)
	if d.plane != nil {
		s.pix, s.stride, s.w, s.h = d.plane, d.planeStride, d.planeStride, d.planeRows
	} else {
		s.pix, s.stride, s.w, s.h = d.gray.Pix, d.gray.Stride, d.width, d.height
	}
	return nil
}

// blockError describes an error met in MCU (mx, my) of restart interval k.
func blockError(err error, lay *scanLayout, k int, sg segment, mx, my int) error {
	where := fmt.Sprintf("MCU (%d, %d) in the entropy-coded data at bytes %d–%d", mx, my, sg.fileStart, sg.fileEnd)
	if lay.intervals > 1 {
		where += fmt.Sprintf(" (restart interval %d of %d)", k, lay.intervals)
	}
	fe := &FormatError{Offset: sg.fileStart, Part: lay.part, Msg: where + ": " + err.Error()}
	if errors.Is(err, errEndOfSegment) {
		fe.Offset = sg.fileEnd
	}
	return fe
}

// ceilDiv returns ⌈a/b⌉ for a ≥ 0, b > 0.
func ceilDiv(a, b int) int { return (a + b - 1) / b }
