package packet

var protoIGMP = register(&Proto{ID: ProtoIGMP, Name: "igmp", Short: "IGMP", Title: "Internet Group Management Protocol"})
