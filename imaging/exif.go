package imaging

import (
	"bytes"
	"encoding/binary"
)

// The EXIF readers below take untrusted bytes. Every read is bounds-checked
// and every loop advances, so hostile input ends in OrientNormal, never in a
// panic or an endless loop.

// exifHeader starts the payload of a JPEG APP1 segment that carries EXIF.
var exifHeader = []byte("Exif\x00\x00")

// tagOrientation is the TIFF tag number of the EXIF orientation.
const tagOrientation = 0x0112

// maxIFDEntries caps how many IFD0 entries are examined.
const maxIFDEntries = 1000

// orientationOf returns the EXIF orientation stored in an encoded image of
// the given format ("jpeg", "png" or "webp"), or OrientNormal if there is
// none or it cannot be read.
func orientationOf(format string, data []byte) Orientation {
	var tiff []byte
	switch format {
	case "jpeg":
		tiff = jpegEXIF(data)
	case "png":
		tiff = pngEXIF(data)
	case "webp":
		tiff = webpEXIF(data)
	}
	return tiffOrientation(tiff)
}

// jpegEXIF returns the TIFF block of the first EXIF APP1 segment of a JPEG
// stream, or nil. It walks the marker segments up to the start of scan.
func jpegEXIF(data []byte) []byte {
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return nil // not a marker: corrupt header area
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7):
			i += 2 // standalone markers have no length
			continue
		case marker == 0xD9 || marker == 0xDA: // end of image, start of scan
			return nil
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil
		}
		payload := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(payload, exifHeader) {
			return payload[len(exifHeader):]
		}
		i += 2 + n
	}
	return nil
}

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// pngEXIF returns the data of the eXIf chunk of a PNG stream, or nil. Chunk
// CRCs are not checked: a damaged chunk at worst gives a wrong orientation.
func pngEXIF(data []byte) []byte {
	if !bytes.HasPrefix(data, pngSignature) {
		return nil
	}
	i := len(pngSignature)
	for i+8 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n < 0 || n > len(data)-i-12 {
			return nil
		}
		if typ == "eXIf" {
			return data[i+8 : i+8+n]
		}
		if typ == "IEND" {
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpEXIF returns the data of the EXIF chunk of a WebP (RIFF) stream, or nil.
func webpEXIF(data []byte) []byte {
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil
	}
	i := 12
	for i+8 <= len(data) {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || n > len(data)-i-8 {
			return nil
		}
		if string(data[i:i+4]) == "EXIF" {
			// Some writers keep the JPEG-style "Exif\0\0" prefix.
			return bytes.TrimPrefix(data[i+8:i+8+n], exifHeader)
		}
		i += 8 + n + n&1 // chunks are padded to an even size
	}
	return nil
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block ("II" little-
// or "MM" big-endian). It returns OrientNormal if the block is malformed,
// the tag is missing, or its value is not 1..8.
func tiffOrientation(tiff []byte) Orientation {
	if len(tiff) < 8 {
		return OrientNormal
	}
	var bo binary.ByteOrder
	switch string(tiff[0:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return OrientNormal
	}
	if bo.Uint16(tiff[2:]) != 42 {
		return OrientNormal
	}
	ifd := uint64(bo.Uint32(tiff[4:]))
	if ifd+2 > uint64(len(tiff)) {
		return OrientNormal
	}
	count := int(bo.Uint16(tiff[ifd:]))
	count = min(count, maxIFDEntries)
	for k := 0; k < count; k++ {
		e := ifd + 2 + 12*uint64(k)
		if e+12 > uint64(len(tiff)) {
			break
		}
		entry := tiff[e : e+12]
		if bo.Uint16(entry[0:]) != tagOrientation {
			continue
		}
		if bo.Uint32(entry[4:]) < 1 { // value count
			return OrientNormal
		}
		var v uint32
		switch bo.Uint16(entry[2:]) { // value type
		case 3: // SHORT
			v = uint32(bo.Uint16(entry[8:]))
		case 4: // LONG, seen from some writers
			v = bo.Uint32(entry[8:])
		default:
			return OrientNormal
		}
		if o := Orientation(v); v <= 8 && o.Valid() {
			return o
		}
		return OrientNormal
	}
	return OrientNormal
}
