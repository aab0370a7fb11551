// Command qrspeed times cardwall's QR pipeline (image decode + scan) on
// photos natively and compiled to WebAssembly under node, beside the peers
// zxing-wasm and zbar on the same photos in the same run, and prints one
// table: per photo the codes each decoder read, every time in ms and the
// ratios wasm/native, wasm/zxing-wasm and native/zbar, with a median row.
//
//	qrspeed [--repeat 3] [--effort thorough] [--peers zxing-wasm,zbar|none]
//	        [--wasm=false] [--out out] [--timeout 60s] [--script PATH]
//	        [--markdown | --json] [PHOTO...]
//
// Run it from the repository root. Without PHOTO it times the committed
// board photos (testdata/boards/*.jpg, testdata/demo/board.jpg).
//
// Our times come from the measure subcommand, which reads each photo into
// memory, decodes it with imaging.DecodeBytes, scans it with qrscan.Scan,
// and prints one JSON line per read (the file read is timed apart and not
// counted, see sample.ReadMS):
//
//	qrspeed measure [-warmup] [-repeat N] [-effort E] PHOTO...
//
// qrspeed runs it as its own executable with GOMAXPROCS=1 and 2, and
// builds itself for GOOS=js GOARCH=wasm into --out and runs that under
// node through $(go env GOROOT)/lib/wasm/go_js_wasm_exec (one thread, as
// in the browser). The peers run through ../shared/tools/peer_decode.py
// --raw: zxing-wasm under node, zbar through its Python binding or
// zbarimg. The machine is noisy, so this happens in --repeat rounds: each
// round runs every decoder over all photos in a fresh process, after one
// untimed warm-up read, and the best of the rounds counts per photo and
// decoder. Decoders that are not installed (node, a peer) are skipped with
// a message.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/cardwall/cardwall/sync/board"
)

// defaultPhotos are the committed board photos, from the repository root.
var defaultPhotos = []string{"testdata/boards/*.jpg", "testdata/demo/board.jpg"}

// pkgPath is this command's import path, built for wasm.
const pkgPath = "github.com/cardwall/cardwall/cmd/qrspeed"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == "measure" {
		os.Exit(measure(ctx, os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the main command's flags.
type options struct {
	repeat         int
	effort         string
	peers          []string
	wasm           bool
	out, script    string
	timeout        time.Duration
	markdown, json bool
}

// run is the main command; it returns the exit status (2 for bad
// arguments, 1 for a failure).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qrspeed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.repeat, "repeat", 3, "reads of each photo by each decoder; the best counts")
	fs.StringVar(&o.effort, "effort", board.DefaultEffort.String(), "our scanner's effort: fast, normal or thorough")
	peers := fs.String("peers", zxing+","+zbar, "comma-separated peers for peer_decode.py, or none")
	fs.BoolVar(&o.wasm, "wasm", true, "also time our pipeline as wasm under node")
	fs.StringVar(&o.out, "out", "out", "folder for the wasm build")
	fs.DurationVar(&o.timeout, "timeout", 60*time.Second, "time limit per read of a photo")
	fs.StringVar(&o.script, "script", "../shared/tools/peer_decode.py", "path of peer_decode.py")
	fs.BoolVar(&o.markdown, "markdown", false, "print the table as Markdown")
	fs.BoolVar(&o.json, "json", false, "print the best reads and every sample as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: qrspeed [flags] [PHOTO...]\n       qrspeed measure [-repeat N] [-effort E] PHOTO...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if _, err := board.ParseEffort(o.effort); err != nil {
		fmt.Fprintf(stderr, "qrspeed: --effort: %v\n", err)
		return 2
	}
	switch {
	case o.repeat < 1:
		fmt.Fprintf(stderr, "qrspeed: --repeat %d: want at least 1\n", o.repeat)
		return 2
	case o.markdown && o.json:
		fmt.Fprintln(stderr, "qrspeed: --markdown and --json exclude each other")
		return 2
	}
	if *peers != "none" && *peers != "" {
		o.peers = strings.Split(*peers, ",")
	}
	photos, err := photoList(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "qrspeed: %v\n", err)
		return 2
	}
	if err := speed(ctx, photos, o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "qrspeed: %v\n", err)
		return 1
	}
	return 0
}

// photoList returns the photos given, or the default photos when none is;
// each must be a readable file.
func photoList(args []string) ([]string, error) {
	photos := args
	if len(photos) == 0 {
		for _, pat := range defaultPhotos {
			m, _ := filepath.Glob(pat) // the patterns are well-formed
			photos = append(photos, m...)
		}
		if len(photos) == 0 {
			return nil, fmt.Errorf("no PHOTO given and no default photos (%s): run from the repository root", strings.Join(defaultPhotos, ", "))
		}
	}
	for _, p := range photos {
		if st, err := os.Stat(p); err != nil {
			return nil, err
		} else if st.IsDir() {
			return nil, fmt.Errorf("%s is a folder, want a photo", p)
		}
	}
	return photos, nil
}

// speed times every decoder on the photos and prints the table.
func speed(ctx context.Context, photos []string, o options, stdout, stderr io.Writer) error {
	abs := make([]string, len(photos))
	for i, p := range photos {
		a, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		abs[i] = a
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program to run it natively: %w", err)
	}
	var notes []string
	ourNote := fmt.Sprintf("ours: imaging.DecodeBytes + qrscan.Scan at effort %s, %s, on the file's bytes in memory (the browser app gets bytes from the page, never a file; Go's file reads under node take 2–20 ms through the asynchronous fs shim, and are not counted); native %s/%s with GOMAXPROCS=1 (1p) and 2 (2p)",
		o.effort, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	// Our helpers: argv before the measure arguments, and environment.
	type helper struct {
		name      string
		argv, env []string
	}
	helpers := []helper{
		{native1, []string{self}, []string{"GOMAXPROCS=1"}},
		{native2, []string{self}, []string{"GOMAXPROCS=2"}},
	}
	if _, err := exec.LookPath("node"); o.wasm && err != nil {
		notes = append(notes, wasm+": skipped (needs node on PATH)")
	} else if o.wasm {
		argv, version, err := buildWasm(ctx, o.out, stderr)
		if err != nil {
			return err
		}
		helpers = append(helpers, helper{wasm, argv, nil})
		ourNote += fmt.Sprintf("; wasm: the same code built GOOS=js GOARCH=wasm, run under node %s by go_js_wasm_exec (one thread)", version)
	}
	measureArgs := append([]string{"measure", "-warmup", "-repeat", "1", "-effort", o.effort}, abs...)
	limit := o.timeout * time.Duration(len(photos)+1) // for all of a helper's reads together

	// Every round runs each decoder once over all photos, so that a busy
	// spell of the machine hits every decoder alike rather than one.
	samples := map[string][]sample{}
	add := func(name string, round int, ss []sample) {
		for _, s := range ss {
			s.Rep = round
			samples[name] = append(samples[name], s)
		}
	}
	failed := map[string]string{} // first failure of each decoder
	var pr peerRun
	for round := 1; round <= o.repeat && ctx.Err() == nil; round++ {
		for _, h := range helpers {
			fmt.Fprintf(stderr, "== round %d/%d: %s\n", round, o.repeat, h.name)
			ss, err := runHelper(ctx, limit, append(slices.Clone(h.argv), measureArgs...), h.env, stderr)
			if err != nil {
				if failed[h.name] == "" {
					failed[h.name] = err.Error()
				}
				continue
			}
			add(h.name, round, ss)
		}
		if len(o.peers) > 0 {
			fmt.Fprintf(stderr, "== round %d/%d: %s (%s)\n", round, o.repeat, strings.Join(o.peers, ", "), o.script)
			if pr, err = runPeers(ctx, o.script, o.peers, abs, o.timeout, stderr); err != nil {
				return err
			}
			for p, ss := range pr.Samples {
				add(p, round, ss)
			}
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for _, h := range helpers {
		if why := failed[h.name]; why != "" {
			notes = append(notes, fmt.Sprintf("%s: failed in some rounds: %s", h.name, why))
		}
	}
	notes = append(notes, peerNotes(o.peers, pr)...)

	t := newSpeedTable(abs, samples)
	t.Notes = append([]string{
		fmt.Sprintf("times in ms, best of %d rounds (the machine is noisy: the least disturbed read counts); each round runs every decoder over all photos in a fresh process, after one untimed warm-up read", o.repeat),
		ourNote,
		"codes: the most codes decoded in any read of the photo, not checked against labels (cmd/qrbench and cmd/scanbench score recall)",
		"ratios are of total times (wasm = wasm decode + wasm scan); median row: each column's median over the photos that have a value",
	}, append(notes, t.Notes...)...)
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(struct {
			speedTable
			Samples map[string][]sample `json:"samples"`
		}{t, samples})
	}
	if o.markdown {
		return t.WriteMarkdown(stdout)
	}
	return t.WriteText(stdout)
}

// peerNotes says, for each peer in order, its version and what its time
// covers, or why it was skipped.
func peerNotes(peers []string, pr peerRun) []string {
	var notes []string
	for _, p := range peers {
		switch {
		case pr.Skipped[p] != "":
			notes = append(notes, fmt.Sprintf("%s: skipped (%s)", p, pr.Skipped[p]))
		case p == zxing:
			notes = append(notes, fmt.Sprintf("%s: %s; ms = read file + decode image (stb_image in the wasm) + read codes", p, pr.Version[p]))
		case p == zbar:
			how := "read file + decode image (OpenCV) + read codes"
			if strings.HasPrefix(pr.Version[p], "zbarimg") {
				how = "one zbarimg process per read, its start included"
			}
			notes = append(notes, fmt.Sprintf("%s: %s; ms = %s", p, pr.Version[p], how))
		default:
			notes = append(notes, fmt.Sprintf("%s: %s (not a column of the table)", p, pr.Version[p]))
		}
	}
	return notes
}

// buildWasm builds this command for js/wasm into out; it returns the
// command line that runs the build under node, and node's version.
func buildWasm(ctx context.Context, out string, stderr io.Writer) (argv []string, version string, err error) {
	goroot, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	if err != nil {
		return nil, "", fmt.Errorf("go env GOROOT: %w", err)
	}
	execJS := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "go_js_wasm_exec")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, "", err
	}
	bin := filepath.Join(out, "qrspeed.wasm")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, pkgPath)
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	build.Stderr = stderr
	if err := build.Run(); err != nil {
		return nil, "", fmt.Errorf("GOOS=js GOARCH=wasm go build -o %s %s: %w", bin, pkgPath, err)
	}
	v, err := exec.CommandContext(ctx, "node", "--version").Output()
	if err != nil {
		return nil, "", fmt.Errorf("node --version: %w", err)
	}
	return []string{execJS, bin}, strings.TrimSpace(string(v)), nil
}

// runHelper runs argv (a measure subcommand) with extra environment
// variables and a time limit, passes its progress to stderr and parses
// its samples.
func runHelper(ctx context.Context, limit time.Duration, argv, env []string, stderr io.Writer) ([]sample, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("%s: over the time limit of %v", filepath.Base(argv[0]), limit)
		}
		return nil, fmt.Errorf("%s: %w", filepath.Base(argv[0]), err)
	}
	ss, err := parseSamples(&out)
	if err != nil {
		return nil, fmt.Errorf("%s output: %w", filepath.Base(argv[0]), err)
	}
	return ss, nil
}
