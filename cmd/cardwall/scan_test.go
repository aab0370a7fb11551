package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/cardwall/cardwall/sync/board"
	"github.com/cardwall/cardwall/sync/boardgen"
)

// The demo board photo: 24 demo issues in To Do / In Progress / Review /
// Done, six of them pinned in a column other than their status's.
const (
	demoPhoto     = "../../testdata/demo/board.jpg"
	demoTruth     = "../../testdata/demo/board.json"
	demoIssueFile = "../../testdata/demo/issues.json"
)

func skipSlowScan(t *testing.T) {
	t.Helper()
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("scans 8 MP photos; skipped with -short and under wasm")
	}
}

// scanOut is the --json output for one photo.
type scanOut struct {
	Photo struct {
		File          string
		Width, Height int
	}
	Columns []struct {
		Name    string
		Corners [4]board.Point
	}
	Cards []struct {
		Key, Column string
		Corners     [4]board.Point
	}
	Unassigned []struct{ Key, Reason string }
	Unreadable []struct{ Corners [4]board.Point }
	Updates    []board.Update
	Unknown    []string
	NotSeen    []string
	Problems   []string
}

func scanJSONOf(t *testing.T, args ...string) scanOut {
	t.Helper()
	status, out, errs := runCLI(append([]string{"scan", "--json"}, args...)...)
	if status != 0 {
		t.Fatalf("scan %v: status %d, stderr %q", args, status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one JSON line, got %d: %q", len(lines), out)
	}
	var s scanOut
	if err := json.Unmarshal([]byte(lines[0]), &s); err != nil {
		t.Fatalf("bad JSON %q: %v", lines[0], err)
	}
	return s
}

func readTruth(t *testing.T, path string) *boardgen.Truth {
	t.Helper()
	tr, err := boardgen.ReadTruth(path)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// placed returns key → column of the cards in a scan.
func (s scanOut) placed() map[string]string {
	m := map[string]string{}
	for _, c := range s.Cards {
		m[c.Key] = c.Column
	}
	return m
}

func (s scanOut) problems() string { return strings.Join(s.Problems, "\n") }

func TestScanDemoBoard(t *testing.T) {
	skipSlowScan(t)
	tr := readTruth(t, demoTruth)
	s := scanJSONOf(t, "--issues", demoIssueFile, demoPhoto)
	checkPlacement(t, s, tr)
	if len(s.Cards) != len(tr.Cards) || len(s.Columns) != 4 {
		t.Errorf("%d cards in %d columns, want %d in 4", len(s.Cards), len(s.Columns), len(tr.Cards))
	}
	// The demo board has cards pinned ahead of the tracker: each must
	// come out as an update from its status to its column's status.
	status := map[string]string{"TO DO": "To Do", "IN PROGRESS": "In Progress", "REVIEW": "Review", "DONE": "Done"}
	var want []board.Update
	issues := demoStatuses(t)
	for _, c := range tr.Cards {
		if to := status[c.Column]; issues[c.Key] != to {
			want = append(want, board.Update{Key: c.Key, From: issues[c.Key], To: to})
		}
	}
	slices.SortFunc(want, func(a, b board.Update) int {
		if board.KeyLess(a.Key, b.Key) {
			return -1
		}
		return 1
	})
	if len(want) == 0 || !slices.Equal(s.Updates, want) {
		t.Errorf("updates %v, want %v", s.Updates, want)
	}
	if len(s.Unknown)+len(s.NotSeen)+len(s.Problems) != 0 {
		t.Errorf("unexpected unknown %v, not seen %v, problems %q", s.Unknown, s.NotSeen, s.Problems)
	}
	checkCorners(t, s, tr)
}

// checkPlacement checks the photo size (as displayed) and that every
// card of the truth is in its column.
func checkPlacement(t *testing.T, s scanOut, tr *boardgen.Truth) {
	t.Helper()
	if s.Photo.Width != tr.Width || s.Photo.Height != tr.Height {
		t.Errorf("photo %d×%d, want the displayed %d×%d", s.Photo.Width, s.Photo.Height, tr.Width, tr.Height)
	}
	got := s.placed()
	for _, c := range tr.Cards {
		if got[c.Key] != c.Column {
			t.Errorf("%s in %q, want %q", c.Key, got[c.Key], c.Column)
		}
	}
}

// checkCorners checks that every card's corners in a scan match the
// truth (displayed orientation) to within a few pixels.
func checkCorners(t *testing.T, s scanOut, tr *boardgen.Truth) {
	t.Helper()
	for _, c := range s.Cards {
		tc := truthCode(t, tr.Cards, c.Key)
		for k := range c.Corners {
			if d := math.Hypot(c.Corners[k].X-tc.Corners[k].X, c.Corners[k].Y-tc.Corners[k].Y); d > 4 {
				t.Errorf("%s corner %d at %v, truth %v", c.Key, k, c.Corners[k], tc.Corners[k])
			}
		}
	}
}

// demoStatuses reads key → status of the demo issues.
func demoStatuses(t *testing.T) map[string]string {
	t.Helper()
	var resp struct {
		Issues []struct {
			Key    string
			Fields struct{ Status struct{ Name string } }
		}
	}
	data, err := os.ReadFile(demoIssueFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, is := range resp.Issues {
		m[is.Key] = is.Fields.Status.Name
	}
	return m
}

func TestScanTextSummary(t *testing.T) {
	skipSlowScan(t)
	status, out, errs := runCLI("scan", "--issues", demoIssueFile, demoPhoto)
	if status != 0 {
		t.Fatalf("status %d, stderr %q", status, errs)
	}
	for _, want := range []string{"4 columns, 24 cards placed", "  TO DO (", "  IN PROGRESS (", "proposed updates (", " → "} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

// editedPhoto writes a copy of the demo photo changed by edit and returns
// its path.
func editedPhoto(t *testing.T, name string, edit func(img *image.RGBA, tr *boardgen.Truth)) string {
	t.Helper()
	f, err := os.Open(demoPhoto)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(src.Bounds())
	draw.Draw(img, img.Rect, src, image.Point{}, draw.Src)
	edit(img, readTruth(t, demoTruth))
	path := filepath.Join(t.TempDir(), name)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// codeBox is the bounding box of a code with its quiet zone.
func codeBox(q [4]board.Point) image.Rectangle {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range q {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	m := (maxX - minX) * 0.2
	return image.Rect(int(minX-m), int(minY-m), int(maxX+m), int(maxY+m))
}

// blank paints over a code with card-white.
func blank(img *image.RGBA, q [4]board.Point) {
	draw.Draw(img, codeBox(q), image.NewUniform(img.At(int(q[0].X)-1, int(q[0].Y)-1)), image.Point{}, draw.Src)
}

// copyCode pastes the code at from, with its quiet zone, centred on to.
func copyCode(img *image.RGBA, from, to [4]board.Point) {
	b := codeBox(from)
	c := codeBox(to)
	at := image.Pt((c.Min.X+c.Max.X)/2-b.Dx()/2, (c.Min.Y+c.Max.Y)/2-b.Dy()/2)
	patch := image.NewRGBA(b)
	draw.Draw(patch, b, img, b.Min, draw.Src)
	draw.Draw(img, image.Rectangle{at, at.Add(b.Size())}, patch, b.Min, draw.Src)
}

func truthCode(t *testing.T, codes []boardgen.TruthCode, key string) boardgen.TruthCode {
	t.Helper()
	i := slices.IndexFunc(codes, func(c boardgen.TruthCode) bool { return c.Text == key || c.Key == key })
	if i < 0 {
		t.Fatalf("no code %q in the demo truth", key)
	}
	return codes[i]
}

func TestScanBadBoards(t *testing.T) {
	skipSlowScan(t)
	t.Run("no headers", func(t *testing.T) {
		p := editedPhoto(t, "noheaders.jpg", func(img *image.RGBA, tr *boardgen.Truth) {
			for _, c := range tr.Columns {
				blank(img, c.Corners)
			}
		})
		s := scanJSONOf(t, "--issues", demoIssueFile, p)
		if len(s.Columns) != 0 || len(s.Cards) != 0 || len(s.Unassigned) != 24 || len(s.Updates) != 0 {
			t.Errorf("columns %d, cards %d, unassigned %d, updates %v; want 0, 0, 24, none", len(s.Columns), len(s.Cards), len(s.Unassigned), s.Updates)
		}
		for _, u := range s.Unassigned {
			if u.Reason != "no column headers found in the photo" {
				t.Errorf("%s: reason %q", u.Key, u.Reason)
			}
		}
		for _, want := range []string{"no column headers (COL:…) found", `no header for status "In Progress" (COL:IN PROGRESS)`} {
			if !strings.Contains(s.problems(), want) {
				t.Errorf("problems %q lack %q", s.Problems, want)
			}
		}
	})
	t.Run("headers only", func(t *testing.T) {
		p := editedPhoto(t, "headersonly.jpg", func(img *image.RGBA, tr *boardgen.Truth) {
			for _, c := range tr.Cards {
				blank(img, c.Corners)
			}
		})
		s := scanJSONOf(t, "--issues", demoIssueFile, p)
		if len(s.Columns) != 4 || len(s.Cards)+len(s.Unassigned) != 0 || len(s.Updates) != 0 || len(s.NotSeen) != 24 {
			t.Errorf("columns %d, cards %d, updates %v, not seen %d; want 4, 0, none, 24", len(s.Columns), len(s.Cards), s.Updates, len(s.NotSeen))
		}
	})
	t.Run("two headers with the same name", func(t *testing.T) {
		p := editedPhoto(t, "twoheaders.jpg", func(img *image.RGBA, tr *boardgen.Truth) {
			copyCode(img, truthCode(t, tr.Columns, "COL:DONE").Corners, truthCode(t, tr.Columns, "COL:REVIEW").Corners)
		})
		s := scanJSONOf(t, "--issues", demoIssueFile, p)
		if !strings.Contains(s.problems(), `column header "DONE" appears 2 times`) {
			t.Errorf("problems %q lack the duplicate header", s.Problems)
		}
		tr := readTruth(t, demoTruth)
		got := s.placed()
		for _, c := range tr.Cards {
			want := c.Column
			if want == "REVIEW" {
				want = "DONE"
			}
			if got[c.Key] != want {
				t.Errorf("%s in %q, want %q", c.Key, got[c.Key], want)
			}
		}
	})
	t.Run("same card twice", func(t *testing.T) {
		tr := readTruth(t, demoTruth)
		// A card whose column differs from its status: it would get an update.
		moved := scanJSONOf(t, "--issues", demoIssueFile, demoPhoto).Updates[0].Key
		var other string
		for _, c := range tr.Cards {
			if c.Key != moved {
				other = c.Text
				break
			}
		}
		p := editedPhoto(t, "twice.jpg", func(img *image.RGBA, tr *boardgen.Truth) {
			copyCode(img, truthCode(t, tr.Cards, moved).Corners, truthCode(t, tr.Cards, other).Corners)
		})
		s := scanJSONOf(t, "--issues", demoIssueFile, p)
		if !strings.Contains(s.problems(), "card "+moved+" is on the board 2 times; no update is proposed for it") {
			t.Errorf("problems %q lack the duplicate card %s", s.Problems, moved)
		}
		if slices.ContainsFunc(s.Updates, func(u board.Update) bool { return u.Key == moved || u.Key == other }) {
			t.Errorf("updates %v include %s or %s", s.Updates, moved, other)
		}
		if !slices.Contains(s.NotSeen, other) {
			t.Errorf("not seen %v lacks the covered card %s", s.NotSeen, other)
		}
	})
	t.Run("card key not in the issues", func(t *testing.T) {
		csv := "key,summary,status\nCW-1,One,To Do\nCW-2,Two,To Do\nCW-99,Ninety-nine,Done\n"
		path := filepath.Join(t.TempDir(), "few.csv")
		if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		s := scanJSONOf(t, "--issues", path, demoPhoto)
		if len(s.Unknown) != 22 || slices.Contains(s.Unknown, "CW-1") || !slices.Equal(s.NotSeen, []string{"CW-99"}) {
			t.Errorf("unknown %v (want the 22 other demo keys), not seen %v (want CW-99)", s.Unknown, s.NotSeen)
		}
		for _, u := range s.Updates {
			if u.Key != "CW-1" && u.Key != "CW-2" {
				t.Errorf("update for unknown card: %v", u)
			}
		}
	})
}

// withOrientation returns a JPEG of img turned so that EXIF orientation o
// (6: turn 90° clockwise to display) shows img upright.
func withOrientation(t *testing.T, img *image.RGBA) []byte {
	t.Helper()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	raw := image.NewRGBA(image.Rect(0, 0, h, w)) // img turned 90° anticlockwise
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			copy(raw.Pix[(w-1-x)*raw.Stride+y*4:][:4], img.Pix[y*img.Stride+x*4:][:4])
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, raw, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	// APP1 Exif: little-endian TIFF with one IFD entry, Orientation = 6.
	var tiff bytes.Buffer
	tiff.WriteString("II")
	le := binary.LittleEndian
	binary.Write(&tiff, le, uint16(42))
	binary.Write(&tiff, le, uint32(8))
	binary.Write(&tiff, le, uint16(1))           // entries
	binary.Write(&tiff, le, []uint16{0x0112, 3}) // tag, SHORT
	binary.Write(&tiff, le, uint32(1))           // count
	binary.Write(&tiff, le, []uint16{6, 0})      // value
	binary.Write(&tiff, le, uint32(0))           // next IFD
	app1 := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}
	j := buf.Bytes()
	return append(append(append([]byte{}, j[:2]...), append(seg, app1...)...), j[2:]...)
}

func TestScanRotatedEXIFPhoto(t *testing.T) {
	skipSlowScan(t)
	var data []byte
	editedPhoto(t, "unused.jpg", func(img *image.RGBA, _ *boardgen.Truth) { data = withOrientation(t, img) })
	path := filepath.Join(t.TempDir(), "rotated.jpg")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	tr := readTruth(t, demoTruth)
	s := scanJSONOf(t, "--issues", demoIssueFile, path)
	checkPlacement(t, s, tr)
	// Corners are in the displayed orientation: they match the upright truth.
	checkCorners(t, s, tr)
	if len(s.Updates) == 0 {
		t.Error("no updates from the rotated demo board")
	}
}

func TestScanBadInput(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.jpg")
	os.WriteFile(junk, []byte("this is not a photo"), 0o644)
	badMap := filepath.Join(dir, "map.json")
	os.WriteFile(badMap, []byte("{\n\"DONE\": 3}"), 0o644)
	tests := []struct {
		args   []string
		status int
		stdout string
		stderr string
	}{
		{[]string{"scan"}, 2, "", "no PHOTO given"},
		{[]string{"scan", "--bogus", "x.jpg"}, 2, "", "flag provided but not defined"},
		{[]string{"scan", "--effort", "turbo", "x.jpg"}, 2, "", `--effort "turbo": want fast, normal or thorough`},
		{[]string{"scan", "--max-pixels", "0", "x.jpg"}, 2, "", "--max-pixels 0: want 1 to 104857600 pixels"},
		{[]string{"scan", "--max-pixels", "200000000", "x.jpg"}, 2, "", "--max-pixels 200000000: want 1 to 104857600 pixels"},
		{[]string{"scan", "--max-pixels", "many", "x.jpg"}, 2, "", `invalid value "many" for flag -max-pixels`},
		{[]string{"scan", "--max-pixels", "1000", demoPhoto}, 1, "", "over the pixel limit of 0.001 MP (--max-pixels raises it)"},
		{[]string{"scan", junk}, 1, "", "junk.jpg"},
		{[]string{"scan", "--json", junk}, 1, "null\n", "1 of 1 photos could not be read"},
		{[]string{"scan", filepath.Join(dir, "missing.jpg")}, 1, "", "missing.jpg"},
		{[]string{"scan", "--map", badMap, junk}, 1, "", `map.json:2: column "DONE": status must be a string`},
		{[]string{"scan", "--issues", filepath.Join(dir, "none.json"), junk}, 1, "", "none.json"},
	}
	for _, tc := range tests {
		status, out, errs := runCLI(tc.args...)
		if status != tc.status || out != tc.stdout || !strings.Contains(errs, tc.stderr) {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want %d, %q, …%q…", tc.args, status, out, errs, tc.status, tc.stdout, tc.stderr)
		}
		if strings.Contains(errs, "panic") || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: panic reached the user: %s", tc.args, errs)
		}
	}
	if status, _, errs := runCLI("scan", "-h"); status != 0 || !strings.Contains(errs, "usage: cardwall scan") {
		t.Errorf("scan -h: status %d, %q", status, errs)
	}
}
