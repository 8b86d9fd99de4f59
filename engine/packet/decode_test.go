package packet

import (
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

// TestDecodeIntoDropsLargeCopy: a Packet reused for frame after frame (as
// pipelined runs do) does not keep the copy of a large frame once smaller
// ones follow, nor reallocate for frames of ordinary size.
func TestDecodeIntoDropsLargeCopy(t *testing.T) {
	d := NewDecoder()
	var p Packet
	frame := func(n int) *source.Frame {
		return &source.Frame{Data: make([]byte, n), Len: n, LinkType: layers.LinkTypeEthernet}
	}
	d.DecodeInto(frame(1514), &p)
	small := &p.own[0]
	d.DecodeInto(frame(60), &p)
	if &p.own[0] != small {
		t.Error("a small frame after a 1514-byte one reallocated the copy")
	}
	d.DecodeInto(frame(64<<10), &p)
	if cap(p.own) < 64<<10 || len(p.Data) != 64<<10 {
		t.Fatalf("64 KiB frame: copy of %d bytes, cap %d", len(p.Data), cap(p.own))
	}
	d.DecodeInto(frame(1514), &p)
	if cap(p.own) > ownKeep || len(p.Data) != 1514 {
		t.Errorf("after a 64 KiB frame, a 1514-byte one keeps a copy of cap %d (len %d)", cap(p.own), len(p.Data))
	}
}
