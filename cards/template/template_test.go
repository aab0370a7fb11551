package template

import (
	"errors"
	"github.com/cardwall/cardwall/cards"
	"strings"
	"testing"
)

func TestBuiltinsValid(t *testing.T) {
	for _, tpl := range Builtins() {
		warns, err := tpl.Validate()
		if err != nil {
			t.Errorf("%s: %v", tpl.Name, err)
		}
		if len(warns) > 0 {
			t.Errorf("%s: warnings %q", tpl.Name, warns)
		}
		if tpl.QR == nil || tpl.QR.Size < MinQRSize {
			t.Errorf("%s: QR below %v mm", tpl.Name, MinQRSize)
		}
		cols, rows := tpl.GridSize()
		if n := len(tpl.Slots()); n != cols*rows || n == 0 {
			t.Errorf("%s: %d slots for %d×%d grid", tpl.Name, n, cols, rows)
		}
		// The JSON printed by "templates show" parses back to the same template.
		back, err := Parse(tpl.Name+".json", tpl.JSON())
		if err != nil {
			t.Fatalf("%s: re-parse: %v", tpl.Name, err)
		}
		if string(back.JSON()) != string(tpl.JSON()) {
			t.Errorf("%s: JSON round trip differs", tpl.Name)
		}
	}
	if _, ok := Builtin(DefaultName); !ok {
		t.Error("default template missing")
	}
	if _, ok := Builtin(MarkersName); !ok {
		t.Error("markers template missing")
	}
}

func TestSlots(t *testing.T) {
	tpl, _ := Builtin("a4-2x4")
	s := tpl.Slots()
	// Centred: 2×95 + 5 = 195 mm across 210 mm leaves 7.5 mm each side.
	if s[0].X != 7.5 || s[1].X != 107.5 || s[0].W != 95 {
		t.Errorf("slots %v", s[:2])
	}
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[i].Overlaps(s[j]) {
				t.Errorf("slot %d overlaps %d", i, j)
			}
		}
	}
}

// mutate returns a fresh default template changed by f.
func mutate(f func(t *Template)) *Template {
	t, _ := Builtin("a4-2x4")
	f(t)
	return t
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		tpl      *Template
		wantErr  string // substring of the error; "" = valid
		wantWarn string
	}{
		{"a6 two columns", mutate(func(t *Template) {
			t.Paper = Paper{Size: "A6"}
			t.Card = Size{105, 80}
			t.Margins = Margins{5, 5, 5, 5}
			t.Gaps = Gaps{10, 0}
			t.Grid = Grid{2, 1}
			t.Fields, t.QR, t.Stripe = nil, nil, nil
		}), "card 105×80 mm does not fit 2 columns on A6 portrait (needs 220 mm width, page has 95 mm inside margins)", ""},
		{"too many rows", mutate(func(t *Template) { t.Grid.Rows = 5 }),
			"card 95×67 mm does not fit 5 rows on A4 portrait (needs 347 mm height, page has 281 mm inside margins)", ""},
		{"card larger than page", mutate(func(t *Template) { t.Grid = Grid{}; t.Card.Width = 300 }),
			"does not fit on A4 portrait at all", ""},
		{"unknown paper", mutate(func(t *Template) { t.Paper.Size = "B5" }), `paper.size "B5" is unknown`, ""},
		{"custom paper", mutate(func(t *Template) { t.Paper = Paper{Size: "custom", Width: 0, Height: 100} }), "paper.width must be greater than 0", ""},
		{"field outside", mutate(func(t *Template) { t.Fields[0].X = 90 }), "fields[0] (key): box 90,3 45.6×8.5 mm lies outside the 95×67 mm card", ""},
		{"font size zero", mutate(func(t *Template) { t.Fields[2].FontSize = 0 }), "fields[2] (summary): fontSize must be between 0 and 400 pt", ""},
		{"min above size", mutate(func(t *Template) { t.Fields[2].MinFontSize = 20 }), "minFontSize 20 must be between 0 and fontSize 12", ""},
		{"box too low", mutate(func(t *Template) { t.Fields[0].MinFontSize = 0; t.Fields[0].Height = 5 }), "box is 5 mm high but one line at 18 pt needs 7.6 mm", ""},
		{"overlap", mutate(func(t *Template) { t.Fields[1].Y = 5 }), "fields[1] (epic name|epic) at 7,5 45.6×4 mm overlaps fields[0] (key)", ""},
		{"qr in text", mutate(func(t *Template) { t.Fields[0].Width = 80 }), "overlaps qr (with quiet zone)", ""},
		{"qr quiet zone off card", mutate(func(t *Template) { t.QR.X = 62 }), "with its 4-module quiet zone", ""},
		{"qr below hard minimum", mutate(func(t *Template) { t.QR.Size = 15 }), "below the hard minimum of 20 mm", ""},
		{"qr small", mutate(func(t *Template) { t.QR.Size = 25 }), "", "below the recommended 30 mm"},
		{"qr url without base", mutate(func(t *Template) { t.QR.Content = "url" }), `qr.content "url" needs qr.baseURL`, ""},
		{"qr url", mutate(func(t *Template) { t.QR.Content = "url"; t.QR.BaseURL = "https://jira.example.com/browse/" }), "", "makes version 3 codes"},
		{"unknown field", mutate(func(t *Template) { t.Fields[1].Field = "Team" }), "", `"Team" is not a standard field`},
		{"bad colour", mutate(func(t *Template) { t.Stripe.Rules[0].Color = "red" }), `stripe.rules[0].color: colour "red" is not #rrggbb`, ""},
		{"bad align", mutate(func(t *Template) { t.Fields[0].Align = "justify" }), `align "justify"`, ""},
		{"negative margin", mutate(func(t *Template) { t.Margins.Left = -1 }), "margins.left must not be negative", ""},
		{"bad date", mutate(func(t *Template) { t.ModifiedAt = "yesterday" }), "modifiedAt \"yesterday\"", ""},
		{"no name", mutate(func(t *Template) { t.Name = " " }), "name is empty", ""},
		{"stripe whole card", mutate(func(t *Template) { t.Stripe.Width = 95 }), "covers the whole card", ""},
		{"tiny cards", mutate(func(t *Template) { t.Grid = Grid{}; t.Card = Size{1, 1}; t.Fields, t.QR, t.Stripe = nil, nil, nil }), "cards per page is more than 100", ""},
		{"NaN card", mutate(func(t *Template) { t.Card.Width = nan() }), "card.width must be greater than 0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			warns, err := tt.tpl.Validate()
			if tt.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.wantErr != "" {
				var ve *ValidationError
				if !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v; want it to contain %q", err, tt.wantErr)
				}
			}
			if tt.wantWarn != "" && !strings.Contains(strings.Join(warns, "\n"), tt.wantWarn) {
				t.Errorf("warnings %q; want %q", warns, tt.wantWarn)
			}
		})
	}
}

type cardsIssue = cards.Issue

func nan() float64 { var z float64; return z / z }

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "t.json: empty file"},
		{"garbage", "\x00\x01binary", "t.json:1:1: invalid JSON"},
		{"array", "[]", "t.json:1:1: expected an object, found an array"},
		{"unknown field", "{\n  \"version\": 1,\n  \"fields\": [\n    {\"field\": \"key\", \"fontsize\": 3}\n  ]\n}",
			`t.json:4:22: fields[0].fontsize: unknown field "fontsize" (known: field, x, y, width, height, fontSize,`},
		{"wrong type", "{\"version\": 1, \"card\": {\"width\": \"95\"}}", `t.json:1:34: card.width: expected a number, found a string`},
		{"int", "{\"version\": 1.5}", "version: 1.5 is not a whole number"},
		{"duplicate", "{\"version\": 1, \"name\": \"a\", \"name\": \"b\"}", `t.json:1:29: name: field "name" given twice`},
		{"trailing", "{\"version\": 1} {}", "t.json:1:16: unexpected data after the template object"},
		{"truncated", "{\"version\": 1, \"paper\": {", "t.json:1:26: paper: unexpected end of file"},
		{"version", "{\"version\": 2}", "t.json:1:2: version: unsupported template version 2; this cardwall reads version 1"},
		{"no version", "{}", "unsupported template version 0"},
		{"huge", "{\"version\": 1, \"name\": \"" + strings.Repeat("x", MaxSize) + "\"}", "a template is at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.json", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error %v; want %q", err, tt.want)
			}
		})
	}
}

func TestStripeColor(t *testing.T) {
	tpl, _ := Builtin("a4-2x4")
	tpl.Stripe.Rules = append([]Rule{{Field: "label", Value: "urgent", Color: "#ff0000"}, {Field: "epic", Value: "Payments", Color: "#00ff00"}}, tpl.Stripe.Rules...)
	tests := []struct {
		is   cardsIssue
		want RGB
	}{
		{cardsIssue{Type: "bug"}, RGB{0xd3, 0x2f, 0x2f}},
		{cardsIssue{Type: "Bug", Labels: []string{"x", "Urgent"}}, RGB{255, 0, 0}},
		{cardsIssue{Type: "Story", ParentName: "payments"}, RGB{0, 255, 0}},
		{cardsIssue{Type: "Whatever"}, RGB{0x9e, 0x9e, 0x9e}},
	}
	for _, tt := range tests {
		is := tt.is
		if got, ok := tpl.Stripe.Color(&is); !ok || got != tt.want {
			t.Errorf("%+v: colour %v %v, want %v", tt.is, got, ok, tt.want)
		}
	}
}

func TestParseColor(t *testing.T) {
	for in, want := range map[string]RGB{"#fff": {255, 255, 255}, "#1A2b3c": {0x1a, 0x2b, 0x3c}} {
		if got, err := ParseColor(in); err != nil || got != want {
			t.Errorf("ParseColor(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "fff", "#ffff", "#ggg", "#12345z"} {
		if _, err := ParseColor(in); err == nil {
			t.Errorf("ParseColor(%q): no error", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, tpl := range Builtins() {
		f.Add(tpl.JSON())
	}
	f.Add([]byte(`{"version":1,"fields":[{"field":"key","fontSize":-1}]}`))
	f.Add([]byte(`{"version":1,"paper":{"size":"custom","width":1e308,"height":1e-308}}`))
	f.Add([]byte(`{"version":1,"grid":{"columns":99999999999}}`))
	f.Add([]byte("{\"version\":1,\"name\":\"\xff\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := Parse("fuzz.json", data)
		if err != nil {
			if tpl != nil {
				t.Fatal("template with error")
			}
			return
		}
		// Validation and geometry never panic, whatever the values.
		if _, err := tpl.Validate(); err == nil {
			cols, rows := tpl.GridSize()
			if cols*rows > MaxCardsPerPage || len(tpl.Slots()) != cols*rows {
				t.Fatalf("valid template: %d slots for %d×%d", len(tpl.Slots()), cols, rows)
			}
		}
	})
}
