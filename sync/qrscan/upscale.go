package qrscan

import (
	"image"
	"math"

	"github.com/cardwall/cardwall/imaging"
)

// Retry of undecoded places on a 2× upscaled tile. At about 2 pixels per
// module a finder's 1:1:3:1:1 runs blur together and the module grid is
// sampled between pixels; doubling the resolution of a small tile around
// each place where a code was located but not decoded, or where finders
// were left over, lets the threshold and the finder scan work at 4 pixels
// per module. Only those places are retried, so clean photos pay nothing.

const (
	// upscaleMaxModule is the largest module size (pixels) retried: larger
	// modules read at full resolution already.
	upscaleMaxModule = 3.5
	// upscaleReach is how far around a left-over finder (in modules) the
	// tile reaches: the far corner of a version-2 symbol plus quiet zone.
	upscaleReach = 28.0
	// upscaleCover is the distance (modules) within which a left-over
	// finder shares the tile of a finder already given one: a version-1
	// symbol's finders are 14 modules apart, so its finders share a tile,
	// and a finder that far from the tile's centre still has most of its
	// symbol inside.
	upscaleCover = 15.0
	// upscaleMaxTiles bounds the tiles per photo (photos of noise leave
	// many finders).
	upscaleMaxTiles = 48
	// upscaleMaxSide is the largest tile side before upscaling, pixels.
	upscaleMaxSide = 320
)

// tile is a square region of the base image to retry.
type tile struct{ x0, y0, x1, y1 int }

func (t tile) contains(x, y float64) bool {
	return x >= float64(t.x0) && y >= float64(t.y0) && x < float64(t.x1) && y < float64(t.y1)
}

// retryTiles lists the regions worth an upscaled retry: around codes
// located but not decoded, then around finders left over (each finder
// inside an earlier tile's inner part is covered by it).
func (s *scanner) retryTiles() []tile {
	var ts []tile
	add := func(cx, cy, r float64) {
		if len(ts) >= upscaleMaxTiles {
			return
		}
		r = math.Min(r, upscaleMaxSide/2)
		t := tile{
			clampInt(int(cx-r), 0, s.base.w), clampInt(int(cy-r), 0, s.base.h),
			clampInt(int(cx+r+1), 0, s.base.w), clampInt(int(cy+r+1), 0, s.base.h),
		}
		if t.x1-t.x0 >= 16 && t.y1-t.y0 >= 16 {
			ts = append(ts, t)
		}
	}
	for i := range s.found {
		c := &s.found[i]
		if c.Decoded || c.ModuleSize > upscaleMaxModule {
			continue
		}
		cx, cy := quadCentre(c.Corners)
		var r float64
		for _, p := range c.Corners {
			r = math.Max(r, math.Max(math.Abs(p.X-cx), math.Abs(p.Y-cy)))
		}
		add(cx, cy, r+6*c.ModuleSize)
	}
	// A left-over finder inside a retried code, or near a finder already
	// given a tile, is covered by that tile.
	var centres []finder
	for _, f := range s.left {
		if f.ms > upscaleMaxModule || s.insideDecoded(f.x, f.y) || s.insideUndecoded(f.x, f.y) {
			continue
		}
		covered := false
		for _, c := range centres {
			if math.Hypot(f.x-c.x, f.y-c.y) < upscaleCover*c.ms {
				covered = true
				break
			}
		}
		if !covered {
			centres = append(centres, f)
			add(f.x, f.y, upscaleReach*f.ms)
		}
	}
	return ts
}

// retryUpscaled rescans each retry tile at twice the resolution and adds
// the codes decoded there, replacing undecoded candidates they overlap.
func (s *scanner) retryUpscaled() error {
	ts := s.retryTiles()
	if len(ts) == 0 {
		return nil
	}
	results := make([][]Code, len(ts))
	work := func(i int) {
		results[i] = s.scanTile(ts[i])
	}
	// Each tile's scan is itself parallel; tiles run in turn.
	for i := range ts {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		work(i)
	}
	for _, cs := range results {
		for _, c := range cs {
			if s.overlapsDecoded(&c) {
				continue
			}
			s.dropUndecodedIn(&c)
			s.found = append(s.found, c)
		}
	}
	return s.ctx.Err()
}

// scanTile crops t from the base image, upscales it 2× and runs the
// stages of one level on it; it returns the decoded codes in image
// coordinates.
func (s *scanner) scanTile(t tile) []Code {
	src := &image.Gray{
		Pix:    s.base.pix[t.y0*s.base.stride+t.x0:],
		Stride: s.base.stride,
		Rect:   image.Rect(0, 0, t.x1-t.x0, t.y1-t.y0),
	}
	up := imaging.Upscale2(src)
	child := &scanner{ctx: s.ctx, opt: &Options{Effort: s.opt.Effort, MaxCandidates: 200}}
	child.base = &plane{w: up.Rect.Dx(), h: up.Rect.Dy(), stride: up.Stride, pix: up.Pix}
	if _, err := child.scanLevel(level{p: child.base, scale: 1}, narrowThreshold); err != nil {
		return nil
	}
	var out []Code
	for _, c := range child.found {
		if !c.Decoded {
			continue
		}
		for k := range c.Corners {
			c.Corners[k].X = c.Corners[k].X/2 + float64(t.x0)
			c.Corners[k].Y = c.Corners[k].Y/2 + float64(t.y0)
		}
		c.ModuleSize /= 2
		out = append(out, c)
	}
	return out
}

// insideUndecoded reports whether (x, y) lies in a code located but not
// decoded with modules small enough to be retried.
func (s *scanner) insideUndecoded(x, y float64) bool {
	for i := range s.found {
		c := &s.found[i]
		if !c.Decoded && c.ModuleSize <= upscaleMaxModule && insideQuad(c.Corners, x, y) {
			return true
		}
	}
	return false
}

// overlapsDecoded is overlapsFound restricted to decoded codes.
func (s *scanner) overlapsDecoded(c *Code) bool {
	for i := range s.found {
		if s.found[i].Decoded && overlaps(c, &s.found[i]) {
			return true
		}
	}
	return false
}

// dropUndecodedIn removes undecoded codes that overlap c.
func (s *scanner) dropUndecodedIn(c *Code) {
	keep := s.found[:0]
	for _, f := range s.found {
		if !f.Decoded && overlaps(c, &f) {
			continue
		}
		keep = append(keep, f)
	}
	s.found = keep
}
