package repl

import (
	"strings"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/scripting"
)

// overview is what help() prints.
const overview = `wirelark REPL: Starlark with everything a script of ` + "`wirelark run`" + ` has, over captures.
  cap                              the capture named on the command line (help(cap))
  capture.open("file.pcap")        open a capture: cap = capture.open("x.pcap")
  capture.live("eth0", filter="udp port 53", count=100, duration="30s")
                                   capture live (Ctrl-C stops it) and explore what was seen
  cap[0], cap[-1], cap[10:20]      packets (numbered from 1 as in Wireshark: cap[0].num is 1)
  for p in cap: ...                every packet, in order
  cap.filter("dhcp || arp")        the packets a display filter matches
  p.show(), p.hex(), p.summary()   detail tree, hex dump, packet-list line
  p.ip.src, p.tcp.flags.syn        fields by Wireshark's names (help("tcp") lists them)
  cap.stats(), cap.conns(), cap.streams(), cap.run("@scripts/dhcp_transactions.star")
  emit, print, stats, hex, json, math, time, load("@stdlib/fmt.star", "pct")
  help(x) describes a value; help("ip.src") a field; dir(x) lists attributes.
Tab completes names, attributes and field names in filters; Up and Down walk the
history; a def, for or if block ends with a blank line; Ctrl-C cancels the
input or the running evaluation; Ctrl-D exits.`

// helpBuiltin is help() and help(obj).
func helpBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &v); err != nil {
		return nil, err
	}
	text := overview
	if v != nil {
		text = scripting.Help(v)
	}
	th.Print(th, strings.TrimSuffix(text, "\n"))
	return starlark.None, nil
}
