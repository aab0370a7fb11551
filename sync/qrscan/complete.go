package qrscan

import (
	"math"
	"sort"
)

// Completion of symbols with one finder missing (glare, a fold, a blurred
// or squeezed corner): two finders left over after decoding may be two
// corners of a symbol. The third finder is predicted at each place the
// geometry allows (the pair as a side: four places; as the diagonal: two),
// searched for with a finder template on the grey image, and the triple
// decoded as usual.

const (
	completeNeighbours = 6   // partners tried per left-over finder
	completeMaxDim     = 57  // largest symbol (version 10) completed
	completeRadius     = 2.0 // search radius around a prediction, modules
	// completeMaxPairs bounds the pairs tried per level (each costs a few
	// template searches): photos of noise have many left-over finders.
	completeMaxPairs = 200
	// completeRefine is how many coarse template matches are refined.
	completeRefine = 4
)

// coarseShare is the share of the pair's finder contrast the best coarse
// template match must reach for the fine pass to run.
const coarseShare = 0.25

// completePairs returns decoded candidates for symbols found from two of
// their finders. fs are the level's finders, used marks those in decoded
// codes.
func (s *scanner) completePairs(l level, bm *bitmap, fs []finder, used []bool) []candidate {
	var free []int
	for i := range fs {
		if !used[i] && !s.insideDecoded(fs[i].x*l.scale, fs[i].y*l.scale) {
			free = append(free, i)
		}
	}
	type nb struct {
		j int
		d float64
	}
	var out []candidate
	tried := 0
	for ai, a := range free {
		if ai%8 == 0 && s.ctx.Err() != nil {
			return out
		}
		A := &fs[a]
		var nbs []nb
		for _, b := range free {
			B := &fs[b]
			if b <= a || B.ms > 1.5*A.ms || A.ms > 1.5*B.ms {
				continue
			}
			m := (A.ms + B.ms) / 2
			d := math.Hypot(B.x-A.x, B.y-A.y)
			if d < 12*m || d > math.Sqrt2*float64(completeMaxDim)*m {
				continue
			}
			nbs = append(nbs, nb{b, d})
		}
		sort.Slice(nbs, func(i, j int) bool { return nbs[i].d < nbs[j].d })
		if len(nbs) > completeNeighbours {
			nbs = nbs[:completeNeighbours]
		}
		for _, n := range nbs {
			if used[a] || used[n.j] {
				break
			}
			if tried++; tried > completeMaxPairs {
				return out
			}
			if c, ok := s.completePair(l, bm, fs, a, n.j); ok {
				used[a], used[n.j] = true, true
				out = append(out, c)
			}
		}
	}
	return out
}

// completePair tries the six places of a third finder for the pair (a, b).
func (s *scanner) completePair(l level, bm *bitmap, fs []finder, a, b int) (candidate, bool) {
	A, B := fs[a], fs[b]
	wx, wy := B.x-A.x, B.y-A.y
	nx, ny := -wy, wx
	ms := (A.ms + B.ms) / 2
	contrast := finderContrast(l.p, &A)
	type guess struct{ x, y, ux, uy float64 }
	var gs []guess
	d := math.Hypot(wx, wy)
	// The pair as a side: the finder's axes run along the side.
	for _, P := range [2]finder{A, B} {
		for _, sg := range [2]float64{1, -1} {
			gs = append(gs, guess{P.x + sg*nx, P.y + sg*ny, wx / d, wy / d})
		}
	}
	// The pair as the diagonal: axes at 45°.
	for _, sg := range [2]float64{1, -1} {
		gs = append(gs, guess{(A.x+B.x)/2 + sg*nx/2, (A.y+B.y)/2 + sg*ny/2, (wx + sg*nx) / (d * math.Sqrt2), (wy + sg*ny) / (d * math.Sqrt2)})
	}
	for _, g := range gs {
		x, y, ok := findFinderNear(l.p, g.x, g.y, g.ux, g.uy, ms, contrast)
		if !ok {
			continue
		}
		three := []finder{A, B, {x: x, y: y, ms: ms, msMax: math.Max(A.msMax, B.msMax), hits: 0}}
		ts := groupFinders(three, bm, l.p, 1)
		if len(ts) == 0 || ts[0].dim > completeMaxDim {
			continue
		}
		c := s.decodeTriple(l, bm, three, nil, ts[0])
		if c.ok && c.code.Decoded {
			return c, true
		}
	}
	return candidate{}, false
}

// flatAround reports whether the grey levels around (x, y) vary less than
// spread, sampled every flatStep modules along the axes (ux, uy) and its
// normal out to completeRadius+flatReach modules: then no finder centred
// within completeRadius is there, since its core (3 modules wide) and
// its light gap ring (a module wide, 1.5 modules out) both fall under
// samples, and differ by about the finder's contrast. findFinderNear
// checks this first: most predicted places lie on plain card or wall.
func flatAround(p *plane, x, y, ux, uy, ms, spread float64) bool {
	const k = flatSamples
	var xs, ys, v [(2*k + 1) * (2*k + 1)]float64
	s := flatStep * ms
	n := 0
	for j := -k; j <= k; j++ {
		for i := -k; i <= k; i++ {
			xs[n] = x + float64(i)*s*ux - float64(j)*s*uy
			ys[n] = y + float64(i)*s*uy + float64(j)*s*ux
			n++
		}
	}
	p.bilinearAll(xs[:], ys[:], v[:])
	lo, hi := v[0], v[0]
	for _, g := range v[1:] {
		lo, hi = min(lo, g), max(hi, g)
	}
	return hi-lo < spread
}

// The samples of flatAround: every flatStep modules (under the smallest
// module the finder may have, 0.85 of the pair's), flatSamples each way,
// reaching flatReach modules beyond completeRadius.
const (
	flatStep    = 0.75
	flatReach   = 1.75
	flatSamples = int((completeRadius + flatReach) / flatStep)
)

// finderTemplate marks the dark modules of a finder pattern.
var finderTemplate = func() (t [49]bool) {
	for y := 0; y < 7; y++ {
		for x := 0; x < 7; x++ {
			t[y*7+x] = x == 0 || y == 0 || x == 6 || y == 6 || (x >= 2 && x <= 4 && y >= 2 && y <= 4)
		}
	}
	return t
}()

// The lattice of findFinderNear, in quarter modules: centres run -latticeN
// .. latticeN along each axis, the template's samples latticeReach (3
// modules) further. The grey levels are sampled at the points of even
// coordinates only (every half module): latticeSide of them along each
// axis.
const (
	latticeN     = int(completeRadius * 4)
	latticeReach = 3 * 4
	latticeSide  = latticeN + latticeReach + 1
)

// latticeDark and latticeLight are the offsets in the sampled lattice
// (rows of latticeSide) of the finder template's dark and light samples
// around its centre.
var latticeDark, latticeLight = func() (dark [33]int, light [16]int) {
	nd, nl := 0, 0
	for k, d := range finderTemplate {
		off := 2*(k/7-3)*latticeSide + 2*(k%7-3)
		if d {
			dark[nd], nd = off, nd+1
		} else {
			light[nl], nl = off, nl+1
		}
	}
	return dark, light
}()

// findFinderNear searches around (x, y) for a finder pattern with module
// size ms whose axes run along the unit vector (ux, uy) and its normal. It
// returns the best centre when the template contrast reaches half of
// contrast.
//
// The search is coarse to fine over a lattice of quarter modules along the
// finder's axes, within completeRadius modules, at three scales (the
// missing finder's module size is known only roughly under perspective):
// the template is first scored at every other lattice point at the
// nominal scale, and only the completeRefine best of those are refined at
// every scale over their neighbouring lattice points. The template's
// response is about a module wide, so the coarse step (half a module)
// cannot step over a finder. From a coarse point the template's samples
// at the nominal scale fall on points of even coordinates, so those are
// sampled once and the coarse scores are sums of their values (a quarter
// of the lattice: most searches end after the coarse pass).
func findFinderNear(p *plane, x, y, ux, uy, ms, contrast float64) (float64, float64, bool) {
	if flatAround(p, x, y, ux, uy, ms, coarseShare*contrast) {
		return x, y, false
	}
	q := ms / 4
	const n, reach, side = latticeN, latticeReach, latticeSide
	// at is the image position of lattice point (i, j): i quarter
	// modules along the axis, j along its normal.
	at := func(i, j int) (float64, float64) {
		return x + float64(i)*q*ux - float64(j)*q*uy, y + float64(i)*q*uy + float64(j)*q*ux
	}
	var xs, ys, lat [side * side]float64
	for j := 0; j < side; j++ {
		for i := 0; i < side; i++ {
			xs[j*side+i], ys[j*side+i] = at(2*i-n-reach, 2*j-n-reach)
		}
	}
	p.bilinearAll(xs[:], ys[:], lat[:])
	// latticeScore is finderScore at lattice point (i, j) of even
	// coordinates, nominal scale.
	latticeScore := func(i, j int) float64 {
		c := (j+n+reach)/2*side + (i+n+reach)/2
		var dark, light float64
		for _, o := range &latticeDark {
			dark += lat[c+o]
		}
		for _, o := range &latticeLight {
			light += lat[c+o]
		}
		return light/16 - dark/33
	}
	// Coarse pass: every other lattice point, nominal scale.
	type cand struct {
		i, j int
		s    float64
	}
	var top [completeRefine]cand
	for k := range top {
		top[k].s = math.Inf(-1)
	}
	for j := -n; j <= n; j += 2 {
		for i := -n; i <= n; i += 2 {
			s := latticeScore(i, j)
			if s <= top[len(top)-1].s {
				continue
			}
			k := len(top) - 1
			for ; k > 0 && top[k-1].s < s; k-- {
				top[k] = top[k-1]
			}
			top[k] = cand{i, j, s}
		}
	}
	// No coarse point close to a finder: within a quarter module of a
	// match a point scores well above coarseShare of its contrast.
	if top[0].s < coarseShare*contrast {
		return x, y, false
	}
	// Fine pass: the neighbours of the best coarse points, every scale.
	best, bi, bj := math.Inf(-1), 0, 0
	var seen [(2*n + 1) * (2*n + 1)]bool
	for _, c := range top {
		if math.IsInf(c.s, -1) {
			break
		}
		for j := c.j - 1; j <= c.j+1; j++ {
			for i := c.i - 1; i <= c.i+1; i++ {
				if i < -n || i > n || j < -n || j > n || seen[(j+n)*(2*n+1)+i+n] {
					continue
				}
				seen[(j+n)*(2*n+1)+i+n] = true
				cx, cy := at(i, j)
				for _, sc := range [3]float64{0.85, 1, 1.15} {
					var s float64
					if sc == 1 && i%2 == 0 && j%2 == 0 {
						s = latticeScore(i, j)
					} else {
						s = finderScore(p, cx, cy, ux*ms*sc, uy*ms*sc)
					}
					if s > best {
						best, bi, bj = s, i, j
					}
				}
			}
		}
	}
	bx, by := at(bi, bj)
	return bx, by, best >= 0.5*contrast && best > minFinderContrast
}

// finderScore is the finder template's contrast (mean light minus mean
// dark module) centred at (cx, cy), with one module along (ax, ay) and one
// across its normal.
func finderScore(p *plane, cx, cy, ax, ay float64) float64 {
	bx, by := -ay, ax
	var xs, ys, vals [49]float64
	for i := range finderTemplate {
		u, v := float64(i%7)-3, float64(i/7)-3
		xs[i], ys[i] = cx+u*ax+v*bx, cy+u*ay+v*by
	}
	p.bilinearAll(xs[:], ys[:], vals[:])
	var dark, light float64
	for i, d := range finderTemplate {
		val := vals[i]
		if d {
			dark += val
		} else {
			light += val
		}
	}
	return light/16 - dark/33
}
