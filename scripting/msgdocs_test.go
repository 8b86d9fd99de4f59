package scripting

import (
	"strings"
	"testing"
)

// TestMsgDocsCoverAttributes keeps MsgDocs in step with the messages:
// every attribute of a kind is named (as msg.NAME) in the signature of
// one of its kind's entries or of a common msg.* entry, and every entry
// names an attribute, a member, or a registry field of its protocol.
func TestMsgDocsCoverAttributes(t *testing.T) {
	sigs := map[string]string{} // kind or "msg" -> signatures
	for _, d := range MsgDocs {
		owner, name, ok := strings.Cut(d.Name, ".")
		if !ok || d.Sig == "" || d.Text == "" {
			t.Errorf("%s: want KIND.NAME with a signature and text", d.Name)
			continue
		}
		sigs[owner] += " " + d.Sig + " "
		if owner == "msg" {
			continue
		}
		var k *msgKind
		for _, mk := range msgKinds {
			if mk.typ == owner {
				k = mk
			}
		}
		if k == nil {
			t.Errorf("%s: no message type %s", d.Name, owner)
			continue
		}
		if k.attrs[name] == nil && tree().byPath[registryProto(owner)+"."+name] == nil {
			t.Errorf("%s documents neither an attribute nor a registry field", d.Name)
		}
	}
	mentions := func(sig, name string) bool {
		i := strings.Index(sig, "msg."+name)
		for i >= 0 {
			end := i + len("msg."+name)
			if end == len(sig) || !isIdent(sig[end]) {
				return true
			}
			j := strings.Index(sig[end:], "msg."+name)
			if j < 0 {
				break
			}
			i = end + j
		}
		return false
	}
	for _, k := range msgKinds {
		for _, name := range k.names {
			if !mentions(sigs[k.typ], name) && !mentions(sigs["msg"], name) {
				t.Errorf("%s.%s is not documented", k.typ, name)
			}
		}
	}
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// registryProto names the registry protocol of a message type.
func registryProto(typ string) string { return strings.TrimSuffix(typ, "_msg") }

func TestDocsForMessageType(t *testing.T) {
	docs := DocsFor("dns_msg")
	var names []string
	for _, d := range docs {
		names = append(names, d.Name)
	}
	all := strings.Join(names, " ")
	for _, want := range []string{"dns_msg.answers", "msg.time", "msg.conn"} {
		if !strings.Contains(all, want) {
			t.Errorf("DocsFor(dns_msg) lacks %s: %v", want, names)
		}
	}
	if strings.Contains(all, "arp_msg") {
		t.Errorf("DocsFor(dns_msg) has ARP entries: %v", names)
	}
	if len(DocsFor("on_dhcp")) != 1 || !strings.Contains(DocsFor("on_dhcp")[0].Text, "DHCPv6 message") {
		t.Errorf("on_dhcp's entry should say DHCPv6 messages come too: %v", DocsFor("on_dhcp"))
	}
}
