package packet

import "testing"

var ftpCaptures = []string{
	"captures/ftp_session.pcap",
	"captures/ftp_active.pcap",
	"corpus/ftp/bigtransfer.pcap",
	"corpus/ftp/bruteforce.pcap",
	"corpus/ftp/ftp-auth-tls.pcap",
	"corpus/ftp/ftp-invalid-reply-code.pcap",
	"corpus/ftp/retr.pcap",
}

// TestFTPAgainstTshark compares the ftp fields and Info column with
// tshark's.
func TestFTPAgainstTshark(t *testing.T) {
	ddCompare(t, ftpCaptures, ddRegistered("ftp"), []ProtoID{ProtoFTP}, []ddAllow{ddMissing})
}
