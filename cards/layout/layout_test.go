package layout

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/fonts"
	"github.com/cardwall/cardwall/cards/template"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func pts(p float64) *float64 { return &p }

// hostile is text from real trackers at its worst.
func hostileIssues() []cards.Issue {
	long := strings.Repeat("Lorem ipsum dolor sit amet,\tconsectetur\r\nadipiscing elit\x07\x00 ", 100)[:5000]
	return []cards.Issue{
		{Key: "CW-1", Summary: "Поддержка кириллицы в заголовках карточек и в именах исполнителей", Type: "Story", Priority: "High", Assignee: "Дмитрий Иванов", StoryPoints: pts(5), ParentName: "Печать"},
		{Key: "CW-2", Summary: "Υποστήριξη ελληνικών χαρακτήρων στις κάρτες εργασιών", Type: "Bug", Priority: "Low", Assignee: "Ελένη Παπαδοπούλου"},
		{Key: "CW-3", Summary: "カードのタイトルに日本語を表示する（CJKフォントのフォールバック）。長いタイトルは折り返す必要があります。", Type: "Task", Assignee: "山田 由紀", Labels: []string{"日本語", "cjk"}},
		{Key: "CW-4", Summary: "دعم اللغة العربية في عناوين البطاقات", Type: "Story", Assignee: "ليلى"},
		{Key: "CW-5", Summary: "Celebrate the first printed board 🎉🚀 with the whole team ★ ✓", Type: "Spike"},
		{Key: "CW-6", Summary: long, Description: long, Type: "Bug", Labels: []string{long}},
		{Key: "CW-7", Summary: "Supercalifragilisticexpialidocious-configuration-parameter-that-never-ends-renders-badly https://example.com/a/very/long/url/that/has/no/spaces/at/all/and/goes/on/and/on", Type: "Story", Assignee: strings.Repeat("W", 80)},
		{Key: "VERYLONGPROJECTKEY-123456", Summary: "", Type: "Epic", StoryPoints: pts(0.5)},
		{Key: "owner/repo#1234", Summary: "GitHub issue key in byte mode", Priority: "Highest", StoryPoints: pts(13)},
		{Key: "CW-10", Summary: "Umlaute: Größenänderung für Überschriften (ä, ö, ü, ß) – mit Gedankenstrich", ParentKey: "CW-100"},
		{Key: "CW-11", Summary: "한국어 제목", Type: "Story"},
	}
}

// checkPage asserts the layout invariants: every text run inside its
// field box, field boxes inside their card and apart from each other and
// from QR quiet zones, QR quiet zones inside cards, cards inside the page.
func checkPage(t *testing.T, name string, p *Page) {
	t.Helper()
	page := Box{W: p.Width, H: p.Height}
	const eps = 1e-6
	inside := func(outer, inner Box) bool {
		return inner.X >= outer.X-eps && inner.Y >= outer.Y-eps && inner.Right() <= outer.Right()+eps && inner.Bottom() <= outer.Bottom()+eps
	}
	cardOf := func(b Box) (Box, bool) {
		for _, c := range p.Cards {
			if inside(c.Box, b) {
				return c.Box, true
			}
		}
		return Box{}, false
	}
	for _, c := range p.Cards {
		if !inside(page, c.Box) {
			t.Errorf("%s: card %q at %v leaves the page", name, c.Key, c.Box)
		}
	}
	for _, q := range p.QRs {
		if _, ok := cardOf(q.QuietBox()); !ok {
			t.Errorf("%s: QR %q quiet zone %v is not inside a card", name, q.Matrix.Text, q.QuietBox())
		}
	}
	boxes := map[Box]string{}
	for i := range p.Texts {
		tx := &p.Texts[i]
		if !inside(tx.Box, tx.Bounds()) {
			t.Errorf("%s: %s run %q at %v leaves its box %v", name, tx.Field, tx.Text, tx.Bounds(), tx.Box)
		}
		if _, ok := cardOf(tx.Box); !ok {
			t.Errorf("%s: %s box %v is not inside a card", name, tx.Field, tx.Box)
		}
		for _, q := range p.QRs {
			if tx.Bounds().Overlaps(q.QuietBox()) {
				t.Errorf("%s: %s run %q overlaps QR %q", name, tx.Field, tx.Text, q.Matrix.Text)
			}
		}
		for _, r := range tx.Text {
			if r != fonts.Replacement && !fonts.Has(tx.Font, r) {
				t.Errorf("%s: %s run %q: font %s has no glyph %U", name, tx.Field, tx.Text, tx.Font, r)
			}
			if r < 0x20 || r == 0x7f {
				t.Errorf("%s: control character %U in run %q", name, r, tx.Text)
			}
		}
		boxes[tx.Box] = tx.Field
		// Runs on the same line do not overlap each other.
		for j := i + 1; j < len(p.Texts); j++ {
			o := &p.Texts[j]
			if o.Box == tx.Box && tx.Bounds().Overlaps(o.Bounds()) && o.Y == tx.Y {
				t.Errorf("%s: runs %q and %q overlap", name, tx.Text, o.Text)
			}
		}
	}
	for a, an := range boxes {
		for b, bn := range boxes {
			if a != b && a.Overlaps(b) {
				t.Errorf("%s: boxes of %s %v and %s %v overlap", name, an, a, bn, b)
			}
		}
	}
}

func TestCardsHostileText(t *testing.T) {
	issues := hostileIssues()
	for _, tpl := range template.Builtins() {
		pages, err := Cards(context.Background(), tpl, issues)
		if err != nil {
			t.Fatalf("%s: %v", tpl.Name, err)
		}
		cols, rows := tpl.GridSize()
		if want := (len(issues) + cols*rows - 1) / (cols * rows); len(pages) != want {
			t.Errorf("%s: %d pages, want %d", tpl.Name, len(pages), want)
		}
		var keys []string
		for i := range pages {
			checkPage(t, tpl.Name, &pages[i])
			for _, c := range pages[i].Cards {
				keys = append(keys, c.Key)
				if c.QRText != c.Key {
					t.Errorf("%s: card %q has QR text %q", tpl.Name, c.Key, c.QRText)
				}
			}
		}
		if len(keys) != len(issues) {
			t.Errorf("%s: %d cards for %d issues", tpl.Name, len(keys), len(issues))
		}
		// Every key up to 20 characters (the version 1 QR limit) is
		// printed in full; longer ones may end in an ellipsis.
		for i := range pages {
			printed := map[string]bool{}
			for _, tx := range pages[i].Texts {
				if tx.Field == "key" {
					printed[tx.Text] = true
				}
			}
			for _, c := range pages[i].Cards {
				if !printed[c.Key] && utf8.RuneCountInString(c.Key) <= 20 {
					t.Errorf("%s: key %q not printed in full", tpl.Name, c.Key)
				}
			}
		}
	}
}

func TestCardsErrors(t *testing.T) {
	tpl, _ := template.Builtin("a4-2x4")
	if _, err := Cards(context.Background(), tpl, []cards.Issue{{Summary: "no key"}}); err == nil || !strings.Contains(err.Error(), `issue 1 ("no key") has no key`) {
		t.Errorf("missing key: %v", err)
	}
	if _, err := Cards(context.Background(), tpl, []cards.Issue{{Key: strings.Repeat("K", 5000)}}); err == nil || !strings.Contains(err.Error(), "qrcode: encode") {
		t.Errorf("huge key: %v", err)
	}
	bad := *tpl
	bad.Grid.Columns = 3
	if _, err := Cards(context.Background(), &bad, hostileIssues()); err == nil || !strings.Contains(err.Error(), "does not fit 3 columns") {
		t.Errorf("invalid template: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Cards(ctx, tpl, hostileIssues()); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
	if got, err := Cards(context.Background(), tpl, nil); err != nil || len(got) != 0 {
		t.Errorf("no issues: %d pages, %v", len(got), err)
	}
}

func lineTexts(ts []Text) []string {
	var lines []string
	lastY := math.NaN()
	for _, t := range ts {
		if t.Y != lastY {
			lines = append(lines, "")
			lastY = t.Y
		}
		lines[len(lines)-1] += t.Text
	}
	return lines
}

func TestFit(t *testing.T) {
	box := Box{X: 10, Y: 20, W: 40, H: 20}
	tests := []struct {
		name, text string
		st         Style
		want       []string
		size       float64
	}{
		{"one line", "Fix login", Style{Size: 12}, []string{"Fix login"}, 12},
		{"wrap on words", "Fix the login page when the password has a space", Style{Size: 10},
			[]string{"Fix the login page when", "the password has a", "space"}, 10},
		{"shrink", "Fix the login page when the password has a space", Style{Size: 12, MaxLines: 2, MinSize: 6},
			[]string{"Fix the login page when the", "password has a space"}, 8.5},
		{"ellipsis", strings.Repeat("word ", 60), Style{Size: 12, MinSize: 10, MaxLines: 2},
			[]string{"word word word word", "word word word wor…"}, 10},
		{"long word broken", "Supercalifragilisticexpialidocious", Style{Size: 12},
			[]string{"Supercalifragilistic", "expialidocious"}, 12},
		{"break after hyphen", "configuration-parameter-value", Style{Size: 12},
			[]string{"configuration-", "parameter-value"}, 12},
		{"cjk anywhere", "日本語の長いタイトルは折り返す必要があります。", Style{Size: 12},
			[]string{"日本語の長いタイト", "ルは折り返す必要が", "あります。"}, 12},
		{"whitespace cleaned", "  a\t\tb\n\nc  ", Style{Size: 12}, []string{"a b c"}, 12},
		{"empty", " \t ", Style{Size: 12}, nil, 0},
		{"centered", "x", Style{Size: 12, Align: "center"}, []string{"x"}, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Fit(tt.text, box, "f", tt.st)
			if lines := lineTexts(got); fmt.Sprint(lines) != fmt.Sprint(tt.want) {
				t.Errorf("lines %q, want %q", lines, tt.want)
			}
			for i := range got {
				if got[i].Size != tt.size {
					t.Errorf("size %v, want %v", got[i].Size, tt.size)
				}
				if b := got[i].Bounds(); !box.Contains(b) {
					t.Errorf("run %q at %v leaves %v", got[i].Text, b, box)
				}
			}
		})
	}
	// Alignment: centred text is centred, right-aligned ends at the edge.
	c := Fit("x", box, "f", Style{Size: 12, Align: "center"})[0]
	if d := (c.X - box.X) - (box.Right() - c.X - c.Width); math.Abs(d) > 1e-9 {
		t.Errorf("centre off by %v", d)
	}
	r := Fit("x", box, "f", Style{Size: 12, Align: "right"})[0]
	if math.Abs(r.X+r.Width-box.Right()) > 1e-9 {
		t.Errorf("right edge %v, want %v", r.X+r.Width, box.Right())
	}
	// A box too narrow for a single glyph prints nothing rather than overflow.
	if got := Fit("W", Box{W: 0.5, H: 10}, "f", Style{Size: 12}); len(got) != 0 {
		t.Errorf("narrow box: %v", got)
	}
}

func TestMarkers(t *testing.T) {
	tpl, _ := template.Builtin(template.MarkersName)
	cols := []string{"To Do", "In Progress", "Review", "Done", "Waiting for a very long external approval", "В работе", "完了"}
	pages, err := Markers(context.Background(), tpl, cols)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	var n int
	for i := range pages {
		checkPage(t, "markers", &pages[i])
		for j, c := range pages[i].Cards {
			want := "COL:" + strings.ToUpper(cols[n])
			if c.QRText != want || pages[i].QRs[j].Matrix.Text != want {
				t.Errorf("header %q: QR %q, want %q", cols[n], c.QRText, want)
			}
			// The QR fills most of the card width or the space below the name.
			if q := pages[i].QRs[j].Box(); q.W < 40 {
				t.Errorf("header %q: QR only %.1f mm", cols[n], q.W)
			}
			n++
		}
	}
	if _, err := Markers(context.Background(), tpl, []string{"ok", " "}); err == nil || !strings.Contains(err.Error(), "column 2 has an empty name") {
		t.Errorf("empty column: %v", err)
	}
	if _, err := Markers(context.Background(), tpl, nil); err == nil {
		t.Error("no columns: no error")
	}
}

// TestGolden compares the layout of a fixed set of issues with
// testdata/<template>.golden.json. Run with -update after a deliberate
// change, and look at the rendered PDF before committing.
func TestGolden(t *testing.T) {
	for _, name := range []string{"a4-2x4", "sticky-76"} {
		tpl, _ := template.Builtin(name)
		pages, err := Cards(context.Background(), tpl, hostileIssues()[:8])
		if err != nil {
			t.Fatal(err)
		}
		pages = pages[:1]
		got, err := json.MarshalIndent(pages, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", name+".golden.json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: layout differs from %s (run go test -update and review)", name, path)
		}
		if !utf8.Valid(got) {
			t.Error("invalid UTF-8 in layout")
		}
	}
}

func BenchmarkCards1000(b *testing.B) {
	tpl, _ := template.Builtin("a4-2x4")
	issues := make([]cards.Issue, 1000)
	hi := hostileIssues()
	for i := range issues {
		issues[i] = hi[i%5]
		issues[i].Key = fmt.Sprintf("PROJ-%d", i+1)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Cards(context.Background(), tpl, issues); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(issues))*float64(b.N)/b.Elapsed().Seconds(), "cards/s")
}

// FuzzFit checks that fitted text never leaves its box, whatever the text
// and box.
func FuzzFit(f *testing.F) {
	f.Add("Fix the login page", 40.0, 20.0, 12.0, 7.0, 0, true)
	f.Add("日本語の長いタイトル\x00🎉 Ωmega", 10.0, 5.0, 18.0, 6.0, 1, false)
	f.Add(strings.Repeat("W", 300), 3.0, 100.0, 40.0, 0.0, 0, true)
	f.Fuzz(func(t *testing.T, text string, w, h, size, minSize float64, maxLines int, bold bool) {
		if !(w > 0 && w < 1000 && h > 0 && h < 1000 && size > 0 && size < 400 && minSize >= 0 && minSize < 400) || maxLines < 0 || maxLines > 1000 {
			return
		}
		box := Box{X: 5, Y: 7, W: w, H: h}
		for _, tx := range Fit(text, box, "f", Style{Size: size, MinSize: minSize, Bold: bold, MaxLines: maxLines}) {
			if !box.Contains(tx.Bounds()) {
				t.Fatalf("run %q at %v leaves %v", tx.Text, tx.Bounds(), box)
			}
			if !utf8.ValidString(tx.Text) || tx.Text == "" {
				t.Fatalf("bad run %q", tx.Text)
			}
		}
	})
}
