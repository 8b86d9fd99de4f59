package kerberos_test

import (
	. "github.com/wirelark/wirelark/dissectors/kerberos"

	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
)

// Two messages of kerberos.pcap (MIT kinit against an MIT KDC), frames 3
// and 4: the first AS-REQ and its PREAUTH_REQUIRED answer. The expected
// values below were read off Wireshark's detail view of those frames.
const (
	hexASReq = "6a81b63081b3a103020105a20302010aa31a3018300aa10402020096a2020400300aa10402020095a2020400a4818a308187a00703050000000010a1123010a003020101a10930071b05616c696365a20e1b0c434f52502e4558414d504c45a321301fa003020102a11830161b066b72627467741b0c434f52502e4558414d504c45a511180f32303236313132333137353335365aa70602047a213449a81a301802011202011102011402011302011002011702011902011a"
	hexError = "7e81ea3081e7a003020105a10302011ea411180f32303236313132323137353335365aa505020309b3b4a603020119a70e1b0c434f52502e4558414d504c45a8123010a003020101a10930071b05616c696365a90e1b0c434f52502e4558414d504c45aa21301fa003020102a11830161b066b72627467741b0c434f52502e4558414d504c45ab101b0e4e45454445445f50524541555448ac530451304f300aa10402020088a20204003027a103020113a220041e301c301aa003020112a1131b11434f52502e4558414d504c45616c6963653009a103020102a2020400300da10402020085a20504034d4954"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func names[T interface{ String() string }](xs []T) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.String())
	}
	return out
}

func paNames(pas []PAData) []string {
	var out []string
	for _, p := range pas {
		out = append(out, p.Type.String())
	}
	return out
}

func TestParseASReq(t *testing.T) {
	m, err := Parse(mustHex(t, hexASReq))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"type", m.Type.String(), "AS-REQ"},
		{"pvno", m.PVNO, 5},
		{"padata", paNames(m.PAData), []string{"PA-AS-FRESHNESS", "PA-REQ-ENC-PA-REP"}},
		{"kdc-options", uint32(m.KDCOptions), uint32(0x00000010)},
		{"option names", m.KDCOptions.Names(), []string{"renewable-ok"}},
		{"cname", m.CName.String(), "alice"},
		{"cname type", m.CName.NameType.String(), "kRB5-NT-PRINCIPAL"},
		{"realm", m.Realm, "CORP.EXAMPLE"},
		{"sname", m.SName.String(), "krbtgt/CORP.EXAMPLE"},
		{"sname type", m.SName.NameType.String(), "kRB5-NT-SRV-INST"},
		{"from", m.From, int64(0)},
		{"till", m.Till, int64(1795456436)}, // 2026-11-23 17:53:56 UTC
		{"rtime", m.RTime, int64(0)},
		{"nonce", m.Nonce, uint32(2048996425)},
		{"etypes", names(m.ETypes), []string{
			"eTYPE-AES256-CTS-HMAC-SHA1-96", "eTYPE-AES128-CTS-HMAC-SHA1-96",
			"eTYPE-AES256-CTS-HMAC-SHA384-192", "eTYPE-AES128-CTS-HMAC-SHA256-128",
			"eTYPE-DES3-CBC-SHA1", "eTYPE-ARCFOUR-HMAC-MD5",
			"eTYPE-CAMELLIA128-CTS-CMAC", "eTYPE-CAMELLIA256-CTS-CMAC"}},
		{"ticket", m.Ticket == nil, true},
		{"request type", m.RequestType(), "AS"},
		{"zeek client", m.ZeekClient(), "alice/CORP.EXAMPLE"},
		{"zeek service", m.ZeekService(), "krbtgt/CORP.EXAMPLE"},
		{"forwardable", m.Forwardable(), false},
		{"renewable", m.Renewable(), false},
		{"is request", m.IsRequest(), true},
		{"is reply", m.IsReply(), false},
	}
	for _, c := range checks {
		if !equalAny(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestParseKRBError(t *testing.T) {
	m, err := Parse(mustHex(t, hexError))
	if err != nil {
		t.Fatal(err)
	}
	success, known := m.Success()
	checks := []struct {
		what      string
		got, want any
	}{
		{"type", m.Type.String(), "KRB-ERROR"},
		{"code", m.ErrorCode.String(), "KRB5KDC_ERR_PREAUTH_REQUIRED"},
		{"e-text", m.EText, "NEEDED_PREAUTH"},
		{"stime", m.STime, int64(1795370036)}, // 2026-11-22 17:53:56 UTC
		{"ctime", m.CTime, int64(0)},
		{"crealm", m.CRealm, "CORP.EXAMPLE"},
		{"cname", m.CName.String(), "alice"},
		{"realm", m.Realm, "CORP.EXAMPLE"},
		{"sname", m.SName.String(), "krbtgt/CORP.EXAMPLE"},
		{"e-data padata", paNames(m.PAData), []string{"PA-FX-FAST", "PA-ETYPE-INFO2", "PA-ENC-TIMESTAMP", "PA-FX-COOKIE"}},
		{"etype-info2", names(m.ETypeInfo2), []string{"eTYPE-AES256-CTS-HMAC-SHA1-96"}},
		{"success", success, false},
		{"success known", known, true},
		{"zeek error_msg", m.ErrorMsg(), "NEEDED_PREAUTH"},
		{"zeek ignores", m.ZeekIgnored(), true},
		{"zeek client", m.ZeekClient(), "alice/CORP.EXAMPLE"},
		{"request type", m.RequestType(), ""},
		{"cipher", m.Cipher(), ""},
	}
	for _, c := range checks {
		if !equalAny(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	m.EText = ""
	if got := m.ErrorMsg(); got != "KDC_ERR_PREAUTH_REQUIRED" {
		t.Errorf("error_msg without e-text: %q", got)
	}
}

func equalAny(a, b any) bool {
	if as, ok := a.([]string); ok {
		bs, ok := b.([]string)
		return ok && slices.Equal(as, bs)
	}
	return a == b
}

// TestParseBad: malformed input gives an error, never a panic. Every
// prefix of the real messages is tried, and each with a byte changed at
// every position.
func TestParseBad(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrNotKerberos},
		{"one byte", []byte{0x6a}, ErrNotKerberos},
		{"universal sequence", []byte{0x30, 0x03, 0x02, 0x01, 0x05}, ErrNotKerberos},
		{"unknown application tag", []byte{0x70, 0x00}, ErrNotKerberos},
		{"context tag", []byte{0xa0, 0x00}, ErrNotKerberos},
		{"AS-REQ length past the end", []byte{0x6a, 0x81, 0xb6, 0x30}, ErrMalformed},
		{"AS-REQ under a TGS-REQ tag", append([]byte{0x6c}, mustHex(t, hexASReq)[1:]...), ErrMalformed},
		{"KRB-ERROR under an AS-REP tag", append([]byte{0x6b}, mustHex(t, hexError)[1:]...), ErrMalformed},
		{"KRB-SAFE with a KRB-PRIV msg-type", safeMsg(20, 21), ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse(c.in)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, %v; want %v", m, err, c.want)
			}
		})
	}
	for _, h := range []string{hexASReq, hexError} {
		b := mustHex(t, h)
		for n := range len(b) {
			if _, err := Parse(b[:n]); err == nil {
				t.Errorf("prefix of %d of %d bytes parsed", n, len(b))
			}
		}
		for i := range b {
			c := slices.Clone(b)
			c[i] ^= 0xff
			Parse(c) // must not panic; some changes still decode
		}
	}
}

// safeMsg builds a minimal message with application tag app and the given
// msg-type: SEQUENCE { pvno [0] 5, msg-type [1] n }.
func safeMsg(app, msgType byte) []byte {
	body := []byte{0x30, 0x0a, 0xa0, 0x03, 0x02, 0x01, 0x05, 0xa1, 0x03, 0x02, 0x01, msgType}
	return append([]byte{0x60 | app, byte(len(body))}, body...)
}

func TestRecognised(t *testing.T) {
	for _, c := range []struct {
		app  byte
		want string
	}{{20, "KRB-SAFE"}, {21, "KRB-PRIV"}, {22, "KRB-CRED"}} {
		m, err := Parse(safeMsg(c.app, c.app))
		if err != nil {
			t.Fatalf("%s: %v", c.want, err)
		}
		if m.Type.String() != c.want || m.PVNO != 5 {
			t.Errorf("got %s pvno %d, want %s pvno 5", m.Type, m.PVNO, c.want)
		}
	}
}

func TestNames(t *testing.T) {
	cases := []struct{ got, want string }{
		{ASReq.String(), "AS-REQ"},
		{TGSRep.String(), "TGS-REP"},
		{APReqMsg.String(), "AP-REQ"},
		{KRBError.String(), "KRB-ERROR"},
		{MsgType(99).String(), "msg-type-99"},
		{EType(18).String(), "eTYPE-AES256-CTS-HMAC-SHA1-96"},
		{EType(23).String(), "eTYPE-ARCFOUR-HMAC-MD5"},
		{EType(-133).String(), "eTYPE-ARCFOUR-HMAC-OLD"},
		{EType(99).String(), "99"},
		{ErrorCode(25).String(), "KRB5KDC_ERR_PREAUTH_REQUIRED"},
		{ErrorCode(7).String(), "KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN"},
		{ErrorCode(24).String(), "KRB5KDC_ERR_PREAUTH_FAILED"},
		{ErrorCode(37).String(), "KRB5KRB_AP_ERR_SKEW"},
		{ErrorCode(68).String(), "KDC_ERR_WRONG_REALM"},
		{PAType(2).String(), "PA-ENC-TIMESTAMP"},
		{PAType(19).String(), "PA-ETYPE-INFO2"},
		{PAType(128).String(), "PA-PAC-REQUEST"},
		{PAType(1).String(), "PA-TGS-REQ"},
		{NameType(10).String(), "kRB5-NT-ENTERPRISE-PRINCIPAL"},
		{ZeekErrorName(25), "KDC_ERR_PREAUTH_REQUIRED"},
		{ZeekErrorName(43), "unknown-43"},
		{ZeekCipherName(18), "aes256-cts-hmac-sha1-96"},
		{ZeekCipherName(23), "rc4-hmac"},
		{ZeekCipherName(20), "unknown-20"},
		{strings.Join(KDCOptions(0x40810010).Names(), ","), "forwardable,renewable,canonicalize,renewable-ok"},
		{strings.Join(KDCOptions(0x7e000003).Names(), ","), "forwardable,forwarded,proxiable,proxy,allow-postdate,postdated,renew,validate"},
		{strings.Join(KDCOptions(0x0010001c).Names(), ","), "opt-hardware-auth,renewable-ok,enc-tkt-in-skey"},
		{strings.Join(APOptions(0x60000000).Names(), ","), "use-session-key,mutual-required"},
		{strings.Join(APOptions(0x20000000).Names(), ","), "mutual-required"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
