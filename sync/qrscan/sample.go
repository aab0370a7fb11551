package qrscan

import (
	"fmt"
	"math/bits"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common/reedsolomon"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// sampleGrid reads the grey level at the centre of every module of a
// dim×dim symbol through h, averaging a small cross of bilinear samples
// (a fifth of a module apart) against noise. vals[y*dim+x] gets module
// (x, y).
func sampleGrid(p *plane, h homography, dim int, vals []float32) {
	sampleWarped(p, h, nil, dim, vals)
}

// sampleWarped is sampleGrid with a local correction w (nil for none).
func sampleWarped(p *plane, h homography, w *warpField, dim int, vals []float32) {
	sampleRect(p, h, w, dim, 0, 0, dim, dim, vals)
}

// sampleRect is sampleWarped for the modules (x, y) with x0 ≤ x < x0+cols
// and y0 ≤ y < y0+rows only (within the grid); the other entries of vals
// are left as they are. The homography's numerators and denominator are
// linear in the module coordinates: the arms of each cross are the
// centre's plus fixed steps, one division each.
func sampleRect(p *plane, h homography, w *warpField, dim, x0, y0, cols, rows int, vals []float32) {
	x1, y1 := min(x0+cols, dim), min(y0+rows, dim)
	x0, y0 = max(x0, 0), max(y0, 0)
	if x0 >= x1 || y0 >= y1 {
		return
	}
	const o = 0.2 // offset of the cross's arms, modules
	// Changes of the numerators (X, Y) and denominator (W) for a step of
	// o modules along u and along v.
	ux, uy, uw := o*h[0], o*h[3], o*h[6]
	vx, vy, vw := o*h[1], o*h[4], o*h[7]
	// One row's points, centre and four arms, sampled in one batch.
	n := x1 - x0
	buf := make([]float64, 15*n)
	xs, ys, got := buf[:5*n], buf[5*n:10*n], buf[10*n:]
	for my := y0; my < y1; my++ {
		v := float64(my) + 0.5
		row := vals[my*dim+x0 : my*dim+x1]
		for mx := range row {
			u := float64(x0+mx) + 0.5
			var cx, cy float64
			if w != nil {
				cx, cy = w.at(u, v)
			}
			X := h[0]*u + h[1]*v + h[2]
			Y := h[3]*u + h[4]*v + h[5]
			W := h[6]*u + h[7]*v + 1
			px, py := xs[5*mx:5*mx+5:5*mx+5], ys[5*mx:5*mx+5:5*mx+5]
			px[0], py[0] = X/W+cx, Y/W+cy
			px[1], py[1] = (X+ux)/(W+uw)+cx, (Y+uy)/(W+uw)+cy
			px[2], py[2] = (X-ux)/(W-uw)+cx, (Y-uy)/(W-uw)+cy
			px[3], py[3] = (X+vx)/(W+vw)+cx, (Y+vy)/(W+vw)+cy
			px[4], py[4] = (X-vx)/(W-vw)+cx, (Y-vy)/(W-vw)+cy
		}
		p.bilinearAll(xs, ys, got)
		for mx := range row {
			g := got[5*mx : 5*mx+5 : 5*mx+5]
			row[mx] = float32((2*g[0] + g[1] + g[2] + g[3] + g[4]) / 6)
		}
	}
}

// binarization methods for a sampled grid.
const (
	gridLocal      = iota // threshold at the mean of the 9×9 modules around
	gridGlobal            // threshold halfway between the finders' dark and light levels
	gridLocalSmall        // threshold at the mean of the 5×5 modules around (blur, shading)
	gridSharp             // gridGlobal after sharpening the grid (blur across modules)
)

// sharpenWeight is how much of the difference between a module and the
// mean of its four neighbours gridSharp adds back. At about 2 pixels per
// module, blur mixes roughly that share of each neighbour into a module.
const sharpenWeight = 1.0

// sharpenGrid writes to dst an unsharp mask of vals in module space:
// each module moves away from the mean of its four neighbours (edges
// repeated), undoing the blur that mixes neighbouring modules.
func sharpenGrid(dst, vals []float32, dim int) {
	at := func(x, y int) float32 {
		return vals[clampInt(y, 0, dim-1)*dim+clampInt(x, 0, dim-1)]
	}
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			v := vals[y*dim+x]
			n := (at(x-1, y) + at(x+1, y) + at(x, y-1) + at(x, y+1)) / 4
			dst[y*dim+x] = v + sharpenWeight*(v-n)
		}
	}
}

// thresholdGrid turns sampled grey levels into a bit matrix (set = dark).
func thresholdGrid(vals []float32, dim, method int) *gozxing.BitMatrix {
	bits, _ := gozxing.NewSquareBitMatrix(dim)
	if method == gridSharp {
		sharp := make([]float32, dim*dim)
		sharpenGrid(sharp, vals, dim)
		vals = sharp
	}
	switch method {
	case gridLocal, gridLocalSmall:
		// Integral image over the module grid.
		iw := dim + 1
		in := make([]float64, iw*iw)
		for y := 0; y < dim; y++ {
			var rs float64
			for x := 0; x < dim; x++ {
				rs += float64(vals[y*dim+x])
				in[(y+1)*iw+x+1] = in[y*iw+x+1] + rs
			}
		}
		r := localRadius
		if method == gridLocalSmall {
			r = 2
		}
		for y := 0; y < dim; y++ {
			y0, y1 := clampInt(y-r, 0, dim), clampInt(y+r+1, 0, dim)
			for x := 0; x < dim; x++ {
				x0, x1 := clampInt(x-r, 0, dim), clampInt(x+r+1, 0, dim)
				s := in[y1*iw+x1] - in[y0*iw+x1] - in[y1*iw+x0] + in[y0*iw+x0]
				mean := s / float64((y1-y0)*(x1-x0))
				if float64(vals[y*dim+x]) < mean {
					bits.Set(x, y)
				}
			}
		}
	default:
		var dark, light float64
		var nd, nl int
		for _, o := range finderOrigins(dim) {
			ox, oy := int(o.X), int(o.Y)
			for y := 0; y < 7; y++ {
				for x := 0; x < 7; x++ {
					v := float64(vals[(oy+y)*dim+ox+x])
					ring := x == 0 || y == 0 || x == 6 || y == 6
					core := x >= 2 && x <= 4 && y >= 2 && y <= 4
					if ring || core {
						dark += v
						nd++
					} else {
						light += v
						nl++
					}
				}
			}
		}
		t := float32((dark/float64(nd) + light/float64(nl)) / 2)
		for y := 0; y < dim; y++ {
			for x := 0; x < dim; x++ {
				if vals[y*dim+x] < t {
					bits.Set(x, y)
				}
			}
		}
	}
	return bits
}

// decodeBits decodes a bit matrix with gozxing's QR decoder; with
// mirrored, a symbol that reads only transposed (printed or photographed
// mirror-wise) decodes too. A panic inside the decoder is turned into an
// error.
func decodeBits(bits *gozxing.BitMatrix, mirrored bool) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("qrscan: decoder panic: %v", r)
		}
	}()
	if !mirrored {
		return decodeUnmirrored(bits)
	}
	res, err := decoder.NewDecoder().Decode(bits, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// decodeUnmirrored is gozxing's Decoder.Decode without its retry of the
// transposed matrix, from the decoder's exported steps: version, format,
// codewords, Reed–Solomon correction of each block, bit stream. A grid
// that does not decode (most of the retries' grids) fails at half the
// cost: for more than half of all grids the transposed format
// information passes gozxing's tolerant check, and the whole decoding is
// repeated.
func decodeUnmirrored(bits *gozxing.BitMatrix) (string, error) {
	parser, err := decoder.NewBitMatrixParser(bits)
	if err != nil {
		return "", err
	}
	version, err := parser.ReadVersion()
	if err != nil {
		return "", err
	}
	format, err := parser.ReadFormatInformation()
	if err != nil {
		return "", err
	}
	ecl := format.GetErrorCorrectionLevel()
	codewords, err := parser.ReadCodewords()
	if err != nil {
		return "", err
	}
	blocks, err := decoder.DataBlock_GetDataBlocks(codewords, version, ecl)
	if err != nil {
		return "", err
	}
	rs := reedsolomon.NewReedSolomonDecoder(reedsolomon.GenericGF_QR_CODE_FIELD_256)
	var data []byte
	var ints []int
	for _, b := range blocks {
		cw, nd := b.GetCodewords(), b.GetNumDataCodewords()
		ints = ints[:0]
		for _, v := range cw {
			ints = append(ints, int(v))
		}
		if err := rs.Decode(ints, len(cw)-nd); err != nil {
			return "", err
		}
		for _, v := range ints[:nd] {
			data = append(data, byte(v))
		}
	}
	res, err := decoder.DecodedBitStreamParser_Decode(data, version, ecl, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// versionFromGrid reads the version information blocks of a sampled grid
// (dim ≥ 45) and returns the dimension they give, or 0.
func versionFromGrid(bits *gozxing.BitMatrix, dim int) int {
	return versionFrom(dim, bits.Get)
}

// localRadius is the radius, in modules, of gridLocal's threshold window.
const localRadius = 4

// sampledVersion returns versionFromGrid(thresholdGrid(vals, dim,
// gridLocal), dim) after sampleGrid(p, h, dim, vals), but samples only the
// modules that this reads: a tenth of the grid at dim 45.
func sampledVersion(p *plane, h homography, dim int, vals []float32) int {
	if dim < 45 {
		return 0
	}
	sampleVersionBlocks(p, h, dim, vals)
	return versionFrom(dim, func(x, y int) bool { return localDark(vals, dim, x, y) })
}

// sampleVersionBlocks is sampleGrid for the modules of the two version
// blocks of a dim×dim symbol and the gridLocal threshold windows around
// them.
func sampleVersionBlocks(p *plane, h homography, dim int, vals []float32) {
	const r = localRadius
	sampleRect(p, h, nil, dim, dim-11-r, 0, 3+2*r, 6+r, vals)
	sampleRect(p, h, nil, dim, 0, dim-11-r, 6+r, 3+2*r, vals)
}

// localDark reports whether module (x, y) of the dim×dim grid vals is
// below the mean of its gridLocal threshold window, as thresholdGrid
// decides it.
func localDark(vals []float32, dim, x, y int) bool {
	const r = localRadius
	y0, y1 := max(y-r, 0), min(y+r+1, dim)
	x0, x1 := max(x-r, 0), min(x+r+1, dim)
	var s float64
	for j := y0; j < y1; j++ {
		for _, v := range vals[j*dim+x0 : j*dim+x1] {
			s += float64(v)
		}
	}
	return float64(vals[y*dim+x]) < s/float64((y1-y0)*(x1-x0))
}

// versionFrom reads the version information blocks of a dim×dim symbol
// whose module (x, y) is dark when dark(x, y), and returns the dimension
// they give, or 0.
func versionFrom(dim int, dark func(x, y int) bool) int {
	if dim < 45 {
		return 0
	}
	for pass := 0; pass < 2; pass++ {
		vb := 0
		for j := 5; j >= 0; j-- {
			for i := dim - 9; i >= dim-11; i-- {
				var b bool
				if pass == 0 {
					b = dark(i, j)
				} else {
					b = dark(j, i)
				}
				vb <<= 1
				if b {
					vb |= 1
				}
			}
		}
		if v, err := decoder.Version_decodeVersionInformation(vb); err == nil && v != nil {
			return v.GetDimensionForVersion()
		}
	}
	return 0
}

// formatReadable reports whether the format information of a sampled grid
// reads consistently: both copies (mirrored or not) are within three bits
// of the same format codeword, or one copy is a codeword exactly. This is a
// cheap sign that the geometry is right and retries are worth their cost.
// (Either copy alone within three bits, as a decoder accepts it, is no
// sign: more than half of all 15-bit words are.)
func formatReadable(bits *gozxing.BitMatrix) bool {
	dim := bits.GetHeight()
	if dim < 21 || bits.GetWidth() != dim {
		return false
	}
	for _, mirror := range [2]bool{false, true} {
		get := func(i, j int) uint16 {
			if mirror {
				i, j = j, i
			}
			if bits.Get(i, j) {
				return 1
			}
			return 0
		}
		// The copies in the order of ISO 18004 (most significant bit
		// first), as decoders read them.
		var c1, c2 uint16
		for i := 0; i < 6; i++ {
			c1 = c1<<1 | get(i, 8)
		}
		c1 = c1<<1 | get(7, 8)
		c1 = c1<<1 | get(8, 8)
		c1 = c1<<1 | get(8, 7)
		for j := 5; j >= 0; j-- {
			c1 = c1<<1 | get(8, j)
		}
		for j := dim - 1; j >= dim-7; j-- {
			c2 = c2<<1 | get(8, j)
		}
		for i := dim - 8; i < dim; i++ {
			c2 = c2<<1 | get(i, 8)
		}
		f1, d1 := nearestFormat(c1)
		f2, d2 := nearestFormat(c2)
		if d1 == 0 || d2 == 0 || f1 == f2 && d1 <= 3 && d2 <= 3 {
			return true
		}
	}
	return false
}

// formatCodewords is the 32 masked format codewords: BCH(15, 5) with
// generator 0x537 over the 5 data bits, XOR 0x5412.
var formatCodewords = func() (cw [32]uint16) {
	for d := range cw {
		r := d << 10
		for b := 14; b >= 10; b-- {
			if r&(1<<b) != 0 {
				r ^= 0x537 << (b - 10)
			}
		}
		cw[d] = uint16(d<<10|r) ^ 0x5412
	}
	return cw
}()

// nearestFormat returns the data bits of the format codeword nearest to
// the 15 bits c and their Hamming distance.
func nearestFormat(c uint16) (data, dist int) {
	dist = 16
	for d, w := range formatCodewords {
		if n := bits.OnesCount16(c ^ w); n < dist {
			data, dist = d, n
		}
	}
	return data, dist
}

// finderMatch is the fraction of the three finder patterns' modules
// (7×7 each) that read as the pattern should in a sampled grid.
func finderMatch(bits *gozxing.BitMatrix, dim int) float64 {
	good := 0
	for _, o := range finderOrigins(dim) {
		ox, oy := int(o.X), int(o.Y)
		for y := 0; y < 7; y++ {
			for x := 0; x < 7; x++ {
				ring := x == 0 || y == 0 || x == 6 || y == 6
				core := x >= 2 && x <= 4 && y >= 2 && y <= 4
				if bits.Get(ox+x, oy+y) == (ring || core) {
					good++
				}
			}
		}
	}
	return float64(good) / (3 * 49)
}

// finderCheck samples the 3×49 finder modules through h and returns the
// fraction that read as a finder pattern should, thresholding halfway
// between the expected-dark and expected-light means. It is a cheap test
// that a geometry describes a real symbol before the whole grid is read.
func finderCheck(p *plane, h homography, dim int) float64 {
	var vals [3 * 49]float64
	var want [3 * 49]bool
	var sd, sl float64
	var nd, nl int
	i := 0
	for _, o := range finderOrigins(dim) {
		for y := 0; y < 7; y++ {
			for x := 0; x < 7; x++ {
				px, py := h.apply(o.X+float64(x)+0.5, o.Y+float64(y)+0.5)
				v := p.bilinear(px, py)
				d := x == 0 || y == 0 || x == 6 || y == 6 || (x >= 2 && x <= 4 && y >= 2 && y <= 4)
				vals[i], want[i] = v, d
				if d {
					sd += v
					nd++
				} else {
					sl += v
					nl++
				}
				i++
			}
		}
	}
	t := (sd/float64(nd) + sl/float64(nl)) / 2
	good := 0
	for i, v := range vals {
		if (v < t) == want[i] {
			good++
		}
	}
	return float64(good) / float64(len(vals))
}
