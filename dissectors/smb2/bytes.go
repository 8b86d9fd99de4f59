package smb2

import (
	"encoding/binary"
	"unicode/utf16"
)

// Little-endian readers for fixed parts whose length was checked first.
func u16(b []byte, off int) uint16 { return binary.LittleEndian.Uint16(b[off:]) }
func u32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
func u64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }

// span returns b[off:off+n], or false when that is out of bounds. Offsets
// and lengths come from the wire, so every variable part goes through it.
func span(b []byte, off, n int) ([]byte, bool) {
	if off < 0 || n < 0 || off > len(b) || n > len(b)-off {
		return nil, false
	}
	return b[off : off+n], true
}

// utf16String decodes UTF-16LE text; an odd trailing byte is ignored.
func utf16String(b []byte) string {
	n := len(b) / 2
	if n == 0 {
		return ""
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// clone copies a variable part out of the caller's buffer: messages
// outlive the reassembly buffer they were decoded from.
func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}
