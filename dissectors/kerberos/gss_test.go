package kerberos_test

import (
	. "github.com/wirelark/wirelark/dissectors/kerberos"

	"encoding/asn1"
	"errors"
	"testing"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// tlv encodes one DER element with a short or long length.
func tlv(tag byte, parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	out := []byte{tag}
	switch n := len(body); {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	return append(out, body...)
}

// apRep builds an AP-REP whose enc-part has the given etype.
func apRep(etype byte) []byte {
	enc := tlv(0x30, tlv(0xa0, []byte{0x02, 0x01, etype}), tlv(0xa2, tlv(0x04, []byte{1, 2, 3})))
	return tlv(0x6f, tlv(0x30,
		tlv(0xa0, []byte{0x02, 0x01, 0x05}),
		tlv(0xa1, []byte{0x02, 0x01, 0x0f}),
		tlv(0xa2, enc)))
}

// gssWrap frames a message as a GSS-API initial context token.
func gssWrap(oid asn1.ObjectIdentifier, tok uint16, msg []byte) []byte {
	o, err := asn1.Marshal(oid)
	if err != nil {
		panic(err)
	}
	return tlv(0x60, o, []byte{byte(tok >> 8), byte(tok)}, msg)
}

func TestParseGSS(t *testing.T) {
	rep := apRep(18)
	krbErr := mustHex(t, hexError)
	cases := []struct {
		name string
		in   []byte
		want MsgType
		err  error
	}{
		{"AP-REP, RFC 1964 OID", gssWrap(OIDKerberos5, TokAPRep, rep), APRepMsg, nil},
		{"AP-REP, Microsoft OID", gssWrap(OIDMSKerberos5, TokAPRep, rep), APRepMsg, nil},
		{"KRB-ERROR", gssWrap(OIDKerberos5, TokError, krbErr), KRBError, nil},
		{"bare AP-REP", rep, APRepMsg, nil},
		{"long message", gssWrap(OIDKerberos5, TokError, krbErr), KRBError, nil},
		{"bare AS-REQ", mustHex(t, hexASReq), 0, ErrNotGSS},
		{"token id of an AP-REQ on an AP-REP", gssWrap(OIDKerberos5, TokAPReq, rep), 0, ErrMalformed},
		{"unknown token id", gssWrap(OIDKerberos5, 0x0400, rep), 0, ErrNotGSS},
		{"NTLMSSP's OID", gssWrap(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 2, 10}, TokAPRep, rep), 0, ErrNotGSS},
		{"no token id", tlv(0x60, []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02}), 0, ErrNotGSS},
		{"truncated", gssWrap(OIDKerberos5, TokAPRep, rep)[:20], 0, ErrNotGSS},
		{"empty", nil, 0, ErrNotGSS},
		{"not an OID", tlv(0x60, []byte{0x04, 0x01, 0x00}), 0, ErrNotGSS},
		{"context tag", tlv(0xa0, rep), 0, ErrNotKerberos},
		{"AP-REP damaged", gssWrap(OIDKerberos5, TokAPRep, rep[:len(rep)-1]), 0, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := ParseGSS(c.in)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("got %v, %v; want %v", m, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != c.want {
				t.Fatalf("type %s, want %s", m.Type, c.want)
			}
			if m.Type == APRepMsg && m.EncPartEType != 18 {
				t.Errorf("enc-part etype %d", m.EncPartEType)
			}
		})
	}
}

// TestGSSInCaptures finds the Kerberos tokens of SMB2 session setups in
// the raw frames (no SMB decoding) and checks the first against what
// Wireshark shows for its frame (read off its detail view).
func TestGSSInCaptures(t *testing.T) {
	cases := []struct {
		file    string
		frames  []int
		first   string // ticket sname of the first AP-REQ
		apOpts  APOptions
		tkEType EType
		auEType EType
	}{
		// The AP-REQ of frame 12 spans two TCP segments: only the AP-REP
		// is whole in a frame.
		{"corpus/kerberos/smb2_krb.pcap", []int{14}, "", 0, 0, 0},
		// TSO: every session setup is one large frame.
		{"corpus/kerberos/kerberos_tso.pcapng", []int{35, 37, 118, 120, 157, 159, 241, 243}, "cifs/win7.test.local", APMutualRequired, 18, 18},
		// aduser1.pcap's LDAP bind carries a bare AP-REQ, without the
		// framing this scan looks for (TestSharkGSS covers it).
		{"corpus/kerberos/aduser1.pcap", nil, "", 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(baseName(c.file), func(t *testing.T) {
			frames, toks := gssTokens(t, capturetest.Path(t, c.file))
			if !equalInts(frames, c.frames) {
				t.Fatalf("tokens in frames %v, want %v", frames, c.frames)
			}
			if c.first == "" {
				return
			}
			m, err := ParseGSS(toks[0])
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != APReqMsg || m.Ticket.SName.String() != c.first || m.AP.Options != c.apOpts ||
				m.Ticket.EType != c.tkEType || m.AP.AuthenticatorEType != c.auEType {
				t.Errorf("got %s %s options %v etypes %d/%d", m.Type, m.Ticket.SName, m.AP.Options.Names(), m.Ticket.EType, m.AP.AuthenticatorEType)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
