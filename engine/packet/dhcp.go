package packet

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
)

// DHCP and BOOTP messages are read by the project's own walker over the
// layer's bytes rather than from gopacket's layers.DHCPv4, which decodes
// eagerly and is lossy for Wireshark's view: it rejects messages cut
// short or with an option running past the end, where Wireshark still
// shows the fields before the damage, it does not follow option overload
// into the sname and file fields, and it merges runs of Pad options.
// Wireshark lists every occurrence of a field in the order of its tree,
// the order of one walk over the message; each field walks the message
// and keeps its own occurrences. The walk stops where Wireshark's
// dissector throws (bytes missing).

var dhcpMsgTypeNames = map[uint64]string{1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NAK",
	7: "Release", 8: "Inform", 9: "Force Renew", 10: "Lease query", 11: "Lease Unassigned", 12: "Lease Unknown",
	13: "Lease Active", 14: "Bulk Lease Query", 15: "Lease Query Done", 16: "Active LeaseQuery",
	17: "Lease Query Status", 18: "TLS"}

var dhcpOpNames = map[uint64]string{1: "Boot Request", 2: "Boot Reply"}

// arpHardwareNames are ARP hardware types (RFC 826 and IANA), as the
// tree shows dhcp.hw.type.
var arpHardwareNames = map[uint64]string{0: "NET/ROM pseudo", 1: "Ethernet", 2: "Experimental Ethernet",
	3: "AX.25", 4: "ProNET", 5: "Chaos", 6: "IEEE 802", 7: "ARCNET", 8: "Hyperchannel", 9: "Lanstar",
	10: "Autonet", 11: "LocalTalk", 12: "LocalNet", 13: "Ultra link", 14: "SMDS", 15: "Frame Relay DLCI",
	16: "ATM", 17: "HDLC", 18: "Fibre Channel", 19: "ATM", 20: "Serial Line", 21: "ATM", 22: "MIL-STD-188-220",
	23: "Metricom STRIP", 24: "IEEE 1394.1995", 25: "MAPOS", 26: "Twinaxial", 27: "EUI-64", 28: "HIPARP",
	29: "IP and ARP over ISO 7816-3", 30: "ARPSec", 31: "IPsec tunnel", 32: "InfiniBand", 33: "TIA-102 Project 25 Common Air Interface",
	34: "Wiegand Interface", 35: "Pure IP", 36: "HW_EXP1", 37: "HFI", 256: "HW_EXP2"}

// dhcpOptNames are Wireshark's names of the options.
var dhcpOptNames = [256]string{0: "Padding", 1: "Subnet Mask", 2: "Time Offset", 3: "Router", 4: "Time Server",
	5: "Name Server", 6: "Domain Name Server", 7: "Log Server", 8: "Quotes Server", 9: "LPR Server",
	10: "Impress Server", 11: "Resource Location Server", 12: "Host Name", 13: "Boot File Size",
	14: "Merit Dump File", 15: "Domain Name", 16: "Swap Server", 17: "Root Path", 18: "Extensions Path",
	19: "IP Forwarding", 20: "Non-Local Source Routing", 21: "Policy Filter", 22: "Maximum Datagram Reassembly Size",
	23: "Default IP Time-to-Live", 24: "Path MTU Aging Timeout", 25: "Path MTU Plateau Table", 26: "Interface MTU",
	27: "All Subnets are Local", 28: "Broadcast Address", 29: "Perform Mask Discovery", 30: "Mask Supplier",
	31: "Perform Router Discover", 32: "Router Solicitation Address", 33: "Static Route",
	34: "Trailer Encapsulation", 35: "ARP Cache Timeout", 36: "Ethernet Encapsulation", 37: "TCP Default TTL",
	38: "TCP Keepalive Interval", 39: "TCP Keepalive Garbage", 40: "Network Information Service Domain",
	41: "Network Information Service Servers", 42: "Network Time Protocol Servers", 43: "Vendor-Specific Information",
	44: "NetBIOS over TCP/IP Name Server", 45: "NetBIOS over TCP/IP Datagram Distribution Name Server",
	46: "NetBIOS over TCP/IP Node Type", 47: "NetBIOS over TCP/IP Scope", 48: "X Window System Font Server",
	49: "X Window System Display Manager", 50: "Requested IP Address", 51: "IP Address Lease Time",
	52: "Option Overload", 53: "DHCP Message Type", 54: "DHCP Server Identifier", 55: "Parameter Request List",
	56: "Message", 57: "Maximum DHCP Message Size", 58: "Renewal Time Value", 59: "Rebinding Time Value",
	60: "Vendor class identifier", 61: "Client identifier", 62: "Novell/Netware IP domain", 63: "Novell Options",
	64: "Network Information Service+ Domain", 65: "Network Information Service+ Servers", 66: "TFTP Server Name",
	67: "Bootfile name", 68: "Mobile IP Home Agent", 69: "SMTP Server", 70: "POP3 Server", 71: "NNTP Server",
	72: "Default WWW Server", 73: "Default Finger Server", 74: "Default IRC Server", 75: "StreetTalk Server",
	76: "StreetTalk Directory Assistance Server", 77: "User Class Information", 78: "Directory Agent Information",
	79: "Service Location Agent Scope", 80: "Rapid commit", 81: "Client Fully Qualified Domain Name",
	82: "Agent Information Option", 83: "iSNS", 84: "Removed/Unassigned", 85: "Novell Directory Services Servers",
	86: "Novell Directory Services Tree Name", 87: "Novell Directory Services Context",
	88: "BCMCS Controller Domain Name [TODO:RFC4280]", 89: "BCMCS Controller IPv4 address [TODO:RFC4280]",
	90: "Authentication", 91: "Client last transaction time", 92: "Associated IP option",
	93: "Client System Architecture", 94: "Client Network Device Interface", 95: "LDAP [TODO:RFC3679]",
	96: "Removed/Unassigned", 97: "UUID/GUID-based Client Identifier",
	98: "Open Group's User Authentication [TODO:RFC2485]", 99: "Civic Addresses Configuration", 100: "PCode",
	101: "TCode", 102: "Removed/unassigned", 103: "Removed/unassigned", 104: "Removed/unassigned",
	105: "Removed/unassigned", 106: "Removed/unassigned", 107: "Removed/unassigned", 108: "IPv6-Only Preferred",
	109: "Unassigned", 110: "Removed/Unassigned", 111: "Unassigned", 112: "NetInfo Parent Server Address",
	113: "NetInfo Parent Server Tag", 114: "DHCP Captive-Portal", 115: "Removed/Unassigned",
	116: "DHCP Auto-Configuration", 117: "Name Service Search", 118: "Subnet Selection Option",
	119: "Domain Search", 120: "SIP Servers", 121: "Classless Static Route",
	122: "CableLabs Client Configuration [TODO:RFC3495]", 123: "Coordinate-based Location Configuration",
	124: "V-I Vendor Class", 125: "V-I Vendor-specific Information", 126: "Removed/Unassigned",
	127: "Removed/Unassigned", 128: "DOCSIS full security server IP [TODO]",
	129: "PXE - undefined (vendor specific)", 130: "PXE - undefined (vendor specific)",
	131: "PXE - undefined (vendor specific)", 132: "PXE - undefined (vendor specific)",
	133: "PXE - undefined (vendor specific)", 134: "PXE - undefined (vendor specific)",
	135: "PXE - undefined (vendor specific)", 136: "PANA Authentication Agent", 137: "LoST Server Domain Name",
	138: "CAPWAP Access Controllers", 139: "IPv4 Address-MoS", 140: "IPv4 FQDN-MoS",
	141: "SIP UA Configuration Domains", 142: "IPv4 Address ANDSF",
	143: "Zerotouch Redirect [TODO: draft-ietf-netconf-zerotouch]", 144: "Geospatial Location [TODO:RFC6225]",
	145: "Forcerenew Nonce Capable", 146: "RDNSS Selection", 150: "TFTP Server Address",
	151: "Leasequery Status code", 152: "Leasequery Base Time", 153: "Leasequery Start Time of State",
	154: "Leasequery Query Start Time", 155: "Leasequery Query End Time", 156: "Leasequery Dhcp State",
	157: "Leasequery Data Source", 158: "PCP Server", 159: "Portparams",
	160: "Unassigned (ex DHCP Captive-Portal)", 161: "Manufacturer Usage Description", 175: "Etherboot",
	176: "IP Telephone", 177: "Etherboot", 208: "PXELINUX Magic", 209: "PXE Configuration file",
	210: "PXE Path Prefix", 211: "Reboot Time", 212: "6RD", 213: "V4 Access Domain", 220: "Subnet Allocation",
	221: "Virtual Subnet Selection", 242: "Private/Avaya IP Telephone",
	249: "Private/Classless Static Route (Microsoft)", 252: "Private/Proxy autodiscovery", 255: "End"}

func dhcpMsgTypeName(t int) string {
	if s, ok := dhcpMsgTypeNames[uint64(t)]; ok {
		return s
	}
	return "Unknown Message Type (0x" + string(appendHex(nil, uint64(t), 2)) + ")"
}

func dhcpOptName(code int) string {
	if s := dhcpOptNames[code]; s != "" {
		return s
	}
	switch {
	case code >= 224 && code <= 254:
		return "Private"
	}
	return "Unassigned"
}

var dhcpOptNameStrings = func() map[uint64]string {
	m := make(map[uint64]string, 256)
	for i := 0; i < 256; i++ {
		m[uint64(i)] = dhcpOptName(i)
	}
	return m
}()

// dhcpField declares a field read by walking the message; its getter is
// set by init, as the walk refers to every field.
func dhcpField(name, label string, t Type, base Base, size uint8, mask uint64, strs map[uint64]string) *Field {
	return &Field{Name: name, Label: label, Type: t, Base: base, Size: size, Mask: mask, Strings: strs}
}

func dhcpUint(name, label string, size uint8, base Base) *Field {
	return dhcpField(name, label, TUint, base, size, 0, nil)
}

func dhcpTyped(name, label string, t Type) *Field { return dhcpField(name, label, t, Dec, 0, 0, nil) }

// The BOOTP header.
var (
	fDHCPType       = dhcpField("dhcp.type", "Message type", TUint, Dec, 1, 0, dhcpOpNames)
	fDHCPHwType     = dhcpField("dhcp.hw.type", "Hardware type", TUint, Hex, 1, 0, arpHardwareNames)
	fDHCPHwLen      = dhcpUint("dhcp.hw.len", "Hardware address length", 1, Dec)
	fDHCPHops       = dhcpUint("dhcp.hops", "Hops", 1, Dec)
	fDHCPID         = dhcpUint("dhcp.id", "Transaction ID", 4, Hex)
	fDHCPSecs       = dhcpUint("dhcp.secs", "Seconds elapsed", 2, Dec)
	fDHCPFlags      = dhcpUint("dhcp.flags", "Bootp flags", 2, Hex)
	fDHCPFlagsBC    = dhcpField("dhcp.flags.bc", "Broadcast flag", TBool, Dec, 2, 0x8000, nil)
	fDHCPFlagsRes   = dhcpField("dhcp.flags.reserved", "Reserved flags", TUint, Hex, 2, 0x7fff, nil)
	fDHCPIPClient   = dhcpTyped("dhcp.ip.client", "Client IP address", TIPv4)
	fDHCPIPYour     = dhcpTyped("dhcp.ip.your", "Your (client) IP address", TIPv4)
	fDHCPIPServer   = dhcpTyped("dhcp.ip.server", "Next server IP address", TIPv4)
	fDHCPIPRelay    = dhcpTyped("dhcp.ip.relay", "Relay agent IP address", TIPv4)
	fDHCPMAC        = dhcpTyped("dhcp.hw.mac_addr", "Client MAC address", TMAC)
	fDHCPHwAddr     = dhcpTyped("dhcp.hw.addr", "Client hardware address", TBytes)
	fDHCPHwPadding  = dhcpTyped("dhcp.hw.addr_padding", "Client hardware address padding", TBytes)
	fDHCPServer     = dhcpTyped("dhcp.server", "Server host name", TString)
	fDHCPFile       = dhcpTyped("dhcp.file", "Boot file name", TString)
	fDHCPBootp      = &Field{Name: "dhcp.bootp", Label: "Frame is BOOTP", Type: TBool, Hidden: true}
	fDHCPCookie     = dhcpTyped("dhcp.cookie", "Magic cookie", TIPv4)
	fDHCPVendorOpts = dhcpTyped("dhcp.vendor_specific_options", "Bootp vendor specific options", TBytes)
)

// Every option.
var (
	fDHCPOptType    = dhcpField("dhcp.option.type", "Option", TUint, Dec, 1, 0, dhcpOptNameStrings)
	fDHCPOptLen     = dhcpUint("dhcp.option.length", "Length", 1, Dec)
	fDHCPOptValue   = dhcpTyped("dhcp.option.value", "Value", TBytes)
	fDHCPOptPadding = dhcpTyped("dhcp.option.padding", "Padding", TBytes)
	fDHCPOptEnd     = dhcpUint("dhcp.option.end", "Option End", 1, Dec)
)

// dhcpKind is how Wireshark reads an option of a basic type.
type dhcpKind uint8

const (
	kIPv4 dhcpKind = iota + 1
	kIPv4List
	kString
	kBool
	kU8
	kU16
	kU16List
	kU32
	kTimeS
	kTimeU
)

// dhcpBasic is an option Wireshark reads with a basic type.
type dhcpBasic struct {
	code uint8
	kind dhcpKind
	f    *Field
}

func basicOpt(code uint8, kind dhcpKind, name, label string) dhcpBasic {
	var f *Field
	switch kind {
	case kIPv4, kIPv4List:
		f = dhcpTyped(name, label, TIPv4)
	case kString:
		f = dhcpTyped(name, label, TString)
	case kBool:
		f = dhcpTyped(name, label, TBool)
	case kU8:
		f = dhcpUint(name, label, 1, Dec)
	case kU16, kU16List:
		f = dhcpUint(name, label, 2, Dec)
	case kU32, kTimeU:
		f = dhcpUint(name, label, 4, Dec)
	case kTimeS:
		f = dhcpField(name, label, TInt, Dec, 4, 0, nil)
	}
	return dhcpBasic{code, kind, f}
}

// dhcpBasicOpts are the options of basic types, with Wireshark's fields.
var dhcpBasicOpts = []dhcpBasic{
	basicOpt(1, kIPv4, "dhcp.option.subnet_mask", "Subnet Mask"),
	basicOpt(2, kTimeS, "dhcp.option.time_offset", "Time Offset"),
	basicOpt(3, kIPv4List, "dhcp.option.router", "Router"),
	basicOpt(4, kIPv4List, "dhcp.option.time_server", "Time Server"),
	basicOpt(5, kIPv4List, "dhcp.option.name_server", "Name Server"),
	basicOpt(6, kIPv4List, "dhcp.option.domain_name_server", "Domain Name Server"),
	basicOpt(7, kIPv4List, "dhcp.option.log_server", "Log Server"),
	basicOpt(8, kIPv4List, "dhcp.option.quotes_server", "Quotes Server"),
	basicOpt(9, kIPv4List, "dhcp.option.lpr_server", "LPR Server"),
	basicOpt(10, kIPv4List, "dhcp.option.impress_server", "Impress Server"),
	basicOpt(11, kIPv4List, "dhcp.option.resource_location_server", "Resource Location Server"),
	basicOpt(12, kString, "dhcp.option.hostname", "Host Name"),
	basicOpt(13, kU16, "dhcp.option.boot_file_size", "Boot File Size"),
	basicOpt(14, kString, "dhcp.option.merit_dump_file", "Merit Dump File"),
	basicOpt(15, kString, "dhcp.option.domain_name", "Domain Name"),
	basicOpt(16, kIPv4, "dhcp.option.swap_server", "Swap Server"),
	basicOpt(17, kString, "dhcp.option.root_path", "Root Path"),
	basicOpt(18, kString, "dhcp.option.extension_path", "Extensions Path"),
	basicOpt(19, kBool, "dhcp.option.ip_forwarding", "IP Forwarding"),
	basicOpt(20, kBool, "dhcp.option.non_local_source_routing", "Non-Local Source Routing"),
	basicOpt(22, kU16, "dhcp.option.max_datagram_reassembly_size", "Maximum Datagram Reassembly Size"),
	basicOpt(23, kU8, "dhcp.option.default_ip_ttl", "Default IP Time-to-Live"),
	basicOpt(24, kTimeU, "dhcp.option.path_mtu_aging_timeout", "Path MTU Aging Timeout"),
	basicOpt(25, kU16List, "dhcp.option.path_mtu_plateau_table_item", "Path MTU Plateau Table Item"),
	basicOpt(26, kU16, "dhcp.option.interface_mtu", "Interface MTU"),
	basicOpt(27, kBool, "dhcp.option.all_subnets_are_local", "All Subnets are Local"),
	basicOpt(28, kIPv4, "dhcp.option.broadcast_address", "Broadcast Address"),
	basicOpt(29, kBool, "dhcp.option.perform_mask_discovery", "Perform Mask Discovery"),
	basicOpt(30, kBool, "dhcp.option.mask_supplier", "Mask Supplier"),
	basicOpt(31, kBool, "dhcp.option.perform_router_discover", "Perform Router Discover"),
	basicOpt(32, kIPv4, "dhcp.option.router_solicitation_address", "Router Solicitation Address"),
	basicOpt(34, kBool, "dhcp.option.trailer_encapsulation", "Trailer Encapsulation"),
	basicOpt(35, kTimeU, "dhcp.option.arp_cache_timeout", "ARP Cache Timeout"),
	basicOpt(36, kBool, "dhcp.option.ethernet_encapsulation", "Ethernet Encapsulation"),
	basicOpt(37, kU8, "dhcp.option.tcp_default_ttl", "TCP Default TTL"),
	basicOpt(38, kTimeU, "dhcp.option.tcp_keepalive_interval", "TCP Keepalive Interval"),
	basicOpt(39, kBool, "dhcp.option.tcp_keepalive_garbage", "TCP Keepalive Garbage"),
	basicOpt(40, kString, "dhcp.option.nis_domain", "Network Information Service Domain"),
	basicOpt(41, kIPv4List, "dhcp.option.nis_server", "Network Information Service Server"),
	basicOpt(42, kIPv4List, "dhcp.option.ntp_server", "Network Time Protocol Server"),
	basicOpt(44, kIPv4List, "dhcp.option.netbios_over_tcpip_name_server", "NetBIOS over TCP/IP Name Server"),
	basicOpt(45, kIPv4List, "dhcp.option.netbios_over_tcpip_dd_name_server", "NetBIOS over TCP/IP Datagram Distribution Name Server"),
	basicOpt(46, kU8, "dhcp.option.netbios_over_tcpip_node_type", "NetBIOS over TCP/IP Node Type"),
	basicOpt(47, kString, "dhcp.option.netbios_over_tcpip_scope", "NetBIOS over TCP/IP Scope"),
	basicOpt(48, kIPv4List, "dhcp.option.xwindows_system_font_server", "X Window System Font Server"),
	basicOpt(49, kIPv4List, "dhcp.option.xwindows_system_display_manager", "X Window System Display Manager"),
	basicOpt(50, kIPv4, "dhcp.option.requested_ip_address", "Requested IP Address"),
	basicOpt(51, kTimeU, "dhcp.option.ip_address_lease_time", "IP Address Lease Time"),
	basicOpt(54, kIPv4, "dhcp.option.dhcp_server_id", "DHCP Server Identifier"),
	basicOpt(56, kString, "dhcp.option.message", "Message"),
	basicOpt(57, kU16, "dhcp.option.dhcp_max_message_size", "Maximum DHCP Message Size"),
	basicOpt(58, kTimeU, "dhcp.option.renewal_time_value", "Renewal Time Value"),
	basicOpt(59, kTimeU, "dhcp.option.rebinding_time_value", "Rebinding Time Value"),
	basicOpt(64, kString, "dhcp.option.nis_plus_domain", "Network Information Service+ Domain"),
	basicOpt(65, kIPv4List, "dhcp.option.nis_plus_server", "Network Information Service+ Server"),
	basicOpt(66, kString, "dhcp.option.tftp_server_name", "TFTP Server Name"),
	basicOpt(67, kString, "dhcp.option.bootfile_name", "Bootfile name"),
	basicOpt(68, kIPv4List, "dhcp.option.mobile_ip_home_agent", "Mobile IP Home Agent"),
	basicOpt(69, kIPv4List, "dhcp.option.smtp_server", "SMTP Server"),
	basicOpt(70, kIPv4List, "dhcp.option.pop3_server", "POP3 Server"),
	basicOpt(71, kIPv4List, "dhcp.option.nntp_server", "NNTP Server"),
	basicOpt(72, kIPv4List, "dhcp.option.default_www_server", "Default WWW Server"),
	basicOpt(73, kIPv4List, "dhcp.option.default_finger_server", "Default Finger Server"),
	basicOpt(74, kIPv4List, "dhcp.option.default_irc_server", "Default IRC Server"),
	basicOpt(75, kIPv4List, "dhcp.option.streettalk_server", "StreetTalk Server"),
	basicOpt(76, kIPv4List, "dhcp.option.streettalk_da_server", "StreetTalk Directory Assistance Server"),
	basicOpt(86, kString, "dhcp.option.novell_ds_tree_name", "Novell Directory Services Tree Name"),
	basicOpt(87, kString, "dhcp.option.novell_ds_context", "Novell Directory Services Context"),
	basicOpt(91, kTimeU, "dhcp.option.client_last_transaction_time", "Client last transaction time"),
	basicOpt(92, kIPv4List, "dhcp.option.associated_ip_option", "Associated IP option"),
	basicOpt(100, kString, "dhcp.option.tz_pcode", "TZ PCode"),
	basicOpt(101, kString, "dhcp.option.tz_tcode", "TZ TCode"),
	basicOpt(112, kIPv4List, "dhcp.option.netinfo_parent_server_address", "NetInfo Parent Server Address"),
	basicOpt(113, kString, "dhcp.option.netinfo_parent_server_tag", "NetInfo Parent Server Tag"),
	basicOpt(116, kU8, "dhcp.option.dhcp_auto_configuration", "DHCP Auto-Configuration"),
	basicOpt(118, kIPv4List, "dhcp.option.subnet_selection_option", "Subnet Selection Option"),
	basicOpt(136, kIPv4List, "dhcp.option.pana_agent", "PAA IPv4 Address"),
	basicOpt(137, kString, "dhcp.option.lost_server_domain_name", "LoST Server Domain Name"),
	basicOpt(138, kIPv4List, "dhcp.option.capwap_access_controller", "CAPWAP Access Controllers"),
	basicOpt(142, kIPv4List, "dhcp.option.andsf_server", "ANDSF Server"),
	basicOpt(150, kIPv4List, "dhcp.option.tftp_server_address", "TFTP Server Address"),
	basicOpt(153, kTimeU, "dhcp.option.bulk_lease.start_time_of_state", "Start Time Of State"),
	basicOpt(156, kU8, "dhcp.option.bulk_lease.dhcp_state", "Dhcp State"),
	basicOpt(157, kBool, "dhcp.option.bulk_lease.data_source", "Data Source"),
	basicOpt(161, kString, "dhcp.option.mudurl", "MUDURL"),
	basicOpt(209, kString, "dhcp.option.pxe_config_file", "PXELINUX configuration file"),
	basicOpt(210, kString, "dhcp.option.pxe_path_prefix", "PXELINUX path prefix"),
	basicOpt(252, kString, "dhcp.option.private_proxy_autodiscovery", "Private/Proxy autodiscovery"),
}

var dhcpBasicByCode = func() (t [256]*dhcpBasic) {
	for i := range dhcpBasicOpts {
		t[dhcpBasicOpts[i].code] = &dhcpBasicOpts[i]
	}
	return
}()

// Options with their own layout.
var (
	fDHCPPolicyIP     = dhcpTyped("dhcp.option.policy_filter.ip", "IP Address", TIPv4)
	fDHCPPolicyMask   = dhcpTyped("dhcp.option.policy_filter.subnet_mask", "Subnet Mask", TIPv4)
	fDHCPRouteIP      = dhcpTyped("dhcp.option.static_route.ip", "Destination IP Address", TIPv4)
	fDHCPRouteRouter  = dhcpTyped("dhcp.option.static_route.router", "Destination Router", TIPv4)
	fDHCPVendorValue  = dhcpTyped("dhcp.option.vendor.value", "Value", TBytes)
	fDHCPBSDPSub      = dhcpUint("dhcp.option.vendor.bsdp.suboption", "Option 43 Suboption", 1, Dec)
	fDHCPArubaCtrl    = dhcpTyped("dhcp.option.vendor.arubaap.controllerip", "Aruba Controller IP", TString)
	fDHCPOverload     = dhcpField("dhcp.option.option_overload", "Option Overload", TUint, Dec, 1, 0, map[uint64]string{1: "Boot file name holds options", 2: "Server host name holds options", 3: "Boot file and server host names hold options"})
	fDHCPMsgType      = dhcpField("dhcp.option.dhcp", "DHCP", TUint, Dec, 1, 0, dhcpMsgTypeNames)
	fDHCPReqItem      = dhcpField("dhcp.option.request_list_item", "Parameter Request List Item", TUint, Dec, 1, 0, dhcpOptNameStrings)
	fDHCPVendorClass  = dhcpTyped("dhcp.option.vendor_class_id", "Vendor class identifier", TString)
	fDHCPVendorData   = dhcpTyped("dhcp.option.vendor_class_data", "vendor-class-data", TString)
	fDHCPClientHwAddr = dhcpTyped("dhcp.client_hardware_address", "Client hardware address", TString)
	fDHCPClientUUID   = dhcpTyped("dhcp.client_id.uuid", "Client Identifier (UUID)", TString)
	fDHCPClientIAID   = dhcpTyped("dhcp.client_id.iaid", "IAID", TString)
	fDHCPDUIDType     = dhcpField("dhcp.client_id.duid_type", "DUID Type", TUint, Dec, 2, 0, map[uint64]string{1: "link-layer address plus time", 2: "assigned by vendor based on Enterprise number", 3: "link-layer address", 4: "Universally Unique IDentifier (UUID)"})
	fDHCPDUIDLLTHw    = dhcpField("dhcp.client_id.duid_llt_hw_type", "Hardware type", TUint, Dec, 2, 0, arpHardwareNames)
	fDHCPDUIDLLHw     = dhcpField("dhcp.client_id.duid_ll_hw_type", "Hardware type", TUint, Dec, 2, 0, arpHardwareNames)
	fDHCPClientTime   = dhcpUint("dhcp.client_id.time", "Time", 4, Dec)
	fDHCPClientLLAddr = dhcpTyped("dhcp.client_id.link_layer_address", "Link layer address", TString)
	fDHCPClientEnt    = dhcpUint("dhcp.client_id.enterprise_num", "Enterprise-number", 4, Dec)
	fDHCPClientID     = dhcpTyped("dhcp.client_id", "Identifier", TBytes)
	fDHCPClientIDType = dhcpUint("dhcp.client_id.type", "Type", 1, Dec)
	fDHCPClientUndef  = dhcpTyped("dhcp.client_id.undef", "Client Identifier", TString)
	fDHCPUserClass    = dhcpUint("dhcp.option.user_class", "Instance of User Class", 1, Dec)
	fDHCPUserClassLen = dhcpUint("dhcp.option.user_class.length", "User Class Length", 1, Dec)
	fDHCPUserClassDat = dhcpTyped("dhcp.option.user_class.data", "User Class Data", TBytes)
	fDHCPUserClassTxt = dhcpTyped("dhcp.option.user_class.text", "User Class Data (Text)", TString)
	fDHCPSLPDAValue   = dhcpUint("dhcp.option.slp_directory_agent.value", "Value", 1, Dec)
	fDHCPSLPDAAddr    = dhcpTyped("dhcp.option.slp_directory_agent.slpda_address", "IP Address", TIPv4)
	fDHCPSLPScopeVal  = dhcpUint("dhcp.option.slp_service_scope.value", "Value", 1, Dec)
	fDHCPSLPScopeStr  = dhcpTyped("dhcp.option.slp_service_scope.string", "SLP Service Scope", TString)
	fDHCPFQDNFlags    = dhcpUint("dhcp.fqdn.flags", "Flags", 1, Hex)
	fDHCPFQDNMBZ      = dhcpField("dhcp.fqdn.mbz", "Reserved flags", TUint, Hex, 1, 0xf0, nil)
	fDHCPFQDNN        = dhcpField("dhcp.fqdn.n", "Server DDNS", TBool, Dec, 1, 0x08, nil)
	fDHCPFQDNE        = dhcpField("dhcp.fqdn.e", "Encoding", TBool, Dec, 1, 0x04, nil)
	fDHCPFQDNO        = dhcpField("dhcp.fqdn.o", "Server overrides", TBool, Dec, 1, 0x02, nil)
	fDHCPFQDNS        = dhcpField("dhcp.fqdn.s", "Server", TBool, Dec, 1, 0x01, nil)
	fDHCPFQDNRcode1   = dhcpUint("dhcp.fqdn.rcode1", "A-RR result", 1, Dec)
	fDHCPFQDNRcode2   = dhcpUint("dhcp.fqdn.rcode2", "PTR-RR result", 1, Dec)
	fDHCPFQDNName     = dhcpTyped("dhcp.fqdn.name", "Client name", TString)
	fDHCPNovellDSSIP  = dhcpTyped("dhcp.option.novell_dss.ip", "IP Address", TIPv4)
	fDHCPClientArch   = dhcpField("dhcp.option.client_system_architecture", "Client System Architecture", TUint, Dec, 2, 0, map[uint64]string{0: "IA x86 PC", 1: "NEC/PC98", 2: "EFI Itanium", 3: "DEC Alpha", 4: "Arc x86", 5: "Intel Lean Client", 6: "EFI IA32", 7: "EFI BC", 8: "EFI Xscale", 9: "EFI x86-64"})
	fDHCPNetIDMajor   = dhcpUint("dhcp.client_network_id_major", "Major Version", 1, Dec)
	fDHCPNetIDMinor   = dhcpUint("dhcp.client_network_id_minor", "Minor Version", 1, Dec)
	fDHCPCaptive      = dhcpTyped("dhcp.option.captive_portal", "Captive Portal", TString)
	fDHCPDomainSearch = dhcpTyped("dhcp.option.dhcp_dns_domain_search_list_fqdn", "FQDN", TString)
	fDHCPClasslessRt  = dhcpTyped("dhcp.option.classless_static_route", "Subnet/MaskWidth-Router", TBytes)
	fDHCPVIClassMode  = dhcpUint("dhcp.option.vi_class.cl_address_mode", "CableLab Address Mode", 1, Dec)
	fDHCPVIClassEnt   = dhcpUint("dhcp.option.vi_class.enterprise", "Enterprise", 4, Dec)
	fDHCPVIClassLen   = dhcpUint("dhcp.option.vi_class.length", "CableLab Address Mode", 1, Dec)
	fDHCPVIClassData  = dhcpTyped("dhcp.option.vi_class.data", "NetInfo Parent Server Tag", TString)
	fDHCPForcerenew   = dhcpField("dhcp.option.forcerenew_nonce.algorithm", "Algorithm", TUint, Dec, 1, 0, map[uint64]string{1: "HMAC-MD5"})
	fDHCPLQStatus     = dhcpUint("dhcp.option.bulk_lease.status_code", "Status Code", 1, Dec)
	fDHCPLQStatusMsg  = dhcpTyped("dhcp.option.bulk_lease.status_code_message", "Status Code Message", TString)
	fDHCPPCPListLen   = dhcpUint("dhcp.option.pcp.list_length", "List-Length", 1, Dec)
	fDHCPPCPServer    = dhcpTyped("dhcp.option.pcp.server", "PCP Server", TIPv4)
	fDHCPPortOffset   = dhcpUint("dhcp.option.portparams.offset", "Offset", 1, Dec)
	fDHCPPortPSIDLen  = dhcpUint("dhcp.option.portparams.psid_length", "PSID-Length", 1, Dec)
	fDHCPPortPSID     = dhcpTyped("dhcp.option.portparams.psid", "PSID", TBytes)
)

// Option 82, the relay agent information, and its sub-options.
var (
	fDHCP82Sub       = dhcpField("dhcp.option.agent_information_option.suboption", "Option 82 Suboption", TUint, Dec, 1, 0, dhcp82Names)
	fDHCPSubLen      = dhcpUint("dhcp.option.suboption_length", "Length", 1, Dec)
	fDHCP82Value     = dhcpTyped("dhcp.option.agent_information_option.value", "Value", TBytes)
	fDHCP82Circuit   = dhcpTyped("dhcp.option.agent_information_option.agent_circuit_id", "Agent Circuit ID", TBytes)
	fDHCP82Remote    = dhcpTyped("dhcp.option.agent_information_option.agent_remote_id", "Agent Remote ID", TBytes)
	fDHCP82Reserved  = dhcpTyped("dhcp.option.agent_information_option.reserved", "Reserved", TBytes)
	fDHCP82Docsis    = dhcpUint("dhcp.option.agent_information_option.docsis_device_class", "DOCSIS Device Class", 4, Hex)
	fDHCP82LinkSel   = dhcpTyped("dhcp.option.agent_information_option.link_selection", "Link selection", TIPv4)
	fDHCP82Subscr    = dhcpTyped("dhcp.option.agent_information_option.subscriber_id", "Subscriber ID", TString)
	fDHCP82Radius    = dhcpTyped("dhcp.option.agent_information_option.radius_attributes", "RADIUS Attributes", TBytes)
	fDHCP82Auth      = dhcpTyped("dhcp.option.agent_information_option.authentication", "Authentication", TBytes)
	fDHCP82Flags     = dhcpUint("dhcp.option.agent_information_option.flags", "Flags", 1, Hex)
	fDHCP82ServerID  = dhcpTyped("dhcp.option.agent_information_option.server_id_override", "Server ID Override", TIPv4)
	fDHCP82RelayID   = dhcpTyped("dhcp.option.agent_information_option.relay_agent_id", "Relay Agent Identifier", TBytes)
	fDHCP82ANIAtt    = dhcpUint("dhcp.option.agent_information_option.ani_att", "Access Technology Type", 1, Dec)
	fDHCP82ANIName   = dhcpTyped("dhcp.option.agent_information_option.ani_network_name", "Access Network Name", TString)
	fDHCP82ANIAP     = dhcpTyped("dhcp.option.agent_information_option.ani_ap_name", "Access Point Name", TString)
	fDHCP82ANIOpID   = dhcpTyped("dhcp.option.agent_information_option.ani_operator_id", "Access Network Operator ID", TBytes)
	fDHCP82ANIRealm  = dhcpTyped("dhcp.option.agent_information_option.ani_operator_realm", "Access Network Operator Realm", TString)
	fDHCP82VIEnt     = dhcpUint("dhcp.option.agent_information_option.vi.enterprise", "Enterprise", 4, Dec)
	fDHCP82VILen     = dhcpUint("dhcp.option.agent_information_option.vi.data_length", "Data Length", 1, Dec)
	fDHCP82LinkCisco = dhcpTyped("dhcp.option.agent_information_option.link_selection_cisco", "Link selection (Cisco proprietary)", TIPv4)
	fDHCP82SrvCisco  = dhcpTyped("dhcp.option.agent_information_option.server_id_override_cisco", "Server ID Override (Cisco proprietary)", TIPv4)
)

var dhcp82Names = map[uint64]string{0: "Padding", 1: "Agent Circuit ID", 2: "Agent Remote ID", 3: "Reserved",
	4: "DOCSIS Device Class", 5: "Link selection", 6: "Subscriber ID", 7: "RADIUS Attributes", 8: "Authentication",
	9: "Vendor-Specific Information", 10: "Flags", 11: "Server ID Override", 12: "Relay Agent Identifier",
	13: "Access Technology Type", 14: "Access Network Name", 15: "Access Point Name", 16: "Access Point BSSID",
	17: "Access Network Operator ID", 18: "Access Network Operator Realm", 19: "Source Port",
	150: "Link selection (Cisco proprietary)", 151: "VRF name/VPN ID", 152: "Server ID Override (Cisco proprietary)"}

// dhcp82Subs are the sub-options of option 82 Wireshark reads with a basic
// type.
var dhcp82Subs = map[uint8]struct {
	kind dhcpKind // 0: bytes
	f    *Field
}{
	1: {0, fDHCP82Circuit}, 2: {0, fDHCP82Remote}, 3: {0, fDHCP82Reserved}, 4: {kU32, fDHCP82Docsis},
	5: {kIPv4, fDHCP82LinkSel}, 6: {kString, fDHCP82Subscr}, 7: {0, fDHCP82Radius}, 8: {0, fDHCP82Auth},
	10: {kU8, fDHCP82Flags}, 11: {kIPv4, fDHCP82ServerID}, 12: {0, fDHCP82RelayID}, 13: {kU8, fDHCP82ANIAtt},
	14: {kString, fDHCP82ANIName}, 15: {kString, fDHCP82ANIAP}, 17: {0, fDHCP82ANIOpID},
	18: {kString, fDHCP82ANIRealm}, 150: {kIPv4, fDHCP82LinkCisco}, 152: {kIPv4, fDHCP82SrvCisco},
}

// dhcp82Special are the sub-options Wireshark knows but decodes with code
// of their own; their value stays hidden.
var dhcp82Special = map[uint8]bool{9: true, 16: true, 19: true, 151: true}

var dhcpFields = func() []*Field {
	fs := cat(
		[]*Field{fDHCPType, fDHCPHwType, fDHCPHwLen, fDHCPHops, fDHCPID, fDHCPSecs},
		children(fDHCPFlags, fDHCPFlagsBC, fDHCPFlagsRes),
		[]*Field{fDHCPIPClient, fDHCPIPYour, fDHCPIPServer, fDHCPIPRelay, fDHCPMAC, fDHCPHwAddr, fDHCPHwPadding,
			fDHCPServer, fDHCPFile, fDHCPBootp, fDHCPCookie, fDHCPVendorOpts,
			fDHCPOptType, fDHCPOptLen, fDHCPOptValue, fDHCPOptPadding, fDHCPOptEnd},
	)
	for i := range dhcpBasicOpts {
		fs = append(fs, dhcpBasicOpts[i].f)
	}
	fs = append(fs, fDHCPPolicyIP, fDHCPPolicyMask, fDHCPRouteIP, fDHCPRouteRouter, fDHCPVendorValue, fDHCPBSDPSub, fDHCPArubaCtrl,
		fDHCPOverload, fDHCPMsgType, fDHCPReqItem, fDHCPVendorClass, fDHCPVendorData,
		fDHCPClientHwAddr, fDHCPClientUUID, fDHCPClientIAID, fDHCPDUIDType, fDHCPDUIDLLTHw, fDHCPDUIDLLHw,
		fDHCPClientTime, fDHCPClientLLAddr, fDHCPClientEnt, fDHCPClientID, fDHCPClientIDType, fDHCPClientUndef,
		fDHCPUserClass, fDHCPUserClassLen, fDHCPUserClassDat, fDHCPUserClassTxt,
		fDHCPSLPDAValue, fDHCPSLPDAAddr, fDHCPSLPScopeVal, fDHCPSLPScopeStr)
	fs = append(fs, children(fDHCPFQDNFlags, fDHCPFQDNMBZ, fDHCPFQDNN, fDHCPFQDNE, fDHCPFQDNO, fDHCPFQDNS)...)
	fs = append(fs, fDHCPFQDNRcode1, fDHCPFQDNRcode2, fDHCPFQDNName,
		fDHCP82Sub, fDHCPSubLen, fDHCP82Value, fDHCP82Circuit, fDHCP82Remote, fDHCP82Reserved, fDHCP82Docsis,
		fDHCP82LinkSel, fDHCP82Subscr, fDHCP82Radius, fDHCP82Auth, fDHCP82Flags, fDHCP82ServerID, fDHCP82RelayID,
		fDHCP82ANIAtt, fDHCP82ANIName, fDHCP82ANIAP, fDHCP82ANIOpID, fDHCP82ANIRealm, fDHCP82VIEnt, fDHCP82VILen, fDHCP82LinkCisco, fDHCP82SrvCisco,
		fDHCPNovellDSSIP, fDHCPClientArch, fDHCPNetIDMajor, fDHCPNetIDMinor, fDHCPCaptive, fDHCPDomainSearch,
		fDHCPClasslessRt, fDHCPVIClassMode, fDHCPVIClassEnt, fDHCPVIClassLen, fDHCPVIClassData, fDHCPForcerenew,
		fDHCPLQStatus, fDHCPLQStatusMsg, fDHCPPCPListLen, fDHCPPCPServer, fDHCPPortOffset, fDHCPPortPSIDLen,
		fDHCPPortPSID)
	return fs
}()

func init() {
	for _, f := range dhcpFields {
		f.Get = dhcpGetter(f)
	}
}

func dhcpGetter(f *Field) Getter {
	return func(p *Packet, l *Layer, dst []Value) []Value {
		w := dhcpWalk{fieldWalk: fieldWalk{want: f, dst: dst, m: p.Data[l.Off:l.End]}}
		w.run()
		return w.dst
	}
}

var protoDHCP = register(&Proto{ID: ProtoDHCP, Name: "dhcp", Short: "DHCP", Title: "Dynamic Host Configuration Protocol",
	Info: dhcpInfo, Node: dhcpNode}, dhcpFields...)

// dhcpInfo renders the Info column as Wireshark does.
func dhcpInfo(p *Packet, l *Layer) string {
	w := dhcpWalk{doInfo: true, fieldWalk: fieldWalk{m: p.Data[l.Off:l.End]}}
	w.run()
	return w.info
}

// dhcpNode titles the tree node as Wireshark does: the name of each
// message type option shown is appended, "Dynamic Host Configuration
// Protocol (Discover)".
func dhcpNode(p *Packet, l *Layer) string {
	w := dhcpWalk{fieldWalk: fieldWalk{want: fDHCPMsgType, m: p.Data[l.Off:l.End]}}
	w.run()
	title := "Dynamic Host Configuration Protocol"
	for _, v := range w.dst {
		title += " (" + dhcpMsgTypeName(int(v.U)) + ")"
	}
	return title
}

// dhcpMalformed says why Wireshark finds the message in layer l
// malformed (its dissector throws), "" when it does not.
func dhcpMalformed(p *Packet, l *Layer) string {
	w := dhcpWalk{fieldWalk: fieldWalk{m: p.Data[l.Off:l.End]}}
	w.run()
	if w.stop {
		return "DHCP message cut short"
	}
	return ""
}

const (
	dhcpSnameOff  = 44
	dhcpFileOff   = 108
	dhcpVendorOff = 236
	dhcpCookie    = 0x63825363
)

// dhcpWalk is one walk over a BOOTP/DHCP message.
type dhcpWalk struct {
	fieldWalk
	doInfo bool
	info   string
	// from the first pass over the options
	vendorClass []byte
	overload    uint8
	ob          []byte // the option value being walked
	nbuf        [300]byte
	tbuf        [320]byte // formatted names
}

// scanResult is what Wireshark's first pass over the options finds.
type scanResult struct {
	msgType     int // the value of the last option 53, -1 if none
	msgTypeOff  int
	vendorClass []byte
	overload    uint8
}

// scan is Wireshark's first pass: it looks for the message type, the
// vendor class and the overload option, without reading past the end.
func (w *dhcpWalk) scan() (scanResult, bool) {
	m := w.m
	r := scanResult{msgType: -1}
	voff := dhcpVendorOff + 64
	if len(m) >= dhcpVendorOff+4 && binary.BigEndian.Uint32(m[dhcpVendorOff:]) == dhcpCookie {
		voff = dhcpVendorOff + 4
	}
	for off := voff; off < len(m); {
		code := m[off]
		switch code {
		case 0:
			i := off + 1
			for i < len(m) && m[i] == 0 {
				i++
			}
			off = i
			continue
		case 255:
			return r, true
		}
		if off+1 >= len(m) {
			off++
			continue
		}
		n := int(m[off+1])
		if off+2+n <= len(m) {
			switch code {
			case 52:
				if off+2 >= len(m) {
					return r, false
				}
				r.overload = m[off+2]
			case 53:
				if off+2 >= len(m) {
					return r, false
				}
				r.msgType = int(m[off+2])
				r.msgTypeOff = off + 2
			case 60:
				r.vendorClass = m[off+2 : off+2+n]
			}
		}
		off += n + 2
	}
	return r, true
}

func (w *dhcpWalk) run() {
	m := w.m
	if len(m) < 3 {
		w.stop = true
		return
	}
	op, htype, hlen := m[0], m[1], int(m[2])
	if op == 1 && len(m) < 28+hlen {
		// Wireshark reads the client address for the Info column first.
		w.stop = true
		return
	}
	if w.doInfo {
		switch op {
		case 1:
			if (htype == 1 || htype == 6) && hlen == 6 {
				mac := string(appendMAC(nil, m[28:34]))
				// Wireshark names the vendor from its OUI database here;
				// without one the address stands for itself.
				w.info = "Boot Request from " + mac + " (" + mac + ")"
			} else {
				w.info = "Boot Request from " + arphrdAddr(m[28:28+hlen], htype)
			}
		case 2:
			w.info = "Boot Reply"
		default:
			w.info = "Unknown BOOTP message type (" + strconv.Itoa(int(op)) + ")"
		}
	}
	s, ok := w.scan()
	if !ok {
		w.stop = true
		return
	}
	w.vendorClass, w.overload = s.vendorClass, s.overload
	if s.msgType >= 0 {
		if len(m) < 8 {
			w.stop = true
			return
		}
		if w.doInfo {
			name := dhcpMsgTypeName(s.msgType)
			if len(name) < 8 {
				name += strings.Repeat(" ", 8-len(name))
			}
			w.info = "DHCP " + name + " - Transaction ID 0x" + strconv.FormatUint(uint64(binary.BigEndian.Uint32(m[4:])), 16)
		}
	}
	if w.doInfo {
		return
	}
	w.add(fDHCPType, Uint(uint64(op)))
	w.add(fDHCPHwType, Uint(uint64(htype)))
	w.add(fDHCPHwLen, Uint(uint64(hlen)))
	if _, ok := w.itemU(fDHCPHops, 3, 1); !ok {
		return
	}
	if _, ok := w.itemU(fDHCPID, 4, 4); !ok {
		return
	}
	if !w.has(8, 2) {
		return
	}
	// Windows sends the seconds little-endian; Wireshark shows them so
	// when that reading is small.
	secs := uint64(binary.LittleEndian.Uint16(m[8:]))
	if secs == 0 || secs > 0xff {
		secs = uint64(binary.BigEndian.Uint16(m[8:]))
	}
	w.add(fDHCPSecs, Uint(secs))
	fl, ok := w.itemU(fDHCPFlags, 10, 2)
	if !ok {
		return
	}
	w.add(fDHCPFlagsBC, Bool(fl&0x8000 != 0))
	w.add(fDHCPFlagsRes, Uint(fl&0x7fff))
	for i, f := range [...]*Field{fDHCPIPClient, fDHCPIPYour, fDHCPIPServer, fDHCPIPRelay} {
		if !w.itemBytes(f, 12+4*i, 4) {
			return
		}
	}
	if hlen > 0 && hlen <= 16 {
		if (htype == 1 || htype == 6) && hlen == 6 {
			if !w.itemBytes(fDHCPMAC, 28, 6) {
				return
			}
		} else if !w.itemBytes(fDHCPHwAddr, 28, 16) {
			return
		}
		if hlen < 16 && !w.itemBytes(fDHCPHwPadding, 28+hlen, 16-hlen) {
			return
		}
	}
	for _, x := range [...]struct {
		f        *Field
		off, n   int
		overload uint8
	}{{fDHCPServer, dhcpSnameOff, 64, 2}, {fDHCPFile, dhcpFileOff, 128, 1}} {
		if w.overload&x.overload != 0 {
			continue
		}
		if !w.has(x.off, 1) {
			return
		}
		if m[x.off] != 0 {
			if !w.itemStr(x.f, x.off, x.n, false) {
				return
			}
		} else {
			w.add(x.f, Str(""))
		}
	}
	if s.msgType < 0 {
		w.add(fDHCPBootp, Bool(true))
	}
	voff := dhcpVendorOff
	if len(m) >= voff+4 && binary.BigEndian.Uint32(m[voff:]) == dhcpCookie {
		w.add(fDHCPCookie, Bytes(m[voff:voff+4]))
		voff += 4
	} else {
		if !w.itemBytes(fDHCPVendorOpts, voff, 64) {
			return
		}
		voff += 64
	}
	atEnd := false
	overload := w.overload
	for voff < len(m) && !atEnd && !w.stop {
		var nest uint8
		voff, nest = w.option(voff, len(m), &atEnd, overload)
		if nest != 0 {
			// Option 52 shows the options overloaded into the sname and
			// file fields right after itself.
			if nest&2 != 0 {
				w.nested(dhcpSnameOff, dhcpSnameOff+64)
			}
			if nest&1 != 0 && !w.stop {
				w.nested(dhcpFileOff, dhcpFileOff+128)
			}
			overload = 0
		}
	}
	if w.stop {
		return
	}
	if voff < len(m) {
		w.add(fDHCPOptPadding, Bytes(m[voff:]))
	}
}

// option walks the option at off (options end at end) and returns the
// offset of the next. overload is the value of option 52 seen in the
// first pass, 0 inside the sname and file fields; nest says which of
// those fields option 52 asks to walk next.
func (w *dhcpWalk) option(off, end int, atEnd *bool, overload uint8) (next int, nest uint8) {
	m := w.m
	code := m[off]
	switch code {
	case 0:
		i := off + 1
		for i < end && i < len(m) && m[i] == 0 {
			i++
		}
		w.add(fDHCPOptType, Uint(0))
		w.add(fDHCPOptPadding, Bytes(m[off:i]))
		return i, 0
	case 255:
		w.add(fDHCPOptType, Uint(0))
		w.add(fDHCPOptEnd, Uint(255))
		*atEnd = true
		return off + 1, 0
	}
	if !w.has(off+1, 1) {
		return off, 0
	}
	n := int(m[off+1])
	w.add(fDHCPOptType, Uint(uint64(code)))
	w.add(fDHCPOptLen, Uint(uint64(n)))
	if !w.itemBytes(fDHCPOptValue, off+2, n) {
		return off, 0
	}
	nest = w.optionValue(code, m[off+2:off+2+n], overload)
	return off + 2 + n, nest
}

// The option value being walked is w.ob, as Wireshark's sub-tvb for the
// option: reads past its end stop the walk. (The view lives in the walk
// rather than in a value of its own so that the walk stays on the stack.)

func (w *dhcpWalk) ohas(off, n int) bool {
	if off < 0 || n < 0 || off+n > len(w.ob) {
		w.stop = true
		return false
	}
	return true
}

func (w *dhcpWalk) ou(f *Field, off, n int) (uint64, bool) {
	if !w.ohas(off, n) {
		return 0, false
	}
	v := beUint(w.ob[off : off+n])
	if f != nil {
		if f.Mask != 0 {
			w.add(f, Uint((v&f.Mask)>>trailingZeros(f.Mask)))
		} else {
			w.add(f, Uint(v))
		}
	}
	return v, true
}

func (w *dhcpWalk) obytes(f *Field, off, n int) bool {
	if !w.ohas(off, n) {
		return false
	}
	w.add(f, Bytes(w.ob[off:off+n:off+n]))
	return true
}

func (w *dhcpWalk) ostr(f *Field, off, n int, utf bool) bool {
	if !w.ohas(off, n) {
		return false
	}
	if w.wants(f) {
		w.add(f, Str(wsString(w.ob[off:off+n], utf)))
	}
	return true
}

// basic reads a value of a basic type as Wireshark's
// dhcp_handle_basic_types does: a value of the wrong length is not shown.
func (w *dhcpWalk) obasic(kind dhcpKind, f *Field) {
	n := len(w.ob)
	switch kind {
	case 0:
		w.obytes(f, 0, n)
	case kIPv4:
		if n == 4 {
			w.obytes(f, 0, 4)
		}
	case kIPv4List:
		for i := 0; i+4 <= n; i += 4 {
			w.obytes(f, i, 4)
		}
	case kString:
		w.ostr(f, 0, n, false)
	case kBool:
		if n == 1 {
			w.add(f, Bool(w.ob[0] != 0))
		}
	case kU8:
		if n == 1 {
			w.ou(f, 0, 1)
		}
	case kU16:
		if n == 2 {
			w.ou(f, 0, 2)
		}
	case kU16List:
		for i := 0; i+2 <= n; i += 2 {
			w.ou(f, i, 2)
		}
	case kU32, kTimeU:
		if n == 4 {
			w.ou(f, 0, 4)
		}
	case kTimeS:
		if n == 4 {
			w.add(f, Int(int64(int32(binary.BigEndian.Uint32(w.ob)))))
		}
	}
}

// optionValue walks an option's value with Wireshark's dissector for the
// option. For option 52 it returns the fields holding options to walk.
func (w *dhcpWalk) optionValue(code uint8, b []byte, overload uint8) (nest uint8) {
	w.ob = b
	n := len(b)
	if bo := dhcpBasicByCode[code]; bo != nil {
		w.obasic(bo.kind, bo.f)
		return 0
	}
	switch code {
	case 21, 33: // policy filter, static route
		a, r := fDHCPPolicyIP, fDHCPPolicyMask
		if code == 33 {
			a, r = fDHCPRouteIP, fDHCPRouteRouter
		}
		for i := 0; n-i >= 8; i += 8 {
			w.obytes(a, i, 4)
			w.obytes(r, i+4, 4)
		}
	case 43: // vendor-specific information
		w.vendorInfo()
	case 52: // option overload
		if n < 1 {
			return 0
		}
		v, _ := w.ou(fDHCPOverload, 0, 1)
		if overload >= 1 && overload <= 3 {
			// The overloaded fields are walked even when they hold no
			// option (nest 0 then means none); the final End is not
			// in them.
			return uint8(v&3) | 0x80
		}
	case 53:
		w.ou(fDHCPMsgType, 0, 1)
	case 55: // parameter request list
		for i := 0; i < n; i++ {
			w.ou(fDHCPReqItem, i, 1)
		}
	case 60: // vendor class identifier
		w.ostr(fDHCPVendorClass, 0, n, false)
		if bytes.HasPrefix(b, []byte("AAPLBSDPC/")) {
			w.ostr(fDHCPVendorData, 10, n-10, false)
		}
	case 61: // client identifier
		w.clientID()
	case 77: // user class
		w.userClass()
	case 78: // SLP directory agent
		if n < 1 {
			return
		}
		v, _ := w.ou(fDHCPSLPDAValue, 0, 1)
		i := 1
		if v == 0x80 {
			if n == 1 {
				return
			}
			i++
		}
		for ; n-i >= 4; i += 4 {
			w.obytes(fDHCPSLPDAAddr, i, 4)
		}
	case 79: // SLP service scope
		if _, ok := w.ou(fDHCPSLPScopeVal, 0, 1); ok {
			w.ostr(fDHCPSLPScopeStr, 1, n-1, false)
		}
	case 81: // client FQDN
		w.clientFQDN()
	case 82: // relay agent information
		for i := 0; i < n && !w.stop; {
			i = w.agentInfo(i)
		}
	case 85: // Novell directory services servers
		for i := 0; n-i >= 4; i += 4 {
			w.obytes(fDHCPNovellDSSIP, i, 4)
		}
	case 93: // client system architecture
		for i := 0; n-i > 1; i += 2 {
			w.ou(fDHCPClientArch, i, 2)
		}
	case 94: // client network device interface
		if t, ok := w.ou(nil, 0, 1); ok && t == 1 {
			if _, ok := w.ou(fDHCPNetIDMajor, 1, 1); ok {
				w.ou(fDHCPNetIDMinor, 2, 1)
			}
		}
	case 114, 160: // captive portal
		w.ostr(fDHCPCaptive, 0, n, false)
	case 119: // domain search
		w.domainSearch()
	case 121, 249: // classless static routes
		if n < 5 {
			return
		}
		for i := 0; i < n; {
			width := int(b[i])
			if width > 32 {
				return
			}
			sig := (width + 7) / 8
			if !w.obytes(fDHCPClasslessRt, i, 1+sig+4) {
				return
			}
			i += 1 + sig + 4
		}
	case 124: // V-I vendor class
		if n == 1 {
			w.ou(fDHCPVIClassMode, 0, 1)
			return
		}
		for i := 0; n-i >= 5 && !w.stop; {
			w.ou(fDHCPVIClassEnt, i, 4)
			l, ok := w.ou(fDHCPVIClassLen, i+4, 1)
			if !ok || !w.ostr(fDHCPVIClassData, i+5, int(l), false) {
				return
			}
			i += 5 + int(l)
		}
	case 145: // forcerenew nonce capable
		for i := 0; i < n; i++ {
			w.ou(fDHCPForcerenew, i, 1)
		}
	case 151: // leasequery status code
		if n < 1 {
			return
		}
		w.ou(fDHCPLQStatus, 0, 1)
		if n > 1 {
			w.ostr(fDHCPLQStatusMsg, 1, n-1, true)
		}
	case 158: // PCP servers
		if n < 5 {
			return
		}
		for i := 0; n-i >= 5; {
			ll := int(b[i])
			w.ou(fDHCPPCPListLen, i, 1)
			i++
			got := 1
			for (ll-1)%4 == 0 && got < ll && n-i >= 4 {
				w.obytes(fDHCPPCPServer, i, 4)
				i += 4
				got += 4
			}
		}
	case 159: // port parameters
		if n != 4 {
			return
		}
		w.ou(fDHCPPortOffset, 0, 1)
		w.ou(fDHCPPortPSIDLen, 1, 1)
		w.obytes(fDHCPPortPSID, 2, 2)
	}
	return 0
}

// dhcpVendorDecoded are the vendor classes whose option 43 Wireshark
// decodes with a dissector of the vendor's, which wirelark does not have:
// their sub-options show only as the option's value.
var dhcpVendorDecoded = []string{"PXEClient", "pktc", "docsis", "OpenCable2.0", "CableHome", "ArubaInstantAP",
	"alcatel", "Cisco", "cisco", "AEROHIVE", "Aerohive"}

// vendorInfo walks option 43 (in w.ob) by the vendor class of option 60.
func (w *dhcpWalk) vendorInfo() {
	n := len(w.ob)
	vc := w.vendorClass
	switch {
	case bytes.HasPrefix(vc, []byte("ArubaAP")):
		w.ostr(fDHCPArubaCtrl, 0, n, false)
		return
	case bytes.HasPrefix(vc, []byte("AAPLBSDPC")):
		// Apple's Boot Server Discovery Protocol: sub-options.
		for i := 0; i < n && !w.stop; {
			w.ou(fDHCPBSDPSub, i, 1)
			l, ok := w.ou(fDHCPSubLen, i+1, 1)
			if !ok {
				return
			}
			i += 2 + int(l)
		}
		return
	}
	for _, p := range dhcpVendorDecoded {
		if bytes.HasPrefix(vc, []byte(p)) {
			return
		}
	}
	w.obytes(fDHCPVendorValue, 0, n)
}

// nested walks options overloaded into the sname or file field.
func (w *dhcpWalk) nested(off, end int) {
	atEnd := false
	for off < end && !atEnd && !w.stop {
		if off >= len(w.m) {
			w.stop = true
			return
		}
		off, _ = w.option(off, end, &atEnd, 0)
	}
}

// clientID walks option 61 as Wireshark does: a hardware type and
// address, a UUID, an RFC 4361 IAID and DUID, or another identifier.
func (w *dhcpWalk) clientID() {
	b := w.ob
	n := len(b)
	var t byte
	if n > 0 {
		t = b[0]
	}
	switch {
	case n == 7 && t > 0 && t < 48:
		w.ou(fDHCPHwType, 0, 1)
		if t == 1 || t == 6 {
			w.obytes(fDHCPMAC, 1, 6)
		} else if w.wants(fDHCPClientHwAddr) {
			w.add(fDHCPClientHwAddr, Str(arphrdAddr(b[1:7], t)))
		}
	case n == 17 && t == 0:
		if w.wants(fDHCPClientUUID) {
			w.add(fDHCPClientUUID, Str(guidLE(b[1:17])))
		}
	case t == 255:
		if !w.ohas(1, 4) {
			return
		}
		if w.wants(fDHCPClientIAID) {
			w.add(fDHCPClientIAID, Str(arphrdAddr(b[1:5], t)))
		}
		d, ok := w.ou(fDHCPDUIDType, 5, 2)
		if !ok {
			return
		}
		off := 5
		switch d {
		case 1: // link-layer address plus time
			if n < 8 {
				return
			}
			hw, ok := w.ou(fDHCPDUIDLLTHw, off+2, 2)
			if !ok {
				return
			}
			if _, ok := w.ou(fDHCPClientTime, off+4, 4); !ok {
				return
			}
			if n > 8 && w.ohas(off+8, n-13) && w.wants(fDHCPClientLLAddr) {
				w.add(fDHCPClientLLAddr, Str(arphrdAddr(b[off+8:off+8+n-13], byte(hw))))
			}
		case 2: // vendor-assigned
			if n < 6 {
				return
			}
			if _, ok := w.ou(fDHCPClientEnt, off+2, 4); !ok {
				return
			}
			if n > 6 {
				w.obytes(fDHCPClientID, off+6, n-11)
			}
		case 3: // link-layer address
			if n < 4 {
				return
			}
			hw, ok := w.ou(fDHCPDUIDLLHw, off+2, 2)
			if !ok {
				return
			}
			if n > 4 && w.ohas(off+4, n-9) && w.wants(fDHCPClientLLAddr) {
				w.add(fDHCPClientLLAddr, Str(arphrdAddr(b[off+4:off+4+n-9], byte(hw))))
			}
		}
	case t == 0 && n > 1:
		w.ou(fDHCPClientIDType, 0, 1)
		w.ostr(fDHCPClientUndef, 1, n-1, false)
	}
}

// userClass walks option 77 (RFC 3004), or the text many clients send in
// its place.
func (w *dhcpWalk) userClass() {
	n := len(w.ob)
	if n < 2 {
		return
	}
	left := n
	for i, idx := 0, 0; i < n && !w.stop; idx++ {
		cl := int(w.ob[i])
		if cl >= left {
			w.ostr(fDHCPUserClassTxt, i, left, false)
			return
		}
		w.add(fDHCPUserClass, Uint(uint64(idx)))
		w.add(fDHCPUserClassLen, Uint(uint64(cl)))
		i++
		if cl == 0 {
			return
		}
		if !w.obytes(fDHCPUserClassDat, i, cl) {
			return
		}
		i += cl
		left -= cl + 1
	}
}

// clientFQDN walks option 81 (RFC 4702).
func (w *dhcpWalk) clientFQDN() {
	n := len(w.ob)
	if n < 3 {
		return
	}
	fl := uint64(w.ob[0])
	w.add(fDHCPFQDNFlags, Uint(fl))
	w.add(fDHCPFQDNMBZ, Uint(fl>>4))
	w.add(fDHCPFQDNN, Bool(fl&8 != 0))
	w.add(fDHCPFQDNE, Bool(fl&4 != 0))
	w.add(fDHCPFQDNO, Bool(fl&2 != 0))
	w.add(fDHCPFQDNS, Bool(fl&1 != 0))
	w.ou(fDHCPFQDNRcode1, 1, 1)
	w.ou(fDHCPFQDNRcode2, 2, 1)
	if n <= 3 {
		return
	}
	if fl&4 != 0 {
		var steps int
		raw, _, ok := dnsName(w.ob, 3, n-3, w.nbuf[:0], &steps)
		if !ok {
			w.stop = true
			return
		}
		if w.wants(fDHCPFQDNName) {
			w.add(fDHCPFQDNName, Str(string(appendFormatText(w.tbuf[:0], raw))))
		}
		return
	}
	w.ostr(fDHCPFQDNName, 3, n-3, false)
}

// agentInfo walks one sub-option of option 82 at off; it returns the
// offset of the next.
func (w *dhcpWalk) agentInfo(off int) int {
	n := len(w.ob)
	sub := w.ob[off]
	if off+1 >= n {
		return n
	}
	l := int(w.ob[off+1])
	w.add(fDHCP82Sub, Uint(uint64(sub)))
	w.add(fDHCPSubLen, Uint(uint64(l)))
	v := off + 2
	if v+l > n {
		return n
	}
	w.add(fDHCP82Value, Bytes(w.ob[v:v+l]))
	outer := w.ob
	w.ob = outer[v : v+l]
	w.agentSub(sub, l)
	w.ob = outer
	return v + l
}

// agentSub walks the value of an option 82 sub-option, in w.ob.
func (w *dhcpWalk) agentSub(sub byte, l int) {
	if s, ok := dhcp82Subs[sub]; ok {
		w.obasic(s.kind, s.f)
	} else if sub == 9 {
		// Vendor-specific information (RFC 4243): enterprise numbers,
		// each with its data.
		for i := 0; i < l && !w.stop; {
			ent, ok := w.ou(fDHCP82VIEnt, i, 4)
			if !ok {
				break
			}
			dl, ok := w.ou(fDHCP82VILen, i+4, 1)
			if !ok {
				break
			}
			i += 5
			if ent != 4491 && !w.obytes(fDHCP82Value, i, int(dl)) {
				break
			}
			i += int(dl)
		}
	}
}

// domainSearch walks option 119 (RFC 3397): compressed names.
func (w *dhcpWalk) domainSearch() {
	for i := 0; i < len(w.ob) && !w.stop; {
		var steps int
		raw, used, ok := dnsName(w.ob, i, len(w.ob), w.nbuf[:0], &steps)
		if !ok {
			w.stop = true
			return
		}
		if w.wants(fDHCPDomainSearch) {
			w.add(fDHCPDomainSearch, Str(string(appendFormatText(w.tbuf[:0], raw))))
		}
		i += used
	}
}

// arphrdAddr formats a hardware address as Wireshark's
// arphrdaddr_to_str: six-byte Ethernet and IEEE 802 addresses as MACs,
// others as plain hex.
func arphrdAddr(b []byte, htype byte) string {
	if len(b) == 0 {
		return "<No address>"
	}
	if (htype == 1 || htype == 2 || htype == 6) && len(b) == 6 {
		return string(appendMAC(nil, b))
	}
	return hex.EncodeToString(b)
}

// guidLE formats 16 bytes as a GUID whose first three groups are
// little-endian.
func guidLE(b []byte) string {
	var out []byte
	for _, i := range [...]int{3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15} {
		if i < 0 {
			out = append(out, '-')
			continue
		}
		out = append(out, hexDigits[b[i]>>4], hexDigits[b[i]&15])
	}
	return string(out)
}
