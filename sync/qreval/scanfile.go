package qreval

import (
	"context"

	"github.com/cardwall/cardwall/imaging"
	"github.com/cardwall/cardwall/sync/qrscan"
)

// ScanDecoder returns the Decoder for cardwall's own scanner: it reads the
// file with imaging.DecodeFile and scans its luminance, in the file's
// stored pixel orientation (the orientation both datasets' labels use),
// with qrscan.Scan and opt (nil for defaults). Located codes that could
// not be decoded are returned with Decoded false.
func ScanDecoder(opt *qrscan.Options) Decoder {
	return func(ctx context.Context, path string) ([]Result, error) {
		photo, err := imaging.DecodeFile(path, nil)
		if err != nil {
			return nil, err
		}
		codes, err := qrscan.Scan(ctx, photo.Gray, opt)
		if err != nil {
			return nil, err
		}
		out := make([]Result, len(codes))
		for i, c := range codes {
			out[i] = Result{Text: c.Text, Decoded: c.Decoded, Corners: make([]Point, len(c.Corners))}
			for k, p := range c.Corners {
				out[i].Corners[k] = Point(p)
			}
		}
		return out, nil
	}
}
