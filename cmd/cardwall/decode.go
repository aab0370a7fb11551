package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/cardwall/cardwall/imaging"
	"github.com/cardwall/cardwall/sync/qrscan"
)

// decodeUsage documents `cardwall decode`.
const decodeUsage = `usage: cardwall decode [--json] [--max-pixels N] IMAGE...

Prints the text of every QR code found in each image (JPEG, PNG or WebP).

` + maxPixelsUsage + `

Text output: one line per code. With several images each line starts with
the file name and ": ". A text that holds line breaks, other control
characters or invalid UTF-8, or that starts with a double quote, is printed
as one double-quoted line with Go escapes (\n, \r, \x1b, ...); --json gives
every text exactly.

--json: one JSON array per image, one line each, in the order given:
  [{"text":"...","corners":[[x,y],[x,y],[x,y],[x,y]]}, ...]
Corners are the code's top-left, top-right, bottom-right and bottom-left
corners in pixels of the file as stored (before any EXIF rotation), x right
and y down from the top-left corner of the image. An image that could not be
read gives null.

Only decoded codes are listed. Messages go to stderr: codes that were found
but could not be read, images without codes, and errors, each naming its
file. The exit status is 1 if any image could not be read.
`

func init() {
	register(command{name: "decode", summary: "print the text of every QR code in photos", run: runDecode})
}

// decodedCode is one code in --json output.
type decodedCode struct {
	Text    string       `json:"text"`
	Corners [][2]float64 `json:"corners"`
}

func runDecode(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	maxPixels := maxPixelsFlag(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, decodeUsage)
			return nil
		}
		return usageError("%v\n\n%s", err, decodeUsage)
	}
	img, err := imagingOptions(*maxPixels)
	if err != nil {
		return usageError("%v\n\n%s", err, decodeUsage)
	}
	files := fs.Args()
	if len(files) == 0 {
		return usageError("no IMAGE given\n\n%s", decodeUsage)
	}
	failed := 0
	for _, file := range files {
		codes, scanErr := scanFile(context.Background(), file, img)
		if scanErr != nil {
			failed++
			fmt.Fprintf(stderr, "cardwall decode: %v\n", scanErr)
		} else {
			reportUnread(stderr, file, codes)
		}
		var err error
		if *asJSON {
			err = writeDecodeJSON(stdout, codes, scanErr != nil)
		} else {
			err = writeDecodeText(stdout, file, len(files) > 1, codes)
		}
		if err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d images could not be read", failed, len(files))
	}
	return nil
}

// scanFile decodes the image file with img and scans it in its stored
// orientation.
func scanFile(ctx context.Context, file string, img *imaging.Options) ([]qrscan.Code, error) {
	photo, err := imaging.DecodeFile(file, img)
	if err != nil {
		return nil, withPixelHint(err) // imaging's errors name the file
	}
	codes, err := qrscan.Scan(ctx, photo.Gray, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return codes, nil
}

// writeDecodeText writes one line per decoded code, prefixed with the file
// name when prefix is set.
func writeDecodeText(w io.Writer, file string, prefix bool, codes []qrscan.Code) error {
	for _, c := range codes {
		if !c.Decoded {
			continue
		}
		line := displayText(c.Text)
		if prefix {
			line = file + ": " + line
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

// writeDecodeJSON writes the decoded codes as one JSON array on one line,
// or null for an image that failed.
func writeDecodeJSON(w io.Writer, codes []qrscan.Code, failed bool) error {
	var out []decodedCode
	if !failed {
		out = []decodedCode{}
	}
	for _, c := range codes {
		if !c.Decoded {
			continue
		}
		d := decodedCode{Text: c.Text, Corners: make([][2]float64, len(c.Corners))}
		for i, p := range c.Corners {
			d.Corners[i] = [2]float64{p.X, p.Y}
		}
		out = append(out, d)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// reportUnread tells stderr about located codes that were not decoded, and
// about images without any code.
func reportUnread(w io.Writer, file string, codes []qrscan.Code) {
	unread := 0
	for _, c := range codes {
		if !c.Decoded {
			unread++
		}
	}
	switch {
	case len(codes) == 0:
		fmt.Fprintf(w, "%s: no QR code found\n", file)
	case unread == 1:
		fmt.Fprintf(w, "%s: 1 QR code found but not readable\n", file)
	case unread > 1:
		fmt.Fprintf(w, "%s: %d QR codes found but not readable\n", file, unread)
	}
}

// displayText returns s as it is if it is one line of printable text, and
// otherwise s double-quoted with Go escapes, so that a code's text can
// neither break the one-code-per-line layout nor send control sequences
// to the terminal.
func displayText(s string) string {
	plain := utf8.ValidString(s) && (len(s) == 0 || s[0] != '"')
	for _, r := range s {
		if !plain {
			break
		}
		plain = unicode.IsPrint(r)
	}
	if plain {
		return s
	}
	return strconv.Quote(s)
}
