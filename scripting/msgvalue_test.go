package scripting

import (
	"strings"
	"testing"
)

// How message values behave as Starlark values, over mixed.pcap (DNS,
// DHCP, ARP, ICMP, ICMPv6) and shared captures.
func TestMessageValues(t *testing.T) {
	tests := []struct {
		name, capture, src string
		want               []string // lines of output, in order
		err                string   // substring of the run's error
	}{
		{"a message expires with its call", mixed, `
kept = []
def on_dns(msg):
    if not kept:
        kept.append(msg)
def on_end():
    print(str(kept[0]))
    print(kept[0].id)
`, []string{"<dns_msg of packet 1, expired>"}, "dns_msg of packet 1 is no longer available"},
		{"values read stay valid", mixed, `
kept = []
def on_dns(msg):
    if not kept:
        kept.append((msg.id, msg.questions, msg.fields()))
def on_end():
    print(kept[0][0], kept[0][1][0].name, kept[0][2]["id"], kept[0][2]["qry.name"])
`, []string{"51874 intranet21.corp.example 51874 intranet21.corp.example"}, ""},
		{"unknown attribute suggests", mixed, `
def on_dns(msg):
    msg.answer
`, nil, "dns_msg has no attribute .answer (did you mean .answers?)"},
		{"index reads the registry", mixed, `
def on_dns(msg):
    msg["qry.nme"]
`, nil, `dns_msg has no field "qry.nme" (did you mean "qry.name"?)`},
		{"on_packet first, then the messages", mixed, `
FILTER = "frame.number <= 2"
def on_packet(pkt):
    print("packet", pkt.num)
def on_dns(msg):
    print("dns", msg.pkt.num, msg.is_response)
`, []string{"packet 1", "dns 1 False", "packet 2", "dns 2 True"}, ""},
		{"records", mixed, `
FILTER = "frame.number == 2"
def on_dns(msg):
    a = msg.answers[0]
    print(type(a), a.type_name, a["data"], dict(a)["ttl"] == a.ttl, "data" in a, a == msg.answers[0], a == msg.questions[0])
    print(json.encode(msg.questions[0]))
`, []string{`record AAAA 2001:db8:0:1::24 True True True False`, `{"class":1,"name":"intranet21.corp.example","type":28,"type_name":"AAAA"}`}, ""},
		{"dir lists attributes and registry names", mixed, `
FILTER = "frame.number == 3"
def on_arp(msg):
    d = dir(msg)
    print("op" in d, "opcode" in d, "time" in d, "src" in d)
`, []string{"True True True True"}, ""},
		{"messages in a quoted datagram are not delivered", "../../shared/captures/icmp_unreachable.pcap", `
def on_icmp(msg):
    print(msg.pkt.num, msg.type_name)
`, []string{"2 dest-unreach", "5 echo-request", "6 dest-unreach", "7 echo-request", "8 dest-unreach", "9 echo-request", "10 dest-unreach", "11 echo-request", "12 dest-unreach"}, ""},
		{"handler calls are counted", mixed, `
def on_arp(msg): pass
def on_end(run):
    print(run.handler_calls["on_arp"] > 0, "on_packet" in run.handler_calls)
`, []string{"True False"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(tc.capture, "../../shared") {
				sharedFile(t, sharedCaptures, strings.TrimPrefix(tc.capture, "../../shared/captures/"))
			}
			r := runSrc(t, tc.src, []string{tc.capture})
			if tc.err == "" && r.err != nil {
				t.Fatalf("unexpected error: %v", r.err)
			}
			if tc.err != "" && (r.err == nil || !strings.Contains(r.err.Error(), tc.err)) {
				t.Fatalf("error %v, want one containing %q", r.err, tc.err)
			}
			got := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
			if tc.want != nil && strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("output:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// A script with only message handlers makes no Packet value for packets
// that carry no message.
func TestMessageHandlersCostNothingElsewhere(t *testing.T) {
	r := runSrc(t, "def on_igmp(msg): pass\n", []string{mixed})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if st := r.script.Stats(); st.PacketValues != 0 || st.Calls["on_igmp"] != 0 {
		t.Errorf("mixed.pcap has no IGMP, yet %d packet values and %d calls", st.PacketValues, st.Calls["on_igmp"])
	}
}
