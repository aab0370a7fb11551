package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	_ "image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for the command: run re-executes
// it as "BINARY measure ...".
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "measure" {
		os.Exit(measure(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

var demoPhoto = filepath.Join("..", "..", "testdata", "demo", "board.jpg")

func photoSize(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Width, cfg.Height
}

func TestMeasure(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone.jpg")
	var out, errs bytes.Buffer
	if code := measure(context.Background(), []string{"-warmup", "-repeat", "2", "-effort", "fast", demoPhoto, missing}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	ss, err := parseSamples(&out)
	if err != nil {
		t.Fatal(err)
	}
	// Round-robin: photo, missing, photo, missing; no sample of the warm-up.
	if len(ss) != 4 {
		t.Fatalf("%d samples, want 4: %+v", len(ss), ss)
	}
	w, h := photoSize(t, demoPhoto)
	for i, s := range ss {
		wantPath, wantRep := []string{demoPhoto, missing}[i%2], i/2+1
		if s.Path != wantPath || s.Rep != wantRep {
			t.Errorf("sample %d is %s run %d, want %s run %d", i, s.Path, s.Rep, wantPath, wantRep)
		}
		if wantPath == missing {
			if !strings.Contains(s.Error, "gone.jpg") {
				t.Errorf("missing photo: error %q, want one naming it", s.Error)
			}
			continue
		}
		if s.Error != "" || s.Codes == 0 || s.Width != w || s.Height != h {
			t.Errorf("sample %+v: want %d×%d, codes read, no error", s, w, h)
		}
		if s.DecodeMS <= 0 || s.ScanMS <= 0 || s.TotalMS < s.DecodeMS+s.ScanMS-0.01 || s.Stages == nil {
			t.Errorf("sample %+v: want positive decode and scan times adding up to the total, stage times", s)
		}
	}
}

func TestMeasureArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "no PHOTO"},
		{[]string{"-effort", "max", "a.jpg"}, `effort "max"`},
		{[]string{"-repeat", "0", "a.jpg"}, "-repeat 0"},
		{[]string{"-bogus"}, "bogus"},
	}
	for _, tc := range tests {
		var out, errs bytes.Buffer
		if code := measure(context.Background(), tc.args, &out, &errs); code != 2 || !strings.Contains(errs.String(), tc.want) {
			t.Errorf("measure %q: exit %d, stderr %q; want 2 and %q", tc.args, code, errs.String(), tc.want)
		}
	}
}

func TestRunArgs(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--effort", "max", demoPhoto}, `effort "max"`},
		{[]string{"--repeat", "0", demoPhoto}, "--repeat 0"},
		{[]string{"--markdown", "--json", demoPhoto}, "exclude each other"},
		{[]string{filepath.Join(dir, "gone.jpg")}, "gone.jpg"},
		{[]string{dir}, "is a folder"},
	}
	for _, tc := range tests {
		var out, errs bytes.Buffer
		if code := run(context.Background(), tc.args, &out, &errs); code != 2 || !strings.Contains(errs.String(), tc.want) {
			t.Errorf("run %q: exit %d, stderr %q; want 2 and %q", tc.args, code, errs.String(), tc.want)
		}
	}
}

// jsonReport is the command's --json output.
type jsonReport struct {
	speedTable
	Samples map[string][]sample `json:"samples"`
}

// runJSON runs the command with --json and returns its report.
func runJSON(t *testing.T, args ...string) jsonReport {
	t.Helper()
	var out, errs bytes.Buffer
	if code := run(context.Background(), append([]string{"--json"}, args...), &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	return rep
}

// TestRunNative times the demo photo natively only, in two rounds (our
// helper is this test binary, see TestMain).
func TestRunNative(t *testing.T) {
	rep := runJSON(t, "--repeat", "2", "--effort", "fast", "--wasm=false", "--peers", "none", demoPhoto)
	if len(rep.Rows) != 1 {
		t.Fatalf("rows %+v, want one", rep.Rows)
	}
	r := rep.Rows[0]
	for _, d := range []string{native1, native2} {
		ss := rep.Samples[d]
		if len(ss) != 2 || ss[0].Rep != 1 || ss[1].Rep != 2 {
			t.Fatalf("%s: samples %+v, want rounds 1 and 2", d, ss)
		}
		b := r.Best[d]
		if b.Error != "" || b.Codes == 0 || b.TotalMS <= 0 || b.TotalMS != min(ss[0].TotalMS, ss[1].TotalMS) {
			t.Errorf("%s: best read %+v of %+v, want the faster timed read with codes", d, b, ss)
		}
	}
	if _, ok := r.Best[wasm]; ok {
		t.Errorf("wasm read with --wasm=false: %+v", r.Best[wasm])
	}
	if r.Best[native1].Codes != r.Best[native2].Codes {
		t.Errorf("1 thread read %d codes, 2 threads %d", r.Best[native1].Codes, r.Best[native2].Codes)
	}
}

// TestRunWasm builds the command for js/wasm and times the demo photo
// under node; the wasm build must read the same codes as the native one.
func TestRunWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("builds for wasm and runs node: not in -short")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	tab := runJSON(t, "--repeat", "1", "--effort", "fast", "--peers", "none", "--out", t.TempDir(), demoPhoto)
	if len(tab.Rows) != 1 {
		t.Fatalf("rows %+v, want one", tab.Rows)
	}
	r := tab.Rows[0]
	w, n := r.Best[wasm], r.Best[native1]
	if w.Error != "" || w.TotalMS <= 0 || w.Codes != n.Codes || w.Width != n.Width {
		t.Errorf("wasm read %+v, native %+v: want the same codes and size", w, n)
	}
	for _, note := range tab.Notes {
		if strings.Contains(note, "failed") {
			t.Errorf("note %q", note)
		}
	}
}
