// Package spnego unwraps the GSS-API tokens found in security blobs (SMB
// SESSION_SETUP and NEGOTIATE, HTTP Negotiate, ...): the SPNEGO
// negotiation tokens of RFC 4178 inside the GSS-API InitialContextToken
// wrapper of RFC 2743, raw NTLMSSP messages, and raw Kerberos tokens of
// RFC 4121 (AP-REQ, AP-REP, KRB-ERROR behind their token id). Unwrap tells
// which mechanism a blob carries and hands back the inner token's bytes
// for the mechanism's own decoder (dissectors/ntlmssp, a Kerberos
// decoder).
package spnego

import (
	"encoding/asn1"
	"errors"
	"fmt"
)

// Mechanism OIDs.
var (
	OIDSPNEGO      = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 2}
	OIDNTLMSSP     = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 2, 10}
	OIDKerberos    = asn1.ObjectIdentifier{1, 2, 840, 113554, 1, 2, 2}
	OIDMSKerberos  = asn1.ObjectIdentifier{1, 2, 840, 48018, 1, 2, 2}
	OIDKerberosU2U = asn1.ObjectIdentifier{1, 2, 840, 113554, 1, 2, 2, 3}
	OIDNegoEx      = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 2, 30}
)

// MechName names a mechanism OID as Wireshark does, or returns its dotted
// form.
func MechName(oid asn1.ObjectIdentifier) string {
	switch {
	case oid.Equal(OIDSPNEGO):
		return "SPNEGO"
	case oid.Equal(OIDNTLMSSP):
		return "NTLMSSP"
	case oid.Equal(OIDKerberos):
		return "KRB5"
	case oid.Equal(OIDMSKerberos):
		return "MS KRB5"
	case oid.Equal(OIDKerberosU2U):
		return "KRB5 user-to-user"
	case oid.Equal(OIDNegoEx):
		return "NEGOEX"
	}
	return oid.String()
}

// Kind is the outermost form of a token.
type Kind uint8

const (
	KindUnknown  Kind = iota
	KindInit          // SPNEGO NegTokenInit (or NegTokenInit2)
	KindResp          // SPNEGO NegTokenResp
	KindNTLMSSP       // a raw NTLMSSP message
	KindKerberos      // a raw GSS-API Kerberos token
)

func (k Kind) String() string {
	return [...]string{"unknown", "negTokenInit", "negTokenResp", "NTLMSSP", "Kerberos"}[k]
}

// Negotiation states of NegTokenResp.
const (
	NegStateAbsent   = -1
	AcceptCompleted  = 0
	AcceptIncomplete = 1
	Reject           = 2
	RequestMIC       = 3
)

// NegStateName names a negState as Wireshark does.
func NegStateName(s int) string {
	switch s {
	case AcceptCompleted:
		return "accept-completed"
	case AcceptIncomplete:
		return "accept-incomplete"
	case Reject:
		return "reject"
	case RequestMIC:
		return "request-mic"
	case NegStateAbsent:
		return ""
	}
	return fmt.Sprintf("unknown (%d)", s)
}

// Kerberos token ids (RFC 4121 4.1, RFC 1964 1.1).
const (
	KrbAPReq  = 0x0100
	KrbAPRep  = 0x0200
	KrbError  = 0x0300
	KrbTGTReq = 0x0400 // user-to-user
	KrbTGTRep = 0x0401
)

// Token is an unwrapped security blob.
type Token struct {
	Kind Kind
	// MechTypes are the mechanisms a NegTokenInit offers, most preferred
	// first.
	MechTypes []asn1.ObjectIdentifier
	ReqFlags  asn1.BitString
	// NegState is the NegTokenResp state, NegStateAbsent if not given.
	NegState int
	// SupportedMech is the mechanism a NegTokenResp selects.
	SupportedMech asn1.ObjectIdentifier
	// MechListMIC is the mechListMIC of either token.
	MechListMIC []byte
	// HintName is the negHints hintName of a server's NegTokenInit2
	// (often "not_defined_in_RFC4178@please_ignore").
	HintName string

	// Mech is the mechanism of the inner token: the optimistic
	// mechanism of a NegTokenInit (its first MechTypes), the
	// SupportedMech of a NegTokenResp, or what a raw token is; refined by
	// the inner token's own form when it shows one (NTLMSSP signature,
	// Kerberos wrapper). Nil when there is no inner token to tell.
	Mech asn1.ObjectIdentifier
	// Inner is the mechanism's own message: an NTLMSSP message, or a
	// Kerberos message (the DER after the Kerberos wrapper and its token
	// id). Nil when the token carries none.
	Inner []byte
	// KrbTokenID is the Kerberos token id (KrbAPReq, ...) when Inner is
	// a Kerberos message.
	KrbTokenID uint16
}

// IsNTLMSSP reports an NTLMSSP inner token.
func (t *Token) IsNTLMSSP() bool { return t.Mech.Equal(OIDNTLMSSP) && t.Inner != nil }

// IsKerberos reports a Kerberos inner token.
func (t *Token) IsKerberos() bool {
	return (t.Mech.Equal(OIDKerberos) || t.Mech.Equal(OIDMSKerberos)) && t.Inner != nil
}

// Errors.
var (
	ErrUnknown = errors.New("spnego: not a GSS-API, SPNEGO, NTLMSSP or Kerberos token")
	ErrSyntax  = errors.New("spnego: malformed token")
)

const ntlmsspSig = "NTLMSSP\x00"

// maxDepth bounds the nesting Unwrap follows (a GSS wrapper inside an
// SPNEGO token inside a GSS wrapper, and no more).
const maxDepth = 3

// Unwrap decodes a security blob: a GSS-API InitialContextToken holding
// SPNEGO or Kerberos, a bare SPNEGO NegTokenInit/NegTokenResp, or a raw
// NTLMSSP message.
func Unwrap(b []byte) (*Token, error) {
	return unwrap(b, 0)
}

func unwrap(b []byte, depth int) (*Token, error) {
	if depth > maxDepth {
		return nil, ErrSyntax
	}
	if len(b) >= 8 && string(b[:8]) == ntlmsspSig {
		return &Token{Kind: KindNTLMSSP, NegState: NegStateAbsent, Mech: OIDNTLMSSP, Inner: b}, nil
	}
	if len(b) == 0 {
		return nil, ErrUnknown
	}
	switch b[0] {
	case 0x60: // [APPLICATION 0] InitialContextToken
		mech, inner, err := gssWrapper(b)
		if err != nil {
			return nil, err
		}
		switch {
		case mech.Equal(OIDSPNEGO):
			return unwrap(inner, depth+1)
		case mech.Equal(OIDKerberos), mech.Equal(OIDMSKerberos), mech.Equal(OIDKerberosU2U):
			t := &Token{Kind: KindKerberos, NegState: NegStateAbsent, Mech: mech}
			if len(inner) < 2 {
				return t, ErrSyntax
			}
			t.KrbTokenID = uint16(inner[0])<<8 | uint16(inner[1])
			t.Inner = inner[2:]
			return t, nil
		}
		return &Token{Kind: KindUnknown, NegState: NegStateAbsent, Mech: mech, Inner: inner}, nil
	case 0xa0:
		return negTokenInit(b, depth)
	case 0xa1:
		return negTokenResp(b, depth)
	}
	return nil, ErrUnknown
}

// gssWrapper splits an InitialContextToken: [APPLICATION 0] IMPLICIT
// SEQUENCE { thisMech OID, innerContextToken ANY }.
func gssWrapper(b []byte) (asn1.ObjectIdentifier, []byte, error) {
	var raw asn1.RawValue
	if _, err := asn1.Unmarshal(b, &raw); err != nil {
		return nil, nil, ErrSyntax
	}
	if raw.Class != asn1.ClassApplication || raw.Tag != 0 || !raw.IsCompound {
		return nil, nil, ErrSyntax
	}
	var mech asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(raw.Bytes, &mech)
	if err != nil {
		return nil, nil, ErrSyntax
	}
	return mech, rest, nil
}

// explicit reads a context-tagged element [tag] and returns its contents.
func explicit(b []byte, tag int) ([]byte, []byte, error) {
	var raw asn1.RawValue
	rest, err := asn1.Unmarshal(b, &raw)
	if err != nil || raw.Class != asn1.ClassContextSpecific || raw.Tag != tag || !raw.IsCompound {
		return nil, nil, ErrSyntax
	}
	return raw.Bytes, rest, nil
}

// sequenceFields splits a SEQUENCE of context-tagged fields by tag.
func sequenceFields(b []byte) (map[int][]byte, error) {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(b, &seq); err != nil || seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return nil, ErrSyntax
	}
	fields := map[int][]byte{}
	rest := seq.Bytes
	for len(rest) > 0 {
		var f asn1.RawValue
		var err error
		rest, err = asn1.Unmarshal(rest, &f)
		if err != nil || f.Class != asn1.ClassContextSpecific {
			return fields, ErrSyntax
		}
		fields[f.Tag] = f.Bytes
	}
	return fields, nil
}

// NegTokenInit ::= SEQUENCE { mechTypes [0], reqFlags [1], mechToken [2],
// mechListMIC [3] }; NegTokenInit2 (MS-SPNG) has negHints at [3] and the
// MIC at [4].
func negTokenInit(b []byte, depth int) (*Token, error) {
	body, _, err := explicit(b, 0)
	if err != nil {
		return nil, err
	}
	t := &Token{Kind: KindInit, NegState: NegStateAbsent}
	f, err := sequenceFields(body)
	if err != nil {
		return t, err
	}
	if mt, ok := f[0]; ok {
		if _, err := asn1.Unmarshal(mt, &t.MechTypes); err != nil {
			return t, ErrSyntax
		}
	}
	if rf, ok := f[1]; ok {
		if _, err := asn1.Unmarshal(rf, &t.ReqFlags); err != nil {
			return t, ErrSyntax
		}
	}
	if len(t.MechTypes) > 0 {
		t.Mech = t.MechTypes[0]
	}
	if v, ok := f[3]; ok {
		var raw asn1.RawValue
		if _, err := asn1.Unmarshal(v, &raw); err != nil {
			return t, ErrSyntax
		}
		if raw.Tag == asn1.TagOctetString {
			t.MechListMIC = raw.Bytes
		} else if hints, err := sequenceFields(v); err == nil {
			if h, ok := hints[0]; ok {
				var name asn1.RawValue
				if _, err := asn1.Unmarshal(h, &name); err == nil {
					t.HintName = string(name.Bytes)
				}
			}
		}
	}
	if v, ok := f[4]; ok {
		var mic []byte
		if _, err := asn1.Unmarshal(v, &mic); err == nil {
			t.MechListMIC = mic
		}
	}
	if v, ok := f[2]; ok {
		var tok []byte
		if _, err := asn1.Unmarshal(v, &tok); err != nil {
			return t, ErrSyntax
		}
		return t, t.inner(tok, depth)
	}
	return t, nil
}

// NegTokenResp ::= SEQUENCE { negState [0] ENUMERATED, supportedMech [1]
// OID, responseToken [2] OCTET STRING, mechListMIC [3] OCTET STRING }.
func negTokenResp(b []byte, depth int) (*Token, error) {
	body, _, err := explicit(b, 1)
	if err != nil {
		return nil, err
	}
	t := &Token{Kind: KindResp, NegState: NegStateAbsent}
	f, err := sequenceFields(body)
	if err != nil {
		return t, err
	}
	if v, ok := f[0]; ok {
		var st asn1.Enumerated
		if _, err := asn1.Unmarshal(v, &st); err != nil {
			return t, ErrSyntax
		}
		t.NegState = int(st)
	}
	if v, ok := f[1]; ok {
		if _, err := asn1.Unmarshal(v, &t.SupportedMech); err != nil {
			return t, ErrSyntax
		}
		t.Mech = t.SupportedMech
	}
	if v, ok := f[3]; ok {
		if _, err := asn1.Unmarshal(v, &t.MechListMIC); err != nil {
			return t, ErrSyntax
		}
	}
	if v, ok := f[2]; ok {
		var tok []byte
		if _, err := asn1.Unmarshal(v, &tok); err != nil {
			return t, ErrSyntax
		}
		return t, t.inner(tok, depth)
	}
	return t, nil
}

// inner sets the mechanism token, looking through a GSS wrapper around it
// (Kerberos tokens inside SPNEGO keep theirs) and letting its form say
// which mechanism it is (a NegTokenResp names the mechanism only once).
func (t *Token) inner(tok []byte, depth int) error {
	t.Inner = tok
	if len(tok) >= 8 && string(tok[:8]) == ntlmsspSig {
		t.Mech = OIDNTLMSSP
		return nil
	}
	if len(tok) > 0 && tok[0] == 0x60 {
		in, err := unwrap(tok, depth+1)
		if err == nil && in.Kind == KindKerberos {
			t.Mech, t.Inner, t.KrbTokenID = in.Mech, in.Inner, in.KrbTokenID
		}
	}
	return nil
}
