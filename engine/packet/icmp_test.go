package packet

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/tsharktest"
)

// The tests of this file and igmp_test.go decode real captures and compare
// every field of a protocol, packet by packet and occurrence by occurrence,
// with what tshark prints for the same file (-T fields, all occurrences
// joined by ','), and the Info column with tshark's one-pass Info.

const msgSharedDir = "../../../shared"

// msgAllow explains a difference with tshark that the test accepts: file is
// a glob on the capture's path below msgSharedDir, field a glob on the field
// name ("_ws.col.Info" for the Info column), frames nil for every frame.
type msgAllow struct {
	file, field string
	frames      []int
	reason      string
}

func (a *msgAllow) covers(file, field string, frame int) bool {
	if ok, _ := filepath.Match(a.file, file); !ok {
		return false
	}
	if ok, _ := filepath.Match(a.field, field); !ok {
		return false
	}
	if a.frames == nil {
		return true
	}
	for _, f := range a.frames {
		if f == frame {
			return true
		}
	}
	return false
}

// msgInfoNormal removes from tshark's Info what a single pass over the
// capture adds from other frames: the request/response matching of echo
// messages, which is per-capture state outside the packet decoder.
var msgInfoNormal = regexp.MustCompile(` \((request|reply) in \d+\)$`)

// msgMalformedSuffix is the exception text tshark appends to the Info of a
// damaged packet; the packet list adds it from Packet.Malformed, not from
// the protocol's Info function.
var msgMalformedSuffix = regexp.MustCompile(`(\[(Malformed Packet|Packet size limited during capture)[^\]]*\])+$`)

type msgCompare struct {
	protos []string // protocols whose fields are compared
	files  []string // captures, relative to msgSharedDir
	allow  []msgAllow
	// column gives the Protocol column when it is not the protocol's Short.
	column func(p *Packet, l *Layer) string
}

type msgTally struct {
	mu                              sync.Mutex
	values, equal, allowed, failing int
	infos, infoEqual                int
	used                            map[int]bool
}

func msgTsharkPath(t *testing.T) string { return tsharktest.Path(t) }

// msgRunTshark returns tshark's table for file: one row per frame, one cell
// per field.
func msgRunTshark(t *testing.T, bin, file string, fields []string) [][]string {
	rows, err := tsharktest.Fields(bin, file, fields)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// msgInfoLayer returns the layer whose Info the packet list shows when it is
// one of protos: the last unquoted layer carrying a message.
func msgInfoLayer(p *Packet, protos map[ProtoID]bool) *Layer {
	for i := len(p.Layers) - 1; i >= 0; i-- {
		l := &p.Layers[i]
		if l.Quoted || l.Proto == ProtoData || l.Proto == ProtoMalformed {
			continue
		}
		if protos[l.Proto] {
			return l
		}
		return nil
	}
	return nil
}

func (c *msgCompare) run(t *testing.T) {
	bin := msgTsharkPath(t)
	ids := map[ProtoID]bool{}
	var fields []*Field
	for _, name := range c.protos {
		pr := Fields.Proto(name)
		if pr == nil {
			t.Fatalf("protocol %s is not registered", name)
		}
		ids[pr.ID] = true
		fields = append(fields, pr.Fields...)
	}
	names := []string{"_ws.col.Info", "_ws.col.Protocol"}
	for _, f := range fields {
		names = append(names, f.Name)
	}
	tally := &msgTally{used: map[int]bool{}}
	// The captures are compared in parallel; the group returns when all
	// are done.
	t.Run("captures", func(t *testing.T) {
		for _, file := range c.files {
			name := file
			if filepath.IsAbs(file) {
				name = "synthetic/" + filepath.Base(file)
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				c.compareFile(t, bin, name, file, fields, names, ids, tally)
			})
		}
	})
	t.Logf("%d captures: %d field values compared, %d equal, %d allowed, %d failing; Info of %d packets, %d equal",
		len(c.files), tally.values, tally.equal, tally.allowed, tally.failing, tally.infos, tally.infoEqual)
	for i, a := range c.allow {
		if !tally.used[i] {
			t.Errorf("msgAllow-list entry %s %s %v matched nothing: remove it (%s)", a.file, a.field, a.frames, a.reason)
		}
	}
}

func (c *msgCompare) permitted(tally *msgTally, file, field string, frame int) bool {
	for i := range c.allow {
		if c.allow[i].covers(file, field, frame) {
			tally.used[i] = true
			return true
		}
	}
	return false
}

func (c *msgCompare) compareFile(t *testing.T, bin, file, path string, fields []*Field, names []string, ids map[ProtoID]bool, tally *msgTally) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(msgSharedDir, path)
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("capture %s is missing: %v", path, err)
	}
	rows := msgRunTshark(t, bin, path, names)
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dec := NewDecoder()
	var fr source.Frame
	failures := 0
	n := 0
	for {
		if err := r.Next(&fr); err != nil {
			if err != io.EOF {
				t.Fatalf("frame %d: %v", n+1, err)
			}
			break
		}
		p := dec.Decode(&fr)
		n++
		if n > len(rows) {
			t.Fatalf("tshark shows %d frames, wirelark reads more", len(rows))
		}
		c.comparePacket(t, p, n, file, rows[n-1], fields, ids, tally, &failures)
	}
	if n != len(rows) {
		t.Errorf("tshark shows %d frames, wirelark read %d", len(rows), n)
	}
	if failures > 20 {
		t.Errorf("%d more differences", failures-20)
	}
}

// comparePacket compares one packet's fields and Info with tshark's row.
func (c *msgCompare) comparePacket(t *testing.T, p *Packet, n int, file string, row []string, fields []*Field, ids map[ProtoID]bool, tally *msgTally, failures *int) {
	tally.mu.Lock()
	defer tally.mu.Unlock()
	var vals []Value
	report := func(field, got, want string) {
		if c.permitted(tally, file, field, n) {
			tally.allowed++
			return
		}
		tally.failing++
		*failures++
		if *failures <= 20 {
			t.Errorf("frame %d %s: wirelark %q, tshark %q", n, field, got, want)
		}
	}
	for i, f := range fields {
		vals = f.Values(p, vals[:0])
		var parts []string
		for _, v := range vals {
			parts = append(parts, f.FormatValue(v))
		}
		got, want := strings.Join(parts, ","), row[i+2]
		if got == "" && want == "" {
			continue
		}
		tally.values++
		if got == want {
			tally.equal++
			continue
		}
		report(f.Name, got, want)
	}
	if l := msgInfoLayer(p, ids); l != nil {
		pr := Fields.ProtoByID(l.Proto)
		got := pr.Info(p, l)
		want := msgMalformedSuffix.ReplaceAllString(msgInfoNormal.ReplaceAllString(row[0], ""), "")
		tally.infos++
		if got == want {
			tally.infoEqual++
		} else {
			report("_ws.col.Info", got, want)
		}
		col := pr.Short
		if c.column != nil {
			col = c.column(p, l)
		}
		if col != row[1] {
			report("_ws.col.Protocol", col, row[1])
		}
	}
}

// icmpFiles are the captures with ICMP messages.
var icmpFiles = []string{
	"corpus/icmp/5-pings.pcap",
	"corpus/icmp/communityid-icmp.pcap",
	"corpus/icmp/icmp-destunreach-ip.pcap",
	"corpus/icmp/icmp-destunreach-no-context.pcap",
	"corpus/icmp/mpls-traceroute.pcap",
	"corpus/malformed/icmp-payload-trunc.pcap",
	"corpus/malformed/ip-bogus-header-len.pcap",
	"corpus/misc/icmp_dot1q.pcap",
	"corpus/misc/linux_dlt_sll2.pcap",
	"corpus/dhcp/dhcp-rfc4388.pcap",
	"corpus/arp/raw_packets.pcap",
	"corpus/ipv4frag/afs.pcap",
	"captures/icmp_ping.pcap",
	"captures/icmp_unreachable.pcap",
	"captures/traceroute.pcap",
	"captures/traceroute_udp.pcap",
	"captures/mixed_office.pcap",
}

var icmpAllow = []msgAllow{}

func TestICMPFieldsMatchTshark(t *testing.T) {
	c := &msgCompare{protos: []string{"icmp"}, files: icmpFiles, allow: icmpAllow}
	c.run(t)
}

// icmpv6Files are the captures with ICMPv6 messages.
var icmpv6Files = []string{
	"corpus/icmp6/communityid-icmp6.pcap",
	"corpus/icmp6/icmp6-nd-options.pcap",
	"corpus/icmp6/icmp6-redirect-hdr-opt.pcap",
	"corpus/icmp6/icmp_nd_dnssl.pcap",
	"corpus/icmp6/icmpv6-ns-nonce.pcap",
	"corpus/icmp6/tcpdump-icmpv6.pcap",
	"corpus/ipv6/ipv6_zero_len_ah.pcap",
	"corpus/ipv6/ipv6-srh-ext-header.pcap",
	"corpus/ipv6/ping6-in-ipv4.pcap",
	"corpus/ipv6/ip6_esp.pcap",
	"corpus/ipv6/communityid-ipv6.pcap",
	"corpus/ipv6/ipv6-hbh-routing0.pcap",
	"corpus/ipv6/ipv6-mobility-dst-opts.pcap",
	"corpus/dns/mdns.pcap",
	"corpus/misc/linux_dlt_sll2.pcap",
	"corpus/misc/Teredo.pcap",
	"captures/ipv6_nd.pcap",
	"captures/ipv6_tcp.pcap",
	"captures/mixed_office.pcap",
}

var icmpv6Allow = []msgAllow{
	{"corpus/misc/Teredo.pcap", "icmpv6.*", []int{6, 7, 30},
		"the decoder does not yet decode Teredo (IPv6 in UDP port 3544), so these ICMPv6 messages are not found"},
}

func TestICMPv6FieldsMatchTshark(t *testing.T) {
	c := &msgCompare{protos: []string{"icmpv6"}, files: icmpv6Files, allow: icmpv6Allow, column: ICMPv6Column}
	c.run(t)
}

// Synthetic packets cover the message types and damaged forms the
// captures lack. They are written to a pcap of raw IP packets (link type
// 101) and compared with tshark like the captures.

// synth is one synthetic frame: the IP packet and how many of its bytes
// were captured (0 for all).
type synth struct {
	pkt     []byte
	capture int
}

// synthTime is the capture time of the first synthetic frame; frame i is
// i seconds later.
const synthTime = 1700000000

// writeSynth writes frames to a pcap file in dir and returns its path.
func writeSynth(t *testing.T, name string, frames []synth) string {
	var b bytes.Buffer
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr, 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 65535)
	binary.LittleEndian.PutUint32(hdr[20:], 101)
	b.Write(hdr)
	for i, f := range frames {
		data := f.pkt
		if f.capture > 0 && f.capture < len(data) {
			data = data[:f.capture]
		}
		rec := make([]byte, 16)
		binary.LittleEndian.PutUint32(rec, uint32(synthTime+i))
		binary.LittleEndian.PutUint32(rec[4:], 250000)
		binary.LittleEndian.PutUint32(rec[8:], uint32(len(data)))
		binary.LittleEndian.PutUint32(rec[12:], uint32(len(f.pkt)))
		b.Write(rec)
		b.Write(data)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func cat8(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func be16(v int) []byte { return []byte{byte(v >> 8), byte(v)} }

func be32(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

func sum16(b []byte) uint32 {
	var s uint32
	for ; len(b) >= 2; b = b[2:] {
		s += uint32(b[0])<<8 | uint32(b[1])
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}

// withChecksum stores the Internet checksum of msg[:n] (all of msg when n
// is 0) at msg[at:].
func withChecksum(msg []byte, at, n int) []byte {
	if n == 0 {
		n = len(msg)
	}
	msg[at], msg[at+1] = 0, 0
	binary.BigEndian.PutUint16(msg[at:], fold(sum16(msg[:n])))
	return msg
}

var (
	synthSrc4 = []byte{192, 0, 2, 1}
	synthDst4 = []byte{198, 51, 100, 7}
	synthSrc6 = []byte{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55}
	synthDst6 = []byte{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
)

// ipv4Pkt wraps payload in an IPv4 header with a valid checksum.
func ipv4Pkt(proto, ttl byte, src, dst, payload []byte) []byte {
	h := cat8([]byte{0x45, 0}, be16(20+len(payload)), []byte{0x12, 0x34, 0, 0, ttl, proto, 0, 0}, src, dst)
	return append(withChecksum(h, 10, 0), payload...)
}

// ipv6Pkt wraps payload in an IPv6 header.
func ipv6Pkt(next, hlim byte, src, dst, payload []byte) []byte {
	return cat8([]byte{0x60, 0, 0, 0}, be16(len(payload)), []byte{next, hlim}, src, dst, payload)
}

// icmp4 builds an ICMP message with a valid checksum.
func icmp4(typ, code byte, rest ...[]byte) []byte {
	return withChecksum(cat8(append([][]byte{{typ, code, 0, 0}}, rest...)...), 2, 0)
}

// icmp6 builds an ICMPv6 message between synthSrc6 and synthDst6 with a
// valid checksum.
func icmp6(typ, code byte, rest ...[]byte) []byte {
	m := cat8(append([][]byte{{typ, code, 0, 0}}, rest...)...)
	ph := cat8(synthSrc6, synthDst6, be32(uint32(len(m))), []byte{0, 0, 0, 58})
	binary.BigEndian.PutUint16(m[2:], fold(sum16(ph)+sum16(m)))
	return m
}

func v4(m []byte) synth { return synth{pkt: ipv4Pkt(1, 64, synthSrc4, synthDst4, m)} }

func v6(m []byte) synth { return synth{pkt: ipv6Pkt(58, 255, synthSrc6, synthDst6, m)} }

func zeros(n int) []byte { return make([]byte, n) }

func fill(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }

// timeval returns the 8 bytes of a timeval for the synthetic frame at
// index i, in either byte order.
func timeval(i int, usec uint32, little bool) []byte {
	b := make([]byte, 8)
	if little {
		binary.LittleEndian.PutUint32(b, uint32(synthTime+i))
		binary.LittleEndian.PutUint32(b[4:], usec)
	} else {
		binary.BigEndian.PutUint32(b, uint32(synthTime+i))
		binary.BigEndian.PutUint32(b[4:], usec)
	}
	return b
}

// quotedUDP4 is an IPv4/UDP datagram as an ICMP error quotes it.
func quotedUDP4() []byte {
	return ipv4Pkt(17, 1, synthDst4, synthSrc4, cat8(be16(40000), be16(33434), be16(16), []byte{0, 0}, fill(8, 'x')))[:28]
}

func icmpSynth() []synth {
	q := quotedUDP4()
	var f []synth
	add := func(s synth) { f = append(f, s) }
	i := func() int { return len(f) }
	add(v4(icmp4(8, 0, be16(0x1234), be16(1), timeval(i(), 5000, false), fill(16, 'a'))))
	add(v4(icmp4(0, 0, be16(0x1234), be16(1), timeval(i(), 5000, true), fill(16, 'a'))))
	add(v4(icmp4(8, 0, be16(7), be16(0x0102), timeval(i(), 2000000, true), fill(8, 'b'))))
	add(v4(icmp4(8, 0, be16(7), be16(3), fill(7, 'c'))))
	add(v4(icmp4(3, 4, []byte{0, 0}, be16(1400), q)))
	add(v4(icmp4(3, 4, []byte{0, 7}, be16(1280), q)))
	add(v4(icmp4(3, 1, []byte{0, 7, 0, 0}, q)))
	add(v4(icmp4(3, 99, zeros(4), q)))
	add(v4(icmp4(4, 0, zeros(4), q)))
	add(v4(icmp4(5, 1, []byte{10, 0, 0, 254}, q)))
	add(v4(icmp4(5, 9, []byte{10, 0, 0, 254}, q)))
	add(v4(icmp4(11, 1, []byte{0, 7, 0, 0}, q)))
	add(v4(icmp4(12, 0, []byte{20, 0, 0, 0}, q)))
	add(v4(icmp4(12, 2, []byte{20, 7, 0, 0}, q)))
	add(v4(icmp4(9, 0, []byte{2, 2}, be16(1800), []byte{10, 0, 0, 1}, be32(0), []byte{10, 0, 0, 2}, be32(0xffffff00))))
	add(v4(icmp4(9, 16, []byte{1, 2}, be16(600), []byte{10, 0, 0, 1}, be32(5))))
	add(v4(icmp4(9, 3, []byte{1, 3}, be16(600), zeros(12))))
	add(v4(icmp4(10, 0, zeros(4))))
	add(v4(icmp4(13, 0, be16(9), be16(1), be32(3600000), be32(0), be32(0))))
	add(v4(icmp4(14, 0, be16(9), be16(1), be32(3600000), be32(3600500), be32(3600501))))
	add(v4(icmp4(17, 0, be16(3), be16(4), zeros(4))))
	add(v4(icmp4(18, 0, be16(3), be16(4), []byte{255, 255, 255, 0})))
	add(v4(icmp4(15, 0, be16(5), be16(6))))
	add(v4(icmp4(42, 0, be16(5), []byte{1, 1}, fill(8, 0))))
	add(v4(icmp4(99, 3, zeros(12))))
	add(v4(icmp4(40, 4, zeros(4))))
	bad := icmp4(8, 0, be16(1), be16(2), fill(8, 'z'))
	bad[2] ^= 0xff
	add(v4(bad))
	tr := v4(icmp4(8, 0, be16(1), be16(2), fill(32, 'z')))
	tr.capture = 20 + 7
	add(tr)
	tr = v4(icmp4(0, 0, be16(1), be16(2), fill(32, 'z')))
	tr.capture = 20 + 5
	add(tr)
	tr = v4(icmp4(8, 0, be16(1), be16(2), fill(32, 'z')))
	tr.capture = 20 + 20
	add(tr)
	// An ICMP error quoting an echo request, and one quoting an error.
	add(v4(icmp4(11, 0, zeros(4), ipv4Pkt(1, 1, synthDst4, synthSrc4, icmp4(8, 0, be16(77), be16(5), timeval(i(), 10, true), fill(20, 'e'))))))
	add(v4(icmp4(3, 3, zeros(4), ipv4Pkt(1, 1, synthDst4, synthSrc4, icmp4(3, 1, zeros(4), q)))))
	// RFC 4950 MPLS label stacks after 128 bytes of quoted datagram.
	quote128 := append(append([]byte(nil), q...), zeros(128-len(q))...)
	ext := func(sum bool, objs ...[]byte) []byte {
		e := cat8(append([][]byte{{0x20, 0, 0, 0}}, objs...)...)
		if sum {
			e = withChecksum(e, 2, 0)
		}
		return e
	}
	labels := cat8(be16(16), []byte{1, 1}, []byte{0x01, 0x86, 0xa0 | 0x04, 1}, []byte{0x00, 0x01, 0x21, 254}, []byte{9, 9, 9, 9})
	add(v4(icmp4(11, 0, zeros(4), quote128, ext(true, labels, cat8(be16(8), []byte{0, 1}, fill(4, 0x42)), cat8(be16(6), []byte{9, 3}, []byte{1, 2})))))
	add(v4(icmp4(3, 3, zeros(4), quote128, ext(false, cat8(be16(8), []byte{1, 2}, fill(4, 0x43)), cat8(be16(12), []byte{2, 0x0a}, fill(8, 1))))))
	bext := v4(icmp4(11, 0, zeros(4), quote128, ext(true, labels)))
	bext.pkt[len(bext.pkt)-1] ^= 0x10
	add(bext)
	return f
}

func TestICMPSyntheticMatchTshark(t *testing.T) {
	msgTsharkPath(t)
	path := writeSynth(t, "icmp.pcap", icmpSynth())
	c := &msgCompare{protos: []string{"icmp"}, files: []string{path}}
	c.run(t)
}

// ndOpt builds an ND option: type, length in 8-byte units, body padded.
func ndOpt(typ byte, body ...[]byte) []byte {
	b := cat8(body...)
	n := (2 + len(b) + 7) / 8
	return append([]byte{typ, byte(n)}, append(b, zeros(n*8-2-len(b))...)...)
}

// rawOpt builds an ND option with the length given, whatever its body.
func rawOpt(typ, units byte, body []byte) []byte { return append([]byte{typ, units}, body...) }

// quotedUDP6 is an IPv6/UDP datagram as an ICMPv6 error quotes it.
func quotedUDP6() []byte {
	return ipv6Pkt(17, 1, synthDst6, synthSrc6, cat8(be16(40000), be16(33434), be16(16), []byte{0, 0}, fill(8, 'x')))
}

func icmpv6Synth() []synth {
	var f []synth
	add := func(s synth) { f = append(f, s) }
	mac := []byte{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}
	eui := []byte{0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55}
	target := []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}
	q := quotedUDP6()
	add(v6(icmp6(135, 0, zeros(4), target, ndOpt(1, eui, zeros(6)))))
	add(v6(icmp6(136, 0, be32(0), target, ndOpt(2, eui, zeros(6)))))
	add(v6(icmp6(136, 0, be32(0xa0000000), target, ndOpt(2, mac))))
	add(v6(icmp6(135, 0, zeros(4), target, ndOpt(1, fill(12, 0xab)))))
	add(v6(icmp6(134, 0, []byte{64, 0xd8}, be16(1800), be32(30000), be32(1000),
		ndOpt(24, []byte{0, 0x08}, be32(600)),
		ndOpt(24, []byte{48, 0x18}, be32(700), target[:8]),
		ndOpt(24, []byte{64, 0x10}, be32(800), target),
		ndOpt(5, zeros(2), be32(1280)),
		ndOpt(6, []byte{3}, zeros(5)),
		ndOpt(7, zeros(2), be32(60000)),
		ndOpt(8, zeros(2), be16(10), be16(1800)),
		ndOpt(26, be16(0x8000), zeros(4)),
		ndOpt(200, fill(6, 0x77)),
		ndOpt(3, []byte{64, 0xe0}, be32(0xffffffff), be32(100), zeros(4), target, fill(8, 0x99)),
		ndOpt(1, mac))))
	add(v6(icmp6(133, 0, zeros(4), ndOpt(1, mac), rawOpt(30, 0, zeros(6)), ndOpt(1, mac))))
	add(v6(icmp6(134, 0, []byte{64, 0}, be16(1800), be32(0), be32(0),
		ndOpt(25, zeros(2), be32(300), target, synthSrc6),
		ndOpt(31, zeros(2), be32(300), []byte{7}, []byte("example"), []byte{3}, []byte("com"), []byte{0},
			[]byte{4}, []byte("corp"), []byte{0xc0, 0x06}),
		ndOpt(14, fill(6, 0x5a)),
		ndOpt(37, []byte("https://portal.example/"), zeros(1)))))
	add(v6(icmp6(141, 0, zeros(4), ndOpt(1, mac), ndOpt(9, zeros(6), target, synthSrc6))))
	add(v6(icmp6(137, 0, zeros(4), target, synthSrc6, ndOpt(2, mac), rawOpt(4, byte(1+(len(q[:48])+7)/8), cat8(zeros(6), q[:48])))))
	add(v6(icmp6(130, 0, be16(0x8123), zeros(2), synthDst6, []byte{0x0b, 200}, be16(2), target, synthSrc6)))
	add(v6(icmp6(130, 0, be16(1000), zeros(2), zeros(16))))
	add(v6(icmp6(131, 0, be16(0), zeros(2), synthDst6)))
	add(v6(icmp6(132, 0, be16(0), zeros(2), synthDst6)))
	add(v6(icmp6(143, 0, zeros(2), be16(3),
		[]byte{1, 1}, be16(2), synthDst6, target, synthSrc6, be32(0xdeadbeef),
		[]byte{5, 0}, be16(0), synthDst6,
		[]byte{6, 0}, be16(1), synthDst6, target)))
	add(v6(icmp6(2, 0, be32(1280), q)))
	add(v6(icmp6(4, 1, be32(40), q)))
	add(v6(icmp6(1, 9, zeros(4), q)))
	add(v6(icmp6(3, 5, zeros(4), q)))
	add(v6(icmp6(250, 0, zeros(8))))
	add(v6(icmp6(138, 255, zeros(12))))
	add(v6(icmp6(128, 0, be16(0xbeef), be16(9), fill(24, 'p'))))
	bad := icmp6(129, 0, be16(0xbeef), be16(9), fill(24, 'p'))
	bad[3] ^= 1
	add(v6(bad))
	tr := v6(icmp6(134, 0, []byte{64, 0}, be16(1800), be32(0), be32(0), ndOpt(3, []byte{64, 0xc0}, be32(1), be32(2), zeros(4), target), ndOpt(1, mac)))
	tr.capture = 40 + 16 + 20
	add(tr)
	tr = v6(icmp6(135, 0, zeros(4), target, ndOpt(1, mac)))
	tr.capture = 40 + 20
	add(tr)
	return f
}

func TestICMPv6SyntheticMatchTshark(t *testing.T) {
	msgTsharkPath(t)
	path := writeSynth(t, "icmpv6.pcap", icmpv6Synth())
	c := &msgCompare{protos: []string{"icmpv6"}, files: []string{path}, column: ICMPv6Column, allow: []msgAllow{
		{"synthetic/icmpv6.pcap", "icmpv6.opt.*linkaddr", []int{1, 4},
			"Wireshark registers icmpv6.opt.linkaddr twice, as an Ethernet address for 6-byte link-layer " +
				"addresses and as bytes otherwise; the field is TMAC, so other lengths print with colons"},
	}}
	c.run(t)
}

// Getters of fixed fields must not allocate: they run for every packet
// of a capture in filters and field extraction.
func TestMsgFieldsDoNotAllocate(t *testing.T) {
	cases := []struct {
		file   string
		frame  int
		fields []string
	}{
		{"corpus/icmp/5-pings.pcap", 1, []string{"icmp.type", "icmp.seq", "icmp.ident_le", "icmp.checksum.status", "icmp.data_time"}},
		{"captures/icmp_unreachable.pcap", 12, []string{"icmp.mtu", "icmp.unused", "icmp.type"}},
		{"captures/ipv6_nd.pcap", 6, []string{"icmpv6.type", "icmpv6.checksum.status", "icmpv6.opt.prefix", "icmpv6.opt.rdnss", "icmpv6.opt.linkaddr"}},
		{"captures/ipv6_nd.pcap", 2, []string{"icmpv6.mldr.mar.multicast_address", "icmpv6.mldr.nb_mcast_records"}},
		{"captures/igmp_membership.pcap", 8, []string{"igmp.maddr", "igmp.version", "igmp.record_type", "igmp.checksum.status"}},
	}
	for _, c := range cases {
		path := filepath.Join(msgSharedDir, c.file)
		r, err := source.Open(path)
		if err != nil {
			t.Skipf("capture %s: %v", path, err)
		}
		dec := NewDecoder()
		var fr source.Frame
		var p *Packet
		for i := 0; i < c.frame; i++ {
			if err := r.Next(&fr); err != nil {
				t.Fatalf("%s: frame %d: %v", c.file, i+1, err)
			}
			p = dec.Decode(&fr)
		}
		p.Complete()
		buf := make([]Value, 0, 16)
		for _, name := range c.fields {
			f := Fields.Field(name)
			if n := len(f.Values(p, buf[:0])); n == 0 {
				t.Errorf("%s frame %d: %s has no value", c.file, c.frame, name)
			}
			if a := testing.AllocsPerRun(50, func() { f.Values(p, buf[:0]) }); a != 0 {
				t.Errorf("%s: %s allocates %.0f times per packet", c.file, name, a)
			}
		}
		r.Close()
	}
}

// msgSeeds returns the messages of protocol id found in the captures, for
// fuzzing seeds, each prefixed by a zero byte (no bytes missing).
func msgSeeds(tb testing.TB, id ProtoID, files ...string) [][]byte {
	var seeds [][]byte
	for _, file := range files {
		r, err := source.Open(filepath.Join(msgSharedDir, file))
		if err != nil {
			continue
		}
		dec := NewDecoder()
		var fr source.Frame
		for r.Next(&fr) == nil {
			p := dec.Decode(&fr)
			p.Complete()
			for i := range p.Layers {
				if l := &p.Layers[i]; l.Proto == id {
					seeds = append(seeds, append([]byte{0}, msgBytes(p, l)...))
				}
			}
		}
		r.Close()
	}
	return seeds
}

// fuzzMessage decodes data[1:] as a message of an IP packet claiming
// data[0] more bytes than were captured, and reads every field of the
// protocol and its Info: none may panic.
func fuzzMessage(t *testing.T, data []byte, v6 bool, proto byte, name string) {
	if len(data) == 0 {
		return
	}
	missing, msg := int(data[0]), data[1:]
	var pkt []byte
	if v6 {
		pkt = ipv6Pkt(proto, 64, synthSrc6, synthDst6, msg)
		binary.BigEndian.PutUint16(pkt[4:], uint16(len(msg)+missing))
	} else {
		pkt = ipv4Pkt(proto, 64, synthSrc4, synthDst4, msg)
		binary.BigEndian.PutUint16(pkt[2:], uint16(20+len(msg)+missing))
	}
	p := Decode(pkt, 101)
	p.Complete()
	pr := Fields.Proto(name)
	var vals []Value
	for i := range p.Layers {
		l := &p.Layers[i]
		if l.Proto != pr.ID {
			continue
		}
		for _, f := range pr.Fields {
			vals = f.Get(p, l, vals[:0])
			for _, v := range vals {
				f.AppendValue(nil, v)
			}
		}
		pr.Info(p, l)
		IGMPColumn(p, l)
		ICMPv6Column(p, l)
	}
}

func FuzzICMPMessage(f *testing.F) {
	for _, s := range msgSeeds(f, ProtoICMP, "captures/icmp_unreachable.pcap", "captures/traceroute.pcap", "corpus/icmp/mpls-traceroute.pcap") {
		f.Add(s)
	}
	for _, s := range icmpSynth() {
		f.Add(append([]byte{0}, s.pkt[20:]...))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzMessage(t, data, false, 1, "icmp") })
}

func FuzzICMPv6Options(f *testing.F) {
	for _, s := range msgSeeds(f, ProtoICMPv6, "captures/ipv6_nd.pcap", "corpus/icmp6/icmp6-nd-options.pcap",
		"corpus/icmp6/tcpdump-icmpv6.pcap", "corpus/icmp6/icmp_nd_dnssl.pcap", "corpus/icmp6/icmp6-redirect-hdr-opt.pcap") {
		f.Add(s)
	}
	for _, s := range icmpv6Synth() {
		f.Add(append([]byte{0}, s.pkt[40:]...))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzMessage(t, data, true, 58, "icmpv6") })
}

// TestQuotedMessageLayers checks that a DNS message inside the datagram an
// ICMPv6 error quotes is a quoted layer, like the headers around it, so
// that the Info column is the error's, as tshark shows it.
func TestQuotedMessageLayers(t *testing.T) {
	r, err := source.Open(filepath.Join(ddSharedRoot, "corpus/icmp6/communityid-icmp6.pcap"))
	if err != nil {
		t.Skipf("shared capture: %v", err)
	}
	defer r.Close()
	d := NewDecoder()
	var f source.Frame
	for r.Next(&f) == nil {
		p := d.Decode(&f)
		if p.Num != 35 {
			continue
		}
		p.Complete()
		found := false
		for _, l := range p.Layers {
			if l.Proto == ProtoDNS {
				found = true
				if !l.Quoted {
					t.Errorf("frame 35: the quoted DNS query is not marked quoted")
				}
			}
		}
		if !found {
			t.Errorf("frame 35: no DNS layer in the quoted datagram (tshark shows one)")
		}
		return
	}
	t.Fatal("frame 35 not found")
}
