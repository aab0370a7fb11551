// Command qrbench measures cardwall's QR scanner against peer decoders on
// folders of labelled photos and prints one table with everybody's figures.
//
//	qrbench [--peers LIST|none] [--effort fast|normal|thorough] [--timeout 30s]
//	        [--script PATH] [--markdown] [--json] FOLDER...
//
// Run it from the repository root. A FOLDER holds images with NAME.txt
// labels beside them (see package sync/qreval); a folder without images
// stands for its sub-folders, so a dataset root works:
//
//	go run ./cmd/qrbench ../shared/datasets/zxing-blackbox ../shared/datasets/boofcv-qrcodes
//
// Each cell is "read/present · false reads · median ms per image". Our
// time covers reading the file, decoding the image and scanning it, one
// image at a time, natively with all cores; the peers' times come from
// ../shared/tools/peer_decode.py (run with --json as a subprocess), whose
// helpers are single-threaded. Peers that are not installed are skipped
// with the script's message. --peers none measures only cardwall.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/cardwall/cardwall/sync/qreval"
	"github.com/cardwall/cardwall/sync/qreval/scanfile"
	"github.com/cardwall/cardwall/sync/qrscan"
)

// ourName is the column name of cardwall's own scanner.
const ourName = "cardwall"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit status (2 for bad
// arguments, 1 for a failure).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qrbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	peers := fs.String("peers", "", "comma-separated peers for peer_decode.py, or none (default: all the script knows)")
	effort := fs.String("effort", "normal", "scanner effort: fast, normal or thorough")
	timeout := fs.Duration("timeout", qreval.DefaultTimeout, "time limit per image")
	script := fs.String("script", qreval.DefaultPeerScript, "path of peer_decode.py")
	markdown := fs.Bool("markdown", false, "print the table as Markdown")
	asJSON := fs.Bool("json", false, "print every result as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: qrbench [--peers LIST|none] [--effort E] [--timeout D] [--script PATH] [--markdown] [--json] FOLDER...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	eff, ok := map[string]qrscan.Effort{"fast": qrscan.Fast, "normal": qrscan.Normal, "thorough": qrscan.Thorough}[*effort]
	switch {
	case fs.NArg() == 0:
		fmt.Fprintln(stderr, "qrbench: no FOLDER given")
		fs.Usage()
		return 2
	case !ok:
		fmt.Fprintf(stderr, "qrbench: --effort %q: want fast, normal or thorough\n", *effort)
		return 2
	case *markdown && *asJSON:
		fmt.Fprintln(stderr, "qrbench: --markdown and --json exclude each other")
		return 2
	}
	if err := bench(ctx, fs.Args(), benchOptions{
		peers: *peers, effort: eff, timeout: *timeout, script: *script, markdown: *markdown, json: *asJSON,
	}, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "qrbench: %v\n", err)
		return 1
	}
	return 0
}

type benchOptions struct {
	peers          string
	effort         qrscan.Effort
	timeout        time.Duration
	script         string
	markdown, json bool
}

// report is the --json output.
type report struct {
	Results []qreval.SetResult         `json:"results"`
	Peers   map[string]qreval.PeerInfo `json:"peers"`
}

func bench(ctx context.Context, dirs []string, o benchOptions, stdout, stderr io.Writer) error {
	sets, err := qreval.LoadSets(dirs...)
	if err != nil {
		return err
	}
	rep := report{Peers: map[string]qreval.PeerInfo{}}
	dec := scanfile.Decoder(&qrscan.Options{Effort: o.effort})
	for _, s := range sets {
		sr, err := qreval.Run(ctx, ourName, s, dec, &qreval.Options{Timeout: o.timeout})
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%-10s %s: %d/%d, false %d, median %.0f ms\n", ourName, s.Dir, sr.Read, sr.Present, sr.False, sr.MedianMS)
		for _, f := range sr.Failures {
			fmt.Fprintf(stderr, "%-10s   %s\n", "", f)
		}
		rep.Results = append(rep.Results, sr)
	}
	ours := fmt.Sprintf("%s: qrscan effort %v, %s, GOMAXPROCS %d", ourName, o.effort, runtime.Version(), runtime.GOMAXPROCS(0))
	notes := []string{ours}
	if o.peers != "none" {
		var list []string
		if o.peers != "" {
			list = strings.Split(o.peers, ",")
		}
		// The script gets the folders as given and expands them itself,
		// as LoadSets did.
		pr, err := qreval.RunPeers(ctx, dirs, qreval.PeerOptions{Script: o.script, Peers: list, Timeout: o.timeout, Stderr: stderr})
		if err != nil {
			return err
		}
		rep.Results = append(rep.Results, pr.Results...)
		rep.Peers = pr.Peers
		notes = append(notes, peerNotes(pr)...)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(rep)
	}
	t := qreval.NewTable(rep.Results)
	t.Notes = append(notes, "cell: read/present · false reads · median ms per image (peers single-threaded)")
	if o.markdown {
		return t.WriteMarkdown(stdout)
	}
	return t.WriteText(stdout)
}

// peerNotes describes each peer the script ran or skipped, in its order.
func peerNotes(pr qreval.PeerRun) []string {
	var notes []string
	seen := map[string]bool{}
	for _, r := range pr.Results {
		if !seen[r.Decoder] {
			seen[r.Decoder] = true
			notes = append(notes, fmt.Sprintf("%s: %s", r.Decoder, pr.Peers[r.Decoder].Version))
		}
	}
	for name, p := range pr.Peers {
		if p.Skipped != "" {
			notes = append(notes, fmt.Sprintf("%s: skipped (%s)", name, p.Skipped))
		}
	}
	return notes
}
