package qreval

import (
	"testing"
)

func TestScoreText(t *testing.T) {
	read := func(s string) Result { return Result{Text: s, Decoded: true, Corners: rect(0, 0, 1, 1)} }
	tests := []struct {
		name    string
		want    string
		results []Result
		tally   Tally
	}{
		{"exact", "abc", []Result{read("abc")}, Tally{Present: 1, Read: 1}},
		{"nothing found", "abc", nil, Tally{Present: 1}},
		{"wrong text is a false read", "abc", []Result{read("abd")}, Tally{Present: 1, False: 1}},
		{"right and wrong", "abc", []Result{read("x"), read("abc"), read("y")}, Tally{Present: 1, Read: 1, False: 2}},
		{"one trailing newline may be missing", "abc\n", []Result{read("abc")}, Tally{Present: 1, Read: 1}},
		{"trailing newline present", "abc\n", []Result{read("abc\n")}, Tally{Present: 1, Read: 1}},
		{"only one newline may be missing", "abc\n\n", []Result{read("abc")}, Tally{Present: 1, False: 1}},
		{"CRLF is kept", "a\r\nb", []Result{read("a\nb")}, Tally{Present: 1, False: 1}},
		{"CR of a final CRLF is not dropped", "abc\r\n", []Result{read("abc")}, Tally{Present: 1, False: 1}},
		{"decoded empty text is a false read", "abc", []Result{read("")}, Tally{Present: 1, False: 1}},
		{"undecoded candidates do not count", "abc", []Result{{Corners: rect(0, 0, 1, 1)}}, Tally{Present: 1}},
		{"same code twice", "abc", []Result{read("abc"), read("abc")}, Tally{Present: 1, Read: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(Label{Kind: TextLabel, Text: tc.want}, tc.results)
			if got != tc.tally {
				t.Errorf("Score = %+v, want %+v", got, tc.tally)
			}
		})
	}
}

func TestScoreCorners(t *testing.T) {
	labels := Label{Kind: CornerLabel, Codes: []Quad{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}},
		{{20, 0}, {30, 0}, {30, 10}, {20, 10}},
	}}
	read := func(p []Point) Result { return Result{Text: "t", Decoded: true, Corners: p} }
	tests := []struct {
		name    string
		results []Result
		tally   Tally
	}{
		{"none", nil, Tally{Present: 2}},
		{"one read", []Result{read(rect(1, 1, 9, 9))}, Tally{Present: 2, Read: 1, Located: 1}},
		{"both read, corners clockwise", []Result{read(reversed(rect(0, 0, 10, 10))), read(rect(21, 1, 31, 11))},
			Tally{Present: 2, Read: 2, Located: 2}},
		// overlap 2×10 = 20 of 100: not more than 20%
		{"20% exactly is not enough", []Result{read(rect(8, 0, 18, 10))}, Tally{Present: 2, False: 1}},
		// overlap 2.1×10 = 21 of 100
		{"21% is enough", []Result{read(rect(7.9, 0, 17.9, 10))}, Tally{Present: 2, Read: 1, Located: 1}},
		{"decoded elsewhere is false", []Result{read(rect(50, 50, 60, 60))}, Tally{Present: 2, False: 1}},
		{"located but not decoded", []Result{{Corners: rect(0, 0, 10, 10)}}, Tally{Present: 2, Located: 1}},
		{"undecoded elsewhere is not false", []Result{{Corners: rect(50, 50, 60, 60)}}, Tally{Present: 2}},
		{"one result over both labels reads both", []Result{read(rect(0, 0, 30, 10))}, Tally{Present: 2, Read: 2, Located: 2}},
		{"no corners: ignored", []Result{{Text: "t", Decoded: true}}, Tally{Present: 2}},
		{"twice the same code", []Result{read(rect(0, 0, 10, 10)), read(rect(1, 1, 10, 10))}, Tally{Present: 2, Read: 1, Located: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(labels, tc.results)
			if got != tc.tally {
				t.Errorf("Score = %+v, want %+v", got, tc.tally)
			}
		})
	}
}
