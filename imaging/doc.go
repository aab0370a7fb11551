// Package imaging loads phone photos and prepares them for QR code detection.
//
// Decode, DecodeBytes and DecodeFile read a JPEG, PNG or WebP photo into a
// Photo: an 8-bit luminance image (*image.Gray) in the file's stored pixel
// orientation, plus the EXIF orientation the viewer should apply. Images
// larger than a pixel budget (Options.MaxPixels, default 50 MP) are refused
// from their header, before any pixel memory is allocated.
//
// The preprocessing steps work on *image.Gray Pix slices directly: Luminance
// (any image to gray), Downscale2 and Pyramid (2×2 box averaging), Threshold
// (local mean over a window, from a uint32 integral image) and
// HybridThreshold (block-based, in the manner of ZXing's HybridBinarizer).
// Natively the heavy loops split their rows across runtime.GOMAXPROCS
// goroutines; under GOOS=js (single-threaded WebAssembly) they run inline.
//
// Coordinates passed to Orientation methods are continuous image
// coordinates: pixel (i, j) covers [i, i+1) × [j, j+1), so its centre is
// (i+0.5, j+0.5).
package imaging
