package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParsePeerNotes(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		wantVersion map[string]string
		wantSkipped map[string]string
	}{
		{"versions and a skip",
			"# zxing-wasm: zxing-wasm 3.1.4 (node v20.20.2)\n" +
				"# zbar: skipped (needs zbar, cv2 importable (see header))\n" +
				"Traceback: something else\n",
			map[string]string{"zxing-wasm": "zxing-wasm 3.1.4 (node v20.20.2)"},
			map[string]string{"zbar": "needs zbar, cv2 importable (see header)"}},
		{"nothing", "", map[string]string{}, map[string]string{}},
		{"a comment that is not about a peer", "# just words here\n", map[string]string{}, map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, s := parsePeerNotes(tc.in)
			if !reflect.DeepEqual(v, tc.wantVersion) || !reflect.DeepEqual(s, tc.wantSkipped) {
				t.Errorf("versions %q skipped %q, want %q and %q", v, s, tc.wantVersion, tc.wantSkipped)
			}
		})
	}
}

func TestParseRawAnswers(t *testing.T) {
	links := map[string]sample{
		"r01-0000.jpg": {Path: "/p/a.jpg", Rep: 1},
		"r02-0000.jpg": {Path: "/p/a.jpg", Rep: 2},
	}
	tests := []struct {
		name    string
		in      string
		want    map[string][]sample
		wantErr string
	}{
		{"answers by peer",
			`{"peer": "zbar", "image": "/tmp/x/r01-0000.jpg", "results": [{"text": "A", "corners": [[0,0],[1,0],[1,1],[0,1]]}, {"text": "B"}], "ms": 12.5}` + "\n" +
				`{"peer": "zbar", "image": "/tmp/x/r02-0000.jpg", "results": [], "ms": 30000, "error": "timeout"}` + "\n" +
				`{"peer": "opencv", "image": "/tmp/x/r01-0000.jpg", "results": [{"text": null, "corners": []}], "ms": 3}` + "\n",
			map[string][]sample{
				"zbar": {
					{Path: "/p/a.jpg", Rep: 1, TotalMS: 12.5, Codes: 2},
					{Path: "/p/a.jpg", Rep: 2, TotalMS: 30000, Error: "timeout"},
				},
				"opencv": {{Path: "/p/a.jpg", Rep: 1, TotalMS: 3}},
			}, ""},
		{"nothing", "", map[string][]sample{}, ""},
		{"not JSON", "{\"peer\":\"zbar\",\"image\":\"r01-0000.jpg\",\"ms\":1}\nQUIRC is not linked\n", nil, "line 2"},
		{"unknown image", `{"peer":"zbar","image":"/tmp/x/other.jpg","ms":1}`, nil, `image "/tmp/x/other.jpg": not one of the photos sent`},
		{"no peer", `{"image":"r01-0000.jpg","ms":1}`, nil, "line 1: peer \"\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseRawAnswers(strings.NewReader(tc.in), links)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestLinkNames checks that the script, which reads a folder's images in
// name order, reads the photos round-robin: every photo once, then again.
func TestLinkNames(t *testing.T) {
	photos := []string{"b.JPG", "a.png", "c.jpeg"}
	var names, want []string
	for rep := 1; rep <= 3; rep++ {
		for i, p := range photos {
			names = append(names, linkName(rep, i, p))
			want = append(want, linkName(rep, i, p))
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Errorf("sorted link names %q, want reads in order %q", names, want)
	}
	if got := linkName(2, 1, "dir/a.PNG"); got != "r02-0001.png" {
		t.Errorf("linkName = %q, want r02-0001.png (lower-case extension for the script)", got)
	}
}

func TestRunPeersWithoutScript(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "peer_decode.py")
	pr, err := runPeers(context.Background(), missing, []string{zxing, zbar}, []string{"x.jpg"}, 1, 0, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{zxing, zbar} {
		if !strings.Contains(pr.Skipped[p], "peer_decode.py") {
			t.Errorf("peer %s skipped for %q, want a reason naming the missing script", p, pr.Skipped[p])
		}
	}
	if len(pr.Samples) != 0 {
		t.Errorf("samples %v without a script", pr.Samples)
	}
}

// TestRunPeers reads one photo with the peers actually installed.
func TestRunPeers(t *testing.T) {
	script := filepath.Join("..", "..", "..", "shared", "tools", "peer_decode.py")
	if _, err := os.Stat(script); err != nil {
		t.Skipf("peer script missing: %v", err)
	}
	if testing.Short() {
		t.Skip("runs the peers: not in -short")
	}
	photo := filepath.Join("..", "..", "testdata", "demo", "board.jpg")
	var stderr bytes.Buffer
	pr, err := runPeers(context.Background(), script, []string{zxing, zbar}, []string{photo}, 2, 0, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	for _, p := range []string{zxing, zbar} {
		if pr.Skipped[p] != "" {
			t.Logf("%s skipped: %s", p, pr.Skipped[p])
			continue
		}
		ss := pr.Samples[p]
		if len(ss) != 2 || ss[0].Rep != 1 || ss[1].Rep != 2 {
			t.Fatalf("%s: samples %+v, want runs 1 and 2", p, ss)
		}
		for _, s := range ss {
			if s.Path != photo || s.Error != "" || s.TotalMS <= 0 || s.Codes == 0 {
				t.Errorf("%s: sample %+v, want a timed read of %s with codes", p, s, photo)
			}
		}
	}
}
