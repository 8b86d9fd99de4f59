package reassembly

import (
	"encoding/binary"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/internal/pcaptest"
)

// TestCasesAgainstTshark writes the crafted cases into one capture, one
// connection each, and checks that Follow TCP Stream shows what the
// Reassembler delivers when fed by the decoder. A case's Close is not in
// the capture: the Reassembler is closed there, as when a connection
// times out before more of its segments come.
func TestCasesAgainstTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: cannot compare with Follow TCP Stream")
	}
	var frames []pcaptest.Frame
	var ids []int
	closeAfter := map[int]bool{}
	for ci, c := range cases {
		if c.noShark != "" {
			continue
		}
		ids = append(ids, len(ids))
		for i, s := range c.steps {
			if s.close {
				// Not in the capture: the Reassembler is closed after
				// the frame before, as when a connection times out.
				closeAfter[len(frames)] = true
				continue
			}
			flags := s.flags
			if s.ack != 0 && !s.noACK {
				flags |= ACK
			}
			f := tcpFrame(ci, s.dir, s.seq, s.ack, flags, []byte(s.data), s.len)
			frames = append(frames, pcaptest.Frame{Time: int64(ci)*1e9 + int64(i)*1e6, Data: f, Wire: len(f) + max(0, s.len-len(s.data))})
		}
	}
	file := filepath.Join(t.TempDir(), "cases.pcap")
	pcaptest.Write(t, file, layers.LinkTypeEthernet, frames)
	theirs, err := followFile(tshark, file, ids)
	if err != nil {
		t.Fatal(err)
	}
	a := compareFile(t, rawSeq, sharkFile{path: file, required: true, closeAfter: closeAfter}, theirs)
	if a.streams != len(ids) || a.equal != len(ids) {
		t.Errorf("%d cases, %d compared, %d equal", len(ids), a.streams, a.equal)
	}
	t.Logf("%d crafted cases compared with tshark: %d equal, %d piece for piece", a.streams, a.equal, a.pieces)
}

// tcpFrame builds an Ethernet/IPv4/TCP frame of case ci. The payload's
// tail past what is captured is left out when wire says it is longer.
func tcpFrame(ci int, dir Dir, seq, ack uint32, flags Flags, payload []byte, wire int) []byte {
	wire = max(wire, len(payload))
	b := make([]byte, 14+20+20+len(payload))
	copy(b, []byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00})
	ip := b[14:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(40+wire))
	ip[8], ip[9] = 64, 6
	cli, srv := []byte{10, 0, byte(ci >> 8), byte(ci)}, []byte{10, 1, 0, 1}
	cport, sport := uint16(20000+ci), uint16(80)
	if dir == Resp {
		cli, srv, cport, sport = srv, cli, sport, cport
	}
	copy(ip[12:], cli)
	copy(ip[16:], srv)
	binary.BigEndian.PutUint16(ip[10:], pcaptest.Checksum(ip[:20]))
	tcp := ip[20:]
	binary.BigEndian.PutUint16(tcp[0:], cport)
	binary.BigEndian.PutUint16(tcp[2:], sport)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	binary.BigEndian.PutUint32(tcp[8:], ack)
	tcp[12] = 5 << 4
	tcp[13] = byte(flags&(FIN|SYN|RST)) | byte(flags&ACK)<<1
	binary.BigEndian.PutUint16(tcp[14:], 65535)
	copy(tcp[20:], payload)
	return b
}
