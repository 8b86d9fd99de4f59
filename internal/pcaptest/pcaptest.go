// Package pcaptest writes the small captures that tests craft packet by
// packet (with gopacket's serializers or by hand), so that every test
// writes them one way: pcap, microsecond timestamps, through gopacket's
// pcapgo writer.
package pcaptest

import (
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Frame is one record: its capture time (nanoseconds since the epoch),
// the bytes captured and, when larger, its length on the wire.
type Frame struct {
	Time int64
	Data []byte
	Wire int
}

// Write writes frames to a pcap file at path with the given link type,
// failing the test on any error.
func Write(tb testing.TB, path string, link layers.LinkType, frames []Frame) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := pcapgo.NewWriter(f)
	err = w.WriteFileHeader(262144, link)
	for _, fr := range frames {
		if err != nil {
			break
		}
		err = w.WritePacket(gopacket.CaptureInfo{
			Timestamp:     time.Unix(0, fr.Time),
			CaptureLength: len(fr.Data),
			Length:        max(fr.Wire, len(fr.Data)),
		}, fr.Data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatalf("writing %s: %v", path, err)
	}
}

// Checksum is the Internet checksum (RFC 1071) of b, as an IPv4 header
// carries it.
func Checksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}

// SetTCPFlags sets the flags named by letters of flags on t: S SYN, A
// ACK, P PSH, F FIN, R RST, U URG, E ECE, C CWR.
func SetTCPFlags(t *layers.TCP, flags string) {
	for _, c := range flags {
		switch c {
		case 'S':
			t.SYN = true
		case 'A':
			t.ACK = true
		case 'P':
			t.PSH = true
		case 'F':
			t.FIN = true
		case 'R':
			t.RST = true
		case 'U':
			t.URG = true
		case 'E':
			t.ECE = true
		case 'C':
			t.CWR = true
		}
	}
}
