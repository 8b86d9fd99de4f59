package packet

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

// FuzzDesegment feeds one TCP conversation on a desegmented port (DNS,
// Kerberos, SMB's 445, HTTP; FTP's 21 follows the sequence too) with the fuzzer's bytes cut into segments whose
// sequence numbers jump, repeat and go back as the input says, and reads
// every field of every packet: nothing may panic, and the bytes held for
// incomplete messages stay within MaxPDUBuffered and are all released
// when the conversation is forgotten.
func FuzzDesegment(f *testing.F) {
	f.Add(uint8(2), []byte{0, 0, 0, 8, 0xfe, 'S', 'M', 'B', 1, 2, 3, 4, 0x03, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 4})
	f.Add(uint8(0), []byte{0, 20, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1, 0x85, 0, 0, 0})
	f.Add(uint8(1), []byte{0, 0, 0, 4, 0x6a, 2, 1, 5, 0x02, 0x80, 0, 0, 1})
	// HTTP: a head and a body cut across segments, one out of order; a
	// chunked body; a body until the end of the connection.
	f.Add(uint8(3), ddCat([]byte{5}, []byte("HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n"), []byte{0x82}, make([]byte, 9), []byte{0x42}, make([]byte, 9), []byte{2}, make([]byte, 9)))
	f.Add(uint8(3), ddCat([]byte{12}, []byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")))
	f.Add(uint8(3), ddCat([]byte{6}, []byte("GET / HTTP/1.1\r\n\r\nHTTP/1.0 200 OK\r\n\r\nbody")))
	f.Add(uint8(4), ddCat([]byte{4}, []byte("AUTH TLS\r\n234 go\r\n")))
	f.Fuzz(func(t *testing.T, port uint8, in []byte) {
		sport := [...]uint16{53, 88, 445, 80, 21}[int(port)%5]
		d := NewDecoder()
		seq := uint32(1000)
		var fr source.Frame
		num := 0
		for len(in) > 0 {
			// Each segment: a control byte (length and a sequence move),
			// then its payload.
			c := in[0]
			in = in[1:]
			n := min(int(c&0x3f)*4+1, len(in))
			switch c >> 6 {
			case 1:
				seq -= uint32(n) // repeat the previous bytes' place
			case 2:
				seq += 7 // a hole
			}
			frame := tcpSeg(true, seq, 1, 0x18, in[:n])
			binary.BigEndian.PutUint16(frame[36:], sport) // destination port
			seq += uint32(n)
			in = in[n:]
			num++
			if c&0x20 != 0 && num > 1 {
				frame[47] |= 0x01 // FIN: ends a body that runs until the close
			}
			fr = source.Frame{Time: int64(num) * 1e6, Len: len(frame), Data: frame, LinkType: layers.LinkTypeEthernet}
			p := d.Decode(&fr)
			ddReadAll(p, Fields.All())
			if b := d.PDUStats().Buffered; b < 0 || b > MaxPDUBuffered {
				t.Fatalf("%d bytes held", b)
			}
		}
		for _, c := range d.tracker.tcp {
			d.tracker.forget(c)
		}
		if b := d.PDUStats().Buffered; b != 0 {
			t.Fatalf("%d bytes still held after the conversations are forgotten", b)
		}
	})
}
