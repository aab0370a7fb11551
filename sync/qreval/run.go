package qreval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// Decoder reads one image file and reports every code it found. The time
// it takes is what Run measures: reading the file, decoding the image and
// finding and decoding the codes. It should stop soon after ctx is done.
type Decoder func(ctx context.Context, path string) ([]Result, error)

// DefaultTimeout is the time limit per image when Options.Timeout is zero;
// the peer script's default too.
const DefaultTimeout = 30 * time.Second

// Options tunes Run.
type Options struct {
	// Timeout is the time limit per image (DefaultTimeout when zero). An
	// image that runs over it counts as a timeout with no results and the
	// time limit as its time.
	Timeout time.Duration
	// Progress, if not nil, is called after each image with the fraction
	// of the set done so far.
	Progress func(done float64)
}

// SetResult is one decoder's outcome on one set. Its JSON form is that of
// a result of the peer script's --json output, so both decode into it.
type SetResult struct {
	Decoder  string  `json:"peer"`
	Folder   string  `json:"folder"`
	Kind     string  `json:"kind"`
	Images   int     `json:"images"`
	Errors   int     `json:"errors"`
	Timeouts int     `json:"timeouts"`
	Scored   bool    `json:"scored"` // false if the decoder gives no polygons (peer script)
	MedianMS float64 `json:"median_ms"`
	Tally
	// Failures lists "FILE: error" for each image that failed or timed out.
	Failures []string `json:"failures,omitempty"`
}

// graceAfterTimeout is how long Run waits for a decoder to return after its
// image's time limit before leaving it behind and going on.
const graceAfterTimeout = time.Second

// Run applies dec to every image of set, one at a time, and scores the
// results. name labels the decoder in the result. If ctx is cancelled Run
// stops and returns what it has with ctx's error.
func Run(ctx context.Context, name string, set Set, dec Decoder, opt *Options) (sr SetResult, err error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	sr = SetResult{Decoder: name, Folder: set.Dir, Kind: set.Kind(), Images: len(set.Images), Scored: true}
	ms := make([]float64, 0, len(set.Images))
	defer func() { sr.MedianMS = median(ms) }()
	for i, im := range set.Images {
		if ctx.Err() != nil {
			return sr, ctx.Err()
		}
		results, took, err := runOne(ctx, dec, im.Path, o.Timeout)
		if ctx.Err() != nil {
			return sr, ctx.Err()
		}
		ms = append(ms, float64(took)/float64(time.Millisecond))
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			sr.Timeouts++
			sr.Failures = append(sr.Failures, fmt.Sprintf("%s: no answer within %v", im.Path, o.Timeout))
		case err != nil:
			sr.Errors++
			sr.Failures = append(sr.Failures, fmt.Sprintf("%s: %v", im.Path, err))
		}
		sr.Tally.Add(Score(im.Label, results))
		if o.Progress != nil {
			o.Progress(float64(i+1) / float64(len(set.Images)))
		}
	}
	return sr, nil
}

// runOne runs dec on one image with a time limit. On a timeout it returns
// no results, the limit as the time taken and context.DeadlineExceeded.
// A panic in dec is returned as an error.
func runOne(ctx context.Context, dec Decoder, path string, limit time.Duration) ([]Result, time.Duration, error) {
	ictx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	type answer struct {
		results []Result
		took    time.Duration
		err     error
	}
	done := make(chan answer, 1)
	start := time.Now()
	go func() {
		var a answer
		defer func() {
			if r := recover(); r != nil {
				a.err = fmt.Errorf("decoder panic: %v", r)
			}
			a.took = time.Since(start)
			done <- a
		}()
		a.results, a.err = dec(ictx, path)
	}()
	var a answer
	select {
	case a = <-done:
	case <-ictx.Done():
		select {
		case a = <-done:
		case <-time.After(graceAfterTimeout):
			return nil, limit, context.DeadlineExceeded
		}
	}
	if a.took > limit || ictx.Err() != nil && a.err != nil {
		return nil, limit, context.DeadlineExceeded
	}
	return a.results, a.took, a.err
}

// median returns the median of v (the mean of the two middle values for an
// even count), rounded to 0.1, or 0 for no values.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + m) / 2
	}
	return math.Round(m*10) / 10
}
