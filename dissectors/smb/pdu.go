package smb

import (
	"encoding/binary"
	"unicode/utf16"
)

// pdu reads fields of one PDU. Offsets are from the start of the SMB
// header, because Unicode strings are aligned relative to it.
type pdu struct {
	b       []byte
	uni     bool // Flags2 Unicode
	dataOff int  // offset of the current block's bytes
}

// le16, le32 and le64 read little-endian integers of a parameter block
// whose length the decoder has checked against its minimum word count.
func le16(b []byte, off int) uint16 { return binary.LittleEndian.Uint16(b[off:]) }
func le32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
func le64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }

// cursor walks the bytes of a block (or any region of the PDU) without
// ever reading past end. Reads past the end return zero values.
type cursor struct {
	p   *pdu
	off int // absolute offset in p.b
	end int // absolute end of the region
}

// region returns a cursor over p.b[off:off+n], clipped to the PDU.
func (p *pdu) region(off, n int) cursor {
	end := off + n
	if off < 0 || off > len(p.b) {
		off = len(p.b)
	}
	if end > len(p.b) || end < off {
		end = len(p.b)
	}
	return cursor{p: p, off: off, end: end}
}

// data returns a cursor over the block's bytes.
func (p *pdu) data(m *Message) cursor { return p.region(p.dataOff, len(m.Data)) }

func (c *cursor) left() int { return c.end - c.off }

func (c *cursor) skip(n int) {
	if n < 0 || n > c.left() {
		n = c.left()
	}
	c.off += n
}

func (c *cursor) u8() uint8 {
	if c.left() < 1 {
		c.off = c.end
		return 0
	}
	c.off++
	return c.p.b[c.off-1]
}

func (c *cursor) u16() uint16 {
	if c.left() < 2 {
		c.off = c.end
		return 0
	}
	c.off += 2
	return le16(c.p.b, c.off-2)
}

func (c *cursor) u32() uint32 {
	if c.left() < 4 {
		c.off = c.end
		return 0
	}
	c.off += 4
	return le32(c.p.b, c.off-4)
}

// bytes returns a copy of the next n bytes (fewer at the end), so that it
// outlives the PDU buffer.
func (c *cursor) bytes(n int) []byte {
	if n < 0 || n > c.left() {
		n = c.left()
	}
	out := append([]byte(nil), c.p.b[c.off:c.off+n]...)
	c.off += n
	return out
}

// align2 skips the pad byte before a Unicode string at an odd offset.
func (c *cursor) align2() {
	if c.off%2 == 1 && c.off < c.end {
		c.off++
	}
}

// str reads a NUL-terminated string, UTF-16LE (aligned) when the PDU is
// Unicode. A string running to the end of the region without its NUL is
// taken whole.
func (c *cursor) str() string {
	if c.p.uni {
		c.align2()
		return c.ucs2(-1)
	}
	return c.ascii()
}

// ascii reads a NUL-terminated 8-bit string whatever the PDU's flags
// (service names and dialect names are always 8-bit).
func (c *cursor) ascii() string {
	b := c.p.b[c.off:c.end]
	for i, x := range b {
		if x == 0 {
			c.off += i + 1
			return latin1(b[:i])
		}
	}
	c.off = c.end
	return latin1(b)
}

// ucs2 reads UTF-16LE: n bytes, or up to a NUL code unit when n < 0.
// No alignment is applied.
func (c *cursor) ucs2(n int) string {
	lim := c.left()
	if n >= 0 && n < lim {
		lim = n
	}
	b := c.p.b[c.off : c.off+lim]
	units := make([]uint16, 0, len(b)/2)
	used := len(b)
	for i := 0; i+1 < len(b); i += 2 {
		u := le16(b, i)
		if u == 0 && n < 0 {
			used = i + 2
			break
		}
		units = append(units, u)
	}
	c.off += used
	// A string read up to a count may carry its own NUL; drop it.
	for len(units) > 0 && units[len(units)-1] == 0 {
		units = units[:len(units)-1]
	}
	return string(utf16.Decode(units))
}

// fixed reads a string of n bytes in the PDU's encoding (no alignment),
// as named by a length field, dropping a trailing NUL.
func (c *cursor) fixed(n int) string {
	if c.p.uni {
		return c.ucs2(n)
	}
	if n < 0 || n > c.left() {
		n = c.left()
	}
	b := c.p.b[c.off : c.off+n]
	c.off += n
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return latin1(b)
}

// latin1 turns 8-bit text into a string: ASCII stays, other bytes become
// the code point of the same value, so that the result is valid UTF-8.
func latin1(b []byte) string {
	ascii := true
	for _, x := range b {
		if x >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, x := range b {
		r[i] = rune(x)
	}
	return string(r)
}
