package live

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// Control messages of a received packet (linux/socket.h, if_packet.h).
const (
	solSocket      = 1
	solPacket      = 263
	scmTimestampNS = 35 // SO_TIMESTAMPNS
	packetAuxdata  = 8
	// struct cmsghdr: a size_t length, then level and type, aligned to
	// a size_t.
	wordSize     = 4 << (^uintptr(0) >> 63)
	cmsgHdrLen   = wordSize + 8
	tpStatusVLAN = 0x10
	tpStatusTPID = 0x40
)

// control is what the control messages say about a packet.
type control struct {
	time      int64 // nanoseconds since the epoch; 0 if absent
	vlan      bool  // the kernel took a VLAN tag off
	tci, tpid uint16
}

// parseControl reads the kernel timestamp (SCM_TIMESTAMPNS) and the VLAN
// tag of PACKET_AUXDATA from the control buffer of recvmsg(2), in the
// kernel's byte order. A malformed buffer ends the walk; the loop
// advances by at least a header each step.
func parseControl(oob []byte) control {
	var c control
	for len(oob) >= cmsgHdrLen {
		l := uint64(binary.NativeEndian.Uint32(oob[0:]))
		if wordSize == 8 {
			l = binary.NativeEndian.Uint64(oob[0:])
		}
		if l < cmsgHdrLen || l > uint64(len(oob)) {
			break
		}
		level := int32(binary.NativeEndian.Uint32(oob[wordSize:]))
		typ := int32(binary.NativeEndian.Uint32(oob[wordSize+4:]))
		data := oob[cmsgHdrLen:l]
		switch {
		case level == solSocket && typ == scmTimestampNS && len(data) >= 16:
			sec := int64(binary.NativeEndian.Uint64(data[0:]))
			nsec := int64(binary.NativeEndian.Uint64(data[8:]))
			c.time = sec*1e9 + nsec
		case level == solPacket && typ == packetAuxdata && len(data) >= 20:
			// struct tpacket_auxdata: status, len, snaplen, mac, net,
			// vlan_tci, vlan_tpid.
			status := binary.NativeEndian.Uint32(data[0:])
			if status&tpStatusVLAN != 0 {
				c.vlan = true
				c.tci = binary.NativeEndian.Uint16(data[16:])
				c.tpid = uint16(layers.EthernetTypeDot1Q)
				if status&tpStatusTPID != 0 {
					c.tpid = binary.NativeEndian.Uint16(data[18:])
				}
			}
		}
		next := (l + wordSize - 1) &^ (wordSize - 1)
		if next > uint64(len(oob)) {
			break
		}
		oob = oob[next:]
	}
	return c
}
