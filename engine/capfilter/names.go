package capfilter

import (
	"strconv"
	"strings"
)

// Names libpcap understands in place of numbers. Port and protocol names
// are the project's own table rather than /etc/services and
// /etc/protocols, so a filter compiles the same on every machine; only
// names whose TCP and UDP numbers agree are listed, which keeps "port NAME"
// one number for every transport as libpcap compiles it.
var portNames = map[string]uint32{
	"ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53,
	"bootps": 67, "bootpc": 68, "tftp": 69, "http": 80, "kerberos": 88, "pop3": 110,
	"sunrpc": 111, "ntp": 123, "netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139,
	"imap": 143, "snmp": 161, "snmp-trap": 162, "ldap": 389, "https": 443,
	"microsoft-ds": 445, "syslog": 514, "ldaps": 636, "imaps": 993, "pop3s": 995,
	"ms-sql-s": 1433, "radius": 1812, "nfs": 2049, "mysql": 3306, "rdp": 3389,
	"sip": 5060, "postgresql": 5432,
}

// protoNames are IP protocol numbers by name, for "ip proto NAME" and
// "proto \NAME".
var protoNames = map[string]uint32{
	"icmp": 1, "igmp": 2, "ipip": 4, "tcp": 6, "egp": 8, "pup": 12, "udp": 17,
	"idp": 22, "tp": 29, "ipv6": 41, "rsvp": 46, "gre": 47, "esp": 50, "ah": 51,
	"icmp6": 58, "icmpv6": 58, "eigrp": 88, "ospf": 89, "pim": 103, "vrrp": 112,
	"l2tp": 115, "sctp": 132,
}

// etherNames are EtherTypes by name, for "ether proto \NAME".
var etherNames = map[string]uint32{
	"ip": 0x0800, "ip6": 0x86dd, "arp": 0x0806, "rarp": 0x8035,
	"atalk": 0x809b, "aarp": 0x80f3, "ipx": 0x8137, "decnet": 0x6003,
	"lat": 0x6004, "sca": 0x6007, "moprc": 0x6002, "mopdl": 0x6001,
}

// constNames are the numeric names usable in arithmetic (pcap-filter(7)).
var constNames = map[string]uint32{
	"icmptype": 0, "icmpcode": 1,
	"icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4, "icmp-redirect": 5,
	"icmp-echo": 8, "icmp-routeradvert": 9, "icmp-routersolicit": 10, "icmp-timxceed": 11,
	"icmp-paramprob": 12, "icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15,
	"icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,
	"icmp6type": 0, "icmp6code": 1,
	"icmp6-destinationunreach": 1, "icmp6-packettoobig": 2, "icmp6-timeexceeded": 3,
	"icmp6-parameterproblem": 4, "icmp6-echo": 128, "icmp6-echoreply": 129,
	"icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
	"icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133,
	"icmp6-routeradvert": 134, "icmp6-neighborsolicit": 135, "icmp6-neighboradvert": 136,
	"icmp6-redirect": 137, "icmp6-routerrenum": 138,
	"icmp6-multicastlistenerreportv2": 143,
	"tcpflags":                        13, "tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04, "tcp-push": 0x08,
	"tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40, "tcp-cwr": 0x80,
}

// parseNum parses a libpcap number: decimal, 0x hexadecimal or 0 octal,
// within 32 bits.
func parseNum(s string) (uint32, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	digits := s
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		base, digits = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, digits = 8, s[1:]
	}
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil {
		return 0, false
	}
	return uint32(v), true
}

// parseMAC parses a 48-bit address written as six groups of one or two
// hex digits separated by ':' or '-', or as three groups of four
// separated by '.'.
func parseMAC(s string) ([6]byte, bool) {
	var mac [6]byte
	var parts []string
	switch {
	case strings.Count(s, ":") == 5:
		parts = strings.Split(s, ":")
	case strings.Count(s, "-") == 5:
		parts = strings.Split(s, "-")
	case strings.Count(s, ".") == 2:
		for _, g := range strings.Split(s, ".") {
			if len(g) != 4 {
				return mac, false
			}
			parts = append(parts, g[:2], g[2:])
		}
	default:
		return mac, false
	}
	for i, p := range parts {
		if len(p) < 1 || len(p) > 2 {
			return mac, false
		}
		v, err := strconv.ParseUint(p, 16, 8)
		if err != nil {
			return mac, false
		}
		mac[i] = byte(v)
	}
	return mac, true
}
