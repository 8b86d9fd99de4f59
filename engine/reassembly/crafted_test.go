package reassembly

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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
	var frames []pcapFrame
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
			frames = append(frames, pcapFrame{time: int64(ci)*1e9 + int64(i)*1e6, data: f, wire: len(f) + max(0, s.len-len(s.data))})
		}
	}
	file := filepath.Join(t.TempDir(), "cases.pcap")
	writePcap(t, file, frames)
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
	binary.BigEndian.PutUint16(ip[10:], checksum(ip[:20]))
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

func checksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}

// pcapFrame is a frame for writePcap; wire is its length on the wire.
type pcapFrame struct {
	time int64 // ns
	data []byte
	wire int
}

// writePcap writes an Ethernet pcap with microsecond timestamps.
func writePcap(t *testing.T, name string, frames []pcapFrame) {
	t.Helper()
	var b bytes.Buffer
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 262144)
	binary.LittleEndian.PutUint32(hdr[20:], 1)
	b.Write(hdr)
	for _, f := range frames {
		rec := make([]byte, 16)
		binary.LittleEndian.PutUint32(rec[0:], uint32(f.time/1e9))
		binary.LittleEndian.PutUint32(rec[4:], uint32(f.time%1e9/1e3))
		binary.LittleEndian.PutUint32(rec[8:], uint32(len(f.data)))
		binary.LittleEndian.PutUint32(rec[12:], uint32(max(f.wire, len(f.data))))
		b.Write(rec)
		b.Write(f.data)
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
