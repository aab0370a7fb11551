package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cardwall/cardwall/cards/template"
)

const templatesUsage = `usage: cardwall templates            list the built-in templates
       cardwall templates show NAME  print a template's JSON (start a custom one from it)
       cardwall templates check FILE validate a template file

Sizes are in mm. Use a template with 'cardwall print --template NAME|FILE'.
`

func init() {
	register(command{name: "templates", summary: "list, show and check card templates", run: runTemplates})
}

func runTemplates(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("templates", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(stderr, templatesUsage)
			return nil
		}
		return usageError("%v\n\n%s", err, templatesUsage)
	}
	rest := fs.Args()
	switch {
	case len(rest) == 0:
		listTemplates(stdout)
		return nil
	case rest[0] == "show" && len(rest) == 2:
		t, ok := template.Builtin(rest[1])
		if !ok {
			return fmt.Errorf("no built-in template %q; built-ins: %s", rest[1], strings.Join(template.BuiltinNames(), ", "))
		}
		_, err := stdout.Write(t.JSON())
		return err
	case rest[0] == "check" && len(rest) == 2:
		t, warns, err := template.Resolve(rest[1], "")
		for _, w := range warns {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: template %q is valid (%s)\n", rest[1], t.Name, summary(t))
		return nil
	}
	return usageError("unexpected arguments %q\n\n%s", rest, templatesUsage)
}

func summary(t *template.Template) string {
	cols, rows := t.GridSize()
	return fmt.Sprintf("%s, %d×%d cards of %s×%s mm", t.PaperName(), cols, rows, template.MM(t.Card.Width), template.MM(t.Card.Height))
}

func listTemplates(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPAPER\tCARDS/PAGE\tCARD (mm)\tQR (mm)\tDESCRIPTION")
	for _, t := range template.Builtins() {
		cols, rows := t.GridSize()
		qr := "-"
		if t.QR != nil {
			qr = template.MM(t.QR.Size)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d (%d×%d)\t%s×%s\t%s\t%s\n", t.Name, t.PaperName(), cols*rows, cols, rows,
			template.MM(t.Card.Width), template.MM(t.Card.Height), qr, t.Description)
	}
	tw.Flush()
}
