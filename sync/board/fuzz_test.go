package board_test

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/cardwall/cardwall/sync/board"
)

// FuzzLocate feeds Locate and LocateWithDividers arbitrary detections
// (including NaN, infinite and degenerate corners, and hostile texts) and
// dividers: they must not panic, and every card they report must come
// from a detection.
func FuzzLocate(f *testing.F) {
	s, _ := standardScene(2, 1)
	dets, _ := s.photo(20, 10, 5)
	var seed []byte
	for _, d := range dets[:6] {
		seed = append(seed, byte(len(d.Text)))
		seed = append(seed, d.Text...)
		for _, p := range d.Corners {
			seed = binary.LittleEndian.AppendUint16(seed, uint16(p.X))
			seed = binary.LittleEndian.AppendUint16(seed, uint16(p.Y))
		}
	}
	f.Add(seed)
	f.Add([]byte{4, 'C', 'O', 'L', ':', 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var dets []board.Detection
		keys := map[string]bool{}
		for len(data) > 0 {
			n := int(data[0]) % 24
			data = data[1:]
			if n > len(data) {
				n = len(data)
			}
			d := board.Detection{Text: string(data[:n]), Decoded: n != 23}
			data = data[n:]
			for k := range d.Corners {
				if len(data) < 4 {
					break
				}
				x, y := binary.LittleEndian.Uint16(data), binary.LittleEndian.Uint16(data[2:])
				d.Corners[k] = board.Point{X: coord(x), Y: coord(y)}
				data = data[4:]
			}
			if kind, key := board.ParseText(d.Text); kind == board.CardCode && d.Decoded {
				keys[key] = true
			}
			dets = append(dets, d)
		}
		r := board.Locate(dets, 4000, 3000)
		for _, c := range r.Cards {
			if !keys[c.Key] {
				t.Fatalf("card %q placed but never detected", c.Key)
			}
		}
		if len(dets) > 0 {
			divs := []board.Divider{{A: dets[0].Corners[0], B: dets[0].Corners[2]}}
			if r, err := board.LocateWithDividers(dets, 4000, 3000, divs, nil); err == nil {
				for _, c := range r.Cards {
					if !keys[c.Key] {
						t.Fatalf("card %q placed between dividers but never detected", c.Key)
					}
				}
			}
		}
	})
}

// coord turns 16 fuzz bits into a coordinate, with the special values a
// broken detector might produce.
func coord(v uint16) float64 {
	switch v {
	case 0xffff:
		return math.NaN()
	case 0xfffe:
		return math.Inf(1)
	case 0xfffd:
		return math.Inf(-1)
	}
	return float64(v) - 8000
}
