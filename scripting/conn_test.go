package scripting

import (
	"sort"
	"strings"
	"testing"
)

// Every Conn and Stream attribute is documented, and nothing else is.
func TestConnDocsCoverAttributes(t *testing.T) {
	var want, have []string
	for _, m := range connMembers {
		want = append(want, "conn."+m)
	}
	for _, m := range streamMembers {
		want = append(want, "stream."+m)
	}
	for _, d := range ConnDocs {
		have = append(have, d.Name)
		if d.Sig == "" || d.Text == "" {
			t.Errorf("%s: empty signature or text", d.Name)
		}
	}
	sort.Strings(want)
	sort.Strings(have)
	if strings.Join(want, " ") != strings.Join(have, " ") {
		t.Errorf("documented %v\nattributes %v", have, want)
	}
}

// Each attribute reads without error, in every handler, and a Conn kept
// past its call still reads (a snapshot).
func TestConnValues(t *testing.T) {
	const src = `
kept = []
def all(v):
    return [getattr(v, a) for a in dir(v) if a not in ("data", "follow")]
def on_conn_start(conn):
    all(conn)
    kept.append(conn)
def on_handshake(conn):
    all(conn)
def on_stream_data(stream, data):
    all(stream)
    if stream.data()[-len(data):] != data and stream.dropped == 0:
        fail("data() does not end with the chunk")
def on_conn_end(conn):
    all(conn)
    if not conn.ended or conn.end_reason == None:
        fail("an ended conn says it is not")
def on_end(run):
    for c in kept:
        if c.ended:
            fail("a snapshot taken at the start changed")
        all(c)
    emit("n", conns = len(kept), flows = run.flows.conns, streams = run.streams.chunks > 0)
`
	r := runSrc(t, src, []string{mixed})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if !strings.Contains(r.out, "True") {
		t.Errorf("no stream data over %s:\n%s", mixed, r.out)
	}
}

// The flow table and the reassembler exist only when a handler needs them.
func TestConnWorkOnlyWhenNeeded(t *testing.T) {
	tests := []struct {
		src          string
		flows, reasm bool
	}{
		{"def on_packet(pkt): pass\n", false, false},
		{"def on_dns(msg): pass\n", false, false},
		{"def on_conn_end(c): pass\n", true, false},
		{"def on_handshake(c): pass\n", true, false},
		{"def on_stream_data(s, d): pass\n", true, true},
	}
	for _, tc := range tests {
		r := runSrc(t, tc.src, []string{mixed})
		if r.err != nil {
			t.Fatal(r.err)
		}
		cs := r.script.Stats().Conns
		if (cs != nil) != tc.flows || cs != nil && (cs.Reassembly != nil) != tc.reasm {
			t.Errorf("%q: flow table %v, reassembly %v; want %v, %v", tc.src, cs != nil, cs != nil && cs.Reassembly != nil, tc.flows, tc.reasm)
		}
	}
}

// Every conn ends exactly once, and an error in a connection handler
// stops the run with the packet that was being handled.
func TestConnEndsOnceAndErrors(t *testing.T) {
	r := runSrc(t, `
seen = {}
def on_conn_start(conn):
    seen[conn.uid] = 0
def on_conn_end(conn):
    seen[conn.uid] += 1
def on_end(run):
    ends = 0
    for n in seen.values():
        ends += n
    emit("e", starts = len(seen), ends = ends, flows = run.flows.conns)
`, []string{mixed})
	if r.err != nil {
		t.Fatal(r.err)
	}
	f := strings.Fields(r.out)
	if len(f) < 3 || f[len(f)-3] != f[len(f)-2] || f[len(f)-2] != f[len(f)-1] || f[len(f)-1] == "0" {
		t.Errorf("starts, ends and flows differ or are 0:\n%s", r.out)
	}
	r = runSrc(t, "def on_handshake(conn):\n    fail('no')\n", []string{mixed})
	if r.err == nil || !strings.Contains(r.err.Error(), "on_handshake") || !strings.Contains(r.err.Error(), "packet") {
		t.Errorf("error %v", r.err)
	}
}
