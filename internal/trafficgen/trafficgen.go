// Package trafficgen writes synthetic packet captures that look like the
// traffic of an office LAN seen from a switch mirror port: TCP connections
// (handshake with options, HTTP and TLS-like exchanges, FIN or RST
// teardown), DNS lookups, DHCP exchanges, ARP, ICMP echo and port
// unreachable messages, and some IPv6 (TCP, ICMPv6 echo, neighbour
// discovery), among many hosts in 10.0.0.0/8 and servers outside it.
//
// It exists to give benchmarks and tests captures of any size with a
// realistic mix of protocols and packet sizes, without storing large files
// in the repository. Output depends only on Options: the same seed gives
// the same bytes. Packets are built with gopacket's serializers, with
// lengths and checksums filled in, and written as classic pcap.
//
// Generation streams: conversations are planned one at a time, a bounded
// number are open at once, and their packets are merged in time order, so
// memory stays constant however many packets are asked for. Every
// conversation that is started is finished within the requested packet
// count, so the capture holds no half-done handshakes or exchanges.
package trafficgen

import (
	"bufio"
	"container/heap"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Version changes whenever the generator's output for given Options
// changes, so that callers caching generated files can tell stale ones.
const Version = 1

// Options say what to generate.
type Options struct {
	// Packets is the exact number of packets to write.
	Packets int
	// Seed selects the traffic; equal seeds give identical output.
	Seed int64
	// Start is the time of the first packet; zero means
	// 2024-03-04 09:00:00 UTC.
	Start time.Time
	// Nanosecond writes a nanosecond-resolution pcap instead of the usual
	// microsecond one.
	Nanosecond bool
	// Hosts is the number of LAN hosts; 0 means 2000.
	Hosts int
	// Rate is the mean number of conversations begun per second; 0 means
	// 400, which gives a few thousand packets per second.
	Rate float64
	// MaxActive bounds the conversations open at once; 0 means 256.
	MaxActive int
}

// Stats describe what was written. Packet counts by protocol count a packet
// once for each protocol it carries, leaving out headers quoted inside
// ICMP errors; every conversation counted was written in full.
type Stats struct {
	Packets int   // packets written
	Bytes   int64 // captured bytes, without file and record headers
	First   time.Time
	Last    time.Time

	ARP, IPv4, IPv6, TCP, UDP, ICMP, ICMPv6, DNS, DHCP int // packets

	TCPConns      int // connections begun with a SYN
	TCPv6         int // of which over IPv6
	TCPRefused    int // of which refused: the SYN was answered by RST
	TCPResets     int // of which established, then ended by RST
	HTTPExchanges int // request/response exchanges over port 80 or 8080
	TLSExchanges  int // exchanges over port 443, the TLS handshake included

	DNSQueries  int // each answered by one response with the same id
	DNSNXDomain int // of which answered NXDOMAIN
	DNSCNAME    int // of which answered with a CNAME chain

	DHCPExchanges int // complete DISCOVER, OFFER, REQUEST, ACK exchanges

	ARPRequests   int // who-has requests, each answered by an is-at reply
	ARPGratuitous int // gratuitous announcements, unanswered

	Pings         int // ICMP echo requests, each answered
	Pings6        int // ICMPv6 echo requests, each answered
	Unreachables  int // ICMP destination unreachable, each quoting a UDP datagram
	NeighborSolic int // ICMPv6 neighbour solicitations, each answered
}

// defaultStart is a Monday morning, an arbitrary but fixed time.
var defaultStart = time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)

// Write writes a pcap capture of opts.Packets packets to w.
func Write(w io.Writer, opts Options) (Stats, error) {
	if opts.Packets <= 0 {
		return Stats{}, errors.New("trafficgen: Packets must be positive")
	}
	if opts.Start.IsZero() {
		opts.Start = defaultStart
	}
	if opts.Hosts <= 0 {
		opts.Hosts = 2000
	}
	if opts.Rate <= 0 {
		opts.Rate = 400
	}
	if opts.MaxActive <= 0 {
		opts.MaxActive = 256
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	g := newGenerator(opts, bw)
	if err := g.pw.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		return Stats{}, err
	}
	if err := g.run(); err != nil {
		return g.stats, err
	}
	return g.stats, bw.Flush()
}

// conv is one planned conversation: its packets' times and what each
// packet is, and the scenario that knows how to build them.
type conv struct {
	id    uint64
	steps []step
	i     int // next step
	sc    scenario
}

// step is one packet of a conversation. The meaning of the fields other
// than at is the scenario's; the TCP ones are what a TCP segment needs.
type step struct {
	at    int64 // capture time, ns since the epoch
	dir   uint8 // 0: from the initiator, 1: towards it
	op    uint8 // scenario-specific message kind
	flags uint8 // TCP flags
	n     int32 // payload length, or an index
	seq   uint32
	ack   uint32
}

// scenario builds the packets of one kind of conversation.
type scenario interface {
	// emit writes the packet of step s.
	emit(g *generator, s *step) error
	// countIn adds the planned conversation to the statistics.
	countIn(st *Stats)
}

type convHeap []*conv

func (h convHeap) Len() int { return len(h) }
func (h convHeap) Less(i, j int) bool {
	a, b := h[i].steps[h[i].i].at, h[j].steps[h[j].i].at
	return a < b || a == b && h[i].id < h[j].id
}
func (h convHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *convHeap) Push(x any)   { *h = append(*h, x.(*conv)) }
func (h *convHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return c
}

type generator struct {
	opts  Options
	rng   *rand.Rand
	net   *network
	pw    *pcapgo.Writer
	stats Stats

	active    convHeap
	nextID    uint64
	emitted   int
	committed int   // packets planned but not yet written
	now       int64 // time of the last packet written

	sopts gopacket.SerializeOptions
	buf   gopacket.SerializeBuffer
	qbuf  gopacket.SerializeBuffer // for datagrams quoted in ICMP errors
	pay   []byte                   // payload scratch

	// Layers reused from packet to packet, to spare the allocations.
	eth    layers.Ethernet
	arp    layers.ARP
	ip4    layers.IPv4
	ip6    layers.IPv6
	tcp    layers.TCP
	udp    layers.UDP
	icmp4  layers.ICMPv4
	icmp6  layers.ICMPv6
	echo6  layers.ICMPv6Echo
	ns     layers.ICMPv6NeighborSolicitation
	na     layers.ICMPv6NeighborAdvertisement
	dns    layers.DNS
	dhcp   layers.DHCPv4
	qip4   layers.IPv4
	qudp   layers.UDP
	tcpOpt []layers.TCPOption
}

func newGenerator(opts Options, w io.Writer) *generator {
	seed := uint64(opts.Seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &generator{
		opts:  opts,
		rng:   rng,
		sopts: gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		buf:   gopacket.NewSerializeBufferExpectedSize(128, 1600),
		qbuf:  gopacket.NewSerializeBufferExpectedSize(64, 600),
		pay:   make([]byte, 0, 2048),
	}
	g.net = newNetwork(rng, opts.Hosts)
	if opts.Nanosecond {
		g.pw = pcapgo.NewWriterNanos(w)
	} else {
		g.pw = pcapgo.NewWriter(w)
	}
	return g
}

// run merges the conversations' packets in time order, starting new
// conversations as a Poisson process while the packet budget allows.
func (g *generator) run() error {
	n := g.opts.Packets
	arrival := g.opts.Start.UnixNano()
	g.now = arrival
	for g.emitted < n {
		room := n - g.emitted - g.committed
		if room > 0 && len(g.active) < g.opts.MaxActive &&
			(len(g.active) == 0 || arrival <= g.active[0].steps[g.active[0].i].at) {
			// A conversation delayed by the MaxActive bound starts now
			// rather than in the past.
			c := g.plan(max(arrival, g.now), room)
			c.id = g.nextID
			g.nextID++
			g.committed += len(c.steps)
			heap.Push(&g.active, c)
			arrival += int64(g.rng.ExpFloat64() / g.opts.Rate * 1e9)
			continue
		}
		c := g.active[0]
		s := &c.steps[c.i]
		g.now = s.at
		if err := c.sc.emit(g, s); err != nil {
			return err
		}
		g.emitted++
		g.committed--
		c.i++
		if c.i == len(c.steps) {
			heap.Pop(&g.active)
		} else {
			heap.Fix(&g.active, 0)
		}
	}
	return nil
}

// Conversation kinds and their weights among new conversations.
type kind uint8

const (
	kTCP kind = iota
	kDNS
	kARP
	kPing
	kPing6
	kNDP
	kDHCP
	kUnreach
	kGARP
	numKinds
)

var kindWeights = [numKinds]float64{
	kTCP: 30, kDNS: 34, kARP: 10, kPing: 6, kPing6: 3, kNDP: 5, kDHCP: 4, kUnreach: 3, kGARP: 1,
}

var kindTotal = func() (t float64) {
	for _, w := range kindWeights {
		t += w
	}
	return
}()

// plan picks and plans the next conversation, falling back to shorter
// kinds when the chosen one would not fit in room packets.
func (g *generator) plan(start int64, room int) *conv {
	x := g.rng.Float64() * kindTotal
	k := kind(0)
	for ; k < numKinds-1; k++ {
		if x < kindWeights[k] {
			break
		}
		x -= kindWeights[k]
	}
	if c := g.planKind(k, start); len(c.steps) <= room {
		g.count(c)
		return c
	}
	// Near the end of the budget: two-packet kinds, then a single packet.
	for _, k := range [...]kind{kDNS, kARP} {
		if c := g.planKind(k, start); len(c.steps) <= room {
			g.count(c)
			return c
		}
	}
	c := g.planKind(kGARP, start)
	g.count(c)
	return c
}

func (g *generator) planKind(k kind, start int64) *conv {
	switch k {
	case kTCP:
		return g.planTCP(start)
	case kDNS:
		return g.planDNS(start)
	case kARP:
		return g.planARP(start)
	case kPing:
		return g.planPing(start, false)
	case kPing6:
		return g.planPing(start, true)
	case kNDP:
		return g.planNDP(start)
	case kDHCP:
		return g.planDHCP(start)
	case kUnreach:
		return g.planUnreach(start)
	}
	return g.planGARP(start)
}

// count adds a planned conversation to the statistics.
func (g *generator) count(c *conv) { c.sc.countIn(&g.stats) }

// Protocol bits for the per-packet statistics.
const (
	pARP = 1 << iota
	pIPv4
	pIPv6
	pTCP
	pUDP
	pICMP
	pICMPv6
	pDNS
	pDHCP
)

// write serializes ls at time at and appends the packet to the capture.
func (g *generator) write(at int64, protos int, ls ...gopacket.SerializableLayer) error {
	if err := gopacket.SerializeLayers(g.buf, g.sopts, ls...); err != nil {
		return err
	}
	data := g.buf.Bytes()
	t := time.Unix(0, at).UTC()
	if !g.opts.Nanosecond {
		t = t.Truncate(time.Microsecond) // as the file records it
	}
	ci := gopacket.CaptureInfo{Timestamp: t, CaptureLength: len(data), Length: len(data)}
	if err := g.pw.WritePacket(ci, data); err != nil {
		return err
	}
	st := &g.stats
	if st.Packets == 0 {
		st.First = t
	}
	st.Last = t
	st.Packets++
	st.Bytes += int64(len(data))
	for b, c := range [...]*int{&st.ARP, &st.IPv4, &st.IPv6, &st.TCP, &st.UDP, &st.ICMP, &st.ICMPv6, &st.DNS, &st.DHCP} {
		if protos&(1<<b) != 0 {
			*c++
		}
	}
	return nil
}

// Random helpers.

// between returns a uniform duration in [lo, hi) nanoseconds.
func (g *generator) between(lo, hi int64) int64 { return lo + g.rng.Int64N(hi-lo) }

// chance reports true with probability p.
func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// logNormal returns exp(N(mu, sigma)) clamped to [lo, hi].
func (g *generator) logNormal(mu, sigma float64, lo, hi int) int {
	v := int(math.Exp(mu + sigma*g.rng.NormFloat64()))
	return min(max(v, lo), hi)
}
