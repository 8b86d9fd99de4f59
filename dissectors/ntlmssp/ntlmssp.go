// Package ntlmssp decodes NTLMSSP messages (MS-NLMP): NEGOTIATE,
// CHALLENGE and AUTHENTICATE, as carried in SMB, HTTP and other security
// blobs (usually inside SPNEGO: see dissectors/spnego). It reads what a
// trace shows — names, flags, the server challenge, target information,
// which response types the client used — and never verifies or cracks
// anything.
package ntlmssp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// Signature starts every NTLMSSP message.
const Signature = "NTLMSSP\x00"

// Message types.
const (
	TypeNegotiate    = 1
	TypeChallenge    = 2
	TypeAuthenticate = 3
)

// Negotiate flags used by the decoder and callers (MS-NLMP 2.2.2.5).
const (
	FlagUnicode         = 0x00000001
	FlagOEM             = 0x00000002
	FlagRequestTarget   = 0x00000004
	FlagSign            = 0x00000010
	FlagSeal            = 0x00000020
	FlagNTLM            = 0x00000200
	FlagAnonymous       = 0x00000800
	FlagDomainSupplied  = 0x00001000
	FlagWorkstationSupp = 0x00002000
	FlagAlwaysSign      = 0x00008000
	FlagExtendedSession = 0x00080000
	FlagTargetInfo      = 0x00800000
	FlagVersion         = 0x02000000
	Flag128             = 0x20000000
	FlagKeyExchange     = 0x40000000
	Flag56              = 0x80000000
)

// Message is a decoded NTLMSSP message; the fields of its Type are set.
type Message struct {
	Type  uint32
	Flags uint32
	// Version is the OS version (major, minor, build, NTLM revision), when
	// the message carries one.
	Version *Version

	// NEGOTIATE (when supplied) and AUTHENTICATE.
	Domain      string
	Workstation string

	// CHALLENGE.
	TargetName      string
	ServerChallenge [8]byte
	TargetInfo      []AVPair

	// AUTHENTICATE.
	User          string
	LMResponseLen int
	NTResponseLen int
	// NTLMv2 is set when the NT response is an NTLMv2 one (longer than
	// the 24 bytes of NTLMv1); ClientInfo then holds the AV pairs of its
	// blob (the server's target information as the client echoes it).
	NTLMv2     bool
	ClientInfo []AVPair
	// SessionKey is set when an encrypted random session key is present.
	SessionKey bool
	// MIC is the message integrity code, when present.
	MIC []byte
}

// Version is the VERSION structure.
type Version struct {
	Major, Minor uint8
	Build        uint16
	Revision     uint8
}

func (v Version) String() string {
	return fmt.Sprintf("%d.%d (build %d); NTLM revision %d", v.Major, v.Minor, v.Build, v.Revision)
}

// TypeName names a message type as Wireshark does (NTLMSSP_NEGOTIATE, ...).
func TypeName(t uint32) string {
	switch t {
	case TypeNegotiate:
		return "NTLMSSP_NEGOTIATE"
	case TypeChallenge:
		return "NTLMSSP_CHALLENGE"
	case TypeAuthenticate:
		return "NTLMSSP_AUTH"
	}
	return fmt.Sprintf("Unknown (0x%08x)", t)
}

// Errors.
var (
	ErrSignature = errors.New("ntlmssp: no NTLMSSP signature")
	ErrTruncated = errors.New("ntlmssp: message truncated")
	ErrBounds    = errors.New("ntlmssp: field out of bounds")
	ErrType      = errors.New("ntlmssp: unknown message type")
)

// Parse decodes one NTLMSSP message.
func Parse(b []byte) (*Message, error) {
	if len(b) < 12 || string(b[:8]) != Signature {
		return nil, ErrSignature
	}
	m := &Message{Type: le32(b, 8)}
	switch m.Type {
	case TypeNegotiate:
		return m, m.negotiate(b)
	case TypeChallenge:
		return m, m.challenge(b)
	case TypeAuthenticate:
		return m, m.authenticate(b)
	}
	return m, ErrType
}

func le16(b []byte, off int) uint16 { return binary.LittleEndian.Uint16(b[off:]) }
func le32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }

// field reads the (length, max length, offset) security buffer descriptor
// at at, returning the bytes it points to and their offset.
func field(b []byte, at int) ([]byte, int, error) {
	n, off := int(le16(b, at)), int(le32(b, at+4))
	if n == 0 {
		return nil, off, nil
	}
	if off > len(b) || n > len(b)-off {
		return nil, off, ErrBounds
	}
	return b[off : off+n], off, nil
}

// text decodes a string field: UTF-16LE when Unicode was negotiated, OEM
// (taken as Latin-1, which ASCII names are) otherwise.
func (m *Message) text(b []byte) string {
	if m.Flags&FlagUnicode != 0 {
		return utf16le(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func utf16le(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = le16(b, 2*i)
	}
	return string(utf16.Decode(u))
}

func (m *Message) version(b []byte, at int) {
	if m.Flags&FlagVersion != 0 && len(b) >= at+8 {
		m.Version = &Version{Major: b[at], Minor: b[at+1], Build: le16(b, at+2), Revision: b[at+7]}
	}
}

func (m *Message) negotiate(b []byte) error {
	if len(b) < 16 {
		return ErrTruncated
	}
	m.Flags = le32(b, 12)
	// Old clients stop after the flags; the domain and workstation
	// fields follow only when there is room for them.
	if len(b) < 32 {
		return nil
	}
	d, _, err1 := field(b, 16)
	w, _, err2 := field(b, 24)
	// Both are OEM strings whatever the flags say (MS-NLMP 2.2.1.1).
	m.Domain, m.Workstation = latin1(d), latin1(w)
	m.version(b, 32)
	return errors.Join(err1, err2)
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func (m *Message) challenge(b []byte) error {
	if len(b) < 32 {
		return ErrTruncated
	}
	m.Flags = le32(b, 20)
	copy(m.ServerChallenge[:], b[24:32])
	t, _, err := field(b, 12)
	if err != nil {
		return err
	}
	m.TargetName = m.text(t)
	if len(b) >= 48 {
		info, _, err := field(b, 40)
		if err != nil {
			return err
		}
		m.TargetInfo, err = ParseAVPairs(info)
		if err != nil {
			return err
		}
		m.version(b, 48)
	}
	return nil
}

func (m *Message) authenticate(b []byte) error {
	if len(b) < 52 {
		return ErrTruncated
	}
	if len(b) >= 64 {
		m.Flags = le32(b, 60)
	}
	var lowest = len(b)
	var errs []error
	get := func(at int) []byte {
		v, off, err := field(b, at)
		if err != nil {
			errs = append(errs, err)
		}
		if len(v) > 0 {
			lowest = min(lowest, off)
		}
		return v
	}
	get(12) // LM response: only its length is kept
	nt := get(20)
	dom := get(28)
	user := get(36)
	ws := get(44)
	var key []byte
	if len(b) >= 60 {
		key = get(52)
	}
	m.LMResponseLen, m.NTResponseLen = int(le16(b, 12)), int(le16(b, 20))
	m.Domain, m.User, m.Workstation = m.text(dom), m.text(user), m.text(ws)
	m.SessionKey = len(key) > 0
	// The payload starts after the fixed part: at 64 without version, 72
	// with it, 88 when a MIC follows the version.
	if lowest >= 72 {
		m.version(b, 64)
	}
	if lowest >= 88 && len(b) >= 88 {
		m.MIC = append([]byte(nil), b[72:88]...)
	}
	if len(nt) > 24 {
		m.NTLMv2 = true
		// NTProofStr (16), then the blob: RespType, HiRespType, 6
		// reserved, timestamp (8), client challenge (8), 4 reserved, AV
		// pairs.
		if len(nt) > 44 {
			pairs, err := ParseAVPairs(nt[44:])
			m.ClientInfo = pairs
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
