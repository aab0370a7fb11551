package pdf

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/cards/pdf/pdftest"
	"github.com/cardwall/cardwall/cards/template"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func pts(p float64) *float64 { return &p }

// sampleIssues mixes scripts, a byte-mode key and hostile text.
func sampleIssues() []cards.Issue {
	return []cards.Issue{
		{Key: "CW-1", Summary: "Import Jira v3 search responses with ADF descriptions", Type: "Story", Priority: "High", Assignee: "Ana Müller", StoryPoints: pts(5), ParentName: "Printing", Labels: []string{"importer", "jira"}, Description: "Parse the Atlassian Document Format."},
		{Key: "CW-2", Summary: "Поддержка кириллицы в заголовках карточек", Type: "Bug", Priority: "Highest", Assignee: "Дмитрий Иванов", StoryPoints: pts(2)},
		{Key: "CW-3", Summary: "Υποστήριξη ελληνικών χαρακτήρων στις κάρτες", Type: "Task", Assignee: "Ελένη Παπαδοπούλου", StoryPoints: pts(1)},
		{Key: "CW-4", Summary: "カードのタイトルに日本語を表示する（CJKフォントのフォールバック）", Type: "Story", Assignee: "山田 由紀", StoryPoints: pts(3)},
		{Key: "CW-5", Summary: "Celebrate the first printed board 🎉 ★ with the whole team", Type: "Spike"},
		{Key: "CW-6", Summary: strings.Repeat("A very long summary\x07 that\tgoes on and on. ", 200), Type: "Bug", Description: strings.Repeat("x", 5000)},
		{Key: "owner/repo#12", Summary: "GitHub issue: byte-mode QR code", Type: "Task"},
		{Key: "ABCDEFGHIJK-12345678", Summary: "Twenty-character key stays version 1", Type: "Story", StoryPoints: pts(8)},
	}
}

func render(t testing.TB, pages []layout.Page) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, pages, Options{Title: "test"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func cardPages(t testing.TB, name string, issues []cards.Issue) []layout.Page {
	t.Helper()
	tpl, ok := template.Builtin(name)
	if !ok {
		t.Fatalf("no template %s", name)
	}
	pages, err := layout.Cards(context.Background(), tpl, issues)
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// TestGolden compares the PDF bytes with testdata/<name>.golden.pdf.
// After a deliberate change run `go test -update`, then look at the PDF
// (pdftoppm -png) before committing it.
func TestGolden(t *testing.T) {
	tpl, _ := template.Builtin(template.MarkersName)
	markers, err := layout.Markers(context.Background(), tpl, []string{"To Do", "In Progress", "Review", "Done"})
	if err != nil {
		t.Fatal(err)
	}
	for name, pages := range map[string][]layout.Page{
		"cards-a4-2x4": cardPages(t, "a4-2x4", sampleIssues()),
		"markers":      markers,
	} {
		got := render(t, pages)
		if again := render(t, pages); !bytes.Equal(got, again) {
			t.Fatalf("%s: two renders of the same pages differ", name)
		}
		path := filepath.Join("testdata", name+".golden.pdf")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: PDF differs from %s (run go test -update, then look at it)", name, path)
		}
	}
}

// TestFontsOnUse checks that fonts are embedded only when used: the CJK
// font is large to parse, and a Latin-only batch must not pay for it.
func TestFontsOnUse(t *testing.T) {
	latin := render(t, cardPages(t, "a4-2x4", sampleIssues()[:1]))
	cjk := render(t, cardPages(t, "a4-2x4", sampleIssues()[3:4]))
	if bytes.Contains(latin, []byte("droid")) || bytes.Contains(latin, []byte("Droid")) {
		t.Error("Latin-only PDF embeds the CJK font")
	}
	if !bytes.Contains(cjk, []byte("Droid")) && !bytes.Contains(cjk, []byte("droid")) {
		t.Error("CJK PDF lacks the CJK font")
	}
	if len(latin) > 80_000 {
		t.Errorf("one Latin card is %d bytes; fonts not subsetted?", len(latin))
	}
}

func TestRenderErrors(t *testing.T) {
	if err := Render(&bytes.Buffer{}, nil, Options{}); err == nil {
		t.Error("no pages: no error")
	}
	var buf bytes.Buffer
	tpl, _ := template.Builtin("a4-2x4")
	if err := PrintCards(&buf, tpl, []cards.Issue{{Summary: "no key"}}); err == nil || buf.Len() != 0 {
		t.Errorf("bad issue: err %v, %d bytes written", err, buf.Len())
	}
	if err := Markers(&buf, nil, tpl); err == nil || buf.Len() != 0 {
		t.Errorf("no columns: err %v, %d bytes written", err, buf.Len())
	}
}

// rasterise renders page 1 of pdf at 150 dpi in grey with pdftoppm.
func rasterise(t *testing.T, pdf []byte) *image.Gray {
	t.Helper()
	return pdftest.Rasterize(t, pdf, 150)
}

// decodeSlots reads the QR code in every card slot of a rasterised page
// and compares it with the text the card should carry.
func decodeSlots(t *testing.T, page *layout.Page, img *image.Gray) {
	t.Helper()
	px := 150 / 25.4
	reader := zxqr.NewQRCodeReader()
	for _, c := range page.Cards {
		r := image.Rect(int(c.X*px), int(c.Y*px), int(c.Right()*px), int(c.Bottom()*px))
		bmp, err := gozxing.NewBinaryBitmapFromImage(img.SubImage(r))
		if err != nil {
			t.Fatal(err)
		}
		res, err := reader.Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
		if err != nil {
			t.Errorf("card %q: QR not decoded: %v", c.Key+c.Column, err)
			continue
		}
		if res.GetText() != c.QRText {
			t.Errorf("card %q: decoded %q, want %q", c.Key+c.Column, res.GetText(), c.QRText)
		}
	}
}

// TestPrintedQRDecodes rasterises printed pages with pdftoppm at 150 dpi
// and decodes every QR code back to the right key or column.
func TestPrintedQRDecodes(t *testing.T) {
	for _, name := range []string{"a4-2x4", "sticky-76", "a6"} {
		t.Run(name, func(t *testing.T) {
			pages := cardPages(t, name, sampleIssues())
			img := rasterise(t, render(t, pages))
			decodeSlots(t, &pages[0], img)
			for _, c := range pages[0].Cards {
				if c.QRText != c.Key {
					t.Errorf("card QR text %q is not the key %q", c.QRText, c.Key)
				}
			}
		})
	}
	t.Run("url", func(t *testing.T) {
		tpl, _ := template.Builtin("a4-2x3")
		tpl.QR.Content, tpl.QR.BaseURL = "url", "https://jira.example.com/browse/"
		pages, err := layout.Cards(context.Background(), tpl, sampleIssues())
		if err != nil {
			t.Fatal(err)
		}
		decodeSlots(t, &pages[0], rasterise(t, render(t, pages)))
		if got := pages[0].Cards[0].QRText; got != "https://jira.example.com/browse/CW-1" {
			t.Errorf("url QR text %q", got)
		}
	})
	t.Run("markers", func(t *testing.T) {
		tpl, _ := template.Builtin(template.MarkersName)
		pages, err := layout.Markers(context.Background(), tpl, []string{"To Do", "In Progress", "Review", "Done", "В работе", "完了"})
		if err != nil {
			t.Fatal(err)
		}
		decodeSlots(t, &pages[0], rasterise(t, render(t, pages)))
	})
}

// BenchmarkPrintCards1000 lays out and renders 1000 cards (125 A4 pages)
// into one PDF: "latin" embeds DejaVu only, "scripts" mixes Cyrillic,
// Greek, Japanese and emoji, so the CJK font is parsed and embedded too.
func BenchmarkPrintCards1000(b *testing.B) {
	all := sampleIssues()
	for _, bc := range []struct {
		name string
		base []cards.Issue
	}{{"latin", all[:1]}, {"scripts", all[:5]}} {
		b.Run(bc.name, func(b *testing.B) {
			tpl, _ := template.Builtin("a4-2x4")
			issues := make([]cards.Issue, 1000)
			for i := range issues {
				issues[i] = bc.base[i%len(bc.base)]
				issues[i].Key = fmt.Sprintf("PROJ-%d", i+1)
			}
			var size int
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := PrintCards(&buf, tpl, issues); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(len(issues))*float64(b.N)/b.Elapsed().Seconds(), "cards/s")
			b.ReportMetric(float64(size)/float64(len(issues)), "PDFbytes/card")
		})
	}
}
