package packet

import "testing"

var kerberosCaptures = []string{
	"captures/kerberos.pcap",
	"captures/mixed_office.pcap",
	"corpus/kerberos/aduser1.pcap",
	"corpus/kerberos/kinit.pcap",
	"corpus/kerberos/kerberos_tso.pcapng",
	"corpus/kerberos/smb2_krb.pcap",
}

func init() {
	ddMalformedNames[ProtoKerberos] = "KRB5"
	ddMalformed[ProtoKerberos] = func(p *Packet, l *Layer) string {
		if l.Bad {
			return "bad"
		}
		return ""
	}
}

// TestKerberosAgainstTshark compares every registered kerberos field, per
// frame, over UDP and desegmented TCP, with tshark's.
func TestKerberosAgainstTshark(t *testing.T) {
	allow := []ddAllow{
		{file: "corpus/kerberos/aduser1.pcap", field: "*", frames: []int{46},
			reason: "not decoded in this release: Kerberos inside SPNEGO in an LDAP bind"},
		{file: "corpus/kerberos/kerberos_tso.pcapng", field: ddInfoField, frames: []int{35, 37, 118, 120, 157, 159, 241, 243},
			reason: "Kerberos inside an SMB2 session setup: the frame's Info is SMB2's"},
		{file: "corpus/kerberos/smb2_krb.pcap", field: ddInfoField, frames: []int{12, 14},
			reason: "Kerberos inside an SMB2 session setup: the frame's Info is SMB2's"},
		{file: "corpus/kerberos/kinit.pcap", field: "kerberos.realm", frames: []int{221},
			reason: "an AS-REQ with PKINIT and FAST padata: tshark also lists the realm inside PA-PK-AS-REQ, which the dissector does not open"},
		ddMissing,
	}
	ddCompare(t, kerberosCaptures, ddRegistered("kerberos"), []ProtoID{ProtoKerberos}, allow)
}
