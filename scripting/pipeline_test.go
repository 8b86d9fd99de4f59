package scripting

import (
	"testing"
)

// TestPipelineSameAsSequential runs scripts both ways: the packets, their
// order, the rows, the counters and the errors must not differ.
func TestPipelineSameAsSequential(t *testing.T) {
	scripts := []struct{ name, src string }{
		{"every packet", `
def on_packet(pkt):
    emit("p", num = pkt.num, proto = pkt.layers[-1], src = pkt["ip.src"], syn = pkt["tcp.flags.syn"])
def on_end(run):
    emit("run", packets = run.packets, filtered = run.filtered_out, calls = run.handler_calls["on_packet"])
`},
		{"filter", `
FILTER = "tcp.flags.syn == 1 || dns"
def on_packet(pkt):
    emit("p", num = pkt.num)
def on_end(run):
    emit("run", packets = run.packets, filtered = run.filtered_out)
`},
		{"error stops", `
def on_packet(pkt):
    if pkt.num == 40:
        fail("stop at 40")
    emit("p", num = pkt.num)
`},
	}
	pipeline := func(c *Config) { c.Pipeline = true }
	keepGoing := func(c *Config) { c.KeepGoing = true }
	for _, sc := range scripts {
		for _, kg := range []bool{false, true} {
			var tw []func(*Config)
			if kg {
				tw = append(tw, keepGoing)
			}
			seq := runSrc(t, sc.src, []string{mixed}, tw...)
			par := runSrc(t, sc.src, []string{mixed}, append(tw, pipeline)...)
			if seq.out != par.out {
				t.Errorf("%s (keep going %v): outputs differ:\nsequential:\n%s\npipelined:\n%s", sc.name, kg, seq.out, par.out)
			}
			if (seq.err == nil) != (par.err == nil) || seq.err != nil && seq.err.Error() != par.err.Error() {
				t.Errorf("%s (keep going %v): errors differ: %v / %v", sc.name, kg, seq.err, par.err)
			}
			if seq.out == "" {
				t.Errorf("%s: no output", sc.name)
			}
		}
	}
}
