package packet

import (
	"bytes"
	"html"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/tsharktest"
)

// The helpers shared by the DNS and DHCP tests carry the prefix dd.

// ddSharedRoot is ../shared beside the repository, seen from this package.
const ddSharedRoot = "../../../shared"

// ddInfoField names the Info column in allow-lists, ddMalformedField the
// verdict that a message is malformed.
const (
	ddInfoField      = "#info"
	ddMalformedField = "#malformed"
)

// ddMalformedNames are the names tshark's malformed note gives the
// protocols; ddMalformed the verdicts wirelark gives.
var (
	ddMalformedNames = map[ProtoID]string{ProtoDNS: "DNS", ProtoMDNS: "MDNS", ProtoLLMNR: "LLMNR", ProtoDHCP: "DHCP/BOOTP"}
	ddMalformed      = map[ProtoID]func(*Packet, *Layer) string{ProtoDNS: dnsMalformed, ProtoMDNS: dnsMalformed,
		ProtoLLMNR: dnsMalformed, ProtoDHCP: dhcpMalformed}
)

// ddAllow accepts a difference between wirelark and tshark: in files
// matching file (a path.Match pattern on the path below ddSharedRoot, or
// "*" for all), for fields matching field, in the listed frames (nil:
// every frame), and when same is set only if same(tshark, wirelark)
// holds.
type ddAllow struct {
	file, field string
	frames      []int
	reason      string
	same        func(tshark, wirelark string) bool
}

func (a *ddAllow) covers(file, field string, frame int, want, got string) bool {
	if a.same != nil && !a.same(want, got) {
		return false
	}
	if ok, _ := path.Match(a.file, file); !ok && a.file != "*" {
		return false
	}
	if ok, _ := path.Match(a.field, field); !ok {
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

// ddCompare decodes every capture in files and compares, frame by
// frame, every field in fields, the Info text of protos' layers and the
// verdict that they are malformed with what tshark prints. Differences
// not covered by allow fail the test.
func ddCompare(t *testing.T, files []string, fields []*Field, protos []ProtoID, allow []ddAllow) {
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed: the DNS/DHCP fields cannot be compared with Wireshark's")
	}
	if _, err := os.Stat(ddSharedRoot); err != nil {
		t.Skipf("shared captures not found at %s: %v", ddSharedRoot, err)
	}
	used := make([]int, len(allow))
	var compared, equal, allowed, failed int
	perField := map[string][2]int{} // compared, differing
	for _, rel := range files {
		full := rel
		if !filepath.IsAbs(rel) {
			full = filepath.Join(ddSharedRoot, rel)
		}
		ref, err := ddRunTshark(bin, full, fields)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		r, err := source.Open(full)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		dec := NewDecoder()
		var fr source.Frame
		var vals []Value
		var buf []byte
		frame := 0
		shown := map[string]int{}
		check := func(field, want, got string) {
			compared++
			c := perField[field]
			c[0]++
			if want == got {
				equal++
				perField[field] = c
				return
			}
			c[1]++
			perField[field] = c
			for i := range allow {
				if allow[i].covers(rel, field, frame, want, got) {
					used[i]++
					allowed++
					return
				}
			}
			failed++
			if shown[field]++; shown[field] <= 5 {
				t.Errorf("%s frame %d %s:\n tshark:   %q\n wirelark: %q", rel, frame, field, want, got)
			}
		}
		for {
			err := r.Next(&fr)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				break
			}
			frame++
			p := dec.Decode(&fr)
			if frame > len(ref) {
				t.Errorf("%s: tshark printed %d rows, the capture has more frames", rel, len(ref))
				break
			}
			row := ref[frame-1]
			for i, f := range fields {
				vals = f.Values(p, vals[:0])
				buf = buf[:0]
				for j, v := range vals {
					if j > 0 {
						buf = append(buf, ',')
					}
					buf = f.AppendValue(buf, v)
				}
				if row[i+2] == "" && len(vals) == 0 {
					continue
				}
				check(f.Name, row[i+2], string(buf))
			}
			// The malformed verdict: tshark's note names the protocol.
			wantBad, gotBad := "", ""
			for _, id := range protos {
				if name := ddMalformedNames[id]; name != "" && strings.Contains(row[1], "[Malformed Packet: "+name+"]") {
					wantBad = "malformed"
				}
			}
			var info string
			has := false
			for i := range p.Layers {
				l := &p.Layers[i]
				for _, id := range protos {
					if l.Proto == id {
						if pr := Fields.ProtoByID(id); pr.Info != nil {
							info = pr.Info(p, l)
							has = true
						}
						if ddMalformed[id](p, l) != "" {
							gotBad = "malformed"
						}
					}
				}
			}
			if wantBad != "" || gotBad != "" {
				check(ddMalformedField, wantBad, gotBad)
			}
			if has || ddInfoIsOurs(row[0], protos) {
				check(ddInfoField, ddTrimInfo(row[0]), info)
			}
		}
		r.Close()
		if frame != len(ref) {
			t.Errorf("%s: %d frames decoded, tshark printed %d rows", rel, frame, len(ref))
		}
	}
	names := make([]string, 0, len(perField))
	for n := range perField {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if c := perField[n]; c[1] > 0 {
			t.Logf("%-45s %6d compared, %4d differ", n, c[0], c[1])
		}
	}
	for i, n := range used {
		if n == 0 {
			t.Logf("allow-list entry not needed: %s %s %v (%s)", allow[i].file, allow[i].field, allow[i].frames, allow[i].reason)
		} else {
			t.Logf("allowed %d differences: %s %s %v (%s)", n, allow[i].file, allow[i].field, allow[i].frames, allow[i].reason)
		}
	}
	t.Logf("%d fields over %d files: %d values compared, %d equal, %d differences allowed, %d failing",
		len(fields), len(files), compared, equal, allowed, failed)
}

// ddCompareNodes compares the tree titles of the protocols' layers with
// the names tshark gives their protocol items; frames that skip covers
// are not compared.
func ddCompareNodes(t *testing.T, files []string, protos map[ProtoID]string, skip ...ddAllow) {
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed: the tree titles cannot be compared with Wireshark's")
	}
	var filter []string
	for _, name := range protos {
		filter = append(filter, name)
	}
	compared := 0
	for _, rel := range files {
		full := rel
		if !filepath.IsAbs(rel) {
			full = filepath.Join(ddSharedRoot, rel)
		}
		out, err := exec.Command(bin, "-r", full, "-Y", strings.Join(filter, " or "), "-T", "pdml").Output()
		if err != nil {
			t.Errorf("%s: tshark: %v", rel, err)
			continue
		}
		// Per frame, the titles of the protocols' items, in order.
		want := map[int][]string{}
		frame := 0
		for _, line := range strings.Split(string(out), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, `<field name="num"`) {
				frame, _ = strconv.Atoi(ddAttr(line, "show"))
			}
			if strings.HasPrefix(line, "<proto ") {
				for _, name := range protos {
					if ddAttr(line, "name") == name {
						want[frame] = append(want[frame], html.UnescapeString(ddAttr(line, "showname")))
					}
				}
			}
		}
		r, err := source.Open(full)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		dec := NewDecoder()
		var fr source.Frame
		for n := 1; r.Next(&fr) == nil; n++ {
			p := dec.Decode(&fr)
			p.Complete()
			var got []string
			for i := range p.Layers {
				l := &p.Layers[i]
				if _, ok := protos[l.Proto]; ok {
					got = append(got, Fields.ProtoByID(l.Proto).Node(p, l))
				}
			}
			if len(want[n]) == 0 && len(got) == 0 {
				continue
			}
			skipped := false
			for _, a := range skip {
				skipped = skipped || a.covers(rel, "#node", n, "", "")
			}
			if skipped {
				continue
			}
			compared++
			if strings.Join(got, "|") != strings.Join(want[n], "|") {
				t.Errorf("%s frame %d tree title:\n tshark:   %q\n wirelark: %q", rel, n, want[n], got)
			}
		}
		r.Close()
	}
	t.Logf("%d tree titles compared", compared)
}

// ddAttr returns the value of attribute name in a PDML line.
func ddAttr(line, name string) string {
	i := strings.Index(line, " "+name+"=\"")
	if i < 0 {
		return ""
	}
	v := line[i+len(name)+3:]
	if j := strings.IndexByte(v, '"'); j >= 0 {
		return v[:j]
	}
	return ""
}

// ddRunTshark returns, for each frame, the Info column, tshark's
// malformed-packet note, then the fields.
func ddRunTshark(bin, file string, fields []*Field) ([][]string, error) {
	names := []string{"_ws.col.Info", "_ws.malformed"}
	for _, f := range fields {
		names = append(names, f.Name)
	}
	return tsharktest.Fields(bin, file, names)
}

// ddTrimInfo drops the notes tshark appends to a damaged frame's
// Info, and the TCP analysis notes it puts before it: they come from the
// frame and from TCP, not from the protocol.
func ddTrimInfo(s string) string {
	for strings.HasPrefix(s, "[TCP ") {
		i := strings.Index(s, "] ")
		if i < 0 {
			break
		}
		s = s[i+2:]
	}
	for _, suf := range []string{"[Malformed Packet]", "[Packet size limited during capture]"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}

func ddInfoIsOurs(info string, protos []ProtoID) bool {
	for _, id := range protos {
		switch id {
		case ProtoDNS, ProtoMDNS, ProtoLLMNR:
			if strings.HasPrefix(info, "Standard query") {
				return true
			}
		case ProtoDHCP:
			if strings.HasPrefix(info, "DHCP ") || strings.HasPrefix(info, "Boot ") {
				return true
			}
		}
	}
	return false
}

// ddRegistered returns the registered fields of a protocol.
func ddRegistered(name string) []*Field {
	var out []*Field
	for _, f := range Fields.All() {
		if f.Proto.Name == name {
			out = append(out, f)
		}
	}
	return out
}

var dnsCaptures = []string{
	"corpus/dns/dns-edns-ecs.pcap",
	"corpus/dns/dns-https.pcap",
	"corpus/dns/dns_tcp.pcap",
	"corpus/dns/gopacket-test_dns.pcap",
	"corpus/dns/long-connection.pcap",
	"corpus/dns/mdns.pcap",
	"corpus/dns/naptr.pcap",
	"corpus/dns/wikipedia-filtered-plus-udp.pcap",
	"captures/dns_queries.pcap",
	"captures/mixed_office.pcap",
}

// dnsAllow lists the differences from tshark that are understood.
var dnsAllow = []ddAllow{
	{file: "*", field: "dns.rr.udp_payload_size", same: func(tshark, wirelark string) bool {
		u, err := strconv.ParseUint(strings.TrimPrefix(tshark, "0x"), 16, 16)
		return err == nil && strconv.FormatUint(u, 10) == wirelark
	}, reason: "mDNS OPT records: Wireshark declares dns.rr.udp_payload_size twice, hexadecimal for mDNS; a wirelark field has one base (decimal, as for DNS)"},
	ddMissing,
}

// ddMissing accepts tshark's <MISSING> for an empty byte string.
var ddMissing = ddAllow{file: "*", field: "*", same: ddSameMissing,
	reason: "tshark prints an empty byte string as <MISSING>, Field.AppendValue prints nothing (value.go)"}

// ddSameMissing reports whether the values differ only in tshark's
// <MISSING> for empty byte strings.
func ddSameMissing(tshark, wirelark string) bool {
	ts, ws := strings.Split(tshark, ","), strings.Split(wirelark, ",")
	if len(ts) != len(ws) {
		return false
	}
	for i := range ts {
		if ts[i] != ws[i] && !(ts[i] == "<MISSING>" && ws[i] == "") {
			return false
		}
	}
	return true
}

func TestDNSAgainstTshark(t *testing.T) {
	ddCompare(t, dnsCaptures, ddRegistered("dns"), []ProtoID{ProtoDNS, ProtoMDNS, ProtoLLMNR}, dnsAllow)
}

var dnsProtoNames = map[ProtoID]string{ProtoDNS: "dns", ProtoMDNS: "mdns", ProtoLLMNR: "llmnr"}

func TestDNSTreeTitles(t *testing.T) {
	ddCompareNodes(t, dnsCaptures, dnsProtoNames)
}

// TestDNSFieldDefinitions checks every registered dns field against the
// type, base and bit mask Wireshark declares for it.
func TestDNSFieldDefinitions(t *testing.T) {
	ddCheckFieldDefs(t, "dns")
}

// ddDefExceptions are fields Wireshark declares twice under one name;
// tshark -G lists one of the two.
var ddDefExceptions = map[string]string{
	"dns.rr.udp_payload_size": "tshark -G lists the mDNS variant (hex, mask 0x7fff); DNS's own is decimal, unmasked",
}

func ddCheckFieldDefs(t *testing.T, proto string) {
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed: field definitions cannot be checked")
	}
	out, err := exec.Command(bin, "-G", "fields").Output()
	if err != nil {
		t.Fatalf("tshark -G fields: %v", err)
	}
	type def struct{ ftype, base, mask string }
	defs := map[string][]def{}
	for _, line := range strings.Split(string(out), "\n") {
		c := strings.Split(line, "\t")
		if len(c) < 8 || c[0] != "F" {
			continue
		}
		defs[c[2]] = append(defs[c[2]], def{c[3], c[5], c[6]})
	}
	for _, f := range ddRegistered(proto) {
		if why, ok := ddDefExceptions[f.Name]; ok {
			t.Logf("%s: not checked: %s", f.Name, why)
			continue
		}
		ds := defs[f.Name]
		if len(ds) == 0 {
			t.Errorf("%s: Wireshark has no such field", f.Name)
			continue
		}
		d := ds[0]
		var wantType Type
		size := uint8(0)
		switch {
		case strings.HasPrefix(d.ftype, "FT_UINT"):
			wantType = TUint
			n, _ := strconv.Atoi(strings.TrimPrefix(d.ftype, "FT_UINT"))
			size = uint8(n / 8)
		case strings.HasPrefix(d.ftype, "FT_INT"):
			wantType = TInt
		case d.ftype == "FT_BOOLEAN":
			wantType = TBool
		case d.ftype == "FT_STRING" || d.ftype == "FT_STRINGZ" || d.ftype == "FT_GUID":
			wantType = TString
		case d.ftype == "FT_BYTES":
			wantType = TBytes
		case d.ftype == "FT_IPv4":
			wantType = TIPv4
		case d.ftype == "FT_IPv6":
			wantType = TIPv6
		case d.ftype == "FT_ETHER" || d.ftype == "FT_EUI64":
			wantType = TMAC
		case d.ftype == "FT_ABSOLUTE_TIME":
			wantType = TTime
		case d.ftype == "FT_DOUBLE":
			wantType = TFloat
		default:
			t.Errorf("%s: Wireshark type %s not mapped", f.Name, d.ftype)
			continue
		}
		if f.Type != wantType {
			t.Errorf("%s: type %v, Wireshark %s", f.Name, f.Type, d.ftype)
		}
		if wantType == TUint && f.Size != size && !(size == 3 && f.Size == 4) {
			t.Errorf("%s: size %d, Wireshark %s", f.Name, f.Size, d.ftype)
		}
		mask, _ := strconv.ParseUint(strings.TrimPrefix(d.mask, "0x"), 16, 64)
		if f.Mask != mask {
			t.Errorf("%s: mask %#x, Wireshark %s", f.Name, f.Mask, d.mask)
		}
		if wantType == TUint {
			var base Base
			switch d.base {
			case "BASE_HEX":
				base = Hex
			case "BASE_DEC_HEX":
				base = DecHex
			case "BASE_HEX_DEC":
				base = HexDec
			case "BASE_OCT":
				base = Oct
			default:
				base = Dec
			}
			ok := false
			for _, d := range ds {
				switch d.base {
				case "BASE_HEX":
					ok = ok || f.Base == Hex
				case "BASE_DEC_HEX":
					ok = ok || f.Base == DecHex
				case "BASE_HEX_DEC":
					ok = ok || f.Base == HexDec
				default:
					ok = ok || f.Base == Dec
				}
			}
			if !ok {
				t.Errorf("%s: base %v, Wireshark %s", f.Name, f.Base, d.base)
			}
			_ = base
		}
	}
}

// ddUDPFrame builds an Ethernet/IPv4/UDP frame around payload.
func ddUDPFrame(sport, dport uint16, payload []byte) []byte {
	f := make([]byte, 14+20+8, 14+20+8+len(payload))
	f[12], f[13] = 0x08, 0x00
	ip := f[14:34]
	ip[0] = 0x45
	tl := 20 + 8 + len(payload)
	ip[2], ip[3] = byte(tl>>8), byte(tl)
	ip[8] = 64
	ip[9] = 17
	copy(ip[12:], []byte{10, 0, 0, 1})
	copy(ip[16:], []byte{10, 0, 0, 2})
	u := f[34:42]
	u[0], u[1] = byte(sport>>8), byte(sport)
	u[2], u[3] = byte(dport>>8), byte(dport)
	ul := 8 + len(payload)
	u[4], u[5] = byte(ul>>8), byte(ul)
	return append(f, payload...)
}

// ddReadAll reads every value of every field of the protocols and their
// Info and tree titles, as a display would.
func ddReadAll(p *Packet, fields []*Field) {
	var vals []Value
	var out []byte
	for _, f := range fields {
		vals = f.Values(p, vals[:0])
		for _, v := range vals {
			out = f.AppendValue(out[:0], v)
		}
	}
	for i := range p.Layers {
		l := &p.Layers[i]
		if pr := Fields.ProtoByID(l.Proto); pr != nil {
			if pr.Info != nil {
				_ = pr.Info(p, l)
			}
			if pr.Node != nil {
				_ = pr.Node(p, l)
			}
		}
	}
}

// ddSeeds adds the UDP payloads on the given ports in the files.
func ddSeeds(f *testing.F, files []string, ports ...uint16) {
	for _, rel := range files {
		r, err := source.Open(filepath.Join(ddSharedRoot, rel))
		if err != nil {
			continue
		}
		dec := NewDecoder()
		var fr source.Frame
		for r.Next(&fr) == nil {
			p := dec.Decode(&fr)
			for i := range p.Layers {
				l := &p.Layers[i]
				if l.Proto != ProtoUDP || l.Hdr-l.Off < 8 {
					continue
				}
				h := p.Data[l.Off:l.Hdr]
				sp, dp := uint16(h[0])<<8|uint16(h[1]), uint16(h[2])<<8|uint16(h[3])
				for _, port := range ports {
					if sp == port || dp == port {
						f.Add(append([]byte(nil), p.Data[l.Hdr:l.End]...))
					}
				}
			}
		}
		r.Close()
	}
}

// FuzzDNS decodes arbitrary bytes as a DNS message over UDP port 53 and
// reads every dns field: no panic, no hang.
func FuzzDNS(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1})
	ddSeeds(f, dnsCaptures, 53, 5353, 5355)
	fields := ddRegistered("dns")
	f.Fuzz(func(t *testing.T, msg []byte) {
		for _, port := range []uint16{53, 5353, 5355} {
			p := Decode(ddUDPFrame(40000, port, msg), layers.LinkTypeEthernet)
			ddReadAll(p, fields)
		}
	})
}

// ddWritePcap writes Ethernet frames to a pcap file in a temporary
// directory and returns its path.
func ddWritePcap(t *testing.T, frames [][]byte) string {
	t.Helper()
	var b bytes.Buffer
	le := func(v uint32) { b.Write([]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}) }
	le(0xa1b2c3d4)
	b.Write([]byte{2, 0, 4, 0})
	le(0)
	le(0)
	le(262144)
	le(1)
	for i, f := range frames {
		le(uint32(1700000000 + i))
		le(0)
		le(uint32(len(f)))
		le(uint32(len(f)))
		b.Write(f)
	}
	name := filepath.Join(t.TempDir(), "crafted.pcap")
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// Helpers to build DNS messages.

func ddU16(v int) []byte { return []byte{byte(v >> 8), byte(v)} }
func ddU32(v uint32) []byte {
	return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

func ddCat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ddName encodes labels as a DNS name ending in the root.
func ddName(labels ...string) []byte {
	var out []byte
	for _, l := range labels {
		out = append(out, byte(len(l)))
		out = append(out, l...)
	}
	return append(out, 0)
}

func ddHdr(id, flags, qd, an, ns, ar int) []byte {
	return ddCat(ddU16(id), ddU16(flags), ddU16(qd), ddU16(an), ddU16(ns), ddU16(ar))
}

// ddRR encodes a resource record.
func ddRR(name []byte, typ, class int, ttl uint32, rdata []byte) []byte {
	return ddCat(name, ddU16(typ), ddU16(class), ddU32(ttl), ddU16(len(rdata)), rdata)
}

func ddQ(name []byte, typ, class int) []byte { return ddCat(name, ddU16(typ), ddU16(class)) }

// dnsCrafted are messages exercising what the captures do not: damaged
// names and records, rare record types, EDNS options, mDNS and LLMNR
// flags, updates. Each is compared with tshark like the captures.
func dnsCrafted() [][]byte {
	ex := ddName("www", "example", "com")
	var frames [][]byte
	add := func(port uint16, msg []byte) { frames = append(frames, ddUDPFrame(40000, port, msg)) }
	add(53, ddCat(ddHdr(1, 0x0100, 1, 0, 0, 0), ddQ([]byte{0}, 2, 1)))
	add(53, ddCat(ddHdr(2, 0x8180, 1, 1, 0, 0), ddQ(ex, 1, 1), ddRR([]byte{0xc0, 12}, 1, 1, 300, []byte{1, 2, 3, 4})))
	// A compression pointer to itself.
	add(53, ddCat(ddHdr(3, 0x0100, 1, 0, 0, 0), []byte{0xc0, 12}, ddU16(1), ddU16(1)))
	// A name over 253 characters.
	long := []string{}
	for i := 0; i < 6; i++ {
		long = append(long, strings.Repeat("a", 60))
	}
	add(53, ddCat(ddHdr(4, 0x0100, 1, 0, 0, 0), ddQ(ddName(long...), 1, 1)))
	// Extended labels: unknown, and a bitstring.
	add(53, ddCat(ddHdr(5, 0x0100, 1, 0, 0, 0), []byte{0x42, 1, 2, 0}, ddU16(1), ddU16(1)))
	add(53, ddCat(ddHdr(6, 0x0100, 1, 0, 0, 0), []byte{0x41, 12, 0xab, 0xc0, 0}, ddU16(1), ddU16(1)))
	// The reserved label type 0x80.
	add(53, ddCat(ddHdr(7, 0x0100, 1, 0, 0, 0), []byte{0x80, 0}, ddU16(1), ddU16(1)))
	// Records cut short, and an address record with a short length.
	add(53, ddCat(ddHdr(8, 0x8180, 1, 2, 0, 0), ddQ(ex, 1, 1), ddRR([]byte{0xc0, 12}, 1, 1, 300, []byte{1, 2}), []byte{0xc0, 12, 0, 1, 0, 1, 0, 0}))
	add(53, ddCat(ddHdr(9, 0x8180, 1, 1, 0, 0), ddQ(ex, 6, 1), ddCat([]byte{0xc0, 12}, ddU16(6), ddU16(1), ddU32(60), ddU16(40)), ddName("ns", "example")))
	// Many record types.
	rrs := [][]byte{
		ddRR(ex, 257, 1, 1, ddCat([]byte{0x80, 5}, []byte("issueca.example"))),
		ddRR(ex, 257, 1, 1, ddCat([]byte{0, 5}, []byte("iodefmailto:x@example"))),
		ddRR(ex, 257, 1, 1, ddCat([]byte{0, 3}, []byte("tagvalue"))),
		ddRR(ex, 29, 1, 1, ddCat([]byte{0, 0x12, 0x16, 0x13}, ddU32(0x89abcdef), ddU32(0x70000000), ddU32(10000000))),
		ddRR(ex, 29, 1, 1, []byte{1, 2, 3}),
		ddRR(ex, 13, 1, 1, ddCat([]byte{3}, []byte("x86"), []byte{5}, []byte("Linux"))),
		ddRR(ex, 16, 1, 1, ddCat([]byte{5}, []byte("a,b\xffc"), []byte{3}, []byte("d\x00e"), []byte{0})),
		ddRR(ex, 11, 1, 1, []byte{10, 0, 0, 1, 6, 0, 0x60, 0, 0x01}),
		ddRR(ex, 10, 1, 1, []byte{1, 2, 3}),
		ddRR(ex, 14, 1, 1, ddCat(ddName("r", "example"), ddName("e", "example"))),
		ddRR(ex, 17, 1, 1, ddCat(ddName("m", "example"), ddName("t", "example"))),
		ddRR(ex, 18, 1, 1, ddCat(ddU16(1), ddName("afs", "example"))),
		ddRR(ex, 36, 1, 1, ddCat(ddU16(10), ddName("kx", "example"))),
		ddRR(ex, 37, 1, 1, ddCat(ddU16(1), ddU16(0x1234), []byte{8, 1, 2, 3})),
		ddRR(ex, 39, 1, 1, ddName("d", "example")),
		ddRR(ex, 44, 1, 1, []byte{1, 2, 0xaa, 0xbb}),
		ddRR(ex, 52, 1, 1, []byte{3, 1, 1, 0xcc, 0xdd}),
		ddRR(ex, 49, 1, 1, []byte{9, 8, 7}),
		ddRR(ex, 51, 1, 1, []byte{1, 0, 0, 10, 2, 0xab, 0xcd}),
		ddRR(ex, 47, 1, 1, ddCat(ddName("next", "example"), []byte{0, 6, 0x40, 0x01, 0, 0, 0, 3})),
		ddRR(ex, 99, 1, 1, ddCat([]byte{6}, []byte("v=spf1"))),
		ddRR(ex, 108, 1, 1, []byte{0, 1, 2, 3, 4, 5}),
		ddRR(ex, 109, 1, 1, []byte{0, 1, 2, 3, 4, 5, 6, 7}),
		ddRR(ex, 1234, 1, 1, []byte{1, 2, 3, 4, 5}),
		ddRR(ex, 249, 255, 0, ddCat(ddName("gss-tsig"), ddU32(1), ddU32(2), ddU16(3), ddU16(0), ddU16(2), []byte{1, 2}, ddU16(0))),
		ddRR(ddName("nodots"), 33, 1, 1, ddCat(ddU16(1), ddU16(2), ddU16(3), []byte{0})),
		ddRR(ex, 64, 1, 1, ddCat(ddU16(1), ddName("svc", "example"), ddU16(0), ddU16(2), ddU16(3), ddU16(3), ddU16(2), ddU16(443),
			ddU16(5), ddU16(3), []byte{1, 2, 3}, ddU16(99), ddU16(2), []byte{7, 7}, ddU16(2), ddU16(0))),
		ddRR(ex, 3, 1, 1, ddName("md", "example")),
		ddRR(ex, 25, 1, 1, []byte{1, 0, 3, 5, 0xaa}),
	}
	add(53, ddCat(ddHdr(10, 0x8400, 0, len(rrs), 0, 0), ddCat(rrs...)))
	// EDNS options.
	opt := ddCat(ddU16(5), ddU16(2), []byte{8, 13}, ddU16(6), ddU16(1), []byte{2}, ddU16(7), ddU16(1), []byte{1},
		ddU16(8), ddU16(7), ddU16(1), []byte{24, 0}, []byte{192, 0, 2}, ddU16(11), ddU16(2), ddU16(100),
		ddU16(12), ddU16(3), []byte{0, 0, 0}, ddU16(13), ddU16(4), []byte("abcd"), ddU16(15), ddU16(6), ddU16(18), []byte("oops"),
		ddU16(3), ddU16(0), ddU16(10), ddU16(8), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	add(53, ddCat(ddHdr(11, 0x0120, 1, 0, 0, 1), ddQ(ex, 1, 1), ddRR([]byte{0}, 41, 1232, 0x00008000, opt)))
	// Bytes after the last record.
	add(53, ddCat(ddHdr(12, 0x0100, 1, 0, 0, 0), ddQ(ex, 1, 1), []byte{1, 2, 3}))
	// An update, a DSO message, unknown opcode and reply code.
	add(53, ddCat(ddHdr(13, 0x2800, 1, 0, 1, 0), ddQ(ddName("example"), 6, 1), ddRR(ex, 1, 255, 0, nil)))
	add(53, ddCat(ddHdr(14, 0x3000, 0, 0, 0, 0), ddU16(1), ddU16(8), ddU32(1), ddU32(2)))
	add(53, ddCat(ddHdr(15, 0x998c, 1, 0, 0, 0), ddQ(ex, 1, 3)))
	// mDNS: QU question, cache-flush records, OPT.
	add(5353, ddCat(ddHdr(0, 0, 1, 0, 0, 0), ddQ(ddName("host", "local"), 255, 0x8001)))
	add(5353, ddCat(ddHdr(0, 0x8400, 0, 1, 0, 1), ddRR(ddName("host", "local"), 1, 0x8001, 120, []byte{10, 0, 0, 5}),
		ddRR([]byte{0}, 41, 0x85a0, 0x1000, ddCat(ddU16(4), ddU16(2), []byte{1, 2}))))
	// LLMNR query and response with conflict and tentative bits.
	add(5355, ddCat(ddHdr(16, 0x0500, 1, 0, 0, 0), ddQ(ddName("pc"), 1, 1)))
	add(5355, ddCat(ddHdr(16, 0x8500, 1, 1, 0, 0), ddQ(ddName("pc"), 1, 1), ddRR([]byte{0xc0, 12}, 1, 1, 30, []byte{10, 0, 0, 9})))
	// Names with characters to escape.
	add(53, ddCat(ddHdr(17, 0x0100, 1, 0, 0, 0), ddQ(ddName("a\tb\\c\x7fd", "caf\xc3\xa9", "x\xffy"), 1, 1)))
	// Messages too short for the header.
	add(53, []byte{0, 18, 1})
	add(53, ddCat(ddHdr(19, 0x0100, 1, 0, 0, 0)[:11]))
	add(53, ddCat(ddHdr(20, 0x8180, 3, 4, 5, 6), ddQ(ex, 1, 1)))
	return frames
}

// ddOnePassInfo returns the Info column of tshark's plain one-pass run,
// which builds no tree: it can go further in a damaged message than the
// Info printed with -T fields.
func ddOnePassInfo(t *testing.T, file string) []string {
	out, err := exec.Command("tshark", "-r", file, "-o", "gui.column.format:\"Info\",\"%i\"").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

func TestDNSCraftedAgainstTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed: the DNS fields cannot be compared with Wireshark's")
	}
	frames := dnsCrafted()
	file := ddWritePcap(t, frames)
	// The walk for a field stops where tshark's tree does; the Info text
	// follows the plain run, which goes on past a record cut short.
	allow := append([]ddAllow{{file: "*", field: ddInfoField, frames: []int{9},
		same:   func(tshark, wirelark string) bool { return tshark+" ns.example" == wirelark },
		reason: "a record cut short: tshark -T fields builds a tree and stops at the record, a plain run does not"}}, dnsAllow...)
	ddCompare(t, []string{file}, ddRegistered("dns"), []ProtoID{ProtoDNS, ProtoMDNS, ProtoLLMNR}, allow)
	ddCompareNodes(t, []string{file}, dnsProtoNames, ddAllow{file: "*", field: "#node", frames: []int{21},
		reason: "a message too short for its flags: Wireshark throws before adding the protocol item; a wirelark layer always has a title"})
	plain := ddOnePassInfo(t, file)
	if len(plain) != len(frames) {
		t.Fatalf("tshark printed %d lines for %d frames", len(plain), len(frames))
	}
	for i, f := range frames {
		p := Decode(f, layers.LinkTypeEthernet)
		p.Complete()
		var got string
		for j := range p.Layers {
			if l := &p.Layers[j]; fieldProto[l.Proto] == ProtoDNS {
				got = dnsInfo(p, l)
			}
		}
		if want := ddTrimInfo(strings.TrimSpace(plain[i])); got != want {
			t.Errorf("frame %d Info:\n tshark:   %q\n wirelark: %q", i+1, want, got)
		}
	}
}
