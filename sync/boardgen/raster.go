package boardgen

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/cardwall/cardwall/cards/fonts"
	"github.com/cardwall/cardwall/cards/template"
	"github.com/cardwall/cardwall/sync/board"
)

// affine maps card millimetres to texture pixels: (x, y) → (a x + b y + c, d x + e y + f).
type affine [6]float64

func (m affine) apply(p board.Point) (float32, float32) {
	return float32(m[0]*p.X + m[1]*p.Y + m[2]), float32(m[3]*p.X + m[4]*p.Y + m[5])
}

func (m affine) point(p board.Point) board.Point {
	return board.Point{X: m[0]*p.X + m[1]*p.Y + m[2], Y: m[3]*p.X + m[4]*p.Y + m[5]}
}

// scale is the length in pixels of one millimetre.
func (m affine) scale() float64 { return math.Sqrt(math.Abs(m[0]*m[4] - m[1]*m[3])) }

// path is a filled outline made of closed contours, in card millimetres.
type path struct {
	segs []pathSeg
}

type pathSeg struct {
	op  byte // 'M' move, 'L' line, 'Q' quadratic, 'C' cubic
	pts [3]board.Point
}

func (p *path) moveTo(a board.Point) {
	p.segs = append(p.segs, pathSeg{op: 'M', pts: [3]board.Point{a}})
}
func (p *path) lineTo(a board.Point) {
	p.segs = append(p.segs, pathSeg{op: 'L', pts: [3]board.Point{a}})
}

// rect adds an axis-aligned rectangle (card millimetres).
func (p *path) rect(x, y, w, h float64) {
	p.moveTo(board.Point{X: x, Y: y})
	p.lineTo(board.Point{X: x + w, Y: y})
	p.lineTo(board.Point{X: x + w, Y: y + h})
	p.lineTo(board.Point{X: x, Y: y + h})
	p.lineTo(board.Point{X: x, Y: y})
}

// ellipse adds an ellipse approximated by a 32-gon.
func (p *path) ellipse(cx, cy, rx, ry float64) {
	for i := 0; i <= 32; i++ {
		s, c := math.Sincos(2 * math.Pi * float64(i) / 32)
		q := board.Point{X: cx + rx*c, Y: cy + ry*s}
		if i == 0 {
			p.moveTo(q)
		} else {
			p.lineTo(q)
		}
	}
}

// line adds a stroke from a to b of width w as a rectangle.
func (p *path) line(a, b board.Point, w float64) {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	p.moveTo(board.Point{X: a.X + nx, Y: a.Y + ny})
	p.lineTo(board.Point{X: b.X + nx, Y: b.Y + ny})
	p.lineTo(board.Point{X: b.X - nx, Y: b.Y - ny})
	p.lineTo(board.Point{X: a.X - nx, Y: a.Y - ny})
	p.lineTo(board.Point{X: a.X + nx, Y: a.Y + ny})
}

// canvas is an RGB texture drawn with anti-aliased filled paths.
type canvas struct {
	img  *image.RGBA
	rast vector.Rasterizer
	mask image.Alpha
}

func newCanvas(w, h int, bg color.RGBA) *canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	pix := img.Pix
	for i := 0; i < len(pix); i += 4 {
		pix[i], pix[i+1], pix[i+2], pix[i+3] = bg.R, bg.G, bg.B, 255
	}
	return &canvas{img: img}
}

// fill draws p through m in colour c with opacity alpha (0..1).
func (cv *canvas) fill(p *path, m affine, c color.RGBA, alpha float64) {
	if len(p.segs) == 0 {
		return
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, s := range p.segs {
		n := map[byte]int{'M': 1, 'L': 1, 'Q': 2, 'C': 3}[s.op]
		for _, q := range s.pts[:n] {
			t := m.point(q)
			minX, maxX = math.Min(minX, t.X), math.Max(maxX, t.X)
			minY, maxY = math.Min(minY, t.Y), math.Max(maxY, t.Y)
		}
	}
	b := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(cv.img.Rect)
	if b.Empty() {
		return
	}
	ox, oy := float32(b.Min.X), float32(b.Min.Y)
	cv.rast.Reset(b.Dx(), b.Dy())
	for _, s := range p.segs {
		x0, y0 := m.apply(s.pts[0])
		switch s.op {
		case 'M':
			cv.rast.ClosePath()
			cv.rast.MoveTo(x0-ox, y0-oy)
		case 'L':
			cv.rast.LineTo(x0-ox, y0-oy)
		case 'Q':
			x1, y1 := m.apply(s.pts[1])
			cv.rast.QuadTo(x0-ox, y0-oy, x1-ox, y1-oy)
		case 'C':
			x1, y1 := m.apply(s.pts[1])
			x2, y2 := m.apply(s.pts[2])
			cv.rast.CubeTo(x0-ox, y0-oy, x1-ox, y1-oy, x2-ox, y2-oy)
		}
	}
	cv.rast.ClosePath()
	n := b.Dx() * b.Dy()
	if cap(cv.mask.Pix) < n {
		cv.mask.Pix = make([]byte, n)
	}
	cv.mask.Pix = cv.mask.Pix[:n]
	clear(cv.mask.Pix)
	cv.mask.Stride, cv.mask.Rect = b.Dx(), image.Rect(0, 0, b.Dx(), b.Dy())
	cv.rast.Draw(&cv.mask, cv.mask.Rect, image.Opaque, image.Point{})
	a := uint32(alpha*256 + 0.5)
	for y := 0; y < b.Dy(); y++ {
		row := cv.img.Pix[(b.Min.Y+y)*cv.img.Stride+b.Min.X*4:]
		mrow := cv.mask.Pix[y*b.Dx() : (y+1)*b.Dx()]
		for x, mv := range mrow {
			if mv == 0 {
				continue
			}
			k := uint32(mv) * a >> 8 // 0..255
			px := row[x*4 : x*4+3 : x*4+3]
			px[0] = uint8((uint32(px[0])*(255-k) + uint32(c.R)*k) / 255)
			px[1] = uint8((uint32(px[1])*(255-k) + uint32(c.G)*k) / 255)
			px[2] = uint8((uint32(px[2])*(255-k) + uint32(c.B)*k) / 255)
		}
	}
}

// glyphs caches parsed fonts for text outlines.
var glyphs struct {
	once  sync.Once
	fonts map[fonts.ID]*sfnt.Font
	err   error
	mu    sync.Mutex
	buf   sfnt.Buffer
}

// outlineUnits is the em size glyph outlines are loaded at; outlines are
// then scaled to the font size.
const outlineUnits = 1024

func loadFonts() error {
	glyphs.once.Do(func() {
		glyphs.fonts = map[fonts.ID]*sfnt.Font{}
		for _, id := range []fonts.ID{fonts.Sans, fonts.SansBold, fonts.CJK} {
			f, err := sfnt.Parse(id.Data())
			if err != nil {
				glyphs.err = fmt.Errorf("boardgen: font %s: %w", id, err)
				return
			}
			glyphs.fonts[id] = f
		}
	})
	return glyphs.err
}

// text adds the outline of s set in font id at size pt points, with its
// baseline starting at (x, y) millimetres, to p. Glyphs advance by the
// same metrics the layout measured them with (fonts.Advance), so the
// text lands where the printer puts it.
func (p *path) text(id fonts.ID, s string, pt, x, y float64) error {
	if err := loadFonts(); err != nil {
		return err
	}
	f := glyphs.fonts[id]
	if f == nil {
		return fmt.Errorf("boardgen: no font %v", id)
	}
	mm := pt * template.PtToMM // em in millimetres
	k := mm / outlineUnits
	glyphs.mu.Lock()
	defer glyphs.mu.Unlock()
	for _, r := range s {
		gi, err := f.GlyphIndex(&glyphs.buf, r)
		if err != nil || gi == 0 {
			gi, _ = f.GlyphIndex(&glyphs.buf, fonts.Replacement)
		}
		segs, err := f.LoadGlyph(&glyphs.buf, gi, fixed.I(outlineUnits), nil)
		if err == nil {
			for _, sg := range segs {
				var q [3]board.Point
				for i, a := range sg.Args {
					q[i] = board.Point{X: x + float64(a.X)/64*k, Y: y + float64(a.Y)/64*k}
				}
				op := map[sfnt.SegmentOp]byte{sfnt.SegmentOpMoveTo: 'M', sfnt.SegmentOpLineTo: 'L', sfnt.SegmentOpQuadTo: 'Q', sfnt.SegmentOpCubeTo: 'C'}[sg.Op]
				p.segs = append(p.segs, pathSeg{op: op, pts: q})
			}
		}
		x += fonts.Advance(id, r) * mm
	}
	return nil
}
