package flow

// Zeek's likely_server_ports: the ports its base scripts add with
// "redef likely_server_ports += { ports }" next to registering an analyzer
// (scripts/base/protocols/*/main.zeek and base/frameworks/tunnels).
var (
	serverTCP = []uint16{
		21, 2811, // ftp, gridftp
		22,      // ssh
		25, 587, // smtp
		53,                                        // dns
		80, 81, 631, 1080, 3128, 8000, 8080, 8888, // http
		88,       // krb
		110,      // pop3
		135,      // dce-rpc
		139, 445, // smb
		143,       // imap
		389, 3268, // ldap
		443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, // ssl
		502,        // modbus
		1434, 3306, // mysql
		1883,       // mqtt
		3389,       // rdp
		5222, 5269, // xmpp
		5432,                   // postgresql
		6379,                   // redis
		6666, 6667, 6668, 6669, // irc
		20000, // dnp3
	}
	serverUDP = []uint16{
		53, 137, 5353, 5355, // dns
		67,       // dhcp (68 is the client's)
		88,       // krb
		123,      // ntp
		161, 162, // snmp
		389,        // ldap
		443,        // dtls, quic
		514,        // syslog
		547,        // dhcpv6
		1812,       // radius
		5060,       // sip
		20000,      // dnp3
		2123, 2152, // gtpv1
		3544, // teredo
		4789, // vxlan
		5072, // ayiya
		6081, // geneve
	}
	serverPorts = func() (s [2][1024]uint64) {
		for _, p := range serverTCP {
			s[0][p/64] |= 1 << (p % 64)
		}
		for _, p := range serverUDP {
			s[1][p/64] |= 1 << (p % 64)
		}
		return s
	}()
)

func likelyServerPort(p Proto, port uint16) bool {
	i := 0
	switch p {
	case TCP:
	case UDP:
		i = 1
	default:
		return false
	}
	return serverPorts[i][port/64]&(1<<(port%64)) != 0
}

// counterpart is Zeek's ICMP4_counterpart and ICMP6_counterpart: the type
// answering a request (and the other way round); a message without one
// is one-way, and its code stands in for the responder's port.
func counterpart(v6 bool, typ, code uint8) (uint8, bool) {
	var pairs [][2]uint8
	if v6 {
		// echo, router solicitation/advertisement, neighbour
		// solicitation/advertisement, MLD query/report, node information,
		// home agent address discovery.
		pairs = icmp6Pairs
	} else {
		// echo, timestamp, information, router, address mask.
		pairs = icmp4Pairs
	}
	for _, pr := range pairs {
		switch typ {
		case pr[0]:
			return pr[1], false
		case pr[1]:
			return pr[0], false
		}
	}
	return code, true
}

var (
	icmp4Pairs = [][2]uint8{{8, 0}, {13, 14}, {15, 16}, {10, 9}, {17, 18}}
	icmp6Pairs = [][2]uint8{{128, 129}, {133, 134}, {135, 136}, {130, 131}, {139, 140}, {144, 145}}
)

// isEcho reports an echo request or reply.
func isEcho(v6 bool, typ uint8) bool {
	if v6 {
		return typ == 128 || typ == 129
	}
	return typ == 8 || typ == 0
}
