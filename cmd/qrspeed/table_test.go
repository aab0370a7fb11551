package main

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseSamples(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []sample
		wantErr string
	}{
		{"empty", "", nil, ""},
		{"two reads and a blank line",
			`{"path":"/a.jpg","rep":1,"width":4,"height":3,"decode_ms":1.5,"scan_ms":2,"total_ms":3.5,"codes":7}` + "\n\n" +
				`{"path":"/a.jpg","rep":2,"total_ms":0,"codes":0,"error":"/a.jpg: bad"}` + "\n",
			[]sample{
				{Path: "/a.jpg", Rep: 1, Width: 4, Height: 3, DecodeMS: 1.5, ScanMS: 2, TotalMS: 3.5, Codes: 7},
				{Path: "/a.jpg", Rep: 2, Error: "/a.jpg: bad"},
			}, ""},
		{"with stage times",
			`{"path":"/a.jpg","rep":1,"total_ms":1,"codes":1,"stages_ms":{"pyramid":1,"binarize":2,"finders":3,"group":4,"decode":5,"retry":6}}`,
			[]sample{{Path: "/a.jpg", Rep: 1, TotalMS: 1, Codes: 1, Stages: &stageMS{1, 2, 3, 4, 5, 6}}}, ""},
		{"not JSON", `{"path":"/a.jpg","rep":1}` + "\nwasm: exit 1\n", nil, "line 2: not a sample"},
		{"unknown field", `{"path":"/a.jpg","rep":1,"ms":3}`, nil, "line 1: not a sample"},
		{"no path", `{"rep":1,"total_ms":3}`, nil, "line 1: sample without path"},
		{"no run number", `{"path":"/a.jpg","total_ms":3}`, nil, "line 1: sample without path or run number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseSamples(strings.NewReader(tc.in))
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

func TestBest(t *testing.T) {
	tests := []struct {
		name string
		in   []sample
		want map[string]sample
	}{
		{"least total time per photo", []sample{
			{Path: "a", Rep: 1, TotalMS: 30}, {Path: "b", Rep: 1, TotalMS: 5},
			{Path: "a", Rep: 2, TotalMS: 20}, {Path: "b", Rep: 2, TotalMS: 9},
			{Path: "a", Rep: 3, TotalMS: 25},
		}, map[string]sample{"a": {Path: "a", Rep: 2, TotalMS: 20}, "b": {Path: "b", Rep: 1, TotalMS: 5}}},
		{"a failed read never wins", []sample{
			{Path: "a", Rep: 1, Error: "timeout"}, {Path: "a", Rep: 2, TotalMS: 50}, {Path: "a", Rep: 3, TotalMS: 0, Error: "died"},
		}, map[string]sample{"a": {Path: "a", Rep: 2, TotalMS: 50}}},
		{"every read failed: the first failure", []sample{
			{Path: "a", Rep: 1, Error: "one"}, {Path: "a", Rep: 2, Error: "two"},
		}, map[string]sample{"a": {Path: "a", Rep: 1, Error: "one"}}},
		{"none", nil, map[string]sample{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := best(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCodeRange(t *testing.T) {
	tests := []struct {
		name string
		in   []sample
		want map[string][2]int
	}{
		{"same every read", []sample{{Path: "a", Codes: 4}, {Path: "a", Codes: 4}}, map[string][2]int{"a": {4, 4}}},
		{"varying reads", []sample{{Path: "a", Codes: 9}, {Path: "b", Codes: 1}, {Path: "a", Codes: 5}, {Path: "a", Codes: 14}},
			map[string][2]int{"a": {5, 14}, "b": {1, 1}}},
		{"failed reads do not count", []sample{{Path: "a", Error: "timeout"}, {Path: "a", Codes: 2}, {Path: "b", Error: "x"}},
			map[string][2]int{"a": {2, 2}}},
		{"none", nil, map[string][2]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := codeRange(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in     []float64
		want   float64
		wantOK bool
	}{
		{nil, 0, false},
		{[]float64{7}, 7, true},
		{[]float64{9, 1, 5}, 5, true},
		{[]float64{4, 1, 3, 2}, 2.5, true},
		{[]float64{2, 2, 100, 1, 2}, 2, true},
	}
	for _, tc := range tests {
		in := slices.Clone(tc.in)
		got, ok := median(in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("median(%v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("median(%v) reordered its input to %v", tc.in, in)
		}
	}
}

// tableSamples are two photos' reads: the first read by everybody (wasm
// decoding one code fewer, zbar's slower read more codes than its faster),
// the second failed under wasm and not read by the peers.
func tableSamples() ([]string, map[string][]sample) {
	photos := []string{"/t/boards/big.jpg", "/t/demo/board.jpg"}
	ok := func(p string, rep int, decode, scan float64, codes int) sample {
		return sample{Path: p, Rep: rep, Width: 4000, Height: 3000, DecodeMS: decode, ScanMS: scan, TotalMS: decode + scan, Codes: codes}
	}
	peer := func(p string, rep int, ms float64, codes int) sample {
		return sample{Path: p, Rep: rep, TotalMS: ms, Codes: codes}
	}
	return photos, map[string][]sample{
		native1: {ok(photos[0], 1, 100, 300, 60), ok(photos[0], 2, 100, 200, 60), ok(photos[1], 1, 50, 150, 20)},
		native2: {ok(photos[0], 1, 100, 150, 60), ok(photos[1], 1, 50, 50, 20)},
		wasm:    {ok(photos[0], 1, 300, 600, 59), {Path: photos[1], Rep: 1, Error: "out of memory"}},
		zxing:   {peer(photos[0], 1, 500, 12), peer(photos[0], 2, 450, 12)},
		zbar:    {peer(photos[0], 1, 600, 3), peer(photos[0], 2, 700, 5)},
	}
}

func TestSpeedTableCells(t *testing.T) {
	photos, samples := tableSamples()
	tab := newSpeedTable(photos, samples)
	want := [][]string{
		{"photo", "MP", "codes ours", "codes zxing-wasm", "codes zbar", "native 1p", "native 2p", "wasm decode", "wasm scan", "wasm", "zxing-wasm", "zbar", "wasm/native 1p", "wasm/zxing-wasm", "native 1p/zbar"},
		{"boards/big.jpg", "12.0", "60", "12", "5", "300", "250", "300", "600", "900", "450", "600", "3.00", "2.00", "0.50"},
		{"demo/board.jpg", "12.0", "20", "-", "-", "200", "100", "-", "-", "-", "-", "-", "-", "-", "-"},
		{"median", "12.0", "40", "12", "5", "250", "175", "300", "600", "900", "450", "600", "3.00", "2.00", "0.50"},
	}
	if got := tab.cells(); !reflect.DeepEqual(got, want) {
		t.Errorf("cells:\n%v\nwant\n%v", got, want)
	}
	wantNotes := []string{
		"zbar on boards/big.jpg: reads decoded 3 to 5 codes",
		"boards/big.jpg: wasm decoded 59 codes, native 60",
		"wasm on demo/board.jpg failed: out of memory",
	}
	if !reflect.DeepEqual(tab.Notes, wantNotes) {
		t.Errorf("notes %q, want %q", tab.Notes, wantNotes)
	}
}

func TestSpeedTableNoReads(t *testing.T) {
	tab := newSpeedTable([]string{"/x/a.jpg"}, nil)
	cells := tab.cells()
	if len(cells) != 3 {
		t.Fatalf("%d lines, want header, one photo and the median", len(cells))
	}
	for _, line := range cells[1:] {
		for _, c := range line[1:] {
			if c != "-" {
				t.Errorf("line %v: cell %q, want - without reads", line, c)
			}
		}
	}
}

func TestWriteTable(t *testing.T) {
	photos, samples := tableSamples()
	tab := newSpeedTable(photos, samples)
	tab.Notes = append([]string{"times in ms"}, tab.Notes...)
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
		want  []string // lines, after trimming trailing spaces
	}{
		{"markdown", func(b *bytes.Buffer) error { return tab.WriteMarkdown(b) }, []string{
			"| photo | MP | codes ours | codes zxing-wasm | codes zbar | native 1p | native 2p | wasm decode | wasm scan | wasm | zxing-wasm | zbar | wasm/native 1p | wasm/zxing-wasm | native 1p/zbar |",
			"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
			"| boards/big.jpg | 12.0 | 60 | 12 | 5 | 300 | 250 | 300 | 600 | 900 | 450 | 600 | 3.00 | 2.00 | 0.50 |",
			"| demo/board.jpg | 12.0 | 20 | - | - | 200 | 100 | - | - | - | - | - | - | - | - |",
			"| **median** | **12.0** | **40** | **12** | **5** | **250** | **175** | **300** | **600** | **900** | **450** | **600** | **3.00** | **2.00** | **0.50** |",
			"",
			"- times in ms",
			"- zbar on boards/big.jpg: reads decoded 3 to 5 codes",
			"- boards/big.jpg: wasm decoded 59 codes, native 60",
			"- wasm on demo/board.jpg failed: out of memory",
		}},
		{"text", func(b *bytes.Buffer) error { return tab.WriteText(b) }, []string{
			"  photo             MP  codes ours  codes zxing-wasm  codes zbar  native 1p  native 2p  wasm decode  wasm scan  wasm  zxing-wasm  zbar  wasm/native 1p  wasm/zxing-wasm  native 1p/zbar",
			"  boards/big.jpg  12.0          60                12           5        300        250          300        600   900         450   600            3.00             2.00            0.50",
			"  demo/board.jpg  12.0          20                 -           -        200        100            -          -     -           -     -               -                -               -",
			"  median          12.0          40                12           5        250        175          300        600   900         450   600            3.00             2.00            0.50",
			"",
			"times in ms",
			"zbar on boards/big.jpg: reads decoded 3 to 5 codes",
			"boards/big.jpg: wasm decoded 59 codes, native 60",
			"wasm on demo/board.jpg failed: out of memory",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			for i := range got {
				got[i] = strings.TrimRight(got[i], " ")
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
