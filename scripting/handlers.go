package scripting

import (
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"
)

// handlerSpec describes one handler name: how many positional arguments
// the engine passes (a handler may accept fewer where minArgs allows),
// and whether this release calls it.
type handlerSpec struct {
	name      string
	minArgs   int // the engine passes maxArgs arguments, or as few as
	maxArgs   int // minArgs to a function that takes fewer (on_end)
	args      string
	available bool
	when      string
}

// handlers lists every handler name scripts may define: those this
// release calls, and those of DESIGN §4 that later releases will call (a
// script defining one of those is stopped with a clear message rather
// than silently never called).
var handlers = []handlerSpec{
	{name: "on_start", args: "", available: true, when: "before the first packet"},
	{name: "on_packet", minArgs: 1, maxArgs: 1, args: "pkt", available: true, when: "for every packet that passes FILTER and -Y"},
	{name: "on_end", maxArgs: 1, args: "[run]", available: true, when: "after the last packet"},
	{name: "on_conn_start", minArgs: 1, maxArgs: 1, args: "conn", available: true, when: "on the first packet of a TCP, UDP or ICMP flow"},
	{name: "on_handshake", minArgs: 1, maxArgs: 1, args: "conn", available: true, when: "when a TCP three-way handshake completes"},
	{name: "on_conn_end", minArgs: 1, maxArgs: 1, args: "conn", available: true, when: "when a flow closes, is reset, times out or the capture ends"},
	{name: "on_stream_data", minArgs: 2, maxArgs: 2, args: "stream, data", available: true, when: "with reassembled, in-order TCP bytes"},
	{name: "on_arp", minArgs: 1, maxArgs: 1, args: "msg", available: true, when: "for each ARP message"},
	{name: "on_icmp", minArgs: 1, maxArgs: 1, args: "msg", available: true, when: "for each ICMP message"},
	{name: "on_igmp", minArgs: 1, maxArgs: 1, args: "msg", available: true, when: "for each IGMP message"},
	{name: "on_dns", minArgs: 1, maxArgs: 1, args: "msg", available: true, when: "for each DNS message"},
	{name: "on_dhcp", minArgs: 1, maxArgs: 1, args: "msg", available: true, when: "for each DHCP message"},
	{name: "on_kerberos", minArgs: 1, maxArgs: 1, args: "msg", available: true, when: "for each Kerberos message"},
	{name: "on_http_request", minArgs: 1, maxArgs: 1, args: "req", when: "for each HTTP request"},
	{name: "on_http_response", minArgs: 1, maxArgs: 1, args: "resp", when: "for each HTTP response"},
	{name: "on_ftp", minArgs: 1, maxArgs: 1, args: "cmd", when: "for each FTP command or reply"},
	{name: "on_telnet", minArgs: 1, maxArgs: 1, args: "msg", when: "for each Telnet message"},
	{name: "on_ssh", minArgs: 1, maxArgs: 1, args: "msg", when: "for each SSH message"},
	{name: "on_msnms", minArgs: 1, maxArgs: 1, args: "msg", when: "for each MSN Messenger message"},
	{name: "on_smb", minArgs: 1, maxArgs: 1, args: "msg", available: true, when: "for each SMB1, SMB2 or SMB3 request or response"},
}

func handlerByName(name string) *handlerSpec {
	for i := range handlers {
		if handlers[i].name == name {
			return &handlers[i]
		}
	}
	return nil
}

func handlerNames(availableOnly bool) []string {
	var out []string
	for _, h := range handlers {
		if h.available || !availableOnly {
			out = append(out, h.name)
		}
	}
	return out
}

// isHandlerName reports whether a global's name claims to be a handler.
func isHandlerName(name string) bool { return strings.HasPrefix(name, "on_") }

// checkHandlerName explains what is wrong with a handler name, or returns
// nil for a handler this release calls.
func checkHandlerName(name string) error {
	h := handlerByName(name)
	if h == nil {
		msg := fmt.Sprintf("unknown handler %s", name)
		if near := nearest(name, handlerNames(false)); near != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", near)
		}
		msg += "; handlers are " + quoteList(handlerNames(true)) + " (functions whose names start with on_ are handlers: rename helpers)"
		return fmt.Errorf("%s", msg)
	}
	if !h.available {
		return fmt.Errorf("handler %s is not available in this release (it will be called %s); this release calls %s", name, h.when, quoteList(handlerNames(true)))
	}
	return nil
}

// arity says how many positional arguments fn takes: at least min (those
// without defaults) and at most max (-1: any number).
type arity struct{ min, max int }

func (a arity) accepts(n int) bool { return n >= a.min && (a.max < 0 || n <= a.max) }

func functionArity(fn *starlark.Function) (arity, error) {
	// Parameters come in the order: positional, keyword-only, *args,
	// **kwargs.
	np := fn.NumParams() - fn.NumKwonlyParams() - b2i(fn.HasVarargs()) - b2i(fn.HasKwargs())
	a := arity{max: np}
	for i := 0; i < np; i++ {
		if fn.ParamDefault(i) == nil {
			a.min = i + 1
		}
	}
	if fn.HasVarargs() {
		a.max = -1
	}
	for i := np; i < np+fn.NumKwonlyParams(); i++ {
		if fn.ParamDefault(i) == nil {
			name, _ := fn.Param(i)
			return a, fmt.Errorf("parameter %s has no default, and the engine passes no keyword arguments", name)
		}
	}
	return a, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkSignature reports a handler that cannot be called with the
// arguments the engine passes. It returns how many arguments to pass.
func checkSignature(h *handlerSpec, a arity) (int, error) {
	for n := h.maxArgs; n >= h.minArgs; n-- {
		if a.accepts(n) {
			return n, nil
		}
	}
	want := "no arguments"
	if h.args != "" {
		want = "(" + h.args + ")"
	}
	return 0, fmt.Errorf("handler %s must take %s", h.name, want)
}

// sortedKeys returns the keys of a StringDict in order.
func sortedKeys(d starlark.StringDict) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
