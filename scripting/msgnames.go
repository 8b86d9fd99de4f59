package scripting

import "fmt"

// Short names of protocol numbers, as scripts compare them: lower case
// with hyphens for ICMP and IGMP (as iptables and Zeek's ICMP names),
// the RFCs' upper-case mnemonics for DNS and DHCP.

// icmpTypes name ICMPv4 types; icmpCodes their codes, by type.
var icmpTypes = map[uint64]string{0: "echo-reply", 3: "dest-unreach", 4: "source-quench", 5: "redirect",
	8: "echo-request", 9: "router-advert", 10: "router-solicit", 11: "time-exceeded", 12: "param-problem",
	13: "timestamp-request", 14: "timestamp-reply", 15: "info-request", 16: "info-reply",
	17: "mask-request", 18: "mask-reply"}

var icmpCodes = map[uint64]map[uint64]string{
	3: {0: "net-unreach", 1: "host-unreach", 2: "proto-unreach", 3: "port-unreach", 4: "frag-needed",
		5: "src-route-failed", 6: "net-unknown", 7: "host-unknown", 8: "src-host-isolated",
		9: "net-prohibited", 10: "host-prohibited", 11: "tos-net-unreach", 12: "tos-host-unreach",
		13: "admin-prohibited", 14: "host-precedence-violation", 15: "precedence-cutoff"},
	5:  {0: "redirect-net", 1: "redirect-host", 2: "redirect-tos-net", 3: "redirect-tos-host"},
	11: {0: "ttl-exceeded", 1: "frag-reassembly-exceeded"},
	12: {0: "pointer-error", 1: "missing-option", 2: "bad-length"},
}

// icmpv6Types name ICMPv6 types; icmpv6Codes their codes, by type.
var icmpv6Types = map[uint64]string{1: "dest-unreach", 2: "packet-too-big", 3: "time-exceeded",
	4: "param-problem", 128: "echo-request", 129: "echo-reply", 130: "mld-query", 131: "mld-report",
	132: "mld-done", 133: "router-solicit", 134: "router-advert", 135: "neighbor-solicit",
	136: "neighbor-advert", 137: "redirect", 143: "mldv2-report"}

var icmpv6Codes = map[uint64]map[uint64]string{
	1: {0: "no-route", 1: "admin-prohibited", 2: "beyond-scope", 3: "addr-unreach", 4: "port-unreach",
		5: "src-policy-failed", 6: "reject-route", 7: "src-routing-header-error"},
	3: {0: "hop-limit-exceeded", 1: "frag-reassembly-exceeded"},
	4: {0: "bad-header-field", 1: "unknown-next-header", 2: "unknown-option"},
}

// igmpTypes name IGMP message types.
var igmpTypes = map[uint64]string{0x11: "membership-query", 0x12: "membership-report",
	0x16: "membership-report", 0x17: "leave-group", 0x22: "membership-report"}

// groupRecordTypes name IGMPv3 and MLDv2 group record types (RFC 3376
// and 3810 share them).
var groupRecordTypes = map[uint64]string{1: "MODE_IS_INCLUDE", 2: "MODE_IS_EXCLUDE",
	3: "CHANGE_TO_INCLUDE_MODE", 4: "CHANGE_TO_EXCLUDE_MODE", 5: "ALLOW_NEW_SOURCES", 6: "BLOCK_OLD_SOURCES"}

// dnsRcodes are the RCODE mnemonics of the IANA registry.
var dnsRcodes = map[uint64]string{0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP",
	5: "REFUSED", 6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 11: "DSOTYPENI",
	16: "BADVERS", 17: "BADKEY", 18: "BADTIME", 19: "BADMODE", 20: "BADNAME", 21: "BADALG", 22: "BADTRUNC",
	23: "BADCOOKIE"}

// dhcpTypes are the DHCP message types (option 53) without the DHCP
// prefix of RFC 2132's names.
var dhcpTypes = map[uint64]string{1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK",
	7: "RELEASE", 8: "INFORM", 9: "FORCERENEW", 10: "LEASEQUERY", 11: "LEASEUNASSIGNED", 12: "LEASEUNKNOWN",
	13: "LEASEACTIVE", 14: "BULKLEASEQUERY", 15: "LEASEQUERYDONE", 16: "ACTIVELEASEQUERY",
	17: "LEASEQUERYSTATUS", 18: "TLS"}

// nameOr returns the name of v, or fallback formatted with v.
func nameOr(names map[uint64]string, v uint64, fallback string) string {
	if s, ok := names[v]; ok {
		return s
	}
	return fmt.Sprintf(fallback, v)
}
