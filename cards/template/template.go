// Package template defines card templates: the versioned JSON format that
// says how issue cards are laid out on paper, strict parsing of it,
// validation that explains what is wrong, and the built-in templates.
//
// All lengths are millimetres, font sizes points. Positions of elements
// are relative to the card's top-left corner.
package template

import (
	"fmt"
	"strings"
)

// FormatVersion is the template format version this package reads.
const FormatVersion = 1

// Template describes one card layout.
type Template struct {
	Version     int    `json:"version"`               // format version, FormatVersion
	Name        string `json:"name"`                  // short name, e.g. "a4-2x4"
	Description string `json:"description,omitempty"` // one line for listings
	Owner       string `json:"owner,omitempty"`       // who maintains the template
	ModifiedBy  string `json:"modifiedBy,omitempty"`  // who changed it last
	ModifiedAt  string `json:"modifiedAt,omitempty"`  // RFC 3339 time of the last change

	Paper    Paper     `json:"paper"`
	Card     Size      `json:"card"`               // card width and height
	Margins  Margins   `json:"margins"`            // page margins the grid stays inside
	Gaps     Gaps      `json:"gaps"`               // space between cards
	Grid     Grid      `json:"grid"`               // cards per page; 0 = as many as fit
	Border   *Border   `json:"border,omitempty"`   // card outline; nil = none
	CutMarks *CutMarks `json:"cutMarks,omitempty"` // marks at card corners; nil = none
	Stripe   *Stripe   `json:"stripe,omitempty"`   // colour stripe; nil = none
	QR       *QR       `json:"qr,omitempty"`       // the card's QR code; nil = none
	Fields   []Field   `json:"fields"`             // text elements
}

// Paper is the sheet the cards are printed on.
type Paper struct {
	// Size is a named size: A4, A5, A6, Letter, Legal, or "custom" (or
	// empty) with Width and Height.
	Size        string  `json:"size,omitempty"`
	Width       float64 `json:"width,omitempty"`       // custom width, portrait
	Height      float64 `json:"height,omitempty"`      // custom height, portrait
	Orientation string  `json:"orientation,omitempty"` // "portrait" (default) or "landscape"
}

// Size is a width and height.
type Size struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Margins are the page margins.
type Margins struct {
	Top    float64 `json:"top"`
	Right  float64 `json:"right"`
	Bottom float64 `json:"bottom"`
	Left   float64 `json:"left"`
}

// Gaps are the spaces between neighbouring cards.
type Gaps struct {
	X float64 `json:"x"` // between columns
	Y float64 `json:"y"` // between rows
}

// Grid is the number of cards across and down a page. Zero in either
// means as many as fit inside the margins.
type Grid struct {
	Columns int `json:"columns"`
	Rows    int `json:"rows"`
}

// Border is a card's outline.
type Border struct {
	Width float64 `json:"width"`           // line width; must be > 0
	Color string  `json:"color,omitempty"` // "#rrggbb"; default mid grey
}

// CutMarks are short lines in the page margin, in line with the card
// edges, for cutting. They never cross a card.
type CutMarks struct {
	Length float64 `json:"length"`           // length of each mark
	Offset float64 `json:"offset,omitempty"` // distance from the card corner
	Width  float64 `json:"width,omitempty"`  // line width; default 0.2
}

// Stripe is a coloured bar along one edge of the card, coloured by the
// first rule that matches the issue.
type Stripe struct {
	Edge    string  `json:"edge"`              // "left", "top", "right" or "bottom"
	Width   float64 `json:"width"`             // thickness
	Default string  `json:"default,omitempty"` // colour when no rule matches; empty = no stripe
	Rules   []Rule  `json:"rules,omitempty"`
}

// Rule matches an issue field and gives a colour.
type Rule struct {
	// Field is "type", "priority", "epic" (key or name), "label" (any of
	// the labels), "status", "component", or any other field by name.
	Field string `json:"field"`
	Value string `json:"value"` // compared case-insensitively
	Color string `json:"color"` // "#rrggbb" or "#rgb"
}

// QR places the card's QR code. X, Y and Size give the symbol itself; its
// quiet zone (4 modules) must lie inside the card and stay clear.
type QR struct {
	X       float64 `json:"x"`
	Y       float64 `json:"y"`
	Size    float64 `json:"size"`              // symbol side
	Content string  `json:"content,omitempty"` // "key" (default) or "url"
	BaseURL string  `json:"baseURL,omitempty"` // for "url": prefix of the key
}

// Field is a text element showing one issue field.
type Field struct {
	// Field is the issue field name (see cards.Issue.Field); "a|b" shows
	// the first of a and b that has a value, e.g. "epic name|epic".
	Field       string  `json:"field"`
	X           float64 `json:"x"`
	Y           float64 `json:"y"`
	Width       float64 `json:"width"`
	Height      float64 `json:"height"`
	FontSize    float64 `json:"fontSize"`              // starting size, pt
	MinFontSize float64 `json:"minFontSize,omitempty"` // shrink down to this; 0 = no shrinking
	Bold        bool    `json:"bold,omitempty"`
	MaxLines    int     `json:"maxLines,omitempty"` // 0 = as many as fit
	Align       string  `json:"align,omitempty"`    // "left" (default), "center", "right"
	Color       string  `json:"color,omitempty"`    // default black
	Prefix      string  `json:"prefix,omitempty"`   // printed before a non-empty value
	Suffix      string  `json:"suffix,omitempty"`   // printed after a non-empty value
}

// Box is an axis-aligned rectangle: top-left corner and size.
type Box struct {
	X, Y, W, H float64
}

// Right and Bottom are the far edges of b.
func (b Box) Right() float64  { return b.X + b.W }
func (b Box) Bottom() float64 { return b.Y + b.H }

// Overlaps reports whether a and b share area (touching edges do not).
func (b Box) Overlaps(o Box) bool {
	const eps = 1e-9
	return b.X < o.Right()-eps && o.X < b.Right()-eps && b.Y < o.Bottom()-eps && o.Y < b.Bottom()-eps
}

// Contains reports whether o lies inside b (edges may touch).
func (b Box) Contains(o Box) bool {
	const eps = 1e-6
	return o.X >= b.X-eps && o.Y >= b.Y-eps && o.Right() <= b.Right()+eps && o.Bottom() <= b.Bottom()+eps
}

// String prints b as "x,y w×h" in mm.
func (b Box) String() string {
	return fmt.Sprintf("%s,%s %s×%s mm", MM(b.X), MM(b.Y), MM(b.W), MM(b.H))
}

// MM formats a length in mm with at most one decimal and no needless
// ".0": 95 → "95", 76.2 → "76.2".
func MM(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

// Box returns the field's box.
func (f *Field) Box() Box { return Box{f.X, f.Y, f.Width, f.Height} }

// Box returns the QR symbol's box, without quiet zone.
func (q *QR) Box() Box { return Box{q.X, q.Y, q.Size, q.Size} }

// MaxQuietZone returns the QR's box with the largest quiet zone any code
// in it can have: 4 modules of a version 1 (21-module) symbol.
func (q *QR) MaxQuietZone() Box {
	z := q.Size * 4 / 21
	return Box{q.X - z, q.Y - z, q.Size + 2*z, q.Size + 2*z}
}

// Box returns the stripe's box on a card of size c.
func (s *Stripe) Box(c Size) Box {
	switch s.Edge {
	case "top":
		return Box{0, 0, c.Width, s.Width}
	case "right":
		return Box{c.Width - s.Width, 0, s.Width, c.Height}
	case "bottom":
		return Box{0, c.Height - s.Width, c.Width, s.Width}
	}
	return Box{0, 0, s.Width, c.Height}
}

// paperSizes are the named paper sizes, portrait, in mm.
var paperSizes = map[string]Size{
	"a4":     {210, 297},
	"a5":     {148, 210},
	"a6":     {105, 148},
	"letter": {215.9, 279.4},
	"legal":  {215.9, 355.6},
}

// PaperNames lists the named paper sizes.
const PaperNames = "A4, A5, A6, Letter, Legal"

// PageSize returns the page width and height in mm after orientation,
// and false if the paper is not known.
func (t *Template) PageSize() (w, h float64, ok bool) {
	s, named := paperSizes[strings.ToLower(t.Paper.Size)]
	if !named {
		if !t.Paper.isCustom() || t.Paper.Width <= 0 || t.Paper.Height <= 0 {
			return 0, 0, false
		}
		s = Size{t.Paper.Width, t.Paper.Height}
	}
	w, h = s.Width, s.Height
	if t.landscape() != (w > h) {
		w, h = h, w
	}
	return w, h, true
}

func (p Paper) isCustom() bool { return p.Size == "" || strings.EqualFold(p.Size, "custom") }

func (t *Template) landscape() bool {
	if t.Paper.isCustom() && t.Paper.Orientation == "" {
		return t.Paper.Width > t.Paper.Height
	}
	return t.Paper.Orientation == "landscape"
}

// orientationName is "portrait" or "landscape" for messages.
func (t *Template) orientationName() string {
	if t.landscape() {
		return "landscape"
	}
	return "portrait"
}

// PaperName describes the paper, e.g. "A4 portrait" or "127×76.2 mm".
func (t *Template) PaperName() string {
	if t.Paper.isCustom() {
		w, h, _ := t.PageSize()
		return MM(w) + "×" + MM(h) + " mm"
	}
	return t.Paper.Size + " " + t.orientationName()
}

// GridSize returns the number of card columns and rows per page: the
// template's grid, or as many as fit where it gives 0.
func (t *Template) GridSize() (cols, rows int) {
	w, h, _ := t.PageSize()
	cols, rows = t.Grid.Columns, t.Grid.Rows
	if cols <= 0 {
		cols = fit(w-t.Margins.Left-t.Margins.Right, t.Card.Width, t.Gaps.X)
	}
	if rows <= 0 {
		rows = fit(h-t.Margins.Top-t.Margins.Bottom, t.Card.Height, t.Gaps.Y)
	}
	return cols, rows
}

// fit is how many items of size n with gaps g fit in length l.
func fit(l, n, g float64) int {
	if n <= 0 {
		return 0
	}
	k := (l + g + 1e-6) / (n + g)
	return int(min(max(k, 0), maxPerSide))
}

// maxPerSide caps computed grids so that absurd sizes cannot make huge
// slot lists; Validate refuses more than MaxCardsPerPage anyway.
const maxPerSide = 1000

// MaxCardsPerPage is the most cards a template may put on one page.
const MaxCardsPerPage = 100

// Slots returns the boxes of the card positions on a page, row by row,
// in page coordinates. The grid is centred inside the margins.
func (t *Template) Slots() []Box {
	w, h, ok := t.PageSize()
	if !ok {
		return nil
	}
	cols, rows := t.GridSize()
	if cols <= 0 || rows <= 0 {
		return nil
	}
	gw := float64(cols)*t.Card.Width + float64(cols-1)*t.Gaps.X
	gh := float64(rows)*t.Card.Height + float64(rows-1)*t.Gaps.Y
	x0 := t.Margins.Left + (w-t.Margins.Left-t.Margins.Right-gw)/2
	y0 := t.Margins.Top + (h-t.Margins.Top-t.Margins.Bottom-gh)/2
	slots := make([]Box, 0, cols*rows)
	for r := range rows {
		for c := range cols {
			slots = append(slots, Box{
				X: x0 + float64(c)*(t.Card.Width+t.Gaps.X),
				Y: y0 + float64(r)*(t.Card.Height+t.Gaps.Y),
				W: t.Card.Width, H: t.Card.Height,
			})
		}
	}
	return slots
}
