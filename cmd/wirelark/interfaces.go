package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/wirelark/wirelark/engine/live"
)

// cmdInterfaces lists the interfaces capture can open, numbered as
// tshark -D numbers them, with their state and addresses.
func cmdInterfaces(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "wirelark interfaces: unexpected argument %q\n", args[0])
		return exitUsage
	}
	ifs, err := live.Interfaces()
	if err != nil {
		fmt.Fprintf(stderr, "wirelark interfaces: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	for i, it := range ifs {
		fmt.Fprintf(out, "%d. %s", i+1, describeInterface(it))
		if len(it.Addrs) > 0 {
			fmt.Fprintf(out, " %s", strings.Join(it.Addrs, " "))
		}
		out.WriteByte('\n')
	}
	return exitOK
}

// describeInterface is the name, a note as tshark -D gives it, and the
// state.
func describeInterface(it live.Interface) string {
	s := it.Name
	switch {
	case it.Name == live.Any:
		return s + " (Pseudo-device that captures on all interfaces)"
	case it.Loopback:
		s += " (Loopback)"
	}
	var st []string
	if it.Up {
		st = append(st, "up")
	} else {
		st = append(st, "down")
	}
	if it.Up && it.Running {
		st = append(st, "running")
	}
	return s + " [" + strings.Join(st, ", ") + "]"
}
