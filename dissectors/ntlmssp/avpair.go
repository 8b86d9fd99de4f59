package ntlmssp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// AV pair ids (MS-NLMP 2.2.2.1).
const (
	AvEOL             = 0
	AvNbComputerName  = 1
	AvNbDomainName    = 2
	AvDNSComputerName = 3
	AvDNSDomainName   = 4
	AvDNSTreeName     = 5
	AvFlags           = 6
	AvTimestamp       = 7
	AvSingleHost      = 8
	AvTargetName      = 9
	AvChannelBindings = 10
)

// AVPair is one attribute/value pair of target information.
type AVPair struct {
	ID    uint16
	Value []byte
}

// String returns the value of a name pair as text.
func (p AVPair) String() string {
	switch p.ID {
	case AvNbComputerName, AvNbDomainName, AvDNSComputerName, AvDNSDomainName, AvDNSTreeName, AvTargetName:
		return utf16le(p.Value)
	case AvFlags:
		if len(p.Value) >= 4 {
			return fmt.Sprintf("0x%08x", binary.LittleEndian.Uint32(p.Value))
		}
	case AvTimestamp:
		if t, ok := p.Time(); ok {
			return t.UTC().Format(time.RFC3339Nano)
		}
	}
	return fmt.Sprintf("%x", p.Value)
}

// Time returns the value of an AvTimestamp pair.
func (p AVPair) Time() (time.Time, bool) {
	if p.ID != AvTimestamp || len(p.Value) != 8 {
		return time.Time{}, false
	}
	ft := binary.LittleEndian.Uint64(p.Value)
	// FILETIME: 100 ns ticks since 1601-01-01.
	const epochDiff = 116444736000000000
	if ft < epochDiff {
		return time.Time{}, false
	}
	d := ft - epochDiff
	return time.Unix(int64(d/10000000), int64(d%10000000)*100), true
}

// AVName names a pair id as Wireshark does.
func AVName(id uint16) string {
	switch id {
	case AvEOL:
		return "MsvAvEOL"
	case AvNbComputerName:
		return "MsvAvNbComputerName"
	case AvNbDomainName:
		return "MsvAvNbDomainName"
	case AvDNSComputerName:
		return "MsvAvDnsComputerName"
	case AvDNSDomainName:
		return "MsvAvDnsDomainName"
	case AvDNSTreeName:
		return "MsvAvDnsTreeName"
	case AvFlags:
		return "MsvAvFlags"
	case AvTimestamp:
		return "MsvAvTimestamp"
	case AvSingleHost:
		return "MsvAvSingleHost"
	case AvTargetName:
		return "MsvAvTargetName"
	case AvChannelBindings:
		return "MsvChannelBindings"
	}
	return fmt.Sprintf("Unknown (%d)", id)
}

// Lookup returns the value of the first pair with the id, as text.
func Lookup(pairs []AVPair, id uint16) (string, bool) {
	for _, p := range pairs {
		if p.ID == id {
			return p.String(), true
		}
	}
	return "", false
}

// ParseAVPairs decodes a list of AV pairs up to MsvAvEOL or the end of b.
func ParseAVPairs(b []byte) ([]AVPair, error) {
	var ps []AVPair
	for len(b) >= 4 {
		id, n := binary.LittleEndian.Uint16(b), int(binary.LittleEndian.Uint16(b[2:]))
		if id == AvEOL {
			return ps, nil
		}
		if n > len(b)-4 {
			return ps, errors.New("ntlmssp: AV pair out of bounds")
		}
		ps = append(ps, AVPair{ID: id, Value: append([]byte(nil), b[4:4+n]...)})
		b = b[4+n:]
	}
	if len(b) != 0 {
		return ps, errors.New("ntlmssp: AV pair truncated")
	}
	return ps, nil
}
