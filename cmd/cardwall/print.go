package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cardwall/cardwall/cards/importer"
	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/cards/pdf"
	"github.com/cardwall/cardwall/cards/template"
)

const printHelp = `usage: cardwall print --issues FILE [--template NAME|FILE] [-o cards.pdf]

Prints one card per issue to a PDF. FILE is a Jira REST search response
(API v2 or v3), a Jira CSV export, GitHub issues JSON, or a CSV with a
header row; the format is detected. --template is a built-in template
name (see 'cardwall templates', default ` + template.DefaultName + `) or a template JSON file.
-o - writes the PDF to standard output.
`

func init() {
	register(command{name: "print", summary: "print issue cards to a PDF", run: runPrint})
}

func runPrint(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("print", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	issuesPath := fs.String("issues", "", "")
	tplArg := fs.String("template", "", "")
	out := fs.String("o", "cards.pdf", "")
	if help, err := parseFlags(fs, args, printHelp, stderr); help || err != nil {
		return err
	}
	if *issuesPath == "" {
		return usageError("--issues FILE is required\n\n%s", printHelp)
	}
	tpl, err := resolveTemplate(*tplArg, template.DefaultName, stderr)
	if err != nil {
		return err
	}
	issues, format, err := importer.ReadFile(*issuesPath)
	if err != nil {
		return err
	}
	if len(issues) == 0 {
		return fmt.Errorf("%s (%s) holds no issues; nothing to print", *issuesPath, format)
	}
	pages, err := layout.Cards(context.Background(), tpl, issues)
	if err != nil {
		return err
	}
	if err := writePDF(*out, stdout, pages, pdf.Options{Title: "cardwall cards"}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "cardwall print: %d cards on %d %s (%s, template %s) → %s\n",
		len(issues), len(pages), plural(len(pages), "page"), format, tpl.Name, outName(*out))
	return nil
}

// parseFlags parses args. After -h it prints usage and reports help,
// and the command should stop without error.
func parseFlags(fs *flag.FlagSet, args []string, usage string, stderr io.Writer) (help bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usage)
		return true, nil
	}
	if err != nil {
		return false, usageError("%v\n\n%s", err, usage)
	}
	if fs.NArg() > 0 {
		return false, usageError("unexpected argument %q\n\n%s", fs.Arg(0), usage)
	}
	return false, nil
}

// resolveTemplate finds a built-in or file template, prints its
// validation warnings and fails on validation errors.
func resolveTemplate(arg, def string, stderr io.Writer) (*template.Template, error) {
	tpl, warns, err := template.Resolve(arg, def)
	for _, w := range warns {
		fmt.Fprintf(stderr, "cardwall: warning: template %s: %s\n", tplName(tpl, arg), w)
	}
	return tpl, err
}

func tplName(t *template.Template, arg string) string {
	if t != nil && t.Name != "" {
		return t.Name
	}
	return arg
}

// writePDF renders pages and writes them to path, or to stdout for "-".
// A file is written to a temporary name beside it and renamed, so a
// failure never leaves a partial PDF.
func writePDF(path string, stdout io.Writer, pages []layout.Page, opt pdf.Options) error {
	var buf bytes.Buffer
	if err := pdf.Render(&buf, pages, opt); err != nil {
		return err
	}
	if path == "-" {
		_, err := buf.WriteTo(stdout)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := buf.WriteTo(tmp)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

func outName(path string) string {
	if path == "-" {
		return "standard output"
	}
	return path
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}

// splitList splits a comma-separated list, trimming spaces.
func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}
