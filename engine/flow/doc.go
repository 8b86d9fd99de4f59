// Package flow tracks TCP, UDP and ICMP connections over IPv4 and IPv6 and
// describes each as Zeek's conn.log does: originator and responder,
// packets and bytes each way, conn_state and history, with the timing of
// the TCP three-way handshake on top.
//
// A Table takes decoded packets in capture order (Observe), calls
// Events.Start after a connection's first packet, Events.Handshake after
// the ACK completing a TCP handshake, and Events.End exactly once for
// every connection, when a timer ends it, when it is reused or evicted,
// or on Flush at the end of the capture. Timers run on packet time;
// Expire runs them on wall-clock time for live capture. The table holds
// at most Config.MaxConns connections: a new one evicts the least
// recently active.
//
// # Identity
//
// TCP and UDP connections take their ID from the decoder's stream index,
// which is Wireshark's tcp.stream and udp.stream (so the decoder must
// track, its default). ICMP connections are numbered here, from 0 in
// order of appearance, since Wireshark has no ICMP conversation index.
// Where Zeek starts a new connection and Wireshark does not (a 5-tuple
// reused after a close, a connection that timed out and resumed, an
// unanswered SYN retried after the attempt delay), the new connection
// keeps the ID; Conn.UID is unique.
//
// ICMP connections are keyed as Zeek keys them (ICMP4_counterpart,
// ICMP6_counterpart): addresses, the type, and the counterpart type for
// request/reply pairs (echo, timestamp, information, router and neighbour
// discovery, MLD ...), which makes request and reply one connection with
// orig_p the request type and resp_p the reply type; other messages are
// one-way, with the code as resp_p. Echo connections are also keyed by
// their identifier unless Config.MergeEchoIDs (see below).
//
// The originator is the sender of the first packet, but Zeek's heuristics
// may flip the roles, which history shows as '^' (TCPAnalyzer and
// UDPAnalyzer WantConnection, TCPSessionAdapter::UpdateInactiveState):
// a TCP connection first seen from anything but a SYN, or a UDP one, is
// flipped when the sender's port is a likely server port (Zeek's
// likely_server_ports: the ports its base scripts register, see
// Config.ServerPort) and the receiver's is not; for TCP, when both are,
// a non-SYN packet from the lower port is flipped and a SYN-ACK never is
// (stealth scans). A SYN-ACK followed by the SYN it answers is flipped too.
//
// # TCP state machine
//
// The TCP analysis is a port of Zeek's (TCPSessionAdapter.cc,
// TCP_Endpoint.cc). Each side has an endpoint state: INACTIVE, SYN_SENT,
// SYN_ACK_SENT, PARTIAL (data without a SYN), ESTABLISHED, CLOSED (FIN),
// RESET (RST).
//
//	INACTIVE      --SYN from orig--> SYN_SENT (SYN_ACK_SENT for a SYN-ACK)
//	INACTIVE      --SYN-ACK from resp--> ESTABLISHED, and the originator's
//	                SYN_SENT becomes ESTABLISHED
//	INACTIVE      --ACK while the peer is ESTABLISHED--> ESTABLISHED
//	INACTIVE      --other packet--> PARTIAL
//	(any but CLOSED/RESET) --FIN--> CLOSED, --RST--> RESET
//	CLOSED        --RST while the peer has not closed--> RESET
//
// conn_state is Zeek's conn_state() over the two states (orig os, resp
// rs): REJ when rs is RESET and os is SYN_SENT or SYN_ACK_SENT (or RESET
// with no bytes either way); RSTRH / RSTR for other responder resets (the
// originator inactive or partial, or not); when os is RESET, RSTO if the
// responder was active, else RSTOS0 if the history matches
// /\^?S[^HAFGIQ]*R.*/ and OTH otherwise; SF both CLOSED; SH / S2 the
// originator closed (the responder inactive or not); SHR / S3 the
// responder closed; S0 a SYN with an inactive responder; S1 both
// ESTABLISHED; OTH anything else. UDP
// connections are SF (both sides sent), S0 (only the originator), SHR
// (only the responder); ICMP connections are always OTH.
//
// History letters (update_history, upper case from the originator): S a
// SYN, H a SYN-ACK, A a pure ACK, D payload, F a FIN, R a RST, I FIN and
// RST together, Q SYN with FIN or RST, each once per direction except S,
// H, F and R, which repeat when their sequence number differs from the
// last of their kind; T a retransmission (payload that does not advance
// the sender's highest sequence number, so also out-of-order segments
// filling a hole), W a zero window (not with a RST, nor after the peer's
// FIN), C a bad checksum, G a content gap, each written at the 1st, 10th,
// 100th ... occurrence; ^ a flip. UDP records D/d per direction and C.
//
// orig_bytes and resp_bytes of TCP come from sequence numbers
// (TCP_Endpoint::Size): the highest sequence number sent or acknowledged
// minus the initial one, without the SYN and FIN octets, so bytes lost in
// gaps count. UDP counts the UDP lengths less the header, ICMP the
// message lengths less the 8-byte header. Packets and IP bytes (the IP
// total length) are the ConnSize analyzer's: every analysed TCP packet,
// and UDP and ICMP packets captured whole. Duration runs from the first
// packet to the last one before both TCP sides closed.
//
// # Timers
//
// With Zeek's defaults: an unanswered SYN ends the connection 5 s after
// it (tcp_attempt_delay; S0); a connection whose close completed (both
// FINs, a RST, or a FIN with the other side silent) ends 5 s after its
// last packet (tcp_close_delay), so the final ACK and retransmissions
// still count; a half-closed connection whose other side reset or never
// spoke ends after 5 s of quiet (tcp_connection_linger); otherwise
// inactivity ends TCP after 5 min, UDP and ICMP after 1 min. A SYN on a
// closed connection, or with a sequence number other than the one it
// opened with, starts a new connection (IsReuse). All are in Config.
//
// # Handshake timing
//
// Conn.SynTime is the SYN the first SYN-ACK answers: the last SYN from
// the originator before that SYN-ACK whose sequence number is the
// SYN-ACK's acknowledgement minus one, or minus one and the SYN's payload
// for a SYN with data (TCP Fast Open) whose data the server took
// (retransmitted SYNs repeat the sequence number, so the latest is the
// one that got through); before a SYN-ACK it is the first SYN. SynCount
// counts all of them. SynAckTime is the first SYN-ACK, AckTime the
// originator's first ACK acknowledging it (its ack at least the SYN-ACK's
// sequence number plus one), which is the Handshake event. The handshake
// counts only when all three were seen.
//
// A SYN whose header was cut short by the snapshot length is not
// analysed (Zeek's ExtractTCP_Header), so its SYN-ACK finds the
// originator inactive and starts a new connection on the tuple (IsReuse);
// the new connection takes the ended one's SYNs over, since Wireshark
// shows SYN and SYN-ACK as one handshake.
//
// # Where this package differs from Zeek, and why
//
//   - Checksums are not verified unless Config.VerifyChecksums: captures
//     taken on the sending host carry the unfilled checksums of offloading
//     NICs, which Zeek users answer with -C. With it on, a bad checksum is
//     treated as Zeek treats it.
//   - ICMP echo connections are split by identifier, so two ping runs
//     between the same hosts within a minute are two connections, as users
//     expect them; Config.MergeEchoIDs restores Zeek's keying.
//   - missed_bytes and 'G' are computed without reassembly: Zeek reports
//     a gap when an acknowledgement passes bytes its reassembler never
//     saw, only on connections it reassembles (those with an analyzer, and
//     the first packets of all for protocol detection). Here coverage is
//     kept per direction as the in-order edge and at most 4 out-of-order
//     ranges; past that, the closest ranges merge, which can hide a gap
//     but never invent one. Zeek's deferral of a close until the
//     reassembler delivered pending data is not modelled either.
//   - Zeek checks half-closed connections on a 6 s timer
//     (tcp_session_timer); they end here exactly Linger after their last
//     packet, up to 6 s sooner. The inactivity timeout applies to TCP
//     connections from their first packet (Zeek arms it when the
//     handshake progresses; before that the attempt timer governs).
//   - The table is bounded (MaxConns, with eviction); Zeek's is not.
//   - Only TCP, UDP and ICMP make connections; Zeek 6.1 and later also
//     log other IP protocols as unknown_transport. A packet carrying one
//     connection inside another (Teredo) counts for both, as in Zeek, but
//     tunnel_parents is not kept.
//   - A UDP or ICMP length below the header's counts as 0 bytes (Zeek
//     adds the negative length, which leaves the side looking inactive).
//   - conn.log leaves duration, orig_bytes and resp_bytes empty when the
//     duration is 0; Conn reports the numbers and leaves that to output.
//   - service is left for the dissector layer (Zeek fills it from the
//     analyzers that confirmed the protocol).
package flow
