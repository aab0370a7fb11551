package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cardwall/cardwall/imaging"
	"github.com/cardwall/cardwall/sync/board"
	"github.com/cardwall/cardwall/sync/qrscan"
)

// sample is one timed read of one photo by one decoder: what the measure
// subcommand prints as a JSON line, and what the peers' answers become.
type sample struct {
	Path   string `json:"path"`
	Rep    int    `json:"rep"` // 1-based run number
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
	// ReadMS is reading the file into memory, DecodeMS decoding it to
	// luminance, ScanMS finding and decoding the codes; TotalMS is
	// DecodeMS + ScanMS. The read is kept out of the total: the browser
	// app never reads a file (the page hands it the photo's bytes), and
	// under node Go's file reads go through the asynchronous fs shim and
	// the event loop, 2–20 ms per photo depending on the machine's load,
	// where the peers read with a blocking call in well under a
	// millisecond. Peers time everything together (TotalMS only).
	ReadMS   float64 `json:"read_ms,omitempty"`
	DecodeMS float64 `json:"decode_ms,omitempty"`
	ScanMS   float64 `json:"scan_ms,omitempty"`
	TotalMS  float64 `json:"total_ms"`
	Codes    int     `json:"codes"` // codes decoded (with text)
	// Stages is our scanner's time per stage (qrscan.Report.Time).
	Stages *stageMS `json:"stages_ms,omitempty"`
	Error  string   `json:"error,omitempty"`
}

// stageMS is qrscan.StageTimes in milliseconds.
type stageMS struct {
	Pyramid  float64 `json:"pyramid"`
	Binarize float64 `json:"binarize"`
	Finders  float64 `json:"finders"`
	Group    float64 `json:"group"`
	Decode   float64 `json:"decode"`
	Retry    float64 `json:"retry"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// measure is the subcommand that runs natively and as js/wasm under node:
//
//	qrspeed measure [-warmup] [-repeat N] [-effort E] PHOTO...
//
// It reads every photo -repeat times, round-robin (all photos once, then
// again), and prints one JSON sample per read on stdout, a progress line
// per read on stderr. With -warmup it first reads the first photo once,
// untimed, so that no timed read pays for a cold start (wasm compiler
// tiers, heap growth). A photo that cannot be read gives a sample with
// Error set; the exit status is then still 0.
func measure(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qrspeed measure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	repeat := fs.Int("repeat", 3, "reads of each photo")
	warmup := fs.Bool("warmup", false, "read the first photo once, untimed, before the timed reads")
	effortName := fs.String("effort", board.DefaultEffort.String(), "scanner effort: fast, normal or thorough")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: qrspeed measure [-warmup] [-repeat N] [-effort E] PHOTO...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	effort, err := board.ParseEffort(*effortName)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "qrspeed measure: %v\n", err)
		return 2
	case fs.NArg() == 0:
		fmt.Fprintln(stderr, "qrspeed measure: no PHOTO given")
		return 2
	case *repeat < 1:
		fmt.Fprintf(stderr, "qrspeed measure: -repeat %d: want at least 1\n", *repeat)
		return 2
	}
	if *warmup {
		measureOne(ctx, fs.Arg(0), effort)
	}
	enc := json.NewEncoder(stdout)
	for rep := 1; rep <= *repeat; rep++ {
		for _, path := range fs.Args() {
			if ctx.Err() != nil {
				fmt.Fprintf(stderr, "qrspeed measure: %v\n", ctx.Err())
				return 1
			}
			s := measureOne(ctx, path, effort)
			s.Rep = rep
			if err := enc.Encode(s); err != nil {
				fmt.Fprintf(stderr, "qrspeed measure: writing: %v\n", err)
				return 1
			}
			if s.Error != "" {
				fmt.Fprintf(stderr, "  %s run %d: %s\n", path, rep, s.Error)
			} else {
				fmt.Fprintf(stderr, "  %s run %d: %d codes, %.0f + %.0f ms\n", path, rep, s.Codes, s.DecodeMS, s.ScanMS)
			}
		}
	}
	return 0
}

// measureOne reads the photo at path, decodes it and scans it, timing
// each step.
func measureOne(ctx context.Context, path string, effort qrscan.Effort) sample {
	s := sample{Path: path}
	tr := time.Now()
	data, err := os.ReadFile(path)
	if err != nil {
		s.Error = err.Error()
		return s
	}
	t0 := time.Now()
	s.ReadMS = ms(t0.Sub(tr))
	photo, err := imaging.DecodeBytes(data, nil)
	t1 := time.Now()
	if err != nil {
		s.Error = fmt.Sprintf("%s: %v", path, err)
		return s
	}
	var rep qrscan.Report
	codes, err := qrscan.Scan(ctx, photo.Gray, &qrscan.Options{Effort: effort, Report: &rep})
	t2 := time.Now()
	if err != nil {
		s.Error = fmt.Sprintf("%s: %v", path, err)
		return s
	}
	b := photo.Gray.Bounds()
	s.Width, s.Height = b.Dx(), b.Dy()
	s.DecodeMS, s.ScanMS, s.TotalMS = ms(t1.Sub(t0)), ms(t2.Sub(t1)), ms(t2.Sub(t0))
	for _, c := range codes {
		if c.Decoded {
			s.Codes++
		}
	}
	st := rep.Time
	s.Stages = &stageMS{ms(st.Pyramid), ms(st.Binarize), ms(st.Finders), ms(st.Group), ms(st.Decode), ms(st.Retry)}
	return s
}
