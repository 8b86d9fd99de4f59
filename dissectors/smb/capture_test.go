package smb_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb"

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

// sharedDir is the shared capture directory seen from this package.
var sharedDir = filepath.Join("..", "..", "..", "shared")

// smb1Captures are the shared captures holding SMB1 over TCP.
var smb1Captures = []string{
	"captures/smb1_session.pcap",
	"corpus/smb/smb1_transaction2_request.pcap",
	"corpus/smb/smb1_transaction_request.pcap",
	"corpus/smb/raw_ntlm_in_smb.pcap",
	"corpus/smb/smb_many_open_files_500.pcap.gz",
	"corpus/smb/smb3_negotiate_context.pcap",
	"corpus/kerberos/aduser1.pcap",
	"corpus/kerberos/kerberos_tso.pcapng",
	"corpus/malformed/smb_data_print-segv.pcap",
	"corpus/misc/mapi-with-msnms.pcap",
}

// capPDU is one SMB1 PDU found in a capture, with its messages after
// State.Track.
type capPDU struct {
	stream  int
	srcPort uint16
	frame   int // frame that completed the PDU
	raw     []byte
	msgs    []Message
	err     error
}

// dirState is one TCP direction being split into NetBIOS session messages.
type dirState struct {
	port uint16
	buf  []byte
}

// readCapture reassembles every TCP direction of file as the engine does,
// splits NetBIOS session messages, and parses and tracks the SMB1 PDUs
// (one State per connection). ok is false when the file is absent.
func readCapture(t testing.TB, file string) (pdus []capPDU, ok bool) {
	t.Helper()
	rd, err := source.Open(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, false
		}
		t.Fatalf("open %s: %v", file, err)
	}
	defer rd.Close()
	dirs := map[[2]int]*dirState{} // (stream, dir)
	states := map[int]*State{}
	first := map[int][18]byte{} // stream -> first sender
	r := reassembly.New(reassembly.Limits{}, func(ch reassembly.Chunk) {
		d := dirs[[2]int{ch.Stream, int(ch.Dir)}]
		if d == nil {
			return
		}
		if ch.Gap > 0 {
			d.buf = d.buf[:0] // lost bytes: resynchronising is guesswork
		}
		d.buf = append(d.buf, ch.Data...)
		for len(d.buf) >= 4 {
			n := int(d.buf[1])<<16 | int(binary.BigEndian.Uint16(d.buf[2:]))
			if len(d.buf) < 4+n {
				break
			}
			body := d.buf[4 : 4+n]
			if d.buf[0] == 0 && len(body) >= 4 && string(body[:4]) == "\xffSMB" {
				st := states[ch.Stream]
				if st == nil {
					st = NewState(Limits{})
					states[ch.Stream] = st
				}
				raw := append([]byte(nil), body...)
				msgs, err := Parse(raw)
				for i := range msgs {
					st.Track(&msgs[i])
				}
				pdus = append(pdus, capPDU{stream: ch.Stream, srcPort: d.port, frame: ch.Frame, raw: raw, msgs: msgs, err: err})
			}
			d.buf = d.buf[4+n:]
		}
	})
	dec := packet.NewDecoder()
	var f source.Frame
	for {
		if err := rd.Next(&f); err != nil {
			if err != io.EOF {
				t.Logf("%s: %v", file, err)
			}
			break
		}
		p := dec.Decode(&f)
		if !p.TCP.Valid || !p.TCP.Analysed || p.TCP.Quoted {
			continue
		}
		var l, ip *packet.Layer
		for i := range p.Layers {
			switch p.Layers[i].Proto {
			case packet.ProtoIP, packet.ProtoIPv6:
				if ip == nil {
					ip = &p.Layers[i]
				}
			case packet.ProtoTCP:
				if l == nil && !p.Layers[i].Quoted {
					l = &p.Layers[i]
				}
			}
		}
		if l == nil || ip == nil || l.End-l.Off < 20 || l.Hdr > l.End {
			continue
		}
		var src [18]byte
		if ip.Proto == packet.ProtoIP {
			copy(src[:4], p.Data[ip.Off+12:ip.Off+16])
		} else {
			copy(src[:16], p.Data[ip.Off+8:ip.Off+24])
		}
		copy(src[16:], p.Data[l.Off:l.Off+2])
		fs, seen := first[p.TCP.Stream]
		if !seen {
			first[p.TCP.Stream], fs = src, src
		}
		dir := reassembly.Orig
		if src != fs {
			dir = reassembly.Resp
		}
		key := [2]int{p.TCP.Stream, int(dir)}
		if dirs[key] == nil {
			dirs[key] = &dirState{port: binary.BigEndian.Uint16(p.Data[l.Off:])}
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
	r.CloseAll()
	return pdus, true
}
