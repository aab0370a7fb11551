package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const demoIssues = "../../testdata/demo/issues.json"

func TestPrintMarkersTemplatesCLI(t *testing.T) {
	dir := t.TempDir()
	badTpl := filepath.Join(dir, "bad.json")
	os.WriteFile(badTpl, []byte(`{"version": 1, "nme": "x"}`), 0o644)
	tests := []struct {
		args       []string
		status     int
		stdout     string // substring
		stderr     string // substring
		wantOutput string // file that must hold a PDF afterwards
	}{
		{[]string{"print", "--issues", demoIssues, "-o", filepath.Join(dir, "cards.pdf")}, 0, "", "24 cards on 3 pages (jira-json, template a4-2x4)", filepath.Join(dir, "cards.pdf")},
		{[]string{"print", "--issues", demoIssues, "--template", "sticky-76", "-o", "-"}, 0, "%PDF-1.3", "24 cards on 4 pages", ""},
		{[]string{"print"}, 2, "", "--issues FILE is required", ""},
		{[]string{"print", "--issues", demoIssues, "extra"}, 2, "", `unexpected argument "extra"`, ""},
		{[]string{"print", "--issues", demoIssues, "--template", "nope"}, 1, "", `template "nope" is neither a built-in`, ""},
		{[]string{"print", "--issues", demoIssues, "--template", badTpl}, 1, "", `bad.json:1:16: nme: unknown field "nme"`, ""},
		{[]string{"print", "--issues", filepath.Join(dir, "missing.json")}, 1, "", "no such file", ""},
		{[]string{"print", "--issues", demoIssues, "-o", filepath.Join(dir, "no", "dir.pdf")}, 1, "", "write ", ""},
		{[]string{"markers", "--columns", "To Do,In Progress,Review,Done", "-o", filepath.Join(dir, "h.pdf")}, 0, "", "4 column headers on 1 page", filepath.Join(dir, "h.pdf")},
		{[]string{"markers", "--columns", "Done,done"}, 2, "", `"Done" and "done" give the same header code`, ""},
		{[]string{"markers", "--columns", "A,,B"}, 2, "", "entry 2 is empty", ""},
		{[]string{"markers"}, 2, "", "--columns LIST is required", ""},
		{[]string{"markers", "-h"}, 0, "", "usage: cardwall markers", ""},
		{[]string{"templates"}, 0, "a4-2x4      A4 portrait      8 (2×4)     95×67        30", "", ""},
		{[]string{"templates", "show", "sticky-76"}, 0, `"name": "sticky-76"`, "", ""},
		{[]string{"templates", "show", "nope"}, 1, "", `no built-in template "nope"`, ""},
		{[]string{"templates", "check", badTpl}, 1, "", `unknown field "nme"`, ""},
		{[]string{"templates", "check", "a6"}, 0, `template "a6" is valid (A6 landscape, 1×1 cards of 148×105 mm)`, "", ""},
		{[]string{"templates", "bogus"}, 2, "", "unexpected arguments", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(tt.args, &stdout, &stderr)
			if status != tt.status {
				t.Errorf("status %d, want %d; stderr:\n%s", status, tt.status, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout %.200q lacks %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
			if tt.wantOutput != "" {
				b, err := os.ReadFile(tt.wantOutput)
				if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("%%EOF")) {
					t.Errorf("output %s is not a complete PDF: %v", tt.wantOutput, err)
				}
			}
		})
	}
	// No temporary files are left behind, after success or failure.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
