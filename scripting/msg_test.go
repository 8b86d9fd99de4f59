package scripting

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The captures of ../shared: real traffic whose content their README
// describes. Tests that need one skip when it is absent.
const (
	sharedCaptures = "../../shared/captures"
	sharedCorpus   = "../../shared/corpus"
)

// sharedFile returns the path of a shared capture, or skips the test.
func sharedFile(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared capture %s not available: %v", p, err)
	}
	return p
}

// evalMsg evaluates expressions in a message handler for the messages of
// one frame and returns their values as repr strings, one per line.
func evalMsg(t *testing.T, capture, handler string, frame int, exprs []string) []string {
	t.Helper()
	var b strings.Builder
	b.WriteString("FILTER = \"frame.number == " + strconv.Itoa(frame) + "\"\ndef " + handler + "(msg):\n")
	for _, e := range exprs {
		b.WriteString("    print(repr(" + e + "))\n")
	}
	r := runSrc(t, b.String(), []string{capture})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, b.String())
	}
	return strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
}

// msgCase is one message and what its attributes must be; why says where
// the expected values come from.
type msgCase struct {
	capture, handler string
	frame            int
	why              string
	want             []evalCase
}

func checkMsgs(t *testing.T, cases []msgCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(filepath.Base(c.capture)+"#"+strconv.Itoa(c.frame), func(t *testing.T) {
			path := sharedFile(t, filepath.Dir(c.capture), filepath.Base(c.capture))
			exprs := make([]string, len(c.want))
			for i, w := range c.want {
				exprs[i] = w.expr
			}
			got := evalMsg(t, path, c.handler, c.frame, exprs)
			if len(got) != len(c.want) {
				t.Fatalf("%s: got %d lines for %d expressions: %q", c.why, len(got), len(c.want), got)
			}
			for i, w := range c.want {
				if got[i] != w.want {
					t.Errorf("%s: %s = %s, want %s", c.why, w.expr, got[i], w.want)
				}
			}
		})
	}
}

func cap(name string) string    { return filepath.Join(sharedCaptures, name) }
func corpus(name string) string { return filepath.Join(sharedCorpus, name) }

func TestARPMessages(t *testing.T) {
	arp := cap("arp_resolution.pcap")
	checkMsgs(t, []msgCase{
		{arp, "on_arp", 1, "README: frames 1-2 are arping -D probes from 0.0.0.0", []evalCase{
			{"type(msg)", `"arp_msg"`},
			{"msg.op", `"probe"`},
			{"msg.sender_ip", `"0.0.0.0"`},
			{"msg.target_ip", `"192.168.1.100"`},
			{"msg.target_mac", `"ff:ff:ff:ff:ff:ff"`},
			{"msg.opcode", "1"},
			{"msg.conn", "None"},
			{"msg.pkt.num", "1"},
		}},
		{arp, "on_arp", 5, "README: frame 5 is the gratuitous reply (target MAC = own MAC)", []evalCase{
			{"msg.op", `"gratuitous"`},
			{"msg.opcode", "2"},
			{"msg.sender_mac", `"02:00:c0:a8:01:64"`},
			{"msg.target_mac", `"02:00:c0:a8:01:64"`},
		}},
		{arp, "on_arp", 7, "README: frame 7 is srv's is-at", []evalCase{
			{"msg.op", `"reply"`},
			{"msg.sender_mac", `"02:00:c0:a8:01:0a"`},
			{"msg.sender_ip", `"192.168.1.10"`},
			{"msg.isgratuitous", "False"},
			{"msg.src.proto_ipv4", `"192.168.1.10"`}, // ARP has no IP header: msg.src is arp.src.*
		}},
	})
}

func TestDHCPMessages(t *testing.T) {
	dora := cap("dhcp_dora.pcap")
	checkMsgs(t, []msgCase{
		{dora, "on_dhcp", 19, "README: frame 19 is ws2's (udhcpc) REQUEST, xid 0x97f78045, for 192.168.1.146, option 60 and 61", []evalCase{
			{"type(msg)", `"dhcp_msg"`},
			{"msg.message_type", `"REQUEST"`},
			{"msg.op", "1"},
			{"msg.xid == 0x97f78045", "True"},
			{"msg.chaddr", `"02:00:00:00:00:02"`},
			{"msg.client_id", `"02:00:00:00:00:02"`},
			{"msg.requested_addr", `"192.168.1.146"`},
			{"msg.server_id", `"192.168.1.10"`},
			{"msg.host_name", `"ws2"`},
			{"msg.options[60]", `"udhcp 1.35.0"`},
			{"msg.options[53]", "3"},
			{"msg.options[61]", `b"\x01\x02\x00\x00\x00\x00\x02"`},
			{"msg.params", "[1, 3, 6, 12, 15, 28, 42]"},
			{"msg.ciaddr", `"0.0.0.0"`},
			{"msg.flags.bc", "False"},
			{"msg.version", "4"},
			{"(msg.src, msg.dst, msg.sport, msg.dport)", `("0.0.0.0", "255.255.255.255", 68, 67)`},
		}},
		{dora, "on_dhcp", 8, "README: frame 8 is ws1's ACK: 192.168.1.145, lease 600, T1 20, router, DNS, domain", []evalCase{
			{"msg.message_type", `"ACK"`},
			{"msg.op", "2"},
			{"msg.yiaddr", `"192.168.1.145"`},
			{"msg.lease_time", "600"},
			{"msg.options[58]", "20"},
			{"msg.options[1]", `"255.255.255.0"`},
			{"msg.options[3]", `["192.168.1.1"]`},
			{"msg.options[6]", `["192.168.1.10"]`},
			{"msg.options[15]", `"corp.example"`},
			{"msg.client_id", "None"},
			{"msg.params", "[]"},
		}},
		{dora, "on_dhcp", 22, "README: frame 22 is the NAK with message \"wrong network\", broadcast", []evalCase{
			{"msg.message_type", `"NAK"`},
			{"msg.options[56]", `"wrong network"`},
			{"msg.flags.bc", "True"},
			{"msg.yiaddr", `"0.0.0.0"`},
		}},
		{corpus("dhcp/dhcp-rfc4388.pcap"), "on_dhcp", 10, "tshark: frame 10 is a LEASEACTIVE for 10.30.4.4 (ciaddr), relayed by 10.30.1.1", []evalCase{
			{"msg.message_type", `"LEASEACTIVE"`},
			{"msg.ciaddr", `"10.30.4.4"`},
			{"msg.giaddr", `"10.30.1.1"`},
		}},
		{corpus("dhcp/dhcp-rfc3004.pcap"), "on_dhcp", 1, "the corpus manifest: a DISCOVER with an RFC 3004 user class", []evalCase{
			{"msg.message_type", `"DISCOVER"`},
			{"type(msg.options[77])", `"list"`},
		}},
	})
}

func TestICMPMessages(t *testing.T) {
	unreach := cap("icmp_unreachable.pcap")
	checkMsgs(t, []msgCase{
		{unreach, "on_icmp", 2, "README: frame 2 is the port unreachable for socat's UDP 40000 -> 192.168.1.10:33333", []evalCase{
			{"type(msg)", `"icmp_msg"`},
			{"(msg.version, msg.type, msg.code)", "(4, 3, 3)"},
			{"(msg.type_name, msg.code_name)", `("dest-unreach", "port-unreach")`},
			{"msg.is_error", "True"},
			{"msg.src", `"192.168.1.10"`},
			{"msg.inner.src", `"192.168.1.100"`},
			{"msg.inner.dst", `"192.168.1.10"`},
			{"(msg.inner.proto, msg.inner.sport, msg.inner.dport)", "(17, 40000, 33333)"},
			{"msg.id", "None"},
		}},
		{unreach, "on_icmp", 6, "README: frame 6 is host unreachable from r3 10.0.23.2 for ping 172.16.30.99", []evalCase{
			{"msg.code_name", `"host-unreach"`},
			{"msg.src", `"10.0.23.2"`},
			{"(msg.inner.proto, msg.inner.dst)", `(1, "172.16.30.99")`},
			{"msg.inner.seq", "1"},
		}},
		{unreach, "on_icmp", 12, "README: frame 12 is fragmentation needed, next-hop MTU 1400", []evalCase{
			{"msg.code_name", `"frag-needed"`},
			{"msg.mtu", "1400"},
		}},
		{unreach, "on_icmp", 5, "README: frame 5 is the echo request of ping 172.16.30.99", []evalCase{
			{"msg.type_name", `"echo-request"`},
			{"msg.code_name", "None"},
			{"msg.seq", "1"},
			{"msg.inner", "None"},
			{"msg.is_error", "False"},
			{"msg.ttl", "64"},
		}},
		{cap("traceroute.pcap"), "on_icmp", 4, "README: traceroute -I: time-exceeded from 192.168.1.1 quoting the echo request of frame 3 (id 0x1c68, seq 1, TTL 1)", []evalCase{
			{"msg.type_name", `"time-exceeded"`},
			{"msg.src", `"192.168.1.1"`},
			{"msg.inner.proto", "1"},
			{"msg.inner.dst", `"172.16.30.10"`},
			{"(msg.inner.id, msg.inner.seq, msg.inner.ttl)", "(7272, 1, 1)"},
		}},
		{corpus("icmp/icmp-destunreach-no-context.pcap"), "on_icmp", 1, "the manifest: an unreachable with no quoted datagram", []evalCase{
			{"msg.is_error", "True"},
			{"msg.inner", "None"},
		}},
	})
}

func TestICMPv6Messages(t *testing.T) {
	nd := cap("ipv6_nd.pcap")
	checkMsgs(t, []msgCase{
		{nd, "on_icmp", 1, "README: frame 1 is DAD: an NS from :: for the link-local address", []evalCase{
			{"(msg.version, msg.type_name)", `(6, "neighbor-solicit")`},
			{"msg.src", `"::"`},
			{"msg.target", `"fe80::c0ff:fea8:164"`},
			{"msg.source_lladdr", "None"},
		}},
		{nd, "on_icmp", 6, "README: radvd's RA: prefix 2001:db8:1::/64 L A 86400/14400, lifetime 180, RDNSS, DNSSL, source LL option", []evalCase{
			{"msg.type_name", `"router-advert"`},
			{"msg.router_lifetime", "180"},
			{"msg.source_lladdr", `"02:00:c0:a8:01:01"`},
			{"msg.prefixes[0].prefix", `"2001:db8:1::/64"`},
			{"(msg.prefixes[0].on_link, msg.prefixes[0].autonomous)", "(True, True)"},
			{"(msg.prefixes[0].valid_lifetime, msg.prefixes[0].preferred_lifetime)", "(86400, 14400)"},
			{"msg.rdnss", `["2001:db8:1::10"]`},
			{"msg.dnssl", `["corp.example"]`},
			{"msg.flags.managed", "False"},
		}},
		{nd, "on_icmp", 10, "README: frame 10 is the solicited, override NA of srv for 2001:db8:1::10", []evalCase{
			{"msg.type_name", `"neighbor-advert"`},
			{"msg.target", `"2001:db8:1::10"`},
			{"(msg.flags.router, msg.flags.solicited, msg.flags.override)", "(False, True, True)"},
			{"msg.target_lladdr", `"02:00:c0:a8:01:0a"`},
		}},
		{nd, "on_icmp", 2, "README: frames 2-4 are MLDv2 reports, the first from ::", []evalCase{
			{"msg.type_name", `"mldv2-report"`},
			{"msg.records[0].group", `"ff02::1:ffa8:164"`},
			{"msg.records[0].type_name", `"CHANGE_TO_EXCLUDE_MODE"`},
			{"msg.records[0].sources", "[]"},
		}},
		{nd, "on_icmp", 11, "README: ping -6 2001:db8:1::10, echo request", []evalCase{
			{"msg.type_name", `"echo-request"`},
			{"msg.seq", "1"},
			{"msg.id > 0", "True"},
		}},
		{corpus("icmp6/icmp6-redirect-hdr-opt.pcap"), "on_icmp", 1, "the manifest: a redirect with a redirected-header option", []evalCase{
			{"msg.type_name", `"redirect"`},
			{"msg.gateway == msg.target", "True"},
			{"msg.inner.version", "6"},
		}},
	})
}

func TestIGMPMessages(t *testing.T) {
	igmp := cap("igmp_membership.pcap")
	checkMsgs(t, []msgCase{
		{igmp, "on_igmp", 1, "README: general v3 query from the bridge querier 192.168.1.254 to 224.0.0.1", []evalCase{
			{"type(msg)", `"igmp_msg"`},
			{"(msg.version, msg.type_name, msg.group)", `(3, "membership-query", "0.0.0.0")`},
			{"(msg.src, msg.dst)", `("192.168.1.254", "224.0.0.1")`},
		}},
		{igmp, "on_igmp", 4, "README: ws joins 239.3.3.3: CHANGE_TO_EXCLUDE {} to 224.0.0.22", []evalCase{
			{"msg.type", "34"},
			{"msg.group", "None"},
			{"len(msg.records)", "1"},
			{"msg.records[0].type_name", `"CHANGE_TO_EXCLUDE_MODE"`},
			{"msg.records[0].group", `"239.3.3.3"`},
		}},
		{igmp, "on_igmp", 15, "README: group-and-source-specific query after the source drop", []evalCase{
			{"msg.group", `"232.1.1.1"`},
			{"msg.sources", `["192.168.1.10"]`},
		}},
		{igmp, "on_igmp", 35, "README: IGMPv2 Leave Group 239.1.1.1 to 224.0.0.2", []evalCase{
			{"(msg.version, msg.type_name, msg.group, msg.dst)", `(2, "leave-group", "239.1.1.1", "224.0.0.2")`},
			{"msg.records", "[]"},
		}},
	})
}

func TestDNSMessages(t *testing.T) {
	dq := cap("dns_queries.pcap")
	checkMsgs(t, []msgCase{
		{dq, "on_dns", 8, "README: query 3, corp.example MX: 10 mail, 20 mail2, A records in additional", []evalCase{
			{"type(msg)", `"dns_msg"`},
			{"(msg.proto, msg.transport, msg.is_response)", `("dns", "udp", True)`},
			{"msg.questions[0].name", `"corp.example"`},
			{"msg.questions[0].type_name", `"MX"`},
			{"sorted([(r.data.preference, r.data.exchange) for r in msg.answers])", `[(10, "mail.corp.example"), (20, "mail2.corp.example")]`},
			{"[r.type_name for r in msg.additional]", `["A", "A", "OPT"]`},
			{"msg.answers[0].ttl", "300"},
			{"msg.flags.response", "True"},
			{"msg.rcode_name", `"NOERROR"`},
		}},
		{dq, "on_dns", 10, "README: query 4, intranet CNAME portal CNAME www A 192.168.1.20", []evalCase{
			{"[r.data for r in msg.answers]", `["portal.corp.example", "www.corp.example", "192.168.1.20"]`},
		}},
		{dq, "on_dns", 12, "README: query 5 is NXDOMAIN (3)", []evalCase{
			{"(msg.rcode, msg.rcode_name)", `(3, "NXDOMAIN")`},
			{"msg.answers", "[]"},
		}},
		{dq, "on_dns", 16, "README: query 7, TXT \"v=spf1 mx -all\"", []evalCase{
			{"msg.answers[0].data", `["v=spf1 mx -all"]`},
		}},
		{dq, "on_dns", 18, "README: query 8, SRV 0 100 88 ns1.corp.example", []evalCase{
			{"msg.answers[0].name", `"_kerberos._udp.corp.example"`},
			{"msg.answers[0].data", `record(priority = 0, weight = 100, port = 88, target = "ns1.corp.example")`},
		}},
		{dq, "on_dns", 20, "README: query 9 is REFUSED (5)", []evalCase{
			{"msg.rcode_name", `"REFUSED"`},
		}},
		{dq, "on_dns", 26, "README: query 10 over TCP (frames 21-30)", []evalCase{
			{"msg.transport", `"tcp"`},
			{"msg.answers[0].data", `"192.168.1.20"`},
			{"msg.sport", "53"},
		}},
		{dq, "on_dns", 32, "README: query 11 with +noedns: no OPT record", []evalCase{
			{"msg.additional", "[]"},
			{"msg.answers[0].data", `"192.168.1.25"`},
		}},
		{dq, "on_dns", 6, "README: query 2, AAAA 2001:db8:1::20", []evalCase{
			{"msg.answers[0].data", `"2001:db8:1::20"`},
			{"msg.qry.name", `"www.corp.example"`},
			{`msg["flags.rcode"]`, "0"},
		}},
		{corpus("dns/dns-edns-ecs.pcap"), "on_dns", 1, "tshark: an SOA answer with NS authority and glue", []evalCase{
			{"msg.answers[0].data.serial", "2016051801"},
			{"msg.answers[0].data.mname", `"ns1.weberdns.de"`},
			{"[r.data for r in msg.authority]", `["ns1.weberdns.de", "ns2.weberdns.de"]`},
		}},
		{corpus("dns/wikipedia-filtered-plus-udp.pcap"), "on_dns", 2, "tshark: an mDNS SRV answer with NSEC records, whose type bit maps the registry lists as dns.resp.type", []evalCase{
			{"msg.proto", `"mdns"`},
			{"[r.type_name for r in msg.answers + msg.additional]", `["SRV", "AAAA", "A", "NSEC", "NSEC"]`},
			{"msg.answers[0].name", `"gemini._sftp-ssh._tcp.local"`},
			{"type(msg.additional[2].data)", `"bytes"`},
		}},
	})
}
