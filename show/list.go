package show

import (
	"strconv"
	"strings"

	"github.com/wirelark/wirelark/engine/packet"
)

// Columns are the packet-list columns of one packet.
type Columns struct {
	No       int
	Time     string // seconds since the first packet
	Source   string
	Dest     string
	Protocol string
	Length   int
	Info     string
}

// List computes the packet-list columns, as tshark's default output.
func List(p *packet.Packet) Columns {
	p.Complete()
	c := Columns{No: p.Num, Length: p.Len}
	c.Time = formatRel(p.Rel, p.Nano)
	c.Source, c.Dest = addresses(p)
	top := topLayer(p)
	if top != nil {
		if pr := packet.Fields.ProtoByID(top.Proto); pr != nil {
			c.Protocol = pr.ColumnName(p, top)
		}
	}
	c.Info = info(p, top)
	if p.Malformed != "" {
		if c.Info != "" {
			c.Info += " "
		}
		c.Info += "[Malformed Packet]"
	}
	return c
}

// String formats the columns as one line.
func (c Columns) String() string {
	var b strings.Builder
	n := strconv.Itoa(c.No)
	for i := len(n); i < 5; i++ {
		b.WriteByte(' ')
	}
	b.WriteString(n)
	b.WriteByte(' ')
	for i := len(c.Time); i < 11; i++ {
		b.WriteByte(' ')
	}
	b.WriteString(c.Time)
	b.WriteByte(' ')
	b.WriteString(c.Source)
	b.WriteString(" → ")
	b.WriteString(c.Dest)
	b.WriteByte(' ')
	b.WriteString(c.Protocol)
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(c.Length))
	b.WriteByte(' ')
	b.WriteString(c.Info)
	return b.String()
}

func formatRel(ns int64, nano bool) string {
	s := strconv.FormatFloat(float64(ns)/1e9, 'f', 9, 64)
	if !nano {
		s = s[:len(s)-3]
	}
	return s
}

// skipForTop lists layers that never name a packet in the list: they
// carry no message of their own.
func skipForTop(l *packet.Layer) bool {
	if l.Quoted {
		return true
	}
	switch l.Proto {
	case packet.ProtoData, packet.ProtoMalformed, packet.ProtoIPv6HopOpts, packet.ProtoIPv6Routing,
		packet.ProtoIPv6Frag, packet.ProtoIPv6DstOpts, packet.ProtoFrame:
		return true
	}
	return false
}

func topLayer(p *packet.Packet) *packet.Layer {
	for i := len(p.Layers) - 1; i >= 0; i-- {
		if l := &p.Layers[i]; !skipForTop(l) {
			return l
		}
	}
	return nil
}

// info takes the Info text of the highest layer that sets one.
func info(p *packet.Packet, top *packet.Layer) string {
	for i := len(p.Layers) - 1; i >= 0; i-- {
		l := &p.Layers[i]
		if l.Quoted {
			continue
		}
		pr := packet.Fields.ProtoByID(l.Proto)
		if pr == nil || pr.Info == nil {
			continue
		}
		if s := pr.Info(p, l); s != "" {
			return s
		}
	}
	return ""
}

var (
	fIPSrc   = packet.Fields.Field("ip.src")
	fIPDst   = packet.Fields.Field("ip.dst")
	fIPv6Src = packet.Fields.Field("ipv6.src")
	fIPv6Dst = packet.Fields.Field("ipv6.dst")
	fEthSrc  = packet.Fields.Field("eth.src")
	fEthDst  = packet.Fields.Field("eth.dst")
	fSLLSrc  = packet.Fields.Field("sll.src.eth")
)

// addresses picks the innermost unquoted network-layer addresses, else the
// link-layer ones, as Wireshark's Source and Destination columns.
func addresses(p *packet.Packet) (string, string) {
	var buf [2]packet.Value
	pick := func(l *packet.Layer, sf, df *packet.Field) (string, string, bool) {
		s := sf.Get(p, l, buf[:0])
		if len(s) == 0 {
			return "", "", false
		}
		src := sf.FormatValue(s[0])
		d := df.Get(p, l, buf[:0])
		dst := ""
		if len(d) > 0 {
			dst = df.FormatValue(d[0])
		}
		return src, dst, true
	}
	for i := len(p.Layers) - 1; i >= 0; i-- {
		l := &p.Layers[i]
		if l.Quoted {
			continue
		}
		switch l.Proto {
		case packet.ProtoIP:
			if s, d, ok := pick(l, fIPSrc, fIPDst); ok {
				return s, d
			}
		case packet.ProtoIPv6:
			if s, d, ok := pick(l, fIPv6Src, fIPv6Dst); ok {
				return s, d
			}
		}
	}
	for i := range p.Layers {
		l := &p.Layers[i]
		switch l.Proto {
		case packet.ProtoEth:
			if s, d, ok := pick(l, fEthSrc, fEthDst); ok {
				return macName(s), macName(d)
			}
		case packet.ProtoSLL, packet.ProtoSLL2:
			if s := fSLLSrc.Get(p, l, buf[:0]); len(s) > 0 {
				return fSLLSrc.FormatValue(s[0]), ""
			}
		}
	}
	return "", ""
}

func macName(s string) string {
	if s == "ff:ff:ff:ff:ff:ff" {
		return "Broadcast"
	}
	return s
}
