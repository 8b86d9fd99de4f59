package pcaptest

import (
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

// TestWriteReads: what Write writes reads back, frame for frame, with
// its time to the microsecond and its length on the wire.
func TestWriteReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.pcap")
	in := []Frame{
		{Time: 1_700_000_000_123_456_000, Data: []byte{1, 2, 3}},
		{Time: 1_700_000_001_000_001_000, Data: []byte{4, 5}, Wire: 1500},
	}
	Write(t, path, layers.LinkTypeEthernet, in)
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var f source.Frame
	for i, w := range in {
		if err := r.Next(&f); err != nil {
			t.Fatalf("frame %d: %v", i+1, err)
		}
		if f.Time != w.Time || string(f.Data) != string(w.Data) || f.Len != max(w.Wire, len(w.Data)) || f.LinkType != layers.LinkTypeEthernet {
			t.Errorf("frame %d: time %d data %v len %d link %v", i+1, f.Time, f.Data, f.Len, f.LinkType)
		}
	}
	if err := r.Next(&f); err == nil {
		t.Error("a frame more than written")
	}
}

func TestChecksum(t *testing.T) {
	// RFC 1071's example bytes, and an IPv4 header whose checksum field
	// is right: summed with it, the header checks to 0.
	hdr := []byte{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}
	if c := Checksum(hdr); c != 0 {
		t.Errorf("checksum over a valid header %#04x, want 0", c)
	}
	hdr[10], hdr[11] = 0, 0
	if c := Checksum(hdr); c != 0xb861 {
		t.Errorf("checksum %#04x, want 0xb861", c)
	}
	if c := Checksum([]byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}); c != ^uint16(0xddf2) {
		t.Errorf("RFC 1071 example: %#04x, want %#04x", c, ^uint16(0xddf2))
	}
	if c := Checksum([]byte{0xab}); c != ^uint16(0xab00) {
		t.Errorf("odd length: %#04x", c)
	}
}

func TestSetTCPFlags(t *testing.T) {
	var tcp layers.TCP
	SetTCPFlags(&tcp, "SAPFRUEC")
	if !(tcp.SYN && tcp.ACK && tcp.PSH && tcp.FIN && tcp.RST && tcp.URG && tcp.ECE && tcp.CWR) {
		t.Errorf("flags %+v", tcp)
	}
	var none layers.TCP
	SetTCPFlags(&none, "")
	if none.SYN || none.ACK {
		t.Error("flags set from nothing")
	}
}
