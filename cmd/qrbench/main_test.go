package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runBench(args ...string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = run(context.Background(), args, &out, &errb)
	return status, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--effort", "extreme", "x"},
		{"--markdown", "--json", "x"},
		{"--bogus", "x"},
	} {
		if status, _, errs := runBench(args...); status != 2 || !strings.Contains(errs, "qrbench") {
			t.Errorf("%q: status %d, stderr %q; want 2 and a message", args, status, errs)
		}
	}
	status, _, errs := runBench("--peers", "none", filepath.Join(t.TempDir(), "missing"))
	if status != 1 || !strings.Contains(errs, "missing") {
		t.Errorf("missing folder: status %d, stderr %q; want 1 naming it", status, errs)
	}
}

// TestPeersMerged runs qrbench on a one-image folder with a fake peer
// script and checks that both decoders land in one row.
func TestPeersMerged(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed")
	}
	dir := t.TempDir()
	set := filepath.Join(dir, "photos", "set1")
	if err := os.MkdirAll(set, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 40))); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"a.png": buf.Bytes(), "a.txt": []byte("hello")} {
		if err := os.WriteFile(filepath.Join(set, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "fake.py")
	src := `import json, sys
import os
folder = os.path.join(sys.argv[-1], "set1")  # the script expands the root it is given
print("# fakepeer: v9", file=sys.stderr)
print(json.dumps({"peers": {"fakepeer": {"version": "v9"}, "gone": {"skipped": "not installed"}},
  "results": [{"peer": "fakepeer", "folder": folder, "kind": "text", "images": 1, "present": 1,
  "read": 1, "located": 0, "false": 0, "errors": 0, "timeouts": 0, "scored": True, "median_ms": 2.0}]}))
`
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	status, out, errs := runBench("--script", script, "--markdown", filepath.Join(dir, "photos"))
	if status != 0 {
		t.Fatalf("status %d, stderr %q", status, errs)
	}
	for _, want := range []string{
		"| set | images | present | cardwall | fakepeer |\n|---|---|---|---|---|\n| photos/set1 | 1 | 1 | 0/1 · 0 · ",
		" | **1/1** · 0 · 2 |\n| **photos total** | 1 | 1 | 0/1 · 0 | **1/1** · 0 |\n",
		"- fakepeer: v9", "- gone: skipped (not installed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "set1: 0/1, false 0") {
		t.Errorf("stderr lacks our progress line: %q", errs)
	}

	status, out, _ = runBench("--peers", "none", "--json", set)
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); status != 0 || err != nil || len(rep.Results) != 1 || rep.Results[0].Present != 1 {
		t.Errorf("--json: status %d, %v, report %+v", status, err, rep)
	}
}

// TestDataset reads one ZXing blackbox set and checks that codes are read.
func TestDataset(t *testing.T) {
	if testing.Short() {
		t.Skip("scans a photo set")
	}
	set := filepath.Join("..", "..", "..", "shared", "datasets", "zxing-blackbox", "qrcode-6")
	if _, err := os.Stat(set); err != nil {
		t.Skipf("shared datasets missing: %v", err)
	}
	status, out, errs := runBench("--peers", "none", set)
	if status != 0 || !strings.Contains(out, "zxing-blackbox/qrcode-6  15") {
		t.Fatalf("status %d, stdout %q, stderr %q", status, out, errs)
	}
	var read, present int
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "zxing-blackbox/qrcode-6") {
			f := strings.Fields(l)
			if _, err := fmt.Sscanf(strings.TrimPrefix(f[3], "*"), "%d/%d", &read, &present); err != nil {
				t.Fatalf("row %q: %v", l, err)
			}
		}
	}
	if present != 15 || read == 0 {
		t.Errorf("read %d of %d, want some of 15", read, present)
	}
}
