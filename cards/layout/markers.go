package layout

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/cardwall/cardwall/cards/qrcode"
	"github.com/cardwall/cardwall/cards/template"
)

// Marker design, in mm and pt.
const (
	markerPad      = 5.0  // inner padding of a header card
	markerNameSize = 72.0 // starting size of the column name
	markerNameMin  = 12.0
)

// Markers lays out one column header card per column, in the template's
// card slots (its page, grid, border and cut marks; its elements are not
// used). Each header shows the column name large and bold, shrunk to fit
// in up to two lines, above the largest QR code that fits, whose text is
// "COL:" + the name in upper case.
func Markers(ctx context.Context, tpl *template.Template, columns []string) ([]Page, error) {
	if _, err := tpl.Validate(); err != nil {
		return nil, err
	}
	if len(columns) == 0 {
		return nil, fmt.Errorf("layout: no columns given")
	}
	slots := tpl.Slots()
	var pages []Page
	for i, col := range columns {
		if strings.TrimSpace(col) == "" {
			return nil, fmt.Errorf("layout: column %d has an empty name", i+1)
		}
		if i%len(slots) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			pages = append(pages, newPage(tpl))
		}
		p := &pages[len(pages)-1]
		if err := p.marker(tpl, slots[i%len(slots)], col); err != nil {
			return nil, err
		}
	}
	for i := range pages {
		pages[i].cutMarks(tpl)
	}
	return pages, nil
}

func (p *Page) marker(tpl *template.Template, slot Box, col string) error {
	text := qrcode.HeaderText(col)
	m, err := qrcode.Encode(text)
	if err != nil {
		return fmt.Errorf("layout: column %q: %w", shorten(col), err)
	}
	inner := Box{X: slot.X + markerPad, Y: slot.Y + markerPad, W: slot.W - 2*markerPad, H: slot.H - 2*markerPad}
	// The name takes up to 30% of the height (at least two lines of the
	// smallest size); the QR code with its quiet zone takes the rest.
	nameH := math.Max(inner.H*0.3, 2*template.LineHeight(markerNameMin))
	name := Box{X: inner.X, Y: inner.Y, W: inner.W, H: nameH}
	// The quiet zone may reach the card's edges but not the name.
	availH := slot.Bottom() - name.Bottom()
	module := math.Min(slot.W, availH) / float64(m.Size+2*qrcode.QuietZone)
	side := module * float64(m.Size)
	qr := QR{X: slot.X + (slot.W-side)/2, Y: name.Bottom() + (availH-side)/2, Module: module, Matrix: m}
	p.QRs = append(p.QRs, qr)
	p.Texts = append(p.Texts, Fit(strings.TrimSpace(col), name, "column", Style{
		Size: markerNameSize, MinSize: markerNameMin, Bold: true, MaxLines: 2, Align: "center", VCenter: true,
	})...)
	p.frame(tpl, slot)
	p.Cards = append(p.Cards, Card{Box: slot, Column: col, QRText: text})
	return nil
}
