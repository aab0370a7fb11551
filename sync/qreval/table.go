package qreval

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// Table lays out several decoders' results on the same sets side by side:
// one row per set, one column per decoder, each cell
// "read/present · false reads · median ms per image".
type Table struct {
	Decoders []string   // column order: order of first appearance
	Rows     []TableRow // order of first appearance
	// Totals sum the rows of each parent folder (dataset), in order of
	// first appearance, without times: "zxing-blackbox total".
	Totals []TableRow
	// Notes are printed under the table, one per line (decoder versions,
	// skipped peers).
	Notes []string
}

// TableRow is one set's results by decoder.
type TableRow struct {
	Set     string // short name: the folder's parent and base name
	Images  int
	Present int
	Cells   map[string]SetResult // by decoder name
}

// NewTable groups results by folder (compared as absolute paths) and
// decoder.
func NewTable(results []SetResult) Table {
	var t Table
	byFolder := map[string]int{}
	byParent := map[string]int{}
	seen := map[string]bool{}
	for _, r := range results {
		if !seen[r.Decoder] {
			seen[r.Decoder] = true
			t.Decoders = append(t.Decoders, r.Decoder)
		}
		key := absPath(r.Folder)
		parent := filepath.Base(filepath.Dir(key))
		j, ok := byParent[parent]
		if !ok {
			j = len(t.Totals)
			byParent[parent] = j
			t.Totals = append(t.Totals, TableRow{Set: parent + " total", Cells: map[string]SetResult{}})
		}
		tot := &t.Totals[j]
		i, ok := byFolder[key]
		if !ok {
			i = len(t.Rows)
			byFolder[key] = i
			t.Rows = append(t.Rows, TableRow{Set: shortName(key), Images: r.Images, Present: r.Present, Cells: map[string]SetResult{}})
			tot.Images += r.Images
			tot.Present += r.Present
		}
		t.Rows[i].Cells[r.Decoder] = r
		c := tot.Cells[r.Decoder]
		c.Decoder = r.Decoder
		c.Images += r.Images
		c.Errors += r.Errors
		c.Timeouts += r.Timeouts
		c.Scored = c.Scored || r.Scored
		c.Tally.Add(r.Tally)
		tot.Cells[r.Decoder] = c
	}
	return t
}

// isTotal reports whether r is one of t's total rows.
func (t Table) isTotal(r TableRow) bool {
	for _, tot := range t.Totals {
		if tot.Set == r.Set {
			return true
		}
	}
	return false
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

func shortName(p string) string {
	return filepath.Base(filepath.Dir(p)) + "/" + filepath.Base(p)
}

// WriteText writes the table as aligned plain text; '*' marks the most
// codes read in a row.
func (t Table) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "set\timages\tpresent\t%s\n", strings.Join(t.Decoders, "\t"))
	for _, r := range append(t.Rows[:len(t.Rows):len(t.Rows)], t.Totals...) {
		fmt.Fprintf(tw, "%s\t%d\t%d", r.Set, r.Images, r.Present)
		best := r.best(t.Decoders)
		for _, d := range t.Decoders {
			c := r.cell(d, !t.isTotal(r))
			if best[d] {
				c = "*" + c
			}
			fmt.Fprintf(tw, "\t%s", c)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return WriteNotes(w, t.Notes, "")
}

// WriteMarkdown writes the table as a Markdown table; bold marks the most
// codes read in a row.
func (t Table) WriteMarkdown(w io.Writer) error {
	fmt.Fprintf(w, "| set | images | present | %s |\n", strings.Join(t.Decoders, " | "))
	fmt.Fprintf(w, "|---|---|---|%s\n", strings.Repeat("---|", len(t.Decoders)))
	for _, r := range append(t.Rows[:len(t.Rows):len(t.Rows)], t.Totals...) {
		name := r.Set
		if t.isTotal(r) {
			name = "**" + name + "**"
		}
		fmt.Fprintf(w, "| %s | %d | %d |", name, r.Images, r.Present)
		best := r.best(t.Decoders)
		for _, d := range t.Decoders {
			c := r.cell(d, !t.isTotal(r))
			if best[d] {
				read, rest, _ := strings.Cut(c, " ")
				c = "**" + read + "** " + rest
			}
			fmt.Fprintf(w, " %s |", c)
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	return WriteNotes(w, t.Notes, "- ")
}

// WriteNotes writes the notes under a table: a blank line, then one line
// per note starting with bullet ("- " for a Markdown list). It writes
// nothing for no notes.
func WriteNotes(w io.Writer, notes []string, bullet string) error {
	if len(notes) > 0 {
		fmt.Fprintln(w)
	}
	for _, n := range notes {
		if _, err := fmt.Fprintf(w, "%s%s\n", bullet, n); err != nil {
			return err
		}
	}
	return nil
}

// cell formats one decoder's result in the row; withTime adds the median.
func (r TableRow) cell(d string, withTime bool) string {
	c, ok := r.Cells[d]
	if !ok {
		return "-"
	}
	read := fmt.Sprintf("%d/%d", c.Read, c.Present)
	if !c.Scored {
		read = fmt.Sprintf("n/a/%d", c.Present)
	}
	if c.Read == 0 && c.Located > 0 {
		read += fmt.Sprintf(" (located %d)", c.Located)
	}
	s := fmt.Sprintf("%s · %d", read, c.False)
	if withTime {
		s += fmt.Sprintf(" · %.0f", c.MedianMS)
	}
	if c.Timeouts > 0 {
		s += fmt.Sprintf(" · %d timeouts", c.Timeouts)
	}
	if c.Errors > 0 {
		s += fmt.Sprintf(" · %d errors", c.Errors)
	}
	return s
}

// best reports the decoders with the most codes read in the row (none if
// nobody read anything or only one decoder is in the row).
func (r TableRow) best(decoders []string) map[string]bool {
	if len(r.Cells) < 2 {
		return nil
	}
	most := 0
	for _, d := range decoders {
		if c, ok := r.Cells[d]; ok && c.Scored && c.Read > most {
			most = c.Read
		}
	}
	b := map[string]bool{}
	for _, d := range decoders {
		if c, ok := r.Cells[d]; ok && c.Scored && most > 0 && c.Read == most {
			b[d] = true
		}
	}
	return b
}
