package smb2_test

// Reading the SMB2 PDUs of a capture as the engine will hand them over:
// each TCP direction reassembled and split at the NetBIOS session headers
// by internal/capturetest.

import (
	"testing"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// pdu is one NBSS session message of a direction.
type pdu struct {
	stream  int
	srcPort uint16
	frame   int // frame that completed it, where tshark shows it
	data    []byte
}

// capturePDUs returns the NBSS session messages of every TCP connection of
// a capture, in the order they completed.
func capturePDUs(t testing.TB, file string) []pdu {
	t.Helper()
	var out []pdu
	for _, r := range capturetest.TCPRecords(t, file, capturetest.NBSS) {
		if r.Header[0] == 0 { // a session message, not a keep-alive
			out = append(out, pdu{stream: r.Stream, srcPort: r.Src.Port(), frame: r.Frame, data: r.Body})
		}
	}
	return out
}
