package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/cardwall/cardwall/sync/qreval"
)

// Decoder names: ours natively on one and two threads, ours as wasm under
// node, and the peers (named as peer_decode.py names them).
const (
	native1 = "native-1p"
	native2 = "native-2p"
	wasm    = "wasm"
	zxing   = "zxing-wasm"
	zbar    = "zbar"
)

// parseSamples reads the measure subcommand's JSON lines. A line that is
// not a sample is an error naming its line number.
func parseSamples(r io.Reader) ([]sample, error) {
	var out []sample
	err := eachLine(r, func(n int, line []byte) error {
		var s sample
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			return fmt.Errorf("line %d: not a sample: %w: %.80q", n, err, line)
		}
		if s.Path == "" || s.Rep < 1 {
			return fmt.Errorf("line %d: sample without path or run number: %.80q", n, line)
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachLine calls f with the number (from 1) and the trimmed text of every
// non-blank line of r (lines up to 16 MB), stopping at f's first error.
func eachLine(r io.Reader, f func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := f(n, line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// best picks, for each photo path, the read with the least total time
// among those without an error; a photo whose every read failed keeps its
// first failed read.
func best(samples []sample) map[string]sample {
	out := map[string]sample{}
	for _, s := range samples {
		b, ok := out[s.Path]
		switch {
		case !ok,
			b.Error != "" && s.Error == "",
			b.Error == "" && s.Error == "" && s.TotalMS < b.TotalMS:
			out[s.Path] = s
		}
	}
	return out
}

// codeRange gives, for each photo path, the fewest and most codes any
// read without an error decoded (some decoders, zbar among them, do not
// decode the same codes on every read of a photo).
func codeRange(samples []sample) map[string][2]int {
	out := map[string][2]int{}
	for _, s := range samples {
		if s.Error != "" {
			continue
		}
		r, ok := out[s.Path]
		if !ok {
			r = [2]int{s.Codes, s.Codes}
		}
		out[s.Path] = [2]int{min(r[0], s.Codes), max(r[1], s.Codes)}
	}
	return out
}

// median returns the middle value of xs (the mean of the two middle ones
// for an even count); ok is false for none.
func median(xs []float64) (m float64, ok bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2], true
	} else {
		return (s[n/2-1] + s[n/2]) / 2, true
	}
}

// photoRow is one photo with each decoder's best read and the range of
// codes its reads decoded.
type photoRow struct {
	Photo string            `json:"photo"` // short name: parent folder and base name
	Path  string            `json:"path"`
	Best  map[string]sample `json:"best"`  // fastest read by decoder name
	Codes map[string][2]int `json:"codes"` // fewest and most codes decoded in a read, by decoder name
}

// speedTable is the command's result: one row per photo.
type speedTable struct {
	Rows  []photoRow `json:"photos"`
	Notes []string   `json:"notes"` // printed under the table
}

// newSpeedTable builds the rows for photos (in their order) from each
// decoder's samples, and adds notes for failed reads, for decoders whose
// reads of a photo decoded different numbers of codes, and for photos
// where the wasm build decoded a different number than native.
func newSpeedTable(photos []string, samples map[string][]sample) speedTable {
	var t speedTable
	bests, ranges := map[string]map[string]sample{}, map[string]map[string][2]int{}
	for d, ss := range samples {
		bests[d], ranges[d] = best(ss), codeRange(ss)
	}
	for _, p := range photos {
		r := photoRow{Photo: filepath.Base(filepath.Dir(p)) + "/" + filepath.Base(p), Path: p,
			Best: map[string]sample{}, Codes: map[string][2]int{}}
		for _, d := range []string{native1, native2, wasm, zxing, zbar} {
			if s, ok := bests[d][p]; ok {
				r.Best[d] = s
				if s.Error != "" {
					t.Notes = append(t.Notes, fmt.Sprintf("%s on %s failed: %s", d, r.Photo, s.Error))
				}
			}
			if c, ok := ranges[d][p]; ok {
				r.Codes[d] = c
				if c[0] != c[1] {
					t.Notes = append(t.Notes, fmt.Sprintf("%s on %s: reads decoded %d to %d codes", d, r.Photo, c[0], c[1]))
				}
			}
		}
		n, okn := r.Codes[native1]
		w, okw := r.Codes[wasm]
		if okn && okw && n != w {
			t.Notes = append(t.Notes, fmt.Sprintf("%s: wasm decoded %s codes, native %s", r.Photo, span(w), span(n)))
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// span formats a range of code counts: "5" or "5-14".
func span(c [2]int) string {
	if c[0] == c[1] {
		return strconv.Itoa(c[0])
	}
	return fmt.Sprintf("%d-%d", c[0], c[1])
}

// Quantities of a sample.
func total(s sample) float64    { return s.TotalMS }
func decodeMS(s sample) float64 { return s.DecodeMS }
func scanMS(s sample) float64   { return s.ScanMS }

// value is decoder d's quantity f on this photo; ok is false when d has
// no successful read of it.
func (r photoRow) value(d string, f func(sample) float64) (float64, bool) {
	s, ok := r.Best[d]
	if !ok || s.Error != "" {
		return 0, false
	}
	return f(s), true
}

// mostCodes is the most codes decoder d decoded in a read of this photo.
func (r photoRow) mostCodes(d string) (float64, bool) {
	c, ok := r.Codes[d]
	return float64(c[1]), ok
}

// ratio is a's total time over b's.
func (r photoRow) ratio(a, b string) (float64, bool) {
	x, okx := r.value(a, total)
	y, oky := r.value(b, total)
	if !okx || !oky || y <= 0 {
		return 0, false
	}
	return x / y, true
}

// megapixels is the photo's size from whichever of our reads has it.
func (r photoRow) megapixels() (float64, bool) {
	for _, d := range []string{native1, native2, wasm} {
		if s, ok := r.Best[d]; ok && s.Error == "" && s.Width > 0 {
			return float64(s.Width*s.Height) / 1e6, true
		}
	}
	return 0, false
}

// column is one numeric column of the table.
type column struct {
	head  string
	value func(photoRow) (float64, bool)
	prec  int // decimals; -1: as few as needed
}

var columns = []column{
	{"MP", photoRow.megapixels, 1},
	{"codes ours", func(r photoRow) (float64, bool) { return r.mostCodes(native1) }, -1},
	{"codes zxing-wasm", func(r photoRow) (float64, bool) { return r.mostCodes(zxing) }, -1},
	{"codes zbar", func(r photoRow) (float64, bool) { return r.mostCodes(zbar) }, -1},
	{"native 1p", func(r photoRow) (float64, bool) { return r.value(native1, total) }, 0},
	{"native 2p", func(r photoRow) (float64, bool) { return r.value(native2, total) }, 0},
	{"wasm decode", func(r photoRow) (float64, bool) { return r.value(wasm, decodeMS) }, 0},
	{"wasm scan", func(r photoRow) (float64, bool) { return r.value(wasm, scanMS) }, 0},
	{"wasm", func(r photoRow) (float64, bool) { return r.value(wasm, total) }, 0},
	{"zxing-wasm", func(r photoRow) (float64, bool) { return r.value(zxing, total) }, 0},
	{"zbar", func(r photoRow) (float64, bool) { return r.value(zbar, total) }, 0},
	{"wasm/native 1p", func(r photoRow) (float64, bool) { return r.ratio(wasm, native1) }, 2},
	{"wasm/zxing-wasm", func(r photoRow) (float64, bool) { return r.ratio(wasm, zxing) }, 2},
	{"native 1p/zbar", func(r photoRow) (float64, bool) { return r.ratio(native1, zbar) }, 2},
}

// cells lays the table out as strings: a header, a row per photo and the
// median row ("-" where there is no value).
func (t speedTable) cells() [][]string {
	head := []string{"photo"}
	for _, c := range columns {
		head = append(head, c.head)
	}
	out := [][]string{head}
	cols := make([][]float64, len(columns))
	for _, r := range t.Rows {
		line := []string{r.Photo}
		for i, c := range columns {
			v, ok := c.value(r)
			line = append(line, format(v, ok, c.prec))
			if ok {
				cols[i] = append(cols[i], v)
			}
		}
		out = append(out, line)
	}
	med := []string{"median"}
	for i, c := range columns {
		v, ok := median(cols[i])
		med = append(med, format(v, ok, c.prec))
	}
	return append(out, med)
}

func format(v float64, ok bool, prec int) string {
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// WriteText writes the table as aligned plain text, then the notes.
func (t speedTable) WriteText(w io.Writer) error {
	// Numbers align right, photo names (padded here) left; every line
	// starts with the writer's two-space padding.
	cells := t.cells()
	width := 0
	for _, line := range cells {
		width = max(width, len(line[0]))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, line := range cells {
		fmt.Fprintf(tw, "%-*s\t%s\t\n", width, line[0], strings.Join(line[1:], "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return qreval.WriteNotes(w, t.Notes, "")
}

// WriteMarkdown writes the table as a Markdown table (median row in bold),
// then the notes as a list.
func (t speedTable) WriteMarkdown(w io.Writer) error {
	cells := t.cells()
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells[0], " | "))
	fmt.Fprintf(w, "|---|%s\n", strings.Repeat("---:|", len(cells[0])-1))
	for i, line := range cells[1:] {
		if i == len(cells)-2 {
			line = slices.Clone(line)
			for k := range line {
				line[k] = "**" + line[k] + "**"
			}
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(line, " | "))
	}
	return qreval.WriteNotes(w, t.Notes, "- ")
}
