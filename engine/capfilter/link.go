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

	// varNet and varLinkType are the scratch words holding a part of
	// offNet and offLinkType known only at run time, or -1. After "vlan"
	// on a live socket the tag may be in the packet (4 more bytes) or
	// taken out of it by the kernel, so later loads add the word to the
	// constant offset, as libpcap's variable offsets do.
	varNet, varLinkType int
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
		return link{name: "Ethernet", offLinkType: 12, offNet: 14, ether: true, varNet: -1, varLinkType: -1}, nil
	case layers.LinkTypeLinuxSLL:
		return link{name: "Linux cooked v1", offLinkType: 14, offNet: 16, llcProto: true, varNet: -1, varLinkType: -1}, nil
	case layers.LinkTypeLinuxSLL2:
		return link{name: "Linux cooked v2", offLinkType: 0, offNet: 20, llcProto: true, varNet: -1, varLinkType: -1}, nil
	case layers.LinkTypeRaw, dltRaw12, dltRaw14, layers.LinkTypeIPv4, layers.LinkTypeIPv6:
		return link{name: "raw IP", offLinkType: -1, offNet: 0, varNet: -1, varLinkType: -1}, nil
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

// ldb is an absolute byte load.
func ldb(off int) bpf.Instruction { return bpf.LoadAbsolute{Off: uint32(off), Size: 1} }

// cmp makes "load size bytes at off, compare with v".
func cmp(off, size int, v uint32) frag {
	return test([]bpf.Instruction{bpf.LoadAbsolute{Off: uint32(off), Size: size}}, bpf.JumpEqual, v)
}

// mcmp compares the masked word at off with v.
func mcmp(off, size int, v, mask uint32) frag {
	return mcmpLoad([]bpf.Instruction{ldAbs(off, size)}, size, v, mask)
}

func ldAbs(off, size int) bpf.Instruction { return bpf.LoadAbsolute{Off: uint32(off), Size: size} }

// mcmpLoad compares the masked value the statements load with v.
func mcmpLoad(stmts []bpf.Instruction, size int, v, mask uint32) frag {
	stmts = stmts[:len(stmts):len(stmts)]
	if mask != 0xffffffff && !(size == 2 && mask == 0xffff) && !(size == 1 && mask == 0xff) {
		if v&mask == 0 {
			// "and #m; jeq #0" is "jset #m" with the branches swapped,
			// as libpcap's optimiser makes it.
			return not(test(stmts, bpf.JumpBitsSet, mask))
		}
		stmts = append(stmts, bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: mask})
	}
	return test(stmts, bpf.JumpEqual, v&mask)
}

// varLoad loads size bytes at off, plus scratch word reg when reg >= 0.
func varLoad(reg, off, size int) []bpf.Instruction {
	if reg < 0 {
		return []bpf.Instruction{ldAbs(off, size)}
	}
	return []bpf.Instruction{bpf.LoadScratch{Dst: bpf.RegX, N: reg}, bpf.LoadIndirect{Off: uint32(off), Size: size}}
}

// netLoad loads size bytes at rel into the network-layer header.
func (g *gen) netLoad(rel, size int) []bpf.Instruction {
	return varLoad(g.link.varNet, g.link.offNet+rel, size)
}

// netCmp compares size bytes at rel into the network-layer header with v.
func (g *gen) netCmp(rel, size int, v uint32) frag {
	return test(g.netLoad(rel, size), bpf.JumpEqual, v)
}

// netMcmp compares masked bytes of the network-layer header with v.
func (g *gen) netMcmp(rel, size int, v, mask uint32) frag {
	return mcmpLoad(g.netLoad(rel, size), size, v, mask)
}

// typeLoad loads the link layer's protocol type plus rel.
func (g *gen) typeLoad(rel, size int) []bpf.Instruction {
	return varLoad(g.link.varLinkType, g.link.offLinkType+rel, size)
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
			return and(test(g.typeLoad(0, 2), bpf.JumpEqual, 4), g.netCmp(0, 1, proto))
		}
		return and(not(test(g.typeLoad(0, 2), bpf.JumpGreaterThan, etherMTU)), g.netCmp(0, 1, proto))
	}
	return test(g.typeLoad(0, 2), bpf.JumpEqual, proto)
}
