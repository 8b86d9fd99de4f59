package flow

import (
	"fmt"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestConnStates crafts one connection per conn_state and checks the state
// and history Zeek's rules give (conn_state() in
// base/protocols/conn/main.zeek over the endpoint states of
// TCPSessionAdapter's state machine; history letters per update_history).
func TestConnStates(t *testing.T) {
	cases := []struct {
		name    string
		steps   []step
		state   string
		history string
	}{
		{"S0 unanswered SYN", []step{{dir: 'c', flags: "S"}}, "S0", "S"},
		// Retransmitted SYNs have the same sequence number: one 'S'.
		{"S0 retransmitted SYN", []step{{dir: 'c', flags: "S"}, {dir: 'c', flags: "S", dt: time.Second}, {dir: 'c', flags: "S", dt: 2 * time.Second}}, "S0", "S"},
		{"REJ", []step{{dir: 'c', flags: "S"}, {dir: 's', flags: "RA", ack: 1}}, "REJ", "Sr"},
		{"S1", handshake, "S1", "ShA"},
		{"SF", with(handshake, []step{
			{dir: 'c', flags: "PA", seq: 1, ack: 1, n: 100},
			{dir: 's', flags: "A", seq: 1, ack: 101},
			{dir: 's', flags: "PA", seq: 1, ack: 101, n: 300},
			{dir: 'c', flags: "FA", seq: 101, ack: 301},
			{dir: 's', flags: "FA", seq: 301, ack: 102},
			{dir: 'c', flags: "A", seq: 102, ack: 302},
		}), "SF", "ShADadFf"},
		{"S2 originator closes alone", with(handshake, []step{{dir: 'c', flags: "FA", seq: 1, ack: 1}}), "S2", "ShAF"},
		{"S3 responder closes alone", with(handshake, []step{{dir: 's', flags: "FA", seq: 1, ack: 1}}), "S3", "ShAf"},
		{"RSTO", with(handshake, []step{{dir: 'c', flags: "RA", seq: 1, ack: 1}}), "RSTO", "ShAR"},
		{"RSTR", with(handshake, []step{{dir: 's', flags: "RA", seq: 1, ack: 1}}), "RSTR", "ShAr"},
		// SYN then the originator's own RST, no SYN-ACK: the history
		// matches /^?S[^HAFGIQ]*R.*/.
		{"RSTOS0", []step{{dir: 'c', flags: "S"}, {dir: 'c', flags: "R", seq: 1}}, "RSTOS0", "SR"},
		// A SYN-ACK from port 80 first: Zeek flips the roles ('^'), the
		// client stays inactive and the server resets.
		{"RSTRH", []step{{dir: 's', flags: "SA", ack: 1}, {dir: 's', flags: "R", seq: 1}}, "RSTRH", "^hr"},
		{"SH", []step{{dir: 'c', flags: "S"}, {dir: 'c', flags: "F", seq: 1}}, "SH", "SF"},
		{"SHR", []step{{dir: 's', flags: "SA", ack: 1}, {dir: 's', flags: "FA", seq: 1, ack: 1}}, "SHR", "^hf"},
		// Midstream: both sides partial.
		{"OTH midstream", []step{{dir: 'c', flags: "PA", seq: 50, ack: 80, n: 10}, {dir: 's', flags: "PA", seq: 80, ack: 60, n: 20}}, "OTH", "Dd"},
		// The originator resets after only its SYN and an ACK: not S0-like
		// any more ('A' in the history), so OTH.
		{"OTH reset after ACK", []step{{dir: 'c', flags: "S"}, {dir: 'c', flags: "A", seq: 1, ack: 1}, {dir: 'c', flags: "R", seq: 1}}, "OTH", "SAR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newBench(t, Config{})
			conns := b.run(tc.steps...)
			if len(conns) != 1 {
				t.Fatalf("%d connections", len(conns))
			}
			c := conns[0]
			if c.State() != tc.state || c.History() != tc.history {
				t.Errorf("state %s history %q, want %s %q (orig %s resp %s)", c.State(), c.History(), tc.state, tc.history, c.OrigState(), c.RespState())
			}
		})
	}
}

// TestHistoryLetters checks the letters not covered by TestConnStates.
func TestHistoryLetters(t *testing.T) {
	data := func(dir byte, seq, ack uint32, n int) step {
		return step{dir: dir, flags: "PA", seq: seq, ack: ack, n: n}
	}
	retrans := func(k int) []step {
		var s []step
		for range k {
			s = append(s, data('s', 1, 1, 100))
		}
		return s
	}
	zero := func(k int) []step {
		var s []step
		for range k {
			s = append(s, step{dir: 'c', flags: "A", seq: 1, ack: 101, win: -1})
		}
		return s
	}
	cases := []struct {
		name    string
		cfg     Config
		steps   []step
		history string
		check   func(t *testing.T, c *Conn)
	}{
		// 't': payload that does not advance the sender's highest
		// sequence number; logarithmic: 1, 10, 100 occurrences.
		{"t once", Config{}, with(handshake, []step{data('s', 1, 1, 100)}, retrans(1)), "ShAdt", nil},
		{"t ten times", Config{}, with(handshake, []step{data('s', 1, 1, 100)}, retrans(10)), "ShAdtt", nil},
		{"t nine times", Config{}, with(handshake, []step{data('s', 1, 1, 100)}, retrans(9)), "ShAdt", nil},
		{"T from the originator", Config{}, with(handshake, []step{data('c', 1, 1, 10), data('c', 1, 1, 10)}), "ShADT", nil},
		// An out-of-order segment filling a hole does not advance the
		// highest sequence number either: Zeek counts it as 't'.
		{"t out of order", Config{}, with(handshake, []step{data('s', 101, 1, 100), data('s', 1, 1, 100)}), "ShAdt", nil},
		// 'W': a zero window, logarithmic.
		{"W", Config{}, with(handshake, []step{data('s', 1, 1, 100)}, zero(1)), "ShAdW", nil},
		{"WW", Config{}, with(handshake, []step{data('s', 1, 1, 100)}, zero(10)), "ShAdWW", nil},
		// Zero windows after the peer's FIN are not interesting.
		{"W after FIN", Config{}, with(handshake, []step{{dir: 's', flags: "FA", seq: 1, ack: 1}}, []step{{dir: 'c', flags: "A", seq: 1, ack: 2, win: -1}}), "ShAf", nil},
		// 'I': FIN and RST together; 'Q': SYN with FIN or RST.
		{"I", Config{}, with(handshake, []step{{dir: 'c', flags: "FRA", seq: 1, ack: 1}}), "ShAI", nil},
		{"Q", Config{}, []step{{dir: 'c', flags: "SF"}}, "Q", nil},
		// 'F' again only for a FIN at another sequence number.
		{"F repeated same seq", Config{}, with(handshake, []step{{dir: 'c', flags: "FA", seq: 1, ack: 1}, {dir: 'c', flags: "FA", seq: 1, ack: 1}}), "ShAF", nil},
		{"R repeated other seq", Config{}, with(handshake, []step{{dir: 's', flags: "R", seq: 1}, {dir: 's', flags: "R", seq: 500}}), "ShArr", nil},
		// 'H' once for a retransmitted SYN-ACK.
		{"h retransmitted", Config{}, []step{{dir: 'c', flags: "S"}, {dir: 's', flags: "SA", ack: 1}, {dir: 's', flags: "SA", ack: 1}, {dir: 'c', flags: "A", seq: 1, ack: 1}}, "ShA", nil},
		// 'C': a bad checksum, counted and otherwise ignored.
		{"C", Config{VerifyChecksums: true}, with(handshake, []step{{dir: 'c', flags: "PA", seq: 1, ack: 1, n: 10, badSum: true}}), "ShAC",
			func(t *testing.T, c *Conn) {
				if c.OrigPkts != 2 || c.OrigBytes() != 0 {
					t.Errorf("orig_pkts %d orig_bytes %d, want 2 0", c.OrigPkts, c.OrigBytes())
				}
			}},
		{"C unchecked", Config{}, with(handshake, []step{{dir: 'c', flags: "PA", seq: 1, ack: 1, n: 10, badSum: true}}), "ShAD", nil},
		// 'g': bytes 101-200 of the server never captured, then acked.
		{"g gap", Config{}, with(handshake, []step{data('s', 1, 1, 100), data('s', 201, 1, 100), {dir: 'c', flags: "A", seq: 1, ack: 301}}), "ShAdg",
			func(t *testing.T, c *Conn) {
				if c.MissedBytes != 100 || c.RespBytes() != 300 {
					t.Errorf("missed_bytes %d resp_bytes %d, want 100 300", c.MissedBytes, c.RespBytes())
				}
			}},
		// '^': a connection seen from its SYN-ACK on is flipped when the
		// sender's port is a likely server port.
		{"flip", Config{}, []step{{dir: 's', flags: "SA", ack: 1}, {dir: 'c', flags: "A", seq: 1, ack: 1}}, "^hA",
			func(t *testing.T, c *Conn) {
				if c.Client() != "10.0.0.1:40000" || c.State() != "S1" {
					t.Errorf("client %s state %s, want 10.0.0.1:40000 S1", c.Client(), c.State())
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newBench(t, tc.cfg)
			conns := b.run(tc.steps...)
			if len(conns) != 1 {
				t.Fatalf("%d connections", len(conns))
			}
			c := conns[0]
			if c.History() != tc.history {
				t.Errorf("history %q, want %q", c.History(), tc.history)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

// TestNoFlipBetweenClientPorts: a SYN-ACK from a port that is not a
// likely server port is not flipped (Zeek avoids that for stealth scans);
// its sender is the originator, in SYN_ACK_SENT.
func TestNoFlipBetweenClientPorts(t *testing.T) {
	b := newBench(t, Config{})
	b.sport = 5555
	c := b.run(step{dir: 's', flags: "SA", ack: 1})[0]
	if c.History() != "H" || c.State() != "OTH" || c.Client() != "10.0.0.2:5555" {
		t.Errorf("history %q state %s client %s, want \"H\" OTH 10.0.0.2:5555", c.History(), c.State(), c.Client())
	}
}

// TestCounts checks packets, IP bytes and payload sizes (from sequence
// numbers) of an ordinary exchange, and the handshake fields.
func TestCounts(t *testing.T) {
	b := newBench(t, Config{})
	c := b.run(with(handshake, []step{
		{dir: 'c', flags: "PA", seq: 1, ack: 1, n: 100},
		{dir: 's', flags: "PA", seq: 1, ack: 101, n: 1000},
		{dir: 'c', flags: "FA", seq: 101, ack: 1001},
		{dir: 's', flags: "FA", seq: 1001, ack: 102},
		{dir: 'c', flags: "A", seq: 102, ack: 1002, dt: 2 * time.Second},
	})...)[0]
	if c.OrigPkts != 5 || c.RespPkts != 3 {
		t.Errorf("pkts %d/%d, want 5/3", c.OrigPkts, c.RespPkts)
	}
	if c.OrigIPBytes != 5*40+100 || c.RespIPBytes != 3*40+1000 {
		t.Errorf("ip bytes %d/%d", c.OrigIPBytes, c.RespIPBytes)
	}
	if c.OrigBytes() != 100 || c.RespBytes() != 1000 {
		t.Errorf("bytes %d/%d, want 100/1000", c.OrigBytes(), c.RespBytes())
	}
	// The duration stops at the second FIN: the last ACK comes after
	// both sides closed.
	if d := c.Duration(); d != int64(6*time.Millisecond) {
		t.Errorf("duration %v, want 6ms", time.Duration(d))
	}
	if c.SynFrame != 1 || c.SynAckFrame != 2 || c.AckFrame != 3 || c.RTT() != int64(2*time.Millisecond) || c.SynCount != 1 {
		t.Errorf("handshake frames %d %d %d rtt %v syns %d", c.SynFrame, c.SynAckFrame, c.AckFrame, time.Duration(c.RTT()), c.SynCount)
	}
	if len(b.hands) != 1 || b.hands[0] != c {
		t.Errorf("%d handshake events", len(b.hands))
	}
	if c.EndReason != EndFlushed {
		t.Errorf("end reason %s", c.EndReason)
	}
}

// TestSynRetransmission: the handshake's SYN is the retransmission the
// SYN-ACK answers (the last one before it), and all are counted.
func TestSynRetransmission(t *testing.T) {
	b := newBench(t, Config{})
	c := b.run(
		step{dir: 'c', flags: "S"},
		step{dir: 'c', flags: "S", dt: time.Second},
		step{dir: 'c', flags: "S", dt: time.Second},
		step{dir: 's', flags: "SA", ack: 1, dt: 20 * time.Millisecond},
		step{dir: 'c', flags: "A", seq: 1, ack: 1, dt: 20 * time.Millisecond},
	)[0]
	if c.SynCount != 3 || c.SynFrame != 3 || c.RTT() != int64(40*time.Millisecond) {
		t.Errorf("syn_count %d syn frame %d rtt %v, want 3 3 40ms", c.SynCount, c.SynFrame, time.Duration(c.RTT()))
	}
}

// TestTimers covers the ways a connection ends by time.
func TestTimers(t *testing.T) {
	t.Run("attempt", func(t *testing.T) {
		// A SYN retransmitted 6 s later finds the first attempt ended
		// (tcp_attempt_delay 5 s): Zeek logs two S0 connections, both
		// with tcp.stream 0.
		b := newBench(t, Config{})
		conns := b.run(step{dir: 'c', flags: "S"}, step{dir: 'c', flags: "S", dt: 6 * time.Second})
		if len(conns) != 2 || conns[0].EndReason != EndAttempt || conns[0].ID != conns[1].ID || conns[1].State() != "S0" {
			t.Fatalf("got %d connections: %+v", len(conns), conns)
		}
	})
	t.Run("close delay", func(t *testing.T) {
		// The last ACK within 5 s of the close still belongs to the
		// connection; a packet after that starts a new one.
		b := newBench(t, Config{})
		conns := b.run(with(handshake, []step{
			{dir: 'c', flags: "FA", seq: 1, ack: 1},
			{dir: 's', flags: "FA", seq: 1, ack: 2},
			{dir: 'c', flags: "A", seq: 2, ack: 2, dt: 4 * time.Second},
			{dir: 'c', flags: "A", seq: 2, ack: 2, dt: 2 * time.Second},
		})...)
		if len(conns) != 2 || conns[0].EndReason != EndClosed || conns[0].OrigPkts != 4 || conns[0].State() != "SF" {
			t.Fatalf("%d connections, first ended %s with %d orig packets", len(conns), conns[0].EndReason, conns[0].OrigPkts)
		}
		if conns[1].State() != "OTH" || conns[1].History() != "A" {
			t.Errorf("second connection %s %q", conns[1].State(), conns[1].History())
		}
	})
	t.Run("udp inactivity", func(t *testing.T) {
		b := newBench(t, Config{})
		b.sport = 53
		b.udp(true, 30, 0, false)
		b.udp(false, 60, 0, false)
		b.udp(true, 30, 61*time.Second, false)
		b.tab.Flush()
		b.check()
		if len(b.ended) != 2 || b.ended[0].EndReason != EndInactive || b.ended[0].State() != "SF" || b.ended[1].State() != "S0" {
			t.Fatalf("%d connections", len(b.ended))
		}
	})
	t.Run("expire", func(t *testing.T) {
		// Live capture: time passes without packets.
		b := newBench(t, Config{UDPInactivity: 10 * time.Second})
		b.udp(true, 30, 0, false)
		if n := b.tab.Expire(b.now + int64(9*time.Second)); n != 0 {
			t.Errorf("expired %d after 9 s", n)
		}
		if n := b.tab.Expire(b.now + int64(10*time.Second)); n != 1 || b.tab.Len() != 0 {
			t.Errorf("expired %d after 10 s, %d left", n, b.tab.Len())
		}
		b.check()
	})
	t.Run("half closed linger", func(t *testing.T) {
		// SYN then FIN, no answer: SH, ended by the close delay.
		b := newBench(t, Config{})
		b.tcp(step{dir: 'c', flags: "S"})
		b.tcp(step{dir: 'c', flags: "F", seq: 1})
		b.tab.Expire(b.now + int64(6*time.Second))
		if len(b.ended) != 1 || b.ended[0].EndReason != EndClosed || b.ended[0].State() != "SH" {
			t.Fatalf("ended %d", len(b.ended))
		}
	})
}

// TestReuse: a SYN on a closed connection's 5-tuple starts a new
// connection at once.
func TestReuse(t *testing.T) {
	b := newBench(t, Config{})
	conns := b.run(with(handshake, []step{
		{dir: 'c', flags: "FA", seq: 1, ack: 1},
		{dir: 's', flags: "FA", seq: 1, ack: 2},
		{dir: 'c', flags: "A", seq: 2, ack: 2},
		{dir: 'c', flags: "S", seq: 5000},
	})...)
	if len(conns) != 2 || conns[0].EndReason != EndReused || conns[0].State() != "SF" || conns[1].State() != "S0" {
		t.Fatalf("%d connections: first %s %s", len(conns), conns[0].EndReason, conns[0].State())
	}
	// Wireshark starts a new tcp.stream for the new sequence number.
	if conns[1].ID != conns[0].ID+1 {
		t.Errorf("ids %d %d", conns[0].ID, conns[1].ID)
	}
}

// TestEviction: a full table ends its least recently active connection.
func TestEviction(t *testing.T) {
	b := newBench(t, Config{MaxConns: 2})
	for i := range 3 {
		b.cport = uint16(40000 + i)
		b.tcp(step{dir: 'c', flags: "S"})
	}
	if len(b.ended) != 1 || b.ended[0].EndReason != EndEvicted || b.ended[0].OrigP != 40000 {
		t.Fatalf("ended %d", len(b.ended))
	}
	b.cport = 40001
	b.tcp(step{dir: 'c', flags: "S"}) // 40001 is now the most recent
	b.cport = 40003
	b.tcp(step{dir: 'c', flags: "S"})
	if len(b.ended) != 2 || b.ended[1].OrigP != 40002 {
		t.Fatalf("evicted %d", b.ended[1].OrigP)
	}
	st := b.tab.Stats()
	if st.Evicted != 2 || st.MaxActive != 2 || st.Active != 2 {
		t.Errorf("stats %+v", st)
	}
	b.tab.Flush()
	b.check()
}

// TestUDP checks states, history and sizes of UDP flows, and the flip of
// a flow first seen from a likely server port.
func TestUDP(t *testing.T) {
	b := newBench(t, Config{VerifyChecksums: true})
	b.sport = 53
	b.udp(false, 100, 0, false) // the reply first: flipped
	b.udp(true, 40, 0, false)
	b.udp(true, 40, 0, true) // bad checksum: 'C', not counted
	b.tab.Flush()
	b.check()
	c := b.ended[0]
	if c.History() != "^dDC" || c.State() != "SF" || c.Client() != "10.0.0.1:40000" {
		t.Errorf("history %q state %s client %s", c.History(), c.State(), c.Client())
	}
	if c.OrigPkts != 1 || c.RespPkts != 1 || c.OrigBytes() != 40 || c.RespBytes() != 100 || c.OrigIPBytes != 68 {
		t.Errorf("pkts %d/%d bytes %d/%d ip %d", c.OrigPkts, c.RespPkts, c.OrigBytes(), c.RespBytes(), c.OrigIPBytes)
	}
}

// TestICMP: echo connections by identifier (and merged as Zeek does with
// MergeEchoIDs), over IPv4 and IPv6.
func TestICMP(t *testing.T) {
	for _, v6 := range []bool{false, true} {
		for _, merge := range []bool{false, true} {
			b := newBench(t, Config{MergeEchoIDs: merge})
			b.v6 = v6
			b.ping(true, 7, 1, 0)
			b.ping(false, 7, 1, 0)
			b.ping(true, 8, 1, 0)
			b.tab.Flush()
			b.check()
			want := 2
			if merge {
				want = 1
			}
			if len(b.ended) != want {
				t.Fatalf("v6 %v merge %v: %d connections", v6, merge, len(b.ended))
			}
			c := b.ended[0]
			op, rp := uint16(8), uint16(0)
			if v6 {
				op, rp = 128, 129
			}
			if c.State() != "OTH" || c.History() != "" || c.OrigP != op || c.RespP != rp || c.OrigBytes() != uint64(56*(1+b2i(merge))) || c.RespBytes() != 56 || c.ID != 0 {
				t.Errorf("v6 %v merge %v: %s %q %d->%d bytes %d/%d id %d", v6, merge, c.State(), c.History(), c.OrigP, c.RespP, c.OrigBytes(), c.RespBytes(), c.ID)
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestIPv6TCP runs a whole connection over IPv6.
func TestIPv6TCP(t *testing.T) {
	b := newBench(t, Config{})
	b.v6 = true
	c := b.run(with(handshake, []step{{dir: 'c', flags: "FA", seq: 1, ack: 1}, {dir: 's', flags: "FA", seq: 1, ack: 2}})...)[0]
	if c.State() != "SF" || c.History() != "ShAFf" || c.Client() != "[2001:db8::1]:40000" || c.OrigIPBytes != 3*60 {
		t.Errorf("%s %q %s %d", c.State(), c.History(), c.Client(), c.OrigIPBytes)
	}
}

// TestFragments: a UDP datagram in two IPv4 fragments is one packet of the
// connection, counted with the reassembled length, on the frame that
// completes it (the decoder reassembles, as Zeek does before its
// connection analysis).
func TestFragments(t *testing.T) {
	b := newBench(t, Config{})
	b.sport = 53
	// Serialize the whole datagram, then cut its IP payload in two.
	whole := b.udpFrame(true, 2000, false)
	payload := whole[14+20:]
	frag := func(off int, data []byte, more bool) []byte {
		eth, _, _ := b.ipLayers(true, layers.IPProtocolUDP)
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: cliIP, DstIP: srvIP,
			Id: 77, FragOffset: uint16(off / 8)}
		if more {
			ip.Flags = layers.IPv4MoreFragments
		}
		return b.frame(eth, ip, gopacket.Payload(data))
	}
	b.send(frag(0, payload[:1480], true), 0)
	if b.tab.Len() != 0 {
		t.Fatalf("a connection from the first fragment")
	}
	b.send(frag(1480, payload[1480:], false), 0)
	b.tab.Flush()
	b.check()
	if len(b.ended) != 1 {
		t.Fatalf("%d connections", len(b.ended))
	}
	c := b.ended[0]
	if c.OrigPkts != 1 || c.OrigIPBytes != 20+8+2000 || c.OrigBytes() != 2000 || c.FirstFrame != 2 {
		t.Errorf("pkts %d ip bytes %d bytes %d first frame %d", c.OrigPkts, c.OrigIPBytes, c.OrigBytes(), c.FirstFrame)
	}
}

// TestSnapshot: a snapshot of a live TCP connection keeps its counts,
// bytes, state and history while the connection goes on; UDP connections
// carry no TCP part.
func TestSnapshot(t *testing.T) {
	b := newBench(t, Config{})
	var c *Conn
	for _, s := range handshake {
		c = b.tcp(s)
	}
	c = b.tcp(step{dir: 'c', flags: "PA", seq: 1, ack: 1, n: 100})
	snap := c.Snapshot()
	want := fmt.Sprintln(snap.OrigBytes(), snap.RespBytes(), snap.OrigPkts, snap.State(), snap.History())
	for _, s := range []step{
		{dir: 's', flags: "PA", seq: 1, ack: 101, n: 300},
		{dir: 'c', flags: "FA", seq: 101, ack: 301},
		{dir: 's', flags: "RA", seq: 301, ack: 102},
	} {
		b.tcp(s)
	}
	if got := fmt.Sprintln(snap.OrigBytes(), snap.RespBytes(), snap.OrigPkts, snap.State(), snap.History()); got != want {
		t.Errorf("snapshot changed: %s, was %s", got, want)
	}
	if want != "100 0 3 S1 ShAD\n" {
		t.Errorf("snapshot %q, want 100 0 3 S1 ShAD", want)
	}
	if live := fmt.Sprintln(c.OrigBytes(), c.RespBytes(), c.State()); live != "100 300 RSTR\n" {
		t.Errorf("live connection %q, want 100 300 RSTR", live)
	}
	u := newBench(t, Config{}).udp(true, 10, 0, false)
	if u.tcpConn != nil || u.ep[0].tcpEndpoint != nil {
		t.Error("a UDP connection has a TCP part")
	}
}

// TestSynWithData: a SYN carrying data (TCP Fast Open) is answered by a
// SYN-ACK acknowledging the data too, or only the SYN when the server
// refuses the data; the SYN timed is the last one either way.
func TestSynWithData(t *testing.T) {
	for _, ack := range []uint32{21, 1} {
		b := newBench(t, Config{})
		c := b.run(
			step{dir: 'c', flags: "S", n: 20},
			step{dir: 'c', flags: "S", n: 20, dt: time.Second},
			step{dir: 's', flags: "SA", ack: ack, dt: 20 * time.Millisecond},
			step{dir: 'c', flags: "A", seq: 21, ack: 1, dt: 20 * time.Millisecond},
		)[0]
		if c.SynCount != 2 || c.SynFrame != 2 || c.AckFrame != 4 || c.RTT() != int64(40*time.Millisecond) {
			t.Errorf("SYN-ACK acking %d: syn_count %d, syn frame %d, ack frame %d, rtt %v; want 2 2 4 40ms", ack, c.SynCount, c.SynFrame, c.AckFrame, time.Duration(c.RTT()))
		}
	}
}

// TestSynHeaderCutShort: a SYN whose header the capture cut short makes a
// connection it does not advance, so its SYN-ACK starts another one on
// the tuple (Zeek's IsReuse for a half connection). The handshake is
// still one: the new connection takes the SYN over.
func TestSynHeaderCutShort(t *testing.T) {
	b := newBench(t, Config{})
	syn := b.tcpFrame(step{dir: 'c', flags: "S"})
	syn[14+20+12] = 10 << 4 // 40 bytes of header in a 20-byte segment
	b.send(syn, 0)
	for _, s := range []step{
		{dir: 's', flags: "SA", ack: 1, dt: 10 * time.Millisecond},
		{dir: 'c', flags: "A", seq: 1, ack: 1, dt: 30 * time.Millisecond},
	} {
		b.tcp(s)
	}
	b.tab.Flush()
	b.check()
	if len(b.ended) != 2 || len(b.hands) != 1 {
		t.Fatalf("%d connections, %d handshakes; want 2 and 1", len(b.ended), len(b.hands))
	}
	old, c := b.ended[0], b.hands[0]
	if old.EndReason != EndReused || old.SynCount != 0 || old.SynFrame != 0 {
		t.Errorf("first connection: end %v, syn_count %d, syn frame %d; want reused, 0, 0", old.EndReason, old.SynCount, old.SynFrame)
	}
	if c.SynCount != 1 || c.SynFrame != 1 || c.SynAckFrame != 2 || c.AckFrame != 3 || c.RTT() != int64(40*time.Millisecond) {
		t.Errorf("handshake: syn_count %d, frames %d %d %d, rtt %v; want 1, 1 2 3, 40ms", c.SynCount, c.SynFrame, c.SynAckFrame, c.AckFrame, time.Duration(c.RTT()))
	}
	if c.State() != "S1" || c.History() != "^hA" {
		t.Errorf("state %s history %s, want S1 ^hA", c.State(), c.History())
	}
}

// TestLengthZero: with segmentation offload a captured datagram may
// carry an IPv4 total length of 0; it is taken to be what was captured,
// as Zeek (ip_hdr_len_zero) and Wireshark do.
func TestLengthZero(t *testing.T) {
	b := newBench(t, Config{})
	for _, s := range handshake {
		b.tcp(s)
	}
	seg := b.tcpFrame(step{dir: 'c', flags: "PA", seq: 1, ack: 1, n: 3000})
	seg[14+2], seg[14+3] = 0, 0
	b.send(seg, 0)
	c := b.tcp(step{dir: 's', flags: "A", seq: 1, ack: 3001})
	if c.OrigPkts != 3 || c.OrigBytes() != 3000 || c.OrigIPBytes != 3*40+3000 || c.History() != "ShADa" {
		t.Errorf("orig_pkts %d, orig_bytes %d, orig_ip_bytes %d, history %s; want 3, 3000, 3120, ShADa", c.OrigPkts, c.OrigBytes(), c.OrigIPBytes, c.History())
	}
}
