package trafficgen_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/trafficgen"
)

func generate(t *testing.T, opts trafficgen.Options) ([]byte, trafficgen.Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := trafficgen.Write(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), st
}

func reader(t *testing.T, b []byte) source.Reader {
	t.Helper()
	r, err := source.NewReader("generated", io.NopCloser(bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tcpStream follows one connection as the engine numbers them.
type tcpStream struct {
	stage     int // 1 SYN, 2 SYN-ACK, 3 handshake complete
	refused   bool
	fin       [2]bool // FIN seen from client, server
	rst       bool
	clientSrc string
	synOpts   bool
}

// TestMix generates a capture, reads it back with the engine, and checks
// what the generator claims: protocol counts, complete handshakes, DHCP
// exchanges, answered queries and echoes.
func TestMix(t *testing.T) {
	const n = 30000
	b, st := generate(t, trafficgen.Options{Packets: n, Seed: 7})
	if st.Packets != n {
		t.Fatalf("Stats.Packets = %d, want %d", st.Packets, n)
	}
	r := reader(t, b)
	defer r.Close()
	if r.Format() != "pcap" {
		t.Errorf("format %q, want pcap", r.Format())
	}

	field := func(name string) *packet.Field {
		f, err := packet.Fields.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	ipCsum := field("ip.checksum.status")
	mss, sackPerm, wscale := field("tcp.options.mss_val"), field("tcp.options.sack_perm"), field("tcp.options.wscale.shift")
	ipSrc, ipv6Src := field("ip.src"), field("ipv6.src")

	var got trafficgen.Stats
	var (
		frames, bytesSeen int
		last              int64
		vals              []packet.Value
		streams           = map[int]*tcpStream{}
		dora              = map[uint32][]layers.DHCPMsgType{}
		dnsOpen           = map[[2]uint16]string{} // (client port, id) -> question
		echoes            = map[[2]uint16]int{}    // (id, seq) -> requests - replies
		icmpTypes         = map[uint8]int{}
		nsna              [2]int
		arpOps            [3]int
	)
	dec := packet.NewDecoder()
	var f source.Frame
	for {
		err := r.Next(&f)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		frames++
		bytesSeen += len(f.Data)
		if f.Time < last {
			t.Fatalf("frame %d: time goes back", frames)
		}
		last = f.Time
		p := dec.Decode(&f)
		p.Complete()
		if p.Malformed != "" {
			t.Fatalf("frame %d: malformed %s: %s", frames, p.Malformed, p.MalformedWhy)
		}
		has := map[packet.ProtoID]bool{}
		for i := range p.Layers {
			if l := &p.Layers[i]; !l.Quoted {
				has[l.Proto] = true
			}
		}
		for id, c := range map[packet.ProtoID]*int{packet.ProtoARP: &got.ARP, packet.ProtoIP: &got.IPv4, packet.ProtoIPv6: &got.IPv6,
			packet.ProtoTCP: &got.TCP, packet.ProtoUDP: &got.UDP, packet.ProtoICMP: &got.ICMP, packet.ProtoICMPv6: &got.ICMPv6,
			packet.ProtoDNS: &got.DNS, packet.ProtoDHCP: &got.DHCP} {
			if has[id] {
				*c++
			}
		}
		if has[packet.ProtoIP] {
			if vals = ipCsum.Values(p, vals[:0]); len(vals) == 0 || vals[0].U != 1 {
				t.Fatalf("frame %d: IPv4 header checksum not good (%v)", frames, vals)
			}
		}

		switch {
		case has[packet.ProtoTCP]:
			l := p.Layer(packet.ProtoTCP)
			flags := p.Data[l.Off+13]
			syn, ack, fin, rst := flags&0x02 != 0, flags&0x10 != 0, flags&0x01 != 0, flags&0x04 != 0
			src := ""
			if vals = ipSrc.Values(p, vals[:0]); len(vals) > 0 {
				src = ipSrc.FormatValue(vals[0])
			} else if vals = ipv6Src.Values(p, vals[:0]); len(vals) > 0 {
				src = ipv6Src.FormatValue(vals[0])
			}
			s := streams[p.TCP.Stream]
			if s == nil {
				if !syn || ack {
					t.Fatalf("frame %d: stream %d does not begin with a SYN", frames, p.TCP.Stream)
				}
				s = &tcpStream{stage: 1, clientSrc: src}
				streams[p.TCP.Stream] = s
				s.synOpts = len(mss.Values(p, vals[:0])) == 1 && len(sackPerm.Values(p, vals[:0])) == 1 && len(wscale.Values(p, vals[:0])) == 1
				continue
			}
			fromClient := src == s.clientSrc
			switch {
			case s.stage == 1 && rst && !fromClient:
				s.refused = true
			case s.stage == 1 && syn && ack && !fromClient && p.TCP.AckRel == 1:
				s.stage = 2
			case s.stage == 2 && ack && !syn && fromClient && p.TCP.SeqRel == 1 && p.TCP.AckRel == 1:
				s.stage = 3
			case s.stage < 3:
				t.Fatalf("frame %d: stream %d: unexpected flags %#x in the handshake (stage %d)", frames, p.TCP.Stream, flags, s.stage)
			}
			if fin {
				if fromClient {
					s.fin[0] = true
				} else {
					s.fin[1] = true
				}
			}
			if rst && s.stage == 3 {
				s.rst = true
			}

		case has[packet.ProtoDHCP]:
			var d layers.DHCPv4
			if err := d.DecodeFromBytes(p.Layer(packet.ProtoDHCP).Bytes(p), gopacket.NilDecodeFeedback); err != nil {
				t.Fatalf("frame %d: DHCP: %v", frames, err)
			}
			opts := map[layers.DHCPOpt][]byte{}
			for _, o := range d.Options {
				opts[o.Type] = o.Data
			}
			mt := layers.DHCPMsgType(opts[layers.DHCPOptMessageType][0])
			want := map[layers.DHCPMsgType][]layers.DHCPOpt{
				layers.DHCPMsgTypeDiscover: {61, 12, 55},
				layers.DHCPMsgTypeOffer:    {54, 51, 1, 3, 6},
				layers.DHCPMsgTypeRequest:  {50, 54, 61, 12, 55},
				layers.DHCPMsgTypeAck:      {54, 51, 1, 3, 6},
			}[mt]
			for _, o := range want {
				if opts[o] == nil {
					t.Errorf("frame %d: DHCP %v lacks option %d", frames, mt, o)
				}
			}
			dora[d.Xid] = append(dora[d.Xid], mt)

		case has[packet.ProtoDNS]:
			l := p.Layer(packet.ProtoDNS)
			var d layers.DNS
			if err := d.DecodeFromBytes(l.Bytes(p), gopacket.NilDecodeFeedback); err != nil {
				t.Fatalf("frame %d: DNS: %v", frames, err)
			}
			u := p.Layer(packet.ProtoUDP)
			sp, dp := binary.BigEndian.Uint16(p.Data[u.Off:]), binary.BigEndian.Uint16(p.Data[u.Off+2:])
			q := string(d.Questions[0].Name) + "/" + d.Questions[0].Type.String()
			if !d.QR {
				dnsOpen[[2]uint16{sp, d.ID}] = q
				break
			}
			k := [2]uint16{dp, d.ID}
			if dnsOpen[k] != q {
				t.Fatalf("frame %d: DNS response %#x for %s answers no open query", frames, d.ID, q)
			}
			delete(dnsOpen, k)
			got.DNSQueries++
			switch {
			case d.ResponseCode == layers.DNSResponseCodeNXDomain:
				got.DNSNXDomain++
			case len(d.Answers) > 0 && d.Answers[0].Type == layers.DNSTypeCNAME:
				got.DNSCNAME++
			}

		case has[packet.ProtoARP]:
			l := p.Layer(packet.ProtoARP)
			op := binary.BigEndian.Uint16(p.Data[l.Off+6:])
			if op == 1 && bytes.Equal(p.Data[l.Off+14:l.Off+18], p.Data[l.Off+24:l.Off+28]) {
				got.ARPGratuitous++
			} else {
				arpOps[op]++
			}

		case has[packet.ProtoICMP]:
			l := p.Layer(packet.ProtoICMP)
			typ := p.Data[l.Off]
			icmpTypes[typ]++
			key := [2]uint16{binary.BigEndian.Uint16(p.Data[l.Off+4:]), binary.BigEndian.Uint16(p.Data[l.Off+6:])}
			switch typ {
			case 8:
				echoes[key]++
			case 0:
				echoes[key]--
			case 3:
				// The error quotes the offending datagram's IP and UDP headers.
				var quotedUDP bool
				for i := range p.Layers {
					if p.Layers[i].Proto == packet.ProtoUDP && p.Layers[i].Quoted {
						quotedUDP = true
					}
				}
				if !quotedUDP {
					t.Errorf("frame %d: destination unreachable quotes no UDP datagram", frames)
				}
			}

		case has[packet.ProtoICMPv6]:
			l := p.Layer(packet.ProtoICMPv6)
			switch p.Data[l.Off] {
			case 128:
				got.Pings6++
			case 135:
				nsna[0]++
			case 136:
				nsna[1]++
			}
		}
	}

	if frames != n || bytesSeen != int(st.Bytes) {
		t.Errorf("read %d frames, %d bytes; generator wrote %d, %d", frames, bytesSeen, n, st.Bytes)
	}
	if first := time.Unix(0, 0); !st.First.After(first) || st.Last.Before(st.First) {
		t.Errorf("bad time range %v..%v", st.First, st.Last)
	}
	t.Logf("%+v", st)
	check := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: counted %d, generator says %d", what, got, want)
		}
		if want == 0 {
			t.Errorf("%s: none generated", what)
		}
	}
	check("ARP packets", got.ARP, st.ARP)
	check("IPv4 packets", got.IPv4, st.IPv4)
	check("IPv6 packets", got.IPv6, st.IPv6)
	check("TCP packets", got.TCP, st.TCP)
	check("UDP packets", got.UDP, st.UDP)
	check("ICMP packets", got.ICMP, st.ICMP)
	check("ICMPv6 packets", got.ICMPv6, st.ICMPv6)
	check("DNS packets", got.DNS, st.DNS)
	check("DHCP packets", got.DHCP, st.DHCP)
	if got.ARP+got.IPv4+got.IPv6 != n {
		t.Errorf("%d frames are neither ARP, IPv4 nor IPv6", n-got.ARP-got.IPv4-got.IPv6)
	}

	var complete, refused, closed, resets, withOpts int
	for _, s := range streams {
		switch {
		case s.refused:
			refused++
		case s.stage == 3:
			complete++
			if s.fin[0] && s.fin[1] || s.rst {
				closed++
			}
			if s.rst {
				resets++
			}
		}
		if s.synOpts {
			withOpts++
		}
	}
	check("TCP connections", len(streams), st.TCPConns)
	check("TCP refused", refused, st.TCPRefused)
	check("complete handshakes", complete, st.TCPConns-st.TCPRefused)
	check("connections closed by FIN or RST", closed, complete)
	check("connections reset", resets, st.TCPResets)
	check("SYNs with MSS, SACK permitted and window scale", withOpts, st.TCPConns)

	var doras int
	for xid, ms := range dora {
		want := []layers.DHCPMsgType{layers.DHCPMsgTypeDiscover, layers.DHCPMsgTypeOffer, layers.DHCPMsgTypeRequest, layers.DHCPMsgTypeAck}
		if len(ms) != 4 || ms[0] != want[0] || ms[1] != want[1] || ms[2] != want[2] || ms[3] != want[3] {
			t.Errorf("DHCP xid %#x: messages %v, want DISCOVER, OFFER, REQUEST, ACK", xid, ms)
			continue
		}
		doras++
	}
	check("DHCP exchanges", doras, st.DHCPExchanges)

	if len(dnsOpen) != 0 {
		t.Errorf("%d DNS queries unanswered", len(dnsOpen))
	}
	check("DNS queries", got.DNSQueries, st.DNSQueries)
	check("DNS NXDOMAIN", got.DNSNXDomain, st.DNSNXDomain)
	check("DNS CNAME answers", got.DNSCNAME, st.DNSCNAME)

	check("ARP requests", arpOps[1], st.ARPRequests)
	check("ARP replies", arpOps[2], st.ARPRequests)
	check("gratuitous ARP", got.ARPGratuitous, st.ARPGratuitous)
	for k, v := range echoes {
		if v != 0 {
			t.Errorf("ICMP echo id %#x seq %d: %d requests more than replies", k[0], k[1], v)
		}
	}
	check("ICMP echo requests", icmpTypes[8], st.Pings)
	check("ICMP echo replies", icmpTypes[0], st.Pings)
	check("ICMP destination unreachable", icmpTypes[3], st.Unreachables)
	check("ICMPv6 echo requests", got.Pings6, st.Pings6)
	check("ICMPv6 neighbour solicitations", nsna[0], st.NeighborSolic)
	check("ICMPv6 neighbour advertisements", nsna[1], st.NeighborSolic)
	if st.TCPv6 == 0 {
		t.Error("no TCP over IPv6")
	}
}

// TestDeterministic checks that a seed fixes the output.
func TestDeterministic(t *testing.T) {
	a, _ := generate(t, trafficgen.Options{Packets: 3000, Seed: 42})
	b, _ := generate(t, trafficgen.Options{Packets: 3000, Seed: 42})
	c, _ := generate(t, trafficgen.Options{Packets: 3000, Seed: 43})
	if !bytes.Equal(a, b) {
		t.Error("equal seeds gave different captures")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same capture")
	}
}

// TestExactCount checks tiny budgets, where conversations must shrink to
// fit.
func TestExactCount(t *testing.T) {
	for n := 1; n <= 40; n++ {
		b, st := generate(t, trafficgen.Options{Packets: n, Seed: int64(n)})
		r := reader(t, b)
		var f source.Frame
		k := 0
		for r.Next(&f) == nil {
			k++
		}
		if k != n || st.Packets != n {
			t.Errorf("asked for %d packets: read %d, Stats say %d", n, k, st.Packets)
		}
	}
	if _, err := trafficgen.Write(io.Discard, trafficgen.Options{}); err == nil {
		t.Error("zero packets accepted")
	}
}

// TestResolution checks microsecond and nanosecond timestamps.
func TestResolution(t *testing.T) {
	for _, nano := range []bool{false, true} {
		b, st := generate(t, trafficgen.Options{Packets: 500, Seed: 3, Nanosecond: nano})
		r := reader(t, b)
		var f source.Frame
		subMicro := 0
		for r.Next(&f) == nil {
			if f.Time%1000 != 0 {
				subMicro++
			}
		}
		if f.Time != st.Last.UnixNano() {
			t.Errorf("nano=%v: last packet at %d, Stats say %d", nano, f.Time, st.Last.UnixNano())
		}
		if nano != (subMicro > 0) {
			t.Errorf("nano=%v: %d of 500 timestamps have sub-microsecond parts", nano, subMicro)
		}
	}
}

func TestCached(t *testing.T) {
	a, err := trafficgen.Cached(200, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := trafficgen.Cached(200, 7)
	if err != nil || a != b {
		t.Fatalf("second call: %q, %v; want %q", b, err, a)
	}
	fi, err := os.Stat(a)
	if err != nil || fi.Size() == 0 {
		t.Fatalf("cached capture missing or empty: %v", err)
	}
}
