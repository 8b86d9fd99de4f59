package spnego

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelark/wirelark/engine/source"
)

// der builds tokens for the tests with encoding/asn1.
func der(t testing.TB, v any, params string) []byte {
	t.Helper()
	b, err := asn1.MarshalWithParams(v, params)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func tagged(class, tag int, compound bool, content []byte) []byte {
	b, err := asn1.Marshal(asn1.RawValue{Class: class, Tag: tag, IsCompound: compound, Bytes: content})
	if err != nil {
		panic(err)
	}
	return b
}

func ctx(tag int, content []byte) []byte {
	return tagged(asn1.ClassContextSpecific, tag, true, content)
}
func seq(parts ...[]byte) []byte {
	return tagged(asn1.ClassUniversal, asn1.TagSequence, true, bytes.Join(parts, nil))
}

func gss(t testing.TB, mech asn1.ObjectIdentifier, inner []byte) []byte {
	return tagged(asn1.ClassApplication, 0, true, append(der(t, mech, ""), inner...))
}

func TestUnwrap(t *testing.T) {
	ntlmNeg := []byte("NTLMSSP\x00\x01\x00\x00\x00\x07\x82\x08\xa2")
	apReq := []byte{0x6e, 0x03, 0x30, 0x01, 0x00}
	mechs := der(t, []asn1.ObjectIdentifier{OIDMSKerberos, OIDKerberos, OIDNTLMSSP}, "")
	initNTLM := ctx(0, seq(ctx(0, der(t, []asn1.ObjectIdentifier{OIDNTLMSSP}, "")), ctx(2, der(t, ntlmNeg, ""))))
	initKrb := ctx(0, seq(ctx(0, mechs), ctx(2, der(t, gss(t, OIDKerberos, append([]byte{1, 0}, apReq...)), ""))))
	init2 := ctx(0, seq(ctx(0, mechs), ctx(3, seq(ctx(0, der(t, "not_defined_in_RFC4178@please_ignore", "utf8"))))))
	resp := ctx(1, seq(ctx(0, der(t, asn1.Enumerated(1), "")), ctx(1, der(t, OIDNTLMSSP, "")), ctx(2, der(t, ntlmNeg, ""))))
	respDone := ctx(1, seq(ctx(0, der(t, asn1.Enumerated(0), "")), ctx(3, der(t, []byte{1, 2, 3}, ""))))
	tests := []struct {
		name     string
		b        []byte
		kind     Kind
		mech     asn1.ObjectIdentifier
		inner    []byte
		negState int
		check    func(t *testing.T, tok *Token)
	}{
		{"gss spnego init ntlm", gss(t, OIDSPNEGO, initNTLM), KindInit, OIDNTLMSSP, ntlmNeg, NegStateAbsent, func(t *testing.T, tok *Token) {
			if !tok.IsNTLMSSP() || len(tok.MechTypes) != 1 {
				t.Errorf("%+v", tok)
			}
		}},
		{"gss spnego init kerberos", gss(t, OIDSPNEGO, initKrb), KindInit, OIDKerberos, apReq, NegStateAbsent, func(t *testing.T, tok *Token) {
			if !tok.IsKerberos() || tok.KrbTokenID != KrbAPReq || MechName(tok.MechTypes[0]) != "MS KRB5" {
				t.Errorf("%+v", tok)
			}
		}},
		{"init2 with hints", gss(t, OIDSPNEGO, init2), KindInit, OIDMSKerberos, nil, NegStateAbsent, func(t *testing.T, tok *Token) {
			if tok.HintName != "not_defined_in_RFC4178@please_ignore" || len(tok.MechTypes) != 3 {
				t.Errorf("%+v", tok)
			}
		}},
		{"resp incomplete", resp, KindResp, OIDNTLMSSP, ntlmNeg, AcceptIncomplete, func(t *testing.T, tok *Token) {
			if NegStateName(tok.NegState) != "accept-incomplete" || !tok.SupportedMech.Equal(OIDNTLMSSP) {
				t.Errorf("%+v", tok)
			}
		}},
		{"resp completed with MIC", respDone, KindResp, nil, nil, AcceptCompleted, func(t *testing.T, tok *Token) {
			if !bytes.Equal(tok.MechListMIC, []byte{1, 2, 3}) {
				t.Errorf("%+v", tok)
			}
		}},
		{"raw ntlmssp", ntlmNeg, KindNTLMSSP, OIDNTLMSSP, ntlmNeg, NegStateAbsent, nil},
		{"raw kerberos", gss(t, OIDKerberos, append([]byte{1, 0}, apReq...)), KindKerberos, OIDKerberos, apReq, NegStateAbsent, func(t *testing.T, tok *Token) {
			if tok.KrbTokenID != KrbAPReq {
				t.Errorf("token id %04x", tok.KrbTokenID)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := Unwrap(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Kind != tt.kind || !tok.Mech.Equal(tt.mech) || !bytes.Equal(tok.Inner, tt.inner) || tok.NegState != tt.negState {
				t.Errorf("kind %v mech %v inner %x negState %d", tok.Kind, tok.Mech, tok.Inner, tok.NegState)
			}
			if tt.check != nil {
				tt.check(t, tok)
			}
		})
	}
}

func TestUnwrapDamaged(t *testing.T) {
	good := gss(t, OIDSPNEGO, ctx(0, seq(ctx(0, der(t, []asn1.ObjectIdentifier{OIDNTLMSSP}, "")))))
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrUnknown},
		{"garbage", []byte("hello"), ErrUnknown},
		{"truncated wrapper", good[:len(good)-3], ErrSyntax},
		{"wrong inner tag", gss(t, OIDSPNEGO, ctx(5, nil)), ErrUnknown},
		{"init not a sequence", ctx(0, []byte{0x04, 0x00}), ErrSyntax},
		{"kerberos without token id", gss(t, OIDKerberos, []byte{1}), ErrSyntax},
		{"nested too deep", gss(t, OIDSPNEGO, gss(t, OIDSPNEGO, gss(t, OIDSPNEGO, gss(t, OIDSPNEGO, gss(t, OIDSPNEGO, nil))))), ErrSyntax},
	}
	for _, tt := range tests {
		if _, err := Unwrap(tt.b); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestMechName(t *testing.T) {
	for oid, want := range map[string]string{
		OIDNTLMSSP.String():                     "NTLMSSP",
		OIDKerberos.String():                    "KRB5",
		OIDMSKerberos.String():                  "MS KRB5",
		OIDNegoEx.String():                      "NEGOEX",
		asn1.ObjectIdentifier{1, 2, 3}.String(): "1.2.3",
	} {
		var o asn1.ObjectIdentifier
		for _, part := range bytes.Split([]byte(oid), []byte(".")) {
			n := 0
			for _, c := range part {
				n = n*10 + int(c-'0')
			}
			o = append(o, n)
		}
		if got := MechName(o); got != want {
			t.Errorf("%s: %q, want %q", oid, got, want)
		}
	}
}

// captureTokens finds GSS-API SPNEGO tokens in the frames of a capture by
// their wrapper and OID (the security blobs of SMB negotiate and session
// setup requests), for fuzz seeds.
func captureTokens(t testing.TB, rel string) [][]byte {
	wd, _ := os.Getwd()
	rd, err := source.Open(filepath.Join(wd, "..", "..", "..", "shared", rel))
	if err != nil {
		t.Skipf("cannot open %s: %v", rel, err)
	}
	defer rd.Close()
	oid := []byte{0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02}
	var out [][]byte
	var f source.Frame
	for {
		if err := rd.Next(&f); errors.Is(err, io.EOF) || err != nil {
			break
		}
		d := f.Data
		for i := bytes.Index(d, oid); i >= 2; i = bytes.Index(d, oid) {
			for j := i - 1; j >= max(0, i-4); j-- {
				if d[j] == 0x60 {
					out = append(out, bytes.Clone(d[j:]))
					break
				}
			}
			d = d[i+len(oid):]
		}
	}
	return out
}

// TestCaptureTokens unwraps the GSS-API tokens of smb2_session.pcap,
// whose security blobs each fit in a frame: the server's NegTokenInit2
// and the client's NegTokenInit with an NTLMSSP NEGOTIATE. (The Kerberos
// tokens of smb2_krb.pcap span several segments; dissectors/smb2 checks
// them, reassembled, against tshark.)
func TestCaptureTokens(t *testing.T) {
	toks := captureTokens(t, "captures/smb2_session.pcap")
	var hints, ntlm int
	for _, b := range toks {
		tok, err := Unwrap(b)
		if err != nil {
			t.Errorf("%v: %x", err, b[:16])
			continue
		}
		if tok.HintName == "not_defined_in_RFC4178@please_ignore" {
			hints++
		}
		if tok.IsNTLMSSP() && tok.Kind == KindInit {
			ntlm++
		}
	}
	if len(toks) == 0 || hints != ntlm || hints+ntlm != len(toks) {
		t.Errorf("%d tokens: %d negotiate responses, %d NTLMSSP session setups", len(toks), hints, ntlm)
	}
}

func FuzzUnwrap(f *testing.F) {
	for _, rel := range []string{"captures/smb2_session.pcap", "corpus/kerberos/smb2_krb.pcap", "corpus/smb/smb311.pcap"} {
		for _, b := range captureTokens(f, rel) {
			f.Add(b)
		}
	}
	f.Add([]byte("NTLMSSP\x00\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := Unwrap(b)
		if tok == nil && err == nil {
			t.Fatal("no token and no error")
		}
		if tok != nil {
			_ = tok.Kind.String()
			_ = MechName(tok.Mech)
			_ = NegStateName(tok.NegState)
			tok.IsKerberos()
			tok.IsNTLMSSP()
		}
	})
}
