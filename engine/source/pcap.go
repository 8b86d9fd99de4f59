package source

import (
	"encoding/binary"
	"io"

	"github.com/gopacket/gopacket/layers"
)

// pcap file magic numbers as they appear in the first four bytes.
var (
	pcapMicroLE = []byte{0xd4, 0xc3, 0xb2, 0xa1}
	pcapMicroBE = []byte{0xa1, 0xb2, 0xc3, 0xd4}
	pcapNanoLE  = []byte{0x4d, 0x3c, 0xb2, 0xa1}
	pcapNanoBE  = []byte{0xa1, 0xb2, 0x3c, 0x4d}
)

func isPcapMagic(m []byte) bool {
	s := string(m[:4])
	return s == string(pcapMicroLE) || s == string(pcapMicroBE) || s == string(pcapNanoLE) || s == string(pcapNanoBE)
}

type pcapReader struct {
	*base
	order    binary.ByteOrder
	nanoMul  int64 // 1000 for microsecond files, 1 for nanosecond files
	linkType layers.LinkType
	format   string
}

func newPcap(b *base, suffix string) (Reader, error) {
	h, _, err := b.peek(24)
	if err != nil {
		return nil, b.readErr(0, err, "the pcap file header")
	}
	r := &pcapReader{base: b, format: "pcap" + suffix}
	switch string(h[:4]) {
	case string(pcapMicroLE):
		r.order, r.nanoMul = binary.LittleEndian, 1000
	case string(pcapMicroBE):
		r.order, r.nanoMul = binary.BigEndian, 1000
	case string(pcapNanoLE):
		r.order, r.nanoMul = binary.LittleEndian, 1
	default:
		r.order, r.nanoMul = binary.BigEndian, 1
	}
	if major := r.order.Uint16(h[4:6]); major != 2 {
		return nil, b.errf(4, "unsupported pcap version %d.%d", major, r.order.Uint16(h[6:8]))
	}
	// The upper bits of the link type field may hold an FCS length
	// (pcap-linktype(7)); the type is the low 16 bits.
	r.linkType = layers.LinkType(r.order.Uint32(h[20:24]) & 0xffff)
	b.br.Discard(24)
	b.off = 24
	return r, nil
}

func (r *pcapReader) Format() string { return r.format }

func (r *pcapReader) Next(f *Frame) error {
	r.release()
	off := r.off
	h, _, err := r.peek(16)
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return r.readErr(off, err, "a packet record header")
	}
	sec := int64(r.order.Uint32(h[0:4]))
	frac := int64(r.order.Uint32(h[4:8]))
	caplen := int(r.order.Uint32(h[8:12]))
	wirelen := int(r.order.Uint32(h[12:16]))
	if caplen > MaxFrameLen {
		return r.errf(off, "packet record claims %d captured bytes (more than %d): damaged record header", caplen, MaxFrameLen)
	}
	rec, copied, err := r.peek(16 + caplen)
	if err != nil {
		return r.readErr(off, err, "a packet record")
	}
	f.Time = sec*1e9 + frac*r.nanoMul
	f.Len = wirelen
	if wirelen < caplen {
		f.Len = caplen
	}
	f.Data = rec[16 : 16+caplen]
	f.LinkType = r.linkType
	f.Iface = 0
	f.Offset = off
	f.Nano = r.nanoMul == 1
	f.NoTime = false
	if copied {
		r.off = off + int64(16+caplen)
	} else {
		r.pending = 16 + caplen
	}
	return nil
}
