package kerberos_test

import (
	. "github.com/wirelark/wirelark/dissectors/kerberos"

	"testing"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// captureSeeds returns the Kerberos messages and GSS-API tokens of the
// shared captures, or nothing when they are absent (the fuzz targets
// still run on their built-in seeds).
func captureSeeds(f *testing.F) (msgs, toks [][]byte) {
	for _, rel := range captureFiles {
		p, ok := capturetest.Lookup(rel)
		if !ok {
			continue
		}
		for _, w := range port88Messages(f, p) {
			msgs = append(msgs, w.data)
		}
		_, t := gssTokens(f, p)
		toks = append(toks, t...)
	}
	return msgs, toks
}

// checkMessage asserts what every decoded message must satisfy.
func checkMessage(t *testing.T, m *Message, in []byte) {
	if m == nil {
		t.Fatal("nil message without an error")
	}
	if m.Type.String() == "" {
		t.Fatal("message type without a name")
	}
	// Nothing decoded can hold more elements than the input has bytes.
	n := len(m.PAData) + len(m.ETypes) + len(m.ETypeInfo2) + len(m.AdditionalTickets) +
		len(m.CName.Components) + len(m.SName.Components)
	if n > len(in) {
		t.Fatalf("%d elements from %d bytes", n, len(in))
	}
	_ = m.ZeekClient() + m.ZeekService() + m.ErrorMsg() + m.Cipher() + m.RequestType()
}

func FuzzParse(f *testing.F) {
	f.Add(mustHex(f, hexASReq))
	f.Add(mustHex(f, hexError))
	f.Add(apRep(18))
	f.Add(safeMsg(22, 22))
	msgs, _ := captureSeeds(f)
	for _, b := range msgs {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			return
		}
		checkMessage(t, m, b)
	})
}

func FuzzParseGSS(f *testing.F) {
	f.Add(gssWrap(OIDKerberos5, TokAPRep, apRep(23)))
	f.Add(gssWrap(OIDMSKerberos5, TokError, mustHex(f, hexError)))
	msgs, toks := captureSeeds(f)
	for _, b := range toks {
		f.Add(b)
	}
	// The AP-REQs of the TGS-REQs, framed as a client would send them.
	for _, b := range msgs {
		if m, err := Parse(b); err == nil && m.Type == TGSReq {
			for _, pa := range m.PAData {
				if pa.Type == PATGSReq {
					f.Add(gssWrap(OIDKerberos5, TokAPReq, pa.Value))
					f.Add(pa.Value)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseGSS(b)
		if err != nil {
			return
		}
		checkMessage(t, m, b)
		if m.Type != APReqMsg && m.Type != APRepMsg && m.Type != KRBError {
			t.Fatalf("ParseGSS gave a %s", m.Type)
		}
	})
}
