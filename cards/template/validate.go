package template

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/qrcode"
)

// QR size limits, in mm of symbol side.
//
// A 12-megapixel photo (4000×3000) of a 2 m wide board has about 2 pixels
// per mm. A version 1 code (21 modules) of 30 mm then gets 1.43 mm ≈ 2.9
// pixels per module, about the 3 px per module a reader needs under
// blur and perspective; smaller codes draw a warning. Below 20 mm a
// module is under 2 pixels and codes are lost, so Validate refuses.
const (
	MinQRSize     = 30.0
	HardMinQRSize = 20.0
)

// LineSpacing is the line height as a multiple of the font size.
const LineSpacing = 1.2

// PtToMM converts points to millimetres.
const PtToMM = 25.4 / 72

// LineHeight returns the height in mm of one line of text at size pt.
func LineHeight(pt float64) float64 { return pt * LineSpacing * PtToMM }

// ValidationError lists every problem that makes a template unusable.
type ValidationError struct {
	Template string
	Problems []string
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return fmt.Sprintf("template %q: %s", e.Template, e.Problems[0])
	}
	return fmt.Sprintf("template %q has %d problems:\n  - %s", e.Template, len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// Validate checks the template's geometry and values. It returns the
// warnings (the template works, but something is probably unintended,
// e.g. a QR code below the 30 mm minimum) and an error listing every
// problem that makes it unusable.
func (t *Template) Validate() (warnings []string, err error) {
	v := &validator{t: t}
	v.meta()
	v.page()
	card := Box{0, 0, t.Card.Width, t.Card.Height}
	var occupied []named // element areas that must not overlap
	if s := t.Stripe; s != nil {
		v.stripe(s)
		occupied = append(occupied, named{"stripe", s.Box(t.Card)})
	}
	if q := t.QR; q != nil {
		v.qr(q, card)
		occupied = append(occupied, named{"qr (with quiet zone)", q.MaxQuietZone()})
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		name := fmt.Sprintf("fields[%d] (%s)", i, f.Field)
		v.field(name, f, card)
		occupied = append(occupied, named{name, f.Box()})
	}
	for i := range occupied {
		for j := i + 1; j < len(occupied); j++ {
			a, b := occupied[i], occupied[j]
			if a.box.Overlaps(b.box) {
				v.errorf("%s at %s overlaps %s at %s", b.name, b.box, a.name, a.box)
			}
		}
	}
	if len(v.errs) > 0 {
		return v.warns, &ValidationError{Template: t.Name, Problems: v.errs}
	}
	return v.warns, nil
}

type named struct {
	name string
	box  Box
}

type validator struct {
	t           *Template
	errs, warns []string
}

func (v *validator) errorf(format string, a ...any) {
	v.errs = append(v.errs, fmt.Sprintf(format, a...))
}
func (v *validator) warnf(format string, a ...any) {
	v.warns = append(v.warns, fmt.Sprintf(format, a...))
}

// positive reports an error unless x is a finite number > 0.
func (v *validator) positive(what string, x float64) bool {
	if !(x > 0) || math.IsInf(x, 0) {
		v.errorf("%s must be greater than 0, is %v", what, x)
		return false
	}
	return true
}

func (v *validator) nonNegative(what string, x float64) {
	if !(x >= 0) || math.IsInf(x, 0) {
		v.errorf("%s must not be negative, is %v", what, x)
	}
}

func (v *validator) color(what, c string, optional bool) {
	if c == "" && optional {
		return
	}
	if _, err := ParseColor(c); err != nil {
		v.errorf("%s: %v", what, err)
	}
}

func (v *validator) meta() {
	t := v.t
	if strings.TrimSpace(t.Name) == "" {
		v.errorf("name is empty")
	}
	if t.ModifiedAt != "" {
		if _, err := time.Parse(time.RFC3339, t.ModifiedAt); err != nil {
			v.errorf("modifiedAt %q is not an RFC 3339 time such as 2026-11-23T10:00:00Z", t.ModifiedAt)
		}
	}
}

func (v *validator) page() {
	t := v.t
	switch t.Paper.Orientation {
	case "", "portrait", "landscape":
	default:
		v.errorf("paper.orientation %q: use \"portrait\" or \"landscape\"", t.Paper.Orientation)
	}
	if _, named := paperSizes[strings.ToLower(t.Paper.Size)]; named {
		if t.Paper.Width != 0 || t.Paper.Height != 0 {
			v.errorf("paper: give either size %q or width and height, not both", t.Paper.Size)
		}
	} else if !t.Paper.isCustom() {
		v.errorf("paper.size %q is unknown; use one of %s, or \"custom\" with width and height", t.Paper.Size, PaperNames)
		return
	} else {
		okW := v.positive("paper.width", t.Paper.Width)
		okH := v.positive("paper.height", t.Paper.Height)
		if !okW || !okH {
			return
		}
		if t.Paper.Width > 2000 || t.Paper.Height > 2000 {
			v.errorf("paper %s×%s mm is larger than 2 m", MM(t.Paper.Width), MM(t.Paper.Height))
			return
		}
	}
	okW := v.positive("card.width", t.Card.Width)
	okH := v.positive("card.height", t.Card.Height)
	for _, m := range []struct {
		n string
		x float64
	}{{"margins.top", t.Margins.Top}, {"margins.right", t.Margins.Right}, {"margins.bottom", t.Margins.Bottom},
		{"margins.left", t.Margins.Left}, {"gaps.x", t.Gaps.X}, {"gaps.y", t.Gaps.Y}} {
		v.nonNegative(m.n, m.x)
	}
	if t.Grid.Columns < 0 || t.Grid.Rows < 0 {
		v.errorf("grid %d×%d: columns and rows must not be negative (0 means as many as fit)", t.Grid.Columns, t.Grid.Rows)
		return
	}
	if !okW || !okH || len(v.errs) > 0 {
		return
	}
	w, h, _ := t.PageSize()
	innerW := w - t.Margins.Left - t.Margins.Right
	innerH := h - t.Margins.Top - t.Margins.Bottom
	paper := t.PaperName()
	card := MM(t.Card.Width) + "×" + MM(t.Card.Height) + " mm"
	if innerW <= 0 || innerH <= 0 {
		v.errorf("margins leave no room on %s (%s×%s mm inside margins)", paper, MM(innerW), MM(innerH))
		return
	}
	check := func(n int, dir string, size, gap, inner float64) {
		need := float64(n)*size + float64(n-1)*gap
		if need > inner+1e-6 {
			v.errorf("card %s does not fit %d %s on %s (needs %s mm %s, page has %s mm inside margins)",
				card, n, plural(n, dir), paper, MM(need), map[string]string{"column": "width", "row": "height"}[dir], MM(inner))
		}
	}
	cols, rows := t.GridSize()
	if t.Grid.Columns > 0 {
		check(t.Grid.Columns, "column", t.Card.Width, t.Gaps.X, innerW)
	} else if cols == 0 {
		v.errorf("card %s does not fit on %s at all (%s mm wide inside margins)", card, paper, MM(innerW))
	}
	if t.Grid.Rows > 0 {
		check(t.Grid.Rows, "row", t.Card.Height, t.Gaps.Y, innerH)
	} else if rows == 0 {
		v.errorf("card %s does not fit on %s at all (%s mm high inside margins)", card, paper, MM(innerH))
	}
	if cols*rows > MaxCardsPerPage {
		v.errorf("%d×%d = %d cards per page is more than %d; cards of %s are too small to print", cols, rows, cols*rows, MaxCardsPerPage, card)
	}
	if b := t.Border; b != nil {
		v.positive("border.width", b.Width)
		v.color("border.color", b.Color, true)
	}
	if c := t.CutMarks; c != nil {
		v.positive("cutMarks.length", c.Length)
		v.nonNegative("cutMarks.offset", c.Offset)
		v.nonNegative("cutMarks.width", c.Width)
		if m := math.Min(math.Min(t.Margins.Top, t.Margins.Bottom), math.Min(t.Margins.Left, t.Margins.Right)); m < c.Offset+c.Length {
			v.warnf("cutMarks need %s mm of margin (offset + length) but the smallest margin is %s mm; marks are cut short", MM(c.Offset+c.Length), MM(m))
		}
	}
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}

func (v *validator) stripe(s *Stripe) {
	switch s.Edge {
	case "left", "right", "top", "bottom":
	default:
		v.errorf("stripe.edge %q: use left, right, top or bottom", s.Edge)
	}
	if v.positive("stripe.width", s.Width) {
		across := v.t.Card.Width
		if s.Edge == "top" || s.Edge == "bottom" {
			across = v.t.Card.Height
		}
		if s.Width >= across {
			v.errorf("stripe.width %s mm covers the whole card", MM(s.Width))
		}
	}
	v.color("stripe.default", s.Default, true)
	for i, r := range s.Rules {
		if strings.TrimSpace(r.Field) == "" {
			v.errorf("stripe.rules[%d].field is empty", i)
		}
		v.color(fmt.Sprintf("stripe.rules[%d].color", i), r.Color, false)
	}
}

func (v *validator) qr(q *QR, card Box) {
	switch q.Content {
	case "", "key":
		if q.BaseURL != "" {
			v.warnf("qr.baseURL is ignored unless qr.content is \"url\"")
		}
	case "url":
		u, err := url.Parse(q.BaseURL)
		if q.BaseURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.errorf("qr.content \"url\" needs qr.baseURL such as \"https://jira.example.com/browse/\", got %q", q.BaseURL)
		}
	default:
		v.errorf("qr.content %q: use \"key\" or \"url\"", q.Content)
	}
	if !v.positive("qr.size", q.Size) {
		return
	}
	if q.Size < HardMinQRSize {
		v.errorf("qr.size %s mm is below the hard minimum of %s mm: a 12-megapixel photo of a 2 m board would give under 2 pixels per module and the codes could not be read", MM(q.Size), MM(HardMinQRSize))
	} else if q.Size < MinQRSize {
		v.warnf("qr.size %s mm is below the recommended %s mm: a 12-megapixel photo of a 2 m board gives under 3 pixels per module; photograph the board in parts", MM(q.Size), MM(MinQRSize))
	}
	z := q.MaxQuietZone()
	if !card.Contains(z) {
		v.errorf("qr at %s with its 4-module quiet zone (%s) does not lie inside the %s×%s mm card", q.Box(), z, MM(card.W), MM(card.H))
	}
	if q.Content == "url" && q.BaseURL != "" {
		if m, err := qrcode.Encode(qrcode.URLText(q.BaseURL, "PROJ-1234")); err == nil && m.Version > 1 {
			module := q.Size / float64(m.Size)
			need := 1.43 * float64(m.Size)
			v.warnf("qr.content \"url\" makes version %d codes (%d×%d modules): at %s mm a module is %.2f mm, against 1.43 mm for a key code of 30 mm; use qr.size ≥ %s mm for the same readability from photos", m.Version, m.Size, m.Size, MM(q.Size), module, MM(math.Ceil(need)))
		}
	}
}

// sample is an issue with every named field filled, to tell known field
// names from custom ones.
var sample = func() *cards.Issue {
	p := 3.0
	due := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return &cards.Issue{Key: "K", Summary: "s", Description: "d", Type: "t", Status: "s", Priority: "p",
		Assignee: "a", Reporter: "r", Labels: []string{"l"}, Components: []string{"c"}, ParentKey: "P",
		ParentName: "n", StoryPoints: &p, Sprint: "s", Due: &due, URL: "u"}
}()

// KnownField reports whether name is a field every issue model has
// (summary, type, story points, ...) rather than a custom field. A name
// "a|b" (the first of a and b that has a value) is known if all its
// alternatives are.
func KnownField(name string) bool {
	for alt := range strings.SplitSeq(name, "|") {
		if _, ok := sample.Field(alt); !ok {
			return false
		}
	}
	return true
}

func (v *validator) field(name string, f *Field, card Box) {
	if strings.TrimSpace(f.Field) == "" {
		v.errorf("%s: field name is empty", name)
	} else if !KnownField(f.Field) {
		v.warnf("%s: %q is not a standard field; it prints only for issues that carry a custom field of that name", name, f.Field)
	}
	okW := v.positive(name+": width", f.Width)
	okH := v.positive(name+": height", f.Height)
	if okW && okH && !card.Contains(f.Box()) {
		v.errorf("%s: box %s lies outside the %s×%s mm card", name, f.Box(), MM(card.W), MM(card.H))
	}
	if !(f.FontSize > 0) || f.FontSize > 400 {
		v.errorf("%s: fontSize must be between 0 and 400 pt, is %v", name, f.FontSize)
		return
	}
	if f.MinFontSize < 0 || f.MinFontSize > f.FontSize {
		v.errorf("%s: minFontSize %v must be between 0 and fontSize %v", name, f.MinFontSize, f.FontSize)
		return
	}
	if f.MaxLines < 0 {
		v.errorf("%s: maxLines must not be negative (0 means as many as fit)", name)
	}
	smallest := f.FontSize
	if f.MinFontSize > 0 {
		smallest = f.MinFontSize
	}
	if okH && LineHeight(smallest) > f.Height+1e-6 {
		v.errorf("%s: box is %s mm high but one line at %v pt needs %s mm", name, MM(f.Height), smallest, fmt.Sprintf("%.1f", LineHeight(smallest)))
	}
	switch f.Align {
	case "", "left", "center", "right":
	default:
		v.errorf("%s: align %q: use left, center or right", name, f.Align)
	}
	v.color(name+": color", f.Color, true)
}

// RGB is a colour with 8-bit channels.
type RGB struct{ R, G, B uint8 }

// ParseColor reads "#rrggbb" or "#rgb".
func ParseColor(s string) (RGB, error) {
	bad := fmt.Errorf("colour %q is not #rrggbb or #rgb", s)
	if len(s) != 7 && len(s) != 4 || s[0] != '#' {
		return RGB{}, bad
	}
	var v [6]uint8
	for i, c := range []byte(s[1:]) {
		switch {
		case c >= '0' && c <= '9':
			v[i] = c - '0'
		case c >= 'a' && c <= 'f':
			v[i] = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v[i] = c - 'A' + 10
		default:
			return RGB{}, bad
		}
	}
	if len(s) == 4 {
		return RGB{v[0] * 17, v[1] * 17, v[2] * 17}, nil
	}
	return RGB{v[0]<<4 | v[1], v[2]<<4 | v[3], v[4]<<4 | v[5]}, nil
}

// Color returns the stripe colour for an issue: the colour of the first
// matching rule, else the default. ok is false when neither applies.
func (s *Stripe) Color(is *cards.Issue) (c RGB, ok bool) {
	for _, r := range s.Rules {
		if r.Matches(is) {
			c, err := ParseColor(r.Color)
			return c, err == nil
		}
	}
	if s.Default == "" {
		return RGB{}, false
	}
	c, err := ParseColor(s.Default)
	return c, err == nil
}

// Matches reports whether the issue's field equals the rule's value
// (case-insensitive). For "label" and "component" any one element may
// match; for "epic" the epic's key or name.
func (r *Rule) Matches(is *cards.Issue) bool {
	eq := func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(r.Value)) }
	anyOf := func(list []string) bool {
		for _, s := range list {
			if eq(s) {
				return true
			}
		}
		return false
	}
	switch strings.ToLower(strings.TrimSpace(r.Field)) {
	case "label", "labels":
		return anyOf(is.Labels)
	case "component", "components", "component/s":
		return anyOf(is.Components)
	case "epic", "parent":
		return eq(is.ParentKey) || is.ParentName != "" && eq(is.ParentName)
	}
	v, _ := is.Field(r.Field)
	return eq(v)
}
