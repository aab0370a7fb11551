// Package scanfile measures cardwall's own QR scanner with package qreval:
// it provides the qreval.Decoder that reads an image file and scans it.
// It is a package of its own so that qreval depends on no scanner, and the
// scanner's tests can use qreval.
package scanfile

import (
	"context"

	"github.com/cardwall/cardwall/imaging"
	"github.com/cardwall/cardwall/sync/qreval"
	"github.com/cardwall/cardwall/sync/qrscan"
)

// Decoder returns the qreval.Decoder for cardwall's scanner: it reads the
// file with imaging.DecodeFile and scans its luminance, in the file's
// stored pixel orientation (the orientation both datasets' labels use),
// with qrscan.Scan and opt (nil for defaults). Located codes that could
// not be decoded are returned with Decoded false.
func Decoder(opt *qrscan.Options) qreval.Decoder {
	return func(ctx context.Context, path string) ([]qreval.Result, error) {
		photo, err := imaging.DecodeFile(path, nil)
		if err != nil {
			return nil, err
		}
		codes, err := qrscan.Scan(ctx, photo.Gray, opt)
		if err != nil {
			return nil, err
		}
		out := make([]qreval.Result, len(codes))
		for i, c := range codes {
			out[i] = qreval.Result{Text: c.Text, Decoded: c.Decoded, Corners: make([]qreval.Point, len(c.Corners))}
			for k, p := range c.Corners {
				out[i].Corners[k] = qreval.Point(p)
			}
		}
		return out, nil
	}
}
