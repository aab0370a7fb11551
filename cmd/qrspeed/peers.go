package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// peerRun is what the peer script reported: every read by peer, and each
// peer's version or the reason it was skipped.
type peerRun struct {
	Samples map[string][]sample
	Version map[string]string
	Skipped map[string]string
}

// runPeers has ../shared/tools/peer_decode.py read each photo once with
// the given peers, after one untimed warm-up read of the first photo, and
// returns their samples (run number 1). The script takes folders, so the
// photos are linked into a temporary folder under names it reads in
// order: "0-warmup.jpg", then "1-0000.jpg" for the first photo and so on.
// Without python3 or the script every peer is skipped with a reason.
func runPeers(ctx context.Context, script string, peers, photos []string, timeout time.Duration, stderr io.Writer) (peerRun, error) {
	pr := peerRun{Samples: map[string][]sample{}, Version: map[string]string{}, Skipped: map[string]string{}}
	skipAll := func(why string) (peerRun, error) {
		for _, p := range peers {
			pr.Skipped[p] = why
		}
		return pr, nil
	}
	if _, err := exec.LookPath("python3"); err != nil {
		return skipAll("needs python3 to run " + script)
	}
	if _, err := os.Stat(script); err != nil {
		return skipAll(fmt.Sprintf("peer script missing: %v", err))
	}
	if len(photos) == 0 {
		return pr, nil
	}
	dir, err := os.MkdirTemp("", "qrspeed-peers-")
	if err != nil {
		return pr, err
	}
	defer os.RemoveAll(dir)
	links := map[string]sample{} // link name → photo path; run 0 is the warm-up
	link := func(name, photo string, rep int) error {
		abs, err := filepath.Abs(photo)
		if err != nil {
			return err
		}
		if err := os.Symlink(abs, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("linking %s for the peers: %w", photo, err)
		}
		links[name] = sample{Path: photo, Rep: rep}
		return nil
	}
	if err := link(linkName(-1, photos[0]), photos[0], 0); err != nil {
		return pr, err
	}
	for i, p := range photos {
		if err := link(linkName(i, p), p, 1); err != nil {
			return pr, err
		}
	}
	args := []string{script, "--raw", "--peers", strings.Join(peers, ","),
		"--timeout", strconv.FormatFloat(timeout.Seconds(), 'f', -1, 64), dir}
	cmd := exec.CommandContext(ctx, "python3", args...)
	var out, errs bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = io.MultiWriter(&errs, stderr)
	if err := cmd.Run(); err != nil {
		return pr, fmt.Errorf("peer script %s: %w", script, err)
	}
	pr.Version, pr.Skipped = parsePeerNotes(errs.String())
	pr.Samples, err = parseRawAnswers(&out, links)
	return pr, err
}

// linkName names the link for the photo at index i (-1: the warm-up
// read); it keeps the photo's extension, by which the script recognises
// images.
func linkName(i int, photo string) string {
	ext := strings.ToLower(filepath.Ext(photo))
	if i < 0 {
		return "0-warmup" + ext
	}
	return fmt.Sprintf("1-%04d%s", i, ext)
}

// peerNote splits one line the script writes to stderr about a peer,
// "# zbar: zbar 0.23 (python3-zbar)" or "# zbar: skipped (why)", into the
// peer's name (letters, digits, '_', '.', '-') and the note.
func peerNote(line string) (peer, note string, ok bool) {
	rest, ok := strings.CutPrefix(line, "# ")
	if !ok {
		return "", "", false
	}
	peer, note, ok = strings.Cut(rest, ": ")
	if !ok || peer == "" || strings.ContainsFunc(peer, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-')
	}) {
		return "", "", false
	}
	return peer, note, true
}

// parsePeerNotes reads the script's stderr for each peer's version or the
// reason it was skipped; other lines are ignored.
func parsePeerNotes(text string) (version, skipped map[string]string) {
	version, skipped = map[string]string{}, map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		peer, note, ok := peerNote(strings.TrimSpace(line))
		if !ok {
			continue
		}
		if why, ok := strings.CutPrefix(note, "skipped ("); ok && strings.HasSuffix(why, ")") {
			skipped[peer] = strings.TrimSuffix(why, ")")
		} else {
			version[peer] = note
		}
	}
	return version, skipped
}

// rawAnswer is one line of the script's --raw output.
type rawAnswer struct {
	Peer    string  `json:"peer"`
	Image   string  `json:"image"`
	MS      float64 `json:"ms"`
	Error   string  `json:"error"`
	Results []struct {
		Text *string `json:"text"`
	} `json:"results"`
}

// parseRawAnswers turns the script's --raw lines into samples by peer;
// links maps each image's base name to its photo path and run number.
// Answers for run 0 (warm-up reads) are dropped.
// A line that is not an answer, or names an image not in links, is an
// error naming its line number.
func parseRawAnswers(r io.Reader, links map[string]sample) (map[string][]sample, error) {
	out := map[string][]sample{}
	err := eachLine(r, func(n int, line []byte) error {
		var a rawAnswer
		if err := json.Unmarshal(line, &a); err != nil {
			return fmt.Errorf("peer script output line %d: %w: %.80q", n, err, line)
		}
		s, ok := links[filepath.Base(a.Image)]
		if a.Peer == "" || !ok {
			return fmt.Errorf("peer script output line %d: peer %q, image %q: not one of the photos sent", n, a.Peer, a.Image)
		}
		if s.Rep == 0 {
			return nil
		}
		s.TotalMS, s.Error = a.MS, a.Error
		for _, res := range a.Results {
			if res.Text != nil {
				s.Codes++
			}
		}
		out[a.Peer] = append(out[a.Peer], s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
