package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// alias is a header name that fills a target.
type alias struct {
	name string
	to   target
}

// jiraColumns are the headers of Jira's CSV export, English then French.
// Earlier entries win when two columns fill the same target. Custom
// fields appear as "Custom field (Name)" and are matched by Name.
var jiraColumns = []alias{
	{"Issue key", toKey}, {"Clé de ticket", toKey}, {"Clé", toKey},
	{"Summary", toSummary}, {"Résumé", toSummary},
	{"Description", toDescription}, {"Descriptif", toDescription},
	{"Issue Type", toType}, {"Type de demande", toType}, {"Type de ticket", toType},
	{"Status", toStatus}, {"État", toStatus}, {"Statut", toStatus},
	{"Priority", toPriority}, {"Priorité", toPriority},
	{"Assignee", toAssignee}, {"Responsable", toAssignee}, {"Personne assignée", toAssignee},
	{"Reporter", toReporter}, {"Rapporteur", toReporter},
	{"Labels", toLabels}, {"Étiquettes", toLabels},
	{"Component/s", toComponents}, {"Composant/s", toComponents}, {"Composants", toComponents},
	{"Epic Link", toParentKey}, {"Lien d'epic", toParentKey}, {"Parent key", toParentKey},
	{"Parent summary", toParentName},
	{"Parent id", toParentID}, {"Parent", toParentID},
	{"Issue id", toIssueID}, {"ID de ticket", toIssueID},
	{"Story Points", toPoints}, {"Story point estimate", toPoints},
	{"Sprint", toSprint},
	{"Due Date", toDue}, {"Date d'échéance", toDue}, {"Échéance", toDue},
}

// plainColumns are the headers of a hand-made CSV and their aliases.
var plainColumns = []alias{
	{"key", toKey}, {"issue key", toKey}, {"issue", toKey}, {"id", toKey}, {"number", toKey},
	{"summary", toSummary}, {"title", toSummary}, {"name", toSummary}, {"subject", toSummary},
	{"description", toDescription}, {"body", toDescription}, {"details", toDescription},
	{"type", toType}, {"issue type", toType}, {"issuetype", toType}, {"kind", toType},
	{"status", toStatus}, {"state", toStatus}, {"column", toStatus},
	{"priority", toPriority},
	{"assignee", toAssignee}, {"assignees", toAssignee}, {"owner", toAssignee},
	{"reporter", toReporter}, {"author", toReporter}, {"creator", toReporter},
	{"labels", toLabels}, {"label", toLabels}, {"tags", toLabels}, {"tag", toLabels},
	{"components", toComponents}, {"component", toComponents}, {"component/s", toComponents},
	{"parent", toParentKey}, {"epic", toParentKey}, {"epic link", toParentKey}, {"parent key", toParentKey}, {"epic key", toParentKey},
	{"parent name", toParentName}, {"epic name", toParentName}, {"parent summary", toParentName},
	{"story points", toPoints}, {"points", toPoints}, {"storypoints", toPoints}, {"story point estimate", toPoints}, {"estimate", toPoints}, {"sp", toPoints},
	{"sprint", toSprint}, {"iteration", toSprint},
	{"due", toDue}, {"due date", toDue}, {"duedate", toDue}, {"deadline", toDue},
	{"url", toURL}, {"link", toURL},
}

// column is one CSV column and what it fills.
type column struct {
	header string // as written
	name   string // display name: "Custom field (X)" becomes X; empty headers "Column N"
	to     target
}

// csvReader reads one CSV document.
type csvReader struct {
	file  string
	data  []byte
	comma byte
	cols  []column
}

func (c *csvReader) errAt(line, byteCol int, field, msg string) *ParseError {
	return &ParseError{File: c.file, Line: line, Column: runeColumn(c.data, line, byteCol), Field: field, Msg: msg}
}

// colField names column i for error messages: column 3 "Issue key".
func (c *csvReader) colField(i int) string {
	return fmt.Sprintf("column %d %q", i+1, c.cols[i].header)
}

// readCSV reads Jira's CSV export or a plain CSV with a header row.
func readCSV(file string, data []byte) ([]record, Format, error) {
	c := &csvReader{file: file, data: data}
	r := csv.NewReader(bytes.NewReader(data))
	c.comma = sniffDelimiter(data)
	r.Comma = rune(c.comma)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		// A first line that is not even CSV means the file is something else.
		detail := "the first line is not a CSV header row"
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			detail += fmt.Sprintf(" (column %d: %v)", runeColumn(data, pe.Line, pe.Column), pe.Err)
		}
		return nil, "", fileError(file, ErrUnrecognised, detail)
	}
	format := c.mapColumns(header)
	if format == "" {
		return nil, "", fileError(file, ErrUnrecognised, fmt.Sprintf("the first line (%s) names no known column", describeHeader(header)))
	}
	keyCol := -1
	for i, col := range c.cols {
		if col.to == toKey {
			keyCol = i
			break
		}
	}
	if keyCol < 0 {
		return nil, format, &ParseError{File: file, Line: 1, Msg: fmt.Sprintf("the header row has no issue key column (such as %q); it has %s", keyHeaderHint(format), describeHeader(header))}
	}
	var (
		recs     []record
		parentID []string              // per record: its Parent id cell
		idToKey  = map[string]string{} // Issue id -> key
	)
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, format, c.csvError(err)
		}
		line, _ := r.FieldPos(0)
		if len(row) != len(header) {
			return nil, format, c.errAt(line, 0, "", fmt.Sprintf("ragged row: it has %d fields but the header has %d", len(row), len(header)))
		}
		rec, pid, id := c.row(row, format)
		rec.at = where{line: line, off: -1, keyField: c.colField(keyCol)}
		if id != "" {
			idToKey[id] = strings.TrimSpace(rec.issue.Key)
		}
		recs = append(recs, rec)
		parentID = append(parentID, pid)
	}
	c.resolveParents(recs, parentID, idToKey)
	return recs, format, nil
}

// resolveParents turns Jira's "Parent id" cells (issue ids, or in some
// exports issue keys) into parent keys when the parent is in the same
// file and no Epic Link already names one; other values are kept in
// Fields under the column's name.
func (c *csvReader) resolveParents(recs []record, parentID []string, idToKey map[string]string) {
	name := ""
	for _, col := range c.cols {
		if col.to == toParentID {
			name = col.name
		}
	}
	isKey := make(map[string]bool, len(recs))
	for i := range recs {
		isKey[strings.TrimSpace(recs[i].issue.Key)] = true
	}
	for i := range recs {
		is := &recs[i].issue
		pid := parentID[i]
		if pid == "" {
			continue
		}
		k := idToKey[pid]
		if k == "" && isKey[pid] {
			k = pid
		}
		if k != "" && is.ParentKey == "" {
			is.ParentKey = k
		} else {
			addField(is, name, pid)
		}
	}
}

// row converts one CSV row. It returns the record, the row's Parent id
// and Issue id cells.
func (c *csvReader) row(row []string, format Format) (rec record, parentID, issueID string) {
	is := &rec.issue
	var sprints []string
	for i, v := range row {
		col := c.cols[i]
		if strings.TrimSpace(v) == "" {
			continue
		}
		switch col.to {
		case toLabels:
			is.Labels = append(is.Labels, splitList(v, format)...)
		case toComponents:
			is.Components = append(is.Components, splitList(v, format)...)
		case toSprint:
			sprints = append(sprints, v)
		case toParentID:
			parentID = strings.TrimSpace(v)
		case toIssueID:
			issueID = strings.TrimSpace(v)
			addField(is, col.name, v)
		case toPoints:
			if f, ok := parsePoints(v); ok && is.StoryPoints == nil {
				is.StoryPoints = &f
			} else {
				addField(is, col.name, v)
			}
		case toDue:
			if t, ok := parseDate(v); ok && is.Due == nil {
				is.Due = &t
			} else {
				addField(is, col.name, v)
			}
		default:
			if p := stringTarget(is, col.to); p != nil && *p == "" {
				*p = v
			} else {
				addField(is, col.name, v)
			}
		}
	}
	if len(sprints) > 0 {
		is.Sprint = sprints[len(sprints)-1]
		if len(sprints) > 1 {
			// The current sprint is the last; keep the history too.
			addField(is, "Sprints", strings.Join(sprints, "\n"))
		}
	}
	return rec, parentID, issueID
}

// splitList splits a plain CSV cell holding several labels ("a, b" or
// "a; b"). Jira's export repeats the column instead, one value per cell.
func splitList(v string, format Format) []string {
	if format == JiraCSV {
		return []string{v}
	}
	sep := ","
	if strings.Contains(v, ";") {
		sep = ";"
	}
	return strings.Split(v, sep)
}

// mapColumns decides the format from the header and what each column
// fills. It returns "" when no column is known.
func (c *csvReader) mapColumns(header []string) Format {
	format, table := PlainCSV, plainColumns
	for _, h := range header {
		n := foldHeader(customFieldName(h))
		if n == foldHeader("Issue key") || n == foldHeader("Clé de ticket") || strings.HasPrefix(foldHeader(h), "custom field (") {
			format, table = JiraCSV, jiraColumns
			break
		}
	}
	c.cols = make([]column, len(header))
	best := map[target]int{}      // target -> best rank
	winner := map[target]string{} // target -> header text of the best column
	known := false
	for i, h := range header {
		h = strings.TrimSpace(h)
		name := customFieldName(h)
		if name == "" {
			name = fmt.Sprintf("Column %d", i+1)
		}
		c.cols[i] = column{header: h, name: name}
		if to, rank, ok := matchAlias(table, name); ok {
			known = true
			c.cols[i].to = to
			if r, seen := best[to]; !seen || rank < r {
				best[to], winner[to] = rank, h
			}
		}
	}
	if !known {
		return ""
	}
	// Only the best-matching header fills a target (with all its repeats);
	// other columns that could fill it are kept in Fields under their name.
	for i := range c.cols {
		if to := c.cols[i].to; to != toFields && c.cols[i].header != winner[to] {
			c.cols[i].to = toFields
		}
	}
	return format
}

// matchAlias finds name in table. The rank prefers a header spelled
// exactly as in the table over one matching only when case and accents
// are ignored, then earlier aliases over later ones.
func matchAlias(table []alias, name string) (target, int, bool) {
	for i, a := range table {
		if a.name == name {
			return a.to, i, true
		}
	}
	f := foldHeader(name)
	for i, a := range table {
		if foldHeader(a.name) == f {
			return a.to, len(table) + i, true
		}
	}
	return toFields, 0, false
}

// customFieldName turns Jira's "Custom field (Story Points)" into
// "Story Points"; other headers are returned trimmed.
func customFieldName(h string) string {
	h = strings.TrimSpace(h)
	for _, p := range []string{"Custom field (", "Champ personnalisé ("} {
		if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) && strings.HasSuffix(h, ")") {
			return strings.TrimSpace(h[len(p) : len(h)-1])
		}
	}
	return h
}

// accentFold maps accented Latin letters found in French and other
// Western European header names to their base letter.
var accentFold = strings.NewReplacer(
	"é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c",
	"’", "'", "_", " ",
)

// foldHeader normalises a header for matching: lower case, no accents,
// single spaces.
func foldHeader(h string) string {
	return strings.Join(strings.Fields(accentFold.Replace(strings.ToLower(h))), " ")
}

func keyHeaderHint(f Format) string {
	if f == JiraCSV {
		return "Issue key"
	}
	return "key"
}

// describeHeader lists the first few header cells for an error message.
func describeHeader(header []string) string {
	const max = 6
	var parts []string
	for i, h := range header {
		if i == max {
			parts = append(parts, fmt.Sprintf("… %d more", len(header)-max))
			break
		}
		if len([]rune(h)) > 40 {
			h = string([]rune(h)[:40]) + "…"
		}
		parts = append(parts, fmt.Sprintf("%q", h))
	}
	return strings.Join(parts, ", ")
}

// csvError converts an encoding/csv error.
func (c *csvReader) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		field := ""
		if i := c.fieldAt(pe.StartLine, pe.Line, pe.Column); i >= 0 && i < len(c.cols) {
			field = c.colField(i)
		}
		e := c.errAt(pe.Line, pe.Column, field, "invalid CSV: "+pe.Err.Error())
		e.Err = err
		return e
	}
	return &ParseError{File: c.file, Msg: err.Error(), Err: err}
}

// fieldAt returns the index of the field holding byte column byteCol of
// a record that starts and fails on the same line, or -1.
func (c *csvReader) fieldAt(startLine, line, byteCol int) int {
	if startLine != line || byteCol <= 0 {
		return -1
	}
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(c.data[start:], '\n')
		if i < 0 {
			return -1
		}
		start += i + 1
	}
	field, inQuote := 0, false
	for i := start; i < len(c.data) && i < start+byteCol-1; i++ {
		switch c.data[i] {
		case '"':
			inQuote = !inQuote
		case c.comma:
			if !inQuote {
				field++
			}
		}
	}
	return field
}

// runeColumn converts a 1-based byte column on a 1-based line to a
// 1-based character column.
func runeColumn(data []byte, line, byteCol int) int {
	if byteCol <= 0 {
		return 0
	}
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return byteCol
		}
		start += i + 1
	}
	end := start + byteCol - 1
	if end > len(data) {
		return byteCol
	}
	return utf8.RuneCount(data[start:end]) + 1
}

// sniffDelimiter picks ',', ';' or tab: whichever occurs most often
// outside quotes on the first line. Ties go to ','.
func sniffDelimiter(data []byte) byte {
	counts := map[byte]int{}
	inQuote := false
	for _, b := range data {
		if b == '"' {
			inQuote = !inQuote
		}
		if inQuote {
			continue
		}
		if b == '\n' {
			break
		}
		counts[b]++
	}
	best := byte(',')
	for _, d := range []byte{';', '\t'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}

// looksBinary reports whether data is binary rather than text: a NUL
// byte in its first 8000 bytes (as git decides), or mostly bytes that
// are neither UTF-8 nor printable.
func looksBinary(data []byte) bool {
	sample := data
	if len(sample) > 8000 {
		sample = sample[:8000]
	}
	if bytes.IndexByte(sample, 0) >= 0 {
		return true
	}
	bad := 0
	for i := 0; i < len(sample); {
		r, n := utf8.DecodeRune(sample[i:])
		if r == utf8.RuneError && n <= 1 && len(sample)-i >= utf8.UTFMax || r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			bad++
		}
		i += n
	}
	return bad*10 > len(sample)*3
}
