package kerberos_test

import (
	. "github.com/wirelark/wirelark/dissectors/kerberos"

	"fmt"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// zeekLine renders what a kerberos.log script takes from one message.
func zeekLine(frame int, m *Message) string {
	success, known := m.Success()
	s := "-"
	if known {
		s = fmt.Sprint(success)
	}
	cols := []string{
		fmt.Sprint(frame), m.Type.String(), m.RequestType(), m.ZeekClient(), m.ZeekService(),
		s, m.ErrorMsg(), m.Cipher(),
	}
	if m.IsRequest() {
		cols = append(cols, fmt.Sprint(m.Till), fmt.Sprint(m.Forwardable()), fmt.Sprint(m.Renewable()))
	}
	if m.ZeekIgnored() {
		cols = append(cols, "ignored")
	}
	return strings.Join(cols, "|")
}

// TestZeekColumns checks the kerberos.log helpers on every message of
// kerberos.pcap. Expected values were checked by hand against the
// capture's description (../shared/captures/README.md), tshark's fields
// and Zeek's main.zeek: the client of a request is cname/realm, of a reply
// cname/crealm; the service of a reply is its ticket's; cipher is the
// ticket's etype with Zeek's name; error_msg is the e-text when present;
// the NEEDED_PREAUTH errors are those Zeek does not log.
func TestZeekColumns(t *testing.T) {
	want := []string{
		"3|AS-REQ|AS|alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|-|||1795456436|false|false",
		"4|KRB-ERROR||alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|false|NEEDED_PREAUTH||ignored",
		"5|AS-REQ|AS|alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|-|||1795456436|false|false",
		"6|KRB-ERROR||alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|false|PREAUTH_FAILED|",
		"7|AS-REQ|AS|alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|-|||1795456437|false|false",
		"8|KRB-ERROR||alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|false|NEEDED_PREAUTH||ignored",
		"9|AS-REQ|AS|alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|-|||1795456437|false|false",
		"10|AS-REP|AS|alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|true||aes256-cts-hmac-sha1-96",
		"11|TGS-REQ|TGS||host/filesrv.corp.example|-|||1795406037|false|true",
		"12|TGS-REP|TGS|alice/CORP.EXAMPLE|host/filesrv.corp.example|true||aes256-cts-hmac-sha1-96",
		"13|TGS-REQ|TGS||cifs/nosuch.corp.example|-|||1795406037|false|true",
		"14|KRB-ERROR||alice/CORP.EXAMPLE|cifs/nosuch.corp.example|false|LOOKING_UP_SERVER|",
		"15|TGS-REQ|TGS||cifs/nosuch.corp.example|-|||1795406037|false|true",
		"16|KRB-ERROR||alice/CORP.EXAMPLE|cifs/nosuch.corp.example|false|LOOKING_UP_SERVER|",
		"20|AS-REQ|AS|alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|-|||1795456440|false|false",
		"22|KRB-ERROR||alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|false|NEEDED_PREAUTH||ignored",
		"30|AS-REQ|AS|alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|-|||1795456440|false|false",
		"32|AS-REP|AS|alice/CORP.EXAMPLE|krbtgt/CORP.EXAMPLE|true||aes256-cts-hmac-sha1-96",
		"40|TGS-REQ|TGS||HTTP/www.corp.example|-|||1795406040|false|true",
		"42|TGS-REP|TGS|alice/CORP.EXAMPLE|HTTP/www.corp.example|true||aes256-cts-hmac-sha1-96",
	}
	var got []string
	for _, w := range port88Messages(t, capturetest.Path(t, "captures/kerberos.pcap")) {
		m, err := Parse(w.data)
		if err != nil {
			t.Fatalf("frame %d: %v", w.frame, err)
		}
		got = append(got, zeekLine(w.frame, m))
	}
	if len(got) != len(want) {
		t.Errorf("%d messages, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("got  %s\nwant %s", got[i], want[i])
		}
	}
}
