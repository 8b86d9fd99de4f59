package source

import (
	"encoding/binary"
	"io"
	"math/big"

	"github.com/gopacket/gopacket/layers"
)

// pcapng block types (draft-ietf-opsawg-pcapng).
const (
	ngSectionHeader    = 0x0a0d0d0a
	ngInterfaceDesc    = 0x00000001
	ngObsoletePacket   = 0x00000002
	ngSimplePacket     = 0x00000003
	ngEnhancedPacket   = 0x00000006
	ngByteOrderMagic   = 0x1a2b3c4d
	ngOptEnd           = 0
	ngOptIfTsresol     = 9
	ngOptIfTsoffset    = 14
	ngMinBlockLen      = 12
	ngSectionHeaderLen = 28
)

type ngInterface struct {
	linkType layers.LinkType
	snapLen  int
	// Timestamps are in units of 1/unitsPerSec seconds.
	unitsPerSec uint64
	offsetSec   int64
}

type pcapngReader struct {
	*base
	order  binary.ByteOrder
	ifaces []ngInterface
	format string
}

func newPcapng(b *base, suffix string) (Reader, error) {
	r := &pcapngReader{base: b, format: "pcapng" + suffix}
	// The first block must be a section header; Next handles it like any
	// other, but a file whose first block is damaged is no capture at all.
	if err := r.sectionHeader(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *pcapngReader) Format() string { return r.format }

// sectionHeader reads a section header block at the current offset.
func (r *pcapngReader) sectionHeader() error {
	off := r.off
	h, _, err := r.peek(ngSectionHeaderLen)
	if err != nil {
		return r.readErr(off, err, "a pcapng section header")
	}
	switch binary.LittleEndian.Uint32(h[8:12]) {
	case ngByteOrderMagic:
		r.order = binary.LittleEndian
	case 0x4d3c2b1a:
		r.order = binary.BigEndian
	default:
		return r.errf(off+8, "pcapng section header has a bad byte-order magic")
	}
	if major := r.order.Uint16(h[12:14]); major != 1 {
		return r.errf(off+12, "unsupported pcapng section version %d.%d", major, r.order.Uint16(h[14:16]))
	}
	blen := int(r.order.Uint32(h[4:8]))
	if blen < ngSectionHeaderLen || blen%4 != 0 || blen > maxBlockLen {
		return r.errf(off+4, "pcapng section header has a bad block length %d", blen)
	}
	_, copied, err := r.block(off, blen)
	if err != nil {
		return err
	}
	r.ifaces = r.ifaces[:0]
	// A block larger than the buffer was read (consumed) whole already.
	if copied {
		r.off = off + int64(blen)
	} else {
		r.consume(blen)
	}
	return nil
}

// block returns the whole block of length blen at off, checking the
// trailing length copy.
func (r *pcapngReader) block(off int64, blen int) ([]byte, bool, error) {
	p, copied, err := r.peek(blen)
	if err != nil {
		return nil, false, r.readErr(off, err, "a pcapng block")
	}
	if int(r.order.Uint32(p[blen-4:])) != blen {
		return nil, false, r.errf(off+int64(blen)-4, "pcapng block's trailing length does not match its leading length %d", blen)
	}
	return p, copied, nil
}

// consume moves past a block that was peeked (not copied).
func (r *pcapngReader) consume(n int) {
	r.br.Discard(n)
	r.off += int64(n)
}

func (r *pcapngReader) Next(f *Frame) error {
	r.release()
	for {
		off := r.off
		h, _, err := r.peek(8)
		if err != nil {
			if err == io.EOF {
				return io.EOF
			}
			return r.readErr(off, err, "a pcapng block header")
		}
		typ := r.order.Uint32(h[0:4])
		if typ == ngSectionHeader {
			if err := r.sectionHeader(); err != nil {
				return err
			}
			continue
		}
		blen := int(r.order.Uint32(h[4:8]))
		if blen < ngMinBlockLen || blen%4 != 0 || blen > maxBlockLen {
			return r.errf(off+4, "pcapng block of type 0x%x has a bad length %d", typ, blen)
		}
		p, copied, err := r.block(off, blen)
		if err != nil {
			return err
		}
		done := func() {
			if copied {
				r.off = off + int64(blen)
			} else {
				r.consume(blen)
			}
		}
		body := p[8 : blen-4]
		switch typ {
		case ngInterfaceDesc:
			if err := r.interfaceDesc(off, body); err != nil {
				return err
			}
			done()
		case ngEnhancedPacket, ngObsoletePacket:
			if len(body) < 20 {
				return r.errf(off, "pcapng packet block too short (%d bytes)", blen)
			}
			var iface int
			if typ == ngEnhancedPacket {
				iface = int(r.order.Uint32(body[0:4]))
			} else {
				iface = int(r.order.Uint16(body[0:2]))
			}
			if iface >= len(r.ifaces) {
				return r.errf(off+8, "pcapng packet names interface %d, but the section describes %d", iface, len(r.ifaces))
			}
			ts := uint64(r.order.Uint32(body[4:8]))<<32 | uint64(r.order.Uint32(body[8:12]))
			caplen := int(r.order.Uint32(body[12:16]))
			wirelen := int(r.order.Uint32(body[16:20]))
			if caplen > len(body)-20 {
				return r.errf(off+20, "pcapng packet claims %d captured bytes but its block holds %d", caplen, len(body)-20)
			}
			in := &r.ifaces[iface]
			r.fill(f, off, iface, in.time(ts), caplen, wirelen, body[20:20+caplen])
			if copied {
				r.off = off + int64(blen)
			} else {
				r.pending = blen
			}
			return nil
		case ngSimplePacket:
			if len(r.ifaces) == 0 {
				return r.errf(off, "pcapng simple packet before any interface description")
			}
			if len(body) < 4 {
				return r.errf(off, "pcapng simple packet block too short")
			}
			wirelen := int(r.order.Uint32(body[0:4]))
			caplen := min(wirelen, len(body)-4)
			if s := r.ifaces[0].snapLen; s > 0 && caplen > s {
				caplen = s
			}
			r.fill(f, off, 0, 0, caplen, wirelen, body[4:4+caplen])
			f.NoTime = true
			if copied {
				r.off = off + int64(blen)
			} else {
				r.pending = blen
			}
			return nil
		default:
			// Statistics, name resolution, custom and unknown blocks carry no
			// packets.
			done()
		}
	}
}

func (r *pcapngReader) fill(f *Frame, off int64, iface int, t int64, caplen, wirelen int, data []byte) {
	f.Time = t
	f.Len = max(wirelen, caplen)
	f.Data = data[:caplen]
	f.LinkType = r.ifaces[iface].linkType
	f.Iface = iface
	f.Offset = off
	f.NoTime = false
	f.Nano = r.ifaces[iface].unitsPerSec > 1e6
}

func (r *pcapngReader) interfaceDesc(off int64, body []byte) error {
	if len(body) < 8 {
		return r.errf(off, "pcapng interface description too short")
	}
	in := ngInterface{
		linkType:    layers.LinkType(r.order.Uint16(body[0:2])),
		snapLen:     int(r.order.Uint32(body[4:8])),
		unitsPerSec: 1e6,
	}
	opts := body[8:]
	for len(opts) >= 4 {
		code := r.order.Uint16(opts[0:2])
		n := int(r.order.Uint16(opts[2:4]))
		if code == ngOptEnd || 4+n > len(opts) {
			break
		}
		v := opts[4 : 4+n]
		switch {
		case code == ngOptIfTsresol && n >= 1:
			res := v[0]
			if res&0x80 != 0 {
				if e := res & 0x7f; e < 64 {
					in.unitsPerSec = 1 << e
				}
			} else if res <= 19 {
				u := uint64(1)
				for i := 0; i < int(res); i++ {
					u *= 10
				}
				in.unitsPerSec = u
			}
		case code == ngOptIfTsoffset && n >= 8:
			in.offsetSec = int64(r.order.Uint64(v[0:8]))
		}
		opts = opts[4+(n+3)&^3:]
	}
	r.ifaces = append(r.ifaces, in)
	return nil
}

// time converts a timestamp in interface units to nanoseconds.
func (in *ngInterface) time(ts uint64) int64 {
	ns := in.offsetSec * 1e9
	switch u := in.unitsPerSec; {
	case u == 1e9:
		return ns + int64(ts)
	case u < 1e9 && 1e9%u == 0:
		return ns + int64(ts*(1e9/u))
	default:
		sec := ts / u
		rem := ts % u
		// rem*1e9 may overflow 64 bits for fine resolutions.
		x := new(big.Int).Mul(new(big.Int).SetUint64(rem), big.NewInt(1e9))
		x.Quo(x, new(big.Int).SetUint64(u))
		return ns + int64(sec)*1e9 + x.Int64()
	}
}
