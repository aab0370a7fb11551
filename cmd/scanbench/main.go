// Command scanbench measures the board scanner on generated board photos
// and puts the peers' figures on the same photos beside it.
//
//	go run ./cmd/scanbench testdata/boards
//	go run ./cmd/scanbench -generate 10 -o out/boards
//
// Each folder holds NAME.jpg photos with NAME.json ground truth written
// by boardgen. Photos are grouped by difficulty level, except that easy
// and medium boards with at least 50 cards form the "50+" group. For each group it prints cards found /
// present, headers found, false keys, column accuracy over found cards and
// the median time per photo (decode + detect + place, natively), then
// each peer's recall from ../shared/tools/peer_decode.py --raw, scored by
// text against the same truth.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cardwall/cardwall/sync/board"
	"github.com/cardwall/cardwall/sync/boardgen"
	"github.com/cardwall/cardwall/sync/qrscan"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "scanbench:", err)
		os.Exit(1)
	}
}

// photo is one benchmark photo with its truth.
type photo struct {
	path  string
	truth *boardgen.Truth
}

// tally adds up scores over a group of photos.
type tally struct {
	photos                 int
	cards, found, placed   int
	headers, headersFound  int
	falseKeys              []string
	ms                     []float64
	peerFound, peerHeaders map[string]int
	peerFalse              map[string]int
	peerMs                 map[string][]float64
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scanbench", flag.ContinueOnError)
	generate := fs.Int("generate", 0, "generate this many photos per level (and 50+ boards) into -o first")
	out := fs.String("o", "out/boards", "folder for generated photos")
	peers := fs.String("peers", "zbar,zxing-wasm", "peers to run (empty: none)")
	tool := fs.String("peer-tool", "../shared/tools/peer_decode.py", "the peer decoding script")
	verbose := fs.Bool("v", false, "list missed, misplaced and false keys per photo")
	effortName := fs.String("effort", board.DefaultEffort.String(), "detector effort: fast, normal or thorough")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dirs := fs.Args()
	if *generate > 0 {
		gen, err := generateSet(*out, *generate, stderr)
		if err != nil {
			return err
		}
		dirs = append(dirs, gen...)
	}
	if len(dirs) == 0 {
		return fmt.Errorf("no folders given (and no -generate)")
	}
	effort, err := board.ParseEffort(*effortName)
	if err != nil {
		return err
	}
	opt := &qrscan.Options{Effort: effort}
	var photos []photo
	for _, d := range dirs {
		ps, err := listPhotos(d)
		if err != nil {
			return err
		}
		photos = append(photos, ps...)
	}
	if len(photos) == 0 {
		return fmt.Errorf("no photos with ground truth in %s", strings.Join(dirs, ", "))
	}
	groups := map[string]*tally{}
	var order []string
	group := func(name string) *tally {
		if groups[name] == nil {
			groups[name] = &tally{peerFound: map[string]int{}, peerHeaders: map[string]int{}, peerFalse: map[string]int{}, peerMs: map[string][]float64{}}
			order = append(order, name)
		}
		return groups[name]
	}
	// Easy and medium boards of 50 or more cards form their own group,
	// "50+"; hard and beyond-hard boards stay in their level.
	groupsOf := func(t *boardgen.Truth) []*tally {
		if len(t.Cards) >= 50 && (t.Level == boardgen.Easy || t.Level == boardgen.Medium) {
			return []*tally{group("50+")}
		}
		return []*tally{group(string(t.Level))}
	}
	byPath := map[string]photo{}
	for _, p := range photos {
		abs, err := filepath.Abs(p.path)
		if err != nil {
			return err
		}
		byPath[abs] = p
		start := time.Now()
		r, err := board.ScanFile(context.Background(), p.path, nil, opt)
		if err != nil {
			return err
		}
		ms := float64(time.Since(start).Microseconds()) / 1000
		s := boardgen.ScoreScan(p.truth, r)
		for _, g := range groupsOf(p.truth) {
			g.photos++
			g.cards += s.Cards
			g.found += s.Found
			g.placed += s.Placed
			g.headers += s.Headers
			g.headersFound += s.HeadersFound
			g.falseKeys = append(g.falseKeys, s.FalseKeys...)
			g.ms = append(g.ms, ms)
		}
		fmt.Fprintf(stderr, "%s: %d/%d cards, %d/%d headers, %d false, %d misplaced, %.0f ms\n", p.path, s.Found, s.Cards,
			s.HeadersFound, s.Headers, len(s.FalseKeys), len(s.Misplaced), ms)
		if *verbose {
			for _, x := range [][]string{s.Missed, s.Misplaced, s.FalseKeys} {
				if len(x) > 0 {
					fmt.Fprintf(stderr, "    %s\n", strings.Join(x, "; "))
				}
			}
		}
	}
	var peerNames []string
	if *peers != "" {
		peerNames = strings.Split(*peers, ",")
		if err := runPeers(*tool, *peers, dirs, byPath, groupsOf, stderr); err != nil {
			fmt.Fprintf(stderr, "scanbench: peers not run: %v\n", err)
			peerNames = nil
		}
	}
	printTable(stdout, order, groups, peerNames)
	return nil
}

// generateSet writes n photos per level, and n boards of 50–80 cards at
// medium level, into sub-folders of out; existing photos are reused.
func generateSet(out string, n int, stderr io.Writer) ([]string, error) {
	type set struct {
		dir   string
		level boardgen.Level
		cards func(i int) int
	}
	sets := []set{}
	for _, l := range boardgen.Levels {
		sets = append(sets, set{string(l), l, func(int) int { return 0 }})
	}
	sets = append(sets, set{"large", boardgen.Medium, func(i int) int { return 50 + (i*7)%31 }})
	var dirs []string
	for _, s := range sets {
		dir := filepath.Join(out, s.dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			base := filepath.Join(dir, fmt.Sprintf("%s-%d", s.dir, 1000+i))
			if _, err := os.Stat(base + ".json"); err == nil {
				continue
			}
			sm, err := boardgen.Generate(context.Background(), boardgen.Options{Level: s.level, Seed: uint64(1000 + i), Cards: s.cards(i)})
			if err != nil {
				return nil, err
			}
			tj, _ := json.Marshal(sm.Truth)
			if err := os.WriteFile(base+".jpg", sm.JPEG, 0o644); err != nil {
				return nil, err
			}
			if err := os.WriteFile(base+".json", tj, 0o644); err != nil {
				return nil, err
			}
			fmt.Fprintf(stderr, "generated %s.jpg\n", base)
		}
		dirs = append(dirs, dir)
	}
	return dirs, nil
}

// listPhotos returns the photos in dir that have a truth file.
func listPhotos(dir string) ([]photo, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ps []photo
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".jpg") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		t, err := boardgen.ReadTruth(strings.TrimSuffix(p, ".jpg") + ".json")
		if err != nil {
			continue // not a generated board
		}
		ps = append(ps, photo{p, t})
	}
	return ps, nil
}

// peerLine is one line of peer_decode.py --raw output.
type peerLine struct {
	Peer    string `json:"peer"`
	Image   string `json:"image"`
	Results []struct {
		Text *string `json:"text"`
	} `json:"results"`
	Ms float64 `json:"ms"`
}

// runPeers runs the peer script over the folders and scores each peer's
// decoded texts against the truth: a card counts when its exact text was
// decoded, a false key is a decoded card text not on the board.
func runPeers(tool, peers string, dirs []string, byPath map[string]photo, groupsOf func(*boardgen.Truth) []*tally, stderr io.Writer) error {
	if _, err := os.Stat(tool); err != nil {
		return err
	}
	cmd := exec.Command("python3", append([]string{tool, "--raw", "--peers", peers}, dirs...)...)
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(outPipe)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var l peerLine
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			continue
		}
		abs, err := filepath.Abs(l.Image)
		if err != nil {
			continue
		}
		p, ok := byPath[abs]
		if !ok {
			continue
		}
		texts := map[string]bool{}
		for _, r := range l.Results {
			if r.Text != nil {
				texts[*r.Text] = true
			}
		}
		found, headers, falseKeys := 0, 0, 0
		want := map[string]bool{}
		for _, c := range p.truth.Cards {
			want[c.Text] = true
			if texts[c.Text] {
				found++
			}
		}
		for _, c := range p.truth.Columns {
			if texts[c.Text] {
				headers++
			}
		}
		for t := range texts {
			if k, _ := board.ParseText(t); k == board.CardCode && !want[t] {
				falseKeys++
			}
		}
		for _, g := range groupsOf(p.truth) {
			g.peerFound[l.Peer] += found
			g.peerHeaders[l.Peer] += headers
			g.peerFalse[l.Peer] += falseKeys
			g.peerMs[l.Peer] = append(g.peerMs[l.Peer], l.Ms)
		}
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("%v: %s", err, errBuf.String())
	}
	for _, line := range strings.Split(errBuf.String(), "\n") {
		if strings.HasPrefix(line, "#") {
			fmt.Fprintln(stderr, line)
		}
	}
	return nil
}

func printTable(w io.Writer, order []string, groups map[string]*tally, peers []string) {
	rank := map[string]int{"easy": 0, "medium": 1, "50+": 2, "hard": 3, "beyond-hard": 4}
	sort.SliceStable(order, func(i, j int) bool { return rank[order[i]] < rank[order[j]] })
	fmt.Fprintf(w, "%-12s %6s %16s %9s %8s %11s %9s", "set", "photos", "cards found", "headers", "false", "column acc", "median")
	for _, p := range peers {
		fmt.Fprintf(w, " | %-24s", p+" cards (hdr, false, ms)")
	}
	fmt.Fprintln(w)
	for _, name := range order {
		g := groups[name]
		fmt.Fprintf(w, "%-12s %6d %16s %9s %8d %11s %7.0fms", name, g.photos, ratio(g.found, g.cards), fmt.Sprintf("%d/%d", g.headersFound, g.headers),
			len(g.falseKeys), pct(g.placed, g.found), median(g.ms))
		for _, p := range peers {
			fmt.Fprintf(w, " | %-24s", fmt.Sprintf("%s (%d, %d, %.0f)", ratio(g.peerFound[p], g.cards), g.peerHeaders[p], g.peerFalse[p], median(g.peerMs[p])))
		}
		fmt.Fprintln(w)
	}
}

func ratio(a, b int) string { return fmt.Sprintf("%d/%d %s", a, b, pct(a, b)) }

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}
