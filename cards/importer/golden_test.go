package importer

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output (review every diff by eye)")

// goldenOutput is what a golden file holds: the detected format and the issues.
type goldenOutput struct {
	Format Format
	Issues any
}

// TestGolden reads every input in testdata and compares the parsed issues
// with testdata/<input>.golden.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, in := range inputs {
		if strings.HasSuffix(in, ".golden") {
			continue
		}
		if st, err := os.Stat(in); err != nil || st.IsDir() {
			continue
		}
		n++
		t.Run(filepath.Base(in), func(t *testing.T) {
			issues, format, err := ReadFile(in)
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			got, err := json.MarshalIndent(goldenOutput{format, issues}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it, then review it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: output differs from the golden file; got:\n%s", in, got)
			}
		})
	}
	if n < 8 {
		t.Fatalf("found only %d golden inputs in testdata", n)
	}
}
