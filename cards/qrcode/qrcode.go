// Package qrcode encodes the QR codes printed on cards and column headers
// and defines the texts they carry (the board contract).
//
// The contract, which the photo scanner (sync/) relies on:
//
//   - A card's QR text is the issue key exactly, e.g. "PROJ-123"
//     (CardText). Keys made only of QR alphanumeric characters
//     (0–9, A–Z, space and $%*+-./:) are encoded in alphanumeric mode at
//     error-correction level M, so keys up to 20 characters stay at
//     version 1 (21×21 modules), the largest modules for a printed size.
//     Alphanumeric mode has no lowercase letters: a key such as
//     "owner/repo#12" or "proj-7" is encoded in byte mode (UTF-8), which
//     still decodes to the exact key but needs a larger version sooner.
//   - A template may choose URL codes instead (URLText): base URL + key,
//     e.g. "https://jira.example.com/browse/PROJ-123", so a phone camera
//     opens the issue. Scanners accept both forms.
//   - A column header's QR text is "COL:" + the column name in upper case
//     (HeaderText), e.g. "COL:IN PROGRESS", alphanumeric where possible.
//
// Every code is drawn with a quiet zone of QuietZone modules.
package qrcode

import (
	"fmt"
	"strings"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// QuietZone is the light margin around a symbol, in modules, that must
// stay clear for a reader to find it (ISO/IEC 18004).
const QuietZone = 4

// HeaderPrefix starts the QR text of a column header card.
const HeaderPrefix = "COL:"

// Mode is the QR data encoding mode a text was encoded in.
type Mode string

// The modes the encoder chooses from.
const (
	Numeric      Mode = "numeric"
	Alphanumeric Mode = "alphanumeric"
	Byte         Mode = "byte"
)

// Matrix is a square QR symbol without its quiet zone.
type Matrix struct {
	Size    int    // modules per side: 21 for version 1, +4 per version
	Version int    // QR version 1–40
	Mode    Mode   // data mode the text was encoded in
	Text    string // the encoded text
	// Dark holds Size×Size modules row by row: Dark[y*Size+x] is true
	// for a dark module.
	Dark []bool
}

// At reports whether the module at column x, row y is dark. Outside the
// symbol (the quiet zone) it is light.
func (m *Matrix) At(x, y int) bool {
	if x < 0 || y < 0 || x >= m.Size || y >= m.Size {
		return false
	}
	return m.Dark[y*m.Size+x]
}

// Run is a horizontal run of dark modules: Len modules starting at
// column X of row Y. Drawing one rectangle per run instead of per module
// makes smaller, faster PDFs with no seams between modules.
type Run struct {
	X, Y, Len int
}

// Runs returns the merged horizontal runs of dark modules, row by row,
// left to right.
func (m *Matrix) Runs() []Run {
	var runs []Run
	for y := 0; y < m.Size; y++ {
		row := m.Dark[y*m.Size : (y+1)*m.Size]
		for x := 0; x < m.Size; {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < m.Size && row[x] {
				x++
			}
			runs = append(runs, Run{X: start, Y: y, Len: x - start})
		}
	}
	return runs
}

// Encode encodes text at error-correction level M in the smallest
// version that holds it, choosing numeric, alphanumeric or byte (UTF-8)
// mode from the text.
func Encode(text string) (*Matrix, error) {
	if text == "" {
		return nil, fmt.Errorf("qrcode: empty text")
	}
	code, err := encoder.Encoder_encode(text, decoder.ErrorCorrectionLevel_M, nil)
	if err != nil {
		return nil, fmt.Errorf("qrcode: encode %q (%d bytes): %v", shorten(text), len(text), err)
	}
	bm := code.GetMatrix()
	n := bm.GetWidth()
	m := &Matrix{Size: n, Version: code.GetVersion().GetVersionNumber(), Text: text, Dark: make([]bool, n*n)}
	switch code.GetMode() {
	case decoder.Mode_NUMERIC:
		m.Mode = Numeric
	case decoder.Mode_ALPHANUMERIC:
		m.Mode = Alphanumeric
	default:
		m.Mode = Byte
	}
	for y, row := range bm.GetArray() {
		for x, v := range row {
			m.Dark[y*n+x] = v == 1
		}
	}
	return m, nil
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// CardText is the QR text of a card in "key" mode: the key exactly.
func CardText(key string) string { return key }

// URLText is the QR text of a card in "url" mode: baseURL followed by the
// key, e.g. URLText("https://jira.example.com/browse/", "PROJ-1").
func URLText(baseURL, key string) string { return baseURL + key }

// HeaderText is the QR text of a column header card: "COL:" followed by
// the column name in upper case, surrounding space trimmed.
func HeaderText(column string) string {
	return HeaderPrefix + strings.ToUpper(strings.TrimSpace(column))
}
