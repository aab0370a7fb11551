package boardgen

import (
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/cardwall/cardwall/sync/board"
)

// art is one printed card as boardgen draws it: its size and the shapes
// printed on it, in card millimetres (origin at the top-left corner).
type art struct {
	w, h    float64
	shapes  []shape
	text    string         // the QR code's text
	qr      [4]board.Point // QR symbol corners (TL, TR, BR, BL), card mm
	modules int            // modules across the symbol
}

// shape is a filled path in one colour.
type shape struct {
	p path
	c color.RGBA
}

// pinned is a card on the board: its art, where it hangs and the column
// it belongs to in the ground truth.
type pinned struct {
	art    *art
	column string
	header bool
	// toBoard maps card millimetres to board millimetres.
	toBoard affine
	pin     color.RGBA // magnet colour
}

// scene is the board: its surface and the cards on it, in board
// millimetres.
type scene struct {
	w, h    float64 // board surface
	frame   float64 // width of the board's frame around the surface
	surface color.RGBA
	frameC  color.RGBA
	cards   []pinned
	tapes   []tape // column separator lines
}

type tape struct {
	a, b  board.Point
	width float64
	c     color.RGBA
}

// columnPlan is a column of the board being laid out.
type columnPlan struct {
	name   string
	header *art
	cards  []*art
	across int // cards side by side
}

// arrange lays out the columns on a board whose aspect suits a w:h
// photo: headers on a row at the top, cards in a grid below each, with
// jitter in position and angle as real hands pin them.
func arrange(cols []columnPlan, aspect float64, rng *rand.Rand) *scene {
	cw, ch := 0.0, 0.0
	for _, c := range cols {
		for _, a := range c.cards {
			cw, ch = math.Max(cw, a.w), math.Max(ch, a.h)
		}
	}
	if cw == 0 {
		cw, ch = 95, 67
	}
	hh := 0.0
	for _, c := range cols {
		if c.header != nil {
			hh = math.Max(hh, c.header.h)
		}
	}
	gapX := 6 + rng.Float64()*10
	gapY := 6 + rng.Float64()*14
	colGap := 40 + rng.Float64()*50
	margin := 40 + rng.Float64()*40
	// Choose the number of rows that makes the board's shape closest to
	// the photo's.
	best, bestErr := 1, math.Inf(1)
	for rows := 1; rows <= 30; rows++ {
		w, h := 2*margin, 2*margin+hh+30
		for i, c := range cols {
			across := max(1, (len(c.cards)+rows-1)/rows)
			w += float64(across)*(cw+gapX) - gapX
			if i > 0 {
				w += colGap
			}
		}
		h += float64(rows) * (ch + gapY)
		if e := math.Abs(math.Log(w / h / aspect)); e < bestErr {
			best, bestErr = rows, e
		}
	}
	l := &scene{frame: 12 + rng.Float64()*10}
	if rng.IntN(3) == 0 { // cork board
		l.surface = color.RGBA{176 + uint8(rng.IntN(20)), 132 + uint8(rng.IntN(16)), 92, 255}
		l.frameC = color.RGBA{120, 84, 50, 255}
	} else { // whiteboard
		g := 222 + uint8(rng.IntN(20))
		l.surface = color.RGBA{g, g + 1, g + 3, 255}
		l.frameC = color.RGBA{168, 172, 176, 255}
	}
	pins := []color.RGBA{{200, 30, 30, 255}, {30, 90, 190, 255}, {30, 140, 60, 255}, {240, 200, 30, 255}, {30, 30, 30, 255}}
	x := margin
	top := margin
	maxY := 0.0
	for i, c := range cols {
		across := max(1, (len(c.cards)+best-1)/best)
		colW := float64(across)*(cw+gapX) - gapX
		if c.header != nil {
			hx := x + colW/2 - c.header.w/2 + jitter(rng, 8)
			l.cards = append(l.cards, pinned{art: c.header, column: c.name, header: true,
				toBoard: place(hx, top+jitter(rng, 4), c.header, jitter(rng, 2.5)), pin: pins[rng.IntN(len(pins))]})
		}
		y0 := top + hh + 25 + rng.Float64()*15
		for k, a := range c.cards {
			r, q := k/across, k%across
			cx := x + float64(q)*(cw+gapX) + (cw-a.w)/2 + jitter(rng, 5)
			cy := y0 + float64(r)*(ch+gapY) + jitter(rng, 4)
			l.cards = append(l.cards, pinned{art: a, column: c.name,
				toBoard: place(cx, cy, a, jitter(rng, 4)), pin: pins[rng.IntN(len(pins))]})
			maxY = math.Max(maxY, cy+a.h)
		}
		x += colW
		if i < len(cols)-1 {
			if rng.IntN(2) == 0 {
				tx := x + colGap/2 + jitter(rng, 5)
				l.tapes = append(l.tapes, tape{board.Point{X: tx, Y: top - margin/2}, board.Point{X: tx + jitter(rng, 6), Y: 0}, 4 + rng.Float64()*6,
					color.RGBA{40, 40, 40, 255}})
			}
			x += colGap
		}
	}
	l.w = x + margin
	l.h = math.Max(maxY, top+hh) + margin
	for i := range l.tapes {
		l.tapes[i].b.Y = l.h - 10
	}
	return l
}

func jitter(rng *rand.Rand, r float64) float64 { return (rng.Float64()*2 - 1) * r }

// place returns the map of a card's millimetres onto the board: its
// top-left corner near (x, y), turned by deg degrees about its centre.
func place(x, y float64, a *art, deg float64) affine {
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := a.w/2, a.h/2
	// p → R(p − centre) + centre + (x, y)
	return affine{c, -s, x + cx - c*cx + s*cy, s, c, y + cy - s*cx - c*cy}
}

// then composes: m first, then n.
func (m affine) then(n affine) affine {
	return affine{
		n[0]*m[0] + n[1]*m[3], n[0]*m[1] + n[1]*m[4], n[0]*m[2] + n[1]*m[5] + n[2],
		n[3]*m[0] + n[4]*m[3], n[3]*m[1] + n[4]*m[4], n[3]*m[2] + n[4]*m[5] + n[5],
	}
}

// paint draws the board and its cards into a texture of ppm pixels per
// millimetre whose top-left is board point (ox, oy).
func (l *scene) paint(cv *canvas, ppm, ox, oy float64) {
	toTex := affine{ppm, 0, -ox * ppm, 0, ppm, -oy * ppm}
	var p path
	p.rect(-l.frame, -l.frame, l.w+2*l.frame, l.h+2*l.frame)
	cv.fill(&p, toTex, l.frameC, 1)
	p = path{}
	p.rect(0, 0, l.w, l.h)
	cv.fill(&p, toTex, l.surface, 1)
	for _, t := range l.tapes {
		p = path{}
		p.line(t.a, t.b, t.width)
		cv.fill(&p, toTex, t.c, 0.85)
	}
	for _, c := range l.cards {
		m := c.toBoard.then(toTex)
		a := c.art
		// Soft shadow: the card's outline, offset, in a few widening layers.
		for i, al := range []float64{0.10, 0.10, 0.12} {
			g := float64(3-i) * 0.8
			p = path{}
			p.rect(0.8-g, 1.6-g, a.w+2*g, a.h+2*g)
			cv.fill(&p, m, color.RGBA{0, 0, 0, 255}, al)
		}
		p = path{}
		p.rect(0, 0, a.w, a.h)
		cv.fill(&p, m, color.RGBA{250, 250, 247, 255}, 1)
		for i := range a.shapes {
			cv.fill(&a.shapes[i].p, m, a.shapes[i].c, 1)
		}
		// A magnet at the top, clear of the QR code.
		{
			mx, my := a.w/2, 4.0
			for _, x := range []float64{a.w / 2, a.w * 0.35, a.w * 0.2} {
				if mx = x; !hitsQR(a, mx, my, 7) {
					break
				}
			}
			p = path{}
			p.ellipse(mx+0.8, my+1.2, 6, 6)
			cv.fill(&p, m, color.RGBA{0, 0, 0, 255}, 0.25)
			p = path{}
			p.ellipse(mx, my, 6, 6)
			cv.fill(&p, m, c.pin, 1)
			p = path{}
			p.ellipse(mx-2, my-2, 2, 1.5)
			cv.fill(&p, m, color.RGBA{255, 255, 255, 255}, 0.35)
		}
	}
}

// hitsQR reports whether a circle of radius r at (x, y) on the card comes
// near its QR code with quiet zone.
func hitsQR(a *art, x, y, r float64) bool {
	z := (a.qr[1].X - a.qr[0].X) * 4 / float64(max(a.modules, 1))
	return x+r > a.qr[0].X-z && x-r < a.qr[1].X+z && y+r > a.qr[0].Y-z && y-r < a.qr[3].Y+z
}
