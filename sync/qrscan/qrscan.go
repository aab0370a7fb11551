// Package qrscan finds and decodes every QR code in a photo.
//
// It is built for photos of card walls: many small codes (2–5 pixels per
// module) under perspective, rotation, uneven light, blur and JPEG noise.
// The pipeline is a sequence of plain stages, each in its own file:
//
//  1. binarize.go: local adaptive threshold (block means) on a pyramid of
//     the image: full resolution for small codes, halved levels for
//     close-ups; a narrower window on small photos, a wider one above
//     level 0 when finders are left over. At full resolution a 2×2-block
//     pass for codes of about 2 pixels per module thresholds only near
//     the dark pixels of the first pass (neardark.go).
//  2. finder.go: finder-pattern candidates from 1:1:3:1:1 run-length scans
//     of the rows (every second row in passes looking for modules of 2.5
//     pixels or more), cross-checked vertically and diagonally, merged into
//     clusters and verified on the grey levels.
//  3. group.go: triples of finders with right-angle geometry (perspective
//     tolerated), module sizes measured along each side, and a timing
//     pattern that reads; the dimension is chosen by the timing pattern.
//  4. geometry.go: a homography from the finders' traced corners, refined
//     with the alignment patterns (from the finders outwards) and a local
//     warp field for curved paper; refine.go moves the corners to where the
//     module samples are sharpest when a read fails.
//  5. sample.go: the module grid is sampled through the homography,
//     thresholded three ways and decoded by gozxing's qrcode/decoder.
//  6. complete.go: symbols with one finder missing (glare, blur) are
//     completed by a template search where the third finder must be.
//
// Scan runs the stages, decodes candidates best first (each finder used
// once), and de-duplicates the results across levels. Reed–Solomon
// correction and bit-stream parsing are gozxing's. Natively the stages use
// all cores (parallel.go); under GOOS=js they run inline.
package qrscan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"
)

// Point is a position in image pixels (x right, y down, origin at the
// top-left corner of the top-left pixel).
type Point struct{ X, Y float64 }

// Code is one QR code found in the image.
type Code struct {
	Text    string // decoded text ("" when not decoded)
	Decoded bool   // false: a code was located but could not be decoded
	// Corners are the outer corners of the symbol in image pixels:
	// top-left, top-right, bottom-right, bottom-left of the code's own frame.
	Corners    [4]Point
	Version    int
	ModuleSize float64 // average module size in pixels
}

// Effort trades time for recall.
type Effort int

const (
	// Normal is the default: every pyramid level, retries on failed candidates.
	Normal Effort = iota
	// Fast scans the full-resolution level once, with few retries.
	Fast
	// Thorough also scans pyramid levels above full resolution that are
	// larger than 4 MP (those of photos over 16 MP) with the narrow
	// threshold setting, as smaller levels always are.
	Thorough
)

// String returns the effort's name.
func (e Effort) String() string {
	switch e {
	case Fast:
		return "fast"
	case Normal:
		return "normal"
	case Thorough:
		return "thorough"
	}
	return fmt.Sprintf("Effort(%d)", int(e))
}

// Options tune Scan. The zero value (or nil) is ready to use.
type Options struct {
	// Progress, if not nil, is called with a fraction 0..1 as work advances.
	Progress func(done float64)
	// Effort trades time for recall; default Normal.
	Effort Effort
	// MaxCandidates caps the number of finder triples tried per pyramid
	// level (0 means 4000). Photos of noise stay bounded by it.
	MaxCandidates int
	// Report, if not nil, is filled in by Scan.
	Report *Report
}

// Report describes the work of one Scan.
type Report struct {
	// Truncated is true when a cap on finders or candidates was reached,
	// so codes may have been missed (a photo of noise, or more codes than
	// the caps allow).
	Truncated bool
	// Finders and Candidates count the verified finder patterns and the
	// finder triples tried, over all levels.
	Finders, Candidates int
	// Time is the wall time spent in each stage, summed over levels and
	// threshold passes.
	Time StageTimes
}

// StageTimes is the wall time of each stage of a Scan.
type StageTimes struct {
	Pyramid  time.Duration // downscaled levels
	Binarize time.Duration // local thresholds
	Finders  time.Duration // finder-pattern runs and their verification
	Group    time.Duration // finder triples and their timing patterns
	Decode   time.Duration // sampling and decoding triples, completing pairs
	Retry    time.Duration // upscaled retries of leftover finders
}

// add returns the stage-wise sum of t and u.
func (t StageTimes) add(u StageTimes) StageTimes {
	return StageTimes{t.Pyramid + u.Pyramid, t.Binarize + u.Binarize, t.Finders + u.Finders,
		t.Group + u.Group, t.Decode + u.Decode, t.Retry + u.Retry}
}

// MaxPixels is the largest image Scan accepts (width × height).
const MaxPixels = 100 << 20

// ErrTooLarge is returned for images with more than MaxPixels pixels.
var ErrTooLarge = errors.New("qrscan: image too large")

// Scan finds and decodes every QR code in g. It honours ctx cancellation:
// it returns ctx.Err() together with the codes found so far.
func Scan(ctx context.Context, g *image.Gray, opt *Options) (codes []Code, err error) {
	// A bug in a stage must not take the caller down (the CLI, or the
	// browser tab): it becomes an error naming the image size.
	defer func() {
		if r := recover(); r != nil {
			codes, err = nil, fmt.Errorf("qrscan: internal error on a %v image: %v", g.Bounds().Size(), r)
		}
	}()
	if opt == nil {
		opt = &Options{}
	}
	if g == nil {
		return nil, errors.New("qrscan: nil image")
	}
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, nil
	}
	if int64(w)*int64(h) > MaxPixels {
		return nil, fmt.Errorf("%w: %d×%d pixels, limit %d", ErrTooLarge, w, h, MaxPixels)
	}
	if len(g.Pix) < (h-1)*g.Stride+w {
		return nil, fmt.Errorf("qrscan: gray image Pix holds %d bytes, %d×%d with stride %d needs %d", len(g.Pix), w, h, g.Stride, (h-1)*g.Stride+w)
	}
	s := newScanner(ctx, g, opt)
	codes, err = s.run()
	if opt.Report != nil {
		*opt.Report = s.report
	}
	// Report corners in the coordinates of g's bounds.
	if b.Min != (image.Point{}) {
		for i := range codes {
			for k := range codes[i].Corners {
				codes[i].Corners[k].X += float64(b.Min.X)
				codes[i].Corners[k].Y += float64(b.Min.Y)
			}
		}
	}
	return codes, err
}
