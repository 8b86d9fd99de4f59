package flow

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

// The fuzz input is 2 bytes of configuration followed by 8-byte packet
// records, serialized with gopacket and decoded by engine/packet.
//
// Configuration: MaxConns 1+b0%8; b1 bit 0 VerifyChecksums, bit 1
// MergeEchoIDs, bits 2-7 the timeouts in seconds (0: defaults).
//
// Record: byte 0 bits 0-1 pick the client's port, bit 2 the direction,
// bits 3-4 the protocol (TCP, UDP, ICMP, raw), bit 5 IPv6, bit 6 a bad
// checksum; byte 1 the TCP flags (ICMP: the type); bytes 2-3 the sequence
// number relative to the sender's ISN, byte 4 the acknowledgement
// relative to the receiver's; byte 5 the payload length; byte 6 the time
// since the previous packet (squared, in milliseconds); byte 7 bit 0 a
// zero window, bits 1-7 the ICMP identifier. A raw record instead takes
// the next byte-5 bytes of the input as an Ethernet frame.
const fuzzHead, fuzzRec = 2, 8

func fuzzConfig(b []byte) Config {
	cfg := Config{MaxConns: 1 + int(b[0]%8), VerifyChecksums: b[1]&1 != 0, MergeEchoIDs: b[1]&2 != 0}
	if s := time.Duration(b[1]>>2) * time.Second; s > 0 {
		cfg.TCPInactivity, cfg.UDPInactivity, cfg.ICMPInactivity = 2*s, s, s
		cfg.AttemptDelay, cfg.CloseDelay, cfg.Linger = s/2, s/3, s/4
	}
	return cfg
}

// fuzzPacket serializes one record; ok is false when the record asks for
// a raw frame, which is then in the bytes that follow.
func fuzzPacket(b *bench, r []byte) []byte {
	fromCli := r[0]&4 == 0
	b.cport = 40000 + uint16(r[0]&3)
	b.v6 = r[0]&0x20 != 0
	payload := make([]byte, r[5])
	var ls []gopacket.SerializableLayer
	switch r[0] >> 3 & 3 {
	case 0:
		eth, ip, nl := b.ipLayers(fromCli, layers.IPProtocolTCP)
		tcp := &layers.TCP{SrcPort: layers.TCPPort(b.cport), DstPort: 80, Window: 1000}
		isn, peer := uint32(cliISN), uint32(srvISN)
		if !fromCli {
			tcp.SrcPort, tcp.DstPort = tcp.DstPort, tcp.SrcPort
			isn, peer = peer, isn
		}
		f := r[1]
		tcp.FIN, tcp.SYN, tcp.RST, tcp.PSH, tcp.ACK, tcp.URG = f&1 != 0, f&2 != 0, f&4 != 0, f&8 != 0, f&16 != 0, f&32 != 0
		tcp.Seq = isn + uint32(r[2])<<8 + uint32(r[3])
		tcp.Ack = peer + uint32(r[4])
		if r[7]&1 != 0 {
			tcp.Window = 0
		}
		tcp.SetNetworkLayerForChecksum(nl)
		ls = []gopacket.SerializableLayer{eth, ip, tcp}
	case 1:
		eth, ip, nl := b.ipLayers(fromCli, layers.IPProtocolUDP)
		u := &layers.UDP{SrcPort: layers.UDPPort(b.cport), DstPort: 53}
		if !fromCli {
			u.SrcPort, u.DstPort = u.DstPort, u.SrcPort
		}
		u.SetNetworkLayerForChecksum(nl)
		ls = []gopacket.SerializableLayer{eth, ip, u}
	default:
		if b.v6 {
			eth, ip, nl := b.ipLayers(fromCli, layers.IPProtocolICMPv6)
			ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(r[1], r[2])}
			ic.SetNetworkLayerForChecksum(nl)
			ls = []gopacket.SerializableLayer{eth, ip, ic, &layers.ICMPv6Echo{Identifier: uint16(r[7] >> 1), SeqNumber: uint16(r[3])}}
		} else {
			eth, ip, _ := b.ipLayers(fromCli, layers.IPProtocolICMPv4)
			ls = []gopacket.SerializableLayer{eth, ip, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(r[1], r[2]), Id: uint16(r[7] >> 1), Seq: uint16(r[3])}}
		}
	}
	data := b.frame(append(ls, gopacket.Payload(payload))...)
	if r[0]&0x40 != 0 && len(data) > 14+ipHdrLen(b.v6)+17 {
		data[14+ipHdrLen(b.v6)+16] ^= 0x5a
	}
	return data
}

// FuzzFlow feeds arbitrary packet sequences: nothing may panic, the table
// never holds more than MaxConns, and after Flush every connection that
// started has ended exactly once.
func FuzzFlow(f *testing.F) {
	rec := func(b0, flags byte, seq uint16, ack, n, dt, x byte) []byte {
		return []byte{b0, flags, byte(seq >> 8), byte(seq), ack, n, dt, x}
	}
	seed := func(head []byte, recs ...[]byte) []byte {
		s := append([]byte(nil), head...)
		for _, r := range recs {
			s = append(s, r...)
		}
		return s
	}
	const syn, ack, fin, rst, psh = 2, 16, 1, 4, 8
	cli, srv := byte(0), byte(4)
	// A whole connection, a refused one, midstream data, a flip, a SYN
	// retried after the attempt delay, DNS, pings, a raw frame.
	f.Add(seed([]byte{7, 0},
		rec(cli, syn, 0, 0, 0, 1, 0), rec(srv, syn|ack, 0, 1, 0, 1, 0), rec(cli, ack, 1, 1, 0, 1, 0),
		rec(cli, psh|ack, 1, 1, 20, 1, 0), rec(srv, psh|ack, 1, 21, 200, 1, 0), rec(srv, psh|ack, 1, 21, 200, 1, 0),
		rec(cli, fin|ack, 21, 201, 0, 1, 0), rec(srv, fin|ack, 201, 22, 0, 1, 0), rec(cli, ack, 22, 202, 0, 3, 0)))
	f.Add(seed([]byte{0, 5}, rec(cli, syn, 0, 0, 0, 1, 0), rec(srv, rst|ack, 0, 1, 0, 1, 0), rec(cli|1, syn, 0, 0, 0, 90, 0), rec(cli|1, syn, 0, 0, 0, 90, 0)))
	f.Add(seed([]byte{3, 0}, rec(srv, syn|ack, 0, 1, 0, 1, 0), rec(srv|0x40, psh|ack, 1, 1, 10, 1, 1), rec(cli|2, psh|ack, 9, 9, 5, 1, 1)))
	f.Add(seed([]byte{7, 1}, rec(8, 0, 0, 0, 30, 1, 0), rec(8|4, 0, 0, 0, 60, 1, 0), rec(8|0x40, 0, 0, 0, 60, 250, 0)))
	f.Add(seed([]byte{7, 2}, rec(16, 8, 0, 0, 56, 1, 14), rec(16|4, 0, 0, 0, 56, 1, 14), rec(16|0x20, 128, 0, 0, 8, 1, 3), rec(16|0x24, 129, 0, 0, 8, 1, 3), rec(16, 3, 3, 0, 28, 1, 0)))
	f.Add(seed([]byte{1, 0}, rec(24, 0, 0, 0, 20, 0, 0), []byte{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 8, 0, 0x45, 0, 0, 20, 0, 0, 0, 0}))
	if data, err := os.ReadFile(filepath.Join(capturesDir, "http_get.pcap")); err == nil {
		// A real connection's frames as raw records.
		r, _ := source.NewReader("http_get.pcap", io.NopCloser(bytes.NewReader(data)))
		s := []byte{7, 0}
		var fr source.Frame
		for i := 0; i < 12 && r != nil; i++ {
			if r.Next(&fr) != nil {
				break
			}
			n := min(len(fr.Data), 255)
			s = append(s, rec(24, 0, 0, 0, byte(n), 1, 0)...)
			s = append(s, fr.Data[:n]...)
		}
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < fuzzHead {
			return
		}
		cfg := fuzzConfig(in)
		b := newBench(t, cfg)
		in = in[fuzzHead:]
		for len(in) >= fuzzRec {
			r := in[:fuzzRec]
			in = in[fuzzRec:]
			dt := time.Duration(int(r[6])*int(r[6])) * time.Millisecond
			var data []byte
			if r[0]>>3&3 == 3 {
				n := min(int(r[5]), len(in))
				data, in = append([]byte(nil), in[:n]...), in[n:]
			} else {
				data = fuzzPacket(b, r)
			}
			b.send(data, dt)
			if n := b.tab.Len(); n > cfg.MaxConns {
				t.Fatalf("%d connections in a table of %d", n, cfg.MaxConns)
			}
		}
		b.tab.Flush()
		b.check()
		st := b.tab.Stats()
		if ends := st.Closed + st.Attempts + st.Inactive + st.Reused + st.Evicted + st.Flushed; ends != st.Conns || st.Conns != uint64(len(b.started)) {
			t.Fatalf("%d connections started, %d events, %d ends counted", st.Conns, len(b.started), ends)
		}
		for _, c := range b.ended {
			_ = c.State()
			_ = c.History()
			_, _ = c.OrigBytes(), c.RespBytes()
		}
	})
}
