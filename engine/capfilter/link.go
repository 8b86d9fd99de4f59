package capfilter

import (
	"fmt"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// link describes where the link layer keeps the protocol type and where the
// network layer starts, as libpcap's off_linktype and off_linkpl. "vlan"
// moves both by four bytes for everything after it, as libpcap does.
type link struct {
	name        string
	offLinkType int  // offset of the EtherType; -1 when there is none (raw IP)
	offNet      int  // offset of the network-layer header
	ether       bool // has Ethernet MAC addresses
	llcProto    bool // 802.2 frames are marked by protocol 4 (Linux cooked)
}

// Link types handled: DLT_RAW is 12 on most systems and 14 on some BSDs;
// pcap files store it as LINKTYPE_RAW (101) and LINKTYPE_IPV4/IPV6 name
// pure IPv4 or IPv6 links.
const (
	dltRaw12 layers.LinkType = 12
	dltRaw14 layers.LinkType = 14
)

func linkFor(lt layers.LinkType) (link, error) {
	switch lt {
	case layers.LinkTypeEthernet:
		return link{name: "Ethernet", offLinkType: 12, offNet: 14, ether: true}, nil
	case layers.LinkTypeLinuxSLL:
		return link{name: "Linux cooked v1", offLinkType: 14, offNet: 16, llcProto: true}, nil
	case layers.LinkTypeLinuxSLL2:
		return link{name: "Linux cooked v2", offLinkType: 0, offNet: 20, llcProto: true}, nil
	case layers.LinkTypeRaw, dltRaw12, dltRaw14, layers.LinkTypeIPv4, layers.LinkTypeIPv6:
		return link{name: "raw IP", offLinkType: -1, offNet: 0}, nil
	}
	return link{}, fmt.Errorf("capture filter: link type %d (%s) is not supported (Ethernet, Linux cooked and raw IP are)", int(lt), lt)
}

// EtherTypes used by the primitives.
const (
	etherIPv4 = 0x0800
	etherARP  = 0x0806
	etherRARP = 0x8035
	etherIPv6 = 0x86dd
	etherMTU  = 1500
)

// ld, ldh, ldb: absolute loads.
func ldw(off int) bpf.Instruction { return bpf.LoadAbsolute{Off: uint32(off), Size: 4} }
func ldh(off int) bpf.Instruction { return bpf.LoadAbsolute{Off: uint32(off), Size: 2} }
func ldb(off int) bpf.Instruction { return bpf.LoadAbsolute{Off: uint32(off), Size: 1} }

// cmp makes "load size bytes at off, compare with v".
func cmp(off, size int, v uint32) frag {
	return test([]bpf.Instruction{bpf.LoadAbsolute{Off: uint32(off), Size: size}}, bpf.JumpEqual, v)
}

// mcmp compares the masked word at off with v.
func mcmp(off, size int, v, mask uint32) frag {
	stmts := []bpf.Instruction{bpf.LoadAbsolute{Off: uint32(off), Size: size}}
	if mask != 0xffffffff && !(size == 2 && mask == 0xffff) && !(size == 1 && mask == 0xff) {
		stmts = append(stmts, bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: mask})
	}
	return test(stmts, bpf.JumpEqual, v&mask)
}

// linkType tests the link layer's protocol type, as libpcap's
// gen_linktype: raw IP links look at the IP version instead, and 802.3
// lengths select by LLC SAP.
func (g *gen) linkType(proto uint32) frag {
	l := g.link
	if l.offLinkType < 0 {
		ver := uint32(0)
		switch proto {
		case etherIPv4:
			ver = 0x40
		case etherIPv6:
			ver = 0x60
		default:
			return fragFalse
		}
		return test([]bpf.Instruction{ldb(0), bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: 0xf0}}, bpf.JumpEqual, ver)
	}
	if proto <= etherMTU {
		if l.llcProto {
			return and(cmp(l.offLinkType, 2, 4), cmp(l.offNet, 1, proto))
		}
		return and(not(test([]bpf.Instruction{ldh(l.offLinkType)}, bpf.JumpGreaterThan, etherMTU)), cmp(l.offNet, 1, proto))
	}
	return cmp(l.offLinkType, 2, proto)
}
