package scripting

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The message attributes are read from registry fields that the
// conformance tests compare with tshark one by one. What those tests do
// not see is how the attributes put the fields together: records zipped
// from several fields, sections cut by counts, options paired with their
// values, quoted datagrams. TestMessagesAgainstTshark rebuilds tshark's
// flat field lists from the structured attributes and compares them,
// frame by frame, over the shared captures.

// msgDiff is one comparison: tshark's fields (all occurrences, comma
// separated) against a Starlark expression per field that renders the
// message's attributes as the same list.
type msgDiff struct {
	handler string
	filter  string   // tshark's -Y and the script's FILTER
	fields  []string // tshark fields
	exprs   []string // Starlark list expressions over msg, one per field
}

var msgDiffs = []msgDiff{
	{"on_dns", "dns || mdns", []string{"dns.id", "dns.qry.name", "dns.qry.type", "dns.a", "dns.aaaa", "dns.cname", "dns.ns", "dns.ptr.domain_name",
		"dns.mx.mail_exchange", "dns.txt", "dns.srv.target", "dns.soa.serial_number", "dns.resp.ttl", "dns.resp.name", "dns.count.add_rr"}, []string{
		"[msg.id]",
		"[q.name for q in msg.questions]",
		"[q.type for q in msg.questions]",
		"[r.data for r in RRS if r.type == 1]",
		"[r.data for r in RRS if r.type == 28]",
		"[r.data for r in RRS if r.type == 5]",
		"[r.data for r in RRS if r.type == 2]",
		"[r.data for r in RRS if r.type == 12]",
		"[r.data.exchange for r in RRS if r.type == 15]",
		"[s for r in RRS if r.type == 16 for s in r.data]",
		"[r.data.target for r in RRS if r.type == 33]",
		"[r.data.serial for r in RRS if r.type == 6]",
		"[r.ttl for r in RRS if r.ttl != None]",
		"[r.name for r in RRS if r.type != 33]",
		"[len(msg.additional)]",
	}},
	{"on_dhcp", "dhcp", []string{"dhcp.id", "dhcp.option.dhcp", "dhcp.ip.your", "dhcp.option.type", "dhcp.option.requested_ip_address",
		"dhcp.option.hostname", "dhcp.option.ip_address_lease_time", "dhcp.option.request_list_item"}, []string{
		"[msg.xid]",
		"[msg.options[53]] if 53 in msg.options else []",
		"[msg.yiaddr]",
		"OPTION_TYPES",
		"[msg.requested_addr] if msg.requested_addr else []",
		"[msg.host_name] if msg.host_name else []",
		"[msg.lease_time] if msg.lease_time != None else []",
		"msg.params",
	}},
	{"on_igmp", "igmp", []string{"igmp.type", "igmp.maddr", "igmp.record_type", "igmp.saddr"}, []string{
		"[msg.type]",
		"([msg.group] if msg.group else []) + [r.group for r in msg.records]",
		"[r.type for r in msg.records]",
		"msg.sources + [s for r in msg.records for s in r.sources]",
	}},
	{"on_icmp", "icmpv6", []string{"icmpv6.type", "icmpv6.mldr.mar.multicast_address", "icmpv6.mldr.mar.source_address", "icmpv6.opt.prefix",
		"icmpv6.opt.prefix.valid_lifetime", "icmpv6.nd.na.flag.o", "icmpv6.opt.target_linkaddr"}, []string{
		"[msg.type]",
		"[r.group for r in msg.records]",
		"[s for r in msg.records for s in r.sources]",
		"[p.prefix.split(\"/\")[0] for p in msg.prefixes]",
		"[p.valid_lifetime for p in msg.prefixes]",
		"[msg.flags.override] if msg.type == 136 else []",
		"[msg.target_lladdr] if msg.target_lladdr else []",
	}},
	// Every SMB2 message of a frame (compounds, several PDUs a segment)
	// after desegmentation, with what the header says.
	{"on_smb", "smb2", []string{"smb2.cmd", "smb2.msg_id", "smb2.flags.response", "smb2.nt_status", "smb2.sesid", "smb2.tid"}, []string{
		"[msg.command_code] if msg.command_code != None else []",
		"[msg.message_id] if not msg.encrypted else []",
		"[msg.is_response] if not msg.encrypted else []",
		"[msg.status_code] if msg.status_code != None else []",
		"[msg.session_id]",
		"[msg.tree_id] if msg.tree_id != None else []",
	}},
	// A TGS-REQ's PA-TGS-REQ carries an AP-REQ (message type 14), which
	// tshark lists after the request's own type.
	{"on_kerberos", "kerberos", []string{"kerberos.msg_type", "kerberos.CNameString", "kerberos.error_code"}, []string{
		"[KRB_TYPES[msg.msg_type]] + ([14] if msg.msg_type == \"TGS-REQ\" else [])",
		"msg.client.split(\"/\") if msg.client else []",
		"[msg.error_code] if msg.error_code != None else []",
	}},
	// tshark lists the quoted header's fields after the outer ones: the
	// second ip.src is the quoted source.
	{"on_icmp", "icmp", []string{"icmp.type", "ip.src", "ip.dst", "udp.dstport", "icmp.seq"}, []string{
		"[msg.type] + ([8] if msg.inner and msg.inner.seq != None else [])", // and a quoted echo request's
		"[msg.src] + ([msg.inner.src] if msg.inner else [])",
		"[msg.dst] + ([msg.inner.dst] if msg.inner else [])",
		"[msg.inner.dport] if msg.inner and msg.inner.proto == 17 else []",
		"([msg.seq] if msg.seq != None else []) + ([msg.inner.seq] if msg.inner and msg.inner.seq != None else [])",
	}},
}

// msgDiffCaptures are the captures compared, by filter.
var msgDiffCaptures = map[string][]string{
	"dns || mdns": {cap("dns_queries.pcap"), cap("mixed_office.pcap"), corpus("dns/dns-edns-ecs.pcap"), corpus("dns/long-connection.pcap"),
		corpus("dns/dns_tcp.pcap"), corpus("dns/mdns.pcap"), corpus("dns/wikipedia-filtered-plus-udp.pcap"), corpus("dns/gopacket-test_dns.pcap")},
	"dhcp": {cap("dhcp_dora.pcap"), cap("mixed_office.pcap"), corpus("dhcp/dhcp-all-msg-types.pcap"), corpus("dhcp/dhcp-rfc3004.pcap"),
		corpus("dhcp/dhcp-rfc4388.pcap"), corpus("dhcp/dhcp-mud.pcap"), corpus("dhcp/hw-type0.pcap")},
	"igmp":   {cap("igmp_membership.pcap"), corpus("igmp/IGMP_V1.pcap"), corpus("igmp/IGMP_V2.pcap"), corpus("igmp/home-multicast-short.pcap")},
	"icmpv6": {cap("ipv6_nd.pcap"), corpus("icmp6/icmp6-nd-options.pcap"), corpus("icmp6/tcpdump-icmpv6.pcap"), corpus("icmp6/communityid-icmp6.pcap")},
	"smb2": {cap("smb2_session.pcap"), cap("mixed_office.pcap"), corpus("smb/smb311.pcap"), corpus("smb/smb3_negotiate_context.pcap"),
		corpus("smb/smb_v2_only_non_zero_reserved1.pcap"), corpus("smb/smb2-zero-byte-error-ioctl.pcapng")},
	"kerberos": {cap("kerberos.pcap"), corpus("kerberos/kinit.pcap")},
	"icmp":     {cap("icmp_unreachable.pcap"), cap("traceroute_udp.pcap"), cap("traceroute.pcap"), corpus("icmp/icmp-destunreach-ip.pcap"), corpus("icmp/mpls-traceroute.pcap")},
}

// diffScript prints one line per frame: the frame number, then each
// expression's list joined by commas, tab separated; several messages in
// one frame add up, as tshark lists them.
func diffScript(d msgDiff) string {
	var b strings.Builder
	b.WriteString("FILTER = " + strconv.Quote(d.filter) + "\nframes = {}\norder = []\n")
	b.WriteString("def text(v):\n    if type(v) == \"bool\":\n        return \"1\" if v else \"0\"\n    return str(v)\n")
	b.WriteString("def " + d.handler + "(msg):\n")
	b.WriteString("    RRS = msg.answers + msg.authority + msg.additional if type(msg) == \"dns_msg\" else []\n")
	b.WriteString("    OPTION_TYPES = [k for k in msg.options] if type(msg) == \"dhcp_msg\" else []\n")
	b.WriteString("    KRB_TYPES = {\"AS-REQ\": 10, \"AS-REP\": 11, \"TGS-REQ\": 12, \"TGS-REP\": 13, \"AP-REQ\": 14, \"AP-REP\": 15, \"KRB-ERROR\": 30}\n")
	b.WriteString("    n = msg.pkt.num\n    if n not in frames:\n        frames[n] = [[] for _ in range(" + strconv.Itoa(len(d.exprs)) + ")]\n        order.append(n)\n")
	for i, e := range d.exprs {
		b.WriteString("    frames[n][" + strconv.Itoa(i) + "] += [text(v) for v in (" + e + ")]\n")
	}
	b.WriteString("def on_end():\n    for n in order:\n        print(\"\\t\".join([str(n)] + [\",\".join(c) for c in frames[n]]))\n")
	return b.String()
}

// tsharkNormal rewrites tshark's text as the script prints it: hex
// numbers in decimal.
func tsharkNormal(s string) string {
	parts := strings.Split(s, ",")
	for i, p := range parts {
		if strings.HasPrefix(p, "0x") {
			if v, err := strconv.ParseUint(p[2:], 16, 64); err == nil {
				parts[i] = strconv.FormatUint(v, 10)
			}
		}
	}
	return strings.Join(parts, ",")
}

// withoutPadEnd drops the 0 that tshark lists for Pad and End options,
// which msg.options leaves out.
func withoutPadEnd(s string) string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p != "0" && p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ",")
}

func TestMessagesAgainstTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed: message attributes cannot be compared with Wireshark's fields")
	}
	for _, d := range msgDiffs {
		for _, capture := range msgDiffCaptures[d.filter] {
			t.Run(d.filter+"/"+filepath.Base(capture), func(t *testing.T) {
				t.Parallel() // most of the time is tshark's
				sharedFile(t, filepath.Dir(capture), filepath.Base(capture))
				args := []string{"-r", capture, "-Y", d.filter, "-T", "fields", "-E", "occurrence=a", "-E", "separator=/t", "-e", "frame.number"}
				for _, f := range d.fields {
					args = append(args, "-e", f)
				}
				out, err := exec.Command(tshark, args...).Output()
				if err != nil {
					t.Fatalf("tshark: %v", err)
				}
				want := map[string][]string{}
				for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
					cols := strings.Split(line, "\t")
					want[cols[0]] = cols[1:]
				}
				r := runSrc(t, diffScript(d), []string{capture})
				if r.err != nil {
					t.Fatal(r.err)
				}
				seen := 0
				for _, line := range strings.Split(strings.TrimSuffix(r.out, "\n"), "\n") {
					if line == "" {
						continue
					}
					cols := strings.Split(line, "\t")
					w, ok := want[cols[0]]
					if !ok {
						t.Errorf("frame %s: a message tshark's filter %q does not show", cols[0], d.filter)
						continue
					}
					seen++
					for i, f := range d.fields {
						if i >= len(w) || i+1 >= len(cols) {
							break
						}
						exp := tsharkNormal(w[i])
						if f == "dhcp.option.type" {
							exp = withoutPadEnd(exp)
						}
						if got := cols[i+1]; got != exp {
							t.Errorf("frame %s: %s: attributes give %q, tshark %q", cols[0], f, got, exp)
						}
					}
				}
				if seen == 0 {
					t.Errorf("no message compared")
				}
			})
		}
	}
}
