package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/cardwall/cardwall/imaging/jpegluma"
	"golang.org/x/image/webp"
)

// DefaultMaxPixels is the pixel budget used when Options.MaxPixels is 0:
// 50 megapixels, above any current phone camera's default resolution.
const DefaultMaxPixels = 50_000_000

// Options tune decoding. The zero value (or a nil *Options) uses defaults.
type Options struct {
	// MaxPixels is the largest width×height accepted; larger images are
	// refused from their header, before decoding. 0 means DefaultMaxPixels.
	// Decoding needs up to about 8 bytes per pixel (16-bit RGBA PNG), so the
	// budget also bounds memory.
	MaxPixels int
}

func (o *Options) maxPixels() int {
	if o == nil || o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return o.MaxPixels
}

// Photo is a decoded photo ready for detection.
type Photo struct {
	// Gray is the luminance in the file's stored (raw) pixel orientation,
	// with bounds starting at (0, 0).
	Gray *image.Gray
	// Orientation is the EXIF orientation (1..8); 1 when absent or unreadable.
	// Orientation.Apply(Gray) gives the image as a viewer shows it.
	Orientation Orientation
	// Format is "jpeg", "png" or "webp".
	Format string
}

// Errors returned (wrapped, with the file name and details) by the Decode
// functions; test for them with errors.Is.
var (
	ErrEmpty   = errors.New("is empty")
	ErrFormat  = errors.New("unsupported image format")
	ErrTooBig  = errors.New("over the pixel limit") // Options.MaxPixels sets it
	ErrCorrupt = errors.New("truncated or corrupt")
)

// Decode reads an entire JPEG, PNG or WebP stream from r and decodes it.
// opt may be nil.
func Decode(r io.Reader, opt *Options) (*Photo, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("image: reading: %w", err)
	}
	return decode(data, "image", opt)
}

// DecodeBytes decodes an encoded JPEG, PNG or WebP image. opt may be nil.
// The returned Photo does not refer to data.
func DecodeBytes(data []byte, opt *Options) (*Photo, error) {
	return decode(data, "image", opt)
}

// DecodeFile reads and decodes the image file at path; errors name the file.
// opt may be nil.
func DecodeFile(path string, opt *Options) (*Photo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *PathError names the file
	}
	return decode(data, path, opt)
}

// decoders of the supported formats, by Format name.
var decoders = map[string]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	"jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"png":  {png.DecodeConfig, png.Decode},
	"webp": {webp.DecodeConfig, webp.Decode},
}

// decode does the work of the Decode functions; name labels errors.
func decode(data []byte, name string, opt *Options) (photo *Photo, err error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: %w (0 bytes)", name, ErrEmpty)
	}
	format, err := sniff(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// No decoder panic may reach the caller, whatever the input.
	defer func() {
		if p := recover(); p != nil {
			photo = nil
			err = fmt.Errorf("%s: %w %s: decoder failed: %v", name, ErrCorrupt, upper(format), p)
		}
	}()
	dec := decoders[format]
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(name, format, data, err)
	}
	if err := checkSize(cfg.Width, cfg.Height, opt.maxPixels()); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if format == "png" {
		if err := checkPNGLength(data, cfg.Width, cfg.Height); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if format == "jpeg" {
		// Luminance only: about 4.5× faster than image/jpeg under wasm, 3×
		// natively. JPEGs it does not handle go to image/jpeg.
		gray, err := jpegluma.Decode(data)
		if err == nil {
			return &Photo{Gray: gray, Orientation: orientationOf(format, data), Format: format}, nil
		}
		if !errors.Is(err, jpegluma.ErrUnsupported) {
			return nil, decodeError(name, format, data, err)
		}
	}
	img, err := dec.decode(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(name, format, data, err)
	}
	var gray *image.Gray
	if ycc, ok := img.(*image.YCbCr); ok {
		gray = yPlane(ycc, false) // img is ours and discarded: share its Y plane
	} else {
		gray = Luminance(img)
	}
	if gray.Rect.Min != (image.Point{}) {
		gray = &image.Gray{Pix: gray.Pix, Stride: gray.Stride, Rect: gray.Rect.Sub(gray.Rect.Min)}
	}
	return &Photo{Gray: gray, Orientation: orientationOf(format, data), Format: format}, nil
}

// sniff identifies the format from the first bytes of data.
func sniff(data []byte) (string, error) {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return "jpeg", nil
	case bytes.HasPrefix(data, pngSignature):
		return "png", nil
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp", nil
	}
	known := map[string]string{"GIF8": "GIF", "BM": "BMP", "II*\x00": "TIFF", "MM\x00*": "TIFF",
		"\x00\x00\x00\x0cjP": "JPEG 2000", "%PDF": "PDF"}
	for magic, what := range known {
		if bytes.HasPrefix(data, []byte(magic)) {
			return "", fmt.Errorf("%w: %s; supported formats are JPEG, PNG and WebP", ErrFormat, what)
		}
	}
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		return "", fmt.Errorf("%w: %q (HEIC/AVIF?); supported formats are JPEG, PNG and WebP",
			ErrFormat, data[8:12])
	}
	head := data[:min(len(data), 8)]
	return "", fmt.Errorf("%w: first bytes % x (%q) are not JPEG, PNG or WebP", ErrFormat, head, head)
}

// checkSize refuses images with no pixels or more than maxPixels.
func checkSize(w, h, maxPixels int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: image header gives %d×%d pixels", ErrCorrupt, w, h)
	}
	if int64(w)*int64(h) > int64(maxPixels) {
		return fmt.Errorf("%d×%d pixels (%s MP) is %w of %s MP",
			w, h, megapixels(int64(w)*int64(h)), ErrTooBig, megapixels(int64(maxPixels)))
	}
	return nil
}

// maxDeflateRatio bounds how far DEFLATE can compress: at best about
// 1032 bytes out per byte in.
const maxDeflateRatio = 1032

// checkPNGLength refuses a PNG too short to hold the pixels its header
// claims, before the decoder allocates them. data has passed DecodeConfig,
// so its IHDR (bit depth at byte 24, colour type at 25) is present.
func checkPNGLength(data []byte, w, h int) error {
	channels := map[byte]int64{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[data[25]]
	bitsPerPixel := int64(data[24]) * channels
	raw := int64(h) * (1 + (int64(w)*bitsPerPixel+7)/8) // filter byte per row
	if raw > int64(len(data))*maxDeflateRatio {
		return fmt.Errorf("%w PNG: %d×%d pixels need %d bytes of image data, more than a %d-byte file can hold",
			ErrCorrupt, w, h, raw, len(data))
	}
	return nil
}

// megapixels formats n pixels as megapixels, with at most one decimal from
// 0.1 MP on (and as many as it takes below).
func megapixels(n int64) string {
	if n < 100_000 {
		return strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64) // a limit set that low
	}
	return strconv.FormatFloat(float64(n/100_000)/10, 'f', -1, 64)
}

// decodeError wraps a decoder error: "NAME: truncated or corrupt JPEG: unexpected EOF".
func decodeError(name, format string, data []byte, err error) error {
	var ju jpeg.UnsupportedError
	var pu png.UnsupportedError
	if errors.As(err, &ju) || errors.As(err, &pu) {
		return fmt.Errorf("%s: %w: %s %v", name, ErrFormat, upper(format), err)
	}
	var fe *jpegluma.FormatError
	if errors.As(err, &fe) {
		// jpegluma says what is wrong and where; its package prefix goes.
		msg := fmt.Sprintf("%s at byte %d: %s", fe.Part, fe.Offset, fe.Msg)
		if fe.Err != nil {
			return fmt.Errorf("%s: %w JPEG: %s: %w", name, ErrCorrupt, msg, fe.Err)
		}
		return fmt.Errorf("%s: %w JPEG: %s", name, ErrCorrupt, msg)
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF // an image that ends early is truncated
	}
	if format == "jpeg" && err != io.ErrUnexpectedEOF && !bytes.HasSuffix(bytes.TrimRight(data, "\x00"), []byte{0xFF, 0xD9}) {
		// image/jpeg reports a cut-off scan as "short Huffman data"; with
		// no end-of-image marker the file was most likely cut short.
		return fmt.Errorf("%s: %w JPEG: %w (%w)", name, ErrCorrupt, io.ErrUnexpectedEOF, err)
	}
	return fmt.Errorf("%s: %w %s: %w", name, ErrCorrupt, upper(format), err)
}

// upper spells a format name for messages.
func upper(format string) string {
	if format == "webp" {
		return "WebP"
	}
	return strings.ToUpper(format)
}
