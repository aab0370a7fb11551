package importer

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// adfNode is one node of an Atlassian Document Format document, the rich
// text of Jira's REST API v3.
type adfNode struct {
	Type    string
	Text    string
	Attrs   map[string]string // scalar attributes as text; nested ones as "data.url"
	Content []adfNode
	Marks   []adfMark
}

// adfMark is a text mark such as a link.
type adfMark struct {
	Type  string
	Attrs map[string]string
}

// adf reads an ADF node in place from raw, a value at byte offset off of
// a syntax-checked document. Errors name path (the field holding the
// document) and the line and column of the bad node.
func (d *jsonDoc) adf(raw []byte, off int64, path string) (adfNode, error) {
	var n adfNode
	err := d.eachMember(raw, off, path, func(name string, v []byte, voff int64) error {
		if kindOf(v) == "null" {
			return nil
		}
		var err error
		switch name {
		case "type":
			if inner, ok := plainString(v); ok {
				n.Type = d.name(inner) // a handful of node types, shared
			} else {
				n.Type, err = d.str(v, voff, path)
			}
		case "text":
			n.Text, err = d.str(v, voff, path)
		case "attrs":
			n.Attrs = d.adfAttrs(v, voff, "", n.Attrs)
		case "content":
			err = d.eachElement(v, voff, path, func(_ int, cv []byte, coff int64) error {
				c, err := d.adf(cv, coff, path)
				n.Content = append(n.Content, c)
				return err
			})
		case "marks":
			err = d.eachElement(v, voff, path, func(_ int, mv []byte, moff int64) error {
				m, err := d.adf(mv, moff, path)
				n.Marks = append(n.Marks, adfMark{Type: m.Type, Attrs: m.Attrs})
				return err
			})
		}
		return err
	})
	return n, err
}

// adfAttrs collects the scalar attributes of raw into m, nested objects
// under "parent.child" names. Other values are not needed for text.
func (d *jsonDoc) adfAttrs(raw []byte, off int64, prefix string, m map[string]string) map[string]string {
	_ = d.eachMember(raw, off, "", func(name string, v []byte, voff int64) error {
		switch kindOf(v) {
		case "a string":
			s, _ := d.str(v, voff, "")
			if m == nil {
				m = map[string]string{}
			}
			m[prefix+name] = s
		case "a number", "true/false":
			if m == nil {
				m = map[string]string{}
			}
			m[prefix+name] = string(v)
		case "an object":
			m = d.adfAttrs(v, voff, prefix+name+".", m)
		}
		return nil
	})
	return m
}

// adfText renders an ADF document as plain text: blocks separated by a
// blank line, list items one per line with "• " or "1. " (nested lists
// indented), table rows as cells joined by " | ", code blocks verbatim,
// mentions as @name, emoji as the character or :shortName:, links and
// cards as their URL, dates as YYYY-MM-DD. Unknown nodes contribute their
// text content, so nothing readable is lost.
func adfText(doc *adfNode) string {
	var w adfWriter
	return w.text(doc)
}

// text renders doc, reusing the writer's buffer from earlier documents.
func (w *adfWriter) text(doc *adfNode) string {
	w.b.Reset()
	w.blocks(doc.Content, "")
	return string(bytes.TrimSpace(w.b.Bytes()))
}

type adfWriter struct {
	b bytes.Buffer
}

// sep ends the current block: it drops trailing spaces and line breaks
// (a trailing hardBreak, a code block's final newline) and writes s.
func (w *adfWriter) sep(s string) {
	b := w.b.Bytes()
	n := len(b)
	for n > 0 && (b[n-1] == '\n' || b[n-1] == ' ') {
		n--
	}
	w.b.Truncate(n)
	w.b.WriteString(s)
}

// blocks writes block nodes separated by blank lines; prefix is written
// at the start of every line (indentation, quote marks).
func (w *adfWriter) blocks(nodes []adfNode, prefix string) {
	first := true
	for i := range nodes {
		n := &nodes[i]
		if !isBlock(n.Type) {
			// Inline content directly in a block container.
			if first {
				w.b.WriteString(prefix)
				first = false
			}
			w.inline(n, prefix)
			continue
		}
		if !first {
			w.sep("\n\n")
		}
		first = false
		w.block(n, prefix)
	}
}

func isBlock(t string) bool {
	switch t {
	case "paragraph", "heading", "bulletList", "orderedList", "taskList", "decisionList",
		"codeBlock", "blockquote", "rule", "table", "panel", "expand", "nestedExpand",
		"mediaSingle", "mediaGroup", "blockCard", "embedCard", "listItem", "taskItem",
		"decisionItem", "layoutSection", "layoutColumn", "bodiedExtension", "extension", "doc":
		return true
	}
	return false
}

// block writes one block node starting at the current position.
func (w *adfWriter) block(n *adfNode, prefix string) {
	switch n.Type {
	case "paragraph", "heading":
		w.b.WriteString(prefix)
		w.inlines(n.Content, prefix)
	case "bulletList", "orderedList", "taskList", "decisionList":
		w.list(n, prefix)
	case "codeBlock":
		w.b.WriteString(prefix)
		w.inlines(n.Content, prefix)
	case "blockquote":
		w.blocks(n.Content, prefix+"> ")
	case "rule":
		w.b.WriteString(prefix + "---")
	case "table":
		w.table(n, prefix)
	case "expand", "nestedExpand":
		if t := n.Attrs["title"]; t != "" {
			w.b.WriteString(prefix + t + "\n")
		}
		w.blocks(n.Content, prefix)
	case "mediaSingle", "mediaGroup":
		w.b.WriteString(prefix)
		w.blocksInline(n.Content, prefix)
	case "blockCard", "embedCard":
		w.b.WriteString(prefix + cardURL(n.Attrs))
	default: // panel, layouts, extensions, list items out of place
		w.blocks(n.Content, prefix)
	}
}

// blocksInline writes media nodes on one line.
func (w *adfWriter) blocksInline(nodes []adfNode, prefix string) {
	for i := range nodes {
		if i > 0 {
			w.b.WriteString(" ")
		}
		w.inline(&nodes[i], prefix)
	}
}

// list writes the items of a list, one per line.
func (w *adfWriter) list(n *adfNode, prefix string) {
	num := 1
	if n.Type == "orderedList" {
		if o, ok := attrNumber(n.Attrs, "order"); ok {
			num = int(o)
		}
	}
	for i := range n.Content {
		item := &n.Content[i]
		if i > 0 {
			w.sep("\n")
		}
		var marker string
		switch {
		case n.Type == "orderedList":
			marker = strconv.Itoa(num) + ". "
			num++
		case item.Type == "taskItem" && item.Attrs["state"] == "DONE":
			marker = "[x] "
		case item.Type == "taskItem":
			marker = "[ ] "
		default:
			marker = "• "
		}
		w.b.WriteString(prefix + marker)
		w.listItem(item, prefix+strings.Repeat(" ", len([]rune(marker))))
	}
}

// listItem writes an item's content: its first block on the marker's
// line, later blocks (nested lists, more paragraphs) on their own lines.
func (w *adfWriter) listItem(item *adfNode, indent string) {
	for j := range item.Content {
		c := &item.Content[j]
		if !isBlock(c.Type) {
			w.inline(c, indent)
			continue
		}
		if j > 0 {
			w.sep("\n")
		}
		if j == 0 && (c.Type == "paragraph" || c.Type == "heading") {
			w.inlines(c.Content, indent)
			continue
		}
		if j == 0 && !isList(c.Type) {
			// The marker is already written: write the block without its prefix.
			var sub adfWriter
			sub.block(c, "")
			w.b.WriteString(indentLines(sub.b.String(), indent))
			continue
		}
		w.block(c, indent)
	}
}

func isList(t string) bool {
	return t == "bulletList" || t == "orderedList" || t == "taskList" || t == "decisionList"
}

// indentLines prefixes every line but the first with indent.
func indentLines(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// table writes each row on its own line, cells joined by " | ".
func (w *adfWriter) table(n *adfNode, prefix string) {
	for i := range n.Content {
		row := &n.Content[i]
		if i > 0 {
			w.sep("\n")
		}
		w.b.WriteString(prefix)
		for j := range row.Content {
			if j > 0 {
				w.b.WriteString(" | ")
			}
			var cell adfWriter
			cell.blocks(row.Content[j].Content, "")
			w.b.WriteString(strings.Join(strings.Fields(cell.b.String()), " "))
		}
	}
}

// inlines writes inline nodes; prefix follows every hard line break.
func (w *adfWriter) inlines(nodes []adfNode, prefix string) {
	for i := range nodes {
		w.inline(&nodes[i], prefix)
	}
}

func (w *adfWriter) inline(n *adfNode, prefix string) {
	switch n.Type {
	case "text":
		text := n.Text
		for _, m := range n.Marks {
			if m.Type == "link" {
				if href := m.Attrs["href"]; href != "" && href != text {
					text += " (" + href + ")"
				}
			}
		}
		w.b.WriteString(strings.ReplaceAll(text, "\n", "\n"+prefix))
	case "hardBreak":
		w.b.WriteString("\n" + prefix)
	case "mention":
		t := n.Attrs["text"]
		if t == "" {
			t = n.Attrs["id"]
		}
		if !strings.HasPrefix(t, "@") {
			t = "@" + t
		}
		w.b.WriteString(t)
	case "emoji":
		t := n.Attrs["text"]
		if t == "" {
			t = n.Attrs["shortName"]
		}
		w.b.WriteString(t)
	case "inlineCard", "blockCard", "embedCard":
		// A card is shown as a chip; as text it needs a space to stand apart.
		if b := w.b.Bytes(); len(b) > 0 && b[len(b)-1] != ' ' && b[len(b)-1] != '\n' {
			w.b.WriteByte(' ')
		}
		w.b.WriteString(cardURL(n.Attrs))
	case "date":
		if ms, err := strconv.ParseInt(n.Attrs["timestamp"], 10, 64); err == nil {
			w.b.WriteString(time.UnixMilli(ms).UTC().Format("2006-01-02"))
		}
	case "status":
		w.b.WriteString("[" + n.Attrs["text"] + "]")
	case "media", "mediaInline":
		if alt := n.Attrs["alt"]; alt != "" {
			w.b.WriteString("[" + alt + "]")
		} else {
			w.b.WriteString("[attachment]")
		}
	case "placeholder":
		// Template hint text, not content.
	default:
		if n.Text != "" {
			w.b.WriteString(n.Text)
		}
		if isBlock(n.Type) {
			w.block(n, prefix)
		} else {
			w.inlines(n.Content, prefix)
		}
	}
}

// cardURL returns the URL of a smart link.
func cardURL(attrs map[string]string) string {
	if u := attrs["url"]; u != "" {
		return u
	}
	return attrs["data.url"]
}

func attrNumber(attrs map[string]string, k string) (float64, bool) {
	f, err := strconv.ParseFloat(attrs[k], 64)
	return f, err == nil && f >= 0 && f < 1e9
}
