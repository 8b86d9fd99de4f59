// Command wirelark is a scriptable network-traffic analysis engine. This
// file holds flag parsing and wiring only; the work is done by the engine,
// show and (later) scripting packages.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/wirelark/wirelark/engine/source"
)

// Exit statuses.
const (
	exitOK     = 0
	exitScript = 1
	exitUsage  = 2
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `wirelark: scriptable network-traffic analysis

Usage:
  wirelark show CAPTURE... [-Y FILTER] [-V] [-e FIELD]... [--header] [-E opt=val]... [-c N]
                          list packets, show their detail tree, or print fields
  wirelark fields [PROTO]  list every field (name, type, description)
  wirelark run SCRIPT CAPTURE... [-Y FILTER] [--arg k=v]... [--format text|json|csv|tsv]
                          [-o DIR] [--max-steps N] [--stats] [--keep-going] [--lib name=dir]...
                          [--limit name=value]...
                          run a Starlark script's handlers over the packets
  wirelark repl [CAPTURE] [--max-steps N] [--lib name=dir]...
                          explore a capture interactively (cap[0].show(), cap.filter("dns"))
  wirelark check SCRIPT... [--lib name=dir]...
                          parse and check scripts without running them
  wirelark scripts [--lib name=dir]...
                          list the scripts on the search path (WIRELARK_PATH, then shipped)
  wirelark doc [NAME]      the scripting reference: handlers, builtins, modules
                          (wirelark doc stats), packet attributes, run counters
  wirelark interfaces      list the interfaces live capture can open, with addresses
  wirelark version         print the version

CAPTURE is a pcap or pcapng file, gzip-compressed or not, or - for standard
input; several files are merged in time order.

Live capture (Linux; needs CAP_NET_RAW): run and show take -i IFACE instead
of CAPTURE (repeatable; -i any for all), with -f CAPTURE_FILTER (tcpdump
syntax, run in the kernel), -c N packets, --duration 30s, -w out.pcap|.pcapng
(all packets captured; with -Y only those it matches), --snaplen N,
--buffer-size KiB and --no-promisc. Ctrl-C stops the capture: on_end runs
and the output and the -w file are complete (exit 0); a second Ctrl-C
cancels the running handler (exit 130).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	source.Stdin = stdin
	switch args[0] {
	case "show":
		return cmdShow(args[1:], stdout, stderr)
	case "fields":
		return cmdFields(args[1:], stdout, stderr)
	case "run":
		return cmdRun(args[1:], stdin, stdout, stderr)
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "repl":
		return cmdRepl(args[1:], stdin, stdout, stderr)
	case "scripts":
		return cmdScripts(args[1:], stdout, stderr)
	case "doc":
		return cmdDoc(args[1:], stdout, stderr)
	case "interfaces":
		return cmdInterfaces(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "wirelark", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "wirelark: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
