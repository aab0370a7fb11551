// Command cardwall prints issue cards and reads photos of a card wall.
//
//	cardwall print --issues FILE [--template NAME|FILE] [-o cards.pdf]
//	cardwall templates [show NAME]
//	cardwall markers --columns LIST [-o FILE]
//	cardwall decode [--json] IMAGE...
//	cardwall scan [--issues FILE] [--map FILE] [--json] PHOTO...
//
// Each sub-command lives in its own file and registers itself with
// register. Errors go to stderr with exit status 1 (2 for usage errors);
// a Go panic never reaches the user.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one sub-command of the CLI.
type command struct {
	name    string
	summary string // one line for the usage listing
	// run executes the command with the arguments after its name.
	// It writes results to stdout; an error is printed by main.
	run func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// register adds a sub-command; it is called from init functions.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("cardwall: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks an error caused by wrong arguments (exit status 2).
var errUsage = errors.New("usage")

// usageError wraps a message so main prints it and exits with status 2.
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a sub-command and turns errors and panics into an
// exit status with a message on stderr.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "cardwall: internal error: %v\nPlease report this with the command you ran.\n", r)
			status = 3
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "cardwall: unknown command %q\n", args[0])
		printUsage(stderr)
		return 2
	}
	if err := c.run(args[1:], stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "cardwall %s: %v\n", c.name, err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: cardwall COMMAND [ARGS]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'cardwall COMMAND -h' for a command's options.")
}
