package scripting

import (
	"bufio"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/scripting/output"
)

// quietSource yields a few frames, then only reports that nothing came
// (as a live source does on a quiet interface) while a fake clock moves
// on a step per call, and ends after idle such reports.
type quietSource struct {
	frames [][]byte
	t0     time.Time
	now    time.Time
	step   time.Duration
	idle   int
	i      int
}

func (q *quietSource) Next(f *source.Frame) error {
	if q.i < len(q.frames) {
		d := q.frames[q.i]
		*f = source.Frame{Time: q.t0.UnixNano(), Len: len(d), Data: d, LinkType: layers.LinkTypeEthernet}
		q.i++
		return nil
	}
	if q.idle == 0 {
		return io.EOF
	}
	q.idle--
	q.now = q.now.Add(q.step)
	return os.ErrDeadlineExceeded
}

func udpFrame(t *testing.T, sport, dport uint16) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: []byte{2, 0, 0, 0, 0, 1}, DstMAC: []byte{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: []byte{10, 213, 0, 1}, DstIP: []byte{10, 213, 0, 2}}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	udp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, udp, gopacket.Payload("x")); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRunLiveIdleTimeout checks that a connection idle past its timeout
// ends during a live run, on the wall clock, though no packet follows:
// ended at the end of the capture instead, its end_reason would be
// "flushed".
func TestRunLiveIdleTimeout(t *testing.T) {
	src := `
def on_conn_end(conn):
    emit("ends", id = conn.id, proto = conn.proto, reason = conn.end_reason)
def on_end():
    emit("done", n = 1)
`
	tests := []struct {
		name string
		live *Live
		want string
	}{
		{"live", &Live{UDPInactivity: 30 * time.Second, Tick: time.Second}, "inactive"},
		{"live default timeout not reached", &Live{Tick: time.Second}, "flushed"},
		{"file", nil, "flushed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t0 := time.Unix(1_700_000_000, 0)
			q := &quietSource{frames: [][]byte{udpFrame(t, 4000, 53), udpFrame(t, 4001, 53)}, t0: t0, now: t0, step: 10 * time.Second, idle: 5}
			var r result
			run := func(s *Script, src FrameSource) error {
				if tc.live == nil {
					return s.Run(src)
				}
				l := *tc.live
				l.Now = func() time.Time { return q.now }
				return s.RunLive(src, l)
			}
			r = runWith(t, src, q, run)
			if r.err != nil {
				t.Fatal(r.err)
			}
			if n := strings.Count(r.out, tc.want); n != 2 {
				t.Errorf("%d conns ended %q, want 2:\n%s", n, tc.want, r.out)
			}
			if !strings.Contains(r.out, "done") {
				t.Errorf("on_end did not run:\n%s", r.out)
			}
		})
	}
}

// runWith loads a script from source text and runs it over src with run.
func runWith(t *testing.T, code string, src FrameSource, run func(*Script, FrameSource) error) result {
	t.Helper()
	ref, err := FileRef(writeScript(t, "x.star", code))
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	w := bufio.NewWriter(&buf)
	cfg := Config{Sink: output.NewStream(w, output.Text), Stdout: w, MaxSteps: DefaultMaxSteps}
	s, err := Load(ref, cfg)
	if err == nil {
		err = run(s, src)
	}
	cfg.Sink.Close()
	w.Flush()
	return result{out: buf.String(), script: s, err: err}
}
