package scripting

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/scripting/output"
)

// touchEverything defines every handler, and each reads every attribute
// its arguments list in dir(), calls their methods, and walks into the
// values it gets (lists, dicts, messages, layers, conns, streams) to a
// small depth, so that every lazily computed value is computed.
const touchEverything = `
FIELDS = ("ip.src", "ip.dst", "tcp.stream", "tcp.flags.syn", "udp.dstport",
          "dns.qry.name", "dhcp.option.dhcp", "smb2.cmd", "kerberos.msg_type",
          "icmp.type", "arp.opcode", "eth.addr", "frame.len")
MSGS = ("record", "arp_msg", "icmp_msg", "igmp_msg", "dns_msg", "dhcp_msg",
        "kerberos_msg", "smb_msg")
MAX_DEPTH = 4
MAX_VALUES = 1500

def touch(*roots):
    # Starlark has no recursion: walk the values with a work list.
    todo = [(r, 0) for r in roots]
    seen = 0
    for _ in range(MAX_VALUES):
        if not todo:
            break
        v, d = todo.pop()
        seen += 1
        t = type(v)
        if t not in ("list", "tuple", "dict"):
            str(v)
        if d >= MAX_DEPTH:
            continue
        kids = []
        if t == "packet":
            for a in dir(v):
                if a in ("summary", "show", "hex"):
                    getattr(v, a)()
                elif a == "copy":
                    kids.append(v.copy())
                elif a == "all":
                    for f in FIELDS:
                        kids.append(v.all(f))
                else:
                    kids.append(getattr(v, a))
            for f in FIELDS:
                kids.append(v[f])
            kids.append(v.layers)
        elif t == "layer" or t in MSGS:
            names = dir(v)
            for a in names:
                if a == "fields":
                    fs = v.fields()
                    kids.append(fs)
                    for k in fs:
                        # A message's fields() holds its attributes too;
                        # all() takes the registry's fields.
                        if t == "layer" or k not in names:
                            kids.append(v.all(k))
                elif a != "all":
                    kids.append(getattr(v, a))
        elif t in ("fields", "conn", "run_stats", "struct"):
            kids = [getattr(v, a) for a in dir(v)]
        elif t == "stream":
            for a in dir(v):
                if a in ("data", "follow"):
                    kids.append(getattr(v, a)())
                else:
                    kids.append(getattr(v, a))
        elif t in ("list", "tuple"):
            kids = list(v)
        elif t == "dict":
            kids = list(v.keys()) + list(v.values())
        for k in kids:
            todo.append((k, d + 1))
    return seen

def on_start(): pass
def on_packet(pkt): touch(pkt)
def on_end(run): touch(run)
def on_arp(msg): touch(msg)
def on_icmp(msg): touch(msg)
def on_igmp(msg): touch(msg)
def on_dns(msg): touch(msg)
def on_dhcp(msg): touch(msg)
def on_kerberos(msg): touch(msg)
def on_smb(msg): touch(msg)
def on_conn_start(conn): touch(conn)
def on_handshake(conn): touch(conn)
def on_conn_end(conn): touch(conn)
def on_stream_data(stream, data): touch(stream, data)
`

// fuzzSteps is the step budget of one handler call under FuzzRun: enough
// for the walk over a large message, small enough that a run is quick.
const fuzzSteps = 2_000_000

// The first byte of a FuzzRun input says how to read the rest.
const (
	runLinkMask = 3 // the rest is pcap records of this link type, or a whole file
	runEther    = 0
	runSLL      = 1
	runRawIP    = 2
	runWhole    = 3
	runPipeline = 4 // Config.Pipeline
)

// runLinks are the link types of the record modes.
var runLinks = [...]layers.LinkType{runEther: layers.LinkTypeEthernet, runSLL: layers.LinkTypeLinuxSLL, runRawIP: layers.LinkTypeRaw}

// pcapHeader is a little-endian microsecond pcap file header.
func pcapHeader(link layers.LinkType) []byte {
	h := make([]byte, 24)
	binary.LittleEndian.PutUint32(h[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], source.MaxFrameLen)
	binary.LittleEndian.PutUint32(h[20:], uint32(link))
	return h
}

// pcapRecord is one little-endian pcap record holding data whole.
func pcapRecord(sec uint32, data []byte) []byte {
	r := make([]byte, 16, 16+len(data))
	binary.LittleEndian.PutUint32(r[0:], sec)
	binary.LittleEndian.PutUint32(r[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(r[12:], uint32(len(data)))
	return append(r, data...)
}

// maxRunSeed bounds the bytes of a capture used as one seed, and
// maxRunInput the inputs run: a run handles every packet in full, so
// short inputs keep the fuzzer quick.
const (
	maxRunSeed  = 4 << 10
	maxRunInput = 64 << 10
)

// runSeedFiles are the captures whose beginnings seed FuzzRun: every
// handler's protocols, TCP reassembly, fragments, damaged files.
var runSeedFiles = []string{
	"captures/smb2_session.pcap", "captures/smb1_session.pcap", "captures/kerberos.pcap",
	"captures/dhcp_dora.pcap", "captures/dhcp_dora.pcapng", "captures/dns_queries.pcap",
	"captures/icmp_ping.pcap", "captures/icmp_unreachable.pcap", "captures/igmp_membership.pcap",
	"captures/arp_resolution.pcap", "captures/ipv6_nd.pcap", "captures/traceroute.pcap",
	"captures/tcp_anomalies.pcap", "captures/telnet_login.pcap", "captures/http_get.pcap",
	"corpus/dns/dns_tcp.pcap", "corpus/dns/mdns.pcap", "corpus/dns/naptr.pcap",
	"corpus/dhcp/dhcp-all-msg-types.pcap", "corpus/dhcp/dhcp-option-108.pcapng",
	"corpus/kerberos/kinit.pcap", "corpus/kerberos/smb2_krb.pcap", "corpus/kerberos/aduser1.pcap",
	"corpus/smb/smb311.pcap", "corpus/smb/smb1_transaction2_request.pcap",
	"corpus/smb/smb3_negotiate_context.pcap", "corpus/smb/raw_ntlm_in_smb.pcap",
	"corpus/smb/smb2-zero-byte-error-ioctl.pcapng",
	"corpus/tcp/reassembly.pcap", "corpus/tcp/retransmit-fast009.pcap", "corpus/tcp/tcp_rst_data.pcap",
	"corpus/tcp/missing-syn.pcap", "corpus/tcp/tcp-fast-open.pcap",
	"corpus/ipv4frag/fragmented-1.pcap", "corpus/ipv6/ipv6-fragmented-dns.pcap",
	"corpus/icmp/icmp-destunreach-ip.pcap", "corpus/icmp6/icmp6-nd-options.pcap",
	"corpus/igmp/IGMP_V2.pcap", "corpus/arp/communityid-arp.pcap",
	"corpus/misc/linux_dlt_sll2.pcap", "corpus/misc/http-qinq-0.pcap",
	"corpus/malformed/dns-corrupt.pcap", "corpus/malformed/ip-bogus-header-len.pcap",
	"corpus/malformed/tcp-truncated-header.pcap", "corpus/malformed/smb_data_print-segv.pcap",
	"corpus/malformed/ipv6_frag6_negative_len.pcap", "corpus/malformed/linux_sll_oversized_addr.pcapng",
}

// runSeed turns the start of a capture into a FuzzRun input: the records
// of a little-endian pcap of a record mode's link type after their mode
// byte, any other capture whole; cut at a record or block boundary
// within maxRunSeed.
func runSeed(data []byte) []byte {
	le := binary.LittleEndian
	if len(data) >= 24 && le.Uint32(data) == 0xa1b2c3d4 {
		for mode, link := range runLinks {
			if le.Uint32(data[20:]) == uint32(link) {
				recs := data[24:]
				return append([]byte{byte(mode)}, recs[:cut(recs, 16, func(h []byte) int { return 16 + int(le.Uint32(h[8:])) })]...)
			}
		}
	}
	if len(data) >= 24 && le.Uint32(data) == 0xa1b2c3d4 {
		return append([]byte{runWhole}, data[:24+cut(data[24:], 16, func(h []byte) int { return 16 + int(le.Uint32(h[8:])) })]...)
	}
	if len(data) >= 12 && bytes.HasPrefix(data, []byte{0x0a, 0x0d, 0x0d, 0x0a}) && le.Uint32(data[8:]) == 0x1a2b3c4d {
		return append([]byte{runWhole}, data[:cut(data, 8, func(h []byte) int { return int(le.Uint32(h[4:])) })]...)
	}
	return append([]byte{runWhole}, data[:min(len(data), maxRunSeed)]...)
}

// cut returns how many bytes of whole records of b fit in maxRunSeed,
// each record's length told by size from its hdr-byte header.
func cut(b []byte, hdr int, size func([]byte) int) int {
	n := 0
	for n+hdr <= len(b) {
		l := size(b[n:])
		if l < hdr || n+l > len(b) || n+l > maxRunSeed {
			break
		}
		n += l
	}
	return n
}

// damagedFrames are single frames damaged where dissectors look:
// headers cut short, lengths promising more than there is.
func damagedFrames(tb testing.TB) [][]byte {
	tcp := func(sport, dport uint16, flags string, payload []byte) []byte {
		t := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: 1000, Ack: 1, Window: 8192,
			SYN: strings.Contains(flags, "S"), ACK: strings.Contains(flags, "A"), PSH: strings.Contains(flags, "P")}
		return ethFrame(tb, layers.IPProtocolTCP, t, payload)
	}
	udp := func(sport, dport uint16, payload []byte) []byte {
		return ethFrame(tb, layers.IPProtocolUDP, &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}, payload)
	}
	smb2 := append([]byte{0, 0, 0, 0x40, 0xfe, 'S', 'M', 'B', 64, 0}, make([]byte, 20)...)
	var out [][]byte
	for _, fr := range [][]byte{
		tcp(49152, 445, "AP", smb2),                                                   // SMB2 header cut short
		tcp(49152, 445, "AP", []byte{0, 0xff, 0xff, 0xff, 0xff, 'S'}),                 // NetBIOS length far past the data
		tcp(49152, 139, "AP", []byte{0, 0, 0, 8, 0xff, 'S', 'M', 'B'}),                // SMB1 header cut short
		tcp(49152, 88, "AP", []byte{0, 0, 0, 10, 0x6a, 0x84, 0xff, 0xff, 0xff, 0xff}), // Kerberos AS-REQ with a huge length
		udp(49152, 88, []byte{0x6c, 0x03, 0x30, 0x01}),                                // Kerberos TGS-REP cut short
		tcp(49152, 53, "AP", []byte{0, 40, 0, 1, 1, 0, 0, 1}),                         // DNS over TCP cut in the header
		udp(49152, 53, []byte{0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c}),        // DNS name pointing at itself
		udp(68, 67, []byte{1, 1, 6, 0, 1, 2, 3, 4}),                                   // DHCP header cut short
		udp(546, 547, []byte{1, 0, 0, 1, 0, 9, 0, 50}),                                // DHCPv6 option past the end
		tcp(49152, 445, "S", nil),                                                     // a SYN alone
	} {
		out = append(out, fr)
	}
	// An IPv4 header whose IHL points past the frame, and a first fragment.
	ip := udp(49152, 53, []byte{1, 2, 3, 4})
	bad := bytes.Clone(ip)
	bad[14] = 0x4f
	out = append(out, bad)
	frag := bytes.Clone(ip)
	frag[14+6] = 0x20 // more fragments
	out = append(out, frag)
	return out
}

// ethFrame builds Ethernet, IPv4, the transport tr and payload.
func ethFrame(tb testing.TB, proto layers.IPProtocol, tr gopacket.SerializableLayer, payload []byte) []byte {
	tb.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
	switch t := tr.(type) {
	case *layers.TCP:
		t.SetNetworkLayerForChecksum(ip)
	case *layers.UDP:
		t.SetNetworkLayerForChecksum(ip)
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tr, gopacket.Payload(payload)); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzRun runs a script that defines every handler and reads everything
// it is handed over fuzzed captures: no input may crash the engine, make
// a handler fail or hang it. The first byte chooses the link type of the
// records that follow (or a whole file) and the pipeline.
//
// A run takes milliseconds, so the fuzzer's minimisation of each new
// input dominates unless bounded:
//
//	go test ./scripting -run '^$' -fuzz '^FuzzRun$' -fuzzminimizetime 1x -timeout 0
func FuzzRun(f *testing.F) {
	wd, err := os.Getwd()
	if err != nil {
		f.Fatal(err)
	}
	shared := filepath.Join(wd, "..", "..", "shared")
	for _, name := range runSeedFiles {
		data, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			continue // the shared captures are not everywhere
		}
		s := runSeed(data)
		f.Add(s)
		if name == "captures/smb2_session.pcap" || name == "corpus/dns/dns_tcp.pcap" {
			f.Add(append([]byte{s[0] | runPipeline}, s[1:]...))
		}
	}
	for i, fr := range damagedFrames(f) {
		f.Add(append([]byte{runEther | byte(i%2)*runPipeline}, pcapRecord(1_700_000_000, fr)...))
	}
	// A record longer than what follows it.
	f.Add(append([]byte{runEther}, pcapRecord(1, make([]byte, 60))[:40]...))
	f.Add(append([]byte{runSLL}, pcapRecord(1, []byte{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 8, 0, 0x45})...))
	f.Add(append([]byte{runRawIP}, pcapRecord(1, []byte{0x60, 0, 0, 0, 0, 8, 17, 64})...))

	script := filepath.Join(f.TempDir(), "touch.star")
	if err := os.WriteFile(script, []byte(touchEverything), 0o644); err != nil {
		f.Fatal(err)
	}
	ref, err := FileRef(script)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 || len(in) > maxRunInput {
			return
		}
		mode, rest := in[0], in[1:]
		file := rest
		if mode&runLinkMask != runWhole {
			file = append(pcapHeader(runLinks[mode&runLinkMask]), rest...)
		}
		w := bufio.NewWriter(io.Discard)
		cfg := Config{Sink: output.NewStream(w, output.Text), Stdout: w, MaxSteps: fuzzSteps,
			KeepGoing: true, Pipeline: mode&runPipeline != 0}
		s, err := Load(ref, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r, err := source.NewReader("fuzz.pcap", io.NopCloser(bytes.NewReader(file)))
		if err != nil {
			var fe *source.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("opening: %v, not a format error", err)
			}
			return
		}
		err = s.Run(source.NewMerge([]source.Reader{r}))
		r.Close()
		cfg.Sink.Close()
		if err != nil {
			var fe *source.FormatError
			if !errors.As(err, &fe) || fe.Msg == "" {
				t.Fatalf("Run: %v (%T), want nil or a format error", err, err)
			}
		}
		for _, he := range s.Errors() {
			// Reading what the engine hands a handler must never fail,
			// whatever the bytes; only a walk that outgrew its budget
			// may stop.
			if msg := he.First.Error(); !strings.Contains(msg, "too many steps") {
				t.Errorf("%s failed %d times, first: %s", he.Handler, he.Count, msg)
			}
		}
	})
}
