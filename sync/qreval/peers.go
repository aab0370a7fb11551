package qreval

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultPeerScript is the peer script's path from the repository root.
const DefaultPeerScript = "../shared/tools/peer_decode.py"

// PeerOptions tunes RunPeers.
type PeerOptions struct {
	Script  string        // path of peer_decode.py; DefaultPeerScript when empty
	Dir     string        // working directory for the script; the current one when empty
	Peers   []string      // peers to run; the script's default (all) when empty
	Timeout time.Duration // time limit per image; the script's default when zero
	// Stderr receives the script's messages (versions, skipped peers).
	Stderr io.Writer
}

// PeerInfo is what the peer script says about one peer.
type PeerInfo struct {
	Version string `json:"version,omitempty"`
	Skipped string `json:"skipped,omitempty"` // why the peer did not run
}

// PeerRun is the peer script's report on a set of folders.
type PeerRun struct {
	Peers   map[string]PeerInfo `json:"peers"`
	Results []SetResult         `json:"results"`
}

// RunPeers runs `python3 SCRIPT --json [--peers LIST] [--timeout S]
// FOLDER...` and parses its report. Result folders are made absolute, so
// they compare with filepath.Abs of the folders given. Peers that are not
// installed are listed in PeerRun.Peers with the script's reason.
func RunPeers(ctx context.Context, folders []string, opt PeerOptions) (PeerRun, error) {
	script := opt.Script
	if script == "" {
		script = DefaultPeerScript
	}
	args := []string{script, "--json"}
	if len(opt.Peers) > 0 {
		args = append(args, "--peers", strings.Join(opt.Peers, ","))
	}
	if opt.Timeout > 0 {
		args = append(args, "--timeout", strconv.FormatFloat(opt.Timeout.Seconds(), 'f', -1, 64))
	}
	args = append(args, folders...)
	cmd := exec.CommandContext(ctx, "python3", args...)
	cmd.Dir = opt.Dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = opt.Stderr
	if cmd.Stderr == nil {
		cmd.Stderr = io.Discard
	}
	if err := cmd.Run(); err != nil {
		return PeerRun{}, fmt.Errorf("peer script %s: %w", script, err)
	}
	return parsePeerReport(out.Bytes(), opt.Dir)
}

// parsePeerReport decodes the script's JSON and makes result folders
// absolute, taking relative ones from dir (the script's working directory).
func parsePeerReport(data []byte, dir string) (PeerRun, error) {
	var pr PeerRun
	if err := json.Unmarshal(data, &pr); err != nil {
		return PeerRun{}, fmt.Errorf("peer script output is not its JSON report: %w", err)
	}
	for i := range pr.Results {
		f := pr.Results[i].Folder
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			return PeerRun{}, fmt.Errorf("peer script result folder %q: %w", pr.Results[i].Folder, err)
		}
		pr.Results[i].Folder = abs
	}
	return pr, nil
}
