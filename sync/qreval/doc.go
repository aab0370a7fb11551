// Package qreval measures QR code decoders on folders of labelled photos,
// the same way as the peer script ../shared/tools/peer_decode.py, so that
// our decoder's figures and the peers' can be put side by side.
//
// A photo set is a folder of images (jpg, jpeg, png, gif, bmp, webp) with a
// label file NAME.txt beside each NAME.jpg. Two kinds of label are
// recognised (ParseLabel):
//
//   - BoofCV corner labels: '#' comment lines, an optional "SETS" line, then
//     one line of eight numbers "x0 y0 x1 y1 x2 y2 x3 y3" per code; or the
//     older form, four lines of "x y" that together make one code.
//   - ZXing blackbox text labels: the exact expected text, byte for byte.
//
// Scoring (Score) follows the peer script exactly. A labelled code counts as
// read when a decoded result's polygon overlaps it by more than 20% of the
// smaller polygon's area (Overlap); a decoded result overlapping no label is
// a false read. An image with a text label counts as read when some decoded
// text equals the label exactly, or exactly without one trailing newline;
// any other decoded text is a false read.
//
// Run applies a Decoder to every image of a set, one image at a time with a
// time limit per image, and reports read/present, false reads and the
// median time per image. RunPeers runs the peer script for the same folders
// and Table lays both out side by side as plain text or Markdown.
package qreval
