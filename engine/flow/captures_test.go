package flow

// Hand-checked conn.log values for connections in the reference captures
// (../shared/captures, recorded from real programs; see its README). There
// is no Zeek here, so each expectation is reasoned from Zeek's code and
// documentation:
//
//   - conn_state() in base/protocols/conn/main.zeek maps the two endpoint
//     states to S0 ... OTH;
//   - the endpoint states come from TCPSessionAdapter's state machine
//     (UpdateInactiveState, UpdateSYN_SentState, UpdateEstablishedState);
//   - history letters from update_history (S h A D F R, once per
//     direction, S/H/F/R again only at a new sequence number), and
//     update_last_seq / update_window / Connection::ScaledHistoryEntry for
//     the counted letters t and w (written at the 1st, 10th, 100th...);
//   - orig_bytes/resp_bytes from TCP_Endpoint::Size (sequence space), for
//     UDP and ICMP the payload lengths.

import (
	"os"
	"path/filepath"
	"testing"
)

// want is the conn.log subset checked for one connection.
type want struct {
	file            string
	proto           Proto
	id              int
	respP           uint16
	state, history  string
	origPkts        uint64
	respPkts        uint64
	origBytes       uint64
	respBytes       uint64
	synCount        int
	endReason       EndReason
	checkEndReason  bool
	checkSynCount   bool
	checkByteCounts bool
}

var captureWants = []want{
	// tcp_anomalies.pcap, one anomaly per server port.

	// Nothing listens on 8081: SYN (orig SYN_SENT, 'S'), then RST-ACK from the
	// responder while it is INACTIVE: UpdateInactiveState sets it RESET and
	// calls this a reject ('r'). conn_state: resp RESET and orig SYN_SENT ->
	// REJ.
	{file: "tcp_anomalies.pcap", proto: TCP, id: 0, respP: 8081, state: "REJ", history: "Sr",
		origPkts: 1, respPkts: 1, checkByteCounts: true},
	// SYNs dropped by the server's firewall: the SYN and 3 retransmissions
	// with the same sequence number (one 'S': update_history repeats S only at
	// a new sequence number). Orig SYN_SENT, resp INACTIVE -> S0; the
	// connection ends when tcp_attempt_delay (5 s after the first SYN) passes,
	// as Zeek's AttemptTimer removes it.
	{file: "tcp_anomalies.pcap", proto: TCP, id: 1, respP: 8082, state: "S0", history: "S",
		origPkts: 4, synCount: 4, checkSynCount: true, checkByteCounts: true, endReason: EndAttempt, checkEndReason: true},
	// GET of a 409,600-byte file over a lossy link. Normal handshake and FINs
	// both ways -> SF. The server's segments lost before the capture point are
	// retransmitted, and the out-of-order ones fill holes: each is payload
	// that does not advance the server's highest sequence number, which
	// update_last_seq counts as a retransmission (65 of them: 't' at the 1st
	// and the 10th). The client sends no retransmission. The client only ever
	// acks bytes it received, so no ack passes a hole: no 'g', missed_bytes 0.
	// resp_bytes is the sequence space: 409,600 body bytes plus 204 of
	// headers.
	{file: "tcp_anomalies.pcap", proto: TCP, id: 2, respP: 8080, state: "SF", history: "ShADadttFf",
		origPkts: 244, respPkts: 287, origBytes: 88, respBytes: 409804, checkByteCounts: true},
	// The same download with reordering instead of loss: 47 late segments
	// (below the highest sequence number seen) and spurious retransmissions,
	// all 't' for Zeek -> two 't'. SF.
	{file: "tcp_anomalies.pcap", proto: TCP, id: 3, respP: 8090, state: "SF", history: "ShADadttFf",
		origPkts: 254, respPkts: 289, origBytes: 88, respBytes: 409804, checkByteCounts: true},
	// A client with a 4 KB receive buffer: it advertises a zero window 22
	// times ('W' at the 1st and the 10th: update_window, logarithmic), the
	// server's window probes are empty ACKs (seq = snd.una-1, no payload: 'a',
	// not 't'), and the client finally resets with unread data: orig RESET
	// while the responder is ESTABLISHED -> RSTO. The client sent no payload:
	// no 'D'. resp_bytes: the highest sequence number reached (acked) is
	// 44,913, minus the SYN.
	{file: "tcp_anomalies.pcap", proto: TCP, id: 4, respP: 9000, state: "RSTO", history: "ShAdWaWR",
		origPkts: 46, respPkts: 35, origBytes: 0, respBytes: 44912, checkByteCounts: true},
	// Idle connection with TCP keep-alives: Linux probes are empty segments at
	// snd.una-1, so they are pure ACKs ('A' already recorded), not
	// retransmissions (no payload); the server's keep-alive ACKs give 'a'.
	// Then FIN from the client, FIN from the server -> SF. No payload either
	// way: 0 bytes.
	{file: "tcp_anomalies.pcap", proto: TCP, id: 5, respP: 9001, state: "SF", history: "ShAaFf",
		origPkts: 7, respPkts: 5, checkByteCounts: true},
	// http_get.pcap.

	// Two GETs on a keep-alive connection, then curl closes first: the
	// client's FIN ('F') precedes the server's ('f'). SF.
	{file: "http_get.pcap", proto: TCP, id: 0, respP: 80, state: "SF", history: "ShADadFf",
		origPkts: 28, respPkts: 42, origBytes: 179, respBytes: 51603, checkByteCounts: true},
	// A 404 with "Connection: close": the server's FIN comes first ('f' before
	// 'F'). Both sides closed -> SF.
	{file: "http_get.pcap", proto: TCP, id: 1, respP: 80, state: "SF", history: "ShADadfF",
		origPkts: 6, respPkts: 6},
	// ssh_session.pcap.

	// An interactive SSH session ended by "exit": data both ways, the client's
	// FIN first. SF.
	{file: "ssh_session.pcap", proto: TCP, id: 0, respP: 22, state: "SF", history: "ShADadFf",
		origPkts: 29, respPkts: 29},
	// dns_queries.pcap.

	// A query and its answer: both UDP endpoints ACTIVE -> SF (conn_state's
	// UDP branch). 'D'/'d' once per direction for any datagram (UDPAnalyzer).
	// The bytes are the UDP lengths minus the 8-byte header.
	{file: "dns_queries.pcap", proto: UDP, id: 0, respP: 53, state: "SF", history: "Dd",
		origPkts: 1, respPkts: 1, origBytes: 57, respBytes: 61, checkByteCounts: true},
	// DNS over TCP: one query and answer, then FINs. SF.
	{file: "dns_queries.pcap", proto: TCP, id: 0, respP: 53, state: "SF", history: "ShADadFf"},
	// icmp_ping.pcap.

	// ping -c 4: Zeek keys echo request (8) and reply (0) as one connection,
	// orig_p 8, resp_p 0. conn_state is always OTH for ICMP and the ICMP
	// analyzer records no history. Each message carries 56 bytes after the
	// 8-byte ICMP header.
	{file: "icmp_ping.pcap", proto: ICMP, id: 0, respP: 0, state: "OTH", history: "",
		origPkts: 4, respPkts: 4, origBytes: 224, respBytes: 224, checkByteCounts: true},
	// icmp_unreachable.pcap.

	// A UDP datagram to a closed port: only the originator sent -> S0,
	// 'D'. The port-unreachable error that quotes it is an ICMP
	// connection of its own; Zeek does not count it for the UDP one.
	{file: "icmp_unreachable.pcap", proto: UDP, id: 0, respP: 33333, state: "S0", history: "D",
		origPkts: 1, respPkts: 0, origBytes: 7, respBytes: 0, checkByteCounts: true},
	// The error itself: type 3 has no counterpart, so the connection is
	// one-way from the erring host with resp_p the code (3, port
	// unreachable). The message after the 8-byte header is the quote: 20
	// bytes of IP, 8 of UDP and the 7 of payload.
	{file: "icmp_unreachable.pcap", proto: ICMP, id: 0, respP: 3, state: "OTH", history: "",
		origPkts: 1, respPkts: 0, origBytes: 35, respBytes: 0, checkByteCounts: true},
	// The second ping run, to the other host.
	{file: "icmp_ping.pcap", proto: ICMP, id: 1, respP: 0, state: "OTH", history: "",
		origPkts: 4, respPkts: 4, origBytes: 224, respBytes: 224, checkByteCounts: true},
}

// TestCaptureExpectations checks the hand-checked connections above.
func TestCaptureExpectations(t *testing.T) {
	if _, err := os.Stat(capturesDir); err != nil {
		t.Skipf("reference captures not found at %s", capturesDir)
	}
	byFile := map[string][]*Conn{}
	for _, w := range captureWants {
		conns, ok := byFile[w.file]
		if !ok {
			conns, _ = runFile(t, filepath.Join(capturesDir, w.file), Config{})
			byFile[w.file] = conns
		}
		var c *Conn
		for _, x := range conns {
			if x.Proto == w.proto && x.ID == w.id {
				c = x
				break
			}
		}
		name := w.file + " " + w.proto.String() + " " + itoa(w.id)
		if c == nil {
			t.Errorf("%s: no such connection", name)
			continue
		}
		if c.RespP != w.respP || c.State() != w.state || c.History() != w.history {
			t.Errorf("%s: resp_p %d conn_state %s history %q, want %d %s %q", name, c.RespP, c.State(), c.History(), w.respP, w.state, w.history)
		}
		if w.origPkts != 0 && (c.OrigPkts != w.origPkts || c.RespPkts != w.respPkts) {
			t.Errorf("%s: packets %d/%d, want %d/%d", name, c.OrigPkts, c.RespPkts, w.origPkts, w.respPkts)
		}
		if w.checkByteCounts && (c.OrigBytes() != w.origBytes || c.RespBytes() != w.respBytes) {
			t.Errorf("%s: bytes %d/%d, want %d/%d", name, c.OrigBytes(), c.RespBytes(), w.origBytes, w.respBytes)
		}
		if w.checkSynCount && c.SynCount != w.synCount {
			t.Errorf("%s: syn_count %d, want %d", name, c.SynCount, w.synCount)
		}
		if w.checkEndReason && c.EndReason != w.endReason {
			t.Errorf("%s: ended %s, want %s", name, c.EndReason, w.endReason)
		}
		if c.MissedBytes != 0 {
			t.Errorf("%s: missed_bytes %d, want 0 (nothing the receiver acked is missing)", name, c.MissedBytes)
		}
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestChecksumsOnRealTraffic: the reference captures' checksums are all
// valid (tshark agrees), so verifying them must change nothing; this
// exercises the TCP, UDP, ICMP and ICMPv6 checksums over IPv4 and IPv6.
func TestChecksumsOnRealTraffic(t *testing.T) {
	if _, err := os.Stat(capturesDir); err != nil {
		t.Skipf("reference captures not found at %s", capturesDir)
	}
	for _, name := range []string{"tcp_anomalies.pcap", "dns_queries.pcap", "icmp_unreachable.pcap", "ipv6_nd.pcap", "ipv6_tcp.pcap", "mixed_office.pcap"} {
		file := filepath.Join(capturesDir, name)
		plain, _ := runFile(t, file, Config{})
		checked, _ := runFile(t, file, Config{VerifyChecksums: true})
		if len(plain) != len(checked) {
			t.Errorf("%s: %d connections, %d with checksums verified", name, len(plain), len(checked))
			continue
		}
		for i, c := range plain {
			d := checked[i]
			if c.State() != d.State() || c.History() != d.History() || c.OrigPkts != d.OrigPkts || c.RespPkts != d.RespPkts {
				t.Errorf("%s %s %d: %s %q %d/%d, with checksums verified %s %q %d/%d", name, c.Proto, c.ID,
					c.State(), c.History(), c.OrigPkts, c.RespPkts, d.State(), d.History(), d.OrigPkts, d.RespPkts)
			}
		}
	}
}
