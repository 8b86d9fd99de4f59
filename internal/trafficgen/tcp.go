package trafficgen

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TCP flag bits as in the header's flags byte.
const (
	fFIN = 0x01
	fSYN = 0x02
	fRST = 0x04
	fPSH = 0x08
	fACK = 0x10
)

// tcpConn is one TCP connection from a LAN host to a server, direction 0
// being client to server. The capture point is next to the clients, so a
// server's answer is seen one round trip after what it answers.
type tcpConn struct {
	cli    *host
	srv    *server
	v6     bool
	ts     bool // timestamps option in use
	sport  uint16
	dport  uint16
	start  int64
	isn    [2]uint32
	tsBase [2]uint32
	lastTS [2]uint32
	ipid   [2]uint16
	ttl    [2]uint8
	flow   [2]uint32
	mss    [2]uint16
	wscale [2]uint8
	synWin [2]uint16
	win    [2]uint16
	seed   uint64
	msgs   [2][]message

	refused, reset bool
	exchanges      int
}

// message is one application message in a direction's byte stream.
type message struct {
	start uint32 // relative sequence number of its first byte
	hdr   string // leading text (HTTP head); the body follows
	body  int    // body length
	tls   uint8  // TLS content type of the body's records, 0 for text
}

func (m *message) len() int { return len(m.hdr) + m.body }

// payload returns the n stream bytes of direction d from relative
// sequence number seq.
func (c *tcpConn) payload(g *generator, d uint8, seq uint32, n int) []byte {
	if cap(g.pay) < n {
		g.pay = make([]byte, n)
	}
	p := g.pay[:n]
	i := 0
	for mi := range c.msgs[d] {
		m := &c.msgs[d][mi]
		end := m.start + uint32(m.len())
		if i == n {
			break
		}
		cur := seq + uint32(i)
		if cur >= end || cur < m.start {
			continue
		}
		off := int(cur - m.start)
		if off < len(m.hdr) {
			i += copy(p[i:], m.hdr[off:])
			off = len(m.hdr)
		}
		k := min(n-i, m.len()-off)
		if k <= 0 {
			continue
		}
		b := off - len(m.hdr)
		seed := c.seed + uint64(mi)<<1 + uint64(d)
		if m.tls != 0 {
			fillTLS(p[i:i+k], seed, m.tls, m.body, b)
		} else {
			fillText(p[i:i+k], seed, b)
		}
		i += k
	}
	return p
}

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
	"curl/8.5.0",
	"python-requests/2.31.0",
}

var paths = []string{"/", "/index.html", "/api/v1/items", "/api/v1/users/me", "/static/app.js", "/static/style.css",
	"/images/logo.png", "/search?q=network+capture", "/login", "/health", "/feed.xml", "/docs/getting-started"}

// Bodies are text, so only text types are claimed.
var contentTypes = []string{"text/html; charset=utf-8", "text/html; charset=utf-8", "text/plain; charset=utf-8", "text/css"}

var statuses = []struct {
	code   int
	reason string
	weight float64
}{{200, "OK", 0.82}, {304, "Not Modified", 0.08}, {404, "Not Found", 0.05}, {301, "Moved Permanently", 0.03}, {500, "Internal Server Error", 0.02}}

const httpDate = "Mon, 02 Jan 2006 15:04:05 GMT"

func (g *generator) planTCP(start int64) *conv {
	h := g.pickHost()
	var srv *server
	v6 := false
	if h.v6 && g.chance(0.35) {
		srv, v6 = g.pickExternal(), true
	} else {
		srv = g.pickServer()
	}
	c := &tcpConn{cli: h, srv: srv, v6: v6, ts: !h.win, sport: h.ephemeral(), dport: srv.port, start: start, seed: g.rng.Uint64()}
	if !srv.https && !srv.internal && g.chance(0.1) {
		c.dport = 8080
	}
	c.isn = [2]uint32{g.rng.Uint32(), g.rng.Uint32()}
	c.tsBase = [2]uint32{g.rng.Uint32(), g.rng.Uint32()}
	c.ipid = [2]uint16{uint16(g.rng.Uint32()), uint16(g.rng.Uint32())}
	c.flow = [2]uint32{g.rng.Uint32(), g.rng.Uint32()}
	c.ttl = [2]uint8{64, 64 - srv.hops}
	if h.win {
		c.ttl[0] = 128
	}
	if !srv.internal && g.chance(0.3) {
		c.ttl[1] = 128 - srv.hops
	}
	cliMSS := uint16(1460)
	if v6 {
		cliMSS = 1440
	}
	c.mss = [2]uint16{cliMSS, min(srv.mss, cliMSS)}
	c.wscale = [2]uint8{7, 7}
	c.synWin = [2]uint16{64240, 65160}
	c.win = [2]uint16{502, 509}
	if h.win {
		c.wscale[0], c.win[0] = 8, 1026
	}
	if g.chance(0.3) {
		c.wscale[1], c.synWin[1], c.win[1] = 9, 28960, 83
	}

	steps := make([]step, 0, 16)
	add := func(at int64, dir, flags uint8, seq, ack uint32, n int) {
		steps = append(steps, step{at: at, dir: dir, flags: flags, seq: seq, ack: ack, n: int32(n)})
	}
	// The round trip varies a little per connection.
	rtt := srv.rtt * (90 + g.rng.Int64N(40)) / 100
	ackDelay := g.between(15_000, 60_000)
	add(start, 0, fSYN, 0, 0, 0)
	if g.chance(0.04) {
		// Nothing listens: the server answers the SYN with a reset.
		c.refused = true
		c.isn[1] = 0
		add(start+rtt, 1, fRST|fACK, 0, 1, 0)
		return &conv{steps: steps, sc: c}
	}
	add(start+rtt, 1, fSYN|fACK, 0, 1, 0)
	t := start + rtt + ackDelay
	add(t, 0, fACK, 1, 1, 0)

	// Segment payload size: the smaller MSS, less the timestamps option.
	seg := int(min(c.mss[0], c.mss[1]))
	if c.ts {
		seg -= 12
	}
	cseq, sseq := uint32(1), uint32(1)
	tls := c.dport == 443
	nex := 1 + g.rng.IntN(3)
	if tls {
		nex++ // the handshake
	}
	for e := range nex {
		if e == 0 {
			t += g.between(20_000, 300_000)
		} else {
			t += int64(g.logNormal(math.Log(40e6), 1.5, 100_000, 3e9))
		}
		req, resp := g.exchange(c, e, tls, cseq, sseq)
		c.msgs[0] = append(c.msgs[0], req)
		c.msgs[1] = append(c.msgs[1], resp)
		c.exchanges++
		// The request, in as many segments as it takes.
		rl := req.len()
		for off := 0; off < rl; off += seg {
			n := min(seg, rl-off)
			fl := uint8(fACK)
			if off+n == rl {
				fl |= fPSH
			}
			add(t, 0, fl, cseq+uint32(off), sseq, n)
			if off+n < rl {
				t += g.between(5_000, 30_000)
			}
		}
		cseq += uint32(rl)
		think := int64(g.logNormal(math.Log(3e6), 1.3, 50_000, 2e9))
		if !srv.internal {
			think /= 2 // big sites answer fast; the round trip dominates
		}
		if think > 40e6 {
			// The server's delayed ACK fires before it has an answer.
			add(t+rtt+40e6, 1, fACK, sseq, cseq, 0)
		}
		t = g.response(c, &steps, t+rtt+think, rtt, ackDelay, seg, sseq, cseq, resp.len())
		sseq += uint32(resp.len())
	}

	// Teardown.
	switch r := g.rng.Float64(); {
	case r < 0.55: // the client closes
		t += int64(g.logNormal(math.Log(20e6), 1.5, 100_000, 5e9))
		add(t, 0, fFIN|fACK, cseq, sseq, 0)
		t += rtt
		add(t, 1, fFIN|fACK, sseq, cseq+1, 0)
		add(t+ackDelay, 0, fACK, cseq+1, sseq+1, 0)
	case r < 0.78: // the server closes (keep-alive timeout)
		t += int64(g.logNormal(math.Log(200e6), 1.0, 1e6, 5e9))
		add(t, 1, fFIN|fACK, sseq, cseq, 0)
		t += ackDelay
		add(t, 0, fACK, cseq, sseq+1, 0)
		t += g.between(20_000, 2_000_000)
		add(t, 0, fFIN|fACK, cseq, sseq+1, 0)
		add(t+rtt, 1, fACK, sseq+1, cseq+1, 0)
	case r < 0.92: // the client aborts, as browsers do with spare connections
		c.reset = true
		t += int64(g.logNormal(math.Log(50e6), 1.5, 100_000, 5e9))
		add(t, 0, fRST|fACK, cseq, sseq, 0)
	default: // the server resets
		c.reset = true
		t += int64(g.logNormal(math.Log(100e6), 1.5, 100_000, 5e9))
		add(t, 1, fRST|fACK, sseq, cseq, 0)
	}
	return &conv{steps: steps, sc: c}
}

// response plans the server's answer of n bytes, first segment arriving at
// t0, with the client's ACKs: every second segment is acknowledged, and
// each ACK lets the server send more (slow start up to a window cap). It
// returns the time of the last packet.
func (g *generator) response(c *tcpConn, steps *[]step, t0, rtt, ackDelay int64, seg int, sseq, cseq uint32, n int) int64 {
	nseg := (n + seg - 1) / seg
	gap := c.srv.gap
	arr := make([]int64, 0, nseg)
	release := func(at int64, k int) {
		for j := 0; j < k && len(arr) < nseg; j++ {
			if m := len(arr); m > 0 {
				at = max(at, arr[m-1]+gap)
			}
			arr = append(arr, at)
		}
	}
	release(t0, 10)
	type ack struct {
		at   int64
		upto uint32
	}
	acks := make([]ack, 0, nseg/2+1)
	for i := 0; i < nseg; i++ {
		if i%2 == 1 || i == nseg-1 {
			at := arr[i] + ackDelay
			acks = append(acks, ack{at, sseq + uint32(min(n, (i+1)*seg))})
			inflight := len(arr) - (i + 1)
			more := 4
			if inflight >= 64 {
				more = 2
			}
			release(at+rtt, more)
		}
	}
	// Merge the two time-ordered lists.
	last := t0
	i, j := 0, 0
	for i < nseg || j < len(acks) {
		if j == len(acks) || i < nseg && arr[i] <= acks[j].at {
			off := i * seg
			k := min(seg, n-off)
			fl := uint8(fACK)
			if off+k == n {
				fl |= fPSH
			}
			*steps = append(*steps, step{at: arr[i], dir: 1, flags: fl, seq: sseq + uint32(off), ack: cseq, n: int32(k)})
			last = arr[i]
			i++
		} else {
			*steps = append(*steps, step{at: acks[j].at, dir: 0, flags: fACK, seq: cseq, ack: acks[j].upto})
			last = acks[j].at
			j++
		}
	}
	return last
}

// exchange makes the e-th request and response of a connection.
func (g *generator) exchange(c *tcpConn, e int, tls bool, cseq, sseq uint32) (req, resp message) {
	req.start, resp.start = cseq, sseq
	if tls {
		if e == 0 {
			// ClientHello; ServerHello with certificates.
			req.tls, req.body = 22, tlsLen(517+g.rng.IntN(3)*700)
			resp.tls, resp.body = 22, tlsLen(2400+g.rng.IntN(3000))
			return
		}
		req.tls, req.body = 23, tlsLen(g.logNormal(math.Log(600), 0.6, 90, 6000))
		resp.tls, resp.body = 23, tlsLen(g.logNormal(math.Log(1800), 1.4, 60, 150_000))
		return
	}
	name := c.srv.name
	path := paths[g.rng.IntN(len(paths))]
	ua := userAgents[g.rng.IntN(len(userAgents))]
	if g.chance(0.12) {
		req.body = g.logNormal(math.Log(500), 1.0, 20, 4000)
		req.hdr = fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
			path, name, ua, req.body)
	} else {
		req.hdr = fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n",
			path, name, ua)
	}
	st := statuses[0]
	x := g.rng.Float64()
	for _, s := range statuses {
		if x < s.weight {
			st = s
			break
		}
		x -= s.weight
	}
	switch st.code {
	case 200:
		resp.body = g.logNormal(math.Log(1500), 1.3, 40, 150_000)
	case 304:
		resp.body = 0
	default:
		resp.body = 100 + g.rng.IntN(400)
	}
	date := time.Unix(0, c.start).UTC().Format(httpDate)
	resp.hdr = fmt.Sprintf("HTTP/1.1 %d %s\r\nServer: nginx/1.24.0\r\nDate: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n",
		st.code, st.reason, date, contentTypes[g.rng.IntN(len(contentTypes))], resp.body)
	return
}

func (c *tcpConn) countIn(s *Stats) {
	s.TCPConns++
	if c.v6 {
		s.TCPv6++
	}
	if c.refused {
		s.TCPRefused++
	}
	if c.reset {
		s.TCPResets++
	}
	if c.dport == 443 {
		s.TLSExchanges += c.exchanges
	} else {
		s.HTTPExchanges += c.exchanges
	}
}

func (c *tcpConn) emit(g *generator, s *step) error {
	d := s.dir
	t := &g.tcp
	*t = layers.TCP{
		Seq:    c.isn[d] + s.seq,
		Window: c.win[d],
		FIN:    s.flags&fFIN != 0,
		SYN:    s.flags&fSYN != 0,
		RST:    s.flags&fRST != 0,
		PSH:    s.flags&fPSH != 0,
		ACK:    s.flags&fACK != 0,
	}
	if d == 0 {
		t.SrcPort, t.DstPort = layers.TCPPort(c.sport), layers.TCPPort(c.dport)
	} else {
		t.SrcPort, t.DstPort = layers.TCPPort(c.dport), layers.TCPPort(c.sport)
	}
	if t.ACK {
		t.Ack = c.isn[1-d] + s.ack
	}
	opts := g.tcpOpt[:0]
	var tsopt [8]byte
	if c.ts && !t.RST {
		tsval := c.tsBase[d] + uint32((s.at-c.start)/1e6)
		binary.BigEndian.PutUint32(tsopt[0:], tsval)
		binary.BigEndian.PutUint32(tsopt[4:], c.lastTS[1-d])
		c.lastTS[d] = tsval
	}
	switch {
	case t.SYN:
		t.Window = c.synWin[d]
		var mss [2]byte
		binary.BigEndian.PutUint16(mss[:], c.mss[d])
		ws := []byte{c.wscale[d]}
		if c.ts {
			// Linux order: MSS, SACK permitted, timestamps, NOP, window scale.
			opts = append(opts,
				layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionData: mss[:]},
				layers.TCPOption{OptionType: layers.TCPOptionKindSACKPermitted},
				layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps, OptionData: tsopt[:]},
				layers.TCPOption{OptionType: layers.TCPOptionKindNop},
				layers.TCPOption{OptionType: layers.TCPOptionKindWindowScale, OptionData: ws})
		} else {
			// Windows order: MSS, NOP, window scale, NOP, NOP, SACK permitted.
			opts = append(opts,
				layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionData: mss[:]},
				layers.TCPOption{OptionType: layers.TCPOptionKindNop},
				layers.TCPOption{OptionType: layers.TCPOptionKindWindowScale, OptionData: ws},
				layers.TCPOption{OptionType: layers.TCPOptionKindNop},
				layers.TCPOption{OptionType: layers.TCPOptionKindNop},
				layers.TCPOption{OptionType: layers.TCPOptionKindSACKPermitted})
		}
	case t.RST:
		t.Window = 0
	case c.ts:
		opts = append(opts,
			layers.TCPOption{OptionType: layers.TCPOptionKindNop},
			layers.TCPOption{OptionType: layers.TCPOptionKindNop},
			layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps, OptionData: tsopt[:]})
	}
	t.Options = opts
	g.tcpOpt = opts[:0]

	var pay []byte
	if s.n > 0 {
		pay = c.payload(g, d, s.seq, int(s.n))
	}
	src, dst := &c.cli.mac, &c.srv.mac
	if d == 1 {
		src, dst = dst, src
	}
	id := c.ipid[d]
	c.ipid[d]++
	if c.v6 {
		a, b := &c.cli.ip6, &c.srv.ip6
		if d == 1 {
			a, b = b, a
		}
		ip := g.setIPv6(a, b, layers.IPProtocolTCP, c.ttl[d], c.flow[d])
		t.SetNetworkLayerForChecksum(ip)
		return g.write(s.at, pIPv6|pTCP, g.setEth(src, dst, layers.EthernetTypeIPv6), ip, t, gopacket.Payload(pay))
	}
	a, b := &c.cli.ip4, &c.srv.ip4
	if d == 1 {
		a, b = b, a
	}
	ip := g.setIPv4(a, b, layers.IPProtocolTCP, c.ttl[d], id, true)
	t.SetNetworkLayerForChecksum(ip)
	return g.write(s.at, pIPv4|pTCP, g.setEth(src, dst, layers.EthernetTypeIPv4), ip, t, gopacket.Payload(pay))
}
