package repl

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/scripting"
)

// listShown is how many packets or connections of a list are printed
// before the rest is summed up as "... N more".
const listShown = 20

// format renders the value of an expression for the REPL: text as it
// reads (so pkt.show(), pkt.hex(), stream.follow() and cap.stats()
// print as tables and trees, not as quoted strings), a packet as its
// packet-list line, a list of packets as a packet list, a connection as
// its one-line description, anything else as Starlark writes it.
func format(v starlark.Value) string {
	switch v := v.(type) {
	case starlark.String:
		return strings.TrimSuffix(string(v), "\n")
	case *scripting.Packet:
		return packetLine(v)
	case *starlark.List:
		if s, ok := formatList(v); ok {
			return s
		}
	case starlark.Tuple:
		if s, ok := formatList(v); ok {
			return s
		}
	}
	return v.String()
}

func packetLine(p *scripting.Packet) string {
	s, err := p.ListLine()
	if err != nil {
		return p.String()
	}
	return s
}

// formatList renders a non-empty list whose elements are all packets, or
// all connections, one per line; long lists show their first elements
// and a count.
func formatList(l starlark.Indexable) (string, bool) {
	n := l.Len()
	if n == 0 {
		return "", false
	}
	var line func(starlark.Value) string
	switch l.Index(0).(type) {
	case *scripting.Packet:
		line = func(v starlark.Value) string { return packetLine(v.(*scripting.Packet)) }
	case *scripting.Conn:
		line = func(v starlark.Value) string { return v.String() }
	default:
		return "", false
	}
	t := l.Index(0).Type()
	for i := 1; i < n; i++ {
		if l.Index(i).Type() != t {
			return "", false
		}
	}
	var b strings.Builder
	for i := 0; i < n && i < listShown; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line(l.Index(i)))
	}
	if n > listShown {
		what := "packets"
		if t == "conn" {
			what = "connections"
		}
		fmt.Fprintf(&b, "\n... %d more (%d %s in all)", n-listShown, n, what)
	}
	return b.String(), true
}
