package ntlmssp_test

import (
	. "github.com/wirelark/wirelark/dissectors/ntlmssp"

	"encoding/binary"
	"errors"
	"testing"
	"unicode/utf16"

	"github.com/wirelark/wirelark/internal/capturetest"
)

func u16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// authMsg builds an AUTHENTICATE message with the payload after a fixed
// part of fixedLen bytes (64, 72 with version, 88 with version and MIC).
func authMsg(flags uint32, fixedLen int, lm, nt, dom, user, ws, key []byte) []byte {
	b := make([]byte, fixedLen)
	copy(b, Signature)
	binary.LittleEndian.PutUint32(b[8:], TypeAuthenticate)
	binary.LittleEndian.PutUint32(b[60:], flags)
	off := fixedLen
	for i, f := range [][]byte{lm, nt, dom, user, ws, key} {
		at := 12 + 8*i
		binary.LittleEndian.PutUint16(b[at:], uint16(len(f)))
		binary.LittleEndian.PutUint16(b[at+2:], uint16(len(f)))
		binary.LittleEndian.PutUint32(b[at+4:], uint32(off))
		off += len(f)
	}
	if fixedLen >= 72 {
		copy(b[64:], []byte{10, 0, 0x61, 0x4a, 0, 0, 0, 15})
	}
	if fixedLen >= 88 {
		copy(b[72:], "0123456789abcdef")
	}
	for _, f := range [][]byte{lm, nt, dom, user, ws, key} {
		b = append(b, f...)
	}
	return b
}

func TestAuthenticate(t *testing.T) {
	// An NTLMv2 response: NTProofStr, blob header, timestamp, client
	// challenge, reserved, then AV pairs (NetBIOS domain "CORP", EOL).
	v2 := make([]byte, 44)
	v2[16], v2[17] = 1, 1
	v2 = append(v2, 2, 0, 8, 0)
	v2 = append(v2, u16le("CORP")...)
	v2 = append(v2, 0, 0, 0, 0)
	tests := []struct {
		name              string
		b                 []byte
		dom, user, ws     string
		v2, key, mic      bool
		ver               bool
		clientInfoNetbios string
	}{
		{"unicode v2 with MIC", authMsg(FlagUnicode|FlagVersion|FlagKeyExchange, 88, make([]byte, 24), v2, u16le("CORP"), u16le("alice"), u16le("VM"), make([]byte, 16)),
			"CORP", "alice", "VM", true, true, true, true, "CORP"},
		{"unicode v1 without version", authMsg(FlagUnicode, 64, make([]byte, 24), make([]byte, 24), u16le("D"), u16le("bob"), u16le("PC"), nil),
			"D", "bob", "PC", false, false, false, false, ""},
		{"oem", authMsg(FlagOEM|FlagVersion, 72, make([]byte, 24), make([]byte, 24), []byte("WORKGROUP"), []byte("guest"), []byte("HOST"), nil),
			"WORKGROUP", "guest", "HOST", false, false, false, true, ""},
		{"anonymous", authMsg(FlagUnicode|FlagAnonymous, 64, []byte{0}, nil, nil, nil, nil, nil),
			"", "", "", false, false, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != TypeAuthenticate || TypeName(m.Type) != "NTLMSSP_AUTH" {
				t.Errorf("type %d", m.Type)
			}
			if m.Domain != tt.dom || m.User != tt.user || m.Workstation != tt.ws {
				t.Errorf("names %q %q %q", m.Domain, m.User, m.Workstation)
			}
			if m.NTLMv2 != tt.v2 || m.SessionKey != tt.key || (m.MIC != nil) != tt.mic || (m.Version != nil) != tt.ver {
				t.Errorf("v2 %v key %v mic %x version %v", m.NTLMv2, m.SessionKey, m.MIC, m.Version)
			}
			if tt.ver && m.Version.String() != "10.0 (build 19041); NTLM revision 15" {
				t.Errorf("version %s", m.Version)
			}
			if got, _ := Lookup(m.ClientInfo, AvNbDomainName); got != tt.clientInfoNetbios {
				t.Errorf("client info %q", got)
			}
		})
	}
}

func TestNegotiateAndChallenge(t *testing.T) {
	neg := append([]byte(Signature), 1, 0, 0, 0)
	neg = binary.LittleEndian.AppendUint32(neg, FlagUnicode|FlagOEM|FlagDomainSupplied)
	neg = append(neg, 4, 0, 4, 0, 32, 0, 0, 0, 0, 0, 0, 0, 36, 0, 0, 0)
	neg = append(neg, "CORP"...)
	m, err := Parse(neg)
	if err != nil || m.Type != TypeNegotiate || m.Domain != "CORP" || m.Flags&FlagDomainSupplied == 0 {
		t.Fatalf("%+v %v", m, err)
	}
	// Old NEGOTIATE: signature, type and flags only.
	if m, err := Parse(neg[:16]); err != nil || m.Flags != FlagUnicode|FlagOEM|FlagDomainSupplied {
		t.Errorf("short negotiate: %+v %v", m, err)
	}

	info := []byte{1, 0, 4, 0}
	info = append(info, u16le("FS")...)
	info = append(info, 7, 0, 8, 0, 0x00, 0x40, 0x6d, 0x25, 0xeb, 0x53, 0xbf, 0x01, 0, 0, 0, 0) // 2000-01-01
	name := u16le("CORP")
	ch := append([]byte(Signature), 2, 0, 0, 0)
	ch = append(ch, byte(len(name)), 0, byte(len(name)), 0, 48, 0, 0, 0)
	ch = binary.LittleEndian.AppendUint32(ch, FlagUnicode|FlagTargetInfo)
	ch = append(ch, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0)
	ch = append(ch, byte(len(info)), 0, byte(len(info)), 0, byte(48+len(name)), 0, 0, 0)
	ch = append(ch, name...)
	ch = append(ch, info...)
	m, err = Parse(ch)
	if err != nil {
		t.Fatal(err)
	}
	if m.TargetName != "CORP" || m.ServerChallenge != [8]byte{1, 2, 3, 4, 5, 6, 7, 8} || len(m.TargetInfo) != 2 {
		t.Errorf("%+v", m)
	}
	if s, _ := Lookup(m.TargetInfo, AvNbComputerName); s != "FS" {
		t.Errorf("computer %q", s)
	}
	if tm, ok := m.TargetInfo[1].Time(); !ok || tm.Year() != 2000 {
		t.Errorf("timestamp %v %v", tm, ok)
	}
	if AVName(AvDNSDomainName) != "MsvAvDnsDomainName" {
		t.Error("AVName")
	}
}

func TestDamaged(t *testing.T) {
	good := authMsg(FlagUnicode, 64, nil, nil, u16le("D"), u16le("u"), nil, nil)
	bad := append([]byte(nil), good...)
	bad[36+4] = 0xff // user offset far past the end
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"no signature", []byte("NTLMSSQ\x00\x03\x00\x00\x00"), ErrSignature},
		{"short", []byte(Signature), ErrSignature},
		{"truncated auth", good[:40], ErrTruncated},
		{"field out of bounds", bad, ErrBounds},
		{"unknown type", append([]byte(Signature), 9, 0, 0, 0), ErrType},
	}
	for _, tt := range tests {
		if _, err := Parse(tt.b); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := ParseAVPairs([]byte{1, 0, 9, 0, 'x'}); err == nil {
		t.Error("AV pair past the end accepted")
	}
}

func FuzzParse(f *testing.F) {
	for _, rel := range []string{"captures/smb2_session.pcap", "corpus/smb/raw_ntlm_in_smb.pcap", "corpus/smb/smb311.pcap"} {
		for _, ms := range frameMessages(f, capturetest.Path(f, rel)) {
			for _, m := range ms {
				f.Add(m)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if m == nil && err == nil {
			t.Fatal("no message and no error")
		}
		if m != nil {
			for _, p := range append(m.TargetInfo, m.ClientInfo...) {
				_ = p.String()
			}
		}
	})
}
