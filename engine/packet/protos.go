package packet

// Protocol ids. The order is the order of the registry's tables only.
const (
	ProtoNone ProtoID = iota
	ProtoFrame
	ProtoEth
	ProtoVLAN
	ProtoLLC
	ProtoSLL
	ProtoSLL2
	ProtoNull
	ProtoRadiotap
	ProtoWLAN
	ProtoPPP
	ProtoMPLS
	ProtoARP
	ProtoIP
	ProtoIPv6
	ProtoIPv6HopOpts
	ProtoIPv6Routing
	ProtoIPv6Frag
	ProtoIPv6DstOpts
	ProtoAH
	ProtoESP
	ProtoICMP
	ProtoICMPv6
	ProtoIGMP
	ProtoTCP
	ProtoUDP
	ProtoDNS
	ProtoMDNS
	ProtoLLMNR
	ProtoDHCP
	ProtoData
	ProtoMalformed
	ProtoIEEE8021AD
	ProtoTeredo
	ProtoNBSS
	ProtoSMB
	ProtoSMB2
	ProtoKerberos
	ProtoDHCPv6
	ProtoFTP
	ProtoHTTP
	ProtoSSDP
	numProtos
)

// lazyProto marks protocols decoded only when something asks for them.
var lazyProto = [numProtos]bool{ProtoDNS: true, ProtoMDNS: true, ProtoLLMNR: true, ProtoDHCP: true, ProtoDHCPv6: true, ProtoData: true,
	ProtoNBSS: true, ProtoSMB: true, ProtoSMB2: true, ProtoKerberos: true, ProtoFTP: true, ProtoHTTP: true, ProtoSSDP: true}

// messageProto marks application protocols a packet may carry many
// messages of (a TCP segment full of small SMB2 responses): they may repeat
// more than maxRepeat times.
var messageProto = [numProtos]bool{ProtoDNS: true, ProtoMDNS: true, ProtoLLMNR: true,
	ProtoNBSS: true, ProtoSMB: true, ProtoSMB2: true, ProtoKerberos: true, ProtoHTTP: true}

// fieldProto maps a protocol to the protocol whose fields its layers carry
// (mDNS and LLMNR messages carry dns.* fields, as in Wireshark).
var fieldProto = func() (t [numProtos]ProtoID) {
	for i := range t {
		t[i] = ProtoID(i)
	}
	t[ProtoMDNS] = ProtoDNS
	t[ProtoLLMNR] = ProtoDNS
	t[ProtoSSDP] = ProtoHTTP // SSDP messages carry http.* fields
	return
}()
