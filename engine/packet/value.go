package packet

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"time"
)

// Type is the type of a field's values, after Wireshark's FT_ types.
type Type uint8

const (
	TNone     Type = iota // a label or protocol marker with no value
	TProto                // presence of a protocol
	TUint                 // unsigned integer; Size says the width
	TInt                  // signed integer
	TBool                 // boolean flag (shown as 1/0, as tshark does)
	TFloat                // floating point
	TString               // text
	TBytes                // byte sequence
	TIPv4                 // IPv4 address
	TIPv6                 // IPv6 address
	TMAC                  // Ethernet address
	TTime                 // absolute time (nanoseconds since the epoch)
	TDuration             // relative time (nanoseconds)
	TFrameNum             // frame number
)

var typeNames = [...]string{
	TNone: "none", TProto: "protocol", TUint: "uint", TInt: "int", TBool: "bool",
	TFloat: "float", TString: "string", TBytes: "bytes", TIPv4: "ipv4",
	TIPv6: "ipv6", TMAC: "ether", TTime: "time", TDuration: "duration",
	TFrameNum: "framenum",
}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "?"
}

// Base says how an integer field is shown, after Wireshark's BASE_ values.
type Base uint8

const (
	Dec Base = iota
	Hex
	DecHex
	HexDec
	Oct
)

// Value is one occurrence of a field in a packet. Which member holds the
// value depends on the field's Type: U for TUint/TBool/TFrameNum, I for
// TInt/TTime/TDuration, F for TFloat, B for TBytes/TIPv4/TIPv6/TMAC (the
// bytes usually alias the packet's data), S for TString.
type Value struct {
	U uint64
	I int64
	F float64
	B []byte
	S string
}

// Uint makes an unsigned integer value.
func Uint(u uint64) Value { return Value{U: u} }

// Bool makes a boolean value.
func Bool(b bool) Value {
	if b {
		return Value{U: 1}
	}
	return Value{}
}

// Bytes makes a byte-sequence or address value.
func Bytes(b []byte) Value { return Value{B: b} }

// Str makes a string value.
func Str(s string) Value { return Value{S: s} }

// Int makes a signed integer or time value.
func Int(i int64) Value { return Value{I: i} }

// Addr returns the value of an IPv4 or IPv6 field as an address.
func (v Value) Addr() netip.Addr {
	a, _ := netip.AddrFromSlice(v.B)
	return a
}

// AppendValue formats v as tshark -T fields prints a value of field f.
func (f *Field) AppendValue(dst []byte, v Value) []byte {
	switch f.Type {
	case TUint, TFrameNum:
		return appendUint(dst, v.U, f.Base, f.Size)
	case TInt:
		return strconv.AppendInt(dst, v.I, 10)
	case TBool:
		if v.U != 0 {
			return append(dst, '1')
		}
		return append(dst, '0')
	case TFloat:
		return strconv.AppendFloat(dst, v.F, 'g', -1, 64)
	case TString:
		return append(dst, v.S...)
	case TBytes:
		return hex.AppendEncode(dst, v.B)
	case TIPv4:
		return appendIPv4(dst, v.B)
	case TIPv6:
		if a, ok := netip.AddrFromSlice(v.B); ok {
			return a.AppendTo(dst)
		}
		return hex.AppendEncode(dst, v.B)
	case TMAC:
		return appendMAC(dst, v.B)
	case TTime:
		return append(dst, FormatTime(v.I)...)
	case TNone, TProto:
		// tshark prints 1 for a present field that carries no value.
		return append(dst, '1')
	case TDuration:
		return appendSecNano(dst, v.I)
	}
	return dst
}

// FormatValue is AppendValue to a string.
func (f *Field) FormatValue(v Value) string { return string(f.AppendValue(nil, v)) }

func appendUint(dst []byte, u uint64, base Base, size uint8) []byte {
	switch base {
	case Hex, HexDec:
		dst = append(dst, '0', 'x')
		w := int(size) * 2
		if w == 0 {
			w = 1
		}
		var buf [16]byte
		s := strconv.AppendUint(buf[:0], u, 16)
		for i := len(s); i < w; i++ {
			dst = append(dst, '0')
		}
		return append(dst, s...)
	case Oct:
		dst = append(dst, '0')
		return strconv.AppendUint(dst, u, 8)
	}
	return strconv.AppendUint(dst, u, 10)
}

func appendIPv4(dst []byte, b []byte) []byte {
	if len(b) != 4 {
		return hex.AppendEncode(dst, b)
	}
	for i, x := range b {
		if i > 0 {
			dst = append(dst, '.')
		}
		dst = strconv.AppendUint(dst, uint64(x), 10)
	}
	return dst
}

const hexDigits = "0123456789abcdef"

func appendMAC(dst []byte, b []byte) []byte {
	for i, x := range b {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hexDigits[x>>4], hexDigits[x&15])
	}
	return dst
}

// appendSecNano writes ns as seconds with nine decimals.
func appendSecNano(dst []byte, ns int64) []byte {
	if ns < 0 {
		dst = append(dst, '-')
		ns = -ns
	}
	dst = strconv.AppendInt(dst, ns/1e9, 10)
	dst = append(dst, '.')
	frac := ns % 1e9
	var buf [9]byte
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(dst, buf[:]...)
}

// FormatTime shows an absolute time as Wireshark's frame.time does, in UTC.
func FormatTime(ns int64) string {
	t := time.Unix(0, ns).UTC()
	return t.Format("Jan _2, 2006 15:04:05") + "." + strconv.Itoa(1e9 + t.Nanosecond())[1:] + " UTC"
}

// Float makes a floating-point value.
func Float(f float64) Value { return Value{F: f} }
