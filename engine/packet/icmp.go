package packet

var protoICMP = register(&Proto{ID: ProtoICMP, Name: "icmp", Short: "ICMP", Title: "Internet Control Message Protocol"})

var protoICMPv6 = register(&Proto{ID: ProtoICMPv6, Name: "icmpv6", Short: "ICMPv6", Title: "Internet Control Message Protocol v6"})
