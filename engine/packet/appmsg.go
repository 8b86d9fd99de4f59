package packet

import (
	"github.com/wirelark/wirelark/dissectors/kerberos"
	"github.com/wirelark/wirelark/dissectors/smb"
	"github.com/wirelark/wirelark/dissectors/smb2"
)

// Application messages decoded by the project's dissectors (dissectors/*)
// are parsed once per packet and layer, when a field, the Info column or
// a script first asks, and kept with the packet's storage until the next
// frame.

// parsed caches the dissectors' view of one layer.
type parsed struct {
	layer int // index in Packet.Layers
	krb   *kerberos.Message
	smb   []smb.Message
	smb2  []smb2.Message
}

func (p *Packet) parsedOf(l *Layer) *parsed {
	idx := p.layerIndex(l)
	st := p.st
	for i := range st.parsed {
		if st.parsed[i].layer == idx {
			return &st.parsed[i]
		}
	}
	st.parsed = append(st.parsed, parsed{layer: idx})
	c := &st.parsed[len(st.parsed)-1]
	switch l.Proto {
	case ProtoKerberos:
		c.krb, _ = kerberos.Parse(p.Data[l.Hdr:l.End])
	case ProtoSMB:
		c.smb, _ = smb.Parse(p.Data[l.Off:l.End])
	case ProtoSMB2:
		c.smb2, _ = smb2.Parse(p.Data[l.Off:l.End])
	}
	return c
}

// layerIndex is l's position in p.Layers.
func (p *Packet) layerIndex(l *Layer) int {
	for i := range p.Layers {
		if &p.Layers[i] == l {
			return i
		}
	}
	return -1
}
