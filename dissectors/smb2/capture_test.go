package smb2_test

// Reading the SMB2 PDUs of a capture as the engine will hand them over:
// each TCP direction reassembled with engine/reassembly (fed as
// scripting/conntrack.go feeds it), split at the NetBIOS session headers.

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/reassembly"
	"github.com/wirelark/wirelark/engine/source"
)

// sharedPath locates a file of ../shared from the repository root.
func sharedPath(t testing.TB, rel string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(wd, "..", "..", "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not available: %v", p, err)
	}
	return p
}

// pdu is one NBSS session message of a direction.
type pdu struct {
	stream  int
	srcPort uint16
	frame   int // frame that completed it, where tshark shows it
	data    []byte
}

// nbssSplitter cuts one direction's bytes at NetBIOS session headers.
type nbssSplitter struct {
	buf  []byte
	lost bool // a gap: wait for bytes that look like a header again
}

// feed appends bytes and returns the session messages now complete.
func (s *nbssSplitter) feed(data []byte, gap int) [][]byte {
	if gap > 0 {
		s.buf, s.lost = s.buf[:0], true
	}
	s.buf = append(s.buf, data...)
	var out [][]byte
	for len(s.buf) >= 4 {
		typ := s.buf[0]
		n := int(s.buf[1])<<16 | int(s.buf[2])<<8 | int(s.buf[3])
		if s.lost {
			// Resynchronise on a session message holding an SMB header.
			if typ != 0 || len(s.buf) < 8 || s.buf[5] != 'S' || s.buf[6] != 'M' || s.buf[7] != 'B' {
				s.buf = s.buf[1:]
				continue
			}
			s.lost = false
		}
		if len(s.buf) < 4+n {
			break
		}
		if typ == 0 {
			out = append(out, append([]byte(nil), s.buf[4:4+n]...))
		}
		s.buf = s.buf[4+n:]
	}
	return out
}

// capturePDUs returns the NBSS session messages of every TCP connection of
// a capture, in the order they completed.
func capturePDUs(t testing.TB, file string) []pdu {
	t.Helper()
	rd, err := source.Open(file)
	if err != nil {
		t.Skipf("cannot open %s: %v", file, err)
	}
	defer rd.Close()
	type conv struct {
		client uint16 // source port of the first segment's sender (Orig)
		server uint16
		split  [2]nbssSplitter
	}
	convs := map[int]*conv{}
	var out []pdu
	r := reassembly.New(reassembly.Limits{}, func(c reassembly.Chunk) {
		v := convs[c.Stream]
		port := v.client
		if c.Dir == reassembly.Resp {
			port = v.server
		}
		for _, d := range v.split[c.Dir].feed(c.Data, c.Gap) {
			out = append(out, pdu{stream: c.Stream, srcPort: port, frame: c.Frame, data: d})
		}
	})
	dec := packet.NewDecoder()
	var f source.Frame
	for {
		err := rd.Next(&f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Logf("%s: %v", file, err)
			break
		}
		p := dec.Decode(&f)
		if !p.TCP.Valid || !p.TCP.Analysed || p.TCP.Quoted {
			continue
		}
		var l *packet.Layer
		for i := range p.Layers {
			if p.Layers[i].Proto == packet.ProtoTCP && !p.Layers[i].Quoted {
				l = &p.Layers[i]
				break
			}
		}
		if l == nil || l.End-l.Off < 20 || l.Hdr > l.End {
			continue
		}
		d := p.Data[l.Off:]
		sport, dport := uint16(d[0])<<8|uint16(d[1]), uint16(d[2])<<8|uint16(d[3])
		v := convs[p.TCP.Stream]
		if v == nil {
			v = &conv{client: sport, server: dport}
			convs[p.TCP.Stream] = v
		}
		dir := reassembly.Orig
		if sport != v.client || dport != v.server {
			dir = reassembly.Resp
		}
		end := max(min(l.End, l.Hdr+p.TCP.Len), l.Hdr)
		r.Segment(reassembly.Segment{
			Stream:  p.TCP.Stream,
			Dir:     dir,
			Seq:     p.TCP.SeqRel,
			Ack:     p.TCP.AckRel,
			Flags:   reassembly.TCPFlags(d[13]),
			Payload: p.Data[l.Hdr:end],
			Len:     p.TCP.Len,
			Time:    p.Time,
			Frame:   p.Num,
		})
	}
	r.CloseAll()
	return out
}
