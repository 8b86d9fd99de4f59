package kerberos_test

// Reading Kerberos messages out of the shared captures, as the engine
// does: the UDP payload for UDP port 88; for TCP port 88 each direction
// reassembled by engine/reassembly (fed as scripting/conntrack.go's
// segment does) and split into records at the 4-byte record marks.

import (
	. "github.com/wirelark/wirelark/dissectors/kerberos"

	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/reassembly"
	"github.com/wirelark/wirelark/engine/source"
)

// sharedRoot is ../shared beside the repository, seen from this package.
var sharedRoot = filepath.Join("..", "..", "..", "shared")

// sharedFile returns the path of a shared capture, or skips the test when
// it is absent.
func sharedFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(sharedRoot, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("capture %s not found: %v", p, err)
	}
	return p
}

// wire is one Kerberos message as found in a capture.
type wire struct {
	frame int
	tcp   bool
	data  []byte
}

// port88Messages returns the Kerberos messages on UDP and TCP port 88 of a
// capture, in the order their last byte arrived.
func port88Messages(t testing.TB, file string) []wire {
	t.Helper()
	rd, err := source.Open(file)
	if err != nil {
		t.Fatalf("open %s: %v", file, err)
	}
	defer rd.Close()

	var out []wire
	type dirKey struct {
		stream int
		dir    reassembly.Dir
	}
	bufs := map[dirKey][]byte{}
	client := map[int][2]uint16{} // per tcp.stream: ports of the first sender
	r := reassembly.New(reassembly.Limits{}, func(c reassembly.Chunk) {
		k := dirKey{c.Stream, c.Dir}
		if c.Gap > 0 {
			bufs[k] = nil // a hole loses the record boundary: start afresh
		}
		b := append(bufs[k], c.Data...)
		for len(b) >= 4 {
			n := int(binary.BigEndian.Uint32(b) & 0x7fffffff)
			if len(b) < 4+n {
				break
			}
			out = append(out, wire{frame: c.Frame, tcp: true, data: append([]byte(nil), b[4:4+n]...)})
			b = b[4+n:]
		}
		bufs[k] = append([]byte(nil), b...)
	})

	dec := packet.NewDecoder()
	var f source.Frame
	for {
		err := rd.Next(&f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", file, err)
		}
		p := dec.Decode(&f)
		for i := range p.Layers {
			l := &p.Layers[i]
			if l.Proto != packet.ProtoUDP && l.Proto != packet.ProtoTCP {
				continue
			}
			if l.Quoted || l.Hdr > l.End || l.Hdr-l.Off < 8 {
				continue
			}
			sp := binary.BigEndian.Uint16(p.Data[l.Off:])
			dp := binary.BigEndian.Uint16(p.Data[l.Off+2:])
			if sp != 88 && dp != 88 {
				continue
			}
			switch l.Proto {
			case packet.ProtoUDP:
				if pl := l.Payload(p); len(pl) > 0 {
					out = append(out, wire{frame: p.Num, data: append([]byte(nil), pl...)})
				}
			case packet.ProtoTCP:
				if !p.TCP.Valid || !p.TCP.Analysed || p.TCP.Quoted || l.Hdr-l.Off < 20 {
					continue
				}
				ports := [2]uint16{sp, dp}
				first, ok := client[p.TCP.Stream]
				if !ok {
					client[p.TCP.Stream] = ports
					first = ports
				}
				dir := reassembly.Orig
				if ports != first {
					dir = reassembly.Resp
				}
				end := max(min(l.End, l.Hdr+p.TCP.Len), l.Hdr)
				r.Segment(reassembly.Segment{
					Stream:  p.TCP.Stream,
					Dir:     dir,
					Seq:     p.TCP.SeqRel,
					Ack:     p.TCP.AckRel,
					Flags:   reassembly.TCPFlags(p.Data[l.Off+13]),
					Payload: p.Data[l.Hdr:end],
					Len:     p.TCP.Len,
					Time:    p.Time,
					Frame:   p.Num,
				})
			}
			break
		}
	}
	r.CloseAll()
	return out
}

// gssTokens finds the Kerberos GSS-API tokens in a capture's frames by
// their framing: an [APPLICATION 0] header followed by a Kerberos OID,
// each decoded by ParseGSS. It needs no SMB or LDAP decoding, so it finds
// only tokens carried whole in one frame.
func gssTokens(t testing.TB, file string) (frames []int, tokens [][]byte) {
	t.Helper()
	rd, err := source.Open(file)
	if err != nil {
		t.Fatalf("open %s: %v", file, err)
	}
	defer rd.Close()
	oids := [][]byte{
		{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02},
		{0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02},
	}
	var f source.Frame
	for n := 1; ; n++ {
		err := rd.Next(&f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", file, err)
		}
		for _, oid := range oids {
			for off := 0; ; {
				i := bytes.Index(f.Data[off:], oid)
				if i < 0 {
					break
				}
				i += off
				off = i + 1
				// The OID follows a short or a one/two-byte long length.
				for _, hdr := range []int{2, 3, 4} {
					if i-hdr < 0 || f.Data[i-hdr] != 0x60 {
						continue
					}
					if _, err := ParseGSS(f.Data[i-hdr:]); err == nil {
						frames = append(frames, n)
						tokens = append(tokens, append([]byte(nil), f.Data[i-hdr:]...))
						break
					}
				}
			}
		}
	}
	return frames, tokens
}
