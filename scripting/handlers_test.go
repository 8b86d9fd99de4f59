package scripting

import (
	"errors"
	"strings"
	"testing"
)

func TestHandlerDiscovery(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings of the error, in order; none: loads fine
		handlers  []string // with no error: the handlers bound
	}{
		{"all three", "def on_start(): pass\ndef on_packet(pkt): pass\ndef on_end(): pass\n", nil, []string{"on_start", "on_packet", "on_end"}},
		{"on_end with the run counters", "def on_end(run): pass\n", nil, []string{"on_end"}},
		{"defaults and varargs", "def on_packet(pkt, extra=1): pass\ndef on_end(*a): pass\n", nil, []string{"on_packet", "on_end"}},
		{"helpers are not handlers", "def _on_packet(pkt): pass\ndef helper(): pass\n", nil, nil},
		{"typo", "def on_pakcet(pkt): pass\n",
			[]string{"x.star:1:1:", "unknown handler on_pakcet (did you mean on_packet?)", "handlers are on_start, on_packet, on_end, on_conn_start, on_handshake, on_conn_end, on_stream_data, on_arp, on_icmp, on_igmp, on_dns, on_dhcp, on_kerberos and on_smb"}, nil},
		{"future handler", "def on_ftp(cmd): pass\n",
			[]string{"x.star:1:1:", "handler on_ftp is not available in this release", "it will be called for each FTP command or reply"}, nil},
		{"another future handler", "def on_http_request(req): pass\n", []string{"handler on_http_request is not available in this release"}, nil},
		{"connection handlers", "def on_conn_start(c): pass\ndef on_handshake(c): pass\ndef on_conn_end(c): pass\ndef on_stream_data(s, d): pass\n", nil, []string{"on_conn_start", "on_handshake", "on_conn_end", "on_stream_data"}},
		{"on_stream_data takes two", "def on_stream_data(s): pass\n", []string{"handler on_stream_data must take (stream, data)"}, nil},
		{"missing parameter", "def on_packet(): pass\n", []string{"handler on_packet must take (pkt)"}, nil},
		{"too many parameters", "def on_end(a, b): pass\n", []string{"handler on_end must take ([run])"}, nil},
		{"keyword-only without default", "def on_packet(pkt, *, k): pass\n", []string{"parameter k has no default"}, nil},
		{"not a function", "on_packet = 3\n", []string{"handler on_packet must be a function defined with def, not int"}, nil},
		{"every problem at once, in source order", "def on_ftp(m): pass\ndef on_pakcet(pkt): pass\n", []string{"x.star:1:1: handler on_ftp", "\n/", "x.star:2:1: unknown handler on_pakcet"}, nil},
		{"handler bound by load", "load(\"@stdlib/fmt.star\", on_packet = \"ms\")\n", []string{"binds on_packet to this file only"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runSrc(t, tc.src, []string{mixed})
			if tc.want == nil {
				if r.err != nil {
					t.Fatalf("unexpected error: %v", r.err)
				}
				for _, h := range handlerNames(true) {
					want := false
					for _, w := range tc.handlers {
						want = want || w == h
					}
					if r.script.Has(h) != want {
						t.Errorf("Has(%s) = %v", h, !want)
					}
				}
				return
			}
			var se *ScriptError
			if !errors.As(r.err, &se) {
				t.Fatalf("want a ScriptError, got %v", r.err)
			}
			// Each wanted part comes after the previous one.
			rest := se.Msg
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("error %q lacks %q (in this order)", se.Msg, w)
					break
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

// Every handler name of the design is known: a script using one is told
// it is not available yet, never that it is unknown.
func TestFutureHandlersAreKnown(t *testing.T) {
	for _, name := range []string{"on_http_request", "on_http_response", "on_ftp", "on_telnet", "on_ssh", "on_msnms"} {
		err := checkHandlerName(name)
		if err == nil || !strings.Contains(err.Error(), "not available in this release") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
