// Package layout turns a card template and issues into pages of
// device-independent drawing operations, in millimetres.
//
// A Page is a plain list of filled rectangles, QR codes, text runs and
// lines with everything already decided: positions, colours, the font of
// every run and the size its text was shrunk to. cards/pdf writes pages
// to PDF; the board-photo generator rasterises the same pages, so both
// show exactly the same geometry. Nothing here depends on a PDF library.
//
// Coordinates: origin at the page's top-left corner, x to the right,
// y downwards, all lengths in mm, font sizes in pt. Draw the lists in
// this order: Rects, QRs, Texts, Lines.
package layout

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/fonts"
	"github.com/cardwall/cardwall/cards/qrcode"
	"github.com/cardwall/cardwall/cards/template"
)

// Box is an axis-aligned rectangle: top-left corner, width and height.
type Box = template.Box

// Color is an RGB colour.
type Color = template.RGB

// Page is one printed page.
type Page struct {
	Width, Height float64 // page size in mm

	Rects []Rect // filled rectangles (colour stripes); drawn first
	QRs   []QR   // QR codes; drawn on top of Rects
	Texts []Text // text runs; drawn on top of QRs
	Lines []Line // card borders and cut marks; drawn last
	Cards []Card // what each card slot holds; not drawn
}

// Rect is a filled rectangle.
type Rect struct {
	Box
	Fill Color
}

// Line is a straight stroked line with butt caps.
type Line struct {
	X1, Y1, X2, Y2 float64
	Width          float64 // line width in mm
	Color          Color
}

// Text is a run of text in one font on one line, already fitted.
type Text struct {
	X, Y  float64  // start of the baseline, mm
	Size  float64  // font size, pt
	Font  fonts.ID // which embedded font draws every glyph of Text
	Color Color
	Text  string  // the glyphs; characters no font has are already U+FFFD
	Width float64 // advance width in mm, from the font's metrics

	Field string // template field name the run belongs to, e.g. "summary"
	Box   Box    // that field's box on the page; the run lies inside it
}

// Bounds returns the run's box on the page: its advance width, and the
// font's ascent above and descent below the baseline.
func (t *Text) Bounds() Box {
	s := t.Size * template.PtToMM
	return Box{X: t.X, Y: t.Y - fonts.Ascent*s, W: t.Width, H: (fonts.Ascent + fonts.Descent) * s}
}

// QR is a QR code. Dark modules are squares of Module mm; the quiet zone
// around the symbol (qrcode.QuietZone modules) is left white.
type QR struct {
	X, Y   float64 // top-left corner of the symbol, without quiet zone
	Module float64 // module side in mm
	Matrix *qrcode.Matrix
}

// Box returns the symbol's box without the quiet zone.
func (q *QR) Box() Box {
	s := q.Module * float64(q.Matrix.Size)
	return Box{X: q.X, Y: q.Y, W: s, H: s}
}

// QuietBox returns the symbol's box including the quiet zone.
func (q *QR) QuietBox() Box {
	z := q.Module * qrcode.QuietZone
	b := q.Box()
	return Box{X: b.X - z, Y: b.Y - z, W: b.W + 2*z, H: b.H + 2*z}
}

// Card records what one card slot on a page holds.
type Card struct {
	Box           // the card's outline on the page
	Key    string // issue key; empty on a column header
	Column string // column name as given; empty on an issue card
	QRText string // text of the card's QR code; empty if it has none
}

// Cards lays out one card per issue with the template, filling pages slot
// by slot. The template must be valid (see template.Validate). It fails
// on an issue without a key or a QR text too long to encode, naming the
// issue; ctx cancels long runs between pages.
func Cards(ctx context.Context, tpl *template.Template, issues []cards.Issue) ([]Page, error) {
	if _, err := tpl.Validate(); err != nil {
		return nil, err
	}
	slots := tpl.Slots()
	var pages []Page
	for i := range issues {
		is := &issues[i]
		if i%len(slots) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			pages = append(pages, newPage(tpl))
		}
		if is.Key == "" {
			return nil, fmt.Errorf("layout: issue %d (%q) has no key", i+1, shorten(is.Summary))
		}
		p := &pages[len(pages)-1]
		slot := slots[i%len(slots)]
		if err := p.card(tpl, slot, is); err != nil {
			return nil, err
		}
	}
	for i := range pages {
		pages[i].cutMarks(tpl)
	}
	return pages, nil
}

func newPage(tpl *template.Template) Page {
	w, h, _ := tpl.PageSize()
	return Page{Width: w, Height: h}
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// black is the default text colour.
var black = Color{}

// color parses a colour validated earlier, with a default for "".
func color(s string, def Color) Color {
	if s == "" {
		return def
	}
	c, err := template.ParseColor(s)
	if err != nil {
		return def
	}
	return c
}

// card adds one issue card in slot.
func (p *Page) card(tpl *template.Template, slot Box, is *cards.Issue) error {
	c := Card{Box: slot, Key: is.Key}
	if s := tpl.Stripe; s != nil {
		if col, ok := s.Color(is); ok {
			b := s.Box(tpl.Card)
			b.X += slot.X
			b.Y += slot.Y
			p.Rects = append(p.Rects, Rect{Box: b, Fill: col})
		}
	}
	if q := tpl.QR; q != nil {
		text := qrcode.CardText(is.Key)
		if q.Content == "url" {
			text = qrcode.URLText(q.BaseURL, is.Key)
		}
		m, err := qrcode.Encode(text)
		if err != nil {
			return fmt.Errorf("layout: issue %s: %w", shorten(is.Key), err)
		}
		c.QRText = text
		p.QRs = append(p.QRs, QR{X: slot.X + q.X, Y: slot.Y + q.Y, Module: q.Size / float64(m.Size), Matrix: m})
	}
	for i := range tpl.Fields {
		f := &tpl.Fields[i]
		v, ok := fieldValue(is, f.Field)
		if !ok {
			continue
		}
		box := f.Box()
		box.X += slot.X
		box.Y += slot.Y
		st := Style{Size: f.FontSize, MinSize: f.MinFontSize, Bold: f.Bold, MaxLines: f.MaxLines, Align: f.Align,
			Color: color(f.Color, black)}
		p.Texts = append(p.Texts, Fit(f.Prefix+v+f.Suffix, box, f.Field, st)...)
	}
	p.frame(tpl, slot)
	p.Cards = append(p.Cards, c)
	return nil
}

// fieldValue looks up a template field name; "a|b" means the first of
// the fields a and b that has a value.
func fieldValue(is *cards.Issue, name string) (string, bool) {
	for alt := range strings.SplitSeq(name, "|") {
		if v, ok := is.Field(alt); ok {
			return v, true
		}
	}
	return "", false
}

// frame adds the border and cut marks around slot.
func (p *Page) frame(tpl *template.Template, slot Box) {
	if b := tpl.Border; b != nil {
		col := color(b.Color, Color{R: 128, G: 128, B: 128})
		x0, y0, x1, y1 := slot.X, slot.Y, slot.Right(), slot.Bottom()
		for _, l := range [4][4]float64{{x0, y0, x1, y0}, {x1, y0, x1, y1}, {x1, y1, x0, y1}, {x0, y1, x0, y0}} {
			p.Lines = append(p.Lines, Line{X1: l[0], Y1: l[1], X2: l[2], Y2: l[3], Width: b.Width, Color: col})
		}
	}
}

// cutMarks adds cut marks for the page's cards: short lines in the page
// margin, outside the grid, in line with every card edge, so that no mark
// crosses a neighbouring card. Marks are clipped to the page.
func (p *Page) cutMarks(tpl *template.Template) {
	m := tpl.CutMarks
	if m == nil || len(p.Cards) == 0 {
		return
	}
	w := m.Width
	if w == 0 {
		w = 0.2
	}
	grid := p.Cards[0].Box
	xs, ys := map[float64]bool{}, map[float64]bool{}
	for _, c := range p.Cards {
		grid = union(grid, c.Box)
		xs[c.X], xs[c.Right()] = true, true
		ys[c.Y], ys[c.Bottom()] = true, true
	}
	clip := func(v, hi float64) float64 { return math.Min(math.Max(v, 0), hi) }
	add := func(x1, y1, x2, y2 float64) {
		x1, x2 = clip(x1, p.Width), clip(x2, p.Width)
		y1, y2 = clip(y1, p.Height), clip(y2, p.Height)
		if x1 != x2 || y1 != y2 {
			p.Lines = append(p.Lines, Line{X1: x1, Y1: y1, X2: x2, Y2: y2, Width: w})
		}
	}
	a, b := m.Offset, m.Offset+m.Length
	for _, x := range sortedKeys(xs) {
		add(x, grid.Y-a, x, grid.Y-b)
		add(x, grid.Bottom()+a, x, grid.Bottom()+b)
	}
	for _, y := range sortedKeys(ys) {
		add(grid.X-a, y, grid.X-b, y)
		add(grid.Right()+a, y, grid.Right()+b, y)
	}
}

func union(a, b Box) Box {
	x0, y0 := math.Min(a.X, b.X), math.Min(a.Y, b.Y)
	x1, y1 := math.Max(a.Right(), b.Right()), math.Max(a.Bottom(), b.Bottom())
	return Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

func sortedKeys(m map[float64]bool) []float64 {
	ks := make([]float64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Float64s(ks)
	return ks
}
