package qreval

import (
	"io"
	"strings"
	"testing"
)

func tableResults() []SetResult {
	return []SetResult{
		{Decoder: "ours", Folder: "/d/zxing/qrcode-1", Images: 20, Scored: true, MedianMS: 12.4, Tally: Tally{Present: 20, Read: 20}},
		{Decoder: "ours", Folder: "/d/zxing/qrcode-2", Images: 10, Scored: true, MedianMS: 3, Tally: Tally{Present: 10, Read: 5}},
		{Decoder: "ours", Folder: "/d/boofcv/nominal", Images: 33, Scored: true, MedianMS: 80, Timeouts: 1, Tally: Tally{Present: 40, Read: 30, False: 1}},
		{Decoder: "peer", Folder: "/d/zxing/qrcode-1/", Images: 20, Scored: true, MedianMS: 9, Tally: Tally{Present: 20, Read: 19}},
		{Decoder: "peer", Folder: "/d/boofcv/nominal", Images: 33, Scored: true, MedianMS: 8, Tally: Tally{Present: 40, Read: 37}},
		{Decoder: "loc", Folder: "/d/boofcv/nominal", Images: 33, Scored: true, MedianMS: 38, Tally: Tally{Present: 40, Located: 23}},
	}
}

func TestTableWrite(t *testing.T) {
	tab := NewTable(tableResults())
	tab.Notes = []string{"peer: v1"}
	tests := []struct {
		name  string
		write func(io.Writer) error
		want  string
	}{
		{"text", tab.WriteText, "" +
			"set             images  present  ours                         peer            loc\n" +
			"zxing/qrcode-1  20      20       *20/20 · 0 · 12              19/20 · 0 · 9   -\n" +
			"zxing/qrcode-2  10      10       5/10 · 0 · 3                 -               -\n" +
			"boofcv/nominal  33      40       30/40 · 1 · 80 · 1 timeouts  *37/40 · 0 · 8  0/40 (located 23) · 0 · 38\n" +
			"zxing total     30      30       *25/30 · 0                   19/20 · 0       -\n" +
			"boofcv total    33      40       30/40 · 1 · 1 timeouts       *37/40 · 0      0/40 (located 23) · 0\n" +
			"\npeer: v1\n"},
		{"markdown", tab.WriteMarkdown, "" +
			"| set | images | present | ours | peer | loc |\n" +
			"|---|---|---|---|---|---|\n" +
			"| zxing/qrcode-1 | 20 | 20 | **20/20** · 0 · 12 | 19/20 · 0 · 9 | - |\n" +
			"| zxing/qrcode-2 | 10 | 10 | 5/10 · 0 · 3 | - | - |\n" +
			"| boofcv/nominal | 33 | 40 | 30/40 · 1 · 80 · 1 timeouts | **37/40** · 0 · 8 | 0/40 (located 23) · 0 · 38 |\n" +
			"| **zxing total** | 30 | 30 | **25/30** · 0 | 19/20 · 0 | - |\n" +
			"| **boofcv total** | 33 | 40 | 30/40 · 1 · 1 timeouts | **37/40** · 0 | 0/40 (located 23) · 0 |\n" +
			"\n- peer: v1\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
