// Package pdf writes card layouts (cards/layout) to PDF with gofpdf.
//
// Text uses the embedded fonts (cards/fonts), subsetted by gofpdf; only
// fonts a document uses are embedded. QR codes are vector rectangles, one
// per horizontal run of dark modules, with their quiet zone left white.
// Output is deterministic: the same pages give the same bytes (fixed
// creation date, sorted catalog), so golden tests can compare files.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/fonts"
	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/cards/template"
)

// FixedDate is the creation date written when Options.Date is zero.
var FixedDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Options control the document.
type Options struct {
	Title string    // document title metadata
	Date  time.Time // creation date; zero means FixedDate (deterministic)
}

// family maps an embedded font to a gofpdf family and style.
var family = map[fonts.ID][2]string{
	fonts.Sans:     {"dejavu", ""},
	fonts.SansBold: {"dejavu", "B"},
	fonts.CJK:      {"droid", ""},
}

// Render writes pages as one PDF document to w.
func Render(w io.Writer, pages []layout.Page, opt Options) error {
	if len(pages) == 0 {
		return errors.New("pdf: nothing to print (no pages)")
	}
	date := opt.Date
	if date.IsZero() {
		date = FixedDate
	}
	doc := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: pages[0].Width, Ht: pages[0].Height}})
	doc.SetCreationDate(date)
	doc.SetModificationDate(date)
	doc.SetCatalogSort(true)
	doc.SetProducer("cardwall", false)
	doc.SetCreator("cardwall", false)
	if opt.Title != "" {
		doc.SetTitle(opt.Title, true)
	}
	doc.SetMargins(0, 0, 0)
	doc.SetAutoPageBreak(false, 0)
	doc.SetLineCapStyle("butt")
	if err := addFonts(doc, pages); err != nil {
		return err
	}
	for i := range pages {
		drawPage(doc, &pages[i])
		if err := doc.Error(); err != nil {
			return fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
	}
	// Output to a buffer first so that a failure never leaves half a PDF
	// in w.
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// addFonts embeds the fonts the pages use.
func addFonts(doc *gofpdf.Fpdf, pages []layout.Page) error {
	used := map[fonts.ID]bool{}
	for i := range pages {
		for j := range pages[i].Texts {
			used[pages[i].Texts[j].Font] = true
		}
	}
	for _, id := range []fonts.ID{fonts.Sans, fonts.SansBold, fonts.CJK} {
		if !used[id] {
			continue
		}
		data := id.Data()
		// gofpdf silently rejects CFF (OTTO) and collections (ttcf) and
		// fails only at Output; check the TrueType signature first.
		if len(data) < 4 || !bytes.Equal(data[:4], []byte{0, 1, 0, 0}) && string(data[:4]) != "true" {
			return fmt.Errorf("pdf: font %s is not a TrueType font", id)
		}
		f := family[id]
		doc.AddUTF8FontFromBytes(f[0], f[1], data)
		if err := doc.Error(); err != nil {
			return fmt.Errorf("pdf: font %s: %w", id, err)
		}
	}
	return nil
}

func drawPage(doc *gofpdf.Fpdf, p *layout.Page) {
	// gofpdf swaps width and height for "L"; give the size as portrait.
	ps := gofpdf.SizeType{Wd: min(p.Width, p.Height), Ht: max(p.Width, p.Height)}
	orient := "P"
	if p.Width > p.Height {
		orient = "L"
	}
	doc.AddPageFormat(orient, ps)
	for _, r := range p.Rects {
		doc.SetFillColor(int(r.Fill.R), int(r.Fill.G), int(r.Fill.B))
		doc.Rect(r.X, r.Y, r.W, r.H, "F")
	}
	doc.SetFillColor(0, 0, 0)
	var path []byte
	for i := range p.QRs {
		path = qrPath(path[:0], &p.QRs[i], p.Height, doc.GetConversionRatio())
		doc.RawWriteStr(string(path))
	}
	font, size := fonts.ID(255), 0.0
	for i := range p.Texts {
		t := &p.Texts[i]
		if t.Font != font || t.Size != size {
			f := family[t.Font]
			doc.SetFont(f[0], f[1], t.Size)
			font, size = t.Font, t.Size
		}
		doc.SetTextColor(int(t.Color.R), int(t.Color.G), int(t.Color.B))
		doc.Text(t.X, t.Y, t.Text)
	}
	for _, l := range p.Lines {
		doc.SetDrawColor(int(l.Color.R), int(l.Color.G), int(l.Color.B))
		doc.SetLineWidth(l.Width)
		doc.Line(l.X1, l.Y1, l.X2, l.Y2)
	}
}

// qrPath appends the dark modules of q as one PDF path, a rectangle per
// horizontal run, filled once with the current fill colour. This is what
// gofpdf's Rect writes per rectangle, without a fill operator and fmt
// call each: the QR code is drawn several times faster, in fewer bytes.
// k converts mm to points; PDF's y axis points up from the page bottom.
func qrPath(buf []byte, q *layout.QR, pageH, k float64) []byte {
	m := q.Module
	num := func(v float64, sep byte) {
		buf = strconv.AppendFloat(buf, math.Round(v*100)/100, 'f', -1, 64)
		buf = append(buf, sep)
	}
	for _, r := range q.Matrix.Runs() {
		num((q.X+float64(r.X)*m)*k, ' ')
		num((pageH-q.Y-float64(r.Y)*m)*k, ' ')
		num(float64(r.Len)*m*k, ' ')
		num(-m*k, ' ')
		buf = append(buf, "re\n"...)
	}
	return append(buf, "f"...)
}

// PrintCards lays out one card per issue with tpl and writes the PDF.
func PrintCards(w io.Writer, tpl *template.Template, issues []cards.Issue) error {
	pages, err := layout.Cards(context.Background(), tpl, issues)
	if err != nil {
		return err
	}
	return Render(w, pages, Options{Title: "cardwall cards"})
}

// Markers writes column header cards for columns, one per card slot of
// tpl (see layout.Markers), as a PDF.
func Markers(w io.Writer, columns []string, tpl *template.Template) error {
	pages, err := layout.Markers(context.Background(), tpl, columns)
	if err != nil {
		return err
	}
	return Render(w, pages, Options{Title: "cardwall column headers"})
}
