// Package imaging loads phone photos and prepares them for QR code detection.
//
// Decode, DecodeBytes and DecodeFile read a JPEG, PNG or WebP photo into a
// Photo: an 8-bit luminance image (*image.Gray) in the file's stored pixel
// orientation, plus the EXIF orientation the viewer should apply. Images
// larger than a pixel budget (Options.MaxPixels, default 50 MP) are refused
// from their header, before any pixel memory is allocated.
//
// The preprocessing steps work on *image.Gray Pix slices directly and
// accept sub-images (g.SubImage) as well as whole images: Luminance (any
// image to gray), Downscale2 and Pyramid (2×2 box averaging), Upscale2
// (integer bilinear, for small tiles), Threshold (local mean over a square
// window, from running window sums) and HybridThreshold (block-based, in
// the manner of ZXing's HybridBinarizer). Thresholded images hold only
// Black (0) and White (255). Natively the heavy loops split their rows
// across runtime.GOMAXPROCS goroutines; under GOOS=js (single-threaded
// WebAssembly) they run inline on the caller's goroutine.
//
// Orientation.Apply turns a raw image into the displayed one, and
// ToDisplay/ToRaw map points between the two frames, so detection can run
// on the raw pixels and report positions in either frame.
//
// Coordinates passed to Orientation methods are continuous image
// coordinates: pixel (i, j) covers [i, i+1) × [j, j+1), so its centre is
// (i+0.5, j+0.5).
package imaging
