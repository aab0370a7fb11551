package layout

import (
	"testing"

	"github.com/cardwall/cardwall/cards/fonts"
)

func TestShapeArabic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"سلام", "\uFEB3\uFEFC\uFEE1"},                     // seen initial, lam-alef final, meem isolated
		{"بطاقة", "\uFE91\uFEC4\uFE8E\uFED7\uFE94"},        // beh initial, tah medial, alef final, qaf initial, teh marbuta final
		{"لا", "\uFEFB"},                                   // isolated lam-alef
		{"مَرحبا", "\uFEE3\u064E\uFEAE\uFEA3\uFE92\uFE8E"}, // fatha is transparent: meem still joins reh
		{"abc", "abc"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := shapeArabic(tt.in); got != tt.want {
			t.Errorf("shapeArabic(%q) = %+q, want %+q", tt.in, got, tt.want)
		}
		for _, r := range shapeArabic(tt.in) {
			if !fonts.Has(fonts.Sans, r) {
				t.Errorf("DejaVu Sans lacks %U", r)
			}
		}
	}
}

func visual(s string) string {
	gs := shape(s, fonts.Sans)
	var out []rune
	for _, g := range visualOrder(gs, baseRTL(gs)) {
		out = append(out, g.r)
	}
	return string(out)
}

func TestVisualOrder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Fix login (now)", "Fix login (now)"},
		{"שלום", "םולש"},
		{"Fix שלום עולם now", "Fix םלוע םולש now"},
		{"שלום 25 עולם", "םלוע 25 םולש"},
		{"שלום (PROJ-12)", "(PROJ-12) םולש"},
		{"עולם (טוב)", "(בוט) םלוע"},
	}
	for _, tt := range tests {
		if got := visual(tt.in); got != tt.want {
			t.Errorf("visual(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
