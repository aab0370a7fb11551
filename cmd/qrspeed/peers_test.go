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
		"0-warmup.jpg": {Path: "/p/a.jpg", Rep: 0},
		"1-0000.jpg":   {Path: "/p/a.jpg", Rep: 1},
		"1-0001.jpg":   {Path: "/p/b.jpg", Rep: 1},
	}
	tests := []struct {
		name    string
		in      string
		want    map[string][]sample
		wantErr string
	}{
		{"answers by peer",
			`{"peer": "zbar", "image": "/tmp/x/0-warmup.jpg", "results": [{"text": "A"}], "ms": 99}` + "\n" +
				`{"peer": "zbar", "image": "/tmp/x/1-0000.jpg", "results": [{"text": "A", "corners": [[0,0],[1,0],[1,1],[0,1]]}, {"text": "B"}], "ms": 12.5}` + "\n" +
				`{"peer": "zbar", "image": "/tmp/x/1-0001.jpg", "results": [], "ms": 30000, "error": "timeout"}` + "\n" +
				`{"peer": "opencv", "image": "/tmp/x/1-0000.jpg", "results": [{"text": null, "corners": []}], "ms": 3}` + "\n",
			map[string][]sample{
				"zbar": {
					{Path: "/p/a.jpg", Rep: 1, TotalMS: 12.5, Codes: 2},
					{Path: "/p/b.jpg", Rep: 1, TotalMS: 30000, Error: "timeout"},
				},
				"opencv": {{Path: "/p/a.jpg", Rep: 1, TotalMS: 3}},
			}, ""},
		{"nothing", "", map[string][]sample{}, ""},
		{"not JSON", "{\"peer\":\"zbar\",\"image\":\"1-0000.jpg\",\"ms\":1}\nQUIRC is not linked\n", nil, "line 2"},
		{"unknown image", `{"peer":"zbar","image":"/tmp/x/other.jpg","ms":1}`, nil, `image "/tmp/x/other.jpg": not one of the photos sent`},
		{"no peer", `{"image":"1-0000.jpg","ms":1}`, nil, "line 1: peer \"\""},
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
// name order, reads the warm-up first and then the photos in order.
func TestLinkNames(t *testing.T) {
	photos := []string{"b.JPG", "a.png", "c.jpeg"}
	want := []string{linkName(-1, photos[0])}
	for i, p := range photos {
		want = append(want, linkName(i, p))
	}
	names := slices.Clone(want)
	slices.Reverse(names)
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Errorf("sorted link names %q, want reads in order %q", names, want)
	}
	for _, tc := range []struct {
		i     int
		photo string
		want  string
	}{
		{1, "dir/a.PNG", "1-0001.png"}, // lower-case extension for the script
		{-1, "dir/x.jpg", "0-warmup.jpg"},
		{12345, "y.webp", "1-12345.webp"},
	} {
		if got := linkName(tc.i, tc.photo); got != tc.want {
			t.Errorf("linkName(%d, %q) = %q, want %q", tc.i, tc.photo, got, tc.want)
		}
	}
}

func TestRunPeersWithoutScript(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "peer_decode.py")
	pr, err := runPeers(context.Background(), missing, []string{zxing, zbar}, []string{"x.jpg"}, 0, &bytes.Buffer{})
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
	photos := []string{photo, filepath.Join("..", "..", "testdata", "boards", "easy-1.jpg")}
	pr, err := runPeers(context.Background(), script, []string{zxing, zbar}, photos, 0, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	for _, p := range []string{zxing, zbar} {
		if pr.Skipped[p] != "" {
			t.Logf("%s skipped: %s", p, pr.Skipped[p])
			continue
		}
		ss := pr.Samples[p]
		if len(ss) != len(photos) {
			t.Fatalf("%s: samples %+v, want one per photo (no warm-up)", p, ss)
		}
		for i, s := range ss {
			if s.Path != photos[i] || s.Rep != 1 || s.Error != "" || s.TotalMS <= 0 || s.Codes == 0 {
				t.Errorf("%s: sample %+v, want a timed read of %s with codes", p, s, photos[i])
			}
		}
	}
}
