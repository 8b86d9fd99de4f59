package packet

var protoDHCP = register(&Proto{ID: ProtoDHCP, Name: "dhcp", Short: "DHCP", Title: "Dynamic Host Configuration Protocol"})
