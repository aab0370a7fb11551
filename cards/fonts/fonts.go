// Package fonts embeds the TrueType fonts cards are printed with and
// measures text in them, choosing a font per glyph.
//
// Three fonts ship with cardwall (licences beside the files):
//
//   - DejaVu Sans and DejaVu Sans Bold (Latin, Cyrillic, Greek, Arabic
//     letters, many symbols; Bitstream Vera licence + public domain),
//   - Droid Sans Fallback Full (CJK: Chinese and Japanese; Apache 2.0).
//     Debian's build has no Hangul syllables, so Korean prints as U+FFFD.
//
// Text is split into runs by which font has each glyph (DejaVu first,
// Droid as fallback). A character no font has becomes the replacement
// character U+FFFD, drawn from DejaVu, so it is visible and never garbage.
// Metrics come from the fonts' own hmtx tables, so layout does not need a
// PDF library.
package fonts

import (
	_ "embed"
	"fmt"
	"math"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

//go:embed DejaVuSans.ttf
var dejaVuSans []byte

//go:embed DejaVuSans-Bold.ttf
var dejaVuSansBold []byte

//go:embed DroidSansFallbackFull.ttf
var droidSansFallback []byte

// ID names one embedded font.
type ID uint8

// The embedded fonts.
const (
	Sans     ID = iota // DejaVu Sans
	SansBold           // DejaVu Sans Bold
	CJK                // Droid Sans Fallback Full (no bold face)
	numFonts
)

// Replacement is drawn for a character no embedded font has.
const Replacement = '\uFFFD'

// Ellipsis ends text cut short to fit its box.
const Ellipsis = '…'

var names = [numFonts]string{"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallbackFull"}

// String returns the font's file name without extension, e.g. "DejaVuSans".
func (id ID) String() string {
	if id < numFonts {
		return names[id]
	}
	return fmt.Sprintf("fonts.ID(%d)", uint8(id))
}

// Data returns the TrueType bytes of a font. The slice must not be modified.
func (id ID) Data() []byte {
	switch id {
	case Sans:
		return dejaVuSans
	case SansBold:
		return dejaVuSansBold
	case CJK:
		return droidSansFallback
	}
	return nil
}

// Ascent and Descent are the line extents of the DejaVu fonts above and
// below the baseline, in em (from the hhea table). Text boxes use them.
const (
	Ascent  = 0.928
	Descent = 0.236
)

// face holds the parsed metrics of one font. Advances are in thousandths
// of an em, rounded the way PDF width arrays are, and cached per rune.
type face struct {
	once  sync.Once
	err   error
	font  *sfnt.Font
	buf   sfnt.Buffer
	upem  float64
	mu    sync.Mutex
	cache map[rune]int32 // advance in 1/1000 em; -1 when the font lacks the glyph
	ascii [128]int32     // fast path, filled at load
}

var faces [numFonts]face

func (f *face) load(id ID) error {
	f.once.Do(func() {
		f.font, f.err = sfnt.Parse(id.Data())
		if f.err != nil {
			f.err = fmt.Errorf("fonts: parse %s: %w", id, f.err)
			return
		}
		f.upem = float64(f.font.UnitsPerEm())
		f.cache = make(map[rune]int32)
		for r := range rune(len(f.ascii)) {
			f.ascii[r] = f.lookup(r)
		}
	})
	return f.err
}

// lookup reads one advance from the font; callers hold mu or are in load.
func (f *face) lookup(r rune) int32 {
	gi, err := f.font.GlyphIndex(&f.buf, r)
	if err != nil || gi == 0 {
		return -1
	}
	adv, err := f.font.GlyphAdvance(&f.buf, gi, fixed.Int26_6(f.upem*64), 0)
	if err != nil {
		return -1
	}
	return int32(math.Round(1000 * float64(adv) / 64 / f.upem))
}

// advance returns the advance width of r in 1/1000 em, or -1 if the font
// has no glyph for r.
func advance(id ID, r rune) int32 {
	f := &faces[id]
	if err := f.load(id); err != nil {
		return -1
	}
	if r >= 0 && r < rune(len(f.ascii)) {
		return f.ascii[r]
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.cache[r]
	if !ok {
		a = f.lookup(r)
		f.cache[r] = a
	}
	return a
}

// Check parses every embedded font and reports the first failure. The
// fonts are embedded, so an error means a broken build.
func Check() error {
	for id := range numFonts {
		if err := faces[id].load(id); err != nil {
			return err
		}
	}
	return nil
}

// Has reports whether font id has a glyph for r.
func Has(id ID, r rune) bool { return advance(id, r) >= 0 }

// Pick returns the font that draws r for text set in primary (Sans or
// SansBold), and the rune to draw: r itself, or Replacement when no font
// has it. Only the Basic Multilingual Plane is used, because the PDF
// writer's font subsetter handles BMP characters only.
func Pick(primary ID, r rune) (ID, rune) {
	if r <= 0xFFFF && r != 0 {
		if advance(primary, r) >= 0 {
			return primary, r
		}
		if advance(CJK, r) >= 0 {
			return CJK, r
		}
	}
	return primary, Replacement
}

// Advance returns the advance width of r in font id, in em, or the width
// of Replacement if the font lacks r.
func Advance(id ID, r rune) float64 {
	a := advance(id, r)
	if a < 0 {
		a = advance(id, Replacement)
	}
	return float64(a) / 1000
}

// Run is a piece of text drawn in one font.
type Run struct {
	Font ID
	Text string
	// Width is the advance width in em; multiply by the font size.
	Width float64
}

// Split breaks s into runs by the font that has each glyph, starting from
// primary. Characters no font has are replaced by Replacement. Callers
// are expected to have cleaned control characters with Clean.
func Split(primary ID, s string) []Run {
	var runs []Run
	var cur []rune
	curFont := primary
	var w float64
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, Run{Font: curFont, Text: string(cur), Width: w})
		}
		cur, w = cur[:0], 0
	}
	for _, r := range s {
		id, g := Pick(primary, r)
		if id != curFont {
			flush()
			curFont = id
		}
		cur = append(cur, g)
		w += Advance(id, g)
	}
	flush()
	return runs
}

// Width returns the advance width of s in em when set in primary with
// per-glyph fallback; multiply by the font size to get a length.
func Width(primary ID, s string) float64 {
	var w float64
	for _, r := range s {
		id, g := Pick(primary, r)
		w += Advance(id, g)
	}
	return w
}

// Clean makes tracker text printable on one logical paragraph: line
// breaks, tabs and other whitespace become single spaces; invisible
// format characters (zero-width joiners, bidi marks, BOM) are dropped;
// other control characters become Replacement so their presence stays
// visible. Leading and trailing space is trimmed. The text is put in
// Unicode normalisation form C first, so that a letter with a combining
// accent becomes the precomposed glyph the fonts have.
func Clean(s string) string {
	s = norm.NFC.String(s)
	out := make([]rune, 0, len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\uFFFD':
			// keep as is below
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		case unicode.IsControl(r):
			r = Replacement
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
		}
		space = false
		out = append(out, r)
	}
	return string(out)
}

// MarshalText writes the font's name, so layouts serialise readably.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText reads a font name written by MarshalText.
func (id *ID) UnmarshalText(b []byte) error {
	for i, n := range names {
		if n == string(b) {
			*id = ID(i)
			return nil
		}
	}
	return fmt.Errorf("fonts: unknown font %q", b)
}
