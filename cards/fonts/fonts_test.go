package fonts

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	for id := range numFonts {
		if d := id.Data(); len(d) < 4 || string(d[:4]) != "\x00\x01\x00\x00" {
			t.Errorf("%s is not a TrueType (glyf) font; gofpdf rejects OTF/TTC", id)
		}
	}
}

func TestPick(t *testing.T) {
	tests := []struct {
		r        rune
		primary  ID
		wantFont ID
		wantRune rune
	}{
		{'A', Sans, Sans, 'A'},
		{'ß', SansBold, SansBold, 'ß'},
		{'Ж', Sans, Sans, 'Ж'},
		{'Ω', Sans, Sans, 'Ω'},
		{'ب', Sans, Sans, 'ب'},         // Arabic letters are in DejaVu Sans
		{'日', Sans, CJK, '日'},          // CJK falls back to Droid
		{'カ', SansBold, CJK, 'カ'},      // no bold CJK face: Droid regular
		{'한', Sans, Sans, Replacement}, // Debian's Droid build has no Hangul syllables
		{'★', Sans, Sans, '★'},         // BMP symbol DejaVu has
		{'🎉', Sans, Sans, Replacement}, // beyond the BMP: replacement
		{'\uE000', Sans, Sans, Replacement},
		{0, Sans, Sans, Replacement},
	}
	for _, tt := range tests {
		id, g := Pick(tt.primary, tt.r)
		if id != tt.wantFont || g != tt.wantRune {
			t.Errorf("Pick(%s, %U) = %s, %U; want %s, %U", tt.primary, tt.r, id, g, tt.wantFont, tt.wantRune)
		}
	}
	if !Has(Sans, Replacement) || !Has(SansBold, Replacement) || !Has(Sans, Ellipsis) || !Has(SansBold, Ellipsis) {
		t.Error("DejaVu must have U+FFFD and the ellipsis")
	}
}

func TestAdvance(t *testing.T) {
	// DejaVu Sans: 'i' is narrower than 'W', bold is wider than regular.
	if Advance(Sans, 'i') >= Advance(Sans, 'W') {
		t.Error("i not narrower than W")
	}
	if Advance(SansBold, 'a') <= Advance(Sans, 'a') {
		t.Error("bold a not wider than regular a")
	}
	// Known value from DejaVuSans.ttf hmtx: space is 651/2048 em = 318/1000.
	if got := Advance(Sans, ' '); got != 0.318 {
		t.Errorf("space advance = %v, want 0.318", got)
	}
	// A CJK ideograph is one em wide in Droid.
	if got := Advance(CJK, '日'); got < 0.9 || got > 1.05 {
		t.Errorf("日 advance = %v em", got)
	}
}

func TestSplit(t *testing.T) {
	runs := Split(Sans, "Fix 日本語 bug 🎉!")
	var got []string
	for _, r := range runs {
		got = append(got, r.Font.String()+":"+r.Text)
	}
	want := []string{"DejaVuSans:Fix ", "DroidSansFallbackFull:日本語", "DejaVuSans: bug \uFFFD!"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Split = %q, want %q", got, want)
	}
	var sum float64
	for _, r := range runs {
		sum += r.Width
	}
	if w := Width(Sans, "Fix 日本語 bug 🎉!"); w != sum {
		t.Errorf("Width %v != sum of runs %v", w, sum)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a\tb\r\nc  ", "a b c"},
		{"bell\x07here", "bell\uFFFDhere"},
		{"zero\u200Bwidth\u200Dx\uFEFF", "zerowidthx"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"\x00", "\uFFFD"},
		{"Cafe\u0301 Zu\u0308rich", "Café Zürich"}, // NFC
		{"", ""},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
