package qreval

import "strings"

// Result is one code a decoder reported for an image.
type Result struct {
	Text    string  // the decoded text, when Decoded
	Decoded bool    // false: the code was located but not read
	Corners []Point // its outline in the image's stored pixel orientation
}

// Tally counts outcomes over one image or many.
type Tally struct {
	Present int `json:"present"` // labelled codes (CornerLabel) or images (TextLabel)
	Read    int `json:"read"`    // of Present, how many were read
	Located int `json:"located"` // of Present (CornerLabel), how many a result overlapped, read or not
	False   int `json:"false"`   // decoded results that match no label
}

// Add adds u to t.
func (t *Tally) Add(u Tally) {
	t.Present += u.Present
	t.Read += u.Read
	t.Located += u.Located
	t.False += u.False
}

// minOverlap is the share of the smaller polygon a result must cover for
// it to count as the labelled code.
const minOverlap = 0.2

// Score scores one image's decoder results against its label, exactly as
// the peer script does (see the package documentation).
func Score(lab Label, results []Result) Tally {
	if lab.Kind == TextLabel {
		return scoreText(lab.Text, results)
	}
	return scoreCorners(lab.Codes, results)
}

func scoreText(want string, results []Result) Tally {
	t := Tally{Present: 1}
	trimmed := strings.TrimSuffix(want, "\n")
	for _, r := range results {
		switch {
		case !r.Decoded:
		case r.Text == want || r.Text == trimmed:
			t.Read = 1
		default:
			t.False++
		}
	}
	return t
}

func scoreCorners(codes []Quad, results []Result) Tally {
	t := Tally{Present: len(codes)}
	hit := make([]bool, len(codes))
	loc := make([]bool, len(codes))
	for _, r := range results {
		if len(r.Corners) < 3 {
			continue
		}
		matched := false
		for i, q := range codes {
			if Overlap(r.Corners, q[:]) > minOverlap {
				loc[i] = true
				if r.Decoded {
					hit[i] = true
				}
				matched = true
			}
		}
		if r.Decoded && !matched {
			t.False++
		}
	}
	for i := range codes {
		if hit[i] {
			t.Read++
		}
		if loc[i] {
			t.Located++
		}
	}
	return t
}
