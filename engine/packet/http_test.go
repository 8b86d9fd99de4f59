package packet

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

var httpCaptures = []string{
	"captures/http_get.pcap",
	"captures/ipv6_tcp.pcap",
	"captures/mixed_office.pcap",
	"captures/tcp_anomalies.pcap",
	"corpus/http/get-gzip.pcap",
	"corpus/http/get.pcap",
	"corpus/http/gopacket-test_ethernet.pcap",
	"corpus/http/iso-download.pcap.gz",
	"corpus/http/post.pcap",
	"corpus/http/proxy.pcap",
	"corpus/http/websocket.pcap",
	"corpus/http/wikipedia.pcap",
	"corpus/misc/http-qinq-0.pcap",
	"corpus/misc/http-vlan-0.pcap",
	"corpus/misc/mapi-with-msnms.pcap",
	"corpus/arp/raw_packets.pcap",
}

// httpAllow lists the differences from tshark that are understood.
var httpAllow = []ddAllow{ddMissing}

// TestHTTPAgainstTshark compares the http fields and Info column, per
// frame, after TCP desegmentation, with tshark's.
func TestHTTPAgainstTshark(t *testing.T) {
	ddCompare(t, httpCaptures, ddRegistered("http"), []ProtoID{ProtoHTTP, ProtoSSDP}, httpAllow)
}

// TestHTTPTreeTitles compares the titles of the ftp and http layers, so
// their number and place per frame, with tshark's protocol items.
func TestHTTPTreeTitles(t *testing.T) {
	ddCompareNodes(t, append(append([]string{}, ftpCaptures[2:]...), httpCaptures[4:12]...),
		map[ProtoID]string{ProtoFTP: "ftp", ProtoHTTP: "http"})
}

func TestHTTPFieldDefinitions(t *testing.T) {
	ddCheckFieldDefs(t, "http")
	ddCheckFieldDefs(t, "ftp")
}

// appSeg builds a TCP segment between 10.0.0.1:40000 and 10.0.0.2:port.
func appSeg(port uint16, c2s bool, seq, ack uint32, flags byte, payload []byte) []byte {
	f := tcpSeg(c2s, seq, ack, flags, payload)
	off := 34
	if c2s {
		off += 2
	}
	binary.BigEndian.PutUint16(f[off:], port)
	return f
}

// craftedConv is a TCP conversation on port: a handshake, then each
// segment with its direction and flags.
type craftedSeg struct {
	c2s     bool
	payload string
	flags   byte
}

func craftedConv(port uint16, segs []craftedSeg) [][]byte {
	const syn, ack, psh = 0x02, 0x10, 0x08
	cs, ss := uint32(1000), uint32(5000)
	fs := [][]byte{
		appSeg(port, true, cs-1, 0, syn, nil),
		appSeg(port, false, ss-1, cs, syn|ack, nil),
		appSeg(port, true, cs, ss, ack, nil),
	}
	for _, s := range segs {
		if s.c2s {
			fs = append(fs, appSeg(port, true, cs, ss, ack|psh|s.flags, []byte(s.payload)))
			cs += uint32(len(s.payload)) + uint32(s.flags&1)
		} else {
			fs = append(fs, appSeg(port, false, ss, cs, ack|psh|s.flags, []byte(s.payload)))
			ss += uint32(len(s.payload)) + uint32(s.flags&1)
		}
	}
	return fs
}

// httpCrafted cuts HTTP messages across segments in the ways Wireshark's
// desegmentation handles: continuation data, a first line not yet whole,
// a head in pieces, pipelined messages, HEAD, chunks, 1xx/204/304, a body
// until the FIN (which comes in a segment of its own).
var httpCrafted = []craftedSeg{
	{true, "GET /a HTTP/1.1\r\nHost: x\r\nUser-Agent: t/1\r\n\r\n", 0},
	{false, "\x00\x01binary", 0},
	{false, "hello world\r\nmore\r\n", 0},
	{false, "hello", 0},
	{false, " world\r\n", 0},
	{false, "HTTP/1.1 200 OK\r\nContent-Len", 0},
	{false, "gth: 10\r\nContent-Type: text/plain\r\n\r\n01234", 0},
	{false, "56789HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 404 NF\r\nContent-Length: 3\r\n\r\na", 0},
	{false, "bc", 0},
	{true, "HEAD /h HTTP/1.1\r\n\r\n", 0},
	{false, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", 0},
	{true, "GET /c HTTP/1.1\r\n\r\n", 0},
	{false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", 0},
	{false, "lo\r\n0\r\n", 0},
	{false, "\r\n", 0},
	{true, "POST /p HTTP/1.1\r\nContent-Length: 010\r\nContent-Type: application/json\r\n\r\n0123456789", 0},
	{true, "GET /x\r\n\r\n", 0},
	{true, "M-SEARCH * HTTP/1.1\r\n\r\n", 0},
	{false, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No\r\n\r\nHTTP/1.1 304 NM\r\n\r\n", 0},
	{false, "HTTP/2 200\r\nContent-Length: 0\r\n\r\n", 0},
	{false, "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n", 0},
	{false, "HTTP/1.1 99999 OK\r\nContent-Length: 0\r\n\r\n", 0},
	{false, "HTTP/1.0 200 OK\r\n\r\nbody until", 0},
	{false, " fin", 0},
	{false, "", 1},
}

// TestHTTPCrafted compares a conversation cut in every way the
// desegmentation handles with tshark's reading of it, on port 80 and on
// a port only the heuristic gives HTTP.
func TestHTTPCrafted(t *testing.T) {
	for _, port := range []uint16{80, 8090} {
		name := ddWritePcap(t, craftedConv(port, httpCrafted))
		ddCompare(t, []string{name}, ddRegistered("http"), []ProtoID{ProtoHTTP}, []ddAllow{ddMissing})
	}
}

// TestHTTPOutOfOrder checks the segments of a message whose length is
// known coming out of order: filled in before the message's last segment
// (within Wireshark's out-of-order threshold) it completes; a
// retransmission (later than the threshold) is not taken, nor is a
// message whose last segment came while bytes were missing.
func TestHTTPOutOfOrder(t *testing.T) {
	head := "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n"
	body := "0123456789abcdefghijABCDEFGHIJ"
	h := uint32(len(head))
	req := "GET / HTTP/1.1\r\n\r\n"
	cases := []struct {
		name  string
		order []int   // pieces of the body, by index: 0, 1, 2 of 10 bytes
		gapNs []int64 // time after the previous segment
		done  int     // the frame (1-based in the list of pieces) completing it, 0 for none
	}{
		{"in order", []int{0, 1, 2}, []int64{1e6, 1e6, 1e6}, 3},
		{"out of order, filled soon", []int{0, 2, 1}, []int64{1e6, 1e6, 1e6}, 0},
		{"middle missing, then end", []int{1, 0, 2}, []int64{1e6, 1e6, 1e6}, 3},
		{"filler too late", []int{1, 0, 2}, []int64{1e6, 10e6, 1e6}, 0},
	}
	for _, c := range cases {
		d := NewDecoder()
		var frames [][]byte
		frames = append(frames, appSeg(80, true, 1000, 5000, 0x18, []byte(req)))
		frames = append(frames, appSeg(80, false, 5000, 1000+uint32(len(req)), 0x18, []byte(head)))
		for _, i := range c.order {
			frames = append(frames, appSeg(80, false, 5000+h+uint32(i*10), 1000+uint32(len(req)), 0x10, []byte(body[i*10:i*10+10])))
		}
		now := int64(1e9)
		got := 0
		for k, f := range frames {
			if k >= 2 {
				now += c.gapNs[k-2]
			} else {
				now += 1e6
			}
			p := d.Decode(&source.Frame{Time: now, Len: len(f), Data: f, LinkType: layers.LinkTypeEthernet})
			if vs := fHTTPCode.Values(p, nil); len(vs) > 0 && k >= 2 {
				if l := p.Layer(ProtoHTTP); l == nil || l.End-l.Off != len(head)+len(body) || string(p.Data[l.Hdr:l.End]) != body {
					t.Errorf("%s: message not put together", c.name)
				}
				got = k - 1
			}
		}
		if got != c.done {
			t.Errorf("%s: completed by piece %d, want %d", c.name, got, c.done)
		}
	}
}

// FuzzHTTP decodes arbitrary bytes as one HTTP segment, alone and from a
// tracked conversation, and reads every http field: no panic, no hang.
func FuzzHTTP(f *testing.F) {
	for _, s := range httpCrafted {
		f.Add([]byte(s.payload))
	}
	fields := append(ddRegistered("http"), ddRegistered("ftp")...)
	f.Fuzz(func(t *testing.T, payload []byte) {
		for _, port := range []uint16{80, 21, 1900} {
			frame := appSeg(port, true, 1000, 1, 0x18, payload)
			ddReadAll(Decode(frame, layers.LinkTypeEthernet), fields)
			if port == 1900 {
				ddReadAll(Decode(ddUDPFrame(40000, port, payload), layers.LinkTypeEthernet), fields)
			}
		}
	})
}

func init() {
	for id, name := range map[ProtoID]string{ProtoHTTP: "HTTP", ProtoSSDP: "SSDP", ProtoFTP: "FTP"} {
		ddMalformedNames[id] = name
		ddMalformed[id] = func(p *Packet, l *Layer) string {
			if l.Bad {
				return "bad"
			}
			return ""
		}
	}
}

// TestHTTPOff: with Decoder.HTTP off, an HTTP segment is decoded from its
// own bytes alone (a message it holds whole is decoded, one it starts is
// not put together with the next segments) and the heuristic takes no
// connection on an unassigned port.
func TestHTTPOff(t *testing.T) {
	split := []craftedSeg{{false, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234", 0}, {false, "56789", 0}}
	whole := []craftedSeg{{false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab", 0}}
	for _, tc := range []struct {
		name string
		http bool
		port uint16
		segs []craftedSeg
		want int // frame showing http.response.code, 0 for none
	}{
		{"split", true, 80, split, 5},
		{"split", false, 80, split, 0},
		{"whole", true, 80, whole, 4},
		{"whole", false, 80, whole, 4},
		{"split, heuristic", true, 8090, split, 5},
		{"split, heuristic", false, 8090, split, 0},
		{"whole, heuristic", false, 8090, whole, 0},
	} {
		d := NewDecoder()
		d.HTTP = tc.http
		got := 0
		for i, f := range craftedConv(tc.port, tc.segs) {
			p := d.Decode(&source.Frame{Time: int64(i+1) * 1e6, Len: len(f), Data: f, LinkType: layers.LinkTypeEthernet})
			if vs := fHTTPCode.Values(p, nil); len(vs) > 0 {
				if got != 0 {
					t.Errorf("%s, HTTP %v, port %d: a second response at frame %d", tc.name, tc.http, tc.port, i+1)
				}
				got = i + 1
			}
		}
		if got != tc.want {
			t.Errorf("%s, HTTP %v, port %d: response at frame %d, want %d", tc.name, tc.http, tc.port, got, tc.want)
		}
	}
}
