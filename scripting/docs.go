package scripting

import (
	"sort"
	"strings"
)

// Doc documents one name a script can use.
type Doc struct {
	Name string // e.g. "emit", "stats.inc", "pkt.num", "on_packet"
	Sig  string // how it is called, e.g. "emit(table, **fields)"
	Text string // one or two sentences
}

// Docs is the reference of every predeclared name, module member,
// handler, packet attribute and run counter; `wirelark doc` prints it and
// a test keeps it in step with what scripts really see.
var Docs = []Doc{
	// Handlers.
	{"on_start", "def on_start()", "Called once, before the first packet."},
	{"on_packet", "def on_packet(pkt)", "Called for every packet that passes FILTER and -Y, with a Packet valid until the call returns (pkt.copy() keeps one)."},
	{"on_end", "def on_end() or def on_end(run)", "Called once after the last packet; run holds the run's counters (run.packets, ...)."},
	{"on_arp", "def on_arp(msg)", "Called for each ARP message with an arp_msg (`wirelark doc arp_msg`). Message handlers see the packets that pass FILTER and -Y, after on_packet, one call per message in layer order."},
	{"on_icmp", "def on_icmp(msg)", "Called for each ICMPv4 and ICMPv6 message (msg.version) with an icmp_msg; a message quoted inside an ICMP error is not delivered again (msg.inner describes it)."},
	{"on_igmp", "def on_igmp(msg)", "Called for each IGMP message (versions 1 to 3) with an igmp_msg."},
	{"on_dns", "def on_dns(msg)", "Called for each DNS, mDNS and LLMNR message (msg.proto) with a dns_msg: over UDP, and over TCP where a segment holds whole messages (messages split across segments wait for TCP reassembly)."},
	{"on_dhcp", "def on_dhcp(msg)", "Called for each DHCP (and BOOTP) message over IPv4 and each DHCPv6 message (msg.version 6; a relay message and what it relays arrive as one) with a dhcp_msg."},
	{"on_kerberos", "def on_kerberos(msg)", "Called for each Kerberos message over UDP or TCP port 88 (TCP records reassembled across segments), and for the AP-REQ, AP-REP or KRB-ERROR inside an SMB2 session setup's SPNEGO token, with a kerberos_msg (`wirelark doc kerberos_msg`). Kerberos in LDAP binds is not delivered yet."},
	{"on_smb", "def on_smb(msg)", "Called for each SMB1 command (every command of an AndX chain) and SMB2/SMB3 message (every message of a compound) over TCP 139 and 445, reassembled across segments, with an smb_msg (`wirelark doc smb_msg`) that knows its tree, file, user and, in a response, its request. SMB state sees every SMB message, whatever FILTER and -Y keep."},
	{"on_conn_start", "def on_conn_start(conn)", "Called after the first packet of a TCP, UDP or ICMP connection, before on_packet sees it, with a snapshot Conn (`wirelark doc conn`). Connection handlers see every packet's effect, whatever FILTER and -Y keep."},
	{"on_handshake", "def on_handshake(conn)", "Called at the ACK completing a TCP three-way handshake seen whole, with a snapshot Conn (conn.syn_time, .synack_time, .ack_time, .rtt)."},
	{"on_conn_end", "def on_conn_end(conn)", "Called exactly once per connection: after both FINs or a RST and Zeek's 5 s close delay, at an idle timeout (TCP 5 min, UDP and ICMP 1 min; an unanswered SYN 5 s), when a new SYN reuses it, or at the end of the capture (conn.end_reason). The Conn is final."},
	{"on_stream_data", "def on_stream_data(stream, data)", "Called with each run of in-order reassembled TCP bytes of one direction, as Wireshark's Follow TCP Stream has them (`wirelark doc stream`); held out-of-order bytes come before the conn's on_conn_end."},

	// Predeclared names.
	{"emit", "emit(table, **fields)", "Writes a row into a named table. Columns are those of the table's first row; a later row may leave some out, not add new ones."},
	{"print", "print(*args, sep=\" \")", "Writes a line to standard output, after the rows emitted before it."},
	{"ARGS", "ARGS[\"name\"]", "The --arg name=value pairs of the command line, as a frozen dict of strings."},
	{"FILTER", "FILTER = \"display filter\"", "A top-level string: a Wireshark display filter applied in Go before on_packet."},
	{"json", "json.encode(x), json.decode(s), json.indent(s)", "Starlark's JSON module."},
	{"math", "math.sqrt(x), math.log(x), ...", "Starlark's math module."},
	{"time", "time.from_timestamp(sec), time.parse_time(s), time.parse_duration(s)", "Starlark's time module, in UTC; time.now() is refused: scripts see packet times only."},
	{"stats", "stats.inc(name), stats.top(name), ...", "Counters and distributions that live for the whole run (see its members)."},
	{"hex", "hex.dump(data), hex.encode(data), hex.decode(text)", "Hex dumps and hex text."},

	// stats.
	{"stats.inc", "stats.inc(name, key=None, by=1)", "Adds by to counter name, or to its entry for key."},
	{"stats.count", "stats.count(name, key=None)", "The counter's total, or one key's; 0 for a counter never touched. Every emitted row counts under its table's name."},
	{"stats.counts", "stats.counts(name)", "Dict key -> count, largest first."},
	{"stats.top", "stats.top(name, n=10)", "List of (key, count), largest first, ties by key."},
	{"stats.observe", "stats.observe(name, value)", "Adds a number to distribution name."},
	{"stats.summary", "stats.summary(name)", "Dict of count, sum, min, max and mean of a distribution."},
	{"stats.percentiles", "stats.percentiles(name_or_list, ps=[50, 90, 99])", "Percentiles with linear interpolation between closest ranks; exact up to a million values, estimated above."},
	{"stats.histogram", "stats.histogram(name_or_list, edges)", "List of (low, high, count) buckets between sorted edges."},
	{"stats.names", "stats.names()", "Sorted names of every counter and distribution."},

	// hex.
	{"hex.dump", "hex.dump(data, width=16)", "The bytes as tshark -x shows them: offset, hex, printable characters."},
	{"hex.encode", "hex.encode(data)", "Lower-case hex text."},
	{"hex.decode", "hex.decode(text)", "Bytes from hex text; spaces and colons are ignored."},

	// Packets.
	{"pkt.num", "pkt.num", "Frame number, from 1, as Wireshark counts."},
	{"pkt.time", "pkt.time", "Capture time, float seconds since the epoch."},
	{"pkt.len", "pkt.len", "Length on the wire."},
	{"pkt.caplen", "pkt.caplen", "Bytes captured."},
	{"pkt.layers", "pkt.layers", "Protocol names of the layers, outermost first."},
	{"pkt.payload", "pkt.payload", "Bytes of the top layer's payload."},
	{"pkt.summary", "pkt.summary()", "One line, as tshark's packet list."},
	{"pkt.show", "pkt.show()", "The detail tree, as tshark -V."},
	{"pkt.hex", "pkt.hex()", "A hex dump of the frame."},
	{"pkt.all", "pkt.all(field)", "Every occurrence of a field, always a list."},
	{"pkt.copy", "pkt.copy()", "A copy of the packet that stays valid after the handler returns."},
	{"pkt.conn", "pkt.conn", "The packet's connection as it stands (a Conn: id, state, history, bytes...), None for packets outside TCP, UDP and ICMP. A script that reads .conn anywhere turns connection tracking on."},
	{"pkt.PROTO", "pkt.ip, pkt.tcp.flags.syn, pkt[\"dns.qry.name\"]", "A layer and its fields by Wireshark's names (`wirelark fields`); None when absent; a list when a field occurs several times."},

	// Run counters.
	{"run.packets", "run.packets", "Frames read."},
	{"run.decoded", "run.decoded", "Packets decoded."},
	{"run.filtered_out", "run.filtered_out", "Packets FILTER or -Y kept from on_packet."},
	{"run.malformed", "run.malformed", "Packets with a damaged header."},
	{"run.bytes", "run.bytes", "Captured bytes read."},
	{"run.first_time", "run.first_time", "Time of the first frame (None without frames)."},
	{"run.last_time", "run.last_time", "Time of the last frame (None without frames)."},
	{"run.handler_calls", "run.handler_calls[\"on_packet\"]", "Calls per handler."},
	{"run.errors", "run.errors[\"on_packet\"]", "Errors per handler (with --keep-going)."},
	{"run.script_time", "run.script_time", "Seconds spent in handlers."},
	{"run.flows", "run.flows.conns, .tcp, .udp, .icmp, .active, .max_active, .closed, .attempts, .timeouts, .reused, .evicted, .flushed, .no_transport, .skipped, .bad_checksums", "Flow table counters: connections by protocol, at most at once, how they ended; None without connection handlers."},
	{"run.streams", "run.streams.segments, .bytes, .chunks, .retransmitted, .held, .overlaps, .conflicts, .gaps, .gap_bytes, .overflows, .evicted, .peak_buffered, .kept, .not_kept", "TCP reassembly counters: segments, bytes delivered, holes skipped, limits hit, bytes buffered out of order at the peak, bytes kept for stream.data(); None without on_stream_data."},
	{"run.smb", "run.smb.smb1_messages, .smb2_messages, .encrypted, .compressed, .connections, .conns_evicted, .dropped", "SMB counters: messages by version, SMB3 encrypted and compressed messages (recognised, not decoded), connections with SMB state, and what the bounded state tables dropped; None without on_smb."},
}

// DocsFor returns the entries named name or under it (name "stats" gives
// stats and its members; a message type such as "dns_msg" its attributes
// and those every message has); every entry for "".
func DocsFor(name string) []Doc {
	var out []Doc
	under := func(n string) bool { return name == "" || n == name || strings.HasPrefix(n, name+".") }
	for _, d := range append(append(append([]Doc(nil), Docs...), MsgDocs...), ConnDocs...) {
		if under(d.Name) || strings.HasSuffix(name, "_msg") && strings.HasPrefix(d.Name, "msg.") {
			out = append(out, d)
		}
	}
	return out
}

// DocNames lists the documented names, sorted.
func DocNames() []string {
	names := make([]string, 0, len(Docs)+len(MsgDocs))
	for _, d := range Docs {
		names = append(names, d.Name)
	}
	for _, d := range MsgDocs {
		names = append(names, d.Name)
	}
	for _, d := range ConnDocs {
		names = append(names, d.Name)
	}
	sort.Strings(names)
	return names
}
