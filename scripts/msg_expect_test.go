package scripts_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/scripting/output"
)

// Expectations derived by hand from the captures' descriptions (the
// README of ../shared/captures, the corpus manifest) and tshark's view of
// the frames named, not from the scripts' own output.

var dhcpCols = []string{"xid", "client_mac", "client_addr", "host_name", "requested_addr", "assigned_addr",
	"server_addr", "lease_time", "msg_types", "outcome"}

// dhcpDORA are the transactions of dhcp_dora.pcap and .pcapng (README,
// "dhcp_dora.pcap / dhcp_dora.pcapng"): dnsmasq on 192.168.1.10, lease
// 600 s, three clients. Rows come in the order transactions close.
var dhcpDORA = [][]string{
	// Frames 1, 6, 7, 8: ws1's DORA. Host name ws1 (frame 1, option 12),
	// requested 192.168.1.145 (frame 7, option 50), yiaddr of the ACK
	// (frame 8) from 192.168.1.10. Its messages leave from 0.0.0.0, so
	// client_addr is the assigned address.
	{"0x29bc2028", "02:00:00:00:00:01", "192.168.1.145", "ws1", "192.168.1.145", "192.168.1.145", "192.168.1.10", "600", "DISCOVER,OFFER,REQUEST,ACK", "ack"},
	// Frames 9, 14, 15, 16, 19, 20: ws2 (udhcpc) retransmits its DISCOVER
	// (frame 15, 16 ms after the OFFER of frame 14): one transaction.
	// Option 61 carries its MAC.
	{"0x97f78045", "02:00:00:00:00:02", "192.168.1.146", "ws2", "192.168.1.146", "192.168.1.146", "192.168.1.10", "600", "DISCOVER,OFFER,DISCOVER,OFFER,REQUEST,ACK", "ack"},
	// Frames 21, 22: ws3's INIT-REBOOT REQUEST for 192.168.77.50 and the
	// NAK "wrong network": no address; the NAK's server identifier.
	{"0xd6f5ba3a", "02:00:00:00:00:03", "-", "ws3", "192.168.77.50", "-", "192.168.1.10", "-", "REQUEST,NAK", "nak"},
	// Frames 23, 28, 29, 30: ws3's DORA for 192.168.1.147.
	{"0x898ac51f", "02:00:00:00:00:03", "192.168.1.147", "ws3", "192.168.1.147", "192.168.1.147", "192.168.1.10", "600", "DISCOVER,OFFER,REQUEST,ACK", "ack"},
	// Frames 33, 34: ws2's renew reuses xid 0x97f78045 ten seconds after
	// frame 20 (more than 5 s idle): a new row. Unicast from ciaddr.
	{"0x97f78045", "02:00:00:00:00:02", "192.168.1.146", "ws2", "-", "192.168.1.146", "192.168.1.10", "600", "REQUEST,ACK", "ack"},
	// Frames 37, 38: ws1's renew at T1, from 192.168.1.145.
	{"0x29bc2028", "02:00:00:00:00:01", "192.168.1.145", "ws1", "-", "192.168.1.145", "192.168.1.10", "600", "REQUEST,ACK", "ack"},
	// Frames 43, 44: ws3's renew at T1.
	{"0x898ac51f", "02:00:00:00:00:03", "192.168.1.147", "ws3", "-", "192.168.1.147", "192.168.1.10", "600", "REQUEST,ACK", "ack"},
	// Frame 45: ws2's RELEASE (no host name option), from 192.168.1.146.
	{"0xf08a1f12", "02:00:00:00:00:02", "192.168.1.146", "-", "-", "-", "-", "-", "RELEASE", "release"},
	// Frame 46: ws1's RELEASE (dhclient -r sends its host name).
	{"0xa650ca12", "02:00:00:00:00:01", "192.168.1.145", "ws1", "-", "-", "-", "-", "RELEASE", "release"},
}

func TestDHCPTransactionsByHand(t *testing.T) {
	tests := []struct {
		capture string
		want    [][]string
	}{
		{filepath.Join(shared, "dhcp_dora.pcap"), dhcpDORA},
		// The same packets as pcapng (README): the same rows.
		{filepath.Join(shared, "dhcp_dora.pcapng"), dhcpDORA},
		// README, mixed_office timeline.
		{filepath.Join(shared, "mixed_office.pcap"), [][]string{
			// t 0-3, frames 2, 12, 13, 14: alice-pc's DORA, xid 0x0312a645 ->
			// 192.168.1.138 from dc 192.168.1.2, lease 600 (frame 14).
			{"0x0312a645", "02:00:00:00:0a:11", "192.168.1.138", "alice-pc", "192.168.1.138", "192.168.1.138", "192.168.1.2", "600", "DISCOVER,OFFER,REQUEST,ACK", "ack"},
			// t 6-9, frames 17, 29: bob-pc's DISCOVER and REQUEST (for
			// 192.168.1.139); its OFFER and ACK are unicast to bob, not
			// captured: no ACK seen.
			{"0xb58a4b66", "02:00:00:00:0a:12", "-", "bob-pc", "192.168.1.139", "-", "-", "-", "DISCOVER,REQUEST", "no_ack"},
			// t 42, frames 2048, 2049: the renew reuses xid 0x0312a645,
			// 39 s after the DORA: a new row.
			{"0x0312a645", "02:00:00:00:0a:11", "192.168.1.138", "alice-pc", "-", "192.168.1.138", "192.168.1.2", "600", "REQUEST,ACK", "ack"},
			// t 54, frame 2747: RELEASE, xid 0x5f3a6c4d.
			{"0x5f3a6c4d", "02:00:00:00:0a:11", "192.168.1.138", "alice-pc", "-", "-", "-", "-", "RELEASE", "release"},
		}},
		// Manifest: one client, every message type; tshark gives frames
		// 1-7 xid 0x7c0 one second apart, frame 8 0x79c, frame 9 0x7c4.
		{filepath.Join(corpusDir, "dhcp/dhcp-all-msg-types.pcap"), [][]string{
			// The OFFER (frame 2) offers 128.2.6.97, the ACK (frame 6)
			// gives 128.2.6.189 after the NAK (frame 4), then the client
			// DECLINEs (frame 7). Server 128.2.6.152, lease 900.
			{"0x000007c0", "90:b1:1c:99:49:29", "128.2.6.189", "btest.is.cool", "128.2.6.189", "128.2.6.189", "128.2.6.152", "900", "DISCOVER,OFFER,REQUEST,NAK,REQUEST,ACK,DECLINE", "decline"},
			{"0x0000079c", "90:b1:1c:99:49:29", "-", "-", "-", "-", "-", "-", "RELEASE", "release"},
			// INFORM (frame 9) asks for 128.2.6.189; no answer captured.
			{"0x000007c4", "90:b1:1c:99:49:29", "-", "btest.is.cool", "128.2.6.189", "-", "-", "-", "INFORM", "inform"},
		}},
		// Manifest: a complete DORA with an RFC 3004 user class; tshark:
		// yiaddr 192.168.1.4 from 192.168.1.1, lease 86400.
		{filepath.Join(corpusDir, "dhcp/dhcp-rfc3004.pcap"), [][]string{
			{"0x06e32864", "00:0c:29:1f:74:06", "192.168.1.4", "-", "192.168.1.4", "192.168.1.4", "192.168.1.1", "86400", "DISCOVER,OFFER,REQUEST,ACK", "ack"},
		}},
		// Manifest: a unicast REQUEST/ACK renewal from 62.12.173.123.
		{filepath.Join(corpusDir, "dhcp/dhcp-mud.pcap"), [][]string{
			{"0x068c4847", "b8:27:eb:b8:53:c8", "62.12.173.123", "raspberrypi", "-", "62.12.173.123", "62.12.173.114", "600", "REQUEST,ACK", "ack"},
		}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.capture), func(t *testing.T) {
			expectRows(t, tableRows(t, "dhcp_transactions", tc.capture, "dhcp"), dhcpCols, tc.want)
		})
	}
}

// Manifest: relayed DORAs (giaddr 10.30.1.1 and 10.50.1.1) and RFC 4388
// leasequeries (all xid 1). tshark gives the frames and times below.
func TestDHCPTransactionsLeasequery(t *testing.T) {
	cols := []string{"xid", "client_addr", "assigned_addr", "server_addr", "msg_types", "outcome"}
	expectRows(t, tableRows(t, "dhcp_transactions", filepath.Join(corpusDir, "dhcp/dhcp-rfc4388.pcap"), "dhcp"), cols, [][]string{
		// Frames 1, 3, 4, 5: relayed through 10.30.1.1, whose address is
		// the client messages' source; client_addr is the assigned one.
		{"0x3cd0af7e", "10.30.4.4", "10.30.4.4", "10.40.2.3", "DISCOVER,OFFER,REQUEST,ACK", "ack"},
		{"0x00000001", "-", "-", "10.40.2.3", "LEASEQUERY,LEASEACTIVE", "leaseactive"},                        // frames 9, 10
		{"0xbebd1734", "10.50.4.4", "10.50.4.4", "10.40.2.3", "DISCOVER,OFFER,REQUEST,ACK", "ack"},            // frames 11-15
		{"0x00000001", "-", "-", "10.40.2.3", "LEASEQUERY,LEASEACTIVE,LEASEQUERY,LEASEACTIVE", "leaseactive"}, // frames 19-22, 3.3 s apart
		{"0x5ad9290e", "10.50.4.4", "10.50.4.4", "10.40.2.3", "DISCOVER,OFFER,REQUEST,ACK", "ack"},            // frames 23-26
		{"0x00000001", "-", "-", "10.40.2.3", "LEASEQUERY,LEASEACTIVE", "leaseactive"},                        // frames 27, 28
		{"0xf9704526", "10.30.4.4", "10.30.4.4", "10.40.2.3", "DISCOVER,OFFER,REQUEST,ACK", "ack"},            // frames 31-35
		{"0x00000001", "-", "-", "10.40.2.3", "LEASEQUERY,LEASEACTIVE", "leaseactive"},                        // frames 37, 38
		{"0x00000001", "0.161.224.64", "64.0.0.0", "10.40.2.3", "LEASEQUERY,LEASEUNKNOWN", "leaseunknown"},    // frames 39, 40 (odd addresses in the capture)
		{"0x00000001", "10.30.4.4", "-", "10.40.2.3", "LEASEQUERY,LEASEACTIVE", "leaseactive"},                // frames 45, 48: asked by address, chaddr 0
		{"0x00000001", "10.50.4.4", "-", "10.40.2.3", "LEASEQUERY,LEASEACTIVE", "leaseactive"},                // frames 49, 50
		{"0x00000001", "-", "-", "10.40.2.3", "LEASEQUERY,LEASEACTIVE", "leaseactive"},                        // frames 53, 54
	})
}

// README, dns_queries.pcap: the twelve queries, in order.
func TestDNSLatencyByHand(t *testing.T) {
	cols := []string{"client", "server", "proto", "query", "qtype", "rcode", "answers"}
	got := tableRows(t, "dns_latency", filepath.Join(shared, "dns_queries.pcap"), "dns")
	expectRows(t, got, cols, [][]string{
		{"192.168.1.100", "192.168.1.10", "udp", "www.corp.example", "A", "NOERROR", "192.168.1.20"},
		{"192.168.1.100", "192.168.1.10", "udp", "www.corp.example", "AAAA", "NOERROR", "2001:db8:1::20"},
		{"192.168.1.100", "192.168.1.10", "udp", "corp.example", "MX", "NOERROR", "20 mail2.corp.example,10 mail.corp.example"},
		{"192.168.1.100", "192.168.1.10", "udp", "intranet.corp.example", "A", "NOERROR", "portal.corp.example,www.corp.example,192.168.1.20"},
		{"192.168.1.100", "192.168.1.10", "udp", "nosuch.corp.example", "A", "NXDOMAIN", ""},
		{"192.168.1.100", "192.168.1.10", "udp", "20.1.168.192.in-addr.arpa", "PTR", "NOERROR", "www.corp.example"},
		{"192.168.1.100", "192.168.1.10", "udp", "corp.example", "TXT", "NOERROR", "v=spf1 mx -all"},
		{"192.168.1.100", "192.168.1.10", "udp", "_kerberos._udp.corp.example", "SRV", "NOERROR", "0 100 88 ns1.corp.example"},
		{"192.168.1.100", "192.168.1.10", "udp", "www.example.org", "A", "REFUSED", ""},
		{"192.168.1.100", "192.168.1.10", "tcp", "www.corp.example", "A", "NOERROR", "192.168.1.20"},
		{"192.168.1.100", "192.168.1.10", "udp", "mail.corp.example", "A", "NOERROR", "192.168.1.25"},
		{"192.168.1.100", "192.168.1.10", "udp", "www.corp.example", "A", "NOERROR", "192.168.1.20"},
	})
	for _, r := range got {
		if ms, ok := r["rtt_ms"].(float64); !ok || ms <= 0 || ms > 5 {
			t.Errorf("%v: rtt_ms %v, want a few tenths of a millisecond (namespaces on one host)", r["query"], r["rtt_ms"])
		}
	}
	srv := tableRows(t, "dns_latency", filepath.Join(shared, "dns_queries.pcap"), "dns_servers")
	expectRows(t, srv, []string{"server", "queries", "answered"}, [][]string{{"192.168.1.10", "12", "12"}})
}

// README, icmp_ping.pcap: four pings to each of two hosts, TTL 64, all
// answered.
func TestPingRTTByHand(t *testing.T) {
	got := tableRows(t, "ping_rtt", filepath.Join(shared, "icmp_ping.pcap"), "pings")
	var want [][]string
	for _, dst := range []string{"192.168.1.10", "192.168.1.20"} {
		for _, seq := range []string{"1", "2", "3", "4"} {
			want = append(want, []string{"192.168.1.100", dst, seq, "64", "ok"})
		}
	}
	expectRows(t, got, []string{"src", "dst", "seq", "ttl", "status"}, want)
	loss := tableRows(t, "ping_rtt", filepath.Join(shared, "icmp_ping.pcap"), "ping_loss")
	expectRows(t, loss, []string{"dst", "sent", "received", "loss_pct"}, [][]string{
		{"192.168.1.10", "4", "4", "0"}, {"192.168.1.20", "4", "4", "0"},
	})
	// README, mixed_office: dnsmasq's address check (an echo request to
	// the address it is about to offer) goes unanswered.
	mixed := tableRows(t, "ping_rtt", filepath.Join(shared, "mixed_office.pcap"), "ping_loss")
	expectRows(t, mixed, []string{"dst", "sent", "received"}, [][]string{
		{"192.168.1.1", "2", "2"}, {"192.168.1.138", "1", "0"}, {"192.168.1.3", "3", "3"},
	})
}

// README, traceroute.pcap and traceroute_udp.pcap: ws 192.168.1.100 ->
// r1 192.168.1.1 -> r2 10.0.12.2 -> r3 10.0.23.2 -> dst 172.16.30.10;
// three probes per TTL.
func TestTracerouteByHand(t *testing.T) {
	path := "path to 172.16.30.10: 1 192.168.1.1, 2 10.0.12.2, 3 10.0.23.2, 4 172.16.30.10"
	routerAt := map[string]string{"1": "192.168.1.1", "2": "10.0.12.2", "3": "10.0.23.2"}
	for _, tc := range []struct {
		file                    string
		answered, final, silent int
	}{
		// -I: 9 time-exceeded, then 16 echo replies from the target
		// (probes with larger TTLs were already in flight).
		{"traceroute.pcap", 25, 16, 0},
		// UDP: 9 time-exceeded, 6 port unreachable; of the 16 probes one
		// got no answer.
		{"traceroute_udp.pcap", 15, 6, 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			capture := filepath.Join(shared, tc.file)
			hops := tableRows(t, "traceroute", capture, "hops")
			var answered, final, silent int
			for _, h := range hops {
				ttl, router := jsonCell(h["ttl"]), jsonCell(h["router"])
				switch {
				case router == "-":
					silent++
				case routerAt[ttl] != "":
					answered++
					if router != routerAt[ttl] {
						t.Errorf("TTL %s answered by %s, want %s", ttl, router, routerAt[ttl])
					}
				default:
					answered++
					final++
					if n, _ := strconv.Atoi(ttl); router != "172.16.30.10" || n < 4 {
						t.Errorf("TTL %s answered by %s, want the target from TTL 4 on", ttl, router)
					}
				}
				if h["target"] != "172.16.30.10" {
					t.Errorf("target %v", h["target"])
				}
			}
			if answered != tc.answered || final != tc.final || silent != tc.silent {
				t.Errorf("%d answered (%d by the target), %d silent; want %d (%d), %d", answered, final, silent, tc.answered, tc.final, tc.silent)
			}
			if out := run(t, "traceroute", capture, output.Text, nil); !strings.Contains(out, path+"\n") {
				t.Errorf("no line %q in:\n%s", path, out)
			}
		})
	}
}

// README, icmp_unreachable.pcap: the five errors and what caused them.
func TestICMPErrorsByHand(t *testing.T) {
	cols := []string{"reporter", "type", "code", "proto", "src", "sport", "dst", "dport", "detail"}
	expectRows(t, tableRows(t, "icmp_errors", filepath.Join(shared, "icmp_unreachable.pcap"), "icmp_errors"), cols, [][]string{
		// Frames 1, 2: socat UDP 40000 -> 192.168.1.10:33333, closed.
		{"192.168.1.10", "dest-unreach", "port-unreach", "udp", "192.168.1.100", "40000", "192.168.1.10", "33333", ""},
		// Frames 5, 6: ping 172.16.30.99, r3 (10.0.23.2) answers; the
		// quoted echo's id and sequence number stand in for the ports.
		{"10.0.23.2", "dest-unreach", "host-unreach", "icmp", "192.168.1.100", "7483", "172.16.30.99", "1", ""},
		{"192.168.1.1", "dest-unreach", "net-unreach", "icmp", "192.168.1.100", "7576", "172.16.99.1", "1", ""},          // frames 7, 8
		{"192.168.1.1", "dest-unreach", "admin-prohibited", "icmp", "192.168.1.100", "7607", "172.16.40.1", "1", ""},     // frames 9, 10
		{"192.168.1.1", "dest-unreach", "frag-needed", "icmp", "192.168.1.100", "7640", "172.16.30.10", "1", "mtu 1400"}, // frames 11, 12
	})
}

// README, igmp_membership.pcap: ws 192.168.1.100 joins and leaves four
// groups; the querier 192.168.1.254 sends 13 queries and is the only
// member left at the end (224.0.0.106, its own report).
func TestIGMPGroupsByHand(t *testing.T) {
	capture := filepath.Join(shared, "igmp_membership.pcap")
	var changes [][]string
	queries := 0
	for _, e := range tableRows(t, "igmp_groups", capture, "igmp_events") {
		switch e["event"] {
		case "query":
			queries++
		case "join", "leave":
			if e["host"] == "192.168.1.100" {
				changes = append(changes, pickCells(e, []string{"event", "group", "mode", "sources", "version"}))
			}
		}
	}
	want := [][]string{
		{"join", "239.3.3.3", "exclude", "", "3"},             // frame 4: CHANGE_TO_EXCLUDE {}
		{"join", "232.1.1.1", "include", "192.168.1.10", "3"}, // frame 6: ALLOW_NEW_SOURCES {192.168.1.10}
		{"leave", "232.1.1.1", "include", "", "3"},            // frame 14: BLOCK_OLD_SOURCES
		{"leave", "239.3.3.3", "include", "", "3"},            // frame 18: CHANGE_TO_INCLUDE {}
		{"join", "239.1.1.1", "exclude", "", "2"},             // frame 24: v2 report
		{"join", "239.2.2.2", "exclude", "", "2"},             // frame 26
		{"leave", "239.1.1.1", "include", "", "2"},            // frame 35: Leave Group
		{"leave", "239.2.2.2", "include", "", "2"},            // frame 39
	}
	if strings.Join(joinRows(changes), "|") != strings.Join(joinRows(want), "|") {
		t.Errorf("joins and leaves of 192.168.1.100:\n got %v\nwant %v", changes, want)
	}
	if queries != 13 {
		t.Errorf("%d queries, want 13 (README counts)", queries)
	}
	expectRows(t, tableRows(t, "igmp_groups", capture, "igmp_members"), []string{"group", "host", "mode"}, [][]string{
		{"224.0.0.106", "192.168.1.254", "exclude"},
	})
}

func joinRows(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, ","))
	}
	return out
}

// README, ipv6_nd.pcap: rtr 02:00:c0:a8:01:01 (fe80::c0ff:fea8:101), srv
// 02:00:c0:a8:01:0a, ws 02:00:c0:a8:01:64; three DAD probes (frames 1, 7,
// 29), the last for srv's 2001:db8:1::10, defended by srv's unsolicited
// NA (frame 30).
func TestIPv6NeighborsByHand(t *testing.T) {
	cols := []string{"address", "mac", "router", "dad_probes", "note"}
	expectRows(t, tableRows(t, "ipv6_neighbors", filepath.Join(shared, "ipv6_nd.pcap"), "neighbors"), cols, [][]string{
		{"2001:db8:1::10", "02:00:c0:a8:01:0a", "False", "1", "dad failed"},
		{"2001:db8:1::c0ff:fea8:164", "02:00:c0:a8:01:64", "False", "1", ""}, // SLAAC address, DAD frame 7
		{"fe80::c0ff:fea8:101", "02:00:c0:a8:01:01", "True", "0", ""},        // radvd's RAs
		{"fe80::c0ff:fea8:10a", "02:00:c0:a8:01:0a", "False", "0", ""},       // srv replying to the all-nodes ping's ND
		{"fe80::c0ff:fea8:164", "02:00:c0:a8:01:64", "False", "1", ""},       // link-local, DAD frame 1
	})
}

// README, kerberos.pcap: kinit's AS-REQ answered PREAUTH_REQUIRED (no row,
// as Zeek), its retry with a wrong password (PREAUTH_FAILED), a good
// login, a service ticket, an unknown service (asked twice: kvno retries),
// then the login and a service ticket again over TCP.
func TestKerberosLogByHand(t *testing.T) {
	cols := []string{"request_type", "client", "service", "success", "error_msg", "cipher"}
	expectRows(t, tableRows(t, "kerberos_log", filepath.Join(shared, "kerberos.pcap"), "kerberos"), cols, [][]string{
		{"AS", "alice/CORP.EXAMPLE", "krbtgt/CORP.EXAMPLE", "False", "PREAUTH_FAILED", "-"},
		{"AS", "alice/CORP.EXAMPLE", "krbtgt/CORP.EXAMPLE", "True", "-", "aes256-cts-hmac-sha1-96"},
		{"TGS", "alice/CORP.EXAMPLE", "host/filesrv.corp.example", "True", "-", "aes256-cts-hmac-sha1-96"},
		{"TGS", "alice/CORP.EXAMPLE", "cifs/nosuch.corp.example", "False", "LOOKING_UP_SERVER", "-"},
		{"TGS", "alice/CORP.EXAMPLE", "cifs/nosuch.corp.example", "False", "LOOKING_UP_SERVER", "-"},
		{"AS", "alice/CORP.EXAMPLE", "krbtgt/CORP.EXAMPLE", "True", "-", "aes256-cts-hmac-sha1-96"},
		{"TGS", "alice/CORP.EXAMPLE", "HTTP/www.corp.example", "True", "-", "aes256-cts-hmac-sha1-96"},
	})
}

// README, smb2_session.pcap (SMB 3.1.1 between smbclient and Samba): one
// row per final response, 46 in all, as tshark counts them (responses
// whose status is neither PENDING nor MORE_PROCESSING_REQUIRED); the
// SESSION_SETUP row is the second leg's, the IOCTL on the srvsvc pipe
// answered PENDING first appears once. The sequence follows the README's
// actions.
func TestSMBCommandsByHand(t *testing.T) {
	cols := []string{"conn_id", "command", "argument", "status", "filename"}
	expectRows(t, tableRows(t, "smb_commands", filepath.Join(shared, "smb2_session.pcap"), "smb_cmd"), cols, [][]string{
		{"0", "NEGOTIATE_PROTOCOL", "-", "SUCCESS", "-"}, // connection 0: share enumeration over IPC$ and the srvsvc pipe
		{"0", "SESSION_SETUP", "-", "SUCCESS", "-"},
		{"0", "TREE_CONNECT", "\\\\192.168.1.60\\IPC$", "SUCCESS", "-"},
		{"0", "CREATE", "srvsvc", "SUCCESS", "srvsvc"},
		{"0", "IOCTL", "-", "SUCCESS", "srvsvc"},
		{"0", "IOCTL", "-", "SUCCESS", "srvsvc"},
		{"0", "CLOSE", "-", "SUCCESS", "srvsvc"},
		{"0", "TREE_DISCONNECT", "-", "SUCCESS", "-"},
		{"1", "NEGOTIATE_PROTOCOL", "-", "SUCCESS", "-"}, // connection 1: the session on \\192.168.1.60\share
		{"1", "SESSION_SETUP", "-", "SUCCESS", "-"},
		{"1", "TREE_CONNECT", "\\\\192.168.1.60\\IPC$", "SUCCESS", "-"},
		{"1", "IOCTL", "-", "NOT_FOUND", "-"}, // DFS referral: no DFS on a Samba share
		{"1", "TREE_DISCONNECT", "-", "SUCCESS", "-"},
		{"1", "TREE_CONNECT", "\\\\192.168.1.60\\share", "SUCCESS", "-"},
		{"1", "CREATE", "-", "SUCCESS", "-"}, // open the share's root and list it (two QUERY_DIRECTORY: entries, then NO_MORE_FILES)
		{"1", "QUERY_DIRECTORY", "*", "SUCCESS", "-"},
		{"1", "QUERY_DIRECTORY", "*", "NO_MORE_FILES", "-"},
		{"1", "CLOSE", "-", "SUCCESS", "-"},
		{"1", "CREATE", "-", "SUCCESS", "-"},
		{"1", "QUERY_INFO", "-", "SUCCESS", "-"},
		{"1", "CLOSE", "-", "SUCCESS", "-"},
		{"1", "CREATE", "notes.txt", "SUCCESS", "notes.txt"}, // read notes.txt
		{"1", "QUERY_INFO", "-", "SUCCESS", "notes.txt"},
		{"1", "READ", "-", "SUCCESS", "notes.txt"},
		{"1", "CLOSE", "-", "SUCCESS", "notes.txt"},
		{"1", "CREATE", "data.bin", "SUCCESS", "data.bin"},
		{"1", "QUERY_INFO", "-", "SUCCESS", "data.bin"},
		{"1", "READ", "-", "SUCCESS", "data.bin"},
		{"1", "CLOSE", "-", "SUCCESS", "data.bin"},
		{"1", "CREATE", "upload.txt", "SUCCESS", "upload.txt"}, // upload.txt written
		{"1", "WRITE", "-", "SUCCESS", "upload.txt"},
		{"1", "CLOSE", "-", "SUCCESS", "upload.txt"},
		{"1", "CREATE", "reports", "SUCCESS", "reports"}, // mkdir reports, then delete it (SET_INFO disposition, then CLOSE)
		{"1", "CLOSE", "-", "SUCCESS", "reports"},
		{"1", "CREATE", "reports", "SUCCESS", "reports"},
		{"1", "SET_INFO", "-", "SUCCESS", "reports"},
		{"1", "CLOSE", "-", "SUCCESS", "reports"},
		{"1", "CREATE", "-", "SUCCESS", "-"},
		{"1", "QUERY_DIRECTORY", "*", "SUCCESS", "-"},
		{"1", "QUERY_DIRECTORY", "*", "NO_MORE_FILES", "-"},
		{"1", "CLOSE", "-", "SUCCESS", "-"},
		{"1", "CREATE", "-", "SUCCESS", "-"},
		{"1", "QUERY_INFO", "-", "SUCCESS", "-"},
		{"1", "CLOSE", "-", "SUCCESS", "-"},
		{"1", "TREE_DISCONNECT", "-", "SUCCESS", "-"},
		{"1", "LOGOFF", "-", "SUCCESS", "-"}, // logoff: the session's user is forgotten
	})
}

// README, smb2_session.pcap: on the share, the root listed twice, the
// file-system size asked twice, notes.txt (58 bytes) and data.bin (100
// KiB) read whole, upload.txt written (22 bytes), the directory reports
// made and then deleted; on IPC$, the srvsvc pipe.
func TestSMBFilesByHand(t *testing.T) {
	cols := []string{"tree", "name", "size", "actions", "bytes_read", "bytes_written"}
	expectRows(t, tableRows(t, "smb_files", filepath.Join(shared, "smb2_session.pcap"), "smb_files"), cols, [][]string{
		{`\\192.168.1.60\IPC$`, "srvsvc", "0", "open,close", "0", "0"},
		{`\\192.168.1.60\share`, "", "0", "open,list,close", "0", "0"},
		{`\\192.168.1.60\share`, "", "0", "open,query_info,close", "0", "0"},
		{`\\192.168.1.60\share`, "notes.txt", "58", "open,query_info,read,close", "58", "0"},
		{`\\192.168.1.60\share`, "data.bin", "102400", "open,query_info,read,close", "102400", "0"},
		{`\\192.168.1.60\share`, "upload.txt", "0", "open,write,close", "0", "22"},
		{`\\192.168.1.60\share`, "reports", "0", "open,close", "0", "0"},
		{`\\192.168.1.60\share`, "reports", "0", "open,delete,close", "0", "0"},
		{`\\192.168.1.60\share`, "", "0", "open,list,close", "0", "0"},
		{`\\192.168.1.60\share`, "", "0", "open,query_info,close", "0", "0"},
	})
}
