package kerberos

import (
	"encoding/asn1"
	"encoding/binary"
	"fmt"
)

// Kerberos GSS-API mechanism OIDs: RFC 1964's, and the one Windows offers
// first in SPNEGO (a historical misencoding of it, 1.2.840.48018).
var (
	OIDKerberos5   = asn1.ObjectIdentifier{1, 2, 840, 113554, 1, 2, 2}
	OIDMSKerberos5 = asn1.ObjectIdentifier{1, 2, 840, 48018, 1, 2, 2}
)

// GSS-API token ids of the Kerberos mechanism's context tokens (RFC 1964
// §1.1, RFC 4121 §4.1).
const (
	TokAPReq uint16 = 0x0100
	TokAPRep uint16 = 0x0200
	TokError uint16 = 0x0300
)

var tokenType = map[uint16]MsgType{TokAPReq: APReqMsg, TokAPRep: APRepMsg, TokError: KRBError}

// ParseGSS decodes a Kerberos GSS-API context token, as SPNEGO carries it
// in a mechToken or responseToken (SMB session setup, LDAP bind, HTTP
// Negotiate): the RFC 2743 framing [APPLICATION 0] { mech OID, token id,
// message } around an AP-REQ, AP-REP or KRB-ERROR, with either Kerberos
// OID. An AP-REQ, AP-REP or KRB-ERROR without the framing (DCE-style
// exchanges send the AP-REP bare) is accepted too. The token id must agree
// with the message's type.
func ParseGSS(b []byte) (*Message, error) {
	if len(b) == 0 {
		return nil, ErrNotGSS
	}
	if b[0] != 0x60 {
		m, err := Parse(b)
		if err != nil {
			return nil, err
		}
		if m.Type != APReqMsg && m.Type != APRepMsg && m.Type != KRBError {
			return nil, fmt.Errorf("%w: a bare %s", ErrNotGSS, m.Type)
		}
		return m, nil
	}
	var app asn1.RawValue
	if _, err := asn1.Unmarshal(b, &app); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotGSS, err)
	}
	if app.Class != asn1.ClassApplication || app.Tag != 0 || !app.IsCompound {
		return nil, ErrNotGSS
	}
	var mech asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(app.Bytes, &mech)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotGSS, err)
	}
	if !mech.Equal(OIDKerberos5) && !mech.Equal(OIDMSKerberos5) {
		return nil, fmt.Errorf("%w: mechanism %v", ErrNotGSS, mech)
	}
	if len(rest) < 2 {
		return nil, fmt.Errorf("%w: no token id", ErrNotGSS)
	}
	tok := binary.BigEndian.Uint16(rest)
	want, ok := tokenType[tok]
	if !ok {
		return nil, fmt.Errorf("%w: token id %#04x", ErrNotGSS, tok)
	}
	m, err := Parse(rest[2:])
	if err != nil {
		return nil, err
	}
	if m.Type != want {
		return nil, fmt.Errorf("%w: token id %#04x carries a %s", ErrMalformed, tok, m.Type)
	}
	return m, nil
}
