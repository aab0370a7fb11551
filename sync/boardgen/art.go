package boardgen

import (
	"fmt"
	"image/color"

	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/sync/board"
)

// cutOut cuts the cards out of laid-out pages: for every card slot, the
// drawing operations inside its outline, moved to the card's own
// millimetres. Cut marks outside the card stay on the offcut, as they do
// with scissors.
func cutOut(pages []layout.Page) ([]*art, error) {
	var arts []*art
	for pi := range pages {
		pg := &pages[pi]
		for _, c := range pg.Cards {
			a := &art{w: c.W, h: c.H, text: c.QRText}
			in := func(b layout.Box) bool { return b.Overlaps(c.Box) }
			rgb := func(c layout.Color) color.RGBA { return color.RGBA{c.R, c.G, c.B, 255} }
			for _, r := range pg.Rects {
				if in(r.Box) {
					var p path
					p.rect(r.X-c.X, r.Y-c.Y, r.W, r.H)
					a.shapes = append(a.shapes, shape{p, rgb(r.Fill)})
				}
			}
			for qi := range pg.QRs {
				q := &pg.QRs[qi]
				b := q.Box()
				if !in(b) {
					continue
				}
				var p path
				for _, run := range q.Matrix.Runs() {
					p.rect(b.X-c.X+float64(run.X)*q.Module, b.Y-c.Y+float64(run.Y)*q.Module, float64(run.Len)*q.Module, q.Module)
				}
				a.shapes = append(a.shapes, shape{p, color.RGBA{0, 0, 0, 255}})
				x0, y0 := b.X-c.X, b.Y-c.Y
				a.qr = [4]board.Point{{X: x0, Y: y0}, {X: x0 + b.W, Y: y0}, {X: x0 + b.W, Y: y0 + b.H}, {X: x0, Y: y0 + b.H}}
				a.modules = q.Matrix.Size
				if a.text == "" {
					a.text = q.Matrix.Text
				}
			}
			for ti := range pg.Texts {
				t := &pg.Texts[ti]
				if !in(t.Bounds()) {
					continue
				}
				var p path
				if err := p.text(t.Font, t.Text, t.Size, t.X-c.X, t.Y-c.Y); err != nil {
					return nil, err
				}
				a.shapes = append(a.shapes, shape{p, rgb(t.Color)})
			}
			for _, l := range pg.Lines {
				hw := l.Width / 2
				lb := layout.Box{X: min(l.X1, l.X2) - hw, Y: min(l.Y1, l.Y2) - hw, W: abs(l.X2-l.X1) + l.Width, H: abs(l.Y2-l.Y1) + l.Width}
				if !in(lb) {
					continue
				}
				var p path
				p.line(board.Point{X: l.X1 - c.X, Y: l.Y1 - c.Y}, board.Point{X: l.X2 - c.X, Y: l.Y2 - c.Y}, l.Width)
				a.shapes = append(a.shapes, shape{p, rgb(l.Color)})
			}
			if a.modules == 0 {
				return nil, fmt.Errorf("boardgen: card %q on page %d has no QR code", c.Key+c.Column, pi+1)
			}
			arts = append(arts, a)
		}
	}
	return arts, nil
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
