package trafficgen

import (
	"fmt"
	"math/rand/v2"
)

// The address plan: one flat Ethernet segment holding the LAN hosts
// (10.0.0.0/8, some with IPv6 in 2001:db8:0:1::/64), the infrastructure
// in 10.0.0.0/24 (gateway, DHCP and DNS servers) and a few LAN servers;
// everything else is reached through the gateway, so frames to and from
// outside carry the gateway's MAC address.

// host is a LAN client.
type host struct {
	ip4  [4]byte
	ip6  [16]byte // global address, if v6
	ll6  [16]byte // link-local address, if v6
	mac  [6]byte
	name string
	v6   bool
	win  bool   // Windows-like stack: TTL 128, no TCP timestamps
	port uint16 // next ephemeral port
}

// ephemeral returns the host's next source port, cycling through the
// usual Linux range.
func (h *host) ephemeral() uint16 {
	p := h.port
	h.port++
	if h.port > 60999 {
		h.port = 32768
	}
	return p
}

// server is a machine clients talk to.
type server struct {
	name     string
	ip4      [4]byte
	ip6      [16]byte
	ll6      [16]byte // link-local, for LAN servers and the gateway
	mac      [6]byte  // MAC of the next hop: its own on the LAN, else the gateway's
	internal bool
	hops     uint8 // routers between it and the capture point
	rtt      int64 // round trip from the capture point, ns
	gap      int64 // time between back-to-back full-size segments, ns
	https    bool  // serves port 443 (else 80 or 8080)
	port     uint16
	mss      uint16
}

type network struct {
	hosts    []host
	external []server
	lan      []server
	gw       server
	dhcp     server
	dns      server
	pubDNS   []server
}

// Vendor prefixes for plausible MAC addresses.
var ouis = [][3]byte{
	{0x3c, 0x22, 0xfb}, {0xf0, 0x18, 0x98}, {0xd4, 0xbe, 0xd9}, {0x00, 0x50, 0x56},
	{0x8c, 0x85, 0x90}, {0x00, 0x1b, 0x21}, {0xa4, 0x83, 0xe7}, {0x48, 0x2a, 0xe3},
	{0x00, 0x0c, 0x29}, {0xb8, 0x27, 0xeb}, {0xdc, 0xa6, 0x32}, {0x70, 0x85, 0xc2},
}

// First octets of public address blocks that servers are drawn from.
var publicFirst = []byte{13, 20, 23, 31, 34, 35, 40, 52, 54, 64, 66, 69, 72, 93, 104, 108,
	140, 142, 151, 157, 162, 185, 199, 204, 209, 216}

var (
	subdomains  = []string{"www", "api", "cdn", "static", "img", "mail", "login", "update", "app", "media", "auth", "docs"}
	domainWords = []string{"example", "contoso", "fabrikam", "acme", "globex", "initech", "umbrella", "hooli",
		"vandelay", "stark", "wayne", "tyrell", "cyberdyne", "soylent", "wonka", "aperture", "massive", "oscorp"}
	tlds      = []string{"com", "net", "org", "io", "example"}
	hostNames = []string{"ws", "laptop", "desk", "dev", "build", "printer", "phone", "mac"}
)

func newNetwork(rng *rand.Rand, nhosts int) *network {
	n := &network{}
	usedIP := map[[4]byte]bool{}
	usedMAC := map[[6]byte]bool{}
	mac := func() [6]byte {
		for {
			o := ouis[rng.IntN(len(ouis))]
			m := [6]byte{o[0], o[1], o[2], byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32())}
			if !usedMAC[m] {
				usedMAC[m] = true
				return m
			}
		}
	}
	lanServer := func(name string, ip [4]byte, last byte) server {
		s := server{name: name, ip4: ip, mac: mac(), internal: true, rtt: 200_000, gap: 12_000, mss: 1460, port: 80}
		s.ip6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 15: last}
		s.ll6 = linkLocal(s.mac)
		usedIP[ip] = true
		return s
	}
	n.gw = lanServer("gateway", [4]byte{10, 0, 0, 1}, 1)
	n.gw.ll6 = [16]byte{0xfe, 0x80, 15: 1}
	n.dhcp = lanServer("dhcp", [4]byte{10, 0, 0, 2}, 2)
	n.dns = lanServer("ns1", [4]byte{10, 0, 0, 53}, 0x53)
	for i := range 24 {
		s := lanServer(fmt.Sprintf("intranet%d.corp.example", i+1), [4]byte{10, 0, 1, byte(10 + i)}, byte(0x10+i))
		switch i % 3 {
		case 0:
			s.https, s.port = true, 443
		case 1:
			s.port = 8080
		}
		s.rtt = rng.Int64N(800_000) + 150_000
		n.lan = append(n.lan, s)
	}

	for i := range nhosts {
		h := host{mac: mac(), port: uint16(32768 + rng.IntN(28000))}
		for {
			h.ip4 = [4]byte{10, byte(rng.IntN(64)), byte(rng.IntN(256)), byte(1 + rng.IntN(254))}
			if h.ip4[1] == 0 && h.ip4[2] < 2 { // 10.0.0.0/23 is infrastructure
				continue
			}
			if !usedIP[h.ip4] {
				usedIP[h.ip4] = true
				break
			}
		}
		h.name = fmt.Sprintf("%s-%04d", hostNames[rng.IntN(len(hostNames))], i)
		h.win = rng.Float64() < 0.35
		h.v6 = rng.Float64() < 0.3
		h.ll6 = linkLocal(h.mac)
		h.ip6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1}
		for j := 8; j < 16; j++ {
			h.ip6[j] = byte(rng.Uint32())
		}
		n.hosts = append(n.hosts, h)
	}

	names := map[string]bool{}
	for len(n.external) < 400 {
		name := subdomains[rng.IntN(len(subdomains))] + "." + domainWords[rng.IntN(len(domainWords))] + "." + tlds[rng.IntN(len(tlds))]
		if names[name] {
			continue
		}
		names[name] = true
		s := server{name: name, mac: n.gw.mac, mss: 1460}
		s.ip4 = [4]byte{publicFirst[rng.IntN(len(publicFirst))], byte(rng.IntN(256)), byte(rng.IntN(256)), byte(1 + rng.IntN(254))}
		s.ip6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, byte(0x10 + rng.IntN(0xe0)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))}
		s.ip6[14], s.ip6[15] = byte(rng.IntN(256)), byte(1+rng.IntN(255))
		s.hops = uint8(6 + rng.IntN(14))
		s.rtt = int64(4e6 + rng.ExpFloat64()*40e6) // mostly nearby, a long tail
		if s.rtt > 300e6 {
			s.rtt = 300e6
		}
		// Bottleneck bandwidth 20 to 500 Mbit/s: 1514 bytes take 24..600 µs.
		s.gap = 24_000 + rng.Int64N(576_000)
		if rng.Float64() < 0.3 {
			s.mss = []uint16{1400, 1380, 1440, 1360}[rng.IntN(4)]
		}
		s.https = rng.Float64() < 0.75
		s.port = 80
		if s.https {
			s.port = 443
		}
		n.external = append(n.external, s)
	}
	for _, ip := range [][4]byte{{8, 8, 8, 8}, {1, 1, 1, 1}, {9, 9, 9, 9}} {
		s := server{name: "resolver", ip4: ip, mac: n.gw.mac, hops: 9, rtt: int64(8e6 + rng.Int64N(20e6))}
		n.pubDNS = append(n.pubDNS, s)
	}
	return n
}

// linkLocal derives a modified EUI-64 link-local address from a MAC.
func linkLocal(m [6]byte) [16]byte {
	return [16]byte{0xfe, 0x80, 8: m[0] ^ 2, 9: m[1], 10: m[2], 11: 0xff, 12: 0xfe, 13: m[3], 14: m[4], 15: m[5]}
}

// pickHost returns a random LAN host.
func (g *generator) pickHost() *host { return &g.net.hosts[g.rng.IntN(len(g.net.hosts))] }

// pickV6Host returns a random LAN host with IPv6, or nil after a few
// tries (a network configured with very few hosts may have none).
func (g *generator) pickV6Host() *host {
	for range 64 {
		if h := g.pickHost(); h.v6 {
			return h
		}
	}
	return nil
}

// pickServer returns a LAN server (about a quarter of the time) or an
// outside one.
func (g *generator) pickServer() *server {
	if g.chance(0.25) {
		return &g.net.lan[g.rng.IntN(len(g.net.lan))]
	}
	return g.pickExternal()
}

// pickExternal favours some servers, as real traffic concentrates on a few
// popular sites: the index is drawn from a roughly Zipf-like distribution.
func (g *generator) pickExternal() *server {
	n := len(g.net.external)
	f := g.rng.Float64()
	return &g.net.external[int(f*f*f*float64(n))]
}
