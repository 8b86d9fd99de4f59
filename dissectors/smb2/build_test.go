package smb2_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb2"

	"encoding/binary"
	"unicode/utf16"
)

// Builders of hand-made SMB2 messages for the unit tests.

// hb describes a header to build.
type hb struct {
	cmd     uint16
	status  uint32
	flags   uint32
	mid     uint64
	tid     uint32
	async   uint64
	session uint64
}

// msg builds one message: header then body, with NextCommand left 0.
func msg(h hb, body []byte) []byte {
	b := make([]byte, HeaderLen, HeaderLen+len(body))
	copy(b, ProtoSMB2Magic[:])
	le := binary.LittleEndian
	le.PutUint16(b[4:], 64)
	le.PutUint16(b[6:], 1)
	le.PutUint32(b[8:], h.status)
	le.PutUint16(b[12:], h.cmd)
	le.PutUint16(b[14:], 1)
	le.PutUint32(b[16:], h.flags)
	le.PutUint64(b[24:], h.mid)
	if h.flags&FlagAsync != 0 {
		le.PutUint64(b[32:], h.async)
	} else {
		le.PutUint32(b[36:], h.tid)
	}
	le.PutUint64(b[40:], h.session)
	return append(b, body...)
}

// compound chains messages, padding each but the last to 8 bytes and
// setting NextCommand.
func compound(ms ...[]byte) []byte {
	var out []byte
	for i, m := range ms {
		if i < len(ms)-1 {
			for len(m)%8 != 0 {
				m = append(m, 0)
			}
			binary.LittleEndian.PutUint32(m[20:], uint32(len(m)))
		}
		out = append(out, m...)
	}
	return out
}

// body is a little-endian byte writer.
type body []byte

func (b body) u8(v uint8) body   { return append(b, v) }
func (b body) u16(v uint16) body { return binary.LittleEndian.AppendUint16(b, v) }
func (b body) u32(v uint32) body { return binary.LittleEndian.AppendUint32(b, v) }
func (b body) u64(v uint64) body { return binary.LittleEndian.AppendUint64(b, v) }
func (b body) raw(v []byte) body { return append(b, v...) }
func (b body) zero(n int) body   { return append(b, make([]byte, n)...) }
func (b body) fid(f FileID) body { return b.u64(f.Persistent).u64(f.Volatile) }

func utf16le(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}
