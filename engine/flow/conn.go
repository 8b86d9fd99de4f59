package flow

import (
	"net/netip"
	"strconv"
)

// Proto is a connection's transport protocol as conn.log names it.
type Proto uint8

// Transport protocols. ICMPv6 connections are ICMP, as in Zeek's conn.log;
// Conn.IPProto tells them apart.
const (
	TCP Proto = iota + 1
	UDP
	ICMP
)

func (p Proto) String() string {
	switch p {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	case ICMP:
		return "icmp"
	}
	return "unknown_transport"
}

// EndpointState is the state of one side of a connection, with Zeek's
// numbering (TCP_INACTIVE = 0 ... TCP_RESET = 6). UDP and ICMP endpoints
// use only Inactive and Active (Zeek's UDP_ACTIVE and ICMP_ACTIVE are 1).
type EndpointState uint8

// Endpoint states (Zeek's EndpointState, TCP_Endpoint.h).
const (
	Inactive    EndpointState = iota // nothing seen from this side
	SynSent                          // SYN seen, not yet answered
	SynAckSent                       // SYN-ACK seen, no SYN from this side
	Partial                          // data seen, but no SYN
	Established                      // SYN-ACK seen (implicit for the responder's SYN)
	Closed                           // FIN seen
	Reset                            // RST seen
)

// Active is the state of a UDP or ICMP endpoint that sent something.
const Active = SynSent

var stateNames = [...]string{"INACTIVE", "SYN_SENT", "SYN_ACK_SENT", "PARTIAL", "ESTABLISHED", "CLOSED", "RESET"}

func (s EndpointState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return strconv.Itoa(int(s))
}

// EndReason says why a connection ended.
type EndReason uint8

// End reasons.
const (
	// EndNone: the connection has not ended.
	EndNone EndReason = iota
	// EndClosed: a FIN exchange or a RST closed it and the close delay
	// (Zeek's tcp_close_delay) passed without the 5-tuple being reused;
	// also a half-closed connection left idle for the linger time.
	EndClosed
	// EndAttempt: a SYN got no answer within the attempt delay (Zeek's
	// tcp_attempt_delay; conn_state S0 or OTH).
	EndAttempt
	// EndInactive: the inactivity timeout of its protocol passed.
	EndInactive
	// EndReused: a new connection took its 5-tuple (a new SYN).
	EndReused
	// EndEvicted: the table was full and this was the least recently
	// active connection.
	EndEvicted
	// EndFlushed: Flush ended it (end of the capture).
	EndFlushed
)

var endNames = [...]string{"", "closed", "attempt", "inactive", "reused", "evicted", "flushed"}

func (r EndReason) String() string {
	if int(r) < len(endNames) {
		return endNames[r]
	}
	return strconv.Itoa(int(r))
}

// Conn is one connection, with the fields of Zeek's conn.log and the TCP
// handshake's timing. The Table updates it in place as packets arrive and
// never changes it after its End event: a *Conn stays valid, and final,
// for as long as its holder keeps it.
//
// Times are nanoseconds since the epoch; a handshake time or frame number
// of 0 means the packet was not seen.
type Conn struct {
	// ID is Wireshark's tcp.stream for TCP and udp.stream for UDP. ICMP
	// has no such index in Wireshark; its connections are numbered here,
	// from 0, in order of appearance. A connection that Zeek splits where
	// Wireshark does not (a 5-tuple reused after a close, a connection
	// that timed out and resumed) keeps the stream's ID, so IDs may repeat;
	// UID does not.
	ID int
	// UID numbers connections from 1 in the order they started; it is
	// unique within a Table (conn.log's uid).
	UID   uint64
	Proto Proto
	// IPProto is the IP protocol number: 6, 17, 1 or 58.
	IPProto uint8

	// The originator is the sender of the first packet, unless Zeek's
	// heuristics flipped the roles (history then holds '^'). For ICMP the
	// "ports" are Zeek's: OrigP is the ICMP type, RespP the counterpart
	// type of a request/reply pair (echo request 8 pairs with reply 0),
	// else the code.
	OrigH, RespH netip.Addr
	OrigP, RespP uint16

	// ICMPID is the echo identifier of an ICMP echo connection.
	ICMPID uint16

	Start int64 // time of the first packet
	// End is the time of the last packet that counted for the duration
	// (Zeek's last_time: for TCP not the packets after both sides closed).
	End int64
	// LastSeen is the time of the latest packet, whatever it was.
	LastSeen int64

	OrigPkts, RespPkts       uint64 // packets each way
	OrigIPBytes, RespIPBytes uint64 // IP total lengths each way
	// MissedBytes is the number of bytes acknowledged by the receiver but
	// never seen in the capture (conn.log's missed_bytes; see the package
	// documentation for how closely this follows Zeek).
	MissedBytes uint64

	// Service names the protocol a dissector recognised; the flow table
	// leaves it for the dissector layer to fill.
	Service string

	// TCP handshake: SynCount counts the originator's SYNs (without ACK),
	// retransmissions included. SynTime is the SYN the first SYN-ACK
	// answers (the last SYN before it whose sequence number is the
	// SYN-ACK's acknowledgement minus one; the first SYN while there is no
	// SYN-ACK), SynAckTime the first SYN-ACK from the responder and
	// AckTime the originator's first ACK of it, which completes the
	// handshake.
	SynCount                        int
	SynTime, SynAckTime, AckTime    int64
	SynFrame, SynAckFrame, AckFrame int
	// FirstFrame and LastFrame are the frame numbers of the connection's
	// first and latest packets.
	FirstFrame, LastFrame int
	EndReason             EndReason

	origSide  uint8       // index in addr, port and ep of the originator
	addr      [2][16]byte // side addresses, IPv4 in the first 4 bytes
	port      [2]uint16   // side ports (ICMP: type and counterpart)
	ep        [2]endpoint
	hist      []byte
	histBuf   [24]byte
	histSeen  uint32
	isPartial bool
	firstSeen uint8 // roles whose first packet was seen: 1 orig, 2 resp (Zeek's first_packet_seen)

	closeAt   int64 // removal time once a close completed (tcp_close_delay)
	closeSet  bool  // closeAt is armed
	attemptAt int64 // when an unanswered SYN ends the connection
	hidx      int   // position in the timer heap
	sched     int64 // time the heap entry is due
	prev      *Conn // recency list, most recent first
	next      *Conn
	icmpKey   icmpKey
	ended     bool

	// What only TCP connections need, nil for UDP and ICMP: a UDP
	// connection is then half the size, and tables of DNS queries (each
	// its own connection for a minute) take half the memory.
	*tcpConn
}

// lastSyn is the originator's latest SYN before the first SYN-ACK.
type lastSyn struct {
	seq, len uint32 // len: its payload (TCP Fast Open)
	at       int64
	frame    int
}

// tcpConn is the TCP part of a Conn.
type tcpConn struct {
	eps [2]tcpEndpoint // the TCP parts of Conn.ep

	lastSyn   lastSyn
	synAckSeq uint32

	tupleKey tupleKey
}

// endpoint is one side of a connection: Zeek's TCP_Endpoint, and the
// payload size of a UDP or ICMP side.
type endpoint struct {
	state, prevState EndpointState
	didClose         bool
	// 'C' history counter (Zeek's ScaledHistoryEntry), TCP and UDP.
	chkCnt, chkThresh uint32
	// size is the UDP/ICMP payload byte count, -1 before any packet
	// (Zeek's request_len/reply_len).
	size         int64
	*tcpEndpoint // nil but for TCP
}

// tcpEndpoint is the TCP part of an endpoint.
type tcpEndpoint struct {
	startSeq                 int64
	lastSeq, ackSeq          uint32
	seqWraps, ackWraps       uint32
	finSeq                   uint64
	finCnt, rstCnt           uint32
	histLastSYN              uint64
	histLastFIN, histLastRST uint64
	// Logarithmic history counters (Zeek's ScaledHistoryEntry).
	rxmtCnt, rxmtThresh uint32
	win0Cnt, win0Thresh uint32
	gapCnt, gapThresh   uint32
	// Coverage of the sequence space for gap detection: everything below
	// reassem (relative) was seen or declared missing; blocks holds data
	// seen above it.
	reassem uint64
	trim    uint64
	nblocks uint8
	blocks  [maxBlocks]seqRange
}

// maxBlocks bounds the out-of-order ranges kept per direction for gap
// detection.
const maxBlocks = 4

type seqRange struct{ lo, hi uint64 }

func (e *endpoint) init() {
	e.chkThresh = 1
	e.size = -1
}

// initTCP gives a new connection its TCP part.
func (c *Conn) initTCP() {
	c.tcpConn = new(tcpConn)
	for i := range c.ep {
		t := &c.tcpConn.eps[i]
		t.rxmtThresh, t.win0Thresh, t.gapThresh = 1, 1, 1
		t.reassem, t.trim = 1, 1
		c.ep[i].tcpEndpoint = t
	}
}

// Snapshot returns a copy of c that later packets do not change (Conn
// values of an ended connection never change: see Conn).
func (c *Conn) Snapshot() *Conn {
	cp := *c
	if c.tcpConn != nil {
		t := *c.tcpConn
		cp.tcpConn = &t
		for i := range cp.ep {
			cp.ep[i].tcpEndpoint = &t.eps[i]
		}
	}
	return &cp
}

// closing reports whether the connection is only waiting for its close
// delay to pass.
func (c *Conn) closing() bool { return c.closeSet }

// side returns the endpoint of the originator (orig true) or responder.
func (c *Conn) side(orig bool) *endpoint {
	if orig {
		return &c.ep[c.origSide]
	}
	return &c.ep[c.origSide^1]
}

// OrigState and RespState are the endpoint states conn_state derives from.
func (c *Conn) OrigState() EndpointState { return c.side(true).state }

// RespState: see OrigState.
func (c *Conn) RespState() EndpointState { return c.side(false).state }

// History returns conn.log's history.
func (c *Conn) History() string { return string(c.hist) }

// Duration is End - Start. conn.log leaves duration, orig_bytes and
// resp_bytes empty when it is 0.
func (c *Conn) Duration() int64 { return c.End - c.Start }

// RTT is the time from the SYN to the ACK completing the handshake, 0 when
// either is missing.
func (c *Conn) RTT() int64 {
	if c.SynTime == 0 || c.AckTime == 0 {
		return 0
	}
	return c.AckTime - c.SynTime
}

// Ended reports whether the connection has ended.
func (c *Conn) Ended() bool { return c.ended }

// Client is "orig_h:orig_p" (IPv6 in brackets); Server is the responder.
func (c *Conn) Client() string { return netip.AddrPortFrom(c.OrigH, c.OrigP).String() }

// Server: see Client.
func (c *Conn) Server() string { return netip.AddrPortFrom(c.RespH, c.RespP).String() }

// OrigBytes is conn.log's orig_bytes: for TCP the originator's sequence
// space covered (Zeek's TCP_Endpoint::Size, which counts bytes in gaps),
// for UDP and ICMP the payload bytes.
func (c *Conn) OrigBytes() uint64 { return c.bytes(true) }

// RespBytes is conn.log's resp_bytes; see OrigBytes.
func (c *Conn) RespBytes() uint64 { return c.bytes(false) }

func (c *Conn) bytes(orig bool) uint64 {
	e := c.side(orig)
	if c.Proto == TCP {
		return e.tcpSize(c.side(!orig))
	}
	if e.size < 0 {
		return 0
	}
	return uint64(e.size)
}

// State returns conn.log's conn_state, per Zeek's conn_state()
// (base/protocols/conn/main.zeek).
func (c *Conn) State() string {
	os, rs := c.OrigState(), c.RespState()
	switch c.Proto {
	case TCP:
		oInactive := os == Inactive || os == Partial
		rInactive := rs == Inactive || rs == Partial
		switch {
		case rs == Reset:
			if os == SynSent || os == SynAckSent || os == Reset && c.OrigBytes() == 0 && c.RespBytes() == 0 {
				return "REJ"
			}
			if oInactive {
				return "RSTRH"
			}
			return "RSTR"
		case os == Reset:
			if rInactive {
				if rstos0(c.hist) {
					return "RSTOS0"
				}
				return "OTH"
			}
			return "RSTO"
		case rs == Closed && os == Closed:
			return "SF"
		case os == Closed:
			if rInactive {
				return "SH"
			}
			return "S2"
		case rs == Closed:
			if oInactive {
				return "SHR"
			}
			return "S3"
		case os == SynSent && rs == Inactive:
			return "S0"
		case os == Established && rs == Established:
			return "S1"
		}
		return "OTH"
	case UDP:
		if os == Active {
			if rs == Active {
				return "SF"
			}
			return "S0"
		}
		if rs == Active {
			return "SHR"
		}
		return "OTH"
	}
	return "OTH"
}

// rstos0 matches Zeek's /\^?S[^HAFGIQ]*R.*/ against a whole history: the
// originator's SYN, then nothing but letters other than H A F G I Q up to
// its RST.
func rstos0(h []byte) bool {
	i := 0
	if i < len(h) && h[i] == '^' {
		i++
	}
	if i >= len(h) || h[i] != 'S' {
		return false
	}
	for i++; i < len(h); i++ {
		switch h[i] {
		case 'R':
			return true
		case 'H', 'A', 'F', 'G', 'I', 'Q':
			return false
		}
	}
	return false
}

// addHistory appends a letter (Zeek's Connection::AddHistory).
func (c *Conn) addHistory(b byte) { c.hist = append(c.hist, b) }

// checkHistory records b once for mask (Zeek's Connection::CheckHistory):
// it reports whether mask had been seen before.
func (c *Conn) checkHistory(mask uint32, b byte) bool {
	if c.histSeen&mask != 0 {
		return true
	}
	c.histSeen |= mask
	c.addHistory(b)
	return false
}

// scaled records b at the 1st, 10th, 100th, ... occurrence (Zeek's
// Connection::ScaledHistoryEntry).
func (c *Conn) scaled(b byte, cnt, thresh *uint32) {
	*cnt++
	if *cnt == *thresh {
		c.addHistory(b)
		if n := *thresh * 10; n > *thresh {
			*thresh = n
		} else {
			*cnt = 0
		}
	}
}

// letter returns b in the case of the endpoint's role: upper case for the
// originator.
func letter(b byte, orig bool) byte {
	if orig {
		return b
	}
	return b + 'a' - 'A'
}

// flip swaps the roles (Zeek's Connection::FlipRoles), which conn.log
// shows as '^'. Zeek leaves the history's seen-letter bits in place, and so
// does this.
func (c *Conn) flip() {
	c.origSide ^= 1
	c.OrigH, c.RespH = c.RespH, c.OrigH
	c.OrigP, c.RespP = c.RespP, c.OrigP
	c.OrigPkts, c.RespPkts = c.RespPkts, c.OrigPkts
	c.OrigIPBytes, c.RespIPBytes = c.RespIPBytes, c.OrigIPBytes
	c.firstSeen = c.firstSeen>>1&1 | c.firstSeen<<1&2
	c.isPartial = false
	c.addHistory('^')
}
