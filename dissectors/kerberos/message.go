package kerberos

import (
	"errors"
	"fmt"
	"strings"
)

// Principal is a Kerberos principal name: a name-type and its components.
type Principal struct {
	NameType   NameType
	Components []string
}

// String joins the components with "/", as principals are written:
// "alice", "host/filesrv.corp.example", "krbtgt/CORP.EXAMPLE". The realm
// is not part of a PrincipalName; it travels in its own field.
func (p Principal) String() string { return strings.Join(p.Components, "/") }

// IsZero reports whether the principal is absent.
func (p Principal) IsZero() bool { return len(p.Components) == 0 && p.NameType == 0 }

// Ticket is what can be read of a ticket without the service's key.
type Ticket struct {
	Realm string    // the service's realm
	SName Principal // the service
	EType EType     // etype of the ticket's encrypted part
	KVNO  int       // key version number, 0 when absent
}

// APReq is the readable part of an AP-REQ: of an AP-REQ message, or of the
// AP-REQ a TGS-REQ carries in its PA-TGS-REQ padata.
type APReq struct {
	Options            APOptions
	Ticket             Ticket
	AuthenticatorEType EType
}

// PAData is one pre-authentication data element. Value is a copy of the
// padata-value bytes.
type PAData struct {
	Type  PAType
	Value []byte
}

// Message is one Kerberos message, with the fields that can be read
// without keys. Times are Unix seconds, 0 when absent. Which fields are
// set depends on Type:
//
//   - AS-REQ, TGS-REQ: PAData, KDCOptions, CName (usually absent in a
//     TGS-REQ), Realm (the server's realm), SName, From, Till, RTime,
//     Nonce, ETypes, EncAuthData, AdditionalTickets; a TGS-REQ's AP (from
//     PA-TGS-REQ: the ticket-granting ticket and authenticator it
//     presents).
//   - AS-REP, TGS-REP: PAData, CRealm, CName, Ticket, EncPartEType;
//     ETypeInfo2 from a PA-ETYPE-INFO2 padata.
//   - AP-REQ: AP, and Ticket (= &AP.Ticket).
//   - AP-REP: EncPartEType.
//   - KRB-ERROR: ErrorCode, EText, STime, CTime, CRealm, CName, Realm,
//     SName, EData, and, when e-data is METHOD-DATA (as with
//     PREAUTH_REQUIRED), its PAData and the ETypeInfo2 etypes.
//   - KRB-SAFE, KRB-PRIV, KRB-CRED: only Type and PVNO (recognised, not
//     decoded).
type Message struct {
	Type MsgType
	PVNO int

	PAData []PAData

	KDCOptions KDCOptions
	CName      Principal
	CRealm     string
	Realm      string
	SName      Principal
	From       int64
	Till       int64
	RTime      int64
	Nonce      uint32
	ETypes     []EType // offered by a request, in the client's order
	// EncAuthData is set when a TGS-REQ carries enc-authorization-data,
	// encrypted with EncAuthDataEType.
	EncAuthData       bool
	EncAuthDataEType  EType
	AdditionalTickets []Ticket // of a user-to-user or S4U2Proxy TGS-REQ

	Ticket       *Ticket
	EncPartEType EType

	AP *APReq

	ErrorCode  ErrorCode
	EText      string
	STime      int64
	CTime      int64
	EData      []byte
	ETypeInfo2 []EType // etypes of PA-ETYPE-INFO2 (salt/etype hints), in order
}

// Errors returned by Parse and ParseGSS; the decoder's own errors are
// wrapped in ErrMalformed.
var (
	ErrNotKerberos = errors.New("kerberos: not a Kerberos message")
	ErrMalformed   = errors.New("kerberos: malformed message")
	ErrNotGSS      = errors.New("kerberos: not a GSS-API Kerberos token")
)

// Parse decodes one Kerberos message: a UDP payload, or one TCP record
// without its 4-byte record mark. Bytes after the message are ignored.
func Parse(b []byte) (*Message, error) {
	if len(b) < 2 {
		return nil, ErrNotKerberos
	}
	// Every message is a constructed APPLICATION tag in one byte: 0x60|n.
	if b[0]&0xe0 != 0x60 {
		return nil, ErrNotKerberos
	}
	t := MsgType(b[0] & 0x1f)
	var (
		m   *Message
		err error
	)
	switch t {
	case ASReq, TGSReq:
		m, err = decodeKDCReq(b, t)
	case ASRep, TGSRep:
		m, err = decodeKDCRep(b, t)
	case APReqMsg:
		m, err = decodeAPReqMsg(b)
	case APRepMsg:
		m, err = decodeAPRep(b)
	case KRBError:
		m, err = decodeKRBError(b)
	case KRBSafe, KRBPriv, KRBCred:
		m, err = recognise(b, t)
	default:
		return nil, ErrNotKerberos
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, t, err)
	}
	return m, nil
}
