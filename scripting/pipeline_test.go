package scripting

import (
	"io"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
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
		{"protocol messages", `
def on_arp(msg):
    emit("m", num = msg.pkt.num, kind = "arp", what = msg.op)
def on_icmp(msg):
    emit("m", num = msg.pkt.num, kind = "icmp", what = msg.type_name)
def on_dns(msg):
    emit("m", num = msg.pkt.num, kind = "dns", what = msg.questions[0].name if msg.questions else None)
    if msg.pkt.num == 172:
        fail("stop at 172")
def on_dhcp(msg):
    emit("m", num = msg.pkt.num, kind = "dhcp", what = msg.message_type)
def on_end(run):
    emit("run", packets = run.packets, calls = [run.handler_calls[h] for h in sorted(run.handler_calls)])
`},
		{"messages with on_packet and a filter", `
FILTER = "dns || dhcp"
def on_packet(pkt):
    emit("p", num = pkt.num)
def on_dns(msg):
    emit("p", num = msg.pkt.num, id = msg.id)
def on_dhcp(msg):
    emit("p", num = msg.pkt.num, id = msg.xid)
def on_end(run):
    emit("run", packets = run.packets, filtered = run.filtered_out)
`},
		{"connections with on_packet and a filter", `
FILTER = "tcp.flags.syn == 1"
def on_packet(pkt):
    emit("p", num = pkt.num)
def on_conn_start(conn):
    emit("c", ev = "start", id = conn.id, proto = conn.proto)
def on_handshake(conn):
    emit("c", ev = "hs", id = conn.id, rtt = conn.rtt)
def on_stream_data(stream, data):
    emit("c", ev = "data", id = stream.conn.id, dir = stream.direction, n = len(data))
def on_conn_end(conn):
    emit("c", ev = "end", id = conn.id, state = conn.state, history = conn.history)
    if conn.uid == 30:
        fail("stop at conn 30")
def on_end(run):
    emit("run", packets = run.packets, filtered = run.filtered_out, conns = run.flows.conns, bytes = run.streams.bytes)
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

// sizedFrames is a FrameSource of n Ethernet frames of size bytes each.
type sizedFrames struct{ n, size int }

func (s *sizedFrames) Next(f *source.Frame) error {
	if s.n == 0 {
		return io.EOF
	}
	s.n--
	f.Data = make([]byte, s.size)
	f.Len, f.LinkType, f.Time = s.size, layers.LinkTypeEthernet, 1e18
	return nil
}

// TestBatchBoundedByBytes: a batch takes batchLen small frames, but large
// frames only up to batchBytes, so the frames in flight between the
// goroutines stay bounded whatever their size.
func TestBatchBoundedByBytes(t *testing.T) {
	s, err := Load(mustRef(t, "def on_packet(pkt):\n    pass\n"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ size, want int }{
		{100, batchLen},
		{1514, batchLen},
		{64 << 10, batchBytes / (64 << 10)},
		{200 << 10, 2},
		{1 << 20, 1},
	} {
		var b batch
		var f source.Frame
		var read RunStats
		src := &sizedFrames{n: 1000, size: tc.size}
		eof, err := s.fill(&b, src, packet.NewDecoder(), &f, &read)
		if eof || err != nil {
			t.Fatalf("%d-byte frames: eof %v, err %v", tc.size, eof, err)
		}
		if b.n != tc.want || read.Packets != int64(tc.want) {
			t.Errorf("%d-byte frames: a batch of %d (%d read), want %d", tc.size, b.n, read.Packets, tc.want)
		}
	}
	// The end of the source ends the last batch, short.
	var b batch
	var f source.Frame
	var read RunStats
	eof, err := s.fill(&b, &sizedFrames{n: 3, size: 60}, packet.NewDecoder(), &f, &read)
	if !eof || err != nil || b.n != 3 {
		t.Errorf("3 frames: eof %v, err %v, %d packets", eof, err, b.n)
	}
}
