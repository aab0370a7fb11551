package qreval

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseLabel(t *testing.T) {
	q1 := Quad{{1, 2}, {3, 4}, {5, 6}, {7, 8}}
	tests := []struct {
		name    string
		data    string
		want    Label
		wantErr string // substring of the error; "" for no error
	}{
		{name: "sets form, two codes",
			data: "# list of hand selected 2D points\nSETS\n1 2 3 4 5 6 7 8\n-1.5 2e3 0.25 1E-2 9 10 11 12\n",
			want: Label{Kind: CornerLabel, Codes: []Quad{q1, {{-1.5, 2000}, {0.25, 0.01}, {9, 10}, {11, 12}}}}},
		{name: "old form, four lines of x y",
			data: "# list of hand selected 2D points\n1 2\n3 4\n5 6\n7 8\n",
			want: Label{Kind: CornerLabel, Codes: []Quad{q1}}},
		{name: "CRLF and blank lines",
			data: "# c\r\n\r\nSETS\r\n  1 2 3 4 5 6 7 8  \r\n\r\n",
			want: Label{Kind: CornerLabel, Codes: []Quad{q1}}},
		{name: "SETS first, no comment",
			data: "SETS\n1 2 3 4 5 6 7 8",
			want: Label{Kind: CornerLabel, Codes: []Quad{q1}}},
		{name: "comments between codes",
			data: "# a\nSETS\n# b\n1 2 3 4 5 6 7 8\n",
			want: Label{Kind: CornerLabel, Codes: []Quad{q1}}},
		{name: "SETS without codes",
			data: "# nothing here\nSETS\n",
			want: Label{Kind: CornerLabel, Codes: []Quad{}}},
		{name: "numbers without a leading comment are text",
			data: "1 2 3 4 5 6 7 8",
			want: Label{Kind: TextLabel, Text: "1 2 3 4 5 6 7 8"}},
		{name: "url", data: "http://example.com/?a=1",
			want: Label{Kind: TextLabel, Text: "http://example.com/?a=1"}},
		{name: "CRLF text kept byte for byte", data: "BEGIN:VCARD\r\nN:Doe\r\nEND:VCARD\r\n",
			want: Label{Kind: TextLabel, Text: "BEGIN:VCARD\r\nN:Doe\r\nEND:VCARD\r\n"}},
		{name: "comment then words is text", data: "# heading\nhello world\n",
			want: Label{Kind: TextLabel, Text: "# heading\nhello world\n"}},
		{name: "only a comment is text", data: "# just this",
			want: Label{Kind: TextLabel, Text: "# just this"}},
		{name: "not a number: +1 is text", data: "# c\nSETS\n+1 2 3 4 5 6 7 8\n",
			want: Label{Kind: TextLabel, Text: "# c\nSETS\n+1 2 3 4 5 6 7 8\n"}},
		{name: "not a number: .5 is text", data: "# c\nSETS\n.5 2 3 4 5 6 7 8\n",
			want: Label{Kind: TextLabel, Text: "# c\nSETS\n.5 2 3 4 5 6 7 8\n"}},
		{name: "empty file is text", data: "", want: Label{Kind: TextLabel, Text: ""}},
		{name: "short code line", data: "# c\nSETS\n1 2 3 4 5 6 7 8\n1 2 3\n",
			wantErr: "lab.txt:4: a code needs 8 numbers (x0 y0 x1 y1 x2 y2 x3 y3), found 3"},
		{name: "long code line", data: "# c\nSETS\n1 2 3 4 5 6 7 8 9 10\n",
			wantErr: "lab.txt:3: a code needs 8 numbers"},
		{name: "old form with 3 points", data: "# c\n1 2\n3 4\n5 6\n",
			wantErr: "lab.txt:2: old-form label"},
		{name: "number out of range", data: "# c\nSETS\n1 2 3 4 5 6 7 1e999\n",
			wantErr: `lab.txt:3: number 8 "1e999" is out of range`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLabel("lab.txt", []byte(tc.data))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseLabel(%q) error = %v, want one containing %q", tc.data, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLabel(%q): %v", tc.data, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseLabel(%q) = %+v, want %+v", tc.data, got, tc.want)
			}
		})
	}
}

func TestIsLabelNumber(t *testing.T) {
	for f, want := range map[string]bool{
		"0": true, "-12": true, "3.25": true, "1e5": true, "1E-5": true, "-2.5e+3": true,
		"": false, "-": false, "+1": false, ".5": false, "5.": false, "1e": false, "1e+": false,
		"0x10": false, "Inf": false, "NaN": false, "1_000": false, "1,5": false, "--1": false,
	} {
		if got := isLabelNumber(f); got != want {
			t.Errorf("isLabelNumber(%q) = %v, want %v", f, got, want)
		}
	}
}

// FuzzParseLabel checks that any input gives a label or an error, never a
// panic; that text labels keep the input byte for byte; and that corner
// labels hold finite numbers that survive a round trip through the format.
func FuzzParseLabel(f *testing.F) {
	for _, s := range []string{
		"# list of hand selected 2D points\nSETS\n211.6417910447761 153.13 211.49 89.10 278.95 89.10 283.73 151.94\n",
		"# list of hand selected 2D points\n1 2\n3 4\n5 6\n7 8\n",
		"MEBKM:TITLE:zxing;URL:http\\://code.google.com/p/zxing;;",
		"BEGIN:VCARD\r\nEND:VCARD",
		"# c\nSETS\n1 2 3\n",
		"SETS\n",
		"\x85# c\u2028SETS\v1 2 3 4 5 6 7 8",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lab, err := ParseLabel("fuzz.txt", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.txt:") {
				t.Fatalf("error does not name the file and line: %v", err)
			}
			return
		}
		if lab.Kind == TextLabel {
			if lab.Text != string(data) {
				t.Fatalf("text label %q differs from input %q", lab.Text, data)
			}
			return
		}
		var b strings.Builder
		b.WriteString("# round trip\nSETS\n")
		for _, q := range lab.Codes {
			for i, p := range q {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(formatLabelNumber(p.X) + " " + formatLabelNumber(p.Y))
			}
			b.WriteByte('\n')
		}
		again, err := ParseLabel("again.txt", []byte(b.String()))
		if err != nil {
			t.Fatalf("re-parsing %q: %v", b.String(), err)
		}
		if !reflect.DeepEqual(again.Codes, lab.Codes) {
			t.Fatalf("round trip changed codes: %v, then %v", lab.Codes, again.Codes)
		}
	})
}

// formatLabelNumber writes v in the label number syntax (no '+', digits
// before any '.').
func formatLabelNumber(v float64) string {
	s := strconv.FormatFloat(v, 'e', -1, 64)
	return strings.Replace(s, "e+", "e", 1)
}

// TestParseLabelDatasets parses every label file of the shared datasets:
// every BoofCV file must be a corner label, every ZXing file a text label.
func TestParseLabelDatasets(t *testing.T) {
	root := datasetsDir(t)
	for dir, want := range map[string]LabelKind{"boofcv-qrcodes": CornerLabel, "zxing-blackbox": TextLabel} {
		sets, err := LoadSets(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range sets {
			for _, im := range s.Images {
				n++
				if im.Label.Kind != want {
					t.Errorf("%s: label kind %v, want %v", im.Path, im.Label.Kind, want)
				}
				if want == CornerLabel && len(im.Label.Codes) == 0 {
					t.Errorf("%s: no labelled codes", im.Path)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no labelled images found", dir)
		}
	}
}

// datasetsDir returns the shared datasets folder, or skips the test if it
// is missing.
func datasetsDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join("..", "..", "..", "shared", "datasets")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("shared datasets not found at %s: %v", d, err)
	}
	return d
}
