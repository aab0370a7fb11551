package qreval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fakeDecoder answers from a table by path.
type fakeDecoder struct {
	results map[string][]Result
	errs    map[string]error
	delay   map[string]time.Duration
	ignore  bool // ignore ctx while sleeping
}

func (f fakeDecoder) decode(ctx context.Context, path string) ([]Result, error) {
	if d := f.delay[path]; d > 0 {
		if f.ignore {
			time.Sleep(d)
		} else {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	if path == "panic" {
		panic("boom")
	}
	return f.results[path], f.errs[path]
}

func textSet(paths ...string) Set {
	s := Set{Dir: "/sets/x"}
	for _, p := range paths {
		s.Images = append(s.Images, Image{Path: p, Label: Label{Kind: TextLabel, Text: "want"}})
	}
	return s
}

func TestRun(t *testing.T) {
	ok := []Result{{Text: "want", Decoded: true}}
	f := fakeDecoder{
		results: map[string][]Result{"a": ok, "b": {{Text: "other", Decoded: true}}, "slow": ok},
		errs:    map[string]error{"bad": errors.New("cannot decode")},
		delay:   map[string]time.Duration{"slow": time.Minute},
	}
	var progress []float64
	sr, err := Run(context.Background(), "fake", textSet("a", "b", "bad", "slow", "panic"), f.decode,
		&Options{Timeout: 50 * time.Millisecond, Progress: func(p float64) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	want := Tally{Present: 5, Read: 1, False: 1}
	if sr.Tally != want || sr.Images != 5 || sr.Errors != 2 || sr.Timeouts != 1 || sr.Kind != "text" || sr.Decoder != "fake" {
		t.Errorf("Run = %+v, want tally %+v, 5 images, 2 errors, 1 timeout", sr, want)
	}
	if len(sr.Failures) != 3 || !strings.HasPrefix(sr.Failures[0], "bad: cannot decode") ||
		!strings.HasPrefix(sr.Failures[1], "slow: no answer within 50ms") || !strings.Contains(sr.Failures[2], "panic") {
		t.Errorf("failures %q", sr.Failures)
	}
	if len(progress) != 5 || progress[4] != 1 {
		t.Errorf("progress %v, want 5 calls ending at 1", progress)
	}
}

func TestRunTimeoutIgnoringContext(t *testing.T) {
	f := fakeDecoder{delay: map[string]time.Duration{"stuck": 3 * graceAfterTimeout}, ignore: true}
	start := time.Now()
	sr, err := Run(context.Background(), "fake", textSet("stuck"), f.decode, &Options{Timeout: 10 * time.Millisecond})
	if err != nil || sr.Timeouts != 1 || sr.MedianMS != 10 {
		t.Errorf("Run = %+v, %v; want 1 timeout at 10 ms", sr, err)
	}
	if d := time.Since(start); d > 2*graceAfterTimeout {
		t.Errorf("Run waited %v for a decoder that ignores its context", d)
	}
}

func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	dec := func(ctx context.Context, path string) ([]Result, error) {
		calls++
		if calls == 2 {
			cancel()
		}
		return nil, nil
	}
	sr, err := Run(ctx, "fake", textSet("a", "b", "c", "d"), dec, nil)
	if !errors.Is(err, context.Canceled) || calls != 2 || sr.Present != 1 {
		t.Errorf("Run after cancel: %+v, %v after %d calls; want context.Canceled after 2 calls, 1 scored", sr, err, calls)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		v    []float64
		want float64
	}{
		{nil, 0}, {[]float64{5}, 5}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{1.04, 1.06}, 1.1},
	} {
		if got := median(tc.v); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func ExampleRun() {
	set := Set{Dir: "photos", Images: []Image{
		{Path: "photos/1.png", Label: Label{Kind: TextLabel, Text: "hello"}},
		{Path: "photos/2.png", Label: Label{Kind: TextLabel, Text: "world"}},
	}}
	dec := func(ctx context.Context, path string) ([]Result, error) {
		return []Result{{Text: "hello", Decoded: true}}, nil
	}
	sr, err := Run(context.Background(), "demo", set, dec, nil)
	fmt.Println(sr.Read, "of", sr.Present, "read,", sr.False, "false,", err)
	// Output: 1 of 2 read, 1 false, <nil>
}
