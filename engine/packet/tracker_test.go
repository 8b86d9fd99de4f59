package packet

import (
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

// udpFrame is a raw IPv4/UDP datagram from 10.0.0.1:sport to 10.0.0.2:53.
func udpFrame(sport uint16) []byte {
	return []byte{0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		byte(sport >> 8), byte(sport), 0, 53, 0, 8, 0, 0}
}

// TestTrackerForgetsIdleConversations checks that the stream analysis
// keeps its tables bounded on long captures: a conversation silent for
// longer than UDPIdle is forgotten (a later packet gets a new index), a
// busy one keeps its index.
func TestTrackerForgetsIdleConversations(t *testing.T) {
	defer func(n int) { minSweep = n }(minSweep)
	minSweep = 4
	d := NewDecoder()
	stream := func(sport uint16, at int64) int {
		f := source.Frame{Data: udpFrame(sport), Len: 28, LinkType: layers.LinkTypeRaw, Time: at}
		p := d.Decode(&f)
		if !p.UDP.Valid {
			t.Fatalf("no udp.stream for port %d", sport)
		}
		return p.UDP.Stream
	}
	first := stream(1000, 0)
	busy := stream(2000, 0)
	for i := int64(1); i <= 20; i++ {
		// Port 2000 talks every minute; new conversations fill the table
		// until sweeps run.
		stream(2000, i*60e9)
		stream(uint16(3000+i), i*60e9)
	}
	if got := stream(2000, 21*60e9); got != busy {
		t.Errorf("busy conversation changed index: %d, want %d", got, busy)
	}
	if got := stream(1000, 21*60e9); got == first {
		t.Errorf("conversation idle for 21 minutes kept index %d", got)
	}
	// Seen within the last three minutes: ports 3018-3020, 2000 and 1000.
	d.tracker.sweep()
	if n := len(d.tracker.udp); n != 5 {
		t.Errorf("%d UDP conversations held after a sweep, want 5", n)
	}
}
