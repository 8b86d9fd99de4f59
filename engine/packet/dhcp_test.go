package packet

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

var dhcpCaptures = []string{
	"corpus/dhcp/dhcp-all-msg-types.pcap",
	"corpus/dhcp/dhcp-mud.pcap",
	"corpus/dhcp/dhcp-option-108.pcapng",
	"corpus/dhcp/dhcp-rfc3004.pcap",
	"corpus/dhcp/dhcp-rfc4388.pcap",
	"corpus/dhcp/hw-type0.pcap",
	"captures/dhcp_dora.pcap",
	"captures/dhcp_dora.pcapng",
	"captures/mixed_office.pcap",
}

// dhcpAllow lists the differences from tshark that are understood.
var dhcpAllow = []ddAllow{
	ddMissing,
	{file: "*", field: ddInfoField,
		same: func(tshark, wirelark string) bool {
			// "Boot Request from MAC (VENDOR_xx:xx:xx)": all but the name.
			i, j := strings.LastIndexByte(tshark, '('), strings.LastIndexByte(wirelark, '(')
			return i > 0 && i == j && tshark[:i] == wirelark[:j]
		},
		reason: "BOOTP requests: Wireshark names the client's vendor from its OUI database (manuf); wirelark has none and repeats the address"},
}

func TestDHCPAgainstTshark(t *testing.T) {
	ddCompare(t, dhcpCaptures, ddRegistered("dhcp"), []ProtoID{ProtoDHCP}, dhcpAllow)
}

func TestDHCPTreeTitles(t *testing.T) {
	ddCompareNodes(t, dhcpCaptures, map[ProtoID]string{ProtoDHCP: "dhcp"})
}

// TestDHCPFieldDefinitions checks every registered dhcp field against the
// type, base and bit mask Wireshark declares for it.
func TestDHCPFieldDefinitions(t *testing.T) {
	ddCheckFieldDefs(t, "dhcp")
}

// FuzzDHCP decodes arbitrary bytes as a DHCP message over UDP port 67
// and reads every dhcp field: no panic, no hang.
func FuzzDHCP(f *testing.F) {
	f.Add([]byte{})
	f.Add(append(make([]byte, 236), 0x63, 0x82, 0x53, 0x63, 52, 1, 3, 53, 1, 1, 255))
	ddSeeds(f, dhcpCaptures, 67, 68)
	fields := ddRegistered("dhcp")
	f.Fuzz(func(t *testing.T, msg []byte) {
		p := Decode(ddUDPFrame(68, 67, msg), layers.LinkTypeEthernet)
		ddReadAll(p, fields)
	})
}

// ddBootp builds a BOOTP header: op, htype, hlen, secs bytes, the sname
// and file fields, then vend (cookie and options, or a BOOTP vendor area).
func ddBootp(op, htype, hlen byte, secs [2]byte, sname, file string, vend []byte) []byte {
	b := make([]byte, 236)
	b[0], b[1], b[2] = op, htype, hlen
	copy(b[4:], []byte{0x12, 0x34, 0x56, 0x78})
	b[8], b[9] = secs[0], secs[1]
	copy(b[12:], []byte{10, 0, 0, 9})
	copy(b[28:], []byte{0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff})
	copy(b[44:108], sname)
	copy(b[108:236], file)
	return append(b, vend...)
}

var ddMagic = []byte{0x63, 0x82, 0x53, 0x63}

// ddOpt encodes one option.
func ddOpt(code byte, value ...byte) []byte { return append([]byte{code, byte(len(value))}, value...) }

// dhcpCrafted are messages exercising what the captures do not: BOOTP,
// option overload, damaged options, relay agent information, client
// identifiers of every kind, and many rarer options.
func dhcpCrafted() [][]byte {
	var frames [][]byte
	add := func(msg []byte) { frames = append(frames, ddUDPFrame(68, 67, msg)) }
	var none [2]byte
	// BOOTP: request, reply, an unknown op, a cut vendor area.
	add(ddBootp(1, 1, 6, none, "", "", make([]byte, 64)))
	add(ddBootp(2, 1, 6, none, "server1", "boot/pxelinux.0", make([]byte, 64)))
	add(ddBootp(7, 0, 0, none, "", "", make([]byte, 64)))
	add(ddBootp(1, 6, 20, none, "", "", make([]byte, 10)))
	add(ddBootp(1, 1, 6, none, "", "", nil)[:100])
	// Option overload: options in the sname and file fields.
	sname := string(ddCat(ddOpt(12, 'h', 'o', 's', 't'), []byte{0, 0, 255}))
	file := string(ddCat(ddOpt(15, 'e', 'x'), ddOpt(3, 10, 0, 0, 1)))
	add(ddBootp(2, 1, 6, none, sname, file, ddCat(ddMagic, ddOpt(53, 5), ddOpt(52, 3), []byte{255})))
	add(ddBootp(2, 1, 6, none, sname, "", ddCat(ddMagic, ddOpt(53, 2), ddOpt(52, 2), []byte{255})))
	// Pad options between options, no End option, an option running past
	// the end, an option without its length.
	add(ddBootp(1, 1, 6, [2]byte{5, 0}, "", "", ddCat(ddMagic, ddOpt(53, 1), []byte{0, 0, 0}, ddOpt(50, 10, 0, 0, 7))))
	add(ddBootp(1, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 3), []byte{12, 9, 'a', 'b'})))
	add(ddBootp(1, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 3), []byte{12})))
	// Option 53 empty at the end, and an unknown message type.
	add(ddBootp(1, 1, 6, none, "", "", ddCat(ddMagic, []byte{53, 0})))
	add(ddBootp(1, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 0x20), []byte{255, 0, 0})))
	// Relay agent information.
	add(ddBootp(1, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 1), ddOpt(82, ddCat(
		ddOpt(1, 'e', 't', 'h', '0'), ddOpt(2, 1, 2, 3, 4, 5, 6), ddOpt(5, 10, 1, 2, 0), ddOpt(5, 1, 2),
		ddOpt(6, 's', 'u', 'b'), ddOpt(10, 1), ddOpt(11, 10, 9, 9, 9), ddOpt(4, 0, 0, 1, 2), ddOpt(99, 7),
		ddOpt(9, 0, 0, 0, 9, 1, 1), []byte{12})...), []byte{255})))
	// Client FQDN, encoded and in ASCII; client identifiers.
	add(ddBootp(1, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 3),
		ddOpt(81, ddCat([]byte{0x05, 0, 0}, ddName("pc", "example"))...),
		ddOpt(81, ddCat([]byte{0x01, 255, 255}, []byte("pc.example."))...),
		ddOpt(61, 255, 1, 2, 3, 4, 0, 1, 0, 1, 0x2a, 0x2b, 0x2c, 0x2d, 1, 2, 3, 4, 5, 6),
		ddOpt(61, 255, 1, 2, 3, 4, 0, 2, 0, 0, 0, 9, 0xde, 0xad),
		ddOpt(61, 255, 1, 2, 3, 4, 0, 3, 0, 1, 6, 5, 4, 3, 2, 1),
		ddOpt(61, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
		ddOpt(61, 7, 1, 2, 3, 4, 5, 6),
		ddOpt(61, 1, 2, 3),
		[]byte{255})))
	// Domain search with compression, classless routes, and more.
	add(ddBootp(2, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 5),
		ddOpt(119, ddCat(ddName("eng", "example", "com"), []byte{3, 'd', 'e', 'v', 0xc0, 4})...),
		ddOpt(121, 24, 192, 168, 5, 10, 0, 0, 1, 0, 10, 0, 0, 254, 8, 10, 10, 0, 0, 1),
		[]byte{255})))
	add(ddBootp(2, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 5),
		ddOpt(2, 0xff, 0xff, 0xf1, 0xf0), ddOpt(25, 0x02, 0x40, 0x05, 0xdc), ddOpt(19, 1), ddOpt(20, 0, 0),
		ddOpt(1, 255, 255, 0), ddOpt(3, 10, 0, 0, 1, 10, 0),
		ddOpt(43, 1, 4, 10, 0, 0, 1), ddOpt(60, []byte("AAPLBSDPC/i386/MacPro")...),
		ddOpt(77, []byte("MSFT 5.0")...), ddOpt(78, 0x80, 0, 10, 0, 0, 3), ddOpt(79, 0, 'x', 'y'),
		[]byte{255})))
	add(ddBootp(2, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 5),
		ddOpt(93, 0, 7, 0, 9), ddOpt(94, 1, 3, 16), ddOpt(114, []byte("https://portal.example/")...),
		ddOpt(124, 0, 0, 0x11, 0x8b, 3, 'a', 'b', 'c'), ddOpt(145, 1, 2), ddOpt(151, 0, 'o', 'k'),
		[]byte{255})))
	add(ddBootp(2, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 5),
		ddOpt(158, 5, 10, 0, 0, 2), ddOpt(159, 1, 2, 0xab, 0xcd), ddOpt(85, 10, 0, 0, 4), ddOpt(80),
		ddOpt(21, 10, 0, 0, 0, 255, 0, 0, 0), ddOpt(33, 10, 1, 0, 0, 10, 0, 0, 1), ddOpt(57, 2, 64),
		ddOpt(26, 5, 220), ddOpt(24, 0, 0, 2, 88), ddOpt(252, []byte("http://wpad/wpad.dat")...),
		[]byte{255, 0, 0, 0})))
	add(ddBootp(1, 1, 6, none, "", "", ddCat(ddMagic, ddOpt(53, 8), ddOpt(60, []byte("ArubaAP")...),
		ddOpt(43, []byte("10.0.0.2")...), ddOpt(77, 3, 'a', 'b', 'c', 2, 'd', 'e'), []byte{255})))
	// Messages shorter than the client address: these two stay last.
	add([]byte{1, 1, 6, 0, 0xaa, 0xbb})
	add([]byte{1, 1})
	return frames
}

func TestDHCPCraftedAgainstTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed: the DHCP fields cannot be compared with Wireshark's")
	}
	frames := dhcpCrafted()
	file := ddWritePcap(t, frames)
	ddCompare(t, []string{file}, ddRegistered("dhcp"), []ProtoID{ProtoDHCP}, dhcpAllow)
	ddCompareNodes(t, []string{file}, map[ProtoID]string{ProtoDHCP: "dhcp"}, ddAllow{file: "*", field: "#node", frames: []int{len(frames) - 1, len(frames)},
		reason: "messages shorter than the client address: Wireshark throws before adding the protocol item; a wirelark layer always has a title"})
}
