package trafficgen

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/wirelark/wirelark/engine/source"
)

// Repeat writes a capture of at least packets packets made of copies of a
// real one (src), one after the other in time: each copy starts a second
// after the previous ends, and its TCP and UDP client ports (those that
// are not the server's: below 1024, or 139, 445, 88) are moved so that
// every copy's connections are new ones (past 9216 copies the client's
// address moves as well). The payloads are the original bytes; TCP and
// UDP checksums are left as they were, which Wireshark does not check by
// default. It is how a large capture of one protocol (an SMB session)
// is made from a small real one for benchmarks. Only Ethernet captures of
// IPv4 are supported.
func Repeat(w io.Writer, src string, packets int) (Stats, error) {
	var st Stats
	frames, err := readAll(src)
	if err != nil {
		return st, err
	}
	if len(frames) == 0 {
		return st, fmt.Errorf("%s: no packets", src)
	}
	span := frames[len(frames)-1].Time - frames[0].Time
	bw := bufio.NewWriterSize(w, 1<<20)
	pw := pcapgo.NewWriterNanos(bw)
	if err := pw.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		return st, err
	}
	buf := make([]byte, 0, 65536)
	for k := 0; st.Packets < packets; k++ {
		shift := int64(k) * (span + 1e9)
		for _, f := range frames {
			if st.Packets >= packets {
				break
			}
			buf = append(buf[:0], f.Data...)
			moveClientPorts(buf, k)
			t := time.Unix(0, f.Time+shift).UTC()
			if err := pw.WritePacket(gopacket.CaptureInfo{Timestamp: t, CaptureLength: len(buf), Length: f.Len}, buf); err != nil {
				return st, err
			}
			if st.Packets == 0 {
				st.First = t
			}
			st.Last = t
			st.Packets++
			st.Bytes += int64(len(buf))
		}
	}
	return st, bw.Flush()
}

type savedFrame struct {
	Time int64
	Len  int
	Data []byte
}

func readAll(name string) ([]savedFrame, error) {
	r, err := source.Open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []savedFrame
	var f source.Frame
	for {
		err := r.Next(&f)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if f.LinkType != layers.LinkTypeEthernet {
			return nil, fmt.Errorf("%s: link type %v: only Ethernet captures can be repeated", name, f.LinkType)
		}
		out = append(out, savedFrame{f.Time, f.Len, append([]byte(nil), f.Data...)})
	}
}

// serverPort reports the ports Repeat leaves alone.
func serverPort(p uint16) bool { return p < 1024 || p == 139 || p == 445 || p == 88 }

// moveClientPorts rewrites, in an Ethernet/IPv4 TCP or UDP frame, the
// client port of copy k.
func moveClientPorts(b []byte, k int) {
	if len(b) < 14+20 || binary.BigEndian.Uint16(b[12:]) != 0x0800 {
		return
	}
	ip := b[14:]
	hl := int(ip[0]&0x0f) * 4
	if (ip[9] != 6 && ip[9] != 17) || len(ip) < hl+4 || binary.BigEndian.Uint16(ip[6:])&0x1fff != 0 {
		return
	}
	tp := ip[hl:]
	// Ports cycle every portCycle copies; past that, the client's
	// address moves too, so no two copies share a connection's tuple.
	epoch := k / portCycle
	for i, off := range []int{0, 2} {
		p := binary.BigEndian.Uint16(tp[off:])
		if serverPort(p) {
			continue
		}
		binary.BigEndian.PutUint16(tp[off:], uint16(1024+(int(p)-1024+k*7)%64512))
		if epoch > 0 {
			addr := ip[12+4*i:] // the source address for the source port
			addr[2] += byte(epoch)
			addr[1] += byte(epoch >> 8)
			ipChecksum(ip[:hl])
		}
	}
}

// portCycle is how many copies moveClientPorts gives distinct ports.
const portCycle = 64512 / 7

// ipChecksum recomputes an IPv4 header's checksum.
func ipChecksum(h []byte) {
	h[10], h[11] = 0, 0
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	binary.BigEndian.PutUint16(h[10:], ^uint16(sum))
}
