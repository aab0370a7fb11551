package boardgen

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/cards/template"
	"github.com/cardwall/cardwall/sync/board"
)

// Level is a difficulty of generated photos.
type Level string

// The difficulty levels, from a careful frontal photo to one no decoder is
// expected to read fully.
const (
	Easy       Level = "easy"        // 3.6–4.8 px/module, frontal ±12°, mild light
	Medium     Level = "medium"      // 2.8–3.5 px/module, tilt ≤ 22°, glare
	Hard       Level = "hard"        // ≈2 px/module, tilt 22–35°, strong glare, JPEG 72–85
	BeyondHard Level = "beyond-hard" // 1.5–1.8 px/module, tilt 30–35°, heavy blur and noise
)

// Levels lists the levels from easy to beyond-hard.
var Levels = []Level{Easy, Medium, Hard, BeyondHard}

// ParseLevel returns the level with that name.
func ParseLevel(s string) (Level, error) {
	for _, l := range Levels {
		if strings.EqualFold(s, string(l)) {
			return l, nil
		}
	}
	return "", fmt.Errorf("boardgen: unknown level %q (want %s)", s, levelNames())
}

func levelNames() string {
	var s []string
	for _, l := range Levels {
		s = append(s, string(l))
	}
	return strings.Join(s, ", ")
}

// params are a level's ranges; each photo draws its values from them.
type params struct {
	module       [2]float64 // median px per QR module
	angle        [2]float64 // total out-of-plane tilt, degrees
	roll         float64    // in-plane rotation, ± degrees
	blur         [2]float64 // defocus sigma, px
	noise        [2]float64 // sensor noise sigma
	quality      [2]int     // JPEG quality
	glare        [2]float64 // glare strength
	gradient     [2]float64 // light change across the photo
	cards        [2]int     // cards on the board when not given
	cardsPerShot int
}

var levelParams = map[Level]params{
	Easy:       {module: [2]float64{3.6, 4.8}, angle: [2]float64{0, 12}, roll: 5, blur: [2]float64{0.3, 0.5}, noise: [2]float64{2, 4}, quality: [2]int{88, 95}, glare: [2]float64{0, 0.25}, gradient: [2]float64{0.1, 0.25}, cards: [2]int{10, 30}},
	Medium:     {module: [2]float64{2.8, 3.5}, angle: [2]float64{8, 22}, roll: 9, blur: [2]float64{0.45, 0.7}, noise: [2]float64{3, 6}, quality: [2]int{80, 92}, glare: [2]float64{0.2, 0.45}, gradient: [2]float64{0.2, 0.4}, cards: [2]int{15, 50}},
	Hard:       {module: [2]float64{2.0, 2.3}, angle: [2]float64{22, 35}, roll: 12, blur: [2]float64{0.6, 0.85}, noise: [2]float64{4, 7}, quality: [2]int{72, 85}, glare: [2]float64{0.3, 0.55}, gradient: [2]float64{0.3, 0.5}, cards: [2]int{20, 80}},
	BeyondHard: {module: [2]float64{1.5, 1.8}, angle: [2]float64{30, 35}, roll: 12, blur: [2]float64{0.8, 1.1}, noise: [2]float64{6, 9}, quality: [2]int{70, 78}, glare: [2]float64{0.45, 0.7}, gradient: [2]float64{0.35, 0.55}, cards: [2]int{30, 80}},
}

// Options say what to generate.
type Options struct {
	Level Level
	Seed  uint64
	// Cards is the number of cards; 0 picks one from the level's range.
	// Ignored when Issues is given.
	Cards int
	// Issues are the cards to pin; nil makes synthetic issues.
	Issues []cards.Issue
	// Columns are the board's columns, left to right; nil means To Do,
	// In Progress, Review, Done.
	Columns []string
	// Misplaced is the share of cards pinned in a column other than their
	// status's (as on a board that is ahead of the tracker).
	Misplaced float64
	// Template lays out the cards; nil means the default built-in.
	Template *template.Template
	// TruthOnly skips the photo: Generate lays out the board, aims the
	// camera and returns only the ground truth (fast; for testing board
	// geometry on many layouts).
	TruthOnly bool
}

// Truth is the ground truth of a generated photo.
type Truth struct {
	Level   Level  `json:"level"`
	Seed    uint64 `json:"seed"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Quality int    `json:"jpegQuality"`
	// ModulePx is the median size of a QR module in the photo, pixels;
	// MinModulePx the smallest.
	ModulePx    float64 `json:"modulePx"`
	MinModulePx float64 `json:"minModulePx"`
	Camera      Camera  `json:"camera"`
	Blur        float64 `json:"blur"`
	Noise       float64 `json:"noise"`
	// Columns are the header codes; Cards the card codes with the column
	// each is pinned in. Corners are the QR symbol's TL, TR, BR, BL in
	// its own frame, in photo pixels.
	Columns []TruthCode `json:"columns"`
	Cards   []TruthCode `json:"cards"`
}

// TruthCode is one code in the photo.
type TruthCode struct {
	Key     string         `json:"key,omitempty"` // card key (cards only)
	Column  string         `json:"column"`        // column name (upper case)
	Text    string         `json:"text"`          // the QR text
	Corners [4]board.Point `json:"corners"`
}

// Sample is a generated photo.
type Sample struct {
	JPEG  []byte
	Image *image.RGBA // the photo before JPEG compression
	Truth Truth
}

// Generate makes one photo. The same options give the same photo.
func Generate(ctx context.Context, opt Options) (*Sample, error) {
	p, ok := levelParams[opt.Level]
	if !ok {
		return nil, fmt.Errorf("boardgen: unknown level %q (want %s)", opt.Level, levelNames())
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	cols := opt.Columns
	if len(cols) == 0 {
		cols = []string{"To Do", "In Progress", "Review", "Done"}
	}
	issues := opt.Issues
	if issues == nil {
		n := opt.Cards
		if n <= 0 {
			n = p.cards[0] + rng.IntN(p.cards[1]-p.cards[0]+1)
		}
		issues = syntheticIssues(n, cols, rng)
	}
	tpl := opt.Template
	if tpl == nil {
		tpl, _ = template.Builtin(template.DefaultName)
	}
	pages, err := layout.Cards(ctx, tpl, issues)
	if err != nil {
		return nil, fmt.Errorf("boardgen: laying out cards: %w", err)
	}
	cardArts, err := cutOut(pages)
	if err != nil {
		return nil, err
	}
	headerArts, err := headers(ctx, cols)
	if err != nil {
		return nil, err
	}

	// Put each card in its status's column, or (Misplaced) another one.
	plans := make([]columnPlan, len(cols))
	for i, c := range cols {
		plans[i] = columnPlan{name: board.NormalizeColumn(c), header: headerArts[i]}
	}
	for i, is := range issues {
		ci := columnOf(is.Status, cols)
		if ci < 0 {
			ci = rng.IntN(len(cols))
		} else if rng.Float64() < opt.Misplaced && len(cols) > 1 {
			ci = (ci + 1 + rng.IntN(len(cols)-1)) % len(cols)
		}
		plans[ci].cards = append(plans[ci].cards, cardArts[i])
	}

	sizes := [][2]int{{4000, 3000}, {4032, 3024}, {3264, 2448}, {3840, 2160}, {4000, 2250}}
	sz := sizes[rng.IntN(len(sizes))]
	lay := arrange(plans, float64(sz[0])/float64(sz[1]), rng)
	s := &shot{supersamp: 2}
	s.cam = Camera{Width: sz[0], Height: sz[1], Focal: float64(sz[0]) * (0.72 + rng.Float64()*0.12)}
	angle := between(rng, p.angle)
	dir := rng.Float64() * 2 * math.Pi
	s.cam.Tilt, s.cam.Pan = angle*math.Cos(dir), angle*math.Sin(dir)
	s.cam.Roll = jitter(rng, p.roll)
	s.cam.Aim = board.Point{X: lay.w/2 + jitter(rng, lay.w*0.03), Y: lay.h/2 + jitter(rng, lay.h*0.03)}
	s.blur, s.noise = between(rng, p.blur), between(rng, p.noise)
	s.quality = p.quality[0] + rng.IntN(p.quality[1]-p.quality[0]+1)
	s.wall = color.RGBA{200 + uint8(rng.IntN(30)), 195 + uint8(rng.IntN(30)), 185 + uint8(rng.IntN(25)), 255}
	fit(&s.cam, lay, between(rng, p.module))
	s.light = lighting{
		level: 0.9 + rng.Float64()*0.15, vignette: 0.15 + rng.Float64()*0.2,
		width: float64(sz[0]), height: float64(sz[1]),
		glareR: float64(sz[0]) * (0.04 + rng.Float64()*0.08), glare: between(rng, p.glare),
		tint: [3]float64{1, 0.97 + rng.Float64()*0.03, 0.9 + rng.Float64()*0.08},
	}
	// The glare falls on the board, where it hurts.
	gp := s.cam.Homography().Apply(board.Point{X: rng.Float64() * lay.w, Y: rng.Float64() * lay.h})
	s.light.glareX, s.light.glareY = gp.X, gp.Y
	g := between(rng, p.gradient)
	gd := rng.Float64() * 2 * math.Pi
	s.light.gx, s.light.gy = g*math.Cos(gd), g*math.Sin(gd)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	hm := s.cam.Homography()
	if opt.TruthOnly {
		return &Sample{Truth: truth(opt, s, lay, hm)}, nil
	}
	// Paint the board once at the photo's highest density, then photograph it.
	ppm := 0.0
	for _, q := range []board.Point{{X: 0, Y: 0}, {X: lay.w, Y: 0}, {X: lay.w, Y: lay.h}, {X: 0, Y: lay.h}, {X: lay.w / 2, Y: lay.h / 2}} {
		ppm = math.Max(ppm, localScale(hm, q))
	}
	ox, oy := -lay.frame-2, -lay.frame-2
	tw, th := lay.w+2*lay.frame+4, lay.h+2*lay.frame+4
	if maxPx := 60e6; tw*th*ppm*ppm > maxPx {
		ppm = math.Sqrt(maxPx / (tw * th))
	}
	cv := newCanvas(int(tw*ppm)+1, int(th*ppm)+1, s.wall)
	lay.paint(cv, ppm, ox, oy)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	img := render(s, cv.img, ppm, ox, oy)
	gaussianBlur(img, s.blur)
	addNoise(img, s.noise, opt.Seed)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: s.quality}); err != nil {
		return nil, fmt.Errorf("boardgen: JPEG: %w", err)
	}
	return &Sample{JPEG: buf.Bytes(), Image: img, Truth: truth(opt, s, lay, hm)}, nil
}

func between(rng *rand.Rand, r [2]float64) float64 { return r[0] + rng.Float64()*(r[1]-r[0]) }

// columnOf returns the index of the column named like status, or -1.
func columnOf(status string, cols []string) int {
	for i, c := range cols {
		if board.NormalizeColumn(c) == board.NormalizeColumn(status) {
			return i
		}
	}
	return -1
}

// localScale is how many photo pixels one board millimetre covers at q.
func localScale(h board.Homography, q board.Point) float64 {
	a := h.Apply(q)
	bx := h.Apply(board.Point{X: q.X + 1, Y: q.Y})
	by := h.Apply(board.Point{X: q.X, Y: q.Y + 1})
	ux, uy := bx.X-a.X, bx.Y-a.Y
	vx, vy := by.X-a.X, by.Y-a.Y
	return math.Max(math.Hypot(ux, uy), math.Hypot(vx, vy))
}

// fit sets the camera's distance so the median QR module is about
// modulePx pixels, then backs off until every card is inside the photo.
func fit(cam *Camera, lay *scene, modulePx float64) {
	cam.Distance = 1000
	for iter := 0; iter < 3; iter++ {
		med, _ := moduleSizes(cam.Homography(), lay)
		cam.Distance *= med / modulePx
	}
	for i := 0; i < 200 && !inFrame(cam, lay, 0.03); i++ {
		cam.Distance *= 1.03
	}
}

// moduleSizes returns the median and smallest module size in pixels of
// the codes on the board under h.
func moduleSizes(h board.Homography, lay *scene) (median, smallest float64) {
	var s []float64
	for _, c := range lay.cards {
		q := photoCorners(h, c)
		d := (dist(q[0], q[1]) + dist(q[1], q[2]) + dist(q[2], q[3]) + dist(q[3], q[0])) / 4
		s = append(s, d/float64(c.art.modules))
	}
	if len(s) == 0 {
		return 1, 1
	}
	sort.Float64s(s)
	return s[len(s)/2], s[0]
}

func dist(a, b board.Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

// photoCorners returns the corners of a card's QR symbol in the photo.
func photoCorners(h board.Homography, c pinned) [4]board.Point {
	var q [4]board.Point
	for i, p := range c.art.qr {
		q[i] = h.Apply(c.toBoard.point(p))
	}
	return q
}

// inFrame reports whether every card lies inside the photo with a margin
// (a share of the photo's width), in front of the camera.
func inFrame(cam *Camera, lay *scene, margin float64) bool {
	h := cam.Homography()
	m := margin * float64(cam.Width)
	for _, c := range lay.cards {
		for _, p := range [4]board.Point{{X: 0, Y: 0}, {X: c.art.w, Y: 0}, {X: c.art.w, Y: c.art.h}, {X: 0, Y: c.art.h}} {
			b := c.toBoard.point(p)
			if h[6]*b.X+h[7]*b.Y+h[8] <= 0 {
				return false
			}
			q := h.Apply(b)
			if q.X < m || q.Y < m || q.X > float64(cam.Width)-m || q.Y > float64(cam.Height)-m {
				return false
			}
		}
	}
	return true
}

// truth records where every code ended up in the photo.
func truth(opt Options, s *shot, lay *scene, h board.Homography) Truth {
	t := Truth{Level: opt.Level, Seed: opt.Seed, Width: s.cam.Width, Height: s.cam.Height, Quality: s.quality,
		Camera: s.cam, Blur: round2(s.blur), Noise: round2(s.noise)}
	med, small := moduleSizes(h, lay)
	t.ModulePx, t.MinModulePx = round2(med), round2(small)
	for _, c := range lay.cards {
		tc := TruthCode{Column: c.column, Text: c.art.text, Corners: photoCorners(h, c)}
		if c.header {
			t.Columns = append(t.Columns, tc)
			continue
		}
		_, tc.Key = board.ParseText(c.art.text)
		t.Cards = append(t.Cards, tc)
	}
	sort.SliceStable(t.Cards, func(i, j int) bool { return board.KeyLess(t.Cards[i].Key, t.Cards[j].Key) })
	return t
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
