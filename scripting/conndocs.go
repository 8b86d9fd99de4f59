package scripting

// ConnDocs is the reference of the Conn and Stream values the connection
// handlers receive; `wirelark doc conn` and `wirelark doc stream` print
// them and a test keeps them in step with the attributes.
var ConnDocs = []Doc{
	{"conn.id", "conn.id", "Wireshark's tcp.stream or udp.stream index; ICMP connections are numbered from 0 in order of appearance. A connection Zeek splits where Wireshark does not (a tuple reused after a close) keeps the index."},
	{"conn.uid", "conn.uid", "Unique number, from 1 in order of start (conn.log's uid)."},
	{"conn.proto", "conn.proto", "\"tcp\", \"udp\" or \"icmp\" (ICMPv6 too)."},
	{"conn.client", "conn.client, conn.server", "Originator and responder as \"ip:port\", IPv6 in brackets. For ICMP the ports are Zeek's: the type, and the counterpart type (echo request 8 pairs with reply 0) or the code."},
	{"conn.server", "conn.server", "The responder as \"ip:port\"."},
	{"conn.orig_h", "conn.orig_h, conn.orig_p", "Originator address (string) and port (int): the sender of the first packet unless Zeek's heuristics flipped the roles (history holds '^')."},
	{"conn.orig_p", "conn.orig_p", "Originator port."},
	{"conn.resp_h", "conn.resp_h, conn.resp_p", "Responder address and port."},
	{"conn.resp_p", "conn.resp_p", "Responder port."},
	{"conn.start", "conn.start", "Time of the first packet, float seconds since the epoch."},
	{"conn.end", "conn.end", "Time of the last packet that counts for the duration (for TCP, not those after both sides closed)."},
	{"conn.duration", "conn.duration", "conn.end - conn.start in seconds (conn.log leaves it empty when 0)."},
	{"conn.orig_pkts", "conn.orig_pkts, conn.resp_pkts", "Packets each way."},
	{"conn.resp_pkts", "conn.resp_pkts", "Packets from the responder."},
	{"conn.orig_bytes", "conn.orig_bytes, conn.resp_bytes", "Payload bytes each way as Zeek counts them: for TCP the sequence space covered (bytes lost in gaps count), for UDP and ICMP the payload lengths."},
	{"conn.resp_bytes", "conn.resp_bytes", "Payload bytes from the responder."},
	{"conn.orig_ip_bytes", "conn.orig_ip_bytes, conn.resp_ip_bytes", "IP total lengths each way."},
	{"conn.resp_ip_bytes", "conn.resp_ip_bytes", "IP bytes from the responder."},
	{"conn.missed_bytes", "conn.missed_bytes", "Bytes acknowledged but never seen in the capture (conn.log's missed_bytes)."},
	{"conn.state", "conn.state", "Zeek's conn_state: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH."},
	{"conn.history", "conn.history", "Zeek's history letters (ShADadFfRrCcTtWwIiQqGg^), upper case from the originator."},
	{"conn.service", "conn.service", "The first application protocol the decoder found on the connection: \"dns\", \"mdns\", \"llmnr\" or \"dhcp\" (recognised by port, as Wireshark does); \"\" for others."},
	{"conn.syn_time", "conn.syn_time, conn.synack_time, conn.ack_time", "Handshake times, None where not seen. syn_time is the SYN the first SYN-ACK answers: the last SYN before it whose sequence number is the SYN-ACK's acknowledgement minus one (a retransmitted SYN repeats the number, so the latest is the one that got through); before a SYN-ACK, the first SYN."},
	{"conn.synack_time", "conn.synack_time", "The first SYN-ACK from the responder."},
	{"conn.ack_time", "conn.ack_time", "The originator's first ACK of the SYN-ACK, which completes the handshake."},
	{"conn.rtt", "conn.rtt", "ack_time - syn_time in seconds; None unless both were seen."},
	{"conn.syn_count", "conn.syn_count", "SYNs (without ACK) from the originator, retransmissions included."},
	{"conn.ended", "conn.ended", "True once the connection ended (always in on_conn_end)."},
	{"conn.end_reason", "conn.end_reason", "\"closed\", \"attempt\", \"inactive\", \"reused\", \"evicted\" or \"flushed\" (end of capture); None before the end."},

	{"stream.conn", "stream.conn", "The connection, as a snapshot Conn taken when read."},
	{"stream.direction", "stream.direction", "\"orig\" (client to server) or \"resp\"."},
	{"stream.gaps", "stream.gaps", "Bytes missing in this direction so far: acknowledged but not captured, cut by the snapshot length, or skipped at a memory limit."},
	{"stream.dropped", "stream.dropped", "Bytes delivered to on_stream_data but not kept for stream.data() (past the bounds)."},
	{"stream.data", "stream.data()", "The direction's bytes so far, as kept: the first 1 MiB of each direction, while all connections together keep at most 64 MiB; released when the connection ends unless a Stream is still held."},
	{"stream.follow", "stream.follow()", "The connection's kept bytes, both directions, as text like tshark -z follow,tcp,ascii: Node 0 and Node 1, then each chunk's length (tab-indented for Node 1) and its bytes, non-printing ones as '.'."},
}
