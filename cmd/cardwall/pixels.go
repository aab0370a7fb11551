package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/cardwall/cardwall/imaging"
	"github.com/cardwall/cardwall/sync/qrscan"
)

// maxPixelsUsage documents --max-pixels in the usage of the commands that
// read photos.
const maxPixelsUsage = `--max-pixels N refuse an image of more than N pixels (width × height)
               from its header, before decoding it (default 50000000; at
               most 104857600, the most the scanner reads)`

// maxPixelsFlag defines --max-pixels on fs.
func maxPixelsFlag(fs *flag.FlagSet) *int {
	return fs.Int("max-pixels", imaging.DefaultMaxPixels, "")
}

// imagingOptions returns the decoding options for a --max-pixels value,
// or an error naming the flag when it is out of range.
func imagingOptions(maxPixels int) (*imaging.Options, error) {
	if maxPixels < 1 || maxPixels > qrscan.MaxPixels {
		return nil, fmt.Errorf("--max-pixels %d: want 1 to %d pixels", maxPixels, qrscan.MaxPixels)
	}
	return &imaging.Options{MaxPixels: maxPixels}, nil
}

// withPixelHint adds to the error of an image over the pixel limit how to
// raise the limit.
func withPixelHint(err error) error {
	if errors.Is(err, imaging.ErrTooBig) {
		return fmt.Errorf("%w (--max-pixels raises it)", err)
	}
	return err
}
