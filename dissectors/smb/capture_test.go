package smb_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb"

	"strconv"
	"testing"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// smb1Captures are the shared captures holding SMB1 over TCP.
var smb1Captures = []string{
	"captures/smb1_session.pcap",
	"corpus/smb/smb1_transaction2_request.pcap",
	"corpus/smb/smb1_transaction_request.pcap",
	"corpus/smb/raw_ntlm_in_smb.pcap",
	"corpus/smb/smb_many_open_files_500.pcap.gz",
	"corpus/smb/smb3_negotiate_context.pcap",
	"corpus/kerberos/aduser1.pcap",
	"corpus/kerberos/kerberos_tso.pcapng",
	"corpus/malformed/smb_data_print-segv.pcap",
	"corpus/misc/mapi-with-msnms.pcap",
}

// capPDU is one SMB1 PDU found in a capture, with its messages after
// State.Track.
type capPDU struct {
	stream  int
	srcPort uint16
	frame   int // frame that completed the PDU
	raw     []byte
	msgs    []Message
	err     error
}

// readCapture reassembles every TCP direction of the shared capture rel
// as the engine does, splits NetBIOS session messages, and parses and
// tracks the SMB1 PDUs (one State per connection). It returns the
// capture's path; ok is false when the file is absent.
func readCapture(t testing.TB, rel string) (file string, pdus []capPDU, ok bool) {
	t.Helper()
	file, ok = capturetest.Lookup(rel)
	if !ok {
		return file, nil, false
	}
	states := map[int]*State{}
	for _, r := range capturetest.TCPRecords(t, file, capturetest.NBSS) {
		if r.Header[0] != 0 || len(r.Body) < 4 || string(r.Body[:4]) != "\xffSMB" {
			continue
		}
		st := states[r.Stream]
		if st == nil {
			st = NewState(Limits{})
			states[r.Stream] = st
		}
		msgs, err := Parse(r.Body)
		for i := range msgs {
			st.Track(&msgs[i])
		}
		pdus = append(pdus, capPDU{stream: r.Stream, srcPort: r.Src.Port(), frame: r.Frame, raw: r.Body, msgs: msgs, err: err})
	}
	return file, pdus, true
}

// frameKey names the PDUs one frame completed in one direction, as
// tshark's tcp.stream, tcp.srcport and frame.number do.
type frameKey struct {
	stream int
	port   string
	frame  int
}

// byFrame groups PDUs by the frame that completed them.
func byFrame(pdus []capPDU) map[frameKey][]capPDU {
	m := map[frameKey][]capPDU{}
	for _, p := range pdus {
		k := frameKey{p.stream, strconv.Itoa(int(p.srcPort)), p.frame}
		m[k] = append(m[k], p)
	}
	return m
}
