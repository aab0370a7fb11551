package board

import (
	"context"
	"fmt"
	"strings"

	"github.com/cardwall/cardwall/imaging"
	"github.com/cardwall/cardwall/sync/qrscan"
)

// DefaultEffort is the detector effort a board is scanned with when no
// options are given: a board photo holds many small codes, and a missed
// card costs the user more than a second or two of scanning.
const DefaultEffort = qrscan.Thorough

// ParseEffort reads a detector effort by name: fast, normal or thorough.
func ParseEffort(name string) (qrscan.Effort, error) {
	for _, e := range []qrscan.Effort{qrscan.Fast, qrscan.Normal, qrscan.Thorough} {
		if strings.EqualFold(name, e.String()) {
			return e, nil
		}
	}
	return 0, fmt.Errorf("effort %q: want fast, normal or thorough", name)
}

// ScanPhoto finds the codes in a decoded photo and places the cards.
// Everything in the result is in the photo's displayed orientation (its
// EXIF orientation applied), whatever the stored pixel order. opt may be
// nil, which scans at DefaultEffort.
func ScanPhoto(ctx context.Context, photo *imaging.Photo, opt *qrscan.Options) (*Result, error) {
	dets, w, h, err := Detect(ctx, photo, opt)
	if err != nil {
		return nil, err
	}
	return Locate(dets, w, h), nil
}

// Detect finds the codes in a decoded photo and returns them in the
// photo's displayed orientation, with the displayed size. Keep them to
// place the cards again without rescanning, e.g. with LocateWithDividers
// once a user has drawn column dividers. opt may be nil, which scans at
// DefaultEffort.
func Detect(ctx context.Context, photo *imaging.Photo, opt *qrscan.Options) (dets []Detection, width, height int, err error) {
	if opt == nil {
		opt = &qrscan.Options{Effort: DefaultEffort}
	}
	codes, err := qrscan.Scan(ctx, photo.Gray, opt)
	if err != nil {
		return nil, 0, 0, err
	}
	rw, rh := photo.Gray.Rect.Dx(), photo.Gray.Rect.Dy()
	width, height = photo.Orientation.DisplaySize(rw, rh)
	return Detections(codes, photo.Orientation, rw, rh), width, height, nil
}

// ScanFile decodes the photo at path with img (nil for the defaults) and
// scans it (see ScanPhoto). Errors name the file.
func ScanFile(ctx context.Context, path string, img *imaging.Options, opt *qrscan.Options) (*Result, error) {
	photo, err := imaging.DecodeFile(path, img)
	if err != nil {
		return nil, err
	}
	r, err := ScanPhoto(ctx, photo, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Detections turns a detector's codes, found in a rawW×rawH image stored
// in orientation o, into detections in the displayed orientation.
func Detections(codes []qrscan.Code, o imaging.Orientation, rawW, rawH int) []Detection {
	dets := make([]Detection, len(codes))
	for i, c := range codes {
		d := Detection{Text: c.Text, Decoded: c.Decoded}
		for k, p := range c.Corners {
			x, y := o.ToDisplay(p.X, p.Y, rawW, rawH)
			d.Corners[k] = Point{x, y}
		}
		dets[i] = d
	}
	return dets
}
