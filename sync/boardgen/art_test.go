package boardgen

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/cardwall/cardwall/cards/importer"
	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/cards/pdf"
	"github.com/cardwall/cardwall/cards/pdf/pdftest"
	"github.com/cardwall/cardwall/cards/template"
)

// TestCardsMatchThePrintedPDF draws a page of demo cards the way boardgen
// pins them and compares it, pixel by pixel inside every card, with the
// printed PDF of the same page rendered by pdftoppm: the generator must
// show exactly what the printer prints.
func TestCardsMatchThePrintedPDF(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("runs pdftoppm; skipped with -short and under wasm")
	}
	issues, _, err := importer.ReadFile(filepath.Join("..", "..", "testdata", "demo", "issues.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := template.Builtin(template.DefaultName)
	cardPages, err := layout.Cards(context.Background(), tpl, issues)
	if err != nil {
		t.Fatal(err)
	}
	markersTpl, _ := template.Builtin(template.MarkersName)
	headerPages, err := layout.Markers(context.Background(), markersTpl, []string{"To Do", "In Progress", "Review", "Done", "Блокировано", "完了"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("cards", func(t *testing.T) { comparePrinted(t, cardPages[0]) })
	t.Run("headers", func(t *testing.T) { comparePrinted(t, headerPages[0]) })
}

// comparePrinted compares boardgen's drawing of the cards on page with the
// printed PDF of it.
func comparePrinted(t *testing.T, page layout.Page) {
	const ppm = 10 // pixels per mm: 254 dpi
	printed := printedPage(t, page, ppm)

	arts, err := cutOut([]layout.Page{page})
	if err != nil {
		t.Fatal(err)
	}
	drawCards := func(shift float64) *image.Gray {
		cv := newCanvas(printed.Rect.Dx(), printed.Rect.Dy(), color.RGBA{255, 255, 255, 255})
		for i, a := range arts {
			c := page.Cards[i]
			m := affine{ppm, 0, (c.X + shift) * ppm, 0, ppm, c.Y * ppm}
			for k := range a.shapes {
				cv.fill(&a.shapes[k].p, m, a.shapes[k].c, 1)
			}
		}
		g := image.NewGray(cv.img.Rect)
		for i := range g.Pix {
			p := cv.img.Pix[i*4:]
			g.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000)
		}
		return g
	}
	diff := func(g *image.Gray) (mean float64, bad float64) {
		var sum, n, far int
		for _, c := range page.Cards {
			r := image.Rect(int(c.X*ppm), int(c.Y*ppm), int(c.Right()*ppm), int(c.Bottom()*ppm)).Intersect(g.Rect).Intersect(printed.Rect)
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					d := int(g.Pix[y*g.Stride+x]) - int(printed.Pix[y*printed.Stride+x])
					if d < 0 {
						d = -d
					}
					sum += d
					n++
					if d > 96 {
						far++
					}
				}
			}
		}
		return float64(sum) / float64(n), float64(far) / float64(n)
	}
	mine := drawCards(0)
	if dir := os.Getenv("BOARDGEN_DIFF_DIR"); dir != "" { // for looking at the difference
		d := image.NewRGBA(mine.Rect)
		for i := range mine.Pix {
			d.Pix[i*4], d.Pix[i*4+1], d.Pix[i*4+2], d.Pix[i*4+3] = mine.Pix[i], printed.Pix[i], printed.Pix[i], 255
		}
		f, _ := os.Create(filepath.Join(dir, "diff.png"))
		png.Encode(f, d)
		f.Close()
	}
	mean, far := diff(mine)
	t.Logf("boardgen vs pdftoppm inside the cards: mean |Δ| %.2f levels, %.3f%% of pixels off by > 96", mean, 100*far)
	if mean > 2.5 || far > 0.01 { // measured 1.93 and 0.66%: anti-aliasing at glyph edges
		t.Errorf("the drawn cards differ from the printed PDF: mean |Δ| %.2f, %.3f%% far off", mean, 100*far)
	}
	// The comparison notices the cards shifted by 0.3 mm.
	m2, f2 := diff(drawCards(0.3))
	t.Logf("shifted by 0.3 mm: mean |Δ| %.2f, %.3f%% far off", m2, 100*f2)
	if m2 < 2*mean || f2 < 2*far {
		t.Error("a 0.3 mm shift went unnoticed")
	}
}

// printedPage prints page to PDF and renders it in grey with pdftoppm at
// ppm pixels per millimetre.
func printedPage(t *testing.T, page layout.Page, ppm int) *image.Gray {
	t.Helper()
	var buf bytes.Buffer
	if err := pdf.Render(&buf, []layout.Page{page}, pdf.Options{}); err != nil {
		t.Fatal(err)
	}
	return pdftest.Rasterize(t, buf.Bytes(), float64(ppm)*25.4)
}
