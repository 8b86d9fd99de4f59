package packet

// Protocol-column texts that depend on the message, as Wireshark's.
func init() {
	protoIGMP.Column = IGMPColumn
	protoICMPv6.Column = ICMPv6Column
	protoDHCP.Column = func(p *Packet, l *Layer) string {
		// A message without option 53 is plain BOOTP.
		var buf [1]Value
		if len(Fields.Field("dhcp.option.dhcp").Get(p, l, buf[:0])) == 0 {
			return "BOOTP"
		}
		return "DHCP"
	}
}

// ColumnName is the Protocol column text for layer l.
func (pr *Proto) ColumnName(p *Packet, l *Layer) string {
	if pr.Column != nil {
		if s := pr.Column(p, l); s != "" {
			return s
		}
	}
	if pr.Short != "" {
		return pr.Short
	}
	upper := []byte(pr.Name)
	for i, c := range upper {
		if 'a' <= c && c <= 'z' {
			upper[i] = c - 32
		}
	}
	return string(upper)
}
