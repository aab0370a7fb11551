package qrscan

import (
	"context"
	"image"
	"math"
	"sync/atomic"
	"time"
)

// scanner runs the stages over the pyramid levels of one image.
type scanner struct {
	ctx   context.Context
	opt   *Options
	base  *plane
	found []Code
	left  []finder // level-0 finders outside every decoded code
	// searched is the starts of searches that failed in earlier passes.
	searched []searchStart
	done     float64
	report   Report
}

func newScanner(ctx context.Context, g *image.Gray, opt *Options) *scanner {
	b := g.Bounds()
	p := &plane{w: b.Dx(), h: b.Dy(), stride: g.Stride, pix: g.Pix[g.PixOffset(b.Min.X, b.Min.Y):]}
	return &scanner{ctx: ctx, opt: opt, base: p}
}

// level is one pyramid level: its grey plane, and its scale to the image.
type level struct {
	p     *plane
	scale float64
	// pairs, when not nil, holds the 2×2-block statistics of p shared
	// by the level's threshold passes, gathered by the first of them.
	pairs *sharedPairs
}

// sharedPairs is a level's pairStats, gathered when first needed into
// the buffers of st (from statsPool, returned by release).
type sharedPairs struct {
	ps *pairStats
	st *blockStats
	// half, unless nil, is the next level's plane (p.w/2 × p.h/2),
	// filled with downscale2(p) as the statistics are gathered.
	half *plane
	// guide is the bitmap of the level's first pass (8×8 blocks): a 2×2
	// pass thresholds only near its dark pixels (see nearDark).
	guide *bitmap
}

// get returns the statistics of p, gathering them on the first call.
func (sp *sharedPairs) get(p *plane) *pairStats {
	if sp.ps == nil {
		sp.st = statsPool.Get().(*blockStats)
		sp.ps = newPairStats(p, sp.st, sp.half)
	}
	return sp.ps
}

// release returns the buffers to statsPool; the statistics are gone.
func (sp *sharedPairs) release() {
	if sp.st != nil {
		statsPool.Put(sp.st)
	}
	sp.ps, sp.st, sp.guide = nil, nil, nil
}

// maxRawFinders bounds the finder clusters kept before verification (noise
// makes many single-row candidates; a few MB at most).
const maxRawFinders = 1 << 18

// minUpperModule is the smallest module size (pixels) looked for above
// level 0: smaller modules were at least 5 pixels one level down, where the
// threshold window still spans a finder.
const minUpperModule = 2.5

// smallPhoto is the pixel count up to which Normal effort binarizes a level
// twice.
const smallPhoto = 4 << 20

// minLevelSide is the smallest side of a pyramid level worth scanning.
const minLevelSide = 120

func (s *scanner) progress(f float64) {
	s.done = f
	if s.opt.Progress != nil {
		s.opt.Progress(f)
	}
}

func (s *scanner) run() ([]Code, error) {
	// The pyramid: each level halves the one below (downscale2), down to
	// minLevelSide, six levels at most. Work is dominated by level 0;
	// progress is weighted by pixel count.
	levels, total := 0, 0.0
	for w, h := s.base.w, s.base.h; levels < 6; w, h = w/2, h/2 {
		levels++
		total += float64(w * h)
		if w/2 < minLevelSide || h/2 < minLevelSide {
			break
		}
	}
	var doneW float64
	s.progress(0)
	l := level{p: s.base, scale: 1}
	for i := 0; i < levels; i++ {
		if err := s.ctx.Err(); err != nil {
			return s.found, err
		}
		params := []thresholdParams{defaultThreshold}
		params = append(params, s.narrowThresholds(l)...)
		// A level's passes share its 2×2-block statistics (the 4×4 and 8×8
		// passes gather theirs from them, a last 2×2 pass takes them over),
		// and the next level is made from them.
		if len(params) > 1 {
			l.pairs = &sharedPairs{}
			if i+1 < levels {
				w, h := l.p.w/2, l.p.h/2
				l.pairs.half = &plane{w: w, h: h, stride: w, pix: make([]byte, w*h)}
			}
		}
		left := 0
		for _, tp := range params {
			n, err := s.scanLevel(l, tp)
			if err != nil {
				return s.found, err
			}
			left += n
		}
		var next *plane
		if l.pairs != nil {
			if l.pairs.ps != nil {
				next = l.pairs.half
			}
			l.pairs.release()
			l.pairs = nil
		}
		// Above level 0, a wider window when finders were left over: under
		// strong perspective one symbol's finders differ in size by more
		// than a level's range.
		if l.scale > 1 && s.opt.Effort != Fast && left > 0 {
			if _, err := s.scanLevel(l, wideThreshold); err != nil {
				return s.found, err
			}
		}
		doneW += float64(l.p.w * l.p.h)
		s.progress(doneW / total)
		if i+1 < levels {
			if next == nil {
				t0 := time.Now()
				next = downscale2(l.p)
				s.report.Time.Pyramid += time.Since(t0)
			}
			l = level{p: next, scale: l.scale * 2}
		}
	}
	if s.opt.Effort != Fast {
		t0 := time.Now()
		err := s.retryUpscaled()
		s.report.Time.Retry += time.Since(t0)
		if err != nil {
			return s.found, err
		}
	}
	return s.found, nil
}

// narrowThresholds returns the threshold settings tried on level l after
// the default one. Thin dark modules survive a narrower window better: on
// small photos (cheap) a 4-pixel-block one; at full resolution of larger
// photos, where codes of about 2 pixels per module are expected, the
// 2-pixel-block one (wider windows lose those finders under blur and
// glare) instead of it, so the cost stays at two passes.
func (s *scanner) narrowThresholds(l level) []thresholdParams {
	switch {
	case s.opt.Effort == Fast:
		return nil
	case l.p.w*l.p.h <= smallPhoto && l.scale == 1:
		return []thresholdParams{narrowThreshold, smallModuleThreshold}
	case l.p.w*l.p.h <= smallPhoto || (l.scale > 1 && s.opt.Effort == Thorough):
		return []thresholdParams{narrowThreshold}
	case l.scale == 1:
		return []thresholdParams{smallModuleThreshold}
	}
	return nil
}

// The threshold settings: every level is scanned with defaultThreshold
// first; narrowThreshold keeps thin dark modules (small photos, upper
// levels, upscaled tiles); wideThreshold spans finders that a level's
// range splits under strong perspective.
var (
	defaultThreshold = thresholdParams{block: 8, radius: 2, minContrast: 20, aboveNoise: true}
	narrowThreshold  = thresholdParams{block: 4, radius: 2, minContrast: 16, aboveNoise: true}
	wideThreshold    = thresholdParams{block: 16, radius: 2, minContrast: 20, aboveNoise: true}
)

// smallModuleThreshold is the threshold for codes of about 2 pixels per
// module: a 10-pixel window spans five modules.
var smallModuleThreshold = thresholdParams{block: 2, radius: 2, minContrast: 16, aboveNoise: true}

// candidate is the outcome of decoding one triple.
type candidate struct {
	t    triple
	code Code
	ok   bool // geometry found (code valid, decoded or not)
	// searched is the start geometries of corner searches and grid
	// refinements that ran (see searchStart).
	searched []searchStart
}

// searchStart is a symbol geometry from which the corner search and the
// grid refinement ran: its pyramid level, dimension, module size and the
// image positions of its corners. Both depend only on the level's plane
// and the start, so when they failed, a later pass (another threshold of
// the same level) that locates the same symbol within searchTolerance
// would repeat them in vain.
type searchStart struct {
	scale   float64
	dim     int
	ms      float64
	corners [4]Point
}

// searchTolerance is how close (in modules, at every corner) a start must
// come to one that failed for its searches to be skipped.
const searchTolerance = 0.25

// searchedBefore reports whether the searches already failed on the level
// of scale from a start of dimension dim near corners c.
func (s *scanner) searchedBefore(scale float64, dim int, c [4]Point) bool {
	for _, r := range s.searched {
		if r.scale != scale || r.dim != dim {
			continue
		}
		near := true
		for k := range c {
			if math.Hypot(c[k].X-r.corners[k].X, c[k].Y-r.corners[k].Y) > searchTolerance*r.ms {
				near = false
				break
			}
		}
		if near {
			return true
		}
	}
	return false
}

// scanLevel runs the stages on one level with one threshold setting and
// returns how many verified finders lie outside every decoded code.
func (s *scanner) scanLevel(l level, tp thresholdParams) (int, error) {
	tm := &s.report.Time
	t0 := time.Now()
	var ps *pairStats
	var guide *bitmap
	if l.pairs != nil {
		ps, guide = l.pairs.get(l.p), l.pairs.guide
	}
	bm := binarizeWith(l.p, tp, ps, guide)
	if l.pairs != nil && guide == nil && tp.block == defaultThreshold.block {
		l.pairs.guide = bm
	}
	s.eraseDecoded(bm, l.scale)
	t1 := time.Now()
	tm.Binarize += t1.Sub(t0)
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	limit := s.opt.MaxCandidates
	if limit <= 0 {
		limit = 4000
	}
	// Above level 0 only modules too big for the level below are new.
	minModule := 0.0
	if l.scale > 1 {
		minModule = minUpperModule
	}
	fs, full := findFindersStep(bm, maxRawFinders, finderRowStep(tp, minModule))
	fs = verifyFinders(fs, l.p, minModule)
	// Finders of codes decoded already (at another level or threshold)
	// are not grouped again.
	keepF := fs[:0]
	for _, f := range fs {
		if !s.insideDecoded(f.x*l.scale, f.y*l.scale) {
			keepF = append(keepF, f)
		}
	}
	fs = keepF
	t2 := time.Now()
	tm.Finders += t2.Sub(t1)
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	ts := groupFinders(fs, bm, l.p, limit)
	t3 := time.Now()
	tm.Group += t3.Sub(t2)
	defer func() { tm.Decode += time.Since(t3) }()
	s.report.Truncated = s.report.Truncated || full || len(ts) >= limit
	s.report.Finders += len(fs)
	s.report.Candidates += len(ts)
	cands := make([]candidate, len(ts))
	// Triples come best first; once a code decodes, its finders are taken
	// and later triples using them (often spanning two codes) are skipped.
	// Workers may race past a flag: the acceptance below settles that.
	taken := make([]atomic.Bool, len(fs))
	rings := make([]ringSet, len(fs))
	work := func(i int) {
		t := ts[i]
		if taken[t.tl].Load() || taken[t.tr].Load() || taken[t.bl].Load() {
			return
		}
		cands[i] = s.decodeTriple(l, bm, fs, rings, t)
		if cands[i].code.Decoded {
			taken[t.tl].Store(true)
			taken[t.tr].Store(true)
			taken[t.bl].Store(true)
		}
	}
	if err := forEach(s.ctx, len(ts), work); err != nil {
		return 0, err
	}
	for _, c := range cands {
		if !c.code.Decoded {
			s.searched = append(s.searched, c.searched...)
		}
	}
	// Accept decoded codes best first, each finder used once; then
	// undecoded candidates with a clean timing pattern that overlap none.
	used := make([]bool, len(fs))
	for pass := 0; pass < 2; pass++ {
		for _, c := range cands {
			if !c.ok || c.code.Decoded != (pass == 0) {
				continue
			}
			if used[c.t.tl] || used[c.t.tr] || used[c.t.bl] {
				continue
			}
			if pass == 1 && c.t.timing < 0.85 {
				continue
			}
			if !s.accept(&c.code) {
				continue
			}
			used[c.t.tl], used[c.t.tr], used[c.t.bl] = true, true, true
		}
		if pass == 0 && s.opt.Effort != Fast {
			// Symbols missing a finder, from the finders left over.
			for _, c := range s.completePairs(l, bm, fs, used) {
				s.accept(&c.code)
			}
		}
	}
	left := 0
	for _, f := range fs {
		if !s.insideDecoded(f.x*l.scale, f.y*l.scale) {
			left++
			if l.scale == 1 {
				s.left = append(s.left, f)
			}
		}
	}
	return left, s.ctx.Err()
}

// finderRowStep is the step between the rows scanned for finders in a
// pass with threshold tp looking for modules of minModule pixels or more:
// 2 where the modules looked for are at least minStepModule pixels (above
// level 0, and in the 8-pixel-block and wider passes, whose windows are
// for modules of 3 pixels and more), else every row.
func finderRowStep(tp thresholdParams, minModule float64) int {
	if minModule >= minStepModule || tp.block >= 8 {
		return 2
	}
	return 1
}

// minFinderCheck is the fraction of finder modules that must read right
// through the first geometry for a triple to be tried at all.
const minFinderCheck = 0.8

// maxRefineDim is the largest dimension refined by grid variance (its cost
// grows with dim²).
const maxRefineDim = 101

// readGrid samples the dim×dim grid through h and decodes it with each
// grid binarization in turn. fm and format describe the first
// binarization's grid: how well its finders read and whether its format
// information decodes (signs that retries are worth their cost).
func readGrid(p *plane, h homography, dim int, methods []int, vals []float32) (text string, ok bool, fm float64, format bool) {
	return readWarped(p, h, nil, dim, methods, vals, false)
}

// readWarped is readGrid with a local correction w (nil for none); with
// mirrored, symbols that read only transposed decode too (see decodeBits).
func readWarped(p *plane, h homography, w *warpField, dim int, methods []int, vals []float32, mirrored bool) (text string, ok bool, fm float64, format bool) {
	sampleWarped(p, h, w, dim, vals)
	for i, m := range methods {
		bits := thresholdGrid(vals, dim, m)
		f := finderMatch(bits, dim)
		if i == 0 {
			fm = f
		}
		t, err := decodeBits(bits, mirrored)
		if err == nil && plausibleRead(t, f) {
			return t, true, fm, true
		}
		if i == 0 {
			format = formatReadable(bits)
		}
	}
	return "", false, fm, format
}

var gridMethods = []int{gridLocal, gridGlobal, gridLocalSmall, gridSharp}

// decodeTriple locates and decodes the symbol of triple t, retrying with
// other geometries when the first read looks like a code but fails. rings
// is nil or the ring traces of fs (see locate).
func (s *scanner) decodeTriple(l level, bm *bitmap, fs []finder, rings []ringSet, t triple) candidate {
	c := candidate{t: t}
	g := locate(bm, l.p, fs, rings, &t)
	dim := t.dim
	h, ok := g.fit(dim, true, nil)
	if !ok {
		return c
	}
	if finderCheck(l.p, h, dim) < minFinderCheck {
		return c // not a symbol: the finders do not read as finders
	}
	vals := make([]float32, dim*dim)
	done := func(h homography, dim int, text string) candidate {
		c.code = s.makeCode(l, h, dim, g.ms, text, true)
		c.ok = true
		return c
	}
	// A symbol of version 7 or more carries its version beside two of
	// its finders, where the first geometry is already accurate. When
	// that does not decode to about the dimension the finders' spacing
	// gives, and the timing patterns read only moderately, the finders
	// are most likely of different symbols: the triple is returned as
	// located, without the alignment search and reads it would cost.
	vd := 0
	if dim >= 45 && t.timing < 0.9 {
		if vd = sampledVersion(l.p, h, dim, vals[:dim*dim]); !nearDim(vd, dim) {
			c.code = s.makeCode(l, h, dim, g.ms, "", false)
			c.ok = true
			return c
		}
	}
	h, aligned := g.refine(l.p, h, dim, true)
	// Only the first read looks for a mirrored symbol: it is a rare
	// sight, and the retries below read many grids that do not decode,
	// each at twice the cost with the mirrored attempt.
	text, ok, fm, format := readWarped(l.p, h, nil, dim, gridMethods, vals[:dim*dim], true)
	if ok {
		return done(h, dim, text)
	}
	c.code = s.makeCode(l, h, dim, g.ms, "", false)
	c.ok = true
	if fm < 0.8 || s.opt.Effort == Fast {
		return c
	}
	// The retries below cost many reads each (alignment searches, corner
	// searches, grid refinement): they are for symbols whose first read
	// shows format information or whose timing patterns read well, not
	// for triples that merely pass the timing bar (often finders of
	// different symbols).
	if !format && t.timing < 0.9 {
		return c
	}
	// fresh reports whether the searches from h are worth running, and
	// records their start.
	fresh := func(h homography, dim int) bool {
		cs := cornersOf(h, dim)
		if s.searchedBefore(l.scale, dim, cs) {
			return false
		}
		c.searched = append(c.searched, searchStart{scale: l.scale, dim: dim, ms: g.ms, corners: cs})
		return true
	}
	// Curved paper or lens distortion: correct locally with the located
	// alignment patterns.
	if wf := newWarpField(h, dim, g, aligned); wf != nil {
		if text, ok, _, _ := readWarped(l.p, h, wf, dim, gridMethods, vals[:dim*dim], false); ok {
			return done(h, dim, text)
		}
	}
	// Version information may correct the dimension.
	if vd == 0 {
		vd = versionFromGrid(thresholdGrid(vals[:dim*dim], dim, gridLocal), dim)
	}
	if vd != 0 && vd != dim {
		if h2, ok := g.fit(vd, true, nil); ok {
			if vd*vd > len(vals) {
				vals = make([]float32, vd*vd)
			}
			h2, al := g.refine(l.p, h2, vd, true)
			if text, ok, _, _ := readWarped(l.p, h2, newWarpField(h2, vd, g, al), vd, gridMethods, vals[:vd*vd], false); ok {
				return done(h2, vd, text)
			}
		}
	}
	search := (dim <= cornerSearchDim || dim <= maxRefineDim) && fresh(h, dim)
	if dim <= cornerSearchDim && search {
		if text, h2, ok := searchCorner(l.p, h, dim, vals[:dim*dim]); ok {
			return done(h2, dim, text)
		}
	}
	// Refine the corners by grid variance.
	if dim <= maxRefineDim && search {
		h2 := refineGrid(l.p, h, dim, g.ms)
		if text, ok, _, _ := readGrid(l.p, h2, dim, gridMethods, vals[:dim*dim]); ok {
			return done(h2, dim, text)
		}
	}
	// The centres alone (when the traced corners are off).
	if h2, ok := g.fit(dim, false, nil); ok {
		h2, _ = g.refine(l.p, h2, dim, false)
		if text, ok, _, _ := readGrid(l.p, h2, dim, gridMethods, vals[:dim*dim]); ok {
			return done(h2, dim, text)
		}
		if dim <= maxRefineDim {
			h2 = refineGrid(l.p, h2, dim, g.ms)
			if text, ok, _, _ := readGrid(l.p, h2, dim, gridMethods, vals[:dim*dim]); ok {
				return done(h2, dim, text)
			}
		}
	}
	return c
}

// nearDim reports whether the dimension vd read from version information
// (0 when unreadable) is within the error of the estimate dim from the
// finders' spacing (about 12%, and at least two versions).
func nearDim(vd, dim int) bool {
	return vd != 0 && math.Abs(float64(vd-dim)) <= math.Max(8, 0.15*float64(dim))
}

func (s *scanner) makeCode(l level, h homography, dim int, ms float64, text string, decoded bool) Code {
	d := float64(dim)
	var c Code
	for k, m := range [4]Point{{0, 0}, {d, 0}, {d, d}, {0, d}} {
		x, y := h.apply(m.X, m.Y)
		c.Corners[k] = Point{x * l.scale, y * l.scale}
	}
	var per float64
	for k := 0; k < 4; k++ {
		a, b := c.Corners[k], c.Corners[(k+1)%4]
		per += math.Hypot(b.X-a.X, b.Y-a.Y)
	}
	c.ModuleSize = per / 4 / d
	c.Version = (dim - 17) / 4
	c.Text = text
	c.Decoded = decoded
	return c
}

// eraseDecoded makes light, in bm (a bitmap of the level of scale), the
// codes decoded so far, all but their outermost module. Their finders
// would be found again only to be dropped (see insideDecoded), and on a
// board their modules make many of the runs the finder scan walks
// through. The ring of modules left keeps the runs of anything next to a
// code as they were.
func (s *scanner) eraseDecoded(bm *bitmap, scale float64) {
	for i := range s.found {
		c := &s.found[i]
		if !c.Decoded || c.Version < 1 {
			continue
		}
		cx, cy := quadCentre(c.Corners)
		k := 1 - 2/float64(17+4*c.Version)
		var q [4]Point
		for j, p := range c.Corners {
			q[j] = Point{(cx + (p.X-cx)*k) / scale, (cy + (p.Y-cy)*k) / scale}
		}
		bm.clearQuad(q)
	}
}

// insideDecoded reports whether image point (x, y) lies inside a decoded code.
func (s *scanner) insideDecoded(x, y float64) bool {
	for i := range s.found {
		if s.found[i].Decoded && insideQuad(s.found[i].Corners, x, y) {
			return true
		}
	}
	return false
}

// accept adds c to the codes found unless it overlaps one found already.
// A decoded code takes the place of undecoded ones it overlaps: the same
// symbol located at a finer level or threshold, but read only now.
func (s *scanner) accept(c *Code) bool {
	if c.Decoded {
		if s.overlapsDecoded(c) {
			return false
		}
		s.dropUndecodedIn(c)
	} else if s.overlapsFound(c) {
		return false
	}
	s.found = append(s.found, *c)
	return true
}

// overlapsFound reports whether c's centre lies in a code already found,
// or a found code's centre lies in c.
func (s *scanner) overlapsFound(c *Code) bool {
	for i := range s.found {
		if overlaps(c, &s.found[i]) {
			return true
		}
	}
	return false
}

// overlaps reports whether a's centre lies in b or b's centre in a.
func overlaps(a, b *Code) bool {
	ax, ay := quadCentre(a.Corners)
	bx, by := quadCentre(b.Corners)
	return insideQuad(b.Corners, ax, ay) || insideQuad(a.Corners, bx, by)
}

func quadCentre(q [4]Point) (x, y float64) {
	return (q[0].X + q[1].X + q[2].X + q[3].X) / 4, (q[0].Y + q[1].Y + q[2].Y + q[3].Y) / 4
}

// insideQuad reports whether (x, y) lies inside the quadrilateral q
// (either winding).
func insideQuad(q [4]Point, x, y float64) bool {
	pos, neg := false, false
	for k := 0; k < 4; k++ {
		a, b := q[k], q[(k+1)%4]
		c := (b.X-a.X)*(y-a.Y) - (b.Y-a.Y)*(x-a.X)
		if c > 0 {
			pos = true
		} else if c < 0 {
			neg = true
		}
	}
	return !(pos && neg)
}

// plausibleRead guards against false reads: an empty text (a uniform grid
// decodes as an empty message) or a grid whose finder patterns do not read
// as finder patterns (fm is finderMatch of the grid before decoding, which
// unmasks the grid in place).
func plausibleRead(text string, fm float64) bool {
	return text != "" && fm >= 0.7
}
