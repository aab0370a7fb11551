package qrcode

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// decode rasterises m with its quiet zone at 4 px per module and reads it
// back with gozxing's QR reader.
func decode(t *testing.T, m *Matrix) string {
	t.Helper()
	const px = 4
	side := (m.Size + 2*QuietZone) * px
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			c := color.Gray{255}
			if m.At(x/px-QuietZone, y/px-QuietZone) {
				c = color.Gray{0}
			}
			img.SetGray(x, y, c)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode %q: %v", m.Text, err)
	}
	return res.GetText()
}

func TestEncode(t *testing.T) {
	tests := []struct {
		text    string
		mode    Mode
		version int
	}{
		{"PROJ-123", Alphanumeric, 1},
		{"ABCDEFGHIJ-12345678", Alphanumeric, 1},  // 19 chars
		{"ABCDEFGHIJK-12345678", Alphanumeric, 1}, // 20 chars: the limit of version 1-M
		{"ABCDEFGHIJKL-12345678", Alphanumeric, 2},
		{"COL:IN PROGRESS", Alphanumeric, 1},
		{"12345", Numeric, 1},
		{"proj-7", Byte, 1},                // lowercase: no alphanumeric mode
		{"owner/repo#12", Byte, 1},         // '#' is outside the alphanumeric set
		{"owner/repository#1234", Byte, 2}, // byte mode needs version 2 sooner
		{"COL:В РАБОТЕ", Byte, 2},          // UTF-8 in byte mode: 20 bytes
		{"https://jira.example.com/browse/PROJ-123", Byte, 3},
	}
	for _, tt := range tests {
		m, err := Encode(tt.text)
		if err != nil {
			t.Fatalf("Encode(%q): %v", tt.text, err)
		}
		if m.Mode != tt.mode || m.Version != tt.version || m.Size != 17+4*tt.version {
			t.Errorf("Encode(%q): mode %s version %d size %d; want %s version %d", tt.text, m.Mode, m.Version, m.Size, tt.mode, tt.version)
		}
		if got := decode(t, m); got != tt.text {
			t.Errorf("decoded %q, want %q", got, tt.text)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	if _, err := Encode(""); err == nil {
		t.Error("empty text: no error")
	}
	if _, err := Encode(strings.Repeat("x", 3000)); err == nil || !strings.Contains(err.Error(), "3000 bytes") {
		t.Errorf("3000 bytes: err = %v", err)
	}
}

func TestRuns(t *testing.T) {
	m, err := Encode("CW-1")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]bool, len(m.Dark))
	for _, r := range m.Runs() {
		if r.Len < 1 || r.X+r.Len > m.Size {
			t.Fatalf("bad run %+v", r)
		}
		if r.X > 0 && m.At(r.X-1, r.Y) || m.At(r.X+r.Len, r.Y) {
			t.Errorf("run %+v is not maximal", r)
		}
		for i := 0; i < r.Len; i++ {
			got[r.Y*m.Size+r.X+i] = true
		}
	}
	for i := range got {
		if got[i] != m.Dark[i] {
			t.Fatalf("runs differ from the matrix at module %d", i)
		}
	}
	// Finder pattern: top row of the top-left finder is one run of 7.
	if r := m.Runs()[0]; r != (Run{0, 0, 7}) {
		t.Errorf("first run %+v, want {0 0 7}", r)
	}
}

func TestTexts(t *testing.T) {
	if got := HeaderText("  In Progress "); got != "COL:IN PROGRESS" {
		t.Errorf("HeaderText = %q", got)
	}
	if got := CardText("PROJ-1"); got != "PROJ-1" {
		t.Errorf("CardText = %q", got)
	}
	if got := URLText("https://jira.example.com/browse/", "PROJ-1"); got != "https://jira.example.com/browse/PROJ-1" {
		t.Errorf("URLText = %q", got)
	}
}

func BenchmarkEncode(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		if _, err := Encode(fmt.Sprintf("PROJ-%d", i%1000)); err != nil {
			b.Fatal(err)
		}
	}
}
