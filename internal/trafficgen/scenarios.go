package trafficgen

import (
	"encoding/binary"
	"fmt"
	"math"
	"net"
	"sort"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ---- DNS ----

// dnsLookup is one or two queries (often A and AAAA together, as
// resolvers in browsers send them) from one source port, each answered.
type dnsLookup struct {
	cli   *host
	res   *server
	sport uint16
	ttl   uint8 // of the resolver's packets
	ipid  [2]uint16
	qs    []dnsQuery
}

type dnsOutcome uint8

const (
	dnsAnswer dnsOutcome = iota
	dnsCNAME
	dnsNXDomain
)

type dnsQuery struct {
	id      uint16
	qtype   layers.DNSType
	name    string
	target  *server
	outcome dnsOutcome
	cname   string
	ttl     uint32
	addrs   int // number of address records
}

// Names that do not exist, as LANs ask for them: WPAD, search-domain
// suffixes appended to full names, typing mistakes.
func (g *generator) nxName() string {
	s := g.pickExternal()
	switch g.rng.IntN(4) {
	case 0:
		return "wpad.corp.example"
	case 1:
		return s.name + ".corp.example"
	case 2:
		return "ww" + s.name
	}
	return fmt.Sprintf("host-%d.corp.example", g.rng.IntN(5000))
}

var cdnWords = []string{"edgekey", "akamaiedge", "cloudfront", "fastly", "azureedge", "llnwd"}

func (g *generator) planDNS(start int64) *conv {
	l := &dnsLookup{cli: g.pickHost(), sport: uint16(1024 + g.rng.IntN(64511)), ttl: 64}
	l.ipid = [2]uint16{uint16(g.rng.Uint32()), uint16(g.rng.Uint32())}
	l.res = &g.net.dns
	delay := func() int64 {
		if g.chance(0.6) { // cached
			return g.between(150_000, 1_500_000)
		}
		return int64(g.logNormal(math.Log(25e6), 0.8, 2e6, 800e6))
	}
	if g.chance(0.15) {
		l.res = &g.net.pubDNS[g.rng.IntN(len(g.net.pubDNS))]
		l.ttl = 64 - l.res.hops
		base := l.res.rtt
		delay = func() int64 { return base + int64(g.logNormal(math.Log(2e6), 1.2, 0, 500e6)) }
	}
	q := dnsQuery{id: uint16(g.rng.Uint32()), qtype: layers.DNSTypeA, ttl: []uint32{30, 60, 300, 300, 3600, 86400}[g.rng.IntN(6)]}
	switch x := g.rng.Float64(); {
	case x < 0.08:
		q.outcome, q.name = dnsNXDomain, g.nxName()
	case x < 0.20:
		q.target = g.pickExternal()
		q.outcome, q.name = dnsCNAME, q.target.name
		q.cname = fmt.Sprintf("%s.%s.%s.net", q.target.name, cdnWords[g.rng.IntN(len(cdnWords))], "example")
	default:
		q.target = g.pickServer()
		q.name = q.target.name
	}
	q.addrs = 1 + g.rng.IntN(3)
	if g.chance(0.25) {
		q.qtype = layers.DNSTypeAAAA
	}
	l.qs = append(l.qs, q)
	if q.qtype == layers.DNSTypeA && g.chance(0.3) {
		// The AAAA twin of an A query, with its own id.
		q2 := q
		q2.id = uint16(g.rng.Uint32())
		q2.qtype = layers.DNSTypeAAAA
		l.qs = append(l.qs, q2)
	}
	steps := make([]step, 0, 4)
	t := start
	for i := range l.qs {
		steps = append(steps, step{at: t, dir: 0, n: int32(i)})
		steps = append(steps, step{at: t + delay(), dir: 1, n: int32(i)})
		t += g.between(10_000, 200_000)
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at < steps[j].at })
	return &conv{steps: steps, sc: l}
}

func (l *dnsLookup) countIn(s *Stats) {
	for _, q := range l.qs {
		s.DNSQueries++
		switch q.outcome {
		case dnsNXDomain:
			s.DNSNXDomain++
		case dnsCNAME:
			s.DNSCNAME++
		}
	}
}

// addrOf returns the i-th address of a name's answer: the server's own,
// then neighbours, as load-balanced names resolve to several.
func addrOf(s *server, qtype layers.DNSType, i int) net.IP {
	if qtype == layers.DNSTypeAAAA {
		a := s.ip6
		a[15] += byte(i)
		return net.IP(a[:])
	}
	a := s.ip4
	a[3] += byte(i)
	return net.IP(a[:])
}

func (l *dnsLookup) emit(g *generator, s *step) error {
	q := &l.qs[s.n]
	d := &g.dns
	*d = layers.DNS{ID: q.id, RD: true,
		Questions: []layers.DNSQuestion{{Name: []byte(q.name), Type: q.qtype, Class: layers.DNSClassIN}}}
	if s.dir == 1 {
		d.QR, d.RA = true, true
		name := []byte(q.name)
		switch q.outcome {
		case dnsNXDomain:
			d.ResponseCode = layers.DNSResponseCodeNXDomain
			d.Authorities = []layers.DNSResourceRecord{{Name: []byte("corp.example"), Type: layers.DNSTypeSOA, Class: layers.DNSClassIN, TTL: 900,
				SOA: layers.DNSSOA{MName: []byte("ns1.corp.example"), RName: []byte("hostmaster.corp.example"),
					Serial: 2024030401, Refresh: 7200, Retry: 3600, Expire: 1209600, Minimum: 900}}}
		case dnsCNAME:
			d.Answers = append(d.Answers, layers.DNSResourceRecord{Name: name, Type: layers.DNSTypeCNAME, Class: layers.DNSClassIN, TTL: q.ttl, CNAME: []byte(q.cname)})
			name = []byte(q.cname)
			fallthrough
		default:
			for i := range q.addrs {
				d.Answers = append(d.Answers, layers.DNSResourceRecord{Name: name, Type: q.qtype, Class: layers.DNSClassIN, TTL: q.ttl, IP: addrOf(q.target, q.qtype, i)})
			}
		}
	}
	src, dst := &l.cli.ip4, &l.res.ip4
	smac, dmac := &l.cli.mac, &l.res.mac
	sp, dp := l.sport, uint16(53)
	ttl := uint8(64)
	if l.cli.win {
		ttl = 128
	}
	if s.dir == 1 {
		src, dst, smac, dmac, sp, dp, ttl = dst, src, dmac, smac, dp, sp, l.ttl
	}
	id := l.ipid[s.dir]
	l.ipid[s.dir]++
	ip := g.setIPv4(src, dst, layers.IPProtocolUDP, ttl, id, s.dir == 0)
	g.udp = layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}
	g.udp.SetNetworkLayerForChecksum(ip)
	return g.write(s.at, pIPv4|pUDP|pDNS, g.setEth(smac, dmac, layers.EthernetTypeIPv4), ip, &g.udp, d)
}

// ---- DHCP ----

// dhcpDORA is a client obtaining its address: DISCOVER, OFFER, REQUEST,
// ACK, all with the client's transaction id.
type dhcpDORA struct {
	cli   *host
	xid   uint32
	bcast bool // client asks for broadcast replies
	secs  uint16
	lease uint32
	ipid  [2]uint16
}

var dhcpParams = []byte{1, 3, 6, 15, 26, 28, 51, 54, 58, 59, 119, 121}

func (g *generator) planDHCP(start int64) *conv {
	x := &dhcpDORA{cli: g.pickHost(), xid: g.rng.Uint32(), bcast: g.chance(0.5), secs: uint16(g.rng.IntN(4)),
		lease: []uint32{3600, 28800, 86400}[g.rng.IntN(3)]}
	x.ipid = [2]uint16{uint16(g.rng.Uint32()), uint16(g.rng.Uint32())}
	t := start
	steps := make([]step, 4)
	for i, op := range [4]layers.DHCPMsgType{layers.DHCPMsgTypeDiscover, layers.DHCPMsgTypeOffer, layers.DHCPMsgTypeRequest, layers.DHCPMsgTypeAck} {
		steps[i] = step{at: t, dir: uint8(i % 2), op: uint8(op)}
		switch i {
		case 0: // the server pings the address before offering it
			t += int64(g.logNormal(math.Log(300e6), 0.8, 1e6, 1e9))
		case 1:
			t += g.between(200_000, 20_000_000)
		case 2:
			t += g.between(300_000, 5_000_000)
		}
	}
	return &conv{steps: steps, sc: x}
}

func (x *dhcpDORA) countIn(s *Stats) { s.DHCPExchanges++ }

func (x *dhcpDORA) emit(g *generator, s *step) error {
	n := g.net
	mt := layers.DHCPMsgType(s.op)
	d := &g.dhcp
	*d = layers.DHCPv4{HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: x.xid, ClientHWAddr: x.cli.mac[:]}
	if x.bcast {
		d.Flags = 0x8000
	}
	opt := func(t layers.DHCPOpt, b []byte) { d.Options = append(d.Options, layers.NewDHCPOption(t, b)) }
	opt(layers.DHCPOptMessageType, []byte{byte(mt)})
	yi := x.cli.ip4[:]
	if s.dir == 0 {
		d.Operation = layers.DHCPOpRequest
		d.Secs = x.secs
		if mt == layers.DHCPMsgTypeRequest {
			d.Secs += 1
		}
		opt(layers.DHCPOptClientID, append([]byte{1}, x.cli.mac[:]...))
		if mt == layers.DHCPMsgTypeRequest {
			opt(layers.DHCPOptRequestIP, yi)
			opt(layers.DHCPOptServerID, n.dhcp.ip4[:])
		} else if x.xid%3 == 0 {
			opt(layers.DHCPOptRequestIP, yi) // asks for its previous address
		}
		opt(layers.DHCPOptHostname, []byte(x.cli.name))
		opt(layers.DHCPOptParamsRequest, dhcpParams)
	} else {
		d.Operation = layers.DHCPOpReply
		d.YourClientIP = yi
		var lease, t1, t2 [4]byte
		binary.BigEndian.PutUint32(lease[:], x.lease)
		binary.BigEndian.PutUint32(t1[:], x.lease/2)
		binary.BigEndian.PutUint32(t2[:], x.lease/8*7)
		opt(layers.DHCPOptServerID, n.dhcp.ip4[:])
		opt(layers.DHCPOptLeaseTime, lease[:])
		opt(layers.DHCPOptT1, t1[:])
		opt(layers.DHCPOptT2, t2[:])
		opt(layers.DHCPOptSubnetMask, []byte{255, 0, 0, 0})
		opt(layers.DHCPOptRouter, n.gw.ip4[:])
		opt(layers.DHCPOptDNS, n.dns.ip4[:])
		opt(layers.DHCPOptDomainName, []byte("corp.example"))
	}
	var ip *layers.IPv4
	var eth *layers.Ethernet
	id := x.ipid[s.dir]
	x.ipid[s.dir]++
	if s.dir == 0 {
		ttl := uint8(64)
		if x.cli.win {
			ttl = 128
		}
		ip = g.setIPv4(&zeroIP4, &broadcastIP4, layers.IPProtocolUDP, ttl, id, false)
		eth = g.setEth(&x.cli.mac, &broadcastMAC, layers.EthernetTypeIPv4)
		g.udp = layers.UDP{SrcPort: 68, DstPort: 67}
	} else {
		if x.bcast {
			ip = g.setIPv4(&n.dhcp.ip4, &broadcastIP4, layers.IPProtocolUDP, 64, id, false)
			eth = g.setEth(&n.dhcp.mac, &broadcastMAC, layers.EthernetTypeIPv4)
		} else {
			ip = g.setIPv4(&n.dhcp.ip4, &x.cli.ip4, layers.IPProtocolUDP, 64, id, false)
			eth = g.setEth(&n.dhcp.mac, &x.cli.mac, layers.EthernetTypeIPv4)
		}
		g.udp = layers.UDP{SrcPort: 67, DstPort: 68}
	}
	g.udp.SetNetworkLayerForChecksum(ip)
	return g.write(s.at, pIPv4|pUDP|pDHCP, eth, ip, &g.udp, d)
}

// ---- ARP ----

// arpExchange is a who-has request and its is-at reply; a gratuitous
// announcement is a lone request for the sender's own address.
type arpExchange struct {
	smac, tmac *[6]byte
	sip, tip   *[4]byte
	gratuitous bool
}

func (g *generator) planARP(start int64) *conv {
	h := g.pickHost()
	a := &arpExchange{smac: &h.mac, sip: &h.ip4}
	switch x := g.rng.Float64(); {
	case x < 0.45: // a host looks for its gateway
		a.tmac, a.tip = &g.net.gw.mac, &g.net.gw.ip4
	case x < 0.75: // the gateway looks for a host
		a.smac, a.sip, a.tmac, a.tip = &g.net.gw.mac, &g.net.gw.ip4, &h.mac, &h.ip4
	case x < 0.85: // a host looks for the resolver or a LAN server
		s := &g.net.dns
		if g.chance(0.5) {
			s = &g.net.lan[g.rng.IntN(len(g.net.lan))]
		}
		a.tmac, a.tip = &s.mac, &s.ip4
	default: // host to host
		o := g.pickHost()
		for o == h {
			o = g.pickHost()
		}
		a.tmac, a.tip = &o.mac, &o.ip4
	}
	steps := []step{{at: start, dir: 0}, {at: start + g.between(40_000, 2_000_000), dir: 1}}
	return &conv{steps: steps, sc: a}
}

func (g *generator) planGARP(start int64) *conv {
	h := g.pickHost()
	a := &arpExchange{smac: &h.mac, sip: &h.ip4, tmac: &zeroMAC, tip: &h.ip4, gratuitous: true}
	return &conv{steps: []step{{at: start}}, sc: a}
}

func (a *arpExchange) countIn(s *Stats) {
	if a.gratuitous {
		s.ARPGratuitous++
	} else {
		s.ARPRequests++
	}
}

func (a *arpExchange) emit(g *generator, s *step) error {
	p := &g.arp
	*p = layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4}
	var eth *layers.Ethernet
	if s.dir == 0 {
		p.Operation = layers.ARPRequest
		p.SourceHwAddress, p.SourceProtAddress = a.smac[:], a.sip[:]
		p.DstHwAddress, p.DstProtAddress = zeroMAC[:], a.tip[:]
		eth = g.setEth(a.smac, &broadcastMAC, layers.EthernetTypeARP)
	} else {
		p.Operation = layers.ARPReply
		p.SourceHwAddress, p.SourceProtAddress = a.tmac[:], a.tip[:]
		p.DstHwAddress, p.DstProtAddress = a.smac[:], a.sip[:]
		eth = g.setEth(a.tmac, a.smac, layers.EthernetTypeARP)
	}
	return g.write(s.at, pARP, eth, p)
}

// ---- ICMP and ICMPv6 echo ----

type ping struct {
	cli    *host
	srv    *server
	v6     bool
	id     uint16
	ttl    [2]uint8
	ipid   [2]uint16
	stamp  int64 // time of the first request, for the payload's timestamp
	winPay bool  // Windows payload ("abcd...") rather than Linux's
	count  int   // echo requests
}

func (g *generator) planPing(start int64, v6 bool) *conv {
	p := &ping{v6: v6, id: uint16(g.rng.Uint32()), stamp: start}
	if v6 {
		p.cli = g.pickV6Host()
		if p.cli == nil {
			return g.planPing(start, false)
		}
		if g.chance(0.3) {
			p.srv = &g.net.gw
		} else {
			p.srv = g.pickExternal()
		}
	} else {
		p.cli = g.pickHost()
		switch x := g.rng.Float64(); {
		case x < 0.2:
			p.srv = &g.net.gw
		default:
			p.srv = g.pickServer()
		}
	}
	p.winPay = p.cli.win
	p.ttl = [2]uint8{64, 64 - p.srv.hops}
	if p.cli.win {
		p.ttl[0] = 128
	}
	p.ipid = [2]uint16{uint16(g.rng.Uint32()), uint16(g.rng.Uint32())}
	count := 1
	switch x := g.rng.Float64(); {
	case x < 0.4:
		count = 4
	case x < 0.6:
		count = 2 + g.rng.IntN(2)
	}
	p.count = count
	steps := make([]step, 0, 2*count)
	for i := range count {
		t := start + int64(i)*1_000_000_000 + g.between(0, 500_000)
		rtt := p.srv.rtt * (90 + g.rng.Int64N(30)) / 100
		steps = append(steps, step{at: t, dir: 0, n: int32(i + 1)}, step{at: t + rtt, dir: 1, n: int32(i + 1)})
	}
	return &conv{steps: steps, sc: p}
}

func (p *ping) countIn(s *Stats) {
	if p.v6 {
		s.Pings6 += p.count
	} else {
		s.Pings += p.count
	}
}

func (p *ping) emit(g *generator, s *step) error {
	// Linux ping: a 16-byte timeval then bytes 0x10, 0x11, ...; Windows:
	// the alphabet.
	pay := g.pay[:0]
	if p.winPay {
		pay = append(pay, "abcdefghijklmnopqrstuvwabcdefghi"...)
	} else {
		var tv [16]byte
		at := s.at
		if s.dir == 1 {
			at = p.stamp + int64(s.n-1)*1_000_000_000 // echoes the request's
		}
		binary.LittleEndian.PutUint64(tv[0:], uint64(at/1e9))
		binary.LittleEndian.PutUint64(tv[8:], uint64(at%1e9/1e3))
		pay = append(pay, tv[:]...)
		for i := range 40 {
			pay = append(pay, byte(0x10+i))
		}
	}
	g.pay = pay
	smac, dmac := &p.cli.mac, &p.srv.mac
	if s.dir == 1 {
		smac, dmac = dmac, smac
	}
	if p.v6 {
		src, dst := &p.cli.ip6, &p.srv.ip6
		if s.dir == 1 {
			src, dst = dst, src
		}
		ip := g.setIPv6(src, dst, layers.IPProtocolICMPv6, p.ttl[s.dir], 0)
		typ := uint8(layers.ICMPv6TypeEchoRequest)
		if s.dir == 1 {
			typ = layers.ICMPv6TypeEchoReply
		}
		g.icmp6 = layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}
		g.icmp6.SetNetworkLayerForChecksum(ip)
		g.echo6 = layers.ICMPv6Echo{Identifier: p.id, SeqNumber: uint16(s.n)}
		return g.write(s.at, pIPv6|pICMPv6, g.setEth(smac, dmac, layers.EthernetTypeIPv6), ip, &g.icmp6, &g.echo6, gopacket.Payload(pay))
	}
	src, dst := &p.cli.ip4, &p.srv.ip4
	if s.dir == 1 {
		src, dst = dst, src
	}
	id := p.ipid[s.dir]
	p.ipid[s.dir]++
	ip := g.setIPv4(src, dst, layers.IPProtocolICMPv4, p.ttl[s.dir], id, true)
	typ := uint8(layers.ICMPv4TypeEchoRequest)
	if s.dir == 1 {
		typ = layers.ICMPv4TypeEchoReply
	}
	g.icmp4 = layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: p.id, Seq: uint16(s.n)}
	return g.write(s.at, pIPv4|pICMP, g.setEth(smac, dmac, layers.EthernetTypeIPv4), ip, &g.icmp4, gopacket.Payload(pay))
}

// ---- ICMPv6 neighbour discovery ----

// ndp is a neighbour solicitation to the target's solicited-node
// multicast group and the target's solicited advertisement.
type ndp struct {
	smac, tmac *[6]byte
	sip, tip   *[16]byte
	router     bool
}

func (g *generator) planNDP(start int64) *conv {
	h := g.pickV6Host()
	if h == nil {
		return g.planARP(start)
	}
	n := &ndp{smac: &h.mac, sip: &h.ll6}
	if g.chance(0.5) {
		n.tmac, n.tip, n.router = &g.net.gw.mac, &g.net.gw.ll6, true
	} else {
		o := g.pickV6Host()
		for o == h {
			o = g.pickV6Host()
		}
		n.tmac, n.tip = &o.mac, &o.ip6
		if g.chance(0.5) {
			n.tip = &o.ll6
		}
	}
	steps := []step{{at: start, dir: 0}, {at: start + g.between(30_000, 1_500_000), dir: 1}}
	return &conv{steps: steps, sc: n}
}

func (n *ndp) countIn(s *Stats) { s.NeighborSolic++ }

func (n *ndp) emit(g *generator, s *step) error {
	if s.dir == 0 {
		t := n.tip
		grp := [16]byte{0xff, 0x02, 11: 1, 12: 0xff, 13: t[13], 14: t[14], 15: t[15]}
		gmac := [6]byte{0x33, 0x33, 0xff, t[13], t[14], t[15]}
		ip := g.setIPv6(n.sip, &grp, layers.IPProtocolICMPv6, 255, 0)
		g.icmp6 = layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeNeighborSolicitation, 0)}
		g.icmp6.SetNetworkLayerForChecksum(ip)
		g.ns = layers.ICMPv6NeighborSolicitation{TargetAddress: t[:],
			Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: n.smac[:]}}}
		return g.write(s.at, pIPv6|pICMPv6, g.setEth(n.smac, &gmac, layers.EthernetTypeIPv6), ip, &g.icmp6, &g.ns)
	}
	ip := g.setIPv6(n.tip, n.sip, layers.IPProtocolICMPv6, 255, 0)
	g.icmp6 = layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeNeighborAdvertisement, 0)}
	g.icmp6.SetNetworkLayerForChecksum(ip)
	flags := uint8(0x60) // solicited, override
	if n.router {
		flags |= 0x80
	}
	g.na = layers.ICMPv6NeighborAdvertisement{Flags: flags, TargetAddress: n.tip[:],
		Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptTargetAddress, Data: n.tmac[:]}}}
	return g.write(s.at, pIPv6|pICMPv6, g.setEth(n.tmac, n.smac, layers.EthernetTypeIPv6), ip, &g.icmp6, &g.na)
}

// ---- ICMP destination unreachable ----

// unreach is a UDP datagram to a closed port (or an absent host) and the
// ICMP error quoting it in full.
type unreach struct {
	cli       *host
	smac      *[6]byte // of the error's sender
	dmac      *[6]byte // next hop of the datagram
	dst       [4]byte
	from      *[4]byte // sender of the error
	code      uint8    // 3 port unreachable, 1 host unreachable
	sport     uint16
	dport     uint16
	ipid      uint16
	errID     uint16
	payLen    int
	seed      uint64
	clientTTL uint8
	trace     bool // traceroute probe, with its "@ABC..." payload
}

func (g *generator) planUnreach(start int64) *conv {
	u := &unreach{cli: g.pickHost(), sport: uint16(32768 + g.rng.IntN(28000)), ipid: uint16(g.rng.Uint32()),
		errID: uint16(g.rng.Uint32()), payLen: 12 + g.rng.IntN(100), seed: g.rng.Uint64(), code: 3, clientTTL: 64}
	if u.cli.win {
		u.clientTTL = 128
	}
	// Traceroute probes, or a stale port of some UDP application.
	if g.chance(0.5) {
		u.dport, u.trace, u.payLen = 33434+uint16(g.rng.IntN(90)), true, 32
	} else {
		u.dport = uint16(20000 + g.rng.IntN(40000))
	}
	var delay int64
	if g.chance(0.25) {
		// To a LAN address nobody holds: the gateway gives up on ARP.
		u.dst = [4]byte{10, byte(g.rng.IntN(64)), byte(g.rng.IntN(256)), byte(1 + g.rng.IntN(254))}
		u.code = 1
		u.dmac, u.smac, u.from = &g.net.gw.mac, &g.net.gw.mac, &g.net.gw.ip4
		delay = g.between(1e9, 3e9)
	} else {
		s := &g.net.lan[g.rng.IntN(len(g.net.lan))]
		if g.chance(0.5) {
			o := g.pickHost()
			u.dst, u.dmac, u.smac, u.from = o.ip4, &o.mac, &o.mac, &o.ip4
		} else {
			u.dst, u.dmac, u.smac, u.from = s.ip4, &s.mac, &s.mac, &s.ip4
		}
		delay = g.between(60_000, 1_500_000)
	}
	steps := []step{{at: start, dir: 0}, {at: start + delay, dir: 1}}
	return &conv{steps: steps, sc: u}
}

func (u *unreach) countIn(s *Stats) { s.Unreachables++ }

func (u *unreach) emit(g *generator, s *step) error {
	pay := g.pay[:u.payLen]
	if u.trace {
		for i := range pay {
			pay[i] = byte(0x40 + i)
		}
	} else {
		fillRandom(pay, u.seed, 0)
	}
	if s.dir == 0 {
		ip := g.setIPv4(&u.cli.ip4, &u.dst, layers.IPProtocolUDP, u.clientTTL, u.ipid, false)
		g.udp = layers.UDP{SrcPort: layers.UDPPort(u.sport), DstPort: layers.UDPPort(u.dport)}
		g.udp.SetNetworkLayerForChecksum(ip)
		return g.write(s.at, pIPv4|pUDP, g.setEth(&u.cli.mac, u.dmac, layers.EthernetTypeIPv4), ip, &g.udp, gopacket.Payload(pay))
	}
	// The quoted datagram as it was sent, serialized again.
	g.qip4 = layers.IPv4{Version: 4, IHL: 5, TTL: u.clientTTL, Id: u.ipid, Protocol: layers.IPProtocolUDP, SrcIP: u.cli.ip4[:], DstIP: u.dst[:]}
	g.qudp = layers.UDP{SrcPort: layers.UDPPort(u.sport), DstPort: layers.UDPPort(u.dport)}
	g.qudp.SetNetworkLayerForChecksum(&g.qip4)
	if err := gopacket.SerializeLayers(g.qbuf, g.sopts, &g.qip4, &g.qudp, gopacket.Payload(pay)); err != nil {
		return err
	}
	ip := g.setIPv4(u.from, &u.cli.ip4, layers.IPProtocolICMPv4, 64, u.errID, false)
	ip.TOS = 0xc0 // network control, as Linux marks ICMP errors
	g.icmp4 = layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, u.code)}
	return g.write(s.at, pIPv4|pICMP, g.setEth(u.smac, &u.cli.mac, layers.EthernetTypeIPv4), ip, &g.icmp4, gopacket.Payload(g.qbuf.Bytes()))
}
