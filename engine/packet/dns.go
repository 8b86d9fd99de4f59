package packet

var protoDNS = register(&Proto{ID: ProtoDNS, Name: "dns", Short: "DNS", Title: "Domain Name System"})

var protoMDNS = register(&Proto{ID: ProtoMDNS, Name: "mdns", Short: "MDNS", Title: "Multicast Domain Name System"})

var protoLLMNR = register(&Proto{ID: ProtoLLMNR, Name: "llmnr", Short: "LLMNR", Title: "Link-local Multicast Name Resolution"})
