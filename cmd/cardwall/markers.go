package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/cards/pdf"
	"github.com/cardwall/cardwall/cards/qrcode"
	"github.com/cardwall/cardwall/cards/template"
)

const markersUsage = `usage: cardwall markers --columns "To Do,In Progress,Done" [-o headers.pdf] [--template NAME|FILE]

Prints one column header card per column: the name in large type and a QR
code whose text is "COL:" + the name in upper case. Pin each header at the
top of its column. The template's page, grid, border and cut marks are
used (default ` + template.MarkersName + `).
`

func init() {
	register(command{name: "markers", summary: "print column header cards to a PDF", run: runMarkers})
}

func runMarkers(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("markers", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	columns := fs.String("columns", "", "")
	tplArg := fs.String("template", "", "")
	out := fs.String("o", "headers.pdf", "")
	if help, err := parseFlags(fs, args, markersUsage, stderr); help || err != nil {
		return err
	}
	if *columns == "" {
		return usageError("--columns LIST is required\n\n%s", markersUsage)
	}
	cols := splitList(*columns)
	seen := map[string]int{}
	for i, c := range cols {
		if c == "" {
			return usageError("--columns: entry %d is empty in %q", i+1, *columns)
		}
		text := qrcode.HeaderText(c)
		if j, dup := seen[text]; dup {
			return usageError("--columns: %q and %q give the same header code", cols[j], c)
		}
		seen[text] = i
	}
	tpl, err := resolveTemplate(*tplArg, template.MarkersName, stderr)
	if err != nil {
		return err
	}
	pages, err := layout.Markers(context.Background(), tpl, cols)
	if err != nil {
		return err
	}
	if err := writePDF(*out, stdout, pages, pdf.Options{Title: "cardwall column headers"}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "cardwall markers: %d column %s on %d %s → %s\n",
		len(cols), plural(len(cols), "header"), len(pages), plural(len(pages), "page"), outName(*out))
	return nil
}
