package board

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/cardwall/cardwall/cards"
)

// Update is a proposed status change for one issue.
type Update struct {
	Key  string `json:"key"`
	From string `json:"from"` // the issue's current status
	To   string `json:"to"`   // the status of the column its card is in
}

// Plan is what the photo means for the issues.
type Plan struct {
	Updates []Update
	// Unknown lists keys seen in the photo that are not among the issues.
	Unknown []string
	// Duplicates lists keys seen on more than one card; they get no update.
	Duplicates []string
	// NotSeen lists the issues whose card is not in the photo (or could
	// not be read); they get no update.
	NotSeen []string
	// Problems explains columns that could not be matched to a status and
	// columns expected but not found in the photo.
	Problems []string
}

// ProposeUpdates compares where the cards are with the issues' statuses.
//
// columnStatus maps column names (as on the headers; matched without
// regard to case and spacing) to status names. When it is nil, a column
// takes the issues' status whose name matches the column's, ignoring case.
// Cards in a column with no status, unassigned cards, unknown keys and
// cards seen twice get no update; an issue whose card was not seen never
// gets one.
func ProposeUpdates(r *Result, issues []cards.Issue, columnStatus map[string]string) *Plan {
	p := &Plan{Duplicates: r.Duplicates}
	byKey := map[string]*cards.Issue{}
	var statuses []string
	seenStatus := map[string]bool{}
	for i := range issues {
		is := &issues[i]
		if _, dup := byKey[is.Key]; !dup {
			byKey[is.Key] = is
		}
		if s := strings.TrimSpace(is.Status); s != "" && !seenStatus[strings.ToLower(s)] {
			seenStatus[strings.ToLower(s)] = true
			statuses = append(statuses, s)
		}
	}

	// Column → status. held maps (lower-case) statuses whose column has
	// no header in the photo to that column: a card of such an issue that
	// seems to sit in another column may really be in the headerless one,
	// between its neighbours, so it is not moved.
	status := map[string]string{}
	held := map[string]string{}
	var expected []string
	if columnStatus != nil {
		norm := map[string]string{}
		for col, st := range columnStatus {
			norm[NormalizeColumn(col)] = st
			expected = append(expected, col)
		}
		sort.Strings(expected)
		for _, c := range r.Columns {
			if st, ok := norm[c.Name]; ok {
				status[c.Name] = st
			} else {
				p.Problems = append(p.Problems, fmt.Sprintf("column %q is not in the column map; its cards get no update", c.Name))
			}
		}
		for _, m := range r.MissingColumns(expected) {
			p.Problems = append(p.Problems, fmt.Sprintf("no header for column %q (from the column map) in the photo; its cards cannot be placed", m))
			held[strings.ToLower(strings.TrimSpace(norm[m]))] = m
		}
	} else {
		for _, c := range r.Columns {
			for _, s := range statuses {
				if NormalizeColumn(s) == c.Name {
					status[c.Name] = s
					break
				}
			}
			if status[c.Name] == "" {
				p.Problems = append(p.Problems, fmt.Sprintf("column %q matches no status of the issues; its cards get no update (give a column map)", c.Name))
			}
		}
		for _, m := range r.MissingColumns(statuses) {
			p.Problems = append(p.Problems, fmt.Sprintf("no header for status %q (COL:%s) in the photo; its cards cannot be placed", statusNamed(statuses, m), m))
			held[strings.ToLower(statusNamed(statuses, m))] = m
		}
	}

	dup := map[string]bool{}
	for _, k := range r.Duplicates {
		dup[k] = true
	}
	seen := map[string]bool{}
	unknown := map[string]bool{}
	note := func(key string) {
		seen[key] = true
		if byKey[key] == nil && !unknown[key] {
			unknown[key] = true
			p.Unknown = append(p.Unknown, key)
		}
	}
	for _, u := range r.Unassigned {
		note(u.Key)
	}
	heldKeys := map[string][]string{}
	for _, c := range r.Cards {
		note(c.Key)
		is, to := byKey[c.Key], status[c.Column]
		if is == nil || dup[c.Key] || to == "" {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(is.Status), strings.TrimSpace(to)) {
			continue
		}
		if col, ok := held[strings.ToLower(strings.TrimSpace(is.Status))]; ok {
			heldKeys[col] = append(heldKeys[col], c.Key)
			continue
		}
		p.Updates = append(p.Updates, Update{Key: c.Key, From: is.Status, To: to})
	}
	for _, col := range sortedKeysOf(heldKeys) {
		ks := heldKeys[col]
		sortKeys(ks)
		p.Problems = append(p.Problems, fmt.Sprintf("not moved, as the %s header is missing and its cards cannot be told from their neighbours': %s", col, strings.Join(ks, ", ")))
	}
	for k := range byKey {
		if !seen[k] {
			p.NotSeen = append(p.NotSeen, k)
		}
	}
	sortKeys(p.Unknown)
	sortKeys(p.NotSeen)
	sort.SliceStable(p.Updates, func(i, j int) bool { return KeyLess(p.Updates[i].Key, p.Updates[j].Key) })
	return p
}

// statusNamed returns the status in statuses whose normalised name is n.
func statusNamed(statuses []string, n string) string {
	for _, s := range statuses {
		if NormalizeColumn(s) == n {
			return s
		}
	}
	return n
}

func sortedKeysOf(m map[string][]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortKeys(ks []string) { sort.Slice(ks, func(i, j int) bool { return KeyLess(ks[i], ks[j]) }) }

// ReadColumnMap reads a column→status map from a JSON file such as
// {"IN PROGRESS": "In Progress", "REVIEW": "In Review"}.
func ReadColumnMap(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("column map: %w", err)
	}
	return ParseColumnMap(data, path)
}

// ParseColumnMap parses a column→status map; name (a file name) is used in
// error messages, which give the line of the fault.
func ParseColumnMap(data []byte, name string) (map[string]string, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		off := dec.InputOffset()
		if se, ok := err.(*json.SyntaxError); ok {
			off = se.Offset
		}
		if te, ok := err.(*json.UnmarshalTypeError); ok {
			off = te.Offset
		}
		return nil, fmt.Errorf("%s:%d: column map must be a JSON object of column name to status name: %v", name, lineAt(data, off), err)
	}
	if raw == nil {
		return nil, fmt.Errorf("%s:1: column map must be a JSON object of column name to status name, not null", name)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s:%d: unexpected data after the column map", name, lineAt(data, dec.InputOffset()))
	}
	m := map[string]string{}
	from := map[string]string{}
	cols := make([]string, 0, len(raw))
	for col := range raw {
		cols = append(cols, col)
	}
	sort.Slice(cols, func(i, j int) bool {
		return bytes.Index(data, []byte(fmt.Sprintf("%q", cols[i]))) < bytes.Index(data, []byte(fmt.Sprintf("%q", cols[j])))
	})
	for _, col := range cols {
		v := raw[col]
		line := lineAt(data, int64(bytes.Index(data, []byte(fmt.Sprintf("%q", col)))))
		var st string
		if err := json.Unmarshal(v, &st); err != nil {
			return nil, fmt.Errorf("%s:%d: column %q: status must be a string, not %s", name, line, col, shortJSON(v))
		}
		n := NormalizeColumn(col)
		switch {
		case n == "":
			return nil, fmt.Errorf("%s:%d: empty column name", name, line)
		case strings.TrimSpace(st) == "":
			return nil, fmt.Errorf("%s:%d: column %q: empty status", name, line, col)
		case from[n] != "":
			return nil, fmt.Errorf("%s:%d: columns %q and %q are the same column (header COL:%s)", name, line, from[n], col, n)
		}
		from[n] = col
		m[n] = strings.TrimSpace(st)
	}
	return m, nil
}

func lineAt(data []byte, off int64) int {
	if off < 0 {
		return 1
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func shortJSON(v []byte) string {
	if len(v) > 30 {
		return string(v[:30]) + "…"
	}
	return string(v)
}
