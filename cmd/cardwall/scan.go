package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/importer"
	"github.com/cardwall/cardwall/sync/board"
	"github.com/cardwall/cardwall/sync/qrscan"
)

// scanUsage documents `cardwall scan`.
const scanUsage = `usage: cardwall scan [--issues FILE] [--map FILE] [--json] [--effort E] [--max-pixels N] PHOTO...

Reads a photo of the card wall: finds every card and column header, decides
which column each card is in, and with --issues proposes status updates.

--issues FILE  the issues on the board (any format 'cardwall print' reads);
               proposes {key, from, to} for each card whose column's status
               differs from the issue's status. Cards not in the photo,
               cards seen twice and unknown cards never get an update.
--map FILE     JSON object from column name to status name, e.g.
               {"IN PROGRESS": "In Progress", "REVIEW": "In Review"}.
               Default: a column takes the issues' status with the same
               name, ignoring case.
--effort E     detector effort: fast, normal or thorough (default; on
               photos over 16 MP it adds a threshold setting to the
               reduced-resolution passes)
` + maxPixelsUsage + `
--json         one JSON object per photo, one line each, in the order given:
  {"photo":{"file":F,"width":W,"height":H},
   "columns":[{"name":"IN PROGRESS","corners":[[x,y],...4]}],
   "cards":[{"key":"PROJ-12","column":"IN PROGRESS","corners":[[x,y],...4]}],
   "unassigned":[{"key":"...","reason":"...","corners":[...]}],
   "unreadable":[{"corners":[...]}],
   "updates":[{"key":"PROJ-12","from":"To Do","to":"In Progress"}],
   "unknown":["..."], "notSeen":["..."],
   "problems":["..."]}
  updates, unknown (keys not among the issues) and notSeen (issues whose
  card is not in the photo) only with --issues. A photo that cannot be
  read gives null.

Coordinates are pixels of the photo as displayed: its EXIF orientation is
applied, x right and y down from the top-left corner. Corners are those
of each QR code: top-left, top-right, bottom-right, bottom-left of the code
as printed. A column's name is the header's text after "COL:".
The exit status is 1 if any photo could not be read.
`

func init() {
	register(command{name: "scan", summary: "read a photo of the wall into columns and status updates", run: runScan})
}

func runScan(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	issuesFile := fs.String("issues", "", "")
	mapFile := fs.String("map", "", "")
	asJSON := fs.Bool("json", false, "")
	effortName := fs.String("effort", board.DefaultEffort.String(), "")
	maxPixels := maxPixelsFlag(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, scanUsage)
			return nil
		}
		return usageError("%v\n\n%s", err, scanUsage)
	}
	effort, err := board.ParseEffort(*effortName)
	if err != nil {
		return usageError("--%v\n\n%s", err, scanUsage)
	}
	img, err := imagingOptions(*maxPixels)
	if err != nil {
		return usageError("%v\n\n%s", err, scanUsage)
	}
	photos := fs.Args()
	if len(photos) == 0 {
		return usageError("no PHOTO given\n\n%s", scanUsage)
	}
	var issues []cards.Issue
	if *issuesFile != "" {
		is, _, err := importer.ReadFile(*issuesFile)
		if err != nil {
			return err
		}
		issues = is
	}
	var colmap map[string]string
	if *mapFile != "" {
		m, err := board.ReadColumnMap(*mapFile)
		if err != nil {
			return err
		}
		colmap = m
	}
	failed := 0
	for i, file := range photos {
		r, err := board.ScanFile(context.Background(), file, img, &qrscan.Options{Effort: effort})
		if err != nil {
			err = withPixelHint(err)
			failed++
			fmt.Fprintf(stderr, "cardwall scan: %v\n", err)
			if *asJSON {
				fmt.Fprintln(stdout, "null")
			}
			continue
		}
		var plan *board.Plan
		if *issuesFile != "" {
			plan = board.ProposeUpdates(r, issues, colmap)
		}
		if *asJSON {
			if err := writeScanJSON(stdout, file, r, plan); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		writeScanText(stdout, file, r, plan)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d photos could not be read", failed, len(photos))
	}
	return nil
}

func writeScanJSON(w io.Writer, file string, r *board.Result, plan *board.Plan) error {
	b, err := json.Marshal(board.NewReport(file, r, plan))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func writeScanText(w io.Writer, file string, r *board.Result, plan *board.Plan) {
	fmt.Fprintf(w, "%s: %d×%d, %d columns, %d cards placed\n", file, r.Width, r.Height, len(r.Columns), len(r.Cards))
	for _, c := range r.Columns {
		var keys []string
		for _, card := range r.Cards {
			if card.Column == c.Name {
				keys = append(keys, card.Key)
			}
		}
		fmt.Fprintf(w, "  %s (%d): %s\n", c.Name, len(keys), orNone(keys))
	}
	if len(r.Unassigned) > 0 {
		fmt.Fprintf(w, "  not in any column:\n")
		for _, u := range r.Unassigned {
			fmt.Fprintf(w, "    %s: %s\n", u.Key, u.Reason)
		}
	}
	if n := len(r.Unreadable); n > 0 {
		fmt.Fprintf(w, "  %d code(s) found but not readable\n", n)
	}
	problems := r.Problems
	if plan != nil {
		problems = append(append([]string{}, problems...), plan.Problems...)
	}
	if len(problems) > 0 {
		fmt.Fprintf(w, "  problems:\n")
		for _, p := range problems {
			fmt.Fprintf(w, "    - %s\n", p)
		}
	}
	if plan == nil {
		return
	}
	if len(plan.Unknown) > 0 {
		fmt.Fprintf(w, "  cards not among the issues: %s\n", strings.Join(plan.Unknown, ", "))
	}
	if len(plan.NotSeen) > 0 {
		fmt.Fprintf(w, "  issues not found in the photo (%d): %s\n", len(plan.NotSeen), strings.Join(plan.NotSeen, ", "))
	}
	if len(plan.Updates) == 0 {
		fmt.Fprintf(w, "  proposed updates: none\n")
		return
	}
	fmt.Fprintf(w, "  proposed updates (%d):\n", len(plan.Updates))
	for _, u := range plan.Updates {
		fmt.Fprintf(w, "    %s: %s → %s\n", u.Key, u.From, u.To)
	}
}

func orNone(keys []string) string {
	if len(keys) == 0 {
		return "(none)"
	}
	return strings.Join(keys, ", ")
}
