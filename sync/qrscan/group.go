package qrscan

import (
	"context"
	"math"
	"sort"
)

// triple is three finders that may be the corners of one symbol, oriented
// so that tl→tr→(br)→bl runs clockwise in the image.
type triple struct {
	tl, tr, bl int     // indices into the finder list
	dim        int     // best dimension by the timing patterns (17+4·version)
	geo        float64 // geometric misfit, lower is better
	timing     float64 // fraction of timing-pattern modules as expected
	est        float64 // dimension estimated from the finders' spacing
	size       float64 // |tl→tr| + |tl→bl|
	// Module sizes along the sides, from the finders' widths: at tl and tr
	// along tl→tr, at tl and bl along tl→bl.
	msTop, msLeft [2]float64
}

// groupParams bound the geometry of plausible triples.
const (
	maxNeighbours = 24  // partners tried per finder, nearest first
	maxMsRatio    = 1.7 // module sizes of the three finders
	maxSideRatio  = 2.3 // |tl→tr| against |tl→bl| (perspective)
	maxCosAngle   = 0.7 // |cos| of the angle at the top-left finder
	minTiming     = 0.6 // timing score below which a triple is dropped
	// minQuick is the quick timing read (centre lines next to the
	// top-left finder) below which a triple is dropped before the full
	// score: non-code triples mostly read near chance (0.5) there.
	minQuick = 0.65
)

// groupFinders returns plausible triples, best first: those whose timing
// patterns read well, then by geometric fit. At most limit are returned.
//
// Reading timing patterns is the cost, so it is spent in two rounds (and
// a triple's sides are measured only when it is reached). Each finder as
// the top-left corner first tries its firstRound smallest triples: a
// symbol's own triple is the smallest around its top-left finder, and
// once one reads strongTiming or better the finder is done.
// The finders those strong triples use are claimed. Then every other
// triple using a claimed finder is dropped, and the finders not yet done,
// and not claimed, try the rest of their triples. On a photo of many codes
// most finders are claimed in the first round, so the cross-code triples
// around them (most of all candidates) are never read.
func groupFinders(fs []finder, bm *bitmap, p *plane, limit int) []triple {
	cands := make([]*layoutIter, len(fs))
	sides := make([]*partnerSides, len(fs))
	per := make([][]triple, len(fs))
	strong := make([]bool, len(fs))
	forEach(context.Background(), len(fs), func(a int) {
		cands[a] = newLayoutIter(fs, a)
		if cands[a].n < 2 {
			return
		}
		sides[a] = new(partnerSides)
		n := 0
		for n < firstRound {
			l, ok := cands[a].next()
			if !ok {
				break
			}
			t, ok := sides[a].measure(fs, bm, a, &l)
			if !ok {
				continue
			}
			n++
			if !scoreTiming(fs, &t, p) {
				continue
			}
			per[a] = append(per[a], t)
			if t.timing >= strongTiming {
				strong[a] = true
				break
			}
		}
	})
	claimed := make([]bool, len(fs))
	for a, ok := range strong {
		if ok {
			t := per[a][len(per[a])-1]
			claimed[t.tl], claimed[t.tr], claimed[t.bl] = true, true, true
		}
	}
	forEach(context.Background(), len(fs), func(a int) {
		if strong[a] {
			return
		}
		if claimed[a] {
			per[a] = nil // a belongs to a strong triple of another finder
			return
		}
		// Triples of the first round that use a claimed finder go too.
		keep := per[a][:0]
		for _, t := range per[a] {
			if !claimed[t.tr] && !claimed[t.bl] {
				keep = append(keep, t)
			}
		}
		per[a] = keep
		for l, ok := cands[a].next(); ok; l, ok = cands[a].next() {
			if claimed[l.tr] || claimed[l.bl] {
				continue
			}
			if t, ok := sides[a].measure(fs, bm, a, &l); ok && scoreTiming(fs, &t, p) {
				per[a] = append(per[a], t)
			}
		}
	})
	var ts []triple
	for _, p := range per {
		ts = append(ts, p...)
	}
	sort.Slice(ts, func(i, j int) bool {
		si := ts[i].geo - 2*ts[i].timing
		sj := ts[j].geo - 2*ts[j].timing
		return si < sj
	})
	if len(ts) > limit {
		ts = ts[:limit]
	}
	return ts
}

// Rounds of groupFinders.
const (
	firstRound   = 3   // triples each finder tries in the first round
	strongTiming = 0.9 // a timing score that ends a finder's search
)

// scoreTiming sets t's dimension and timing score from its timing
// patterns and reports whether the score reaches minTiming.
func scoreTiming(fs []finder, t *triple, p *plane) bool {
	t.dim, t.timing = bestTimingDim(fs, t, p, t.est)
	return t.timing >= minTiming
}

// layoutIter yields the layouts of the triples with finder a as the
// top-left corner that are plausible (module sizes, side lengths and the
// angle at a agree), smallest first (by size, see layoutKey). Their sides
// are not measured yet (see partnerSides.measure), nor their timing
// read.
//
// The partners are a's maxNeighbours nearest finders. A triple's size is
// the sum of its two partners' distances, so with the partners nearest
// first, the pairs (i, j) of partners i < j come in order of size along
// each i: the layouts are the merge of those runs, through a heap of each
// run's next pair. Most finders end their search with their first few
// layouts (see groupFinders), and the hundreds of others are never made.
type layoutIter struct {
	fs   []finder
	a, n int
	nb   [maxNeighbours]int32   // partner finders, nearest first
	dist [maxNeighbours]float64 // their distances
	heap []uint64               // layoutKey of each run's next pair
	keys [maxNeighbours]uint64  // heap's storage
}

// newLayoutIter finds the partners of finder a.
func newLayoutIter(fs []finder, a int) *layoutIter {
	type nb struct {
		j  int
		d2 float64 // squared distance
	}
	// The maxNeighbours nearest partners, nearest first: kept sorted by
	// insertion, so a photo of thousands of finders costs no sort of
	// thousands per finder.
	var near [maxNeighbours]nb
	nbs := near[:0]
	A := &fs[a]
	for b := range fs {
		if b == a {
			continue
		}
		B := &fs[b]
		if B.ms > maxMsRatio*A.ms || A.ms > maxMsRatio*B.ms {
			continue
		}
		// ms is the smallest width over four directions; the largest
		// bounds the far side (thick-printed or blurred finders read
		// small).
		m, mMax := (A.ms+B.ms)/2, (A.msMax+B.msMax)/2
		dx, dy := B.x-A.x, B.y-A.y
		d2 := dx*dx + dy*dy
		if d2 < 100*m*m || d2 > 185*185*mMax*mMax {
			continue
		}
		if len(nbs) == maxNeighbours {
			if d2 >= nbs[len(nbs)-1].d2 {
				continue
			}
			nbs = nbs[:len(nbs)-1]
		}
		i := len(nbs)
		nbs = append(nbs, nb{})
		for i > 0 && nbs[i-1].d2 > d2 {
			nbs[i] = nbs[i-1]
			i--
		}
		nbs[i] = nb{b, d2}
	}
	it := &layoutIter{fs: fs, a: a, n: len(nbs)}
	for i, n := range nbs {
		it.nb[i], it.dist[i] = int32(n.j), math.Sqrt(n.d2)
	}
	// Each run starts at its smallest pair (i, i+1). Their keys increase
	// with i (the distances are sorted): in that order they are a heap.
	it.heap = it.keys[:0]
	for i := 0; i+1 < it.n; i++ {
		it.heap = append(it.heap, it.key(i, i+1))
	}
	return it
}

// layoutKey orders layouts by size, ties in the order of their partner
// slots (i, j): the bits of the size, which is positive, with the low
// indexBits cleared for the pair's number. (Sizes that differ in those
// bits only, a relative 10⁻¹³, are ties.)
const indexBits = 10

// There are fewer pairs than 1<<indexBits (this does not compile
// otherwise).
const _ = uint(1<<indexBits - maxNeighbours*maxNeighbours)

// key returns the layoutKey of partners i and j.
func (it *layoutIter) key(i, j int) uint64 {
	return math.Float64bits(it.dist[i]+it.dist[j])&^(1<<indexBits-1) | uint64(i*maxNeighbours+j)
}

// next returns the next plausible layout; ok is false when there are no
// more.
func (it *layoutIter) next() (l layout, ok bool) {
	for len(it.heap) > 0 {
		k := it.heap[0]
		ij := int(k & (1<<indexBits - 1))
		i, j := ij/maxNeighbours, ij%maxNeighbours
		// The run of i moves on to (i, j+1) or ends.
		if j+1 < it.n {
			it.heap[0] = it.key(i, j+1)
		} else {
			last := len(it.heap) - 1
			it.heap[0] = it.heap[last]
			it.heap = it.heap[:last]
		}
		siftDown(it.heap)
		if l, ok := it.layout(i, j); ok {
			return l, true
		}
	}
	return layout{}, false
}

// siftDown restores the heap order of h after h[0] changed.
func siftDown(h []uint64) {
	i := 0
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h[c+1] < h[c] {
			c++
		}
		if h[i] <= h[c] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// layout returns the layout of partners i and j when it is plausible.
func (it *layoutIter) layout(i, j int) (layout, bool) {
	b, c := int(it.nb[i]), int(it.nb[j])
	dab, dac := it.dist[i], it.dist[j]
	if dac > maxSideRatio*dab || dab > maxSideRatio*dac {
		return layout{}, false
	}
	A, B, C := &it.fs[it.a], &it.fs[b], &it.fs[c]
	if B.ms > maxMsRatio*C.ms || C.ms > maxMsRatio*B.ms {
		return layout{}, false
	}
	abx, aby := B.x-A.x, B.y-A.y
	acx, acy := C.x-A.x, C.y-A.y
	cos := (abx*acx + aby*acy) / (dab * dac)
	if math.Abs(cos) > maxCosAngle {
		return layout{}, false
	}
	t := layout{tr: int32(b), bl: int32(c), slotTop: int8(i), slotLeft: int8(j), cos: cos, size: dab + dac}
	if abx*acy-aby*acx < 0 {
		t.tr, t.bl, t.slotTop, t.slotLeft = int32(c), int32(b), int8(j), int8(i)
	}
	return t, true
}

// layout is a triple of layoutIter before its sides are measured:
// its top-right and bottom-left finders, their slots among the top-left
// finder's partners (see partnerSides), the cosine of the angle at the
// top-left finder, and the size |tl→tr| + |tl→bl|.
type layout struct {
	tr, bl            int32
	slotTop, slotLeft int8
	cos, size         float64
}

// partnerSides holds, for one top-left finder, the side measurements
// towards its partners (layoutIter's neighbour slots), each made
// once when a triple first needs it.
type partnerSides [maxNeighbours]sideMeasure

// measure measures the sides of layout l of top-left finder a (whose
// partners ps holds) and returns the triple with its module sizes,
// dimension estimate and geometric misfit; ok reports whether both sides
// read and give about the same dimension.
func (ps *partnerSides) measure(fs []finder, bm *bitmap, a int, l *layout) (t triple, ok bool) {
	t = triple{tl: a, tr: int(l.tr), bl: int(l.bl), size: l.size}
	A, B, C := &fs[t.tl], &fs[t.tr], &fs[t.bl]
	dab, dac := math.Hypot(B.x-A.x, B.y-A.y), math.Hypot(C.x-A.x, C.y-A.y)
	if !ps[l.slotTop].get(bm, A, B, dab, &t.msTop) || !ps[l.slotLeft].get(bm, A, C, dac, &t.msLeft) {
		return t, false
	}
	// Both sides must give about the same dimension.
	dimTop := dab/((t.msTop[0]+t.msTop[1])/2) + 7
	dimLeft := dac/((t.msLeft[0]+t.msLeft[1])/2) + 7
	if math.Abs(dimTop-dimLeft) > math.Max(4, 0.25*(dimTop+dimLeft)/2) {
		return t, false
	}
	t.geo = math.Abs(l.cos) + math.Abs(dimTop-dimLeft)/(dimTop+dimLeft) +
		math.Abs(math.Log(B.ms/A.ms)) + math.Abs(math.Log(C.ms/A.ms))
	t.est = (dimTop + dimLeft) / 2
	return t, true
}

// sideModules measures the module sizes of finders A and B along the line
// between them (length d) from their widths; ok is false when neither
// width reads. One unreadable width is replaced by the other.
func sideModules(bm *bitmap, A, B *finder, d float64, ms *[2]float64) bool {
	ux, uy := (B.x-A.x)/d, (B.y-A.y)/d
	wa, wb := finderWidth(bm, A, ux, uy), finderWidth(bm, B, ux, uy)
	switch {
	case wa == 0 && wb == 0:
		return false
	case wa == 0:
		wa = wb
	case wb == 0:
		wb = wa
	}
	ms[0], ms[1] = wa/7, wb/7
	return true
}

// sideMeasure caches sideModules for one pair of finders.
type sideMeasure struct {
	done, ok bool
	ms       [2]float64
}

// get returns sideModules(bm, A, B, d, ms), measuring on the first call.
func (m *sideMeasure) get(bm *bitmap, A, B *finder, d float64, ms *[2]float64) bool {
	if !m.done {
		m.done = true
		m.ok = sideModules(bm, A, B, d, &m.ms)
	}
	*ms = m.ms
	return m.ok
}

// bestTimingDim tries the dimensions near est and returns the one whose
// timing patterns read best on p. When no dimension's quick read reaches
// minQuick, the score returned is below minTiming.
func bestTimingDim(fs []finder, t *triple, p *plane, est float64) (int, float64) {
	v0 := int(math.Round((est - 17) / 4))
	// The module size is known to about ±10%: search that range, first
	// with a quick read of one line, then fully for the two best.
	span := max(1, int(math.Round(0.12*float64(v0))))
	// The two best quick reads are kept (a probe holds its samples, so
	// candidates are not allocated per dimension).
	var top [2]timingProbe
	var pr timingProbe
	n := 0
	bestQuick := 0.0
	for v := v0 - span; v <= v0+span; v++ {
		if v < 1 || v > 40 {
			continue
		}
		pr.init(fs, t, 17+4*v)
		// Prefer the estimate on near ties.
		q := pr.quick(p)
		bestQuick = max(bestQuick, q)
		pr.s = q - 0.02*math.Abs(float64(v-v0))
		switch {
		case n == 0 || pr.s > top[0].s:
			top[1] = top[0]
			top[0] = pr
		case n == 1 || pr.s > top[1].s:
			top[1] = pr
		}
		n++
	}
	// A triple whose quick read is poor at every dimension is not scored
	// fully.
	if bestQuick < minQuick {
		return 0, bestQuick - 1
	}
	bestD, best := 0, -1.0
	for i := range top[:min(n, 2)] {
		pen := 0.02 * math.Abs(float64((top[i].dim-17)/4-v0))
		// A dimension that can no longer beat the best so far (or reach
		// minTiming) is abandoned early; its score then only loses.
		s := top[i].score(p, max(best, minTiming)+pen) - pen
		if s > best {
			bestD, best = top[i].dim, s
		}
	}
	return bestD, best
}

// maxSpan bounds the versions searched on each side of the estimate
// (0.12 of version 40, rounded).
const maxSpan = 5

// quickLen is the number of modules a quick timing read samples on each
// line: 7 (separator) to 9+timingReach.
const quickLen = timingReach + 3

// timingProbe reads the timing patterns of a triple for one dimension. The
// quick read's samples are kept: the full score reuses them.
type timingProbe struct {
	dim   int
	lines [2]timingLine
	q     [2][quickLen]float64 // modules 7.. of each line at offset 0
	nq    int                  // samples held in q per line
	s     float64              // quick score (ranking)
}

func (pr *timingProbe) init(fs []finder, t *triple, dim int) {
	pr.dim = dim
	pr.lines[0] = t.timingLine(fs, 0, dim)
	pr.lines[1] = t.timingLine(fs, 1, dim)
}

// quick is the timing score on the centre lines only, next to the
// top-left finder: a cheap ranking of candidate dimensions.
func (pr *timingProbe) quick(p *plane) float64 {
	dim := pr.dim
	last := min(dim-9, 8+timingReach)
	if last < 8 {
		return 0
	}
	pr.nq = last - 5 // modules 7 .. last+1
	good := 0
	for line := 0; line < 2; line++ {
		tl := &pr.lines[line]
		q := pr.q[line][:pr.nq]
		var xs, ys [quickLen]float64
		tl.points(7, nil, xs[:len(q)], ys[:len(q)])
		p.bilinearAll(xs[:len(q)], ys[:len(q)], q)
		for i := 8; i <= last; i++ {
			prev, cur, next := q[i-8], q[i-7], q[i-6]
			if (cur < (prev+next)/2) == (i%2 == 0) {
				good++
			}
		}
	}
	return float64(good) / float64(2*(last-7))
}

// timingReach is how many timing modules are read next to each finder.
const timingReach = 20

// score is the fraction of timing-pattern modules (row and column 6
// between the finders' separators) of the probe's triple and dimension
// that read as expected on p: a module on an even index darker than the
// mean of its two neighbours, one on an odd index lighter. Comparing
// neighbours makes the test independent of the threshold and of uneven
// light. Each line may be off by a fraction of a module: the best of three
// parallel lines counts (the first that reads 90% right ends the search).
//
// When the score can no longer reach need, score stops early and returns
// a value below need.
func (pr *timingProbe) score(p *plane, need float64) float64 {
	dim := pr.dim
	idx := timingIndices(dim)
	// Modules judged per line (those with both neighbours read).
	valid := 0
	for k := 1; k+1 < len(idx); k++ {
		if idx[k-1] == idx[k]-1 && idx[k+1] == idx[k]+1 {
			valid++
		}
	}
	perLine := min(dim-16, 2*timingReach)
	n := 2 * perLine
	if n <= 0 {
		return 0
	}
	// enough reports whether good modules so far plus at most left more
	// can still reach need.
	enough := func(good, left int) bool {
		return float64(good+left)/float64(n) >= need-1e-9
	}
	good := 0
	var buf [3][maxTimingIndices]float64
	for line := 0; line < 2; line++ {
		tl := &pr.lines[line]
		otherLeft := (1 - line) * valid // the lines not read yet
		// Offset 0, with the quick read's samples where it has them.
		// The rest in one batch (xs, ys borrow the buffers of the other
		// offsets, not used yet).
		v0 := buf[0][:len(idx)]
		xs, ys := buf[1][:0], buf[2][:0]
		from := 0 // the quick read's samples cover idx[:from]
		for k, i := range idx {
			if i != 7+k || k >= pr.nq {
				break
			}
			v0[k] = pr.q[line][k]
			from = k + 1
		}
		xs, ys = xs[:len(idx)-from], ys[:len(idx)-from]
		tl.points(0, idx[from:], xs, ys)
		p.bilinearAll(xs, ys, v0[from:])
		best := timingGood(v0, idx)
		if best*10 >= 9*perLine {
			good += best
			continue
		}
		if !enough(good, valid+otherLeft) {
			return -1
		}
		// Offsets ±0.4 side by side, so that the bound tightens as both
		// advance.
		v1, v2 := buf[1][:len(idx)], buf[2][:len(idx)]
		g1, g2, seen := 0, 0, 0
		for k, i := range idx {
			v1[k], v2[k] = tl.pair(p, i, -0.4, 0.4)
			if k < 2 {
				continue
			}
			// Module k-1 now has both neighbours.
			j := idx[k-1]
			if idx[k-2] != j-1 || i != j+1 {
				continue
			}
			seen++
			even := j%2 == 0
			if (v1[k-1] < (v1[k-2]+v1[k])/2) == even {
				g1++
			}
			if (v2[k-1] < (v2[k-2]+v2[k])/2) == even {
				g2++
			}
			if seen%8 == 0 && !enough(good, max(best, max(g1, g2)+valid-seen)+otherLeft) {
				return -1
			}
		}
		// The first offset reading 90% right ends the search.
		if best*10 < 9*perLine {
			best = max(best, g1)
			if best*10 < 9*perLine {
				best = max(best, g2)
			}
		}
		good += best
		if !enough(good, otherLeft) {
			return -1
		}
	}
	return float64(good) / float64(n)
}

// timingGood counts the modules of one timing line (values vals at module
// indices idx) that read as expected against their two neighbours.
func timingGood(vals []float64, idx []int) int {
	g := 0
	for k := 1; k+1 < len(idx); k++ {
		i := idx[k]
		if idx[k-1] != i-1 || idx[k+1] != i+1 {
			continue
		}
		if (vals[k] < (vals[k-1]+vals[k+1])/2) == (i%2 == 0) {
			g++
		}
	}
	return g
}

// timingIndices lists the module indices read along a timing line of a
// dim×dim symbol: 7 (separator) to dim−8 (separator), or for large
// symbols only timingReach modules (plus their neighbours) at each end.
func timingIndices(dim int) []int {
	if dim >= 21 && dim <= 177 && (dim-21)%4 == 0 {
		return timingIndexTable[(dim-21)/4]
	}
	return makeTimingIndices(dim)
}

// maxTimingIndices bounds len(timingIndices(dim)) for every dimension.
const maxTimingIndices = 2*timingReach + 6

// timingIndexTable holds timingIndices for versions 1 to 40.
var timingIndexTable = func() [][]int {
	t := make([][]int, 40)
	for v := range t {
		t[v] = makeTimingIndices(21 + 4*v)
	}
	return t
}()

func makeTimingIndices(dim int) []int {
	var idx []int
	for i := 7; i <= dim-8; i++ {
		if i == 9+timingReach && dim-10-timingReach > i {
			i = dim - 10 - timingReach
		}
		idx = append(idx, i)
	}
	return idx
}

// timingLine maps module indices along a timing pattern to the image. The
// line runs parallel to the one from finder A's centre to finder B's,
// three modules towards finder C. Module pitch changes along it with
// perspective: a one-dimensional projective map whose end slopes follow the
// two finders' module sizes.
type timingLine struct {
	ax, ay, wx, wy, vx, vy float64 // A, unit A→B, unit towards C
	d, l, r                float64 // |AB|, modules between centres, pitch ratio
	aspect                 float64 // module size across the line ÷ along it, at A
}

// timingLine returns t's timing line 0 (top-left to top-right finder) or 1
// (top-left to bottom-left) for dimension dim.
func (t *triple) timingLine(fs []finder, line, dim int) timingLine {
	B, C := &fs[t.tr], &fs[t.bl]
	along, across := t.msTop, t.msLeft
	if line == 1 {
		B, C = C, B
		along, across = across, along
	}
	return newTimingLine(&fs[t.tl], B, C, dim, along, across[0])
}

func newTimingLine(A, B, C *finder, dim int, along [2]float64, across float64) timingLine {
	wx, wy := B.x-A.x, B.y-A.y
	d := math.Hypot(wx, wy)
	vx, vy := C.x-A.x, C.y-A.y
	dv := math.Hypot(vx, vy)
	r := math.Sqrt(along[0] / along[1])
	r = math.Max(0.75, math.Min(1.33, r))
	return timingLine{A.x, A.y, wx / d, wy / d, vx / dv, vy / dv, d, float64(dim - 7), r, across / along[0]}
}

// points sets (xs[k], ys[k]) to the position of module idx[k] of the
// timing line, or of module i0+k when idx is nil: level with the module
// (centre) and 3 of its module sizes across the line, in the timing
// pattern. It is one call for many modules, with one division per module
// (under WebAssembly calls and divisions cost more than the rest).
func (tl *timingLine) points(i0 int, idx []int, xs, ys []float64) {
	ys = ys[:len(xs)]
	if idx != nil {
		idx = idx[:len(xs)]
	}
	k := tl.d * tl.r / tl.l // along the line s = k·u/q, module size k/q²
	c := (tl.r - 1) / tl.l  // q = 1 + c·u
	ax, ay, wx, wy := tl.ax, tl.ay, tl.wx, tl.wy
	ox, oy := 3*tl.aspect*tl.vx, 3*tl.aspect*tl.vy
	for j := range xs {
		i := i0 + j
		if idx != nil {
			i = idx[j]
		}
		u := float64(i) - 3
		iq := 1 / (1 + c*u)
		s, ms := k*u*iq, k*iq*iq
		xs[j], ys[j] = ax+wx*s+ox*ms, ay+wy*s+oy*ms
	}
}

// pair samples module i of the timing line at two offsets across it.
func (tl *timingLine) pair(p *plane, i int, offA, offB float64) (float64, float64) {
	x, y, ms := tl.centre(i)
	oA := (3 + offA) * ms * tl.aspect
	oB := (3 + offB) * ms * tl.aspect
	return p.bilinear(x+tl.vx*oA, y+tl.vy*oA), p.bilinear(x+tl.vx*oB, y+tl.vy*oB)
}

// centre returns the point on the line through the finders' centres
// level with module i, and the local module size there.
func (tl *timingLine) centre(i int) (x, y, ms float64) {
	u := float64(i) - 3 // from A's centre (module 3.5) to module i's centre
	q := 1 + (tl.r-1)*u/tl.l
	s := tl.d * tl.r * u / (tl.l * q) // distance along the line
	ms = tl.d * tl.r / (tl.l * q * q) // local module size
	return tl.ax + tl.wx*s, tl.ay + tl.wy*s, ms
}
