package scripting

// MsgDocs is the reference of the protocol messages the message handlers
// receive: "msg.NAME" for what every message (or every message carried
// over IP) has, "KIND.NAME" for one kind's attributes. `wirelark doc
// dns_msg` prints a kind's entries with the common ones; a test keeps
// them in step with the attributes.
var MsgDocs = []Doc{
	// Every message.
	{"msg.time", "msg.time", "Capture time of the packet that carries the message, float seconds since the epoch."},
	{"msg.pkt", "msg.pkt", "The Packet that carries the message, valid during the handler call as on_packet's."},
	{"msg.conn", "msg.conn", "The connection the message rides, as pkt.conn: a Conn (TCP, UDP or ICMP), None for ARP and IGMP."},
	{"msg.fields", "msg.fields()", "A dict of everything: time, the message's attributes, then the protocol's registry fields present, by their names below the protocol."},
	{"msg.all", "msg.all(field)", "Every occurrence of a registry field in the message, always a list: msg.all(\"qry.name\")."},
	{"msg.FIELD", "msg.opcode, msg.qry.name, msg[\"flags.response\"]", "The protocol's registry fields by the rest of their names (arp.opcode is msg.opcode), as a layer has them; msg[...] always reads the registry. An absent field is None, a repeated one a list."},
	{"msg.src", "msg.src, msg.dst", "Source and destination address of the IPv4 or IPv6 header carrying an ICMP, IGMP, DNS or DHCP message."},
	{"msg.ttl", "msg.ttl", "TTL (IPv4) or hop limit (IPv6) of that header, as received."},
	{"msg.sport", "msg.sport, msg.dport", "UDP or TCP ports carrying a DNS or DHCP message."},

	// ARP.
	{"arp_msg.op", "msg.op", "\"request\", \"reply\", \"gratuitous\" (sender IP = target IP, either form), \"probe\" (a request from 0.0.0.0, RFC 5227), \"rarp-request\", ... or \"op N\"; msg.opcode is the number."},
	{"arp_msg.sender_mac", "msg.sender_mac", "Sender hardware address: a MAC, or colon-separated hex for other hardware."},
	{"arp_msg.sender_ip", "msg.sender_ip", "Sender IPv4 address; None for other protocol types."},
	{"arp_msg.target_mac", "msg.target_mac", "Target hardware address."},
	{"arp_msg.target_ip", "msg.target_ip", "Target IPv4 address."},

	// ICMP.
	{"icmp_msg.version", "msg.version", "4 for ICMP, 6 for ICMPv6."},
	{"icmp_msg.type", "msg.type, msg.code", "Type and code numbers."},
	{"icmp_msg.type_name", "msg.type_name", "\"echo-request\", \"echo-reply\", \"dest-unreach\", \"time-exceeded\", \"redirect\", \"neighbor-solicit\", \"router-advert\", \"mldv2-report\", ...; \"type-N\" for others."},
	{"icmp_msg.code_name", "msg.code_name", "For unreachable, redirect, time-exceeded and parameter-problem: \"port-unreach\", \"frag-needed\", \"admin-prohibited\", \"ttl-exceeded\", \"hop-limit-exceeded\", ...; None for other types."},
	{"icmp_msg.is_error", "msg.is_error", "True for the errors that quote a datagram: v4 types 3, 4, 5, 11, 12; v6 types 1 to 4."},
	{"icmp_msg.id", "msg.id, msg.seq", "Identifier and sequence number of an echo request or reply (v4: big-endian, as icmp.ident and icmp.seq); None otherwise."},
	{"icmp_msg.inner", "msg.inner", "The datagram an error or redirect quotes: record(version, src, dst, proto, ttl, sport, dport, id, seq), ports of a quoted UDP/TCP header, id/seq of a quoted echo; None when nothing is quoted."},
	{"icmp_msg.gateway", "msg.gateway", "The better first hop of a redirect (v4 gateway address, v6 target address)."},
	{"icmp_msg.mtu", "msg.mtu", "Next-hop MTU of fragmentation-needed or packet-too-big, or a router advertisement's MTU option."},
	{"icmp_msg.target", "msg.target", "Target address of a neighbor solicitation, neighbor advertisement or redirect."},
	{"icmp_msg.flags", "msg.flags", "Neighbor advertisement flags record(router, solicited, override), or router advertisement flags record(managed, other, home_agent, preference, proxy); None otherwise."},
	{"icmp_msg.router_lifetime", "msg.router_lifetime", "A router advertisement's router lifetime in seconds (0: not a default router)."},
	{"icmp_msg.source_lladdr", "msg.source_lladdr, msg.target_lladdr", "The source and target link-layer address options of Neighbor Discovery."},
	{"icmp_msg.prefixes", "msg.prefixes", "A router advertisement's prefixes: list of record(prefix \"2001:db8::/64\", length, on_link, autonomous, valid_lifetime, preferred_lifetime)."},
	{"icmp_msg.rdnss", "msg.rdnss, msg.dnssl", "DNS servers and search domains a router advertisement carries (lists)."},
	{"icmp_msg.group", "msg.group", "Multicast address of an MLD query, report or done (:: in a general query)."},
	{"icmp_msg.sources", "msg.sources", "Source addresses of an MLDv2 query (list)."},
	{"icmp_msg.records", "msg.records", "An MLDv2 report's records: list of record(type, type_name, group, sources), type_name as RFC 3810 (\"CHANGE_TO_EXCLUDE_MODE\", ...)."},

	// IGMP.
	{"igmp_msg.version", "msg.version", "IGMP version 1, 2 or 3, from the message's type and length."},
	{"igmp_msg.type", "msg.type, msg.type_name", "Type number and \"membership-query\", \"membership-report\", \"leave-group\" or \"type-0xNN\"."},
	{"igmp_msg.group", "msg.group", "The group a query (0.0.0.0 for a general one), v1/v2 report or leave names; None in a v3 report."},
	{"igmp_msg.records", "msg.records", "A v3 report's group records: list of record(type, type_name, group, sources), type_name as RFC 3376 (\"MODE_IS_EXCLUDE\", \"ALLOW_NEW_SOURCES\", ...)."},
	{"igmp_msg.sources", "msg.sources", "Source addresses of a v3 group-and-source-specific query (list)."},

	// DNS.
	{"dns_msg.proto", "msg.proto", "\"dns\", \"mdns\" or \"llmnr\"."},
	{"dns_msg.transport", "msg.transport", "\"udp\" or \"tcp\"."},
	{"dns_msg.id", "msg.id", "Transaction ID (dns.id)."},
	{"dns_msg.flags", "msg.flags, msg.flags.response, ...", "The flags word and its bits, as the registry names them (dns.flags.*)."},
	{"dns_msg.is_response", "msg.is_response", "True for a response."},
	{"dns_msg.opcode", "msg.opcode", "Opcode number (0 query, 4 notify, 5 update)."},
	{"dns_msg.rcode", "msg.rcode, msg.rcode_name", "Response code, extended by an OPT record's upper bits, and its name: \"NOERROR\", \"NXDOMAIN\", \"SERVFAIL\", \"REFUSED\", ..."},
	{"dns_msg.questions", "msg.questions", "List of record(name, type, type_name, class)."},
	{"dns_msg.answers", "msg.answers, msg.authority, msg.additional", "Lists of record(name, type, type_name, class, ttl, data): data is an address string for A and AAAA, a name for CNAME, NS, PTR and DNAME, a list of strings for TXT, record(preference, exchange) for MX, record(mname, rname, serial, refresh, retry, expire, minimum) for SOA, record(priority, weight, port, target) for SRV, record(udp_payload_size, ext_rcode, version, do) for OPT (whose class and ttl are None), bytes for other types, None for empty data."},

	// DHCP.
	{"dhcp_msg.version", "msg.version", "4 for DHCP (and BOOTP), 6 for DHCPv6. Attributes that one version lacks are None in the other."},
	{"dhcp_msg.op", "msg.op", "1 (BOOTREQUEST, from a client) or 2 (BOOTREPLY, from a server); None for DHCPv6."},
	{"dhcp_msg.xid", "msg.xid", "Transaction ID, an int (24 bits in DHCPv6). For a DHCPv6 relay message, the relayed client or server message's; None if it has none."},
	{"dhcp_msg.secs", "msg.secs, msg.flags, msg.flags.bc", "DHCPv4: seconds elapsed, and the flags word with its broadcast bit (registry fields; DHCPv6 has msg.options[8], the elapsed time)."},
	{"dhcp_msg.ciaddr", "msg.ciaddr, msg.yiaddr, msg.siaddr, msg.giaddr", "Client, your (assigned), next-server and relay agent addresses; None for DHCPv6."},
	{"dhcp_msg.chaddr", "msg.chaddr", "Client hardware address: a MAC, or colon-separated hex for other hardware types; None for DHCPv6 (see msg.client_id)."},
	{"dhcp_msg.message_type", "msg.message_type", "DHCPv4: option 53 by name: \"DISCOVER\", \"OFFER\", \"REQUEST\", \"DECLINE\", \"ACK\", \"NAK\", \"RELEASE\", \"INFORM\", \"LEASEQUERY\", ...; None for plain BOOTP. DHCPv6: \"SOLICIT\", \"ADVERTISE\", \"REQUEST\", \"CONFIRM\", \"RENEW\", \"REBIND\", \"REPLY\", \"RELEASE\", \"DECLINE\", \"RECONFIGURE\", \"INFORMATION-REQUEST\", \"RELAY-FORW\", \"RELAY-REPL\", ..."},
	{"dhcp_msg.relayed_type", "msg.relayed_type", "DHCPv6 relay messages: the type of the message relayed (the innermost of a chain), as message_type names it; None otherwise."},
	{"dhcp_msg.options", "msg.options[51]", "Dict option code -> value, in message order. DHCPv4: typed where the registry has a field for the option (lists for address lists, ints, strings, records for 21, 33 and 81, a dict sub-option -> value for 82), the raw bytes otherwise. DHCPv6 (the message's own options, a relay's for a relay): DUIDs as text, record(iaid, t1, t2, addresses|prefixes) for 3 and 25, lists of ints (6), addresses (23, 22, ...) and names (24, 21, ...), ints (7, 8 in hundredths of a second, 32), record(code, name, message) for 13, True for 14, record(flags, name) for 39, strings for 41, 42, 103, 112, the raw bytes otherwise; a repeated option keeps its first value."},
	{"dhcp_msg.host_name", "msg.host_name", "Option 12; None for DHCPv6."},
	{"dhcp_msg.requested_addr", "msg.requested_addr", "Option 50; None for DHCPv6."},
	{"dhcp_msg.server_id", "msg.server_id", "DHCPv4: option 54. DHCPv6: the server's DUID (option 2) as text, as client_id."},
	{"dhcp_msg.lease_time", "msg.lease_time", "Option 51, seconds; None for DHCPv6 (see msg.addresses)."},
	{"dhcp_msg.client_id", "msg.client_id", "DHCPv4: option 61: the MAC of a hardware-type-1 identifier, else the identifier as colon-separated hex. DHCPv6: the client's DUID (option 1): the MAC of an Ethernet DUID-LLT or DUID-LL, else the DUID in hex."},
	{"dhcp_msg.params", "msg.params", "Option 55, the parameter request list: list of ints; None for DHCPv6 (see msg.options[6])."},
	{"dhcp_msg.addresses", "msg.addresses", "DHCPv6: the IA_NA addresses, list of record(iaid, addr, preferred, valid), lifetimes in seconds; None for DHCPv4."},
	{"dhcp_msg.prefixes", "msg.prefixes", "DHCPv6: the IA_PD prefixes, list of record(iaid, prefix, preferred, valid) with prefix as \"2001:db8::/56\"; None for DHCPv4."},
	{"dhcp_msg.status", "msg.status", "DHCPv6: the status code's name (\"Success\", \"NoAddrAvail\", \"NoBinding\", ...) of the message's Status Code option, else of the first inside an IA; None without one, and for DHCPv4."},

	// Kerberos.
	{"kerberos_msg.msg_type", "msg.msg_type", "\"AS-REQ\", \"AS-REP\", \"TGS-REQ\", \"TGS-REP\", \"AP-REQ\", \"AP-REP\", \"KRB-ERROR\", ...; None for a message that could not be decoded (as every attribute)."},
	{"kerberos_msg.request_type", "msg.request_type, msg.is_request", "Zeek's request_type: \"AS\" or \"TGS\" for requests and their replies, None otherwise; is_request is True for AS-REQ and TGS-REQ."},
	{"kerberos_msg.success", "msg.success", "True for an AS-REP or TGS-REP, False for a KRB-ERROR, None for the others (Zeek's success)."},
	{"kerberos_msg.client", "msg.client, msg.realm, msg.zeek_client", "The client principal (\"alice\", \"host/pc.example\"), its realm, and Zeek's client column \"name/REALM\" (None for a TGS-REQ, whose client Zeek takes from the reply)."},
	{"kerberos_msg.service", "msg.service", "The service principal a request or error names, or the issued ticket's in a reply (\"krbtgt/EXAMPLE.COM\")."},
	{"kerberos_msg.etypes", "msg.etypes, msg.cipher", "Encryption types a request offers, in order, with Wireshark's names; cipher is Zeek's name for the issued ticket's etype in a reply (\"aes256-cts-hmac-sha1-96\")."},
	{"kerberos_msg.error", "msg.error, msg.error_code, msg.error_msg, msg.zeek_ignored", "A KRB-ERROR's code by Wireshark's name (\"KRB5KDC_ERR_PREAUTH_REQUIRED\") and number, Zeek's error_msg (the e-text, else Zeek's name), and whether Zeek leaves it out of kerberos.log (the routine pre-authentication request)."},
	{"kerberos_msg.valid_from", "msg.valid_from, msg.till, msg.rtime", "A request's from (start), till (end) and rtime (renew-till) times, float seconds since the epoch, None when absent."},
	{"smb_msg.version", "msg.version", "1 for SMB1, 2 for SMB 2.x, 3 for an SMB 3.x dialect (as the connection negotiated it)."},
	{"smb_msg.command", "msg.command, msg.command_display, msg.command_code", "The command by Zeek's name (\"NEGOTIATE\", \"TREE_CONNECT_ANDX\", \"CREATE\", \"QUERY_DIRECTORY\", ...; \"ENCRYPTED\" for an SMB3 transform) and by Wireshark's (\"Tree Connect AndX\", \"Create\"), and its number (smb.cmd, smb2.cmd)."},
	{"smb_msg.sub_command", "msg.sub_command, msg.info_level", "A Trans2 or NT Transact sub-command or named-pipe function (SMB1), an FSCTL or information class (SMB2), in a response the request's; info_level is the information level or class of a query or set."},
	{"smb_msg.argument", "msg.argument", "What the request names: the share path of a tree connect, the file of a create or open, the search pattern of a directory query (in a response, the request's); None otherwise."},
	{"smb_msg.is_response", "msg.is_response, msg.pending, msg.encrypted", "True for a response; pending marks an SMB2 interim STATUS_PENDING response (the final one follows); encrypted an SMB3 message seen only as its transform header."},
	{"smb_msg.status", "msg.status, msg.status_code", "A response's NT status by Wireshark's name (\"STATUS_SUCCESS\", \"STATUS_OBJECT_NAME_NOT_FOUND\") and number; None in a request."},
	{"smb_msg.message_id", "msg.message_id, msg.session_id, msg.tree_id, msg.pid", "SMB2 message, session, tree and process ids; for SMB1 the mid, uid, tid and pid."},
	{"smb_msg.tree", "msg.tree, msg.tree_service", "The share the message's tree id stands for (\"\\\\server\\share\"), and its service (SMB1 \"A:\", \"IPC\"; SMB2 \"DISK\", \"PIPE\", \"PRINT\"), from the connection's tree connects."},
	{"smb_msg.filename", "msg.filename", "The file the message is about: named in the request, or known from the handle's create; \"\" for a share's root."},
	{"smb_msg.user", "msg.user", "The session's user, DOMAIN\\name, from NTLMSSP authentication (or the SMB1 account fields)."},
	{"smb_msg.dialects", "msg.dialects, msg.dialect", "The dialects a negotiate request offers (\"SMB 2.1\", \"NT LM 0.12\"), and the one the connection chose."},
	{"smb_msg.offset", "msg.offset, msg.length", "Offset and length of a read or write (in a response, the offset asked and the bytes read or written)."},
	{"smb_msg.file_id", "msg.file_id, msg.file_size", "The file handle a message names (SMB2: the 16-byte id as Wireshark writes it, \"related\" for the previous create's in a compound; SMB1: the fid as 0xNNNN), and the file's size from a create response or a set-end-of-file."},
	{"smb_msg.new_name", "msg.new_name, msg.delete_pending", "SMB2 SET_INFO: the new name of a rename, and the delete-on-close flag of a disposition (in a response, the request's); None otherwise."},
	{"smb_msg.rtt", "msg.rtt, msg.request_time", "In a response, seconds since its request, and the request's time; None when the request was not captured."},
	{"kerberos_msg.flags", "msg.flags, msg.forwardable, msg.renewable", "A request's KDC options by name (\"forwardable\", \"renewable\", \"canonicalize\", ...), and the two Zeek logs."},
}
