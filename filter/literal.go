package filter

import (
	"encoding/hex"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/wirelark/wirelark/engine/packet"
)

// kind is the type of what an operand yields, the field types folded into
// the classes the comparisons care about.
type kind uint8

const (
	kNone     kind = iota // presence only
	kProto                // a protocol: presence, or its bytes
	kUint                 // Value.U
	kInt                  // Value.I
	kBool                 // Value.U, 0 or 1
	kFloat                // Value.F
	kString               // Value.S
	kBytes                // Value.B
	kIPv4                 // Value.B, 4 bytes
	kIPv6                 // Value.B, 16 bytes
	kMAC                  // Value.B, 6 bytes
	kTime                 // Value.I, nanoseconds since the epoch
	kDuration             // Value.I, nanoseconds
)

var kindNames = [...]string{
	kNone: "a field with no value", kProto: "a protocol", kUint: "an unsigned integer", kInt: "a signed integer",
	kBool: "a boolean", kFloat: "a floating-point number", kString: "a string", kBytes: "a byte string",
	kIPv4: "an IPv4 address", kIPv6: "an IPv6 address", kMAC: "an Ethernet address", kTime: "an absolute time",
	kDuration: "a time in seconds",
}

func (k kind) String() string { return kindNames[k] }

func kindOf(t packet.Type) kind {
	switch t {
	case packet.TUint, packet.TFrameNum:
		return kUint
	case packet.TInt:
		return kInt
	case packet.TBool:
		return kBool
	case packet.TFloat:
		return kFloat
	case packet.TString:
		return kString
	case packet.TBytes:
		return kBytes
	case packet.TIPv4:
		return kIPv4
	case packet.TIPv6:
		return kIPv6
	case packet.TMAC:
		return kMAC
	case packet.TTime:
		return kTime
	case packet.TDuration:
		return kDuration
	}
	return kNone
}

// bytesLike kinds hold their value in Value.B.
func (k kind) bytesLike() bool {
	return k == kBytes || k == kIPv4 || k == kIPv6 || k == kMAC || k == kProto
}

func (k kind) integer() bool { return k == kUint || k == kInt || k == kBool }

// constant is a literal converted to the type of the field it is compared
// with.
type constant struct {
	v packet.Value
	// Addresses: bits is the prefix length; a single address has all bits.
	bits int
}

// target describes what a literal is converted to: the kind, and for
// integers the field (for its width and value names).
type target struct {
	kind  kind
	field *packet.Field
	name  string // the other side, for messages
}

// literal converts operand o to t. It returns an error message (without
// position) if it cannot.
func literal(o *operand, t target) (constant, string) {
	if o.kind != oWord && o.kind != oString && o.kind != oChar {
		return constant{}, "expected a value"
	}
	s := o.text
	quoted := o.kind == oString
	char := o.kind == oChar
	show := strconv.Quote(s)
	if o.kind == oWord {
		show = s
	}
	switch t.kind {
	case kUint, kInt:
		if char {
			return constant{v: packet.Value{U: uint64(s[0]), I: int64(s[0])}}, ""
		}
		if !quoted {
			if c, msg, ok := parseInteger(s, t); ok || msg != "" {
				return c, msg
			}
		}
		if v, ok := valueName(t.field, s); ok {
			return constant{v: packet.Value{U: v, I: int64(v)}}, ""
		}
		if quoted {
			if _, err := parseUintLit(strings.TrimPrefix(s, "-")); err == nil {
				return constant{}, t.name + " is " + t.kind.String() + ": write the number without quotes"
			}
			return constant{}, t.name + " is " + t.kind.String() + ", not a string"
		}
		if t.field != nil && len(t.field.Strings) > 0 {
			return constant{}, strconv.Quote(s) + " is neither a number nor one of the value names of " + t.field.Name
		}
		return constant{}, strconv.Quote(s) + " is not a valid number"
	case kBool:
		if !quoted && !char {
			switch strings.ToLower(s) {
			case "true":
				return constant{v: packet.Value{U: 1}}, ""
			case "false":
				return constant{v: packet.Value{U: 0}}, ""
			}
			if u, err := parseUintLit(s); err == nil {
				return constant{v: packet.Bool(u != 0)}, ""
			}
		}
		return constant{}, t.name + " is a boolean: compare it with 1, 0, true or false, not " + show
	case kFloat:
		if !quoted && !char {
			if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.Contains(s, "_") {
				return constant{v: packet.Float(f)}, ""
			}
		}
		return constant{}, show + " is not a valid number"
	case kDuration:
		if !quoted && !char {
			if ns, ok := parseSeconds(s); ok {
				return constant{v: packet.Int(ns)}, ""
			}
		}
		return constant{}, show + " is not a valid time in seconds (write e.g. 1.5)"
	case kTime:
		if quoted {
			if ns, ok := parseAbsTime(s); ok {
				return constant{v: packet.Int(ns)}, ""
			}
		}
		return constant{}, show + ` is not a valid absolute time: write e.g. "2024-03-04 09:00:00" or "Mar  4, 2024 09:00:00.5" (local time unless followed by UTC)`
	case kString:
		if char {
			return constant{v: packet.Str(s)}, ""
		}
		// Wireshark accepts unquoted words as strings too.
		return constant{v: packet.Str(s)}, ""
	case kBytes, kProto:
		if quoted || char {
			return constant{v: packet.Bytes([]byte(s))}, ""
		}
		if b, ok := parseByteString(s); ok {
			return constant{v: packet.Bytes(b)}, ""
		}
		return constant{}, strconv.Quote(s) + ` is not a valid byte string (write e.g. aa:bb:cc or "text")`
	case kMAC:
		if !quoted && !char {
			if b, ok := parseByteString(s); ok && len(b) == 6 {
				return constant{v: packet.Bytes(b), bits: 48}, ""
			}
		}
		return constant{}, show + " is not a valid Ethernet address (write e.g. 00:11:22:33:44:55)"
	case kIPv4, kIPv6:
		want := "IPv4"
		if t.kind == kIPv6 {
			want = "IPv6"
		}
		if !quoted && !char {
			if c, ok := parseAddr(s, t.kind == kIPv6); ok {
				return c, ""
			}
		}
		if quoted {
			if _, ok := parseAddr(s, t.kind == kIPv6); ok {
				return constant{}, t.name + " is " + t.kind.String() + ": write the address without quotes"
			}
			return constant{}, t.name + " is " + t.kind.String() + ", not a string"
		}
		return constant{}, strconv.Quote(s) + " is not a valid " + want + " address or subnet (host names are not resolved)"
	}
	return constant{}, t.name + " has no value to compare; test it alone for presence"
}

// parseInteger converts a numeric word to an integer of t's width. ok is
// false with an empty message when s is not a number at all (it may still
// be a value name).
func parseInteger(s string, t target) (c constant, msg string, ok bool) {
	size := 8
	if t.field != nil && t.field.Size > 0 && t.field.Size < 8 && t.field.Type != packet.TFrameNum {
		size = int(t.field.Size)
	}
	if t.field != nil && t.field.Type == packet.TFrameNum {
		size = 4
	}
	neg := strings.HasPrefix(s, "-")
	if !neg && !startsNumber(s) || neg && !startsNumber(s[1:]) {
		return constant{}, "", false
	}
	if t.kind == kUint {
		if neg {
			return constant{}, strconv.Quote(s) + " is negative, but " + t.name + " is unsigned", false
		}
		u, err := parseUintLit(s)
		if err != nil {
			return constant{}, strconv.Quote(s) + " is not a valid number", false
		}
		if size < 8 && u > 1<<(8*size)-1 {
			return constant{}, strconv.Quote(s) + " is too big for " + t.name + ", maximum " + strconv.FormatUint(1<<(8*size)-1, 10), false
		}
		return constant{v: packet.Value{U: u}}, "", true
	}
	body := strings.TrimPrefix(s, "-")
	u, err := parseUintLit(body)
	if err != nil {
		return constant{}, strconv.Quote(s) + " is not a valid number", false
	}
	lim := uint64(1) << (8*size - 1)
	if !neg && u >= lim || neg && u > lim {
		return constant{}, strconv.Quote(s) + " is out of range for " + t.name, false
	}
	i := int64(u)
	if neg {
		i = -i
	}
	return constant{v: packet.Value{I: i}}, "", true
}

func startsNumber(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// parseUintLit reads decimal, 0x hex, 0b binary and leading-zero octal,
// the forms Wireshark accepts.
func parseUintLit(s string) (uint64, error) {
	if strings.ContainsAny(s, "_oO") {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseUint(s, 0, 64)
}

// valueName looks s up among the field's value names, ignoring case, as
// Wireshark does.
func valueName(f *packet.Field, s string) (uint64, bool) {
	if f == nil || len(f.Strings) == 0 {
		return 0, false
	}
	found, best := false, uint64(0)
	for v, name := range f.Strings {
		// Take the smallest value with the name so the choice does not
		// depend on map order.
		if strings.EqualFold(name, s) && (!found || v < best) {
			found, best = true, v
		}
	}
	return best, found
}

// parseSeconds reads a number of seconds exactly (to the nanosecond) when
// written in plain decimal, and through float64 otherwise.
func parseSeconds(s string) (int64, bool) {
	if s == "" || strings.Contains(s, "_") {
		return 0, false
	}
	body, neg := s, false
	if body[0] == '-' || body[0] == '+' {
		neg, body = body[0] == '-', body[1:]
	}
	ip, fp, _ := strings.Cut(body, ".")
	plain := ip != "" || fp != ""
	for _, c := range ip + fp {
		if c < '0' || c > '9' {
			plain = false
		}
	}
	if plain && len(ip) <= 10 {
		var ns int64
		if ip != "" {
			n, err := strconv.ParseInt(ip, 10, 64)
			if err != nil {
				return 0, false
			}
			ns = n * 1e9
		}
		frac := (fp + "000000000")[:9]
		n, _ := strconv.ParseInt(frac, 10, 64)
		ns += n
		if neg {
			ns = -ns
		}
		return ns, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > 9e9 {
		return 0, false
	}
	return int64(math.Round(f * 1e9)), true
}

var timeLayouts = []string{
	"Jan _2, 2006 15:04:05",
	"Jan 2, 2006 15:04:05",
	"Jan _2, 2006",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02",
}

// parseAbsTime reads the date forms Wireshark accepts for frame.time, in
// local time unless they end with "UTC" or "Z".
func parseAbsTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	loc := time.Local
	if t, ok := strings.CutSuffix(s, "UTC"); ok {
		s, loc = strings.TrimSpace(t), time.UTC
	} else if t, ok := strings.CutSuffix(s, "Z"); ok {
		s, loc = t, time.UTC
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

// parseByteString reads bytes written as hex pairs separated by ":", "-"
// or "." (aa:bb:cc), dotted groups of four (0011.2233.4455), or a plain
// run of hex digits (a single digit is one byte).
func parseByteString(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	sep := byte(0)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ':' || c == '-' || c == '.' {
			if sep != 0 && c != sep {
				return nil, false
			}
			sep = c
		} else if !isHex(c) {
			return nil, false
		}
	}
	if sep == 0 {
		if len(s) == 1 {
			b, _ := hex.DecodeString("0" + s)
			return b, true
		}
		b, err := hex.DecodeString(s)
		return b, err == nil
	}
	var out []byte
	groups := strings.Split(s, string(sep))
	for _, g := range groups {
		switch {
		case len(g) == 2:
		case len(g) == 4 && sep == '.':
		default:
			return nil, false
		}
		b, err := hex.DecodeString(g)
		if err != nil {
			return nil, false
		}
		out = append(out, b...)
	}
	return out, true
}

// parseAddr reads an address or a subnet (CIDR) of the wanted family.
func parseAddr(s string, v6 bool) (constant, bool) {
	if strings.Contains(s, "/") {
		pfx, err := netip.ParsePrefix(s)
		if err != nil || pfx.Addr().Zone() != "" || pfx.Addr().Is4() == v6 {
			return constant{}, false
		}
		pfx = pfx.Masked()
		return constant{v: packet.Bytes(pfx.Addr().AsSlice()), bits: pfx.Bits()}, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" || a.Is4() == v6 {
		return constant{}, false
	}
	return constant{v: packet.Bytes(a.AsSlice()), bits: a.BitLen()}, true
}
