package trafficgen

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// TestMoveClientPorts checks that copies of a connection never share its
// tuple, even past the ports' cycle, and that the IPv4 checksum stays
// right.
func TestMoveClientPorts(t *testing.T) {
	frame := func() []byte {
		b := make([]byte, 14+20+20)
		binary.BigEndian.PutUint16(b[12:], 0x0800)
		ip := b[14:]
		ip[0], ip[9] = 0x45, 6
		copy(ip[12:], []byte{192, 168, 1, 100})
		copy(ip[16:], []byte{192, 168, 1, 60})
		binary.BigEndian.PutUint16(ip[20:], 36136) // client port
		binary.BigEndian.PutUint16(ip[22:], 445)
		ipChecksum(ip[:20])
		return b
	}
	seen := map[string]int{}
	for _, k := range []int{0, 1, 2, portCycle - 1, portCycle, portCycle + 1, 3 * portCycle, 3*portCycle + 5} {
		b := frame()
		moveClientPorts(b, k)
		ip := b[14:34]
		if dp := binary.BigEndian.Uint16(b[14+22:]); dp != 445 {
			t.Errorf("copy %d: the server port moved to %d", k, dp)
		}
		key := string(ip[12:20]) + string(b[34:38])
		if prev, dup := seen[key]; dup {
			t.Errorf("copies %d and %d share a tuple", prev, k)
		}
		seen[key] = k
		c := append([]byte(nil), ip...)
		ipChecksum(c)
		if !bytes.Equal(c, ip) {
			t.Errorf("copy %d: wrong IPv4 checksum", k)
		}
	}
}
