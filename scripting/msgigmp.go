package scripting

import (
	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// IGMP messages (igmp_msg), versions 1 to 3: version, type, type_name,
// group, the group records of a v3 report and the sources of a v3 query.

var (
	fIGMPVersion = field("igmp.version")
	fIGMPType    = field("igmp.type")
	fIGMPGroup   = field("igmp.maddr")
	fIGMPNumSrc  = field("igmp.num_src")
	fIGMPSource  = field("igmp.saddr")
	fIGMPRecType = field("igmp.record_type")
)

var igmpKind = newKind("igmp_msg", "on_igmp", addIPAttrs(map[string]msgAttr{
	"version":   func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value { return m.one(p, l, fIGMPVersion) },
	"type":      func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value { return m.one(p, l, fIGMPType) },
	"type_name": igmpTypeName,
	"group":     igmpGroup,
	"records":   igmpRecords,
	"sources":   igmpSources,
}, false))

func igmpReportV3(m *Msg, p *packet.Packet, l *packet.Layer) bool {
	t, _ := m.uintOf(p, l, fIGMPType)
	return t == 0x22
}

func igmpTypeName(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	t, ok := m.uintOf(p, l, fIGMPType)
	if !ok {
		return starlark.None
	}
	return starlark.String(nameOr(igmpTypes, t, "type-0x%02x"))
}

// igmpGroup is the group a query, report or leave names (0.0.0.0 in a
// general query); None in a v3 report, whose records name the groups.
func igmpGroup(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	if igmpReportV3(m, p, l) {
		return starlark.None
	}
	return m.one(p, l, fIGMPGroup)
}

// igmpRecords lists a v3 report's group records (empty for other
// messages).
func igmpRecords(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	if !igmpReportV3(m, p, l) {
		return starlark.NewList(nil)
	}
	return groupRecords(m.own(p, l, fIGMPRecType), fIGMPRecType, m.own(p, l, fIGMPGroup), fIGMPGroup,
		m.own(p, l, fIGMPNumSrc), m.own(p, l, fIGMPSource), fIGMPSource)
}

// igmpSources lists the sources of a v3 group-and-source-specific query
// (empty for other messages).
func igmpSources(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	if igmpReportV3(m, p, l) {
		return starlark.NewList(nil)
	}
	return m.list(p, l, fIGMPSource)
}
