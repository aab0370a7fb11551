package qreval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const sampleReport = `{
 "peers": {"zxing-cpp": {"version": "zxing-cpp 1.4.0"}, "zbar": {"skipped": "needs zbar"}},
 "folders": ["../data/qrcode-5"],
 "results": [{"folder": "../data/qrcode-5", "kind": "text", "images": 19, "present": 19,
   "read": 18, "located": 0, "false": 1, "errors": 0, "timeouts": 2, "scored": true,
   "median_ms": 1.9, "peer": "zxing-cpp"}]
}`

func TestParsePeerReport(t *testing.T) {
	pr, err := parsePeerReport([]byte(sampleReport), "/repo/main")
	if err != nil {
		t.Fatal(err)
	}
	want := SetResult{Decoder: "zxing-cpp", Folder: "/repo/data/qrcode-5", Kind: "text", Images: 19, Timeouts: 2,
		Scored: true, MedianMS: 1.9, Tally: Tally{Present: 19, Read: 18, False: 1}}
	if len(pr.Results) != 1 || pr.Results[0].Folder != want.Folder || pr.Results[0].Tally != want.Tally ||
		pr.Results[0].Decoder != want.Decoder || pr.Results[0].MedianMS != want.MedianMS || pr.Results[0].Timeouts != 2 {
		t.Errorf("results %+v, want [%+v]", pr.Results, want)
	}
	if pr.Peers["zbar"].Skipped != "needs zbar" || pr.Peers["zxing-cpp"].Version != "zxing-cpp 1.4.0" {
		t.Errorf("peers %+v", pr.Peers)
	}
	if _, err := parsePeerReport([]byte("Traceback (most recent call last):"), "."); err == nil ||
		!strings.Contains(err.Error(), "not its JSON report") {
		t.Errorf("garbage output: error %v", err)
	}
}

func needPython(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("no subprocesses under wasm")
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed")
	}
}

func TestRunPeersFakeScript(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "fake.py")
	// The fake script checks its arguments and prints the sample report.
	src := "import sys\n" +
		"assert sys.argv[1:] == ['--json', '--peers', 'zxing-cpp,zbar', '--timeout', '2.5', 'f1', 'f2'], sys.argv\n" +
		"print('# zbar: skipped (needs zbar)', file=sys.stderr)\n" +
		"print(" + pyString(sampleReport) + ")\n"
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	pr, err := RunPeers(context.Background(), []string{"f1", "f2"},
		PeerOptions{Script: script, Dir: dir, Peers: []string{"zxing-cpp", "zbar"}, Timeout: 2500e6, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	if len(pr.Results) != 1 || pr.Results[0].Folder != filepath.Join(filepath.Dir(dir), "data", "qrcode-5") {
		t.Errorf("results %+v", pr.Results)
	}
	if !strings.Contains(stderr.String(), "zbar: skipped") {
		t.Errorf("script stderr not passed on: %q", stderr.String())
	}
	_, err = RunPeers(context.Background(), nil, PeerOptions{Script: filepath.Join(dir, "missing.py"), Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "missing.py") {
		t.Errorf("missing script: error %v", err)
	}
}

func pyString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestScoreMatchesPeerScript feeds what a peer decoded (the script's --raw
// output) to Score and checks the totals against the script's own scoring
// of the same run. QREVAL_CROSSCHECK_PEERS picks the peers (default
// zxing-cpp); QREVAL_CROSSCHECK_ALL=1 checks every shared folder.
func TestScoreMatchesPeerScript(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the peer script")
	}
	needPython(t)
	root := datasetsDir(t)
	script := filepath.Join("..", "..", DefaultPeerScript)
	peers := os.Getenv("QREVAL_CROSSCHECK_PEERS")
	if peers == "" {
		peers = "zxing-cpp"
	}
	folders := []string{filepath.Join(root, "zxing-blackbox", "qrcode-2"), filepath.Join(root, "boofcv-qrcodes", "rotations"),
		filepath.Join(root, "boofcv-qrcodes", "perspective")}
	if os.Getenv("QREVAL_CROSSCHECK_ALL") == "1" {
		folders = []string{filepath.Join(root, "zxing-blackbox"), filepath.Join(root, "boofcv-qrcodes")}
	}
	pr, err := RunPeers(context.Background(), folders, PeerOptions{Script: script, Peers: strings.Split(peers, ",")})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := exec.Command("python3", append([]string{script, "--raw", "--peers", peers}, folders...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	sets, err := LoadSets(folders...)
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]Label{}
	for _, s := range sets {
		for _, im := range s.Images {
			labels[absPath(im.Path)] = im.Label
		}
	}
	got := map[[2]string]Tally{} // peer, folder
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var line struct {
			Peer    string
			Image   string
			Results []struct {
				Text    *string
				Corners [][]float64
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("raw line %q: %v", sc.Text(), err)
		}
		lab, ok := labels[absPath(line.Image)]
		if !ok {
			continue // an image without a label file
		}
		var rs []Result
		for _, r := range line.Results {
			res := Result{Decoded: r.Text != nil}
			if r.Text != nil {
				res.Text = *r.Text
			}
			for _, c := range r.Corners {
				res.Corners = append(res.Corners, Point{c[0], c[1]})
			}
			rs = append(rs, res)
		}
		key := [2]string{line.Peer, absPath(filepath.Dir(line.Image))}
		tally := got[key]
		tally.Add(Score(lab, rs))
		got[key] = tally
	}
	if len(pr.Results) == 0 {
		t.Fatalf("the peer script scored nothing (peers %v)", pr.Peers)
	}
	for _, r := range pr.Results {
		if r.Timeouts > 0 || r.Errors > 0 {
			t.Logf("%s %s: %d timeouts, %d errors: runs may differ", r.Decoder, r.Folder, r.Timeouts, r.Errors)
			continue
		}
		t.Logf("%s %s: %+v", r.Decoder, r.Folder, r.Tally)
		if g := got[[2]string{r.Decoder, r.Folder}]; g != r.Tally {
			t.Errorf("%s %s: Score gives %+v, the peer script %+v", r.Decoder, r.Folder, g, r.Tally)
		}
	}
}
