package template

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
)

// builtinDate is the modifiedAt of every built-in template.
const builtinDate = "2026-11-23T00:00:00Z"

// typeColors colour the stripe by issue type in the built-in templates.
var typeColors = []Rule{
	{Field: "type", Value: "Bug", Color: "#d32f2f"},
	{Field: "type", Value: "Story", Color: "#388e3c"},
	{Field: "type", Value: "Task", Color: "#1976d2"},
	{Field: "type", Value: "Sub-task", Color: "#0097a7"},
	{Field: "type", Value: "Epic", Color: "#7b1fa2"},
	{Field: "type", Value: "Spike", Color: "#f9a825"},
	{Field: "type", Value: "Improvement", Color: "#00897b"},
	{Field: "type", Value: "Feature", Color: "#388e3c"},
}

// Text colours of the built-in design.
const (
	inkStrong = "#111111"
	inkBody   = "#212121"
	inkMuted  = "#616161"
)

// design builds the elements of the standard card design on a card of
// w×h mm with a QR symbol of qr mm. With stacked false the key, epic and
// summary sit left of the QR code and the labels, description excerpt
// and footer run below it; with stacked true (square or tall cards) the
// key, epic and summary run across the top and the footer sits left of
// the QR code at the bottom.
func design(w, h, qr float64, stacked bool) (*Stripe, *QR, []Field) {
	const (
		stripeW = 4.0
		pad     = 3.0
	)
	stripe := &Stripe{Edge: "left", Width: stripeW, Default: "#9e9e9e", Rules: append([]Rule(nil), typeColors...)}
	z := qr * 4 / 21      // quiet zone of a version 1 symbol
	zone := qr + 2*z      // QR with quiet zone
	x0 := stripeW + pad   // text starts right of the stripe
	full := w - x0 - pad  // full text width
	side := w - zone - x0 // text width beside the QR zone
	f := func(field string, x, y, fw, fh, size, minSize float64, bold bool, lines int, color string) Field {
		return Field{Field: field, X: r1(x), Y: r1(y), Width: r1(fw), Height: r1(fh), FontSize: size, MinFontSize: minSize,
			Bold: bold, MaxLines: lines, Color: color}
	}
	// Large cards (A6, 4×6 in) scale the type up, up to 1.5×.
	k := math.Min(math.Max(math.Min(w/95, h/67), 1), 1.5)
	fs := func(pt float64) float64 { return math.Round(pt*k*2) / 2 }
	var fields []Field
	q := &QR{Size: qr, Content: "key"}
	top := full
	if !stacked {
		top = side - 1
	}
	epicY := pad + 8.5*k + 0.5
	sumY := epicY + 4*k + 0.5
	fields = append(fields,
		f("key", x0, pad, top, 8.5*k, fs(18), 8, true, 1, inkStrong),
		f("epic name|epic", x0, epicY, top, 4*k, fs(8), 6, false, 1, inkMuted),
	)
	// The symbol sits 0.2 mm further in than its quiet zone needs,
	// rounded to 0.1 mm, so the zone stays inside the card.
	q.X = floor1(w - z - qr - 0.2)
	line := 4.5 * k // footer line height
	if stacked {
		q.Y = floor1(h - z - qr - 0.2)
		sumH := h - zone - sumY - 1
		fields = append(fields, f("summary", x0, sumY, full, sumH, fs(12), 7, false, 0, inkBody))
		lw := side - 1
		y := q.Y
		for _, fl := range []struct {
			name   string
			bold   bool
			suffix string
		}{{"type", true, ""}, {"priority", false, ""}, {"assignee", false, ""}, {"labels", false, ""}, {"story points", true, " SP"}} {
			if y+line > h-pad {
				break
			}
			e := f(fl.name, x0, y, lw, line, fs(8), 6, fl.bold, 1, inkMuted)
			e.Suffix = fl.suffix
			fields = append(fields, e)
			y += line + 0.5
		}
	} else {
		q.Y = ceil1(z + 0.2)
		below := ceil1(q.Y + qr + z + 0.3) // first line below the QR zone
		fields = append(fields, f("summary", x0, sumY, side-1, below-sumY-1.5, fs(12), 7, false, 0, inkBody))
		y := below
		footY := h - pad - line
		fields = append(fields, f("labels", x0, y, full, 4*k, fs(7.5), 6, false, 1, inkMuted))
		y += 4*k + 0.5
		if footY-y >= 3.5 {
			fields = append(fields, f("description", x0, y, full, footY-y-0.5, fs(7.5), 6, false, 0, inkMuted))
		}
		ptsW, typeW, prioW := 16*k, 20*k, 18*k
		pts := f("story points", w-pad-ptsW, footY, ptsW, line, fs(9), 7, true, 1, inkStrong)
		pts.Suffix, pts.Align = " SP", "right"
		fields = append(fields,
			f("type", x0, footY, typeW, line, fs(8), 6, true, 1, inkBody),
			f("priority", x0+typeW+0.5, footY, prioW, line, fs(8), 6, false, 1, inkBody),
			f("assignee", x0+typeW+prioW+1, footY, w-pad-ptsW-x0-typeW-prioW-1.5, line, fs(8), 6, false, 1, inkBody),
			pts,
		)
	}
	return stripe, q, fields
}

func r1(v float64) float64     { return math.Round(v*10) / 10 }
func floor1(v float64) float64 { return math.Floor(v*10) / 10 }
func ceil1(v float64) float64  { return math.Ceil(v*10) / 10 }

// builtin describes one built-in template before its elements are made.
type builtin struct {
	name, desc    string
	paper         Paper
	card          Size
	margins       Margins
	gaps          Gaps
	grid          Grid
	qr            float64
	stacked       bool
	border, marks bool
}

var builtins = []builtin{
	{name: "a4-2x4", desc: "A4, 8 cards of 95×67 mm", paper: Paper{Size: "A4"}, card: Size{95, 67},
		margins: Margins{8, 7.5, 8, 7.5}, gaps: Gaps{5, 3}, grid: Grid{2, 4}, qr: 30, border: true, marks: true},
	{name: "a4-2x3", desc: "A4, 6 cards of 95×90 mm", paper: Paper{Size: "A4"}, card: Size{95, 90},
		margins: Margins{8, 7.5, 8, 7.5}, gaps: Gaps{5, 4}, grid: Grid{2, 3}, qr: 34, stacked: true, border: true, marks: true},
	{name: "letter-2x4", desc: "US Letter, 8 cards of 98×63 mm", paper: Paper{Size: "Letter"}, card: Size{98, 63},
		margins: Margins{8, 7, 8, 7}, gaps: Gaps{5, 3}, grid: Grid{2, 4}, qr: 30, border: true, marks: true},
	{name: "index-3x5", desc: "3×5 in index card, one per page", paper: Paper{Size: "custom", Width: 127, Height: 76.2},
		card: Size{127, 76.2}, grid: Grid{1, 1}, qr: 32},
	{name: "index-4x6", desc: "4×6 in index card, one per page", paper: Paper{Size: "custom", Width: 152.4, Height: 101.6},
		card: Size{152.4, 101.6}, grid: Grid{1, 1}, qr: 42},
	{name: "sticky-76", desc: "76×76 mm sticky notes, 6 per A4 sheet", paper: Paper{Size: "A4"}, card: Size{76, 76},
		margins: Margins{10, 10, 10, 10}, gaps: Gaps{20, 12}, grid: Grid{2, 3}, qr: 30, stacked: true, border: true},
	{name: "a6", desc: "A6 landscape card, one per page", paper: Paper{Size: "A6", Orientation: "landscape"},
		card: Size{148, 105}, grid: Grid{1, 1}, qr: 40},
}

// DefaultName is the template used when none is given.
const DefaultName = "a4-2x4"

// MarkersName is the default template for column header cards.
const MarkersName = "a4-2x3"

func (b builtin) template() *Template {
	t := &Template{Version: FormatVersion, Name: b.name, Description: b.desc, Owner: "cardwall",
		ModifiedBy: "cardwall", ModifiedAt: builtinDate, Paper: b.paper, Card: b.card, Margins: b.margins,
		Gaps: b.gaps, Grid: b.grid}
	t.Stripe, t.QR, t.Fields = design(b.card.Width, b.card.Height, b.qr, b.stacked)
	if b.border {
		t.Border = &Border{Width: 0.25, Color: "#b0b0b0"}
	}
	if b.marks {
		t.CutMarks = &CutMarks{Length: 3, Offset: 1, Width: 0.2}
	}
	return t
}

// Builtin returns a fresh copy of the built-in template with that name
// (case-insensitive) and whether it exists.
func Builtin(name string) (*Template, bool) {
	for _, b := range builtins {
		if strings.EqualFold(b.name, name) {
			return b.template(), true
		}
	}
	return nil, false
}

// Builtins returns fresh copies of all built-in templates, in listing order.
func Builtins() []*Template {
	ts := make([]*Template, len(builtins))
	for i, b := range builtins {
		ts[i] = b.template()
	}
	return ts
}

// BuiltinNames returns the built-in names, sorted.
func BuiltinNames() []string {
	var names []string
	for _, b := range builtins {
		names = append(names, b.name)
	}
	sort.Strings(names)
	return names
}

// Resolve returns the template named by arg: a built-in name, or else a
// JSON file path. The template is validated; warnings are returned.
// An empty arg means def.
func Resolve(arg, def string) (*Template, []string, error) {
	return resolve(arg, def, func(arg string) (*Template, error) {
		if _, err := os.Stat(arg); err != nil {
			return nil, fmt.Errorf("template %q is neither a built-in (%s) nor a readable file: %v", arg, strings.Join(BuiltinNames(), ", "), err)
		}
		return Load(arg)
	})
}

// ResolveText is Resolve for callers without files (the browser): arg is a
// built-in name, or a template's JSON text (starting with "{"), or empty
// for def. The template is validated; warnings are returned.
func ResolveText(arg, def string) (*Template, []string, error) {
	return resolve(strings.TrimSpace(arg), def, func(arg string) (*Template, error) {
		if !strings.HasPrefix(arg, "{") {
			return nil, fmt.Errorf("template %q is neither a built-in (%s) nor template JSON", arg, strings.Join(BuiltinNames(), ", "))
		}
		return Parse("template", []byte(arg))
	})
}

// resolve returns the built-in named arg (def when arg is empty), or else
// what other makes of arg, validated.
func resolve(arg, def string, other func(string) (*Template, error)) (*Template, []string, error) {
	if arg == "" {
		arg = def
	}
	t, ok := Builtin(arg)
	if !ok {
		var err error
		if t, err = other(arg); err != nil {
			return nil, nil, err
		}
	}
	warns, err := t.Validate()
	return t, warns, err
}

// JSON returns the template as indented JSON, as Parse reads it.
func (t *Template) JSON() []byte {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		panic("template: marshal: " + err.Error()) // plain structs always marshal
	}
	return append(b, '\n')
}
