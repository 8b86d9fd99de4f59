package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/wirelark/wirelark/internal/suggest"
	"github.com/wirelark/wirelark/scripting"
)

// cmdDoc prints the scripting reference: every entry, or those named or
// under the name given (wirelark doc stats).
func cmdDoc(args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintln(stderr, "wirelark doc: at most one name (e.g. wirelark doc stats)")
		return exitUsage
	}
	name := ""
	if len(args) == 1 {
		name = args[0]
	}
	docs := scripting.DocsFor(name)
	if len(docs) == 0 {
		msg := fmt.Sprintf("wirelark doc: nothing is called %q", name)
		if near := suggest.Nearest(name, scripting.DocNames()); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		fmt.Fprintln(stderr, msg+"; fields are listed by wirelark fields")
		return exitUsage
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for _, d := range docs {
		fmt.Fprintf(w, "%s\n    %s\n", d.Sig, d.Text)
	}
	return exitOK
}
