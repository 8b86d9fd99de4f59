package kerberos_test

// Reading Kerberos messages out of the shared captures, as the engine
// does: the UDP payload for UDP port 88; for TCP port 88 each direction
// reassembled and split into records at the 4-byte record marks by
// internal/capturetest.

import (
	. "github.com/wirelark/wirelark/dissectors/kerberos"

	"bytes"
	"encoding/binary"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/capturetest"
)

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
	var out []wire
	tcp := capturetest.NewRecords(capturetest.RecordMark, func(r capturetest.Record) {
		out = append(out, wire{frame: r.Frame, tcp: true, data: r.Body})
	})
	capturetest.Packets(t, file, func(p *packet.Packet) {
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
			if l.Proto == packet.ProtoTCP {
				tcp.Add(p)
			} else if pl := l.Payload(p); len(pl) > 0 {
				out = append(out, wire{frame: p.Num, data: append([]byte(nil), pl...)})
			}
			return
		}
	})
	tcp.Close()
	return out
}

// gssTokens finds the Kerberos GSS-API tokens in a capture's frames by
// their framing: an [APPLICATION 0] header followed by a Kerberos OID,
// each decoded by ParseGSS. It needs no SMB or LDAP decoding, so it finds
// only tokens carried whole in one frame.
func gssTokens(t testing.TB, file string) (frames []int, tokens [][]byte) {
	t.Helper()
	oids := [][]byte{
		{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02},
		{0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02},
	}
	capturetest.Frames(t, file, func(n int, f *source.Frame) {
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
	})
	return frames, tokens
}
