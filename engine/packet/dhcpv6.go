package packet

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
)

// DHCPv6 (RFC 8415) is read, like DHCP, by the project's own walker over
// the layer's bytes, in the order of Wireshark's tree: each field walks
// the message and keeps its own occurrences. A relayed message (the
// Relay Message option of RELAY-FORW and RELAY-REPL) is walked in place,
// as Wireshark nests its tree inside the option, so the fields of every
// message in a relay chain belong to the one layer, outermost first.
//
// Where Wireshark checks an option's length it shows nothing of a value
// that does not fit; where it reads without checking (the bytes past a
// short option, a sub-option's length) the walk reads on into the rest
// of the message and stops, as Wireshark's dissector throws, only at the
// end of the datagram.

var dhcpv6MsgTypeNames = map[uint64]string{1: "Solicit", 2: "Advertise", 3: "Request", 4: "Confirm", 5: "Renew",
	6: "Rebind", 7: "Reply", 8: "Release", 9: "Decline", 10: "Reconfigure", 11: "Information-request",
	12: "Relay-forw", 13: "Relay-reply", 14: "Leasequery", 15: "Leasequery-reply", 16: "Leasequery-done",
	17: "Leasequery-data", 18: "Reconfigure-request", 19: "Reconfigure-reply"}

// dhcpv6OptNames are Wireshark's names of the options.
var dhcpv6OptNames = map[uint64]string{1: "Client Identifier", 2: "Server Identifier",
	3: "Identity Association for Non-temporary Address", 4: "Identity Association for Temporary Address",
	5: "IA Address", 6: "Option Request", 7: "Preference", 8: "Elapsed time", 9: "Relay Message",
	11: "Authentication", 12: "Server unicast", 13: "Status code", 14: "Rapid Commit", 15: "User Class",
	16: "Vendor Class", 17: "Vendor-specific Information", 18: "Interface-Id", 19: "Reconfigure Message",
	20: "Reconfigure Accept", 21: "SIP Server Domain Name List", 22: "SIP Servers IPv6 Address List",
	23: "DNS recursive name server", 24: "Domain Search List", 25: "Identity Association for Prefix Delegation",
	26: "IA Prefix", 27: "Network Information Server", 28: "Network Information Server V2",
	29: "Network Information Server Domain Name", 30: "Network Information Server V2 Domain Name",
	31: "Simple Network Time Protocol Server", 32: "Lifetime", 33: "BCMCS Server Domain",
	34: "BCMCS Servers IPv6 Address List", 36: "Geoconf Civic Address", 37: "Remote Identifier",
	38: "Subscriber Identifier", 39: "Client Fully Qualified Domain Name", 40: "PANA Agents IPv6 Address List",
	41: "Time Zone", 42: "Time Zone Database", 43: "Echo Request Option", 44: "Leasequery Query",
	45: "Leasequery Client Data", 46: "Client Last Transaction Time", 47: "Leasequery Relay Data",
	48: "Leasequery Client Link Address List", 49: "Home Network Identifier FQDN",
	50: "Visited Home Network Information", 51: "LoST Server", 52: "CAPWAP Access Controllers", 53: "Relay-ID",
	54: "MoS IPv6 Address", 55: "MoS Domain Name List", 56: "NTP Server", 57: "Access Network Domain Name",
	58: "SIP User Agent Configuration Service Domains", 59: "Boot File URL", 60: "Boot File Parameters",
	61: "Client System Architecture Type", 62: "Client Network Interface Identifier", 63: "Geolocation",
	64: "Dual-Stack Lite AFTR Name", 65: "ERP Local Domain Name", 66: "Relay-Supplied Options",
	67: "Prefix Exclude", 68: "Virtual Subnet Selection", 69: "Identified Home Network Information",
	70: "Unrestricted Home Network Information", 71: "Home Network Prefix", 72: "Home Agent Address",
	73: "Home Agent FQDN", 74: "RDNSS Selection", 75: "Kerberos Principal Name", 76: "Kerberos Realm Name",
	77: "Kerberos Default Realm Name", 78: "Kerberos KDC", 79: "Client Link-Layer Address", 80: "Link Address",
	81: "RADIUS", 82: "SOL_MAX_RT", 83: "INF_MAX_RT", 84: "Address Selection", 85: "Address Selection table",
	86: "PCP Server", 87: "DHCPv4 Message", 88: "DHCP 4o6 Servers Address", 89: "S46 Rule", 90: "S46 BR",
	91: "S46 DMR", 92: "S46 IPv4/IPv6 Address Binding", 93: "S46 Port Parameters", 94: "S46 MAP-E Container",
	95: "S46 MAP-T Container", 96: "S46 Lightweight 4over6 Container", 97: "4rd Options",
	98: "4rd Mapping Rule", 99: "4rd Non-Mapping Rule", 100: "LQ Server Base Time",
	101: "LQ Server Query Start Time", 102: "LQ Server Query End Time", 103: "Captive Portal",
	104: "MPL Parameter Configuration", 105: "Access Technology Type", 106: "Access Network Name",
	107: "Access Point Name", 108: "Access Point BSSID", 109: "Access Network Operator ID",
	110: "Access Network Operator Realm", 111: "S46 Priority", 112: "Manufacturer Usage Description",
	113: "IPv4/IPv6 Multicast Prefixes", 114: "Failover Binding Status", 115: "Failover Connect Flags",
	116: "Failover DNS Removal Info", 117: "Failover DNS Hostname", 118: "Failover DNS Zone Name",
	119: "Failover DNS Flags", 120: "Failover Expiration Time", 121: "Failover Maximum Number Unacked BNDUPD Messages",
	122: "Failover Maximum Client Lead Time (MCLT)", 123: "Failover Partner Lifetime",
	124: "Failover Partner Lifetime Sent", 125: "Failover Partner Down Time", 126: "Failover Partner Raw Client Time",
	127: "Failover Protocol Version", 128: "Failover Keepalive Time", 129: "Failover Reconfigure Data",
	130: "Failover Relationship Name", 131: "Failover Server Flags", 132: "Failover Server State",
	133: "Failover Start Time of State", 134: "Failover State Expiration Time", 135: "Relay Source Port",
	136: "SZTP Redirect", 137: "Softwire Source Binding Prefix Hint", 143: "ANDSF IPv6 Address",
	165: "Mobile IPv6 Home Agent", 166: "Mobile IPv6 Home Address", 167: "Network Access Identifier"}

var dhcpv6StatusNames = map[uint64]string{0: "Success", 1: "UnspecFail", 2: "NoAddrAvail", 3: "NoBinding",
	4: "NotOnLink", 5: "UseMulticast", 6: "NoPrefixAvail", 7: "UnknownQueryType", 8: "MalformedQuery",
	9: "NotConfigured", 10: "NotAllowed", 11: "QueryTerminated", 12: "DataMissing", 13: "CatchUpComplete",
	14: "NotSupported", 15: "TLSConnectionRefused"}

var dhcpv6DUIDNames = map[uint64]string{1: "link-layer address plus time",
	2: "assigned by vendor based on Enterprise number", 3: "link-layer address", 4: "Universally Unique IDentifier (UUID)"}

// DHCPv6MsgTypeName is Wireshark's name of a message type.
func DHCPv6MsgTypeName(t uint8) string {
	if s, ok := dhcpv6MsgTypeNames[uint64(t)]; ok {
		return s
	}
	return "Message Type " + strconv.Itoa(int(t))
}

func dhcpv6OptName(code uint16) string {
	if s, ok := dhcpv6OptNames[uint64(code)]; ok {
		return s
	}
	return "DHCP option " + strconv.Itoa(int(code))
}

func d6(name, label string, t Type) *Field { return dhcpField(name, label, t, Dec, 0, 0, nil) }

func d6u(name, label string, size uint8, base Base, strs map[uint64]string) *Field {
	return dhcpField(name, label, TUint, base, size, 0, strs)
}

// The message header and the option header.
var (
	f6MsgType   = d6u("dhcpv6.msgtype", "Message type", 1, Dec, dhcpv6MsgTypeNames)
	f6HopCount  = d6u("dhcpv6.hopcount", "Hopcount", 1, Dec, nil)
	f6XID       = d6u("dhcpv6.xid", "Transaction ID", 3, Hex, nil)
	f6LinkAddr  = d6("dhcpv6.linkaddr", "Link address", TIPv6)
	f6PeerAddr  = d6("dhcpv6.peeraddr", "Peer address", TIPv6)
	f6OptTypeS  = d6("dhcpv6.option.type_str", "Option", TString)
	f6OptType   = d6u("dhcpv6.option.type", "Option", 2, Dec, dhcpv6OptNames)
	f6OptLen    = d6u("dhcpv6.option.length", "Length", 2, Dec, nil)
	f6DUID      = d6("dhcpv6.duid.bytes", "DUID", TBytes)
	f6DUIDType  = d6u("dhcpv6.duid.type", "DUID Type", 2, Dec, dhcpv6DUIDNames)
	f6LLTHw     = d6u("dhcpv6.duidllt.hwtype", "Hardware type", 2, Dec, arpHardwareNames)
	f6LLTTime   = d6("dhcpv6.duidllt.time", "DUID Time", TTime)
	f6LLTAddr   = d6("dhcpv6.duidllt.link_layer_addr", "Link-layer address", TString)
	f6LLHw      = d6u("dhcpv6.duidll.hwtype", "Hardware type", 2, Dec, arpHardwareNames)
	f6LLAddr    = d6("dhcpv6.duidll.link_layer_addr", "Link-layer address", TString)
	f6ENEnt     = d6u("dhcpv6.duiden.enterprise", "Enterprise ID", 4, Dec, nil)
	f6ENID      = d6("dhcpv6.duiden.identifier", "Identifier", TBytes)
	f6UUID      = d6("dhcpv6.duiduuid.bytes", "UUID", TBytes)
	f6IAID      = d6("dhcpv6.iaid", "IAID", TString)
	f6T1        = d6u("dhcpv6.iaid.t1", "T1", 4, Dec, nil)
	f6T2        = d6u("dhcpv6.iaid.t2", "T2", 4, Dec, nil)
	f6IATA      = d6("dhcpv6.iata", "IATA", TString)
	f6IAAddr    = d6("dhcpv6.iaaddr.ip", "IPv6 address", TIPv6)
	f6IAPref    = d6u("dhcpv6.iaaddr.pref_lifetime", "Preferred lifetime", 4, Dec, nil)
	f6IAValid   = d6u("dhcpv6.iaaddr.valid_lifetime", "Valid lifetime", 4, Dec, nil)
	f6ReqOpt    = d6u("dhcpv6.requested_option_code", "Requested Option code", 2, Dec, dhcpv6OptNames)
	f6Pref      = d6u("dhcpv6.option_preference", "Pref-value", 1, Dec, nil)
	f6Elapsed   = d6u("dhcpv6.elapsed_time", "Elapsed time", 2, Dec, nil)
	f6AuthProto = d6u("dhcpv6.auth.protocol", "Protocol", 1, Dec, nil)
	f6AuthAlg   = d6u("dhcpv6.auth.algorithm", "Algorithm", 1, Dec, nil)
	f6AuthRDM   = d6u("dhcpv6.auth.rdm", "RDM", 1, Dec, nil)
	f6AuthRD    = d6("dhcpv6.auth.replay_detection", "Replay Detection", TBytes)
	f6AuthInfo  = d6("dhcpv6.auth.info", "Authentication Information", TBytes)
	f6AuthRealm = d6("dhcpv6.auth.realm", "DHCP realm", TString)
	f6AuthKeyID = d6u("dhcpv6.auth.key_id", "Key ID", 4, Dec, nil)
	f6AuthMD5   = d6("dhcpv6.auth.md5_data", "HMAC-MD5 data", TBytes)
	f6Unicast   = d6("dhcpv6.unicast", "IPv6 address", TIPv6)
	f6Status    = d6u("dhcpv6.status_code", "Status Code", 2, Dec, dhcpv6StatusNames)
	f6StatusMsg = d6("dhcpv6.status_msg", "Status Message", TString)
	f6UCLen     = d6u("dhcpv6.userclass.length", "Length", 2, Dec, nil)
	f6UCData    = d6("dhcpv6.userclass.opaque_data", "Suboption", TBytes)
	f6VCEnt     = d6u("dhcpv6.vendorclass.enterprise", "Enterprise ID", 4, Dec, nil)
	f6VCData    = d6("dhcpv6.vendorclass.data", "vendor-class-data", TString)
	f6VOEnt     = d6u("dhcpv6.vendoropts.enterprise", "Enterprise ID", 4, Dec, nil)
	f6VOCode    = d6u("dhcpv6.vendoropts.enterprise.option_code", "Option code", 2, Dec, nil)
	f6VOLen     = d6u("dhcpv6.vendoropts.enterprise.option_length", "Option length", 2, Dec, nil)
	f6VOData    = d6("dhcpv6.vendoropts.enterprise.option_data", "Option data", TBytes)
	f6IfaceID   = d6("dhcpv6.interface_id", "Interface-ID", TBytes)
	f6Reconf    = d6u("dhcpv6.reconf_msg", "Reconfigure message type", 1, Dec, dhcpv6MsgTypeNames)
	f6SIPName   = d6("dhcpv6.sip_server_domain_search_fqdn", "SIP Server Domain Search FQDN", TString)
	f6SIPAddr   = d6("dhcpv6.sip_server_a", "SIP server address", TIPv6)
	f6DNS       = d6("dhcpv6.dns_server", "DNS server address", TIPv6)
	f6Search    = d6("dhcpv6.search_list_entry", "List entry", TString)
	f6NIS       = d6("dhcpv6.nis_server", "NIS server address", TIPv6)
	f6NISP      = d6("dhcpv6.nisp_server", "NISP server address", TIPv6)
	f6NISName   = d6("dhcpv6.nis_fqdn", "NIS FQDN", TString)
	f6NISPName  = d6("dhcpv6.nisp_fqdn", "NISP FQDN", TString)
	f6SNTP      = d6("dhcpv6.sntp_server", "SNTP server address", TIPv6)
	f6Lifetime  = d6u("dhcpv6.lifetime", "Lifetime", 4, Dec, nil)
	f6BCMCSName = d6("dhcpv6.bcmcs_server_fqdn", "BCMCS server FQDN", TString)
	f6BCMCSAddr = d6("dhcpv6.bcmcs_server_a", "BCMCS server address", TIPv6)
	f6RemoteEnt = d6u("dhcpv6.remoteid.enterprise", "Enterprise ID", 4, Dec, nil)
	f6RemoteID  = d6("dhcpv6.remoteid_enterprise_id", "Remote-ID", TBytes)
	f6Subscr    = d6("dhcpv6.subscriber_id", "Subscriber-ID", TString)
	f6FQDNBad   = d6u("dhcpv6.clientfqdn.bad_msgtype", "Illegal Message Type", 1, Hex, dhcpv6MsgTypeNames)
	f6FQDNFlags = d6u("dhcpv6.client_fqdn_flags", "Flags", 1, Hex, nil)
	f6FQDNCN    = dhcpField("dhcpv6.clientfqdn.client.n", "N bit", TBool, Dec, 1, 0x4, nil)
	f6FQDNCS    = dhcpField("dhcpv6.clientfqdn.client.s", "S bit", TBool, Dec, 1, 0x1, nil)
	f6FQDNSN    = dhcpField("dhcpv6.clientfqdn.server.n", "N bit", TBool, Dec, 1, 0x4, nil)
	f6FQDNSO    = dhcpField("dhcpv6.clientfqdn.server.o", "O bit", TBool, Dec, 1, 0x2, nil)
	f6FQDNSS    = dhcpField("dhcpv6.clientfqdn.server.s", "S bit", TBool, Dec, 1, 0x1, nil)
	f6ClientDom = d6("dhcpv6.client_domain", "Client Domain Name", TString)
	f6PANA      = d6("dhcpv6.pana_agent", "PANA agents address", TIPv6)
	f6TZ        = d6("dhcpv6.timezone", "Time-zone", TString)
	f6TZDB      = d6("dhcpv6.tzdb", "TZ-database", TString)
	f6LQQuery   = d6u("dhcpv6.lq_query", "Query-type", 1, Dec, map[uint64]string{1: "by-address", 2: "by-clientID", 3: "by-relayID", 4: "by-linkAddress", 5: "by-remoteID"})
	f6LQLink    = d6("dhcpv6.lq_query_link_address", "Link address", TIPv6)
	f6CltTime   = d6u("dhcpv6.clt_time", "Clt_time", 4, Dec, nil)
	f6LQPeer    = d6("dhcpv6.lq_relay_data_peer_addr", "Peer address", TIPv6)
	f6LQMsg     = d6("dhcpv6.lq_relay_data_msg", "DHCPv6 relay message", TString)
	f6LQClient  = d6("dhcpv6.lq_client_link", "LQ client links address", TIPv6)
	f6CAPWAP    = d6("dhcpv6.capwap_ac_v6", "CAPWAP Access Controllers address", TIPv6)
	f6AFTR      = d6("dhcpv6.aftr_name", "DS-Lite AFTR Name", TString)
	f6PfxPref   = d6u("dhcpv6.iaprefix.pref_lifetime", "Preferred lifetime", 4, Dec, nil)
	f6PfxValid  = d6u("dhcpv6.iaprefix.valid_lifetime", "Valid lifetime", 4, Dec, nil)
	f6PfxLen    = d6u("dhcpv6.iaprefix.pref_len", "Prefix length", 1, Dec, nil)
	f6PfxAddr   = d6("dhcpv6.iaprefix.pref_addr", "Prefix address", TIPv6)
	f6MIP6HA    = d6("dhcpv6.mip6_home_agent", "Home Agent", TIPv6)
	f6MIP6HoA   = d6("dhcpv6.mip6_home_address", "Home Address", TIPv6)
	f6NAI       = d6("dhcpv6.nai", "NAI", TString)
	f6PDExLen   = d6u("dhcpv6.pd_exclude.pref_len", "Prefix length", 1, Dec, nil)
	f6PDExID    = d6("dhcpv6.pd_exclude.subnet_id", "IPv6 subnet ID", TBytes)
	f6NTPType   = d6u("dhcpv6.ntpserver.option.type", "Suboption", 2, Dec, map[uint64]string{1: "NTP Server Address", 2: "NTP Multicast Address", 3: "NTP Server FQDN"})
	f6NTPLen    = d6u("dhcpv6.ntpserver.option.length", "Length", 2, Dec, nil)
	f6NTPAddr   = d6("dhcpv6.ntpserver.addr", "NTP Server Address", TIPv6)
	f6NTPMc     = d6("dhcpv6.ntpserver.mc_addr", "NTP Multicast Address", TIPv6)
	f6NTPFQDN   = d6("dhcpv6.ntpserver.fqdn", "NTP Server FQDN", TString)
	f6Captive   = d6("dhcpv6.captive_portal", "Captive Portal", TString)
	f6MUDURL    = d6("dhcpv6.mudurl", "MUDURL", TString)
	f6FoHost    = d6("dhcpv6.failover.dns_hostname", "DNS Hostname", TString)
	f6FoZone    = d6("dhcpv6.failover.dns_zonename", "DNS Zone Name", TString)
	f6RelayPort = d6u("dhcpv6.relay_port", "Downstream Source Port", 2, Dec, nil)
)

var dhcpv6Fields = cat(
	[]*Field{f6MsgType, f6HopCount, f6XID, f6LinkAddr, f6PeerAddr, f6OptTypeS, f6OptType, f6OptLen,
		f6DUID, f6DUIDType, f6LLTHw, f6LLTTime, f6LLTAddr, f6LLHw, f6LLAddr, f6ENEnt, f6ENID, f6UUID,
		f6IAID, f6T1, f6T2, f6IATA, f6IAAddr, f6IAPref, f6IAValid, f6ReqOpt, f6Pref, f6Elapsed,
		f6AuthProto, f6AuthAlg, f6AuthRDM, f6AuthRD, f6AuthInfo, f6AuthRealm, f6AuthKeyID, f6AuthMD5,
		f6Unicast, f6Status, f6StatusMsg, f6UCLen, f6UCData, f6VCEnt, f6VCData, f6VOEnt, f6VOCode, f6VOLen, f6VOData,
		f6IfaceID, f6Reconf, f6SIPName, f6SIPAddr, f6DNS, f6Search, f6NIS, f6NISP, f6NISName, f6NISPName,
		f6SNTP, f6Lifetime, f6BCMCSName, f6BCMCSAddr, f6RemoteEnt, f6RemoteID, f6Subscr, f6FQDNBad},
	children(f6FQDNFlags, f6FQDNCN, f6FQDNCS, f6FQDNSN, f6FQDNSO, f6FQDNSS),
	[]*Field{f6ClientDom, f6PANA, f6TZ, f6TZDB, f6LQQuery, f6LQLink, f6CltTime, f6LQPeer, f6LQMsg, f6LQClient,
		f6CAPWAP, f6AFTR, f6PfxPref, f6PfxValid, f6PfxLen, f6PfxAddr, f6MIP6HA, f6MIP6HoA, f6NAI,
		f6PDExLen, f6PDExID, f6NTPType, f6NTPLen, f6NTPAddr, f6NTPMc, f6NTPFQDN, f6Captive, f6MUDURL, f6FoHost, f6FoZone, f6RelayPort},
)

func init() {
	for _, f := range dhcpv6Fields {
		f.Get = dhcpv6Getter(f)
	}
}

func dhcpv6Getter(f *Field) Getter {
	return func(p *Packet, l *Layer, dst []Value) []Value {
		w := dhcpv6Walk{fieldWalk: fieldWalk{want: f, dst: dst, m: p.Data[l.Off:l.End]}}
		w.run()
		return w.dst
	}
}

var protoDHCPv6 = register(&Proto{ID: ProtoDHCPv6, Name: "dhcpv6", Short: "DHCPv6", Title: "DHCPv6",
	Info: dhcpv6Info, Node: func(*Packet, *Layer) string { return "DHCPv6" }}, dhcpv6Fields...)

// dhcpv6Info renders the Info column as Wireshark does: for each message
// its type, the relay's link address or the transaction ID, then the
// client identifier and the IA addresses met on the way.
func dhcpv6Info(p *Packet, l *Layer) string {
	w := dhcpv6Walk{doInfo: true, fieldWalk: fieldWalk{m: p.Data[l.Off:l.End]}}
	w.run()
	return string(w.info)
}

// dhcpv6Malformed says why Wireshark finds the message in layer l
// malformed (its dissector throws), "" when it does not.
func dhcpv6Malformed(p *Packet, l *Layer) string {
	w := dhcpv6Walk{fieldWalk: fieldWalk{m: p.Data[l.Off:l.End]}}
	w.run()
	if w.stop {
		return "DHCPv6 message cut short"
	}
	return ""
}

func (p *Packet) dhcpv6(off, end int) {
	if l := p.add(ProtoDHCPv6, off, end, end); l != nil {
		if why := dhcpv6Malformed(p, l); why != "" {
			p.bad(l, why)
		}
	}
}

// dhcpv6MaxDepth bounds nested options (relay chains, IAs in IAs): each
// level needs four bytes, so a datagram cannot nest deeper than this.
const dhcpv6MaxDepth = 65536 / 4

// dhcpv6Walk is one walk over a DHCPv6 message.
type dhcpv6Walk struct {
	fieldWalk
	doInfo bool
	info   []byte
	depth  int
	// atEnd is Wireshark's at_end flag: one option cut short ends the
	// walk of every enclosing option list, as they share it.
	atEnd bool
}

func (w *dhcpv6Walk) run() {
	w.message(0, len(w.m))
}

func (w *dhcpv6Walk) infof(parts ...string) {
	if w.doInfo {
		for _, s := range parts {
			w.info = append(w.info, s...)
		}
	}
}

// message walks the message at off, ending at eoff (Wireshark's
// dissect_dhcpv6, called again for a relayed message).
func (w *dhcpv6Walk) message(off, eoff int) {
	t, ok := w.u8(off)
	if !ok {
		return
	}
	w.infof(DHCPv6MsgTypeName(uint8(t)), " ")
	w.addU(f6MsgType, t)
	if t == 12 || t == 13 {
		if _, ok := w.itemU(f6HopCount, off+1, 1); !ok {
			return
		}
		if !w.itemBytes(f6LinkAddr, off+2, 16) || !w.itemBytes(f6PeerAddr, off+18, 16) {
			return
		}
		if w.doInfo {
			w.infof("L: ", ip6String(w.m[off+2:off+18]), " ")
		}
		off += 34
	} else {
		xid, ok := w.itemU(f6XID, off+1, 3)
		if !ok {
			return
		}
		if w.doInfo {
			w.info = append(w.info, "XID: 0x"...)
			w.info = appendHex(w.info, xid, 6)
			w.info = append(w.info, ' ')
		}
		off += 4
	}
	// Each message has its own end flag: a relayed message cut short
	// does not end the relay's options.
	outer := w.atEnd
	w.atEnd = false
	for off < eoff && !w.atEnd && !w.stop {
		off += w.option(off, eoff, uint8(t))
	}
	w.atEnd = outer
}

// options walks the options within an option's value, from off to end.
func (w *dhcpv6Walk) options(off, end int, msgType uint8) {
	for off < end && !w.stop {
		off += w.option(off, end, msgType)
		if w.atEnd {
			return
		}
	}
}

func ip6String(b []byte) string {
	a, _ := netip.AddrFromSlice(b)
	return a.String()
}

// bytesStr is Wireshark's bytes_to_str: hex, cut after 36 bytes with an
// ellipsis.
func bytesStr(b []byte) string {
	if len(b) > 36 {
		return hex.EncodeToString(b[:36]) + "…"
	}
	return hex.EncodeToString(b)
}

// hwAddrStr is Wireshark's tvb_arphrdaddr_to_str.
func hwAddrStr(b []byte, hwtype uint64) string {
	if len(b) == 0 {
		return "<No address>"
	}
	if (hwtype == 1 || hwtype == 6) && len(b) == 6 {
		return string(appendMAC(nil, b))
	}
	return bytesStr(b)
}

// option walks the option at off (options end at eoff) and returns the
// bytes it takes, 0 when it does not fit (the walk ends there).
func (w *dhcpv6Walk) option(off, eoff int, msgType uint8) int {
	if eoff-off < 4 {
		w.atEnd = true
		return 0
	}
	code := uint16(binary.BigEndian.Uint16(w.m[off:]))
	n := int(binary.BigEndian.Uint16(w.m[off+2:]))
	if eoff-off < 4+n {
		w.atEnd = true
		return 0
	}
	if w.depth >= dhcpv6MaxDepth {
		w.stop = true
		return 0
	}
	w.depth++
	defer func() { w.depth-- }()
	if w.wants(f6OptTypeS) {
		w.add(f6OptTypeS, Str(dhcpv6OptName(code)))
	}
	w.addU(f6OptType, uint64(code))
	w.addU(f6OptLen, uint64(n))
	w.optionValue(code, off+4, n, msgType)
	return 4 + n
}

// strzAt adds n bytes at off as a NUL-terminated ASCII string; n < 0
// means up to the next NUL, which must be in the datagram, as Wireshark
// reads a length of -1.
func (w *dhcpv6Walk) strzAt(f *Field, off, n int) bool {
	if n < 0 {
		if off > len(w.m) {
			w.stop = true
			return false
		}
		i := bytes.IndexByte(w.m[off:], 0)
		if i < 0 {
			w.stop = true
			return false
		}
		n = i + 1
	}
	return w.str(f, off, n, false)
}

// str adds n bytes at off as an ASCII string, control characters escaped
// as tshark prints them.
func (w *dhcpv6Walk) str(f *Field, off, n int, utf bool) bool {
	if !w.has(off, n) {
		return false
	}
	if w.wants(f) {
		w.add(f, Str(textStr(w.m[off:off+n], utf)))
	}
	return true
}

// textStr shows text as tshark prints a string field: the characters
// that would break its lines (backspace, tab, newline, form feed,
// carriage return) as C escapes, others as they are.
func textStr(b []byte, utf bool) string {
	s := wsString(b, utf)
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\b':
			out = append(out, '\\', 'b')
		case '\t':
			out = append(out, '\\', 't')
		case '\n':
			out = append(out, '\\', 'n')
		case '\f':
			out = append(out, '\\', 'f')
		case '\r':
			out = append(out, '\\', 'r')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// addrList adds an option made of IPv6 addresses; a length that is not a
// multiple of 16 shows none.
func (w *dhcpv6Walk) addrList(f *Field, off, n int) {
	if n%16 != 0 {
		return
	}
	for i := 0; i < n && !w.stop; i += 16 {
		w.itemBytes(f, off+i, 16)
	}
}

// optionValue walks the value of option code, n bytes at off, with
// Wireshark's dissector for the option.
func (w *dhcpv6Walk) optionValue(code uint16, off, n int, msgType uint8) {
	m := w.m
	switch code {
	case 1, 2, 53: // client, server, relay identifiers: DUIDs
		if code == 1 && n > 0 && w.doInfo {
			w.infof("CID: ", bytesStr(m[off:off+n]), " ")
		}
		w.duid(off, n)
	case 3, 25: // IA_NA, IA_PD
		if n < 12 {
			return
		}
		if w.wants(f6IAID) {
			w.add(f6IAID, Str(hwAddrStr(m[off:off+4], uint64(code))))
		}
		w.itemU(f6T1, off+4, 4)
		w.itemU(f6T2, off+8, 4)
		w.options(off+12, off+n, msgType)
	case 4: // IA_TA
		if n < 4 {
			return
		}
		if w.wants(f6IATA) {
			w.add(f6IATA, Str(hwAddrStr(m[off:off+4], uint64(code))))
		}
		w.options(off+4, off+n, msgType)
	case 5: // IA address
		if n < 24 {
			return
		}
		w.itemBytes(f6IAAddr, off, 16)
		if w.doInfo {
			w.infof("IAA: ", ip6String(m[off:off+16]), " ")
		}
		w.itemU(f6IAPref, off+16, 4)
		w.itemU(f6IAValid, off+20, 4)
		w.options(off+24, off+n, msgType)
	case 6, 43: // option request, echo request
		for i := 0; i < n && !w.stop; i += 2 {
			w.itemU(f6ReqOpt, off+i, 2)
		}
	case 7:
		if n == 1 {
			w.itemU(f6Pref, off, 1)
		}
	case 8:
		if n == 2 {
			// In hundredths of a second; Wireshark shows milliseconds.
			w.addU(f6Elapsed, uint64(binary.BigEndian.Uint16(m[off:]))*10)
		}
	case 9: // relay message: a whole message, walked in place
		if n > 0 {
			w.message(off, off+n)
		}
	case 11: // authentication
		if n < 11 {
			return
		}
		w.itemU(f6AuthProto, off, 1)
		alg, _ := w.itemU(f6AuthAlg, off+1, 1)
		w.itemU(f6AuthRDM, off+2, 1)
		w.itemBytes(f6AuthRD, off+3, 8)
		if n > 31 && alg == 1 {
			if n-31 < 256 {
				w.str(f6AuthRealm, off+11, n-31, false)
			}
			w.itemU(f6AuthKeyID, off+n-20, 4)
			w.itemBytes(f6AuthMD5, off+n-16, 16)
		} else {
			w.itemBytes(f6AuthInfo, off+11, n-11)
		}
	case 12:
		if n == 16 {
			w.itemBytes(f6Unicast, off, 16)
		}
	case 13: // status code
		if _, ok := w.itemU(f6Status, off, 2); ok && n > 2 {
			w.str(f6StatusMsg, off+2, n-2, false)
		}
	case 15: // user class: opaque items, each with its length
		for i := 0; n-i > 1 && !w.stop; {
			l := int(binary.BigEndian.Uint16(m[off+i:]))
			if l > n-i-2 {
				return // an item longer than the option: not shown
			}
			w.addU(f6UCLen, uint64(l))
			w.itemBytes(f6UCData, off+i+2, l)
			i += 2 + l
		}
	case 16: // vendor class
		if n < 4 {
			return
		}
		w.itemU(f6VCEnt, off, 4)
		if n > 4 {
			// The first item's length is skipped, not read.
			w.strzAt(f6VCData, off+6, n-6)
		}
	case 17: // vendor-specific information
		if n < 4 {
			return
		}
		ent, _ := w.itemU(f6VOEnt, off, 4)
		if ent == 4491 {
			w.cableLabs(off+4, n-4)
			return
		}
		for i := 0; n-4-i > 0 && !w.stop; {
			l, ok := w.u16(off + i + 6)
			// Wireshark's subtree spans the whole sub-option: it throws
			// before showing a sub-option that runs past the datagram.
			if !ok || !w.has(off+i+4, 4+int(l)) {
				return
			}
			w.itemU(f6VOCode, off+i+4, 2)
			w.itemU(f6VOLen, off+i+6, 2)
			if !w.itemBytes(f6VOData, off+i+8, int(l)) {
				return
			}
			i += 4 + int(l)
		}
	case 18:
		if n > 0 {
			w.itemBytes(f6IfaceID, off, n)
		}
	case 19:
		if n == 1 {
			w.itemU(f6Reconf, off, 1)
		}
	case 21:
		if n > 0 {
			w.domain(f6SIPName, off, n)
		}
	case 22:
		w.addrList(f6SIPAddr, off, n)
	case 23:
		w.addrList(f6DNS, off, n)
	case 24:
		if n > 0 {
			w.domain(f6Search, off, n)
		}
	case 26: // IA prefix
		if n < 25 {
			return
		}
		w.itemU(f6PfxPref, off, 4)
		w.itemU(f6PfxValid, off+4, 4)
		w.itemU(f6PfxLen, off+8, 1)
		w.itemBytes(f6PfxAddr, off+9, 16)
		w.options(off+25, off+n, msgType)
	case 27:
		w.addrList(f6NIS, off, n)
	case 28:
		w.addrList(f6NISP, off, n)
	case 29:
		if n > 0 {
			w.domain(f6NISName, off, n)
		}
	case 30:
		if n > 0 {
			w.domain(f6NISPName, off, n)
		}
	case 31:
		w.addrList(f6SNTP, off, n)
	case 32:
		if n == 4 {
			w.itemU(f6Lifetime, off, 4)
		}
	case 33:
		if n > 0 {
			w.domain(f6BCMCSName, off, n)
		}
	case 34:
		w.addrList(f6BCMCSAddr, off, n)
	case 37: // remote identifier
		if n < 4 {
			return
		}
		w.itemU(f6RemoteEnt, off, 4)
		w.itemBytes(f6RemoteID, off+4, n-4)
	case 38:
		if n > 0 {
			w.str(f6Subscr, off, n, false)
		}
	case 39:
		if n >= 1 {
			w.clientFQDN(off, n, msgType)
		}
	case 40:
		w.addrList(f6PANA, off, n)
	case 41:
		if n > 0 {
			w.str(f6TZ, off, n, false)
		}
	case 42:
		if n > 0 {
			w.str(f6TZDB, off, n, false)
		}
	case 44: // leasequery query
		if n < 17 {
			return
		}
		w.itemU(f6LQQuery, off, 1)
		w.itemBytes(f6LQLink, off+1, 16)
		w.options(off+17, off+n, msgType)
	case 45: // leasequery client data
		w.options(off, off+n, msgType)
	case 46:
		if n == 4 {
			w.itemU(f6CltTime, off, 4)
		}
	case 47:
		if n < 16 {
			return
		}
		w.itemBytes(f6LQPeer, off, 16)
		w.str(f6LQMsg, off+16, n-16, false)
	case 48:
		w.addrList(f6LQClient, off, n)
	case 52:
		w.addrList(f6CAPWAP, off, n)
	case 56:
		w.ntpServer(off, n)
	case 64:
		w.domain(f6AFTR, off, n)
	case 67: // prefix exclude
		if n < 2 || n > 17 {
			return
		}
		w.itemU(f6PDExLen, off, 1)
		w.itemBytes(f6PDExID, off+1, n-1)
	case 89: // S46 rule: a prefix, then options
		if n < 8 || m[off+2] > 32 || m[off+7] > 128 {
			return
		}
		if pl, ok := w.s46Prefix(off+8, m[off+7]); ok {
			w.options(off+8+pl, off+n, msgType)
		}
	case 91: // S46 DMR
		if n < 1 || n > 17 || m[off] > 128 {
			return
		}
		w.s46Prefix(off+1, m[off])
	case 92: // S46 IPv4/IPv6 binding: a prefix, then options
		if n < 5 || m[off+4] > 128 {
			return
		}
		if pl, ok := w.s46Prefix(off+5, m[off+4]); ok {
			w.options(off+5+pl, off+n, msgType)
		}
	case 94, 95, 96: // S46 containers
		w.options(off, off+n, msgType)
	case 103:
		w.str(f6Captive, off, n, false)
	case 112:
		if n > 0 {
			w.str(f6MUDURL, off, n, false)
		}
	case 117, 118: // failover DNS host and zone names: a DNS name
		f := f6FoHost
		if code == 118 {
			f = f6FoZone
		}
		var steps int
		var buf [300]byte
		raw, _, ok := dnsName(m, off, n, buf[:0], &steps)
		if !ok {
			w.stop = true
			return
		}
		if w.wants(f) {
			w.add(f, Str(string(appendFormatText(nil, raw))))
		}
	case 135:
		if n == 2 {
			w.itemU(f6RelayPort, off, 2)
		}
	case 165:
		if n == 16 {
			w.itemBytes(f6MIP6HA, off, 16)
		}
	case 166:
		if n == 16 {
			w.itemBytes(f6MIP6HoA, off, 16)
		}
	case 167:
		if n >= 4 {
			w.str(f6NAI, off, n-2, false)
		}
	}
}

// s46Prefix reads the bytes of an S46 IPv6 prefix of bits bits; it
// returns how many there are.
func (w *dhcpv6Walk) s46Prefix(off int, bits byte) (int, bool) {
	n := ((int(bits) + 7) & 0xf8) >> 3
	return n, w.has(off, n)
}

// duid walks a DUID of n bytes at off.
func (w *dhcpv6Walk) duid(off, n int) {
	if n < 2 {
		return
	}
	m := w.m
	w.itemBytes(f6DUID, off, n)
	t, _ := w.itemU(f6DUIDType, off, 2)
	switch t {
	case 1: // link-layer address plus time
		if n < 8 {
			return
		}
		hw, _ := w.itemU(f6LLTHw, off+2, 2)
		// Seconds since 2000-01-01.
		secs := int64(binary.BigEndian.Uint32(m[off+4:])) + 946684800
		w.add(f6LLTTime, Value{I: secs * 1e9})
		if n > 8 && w.wants(f6LLTAddr) {
			w.add(f6LLTAddr, Str(hwAddrStr(m[off+8:off+n], hw)))
		}
	case 2: // enterprise number
		if n < 6 {
			return
		}
		w.itemU(f6ENEnt, off+2, 4)
		if n > 6 {
			w.itemBytes(f6ENID, off+6, n-6)
		}
	case 3: // link-layer address
		if n < 4 {
			return
		}
		hw, _ := w.itemU(f6LLHw, off+2, 2)
		if n > 4 && w.wants(f6LLAddr) {
			w.add(f6LLAddr, Str(hwAddrStr(m[off+4:off+n], hw)))
		}
	case 4: // UUID
		if n == 18 {
			w.itemBytes(f6UUID, off+2, 16)
		}
	}
}

// clientFQDN walks option 39 (RFC 4704), whose flags Wireshark reads as
// the client's or the server's by the message type.
func (w *dhcpv6Walk) clientFQDN(off, n int, msgType uint8) {
	var client bool
	switch msgType {
	case 1, 3, 5, 6:
		client = true
	case 2, 7:
	default:
		w.addU(f6FQDNBad, uint64(msgType))
		return
	}
	fl := uint64(w.m[off])
	w.addU(f6FQDNFlags, fl)
	if client {
		w.addBool(f6FQDNCN, fl&4 != 0)
		w.addBool(f6FQDNCS, fl&1 != 0)
	} else {
		w.addBool(f6FQDNSN, fl&4 != 0)
		w.addBool(f6FQDNSO, fl&2 != 0)
		w.addBool(f6FQDNSS, fl&1 != 0)
	}
	w.domain(f6ClientDom, off+1, n-1)
}

// ntpServer walks option 56 (RFC 5908): sub-options.
func (w *dhcpv6Walk) ntpServer(off, n int) {
	if n < 4 {
		return
	}
	for i := 0; n > i && !w.stop; {
		t, ok1 := w.u16(off + i)
		l, ok2 := w.u16(off + 2 + i)
		if !ok1 || !ok2 || int(l) > n-i {
			return
		}
		w.addU(f6NTPType, t)
		w.addU(f6NTPLen, l)
		i += 4
		switch t {
		case 1:
			w.itemBytes(f6NTPAddr, off+i, 16)
		case 2:
			w.itemBytes(f6NTPMc, off+i, 16)
		case 3:
			w.domain(f6NTPFQDN, off+i, int(l))
		}
		i += int(l)
	}
}

// cableLabs walks CableLabs' vendor options (enterprise 4491) only as far
// as to find where Wireshark would run out of bytes: wirelark shows
// none of their fields.
func (w *dhcpv6Walk) cableLabs(off, n int) {
	if n <= 4 {
		return
	}
	for i := off; i-off < n && !w.stop; {
		if _, ok := w.u16(i); !ok {
			return
		}
		l, ok := w.u16(i + 2)
		if !ok {
			return
		}
		i += 4 + int(l)
	}
}

// domain walks a field of DNS-encoded names as Wireshark's dhcpv6_domain
// does: full names end in a dot, a name of one label is a TLD and shows
// only as a warning, and a trailing name without the root label is a
// partial name. Each kind of damage ends the walk of the field and adds
// a note to the Info column.
func (w *dhcpv6Walk) domain(f *Field, start, n int) {
	if n == 0 {
		return
	}
	m := w.m
	var name [320]byte
	dpos, labels := 0, 0
	off, first, last := start, start, start+n-1
	remlen := n
	fqdnSeen := false
	for remlen > 0 {
		ll, ok := w.u8(off)
		if !ok {
			return
		}
		if ll > 63 {
			return
		}
		if dpos == 0 {
			first = off
		}
		off++
		remlen--
		if int(ll) > remlen {
			w.infof(" [DOMAIN FIELD LEN EXCEEDED]")
			return
		}
		if dpos+int(ll)+2 > 255 {
			w.infof(" [FQDN > 255]")
			// Wireshark reads the byte after the label.
			w.has(off+int(ll), 1)
			return
		}
		if ll == 0 {
			name[dpos] = '.'
			dpos++
			switch labels {
			case 0:
				w.infof(" [ROOT-ONLY DOMAIN NAME]")
				return
			case 1: // a TLD: a warning, not a name
			default:
				if w.wants(f) {
					w.add(f, Str(textStr(name[:dpos], false)))
				}
			}
			labels, dpos, fqdnSeen = 0, 0, true
			continue
		}
		if off+int(ll)-1 == last {
			// A partial name: Wireshark copies its last label from
			// just after the first label's length byte.
			if !w.has(first+1, int(ll)) {
				return
			}
			dpos += copy(name[dpos:], m[first+1:first+1+int(ll)])
			if fqdnSeen {
				w.infof(" [PROTOCOL VIOLATION]")
				return
			}
			if w.wants(f) {
				w.add(f, Str(textStr(name[:dpos], false)))
			}
			return
		}
		if labels > 0 {
			name[dpos] = '.'
			dpos++
		}
		if !w.has(off, int(ll)) {
			return
		}
		dpos += copy(name[dpos:], m[off:off+int(ll)])
		off += int(ll)
		remlen -= int(ll)
		labels++
	}
}

// DHCPv6Option is one option of a DHCPv6 message: its code and value.
type DHCPv6Option struct {
	Code  uint16
	Value []byte
}

// DHCPv6Message is a DHCPv6 message split into its header and options,
// for consumers that want the options' values rather than the registry's
// fields (scripts' on_dhcp). Values alias the bytes parsed.
type DHCPv6Message struct {
	Type               uint8
	XID                uint32 // 0 in relay messages
	HopCount           uint8  // relay messages only
	LinkAddr, PeerAddr []byte // relay messages only, 16 bytes each
	Options            []DHCPv6Option
	// Relayed is the message in a relay message's Relay Message
	// option, nil if it has none.
	Relayed *DHCPv6Message
	// Cut is set when an option runs past the end of the message: the
	// options before it are in Options.
	Cut bool
}

// dhcpv6MaxRelay bounds a relay chain: RFC 8415's HOP_COUNT_LIMIT.
const dhcpv6MaxRelay = 32

// ParseDHCPv6 splits the DHCPv6 message in b. It fails only when the
// header is cut short or relays nest deeper than RFC 8415 allows.
func ParseDHCPv6(b []byte) (*DHCPv6Message, error) {
	return parseDHCPv6(b, 0)
}

func parseDHCPv6(b []byte, depth int) (*DHCPv6Message, error) {
	if depth > dhcpv6MaxRelay {
		return nil, fmt.Errorf("DHCPv6 relay messages nested more than %d deep", dhcpv6MaxRelay)
	}
	if len(b) < 4 {
		return nil, fmt.Errorf("DHCPv6 message of %d bytes: the header takes 4", len(b))
	}
	m := &DHCPv6Message{Type: b[0]}
	off := 4
	if m.Type == 12 || m.Type == 13 {
		if len(b) < 34 {
			return nil, fmt.Errorf("DHCPv6 relay message of %d bytes: the header takes 34", len(b))
		}
		m.HopCount, m.LinkAddr, m.PeerAddr = b[1], b[2:18:18], b[18:34:34]
		off = 34
	} else {
		m.XID = uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	for off < len(b) {
		if len(b)-off < 4 {
			m.Cut = true
			break
		}
		code, n := binary.BigEndian.Uint16(b[off:]), int(binary.BigEndian.Uint16(b[off+2:]))
		if len(b)-off-4 < n {
			m.Cut = true
			break
		}
		v := b[off+4 : off+4+n : off+4+n]
		m.Options = append(m.Options, DHCPv6Option{Code: code, Value: v})
		if code == 9 && m.Relayed == nil && (m.Type == 12 || m.Type == 13) {
			r, err := parseDHCPv6(v, depth+1)
			if err != nil {
				return nil, err
			}
			m.Relayed = r
		}
		off += 4 + n
	}
	return m, nil
}

// Option returns the value of the first option code, and whether there
// is one.
func (m *DHCPv6Message) Option(code uint16) ([]byte, bool) {
	for _, o := range m.Options {
		if o.Code == code {
			return o.Value, true
		}
	}
	return nil, false
}

// Innermost is the message a relay chain carries (m itself when m is not
// a relay message).
func (m *DHCPv6Message) Innermost() *DHCPv6Message {
	for m.Relayed != nil {
		m = m.Relayed
	}
	return m
}
