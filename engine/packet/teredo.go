package packet

import "encoding/binary"

// teredoHeaders finds the optional Teredo headers before the IPv6 packet:
// the offsets of the authentication and origin-indication headers, -1 when
// absent.
func teredoHeaders(p *Packet, l *Layer) (auth, orig int) {
	auth, orig = -1, -1
	d, o := p.Data, l.Off
	if l.Hdr-o >= 4 && d[o] == 0 && d[o+1] == 1 {
		auth = o
		o += 4 + int(d[o+2]) + int(d[o+3]) + 9
	}
	if l.Hdr-o >= 8 && d[o] == 0 && d[o+1] == 0 {
		orig = o
	}
	return
}

func teredoAuth(get func(d []byte, a int, dst []Value) []Value) Getter {
	return func(p *Packet, l *Layer, dst []Value) []Value {
		if a, _ := teredoHeaders(p, l); a >= 0 {
			return get(p.Data, a, dst)
		}
		return dst
	}
}

var protoTeredo = register(&Proto{ID: ProtoTeredo, Name: "teredo", Short: "Teredo", Title: "Teredo IPv6 over UDP tunneling"},
	computed("teredo.auth.idlen", "Client identifier length", TUint, Dec, 1, "", teredoAuth(func(d []byte, a int, dst []Value) []Value {
		return append(dst, Uint(uint64(d[a+2])))
	})),
	computed("teredo.auth.aulen", "Authentication value length", TUint, Dec, 1, "", teredoAuth(func(d []byte, a int, dst []Value) []Value {
		return append(dst, Uint(uint64(d[a+3])))
	})),
	computed("teredo.auth.nonce", "Nonce value", TBytes, Dec, 0, "", teredoAuth(func(d []byte, a int, dst []Value) []Value {
		n := a + 4 + int(d[a+2]) + int(d[a+3])
		return append(dst, Bytes(d[n:n+8]))
	})),
	computed("teredo.orig.port", "Origin UDP port", TUint, Dec, 2, "The client's mapped port (sent obfuscated)", func(p *Packet, l *Layer, dst []Value) []Value {
		if _, o := teredoHeaders(p, l); o >= 0 {
			return append(dst, Uint(uint64(^binary.BigEndian.Uint16(p.Data[o+2:]))))
		}
		return dst
	}),
	computed("teredo.orig.addr", "Origin IPv4 address", TIPv4, Dec, 0, "The client's mapped address (sent obfuscated)", func(p *Packet, l *Layer, dst []Value) []Value {
		if _, o := teredoHeaders(p, l); o >= 0 {
			b := make([]byte, 4)
			for i := range b {
				b[i] = ^p.Data[o+4+i]
			}
			return append(dst, Bytes(b))
		}
		return dst
	}),
)
