package capturetest

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/internal/tsharktest"
)

// TestTCPRecordsTshark compares the records TCPRecords finds with the
// NetBIOS session messages and Kerberos record marks tshark shows, frame
// by frame: which frame completes each record, in which connection and
// direction (tcp.stream, tcp.srcport), with what type and length.
func TestTCPRecordsTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	nbssFields := []string{"nbss.type", "nbss.length"}
	rmFields := []string{"kerberos.rm.reserved", "kerberos.rm.length"}
	cases := []struct {
		rel    string
		fr     Framing
		port   uint16   // only connections with this port (0: all)
		fields []string // tshark's fields for the record's type and length
		filter string
		cut    []int // frames the snapshot length cut: tshark shows a header, no record completes
	}{
		{"captures/smb2_session.pcap", NBSS, 0, nbssFields, "nbss", nil},
		{"captures/smb1_session.pcap", NBSS, 0, nbssFields, "nbss", nil},
		{"corpus/smb/smb311.pcap", NBSS, 0, nbssFields, "nbss", nil},
		{"corpus/kerberos/smb2_krb.pcap", NBSS, 0, nbssFields, "nbss", []int{43}},
		{"corpus/kerberos/kerberos_tso.pcapng", RecordMark, 88, rmFields, "kerberos.rm.length", nil},
		{"corpus/kerberos/kinit.pcap", RecordMark, 88, rmFields, "kerberos.rm.length", nil},
	}
	var records, values, equal, cut int
	for _, c := range cases {
		t.Run(c.rel, func(t *testing.T) {
			file, rows := SharkFields(t, bin, c.rel, append([]string{"frame.number", "tcp.stream", "tcp.srcport"}, c.fields...), c.filter)
			want := map[int][]string{}
			for _, r := range rows {
				n, _ := strconv.Atoi(r[0])
				want[n] = r[1:]
			}
			for _, n := range c.cut {
				if _, ok := want[n]; ok {
					cut++
					delete(want, n)
				}
			}
			var recs []Record
			s := NewRecords(c.fr, func(r Record) { recs = append(recs, r) })
			Packets(t, file, func(p *packet.Packet) {
				if l := p.Layer(packet.ProtoTCP); l != nil && l.Hdr-l.Off >= 4 && c.port != 0 {
					h := l.Header(p)
					if binary.BigEndian.Uint16(h) != c.port && binary.BigEndian.Uint16(h[2:]) != c.port {
						return
					}
				}
				s.Add(p)
			})
			s.Close()
			got := map[int][]string{}
			var order []int
			var typ, length = map[int][]string{}, map[int][]string{}
			for _, r := range recs {
				records++
				if _, ok := got[r.Frame]; !ok {
					order = append(order, r.Frame)
				}
				got[r.Frame] = []string{strconv.Itoa(r.Stream), strconv.Itoa(int(r.Src.Port()))}
				if c.fr.Sync != nil {
					typ[r.Frame] = append(typ[r.Frame], fmt.Sprintf("0x%02x", r.Header[0]))
				} else {
					typ[r.Frame] = append(typ[r.Frame], strconv.Itoa(int(r.Header[0]>>7)))
				}
				length[r.Frame] = append(length[r.Frame], strconv.Itoa(len(r.Body)))
			}
			for _, n := range order {
				got[n] = append(got[n], strings.Join(typ[n], ","), strings.Join(length[n], ","))
			}
			fields := append([]string{"tcp.stream", "tcp.srcport"}, c.fields...)
			for n, w := range want {
				g, ok := got[n]
				if !ok {
					t.Errorf("frame %d: tshark shows %v, no record completes here", n, w)
					continue
				}
				v, e := CompareCells(t, n, fields, w, g)
				values += v
				equal += e
			}
			for n := range got {
				if _, ok := want[n]; !ok {
					t.Errorf("frame %d: records %v tshark does not show", n, got[n])
				}
			}
		})
	}
	t.Logf("%d records; %d values compared with tshark, %d equal; %d frames cut by the snapshot length", records, values, equal, cut)
}
