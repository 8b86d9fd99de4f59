package conformance

import (
	"encoding/binary"
	"sort"
	"strconv"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// trackerColumns reads the capture-wide analysis (packet.TCPInfo and
// UDPInfo) as tshark shows it, whatever the fields' getters make of it.
func trackerColumns() map[string]getter {
	// Wireshark stops after the sequence number when the header length is
	// bogus (below 20).
	whole := func(p *packet.Packet) (flags uint16, ok bool) {
		l := p.Layer(packet.ProtoTCP)
		if l == nil || l.Off+14 > len(p.Data) || p.Data[l.Off+12]>>4 < 5 {
			return 0, false
		}
		return binary.BigEndian.Uint16(p.Data[l.Off+12:]), true
	}
	return map[string]getter{
		"tcp.stream": func(p *packet.Packet, dst []byte) []byte {
			if p.TCP.Valid {
				dst = strconv.AppendInt(dst, int64(p.TCP.Stream), 10)
			}
			return dst
		},
		"tcp.seq": func(p *packet.Packet, dst []byte) []byte {
			if p.TCP.Valid {
				return strconv.AppendUint(dst, uint64(p.TCP.SeqRel), 10)
			}
			// A TCP header quoted in an ICMP error with too few bytes for
			// a conversation still shows its raw sequence number.
			if l := p.Layer(packet.ProtoTCP); l != nil && l.Quoted && l.Off+8 <= l.End {
				dst = strconv.AppendUint(dst, uint64(binary.BigEndian.Uint32(p.Data[l.Off+4:])), 10)
			}
			return dst
		},
		"tcp.ack": func(p *packet.Packet, dst []byte) []byte {
			if _, ok := whole(p); ok && p.TCP.Valid {
				dst = strconv.AppendUint(dst, uint64(p.TCP.AckRel), 10)
			}
			return dst
		},
		"tcp.len": func(p *packet.Packet, dst []byte) []byte {
			if p.TCP.Valid && p.TCP.Analysed {
				dst = strconv.AppendInt(dst, int64(p.TCP.Len), 10)
			}
			return dst
		},
		"tcp.nxtseq": func(p *packet.Packet, dst []byte) []byte {
			flags, ok := whole(p)
			if !ok || !p.TCP.Valid || !p.TCP.Analysed {
				return dst
			}
			next := p.TCP.SeqRel + uint32(p.TCP.Len)
			if flags&0x03 != 0 {
				next++ // SYN and FIN count as one byte
			}
			return strconv.AppendUint(dst, uint64(next), 10)
		},
		"udp.stream": func(p *packet.Packet, dst []byte) []byte {
			if p.UDP.Valid {
				dst = strconv.AppendInt(dst, int64(p.UDP.Stream), 10)
			}
			return dst
		},
	}
}

// trackerCols selects the columns of ref that trackerColumns reads. They
// are named "FIELD#tracker": an allow-list entry for a field's getter
// ("tcp.ack") does not cover the tracker, one for the data ("tcp.*")
// does.
func trackerCols(ref *reference) ([]*column, int) {
	tracker := trackerColumns()
	cols := make([]*column, len(ref.header))
	n := 0
	for i, h := range ref.header {
		if g := tracker[h]; g != nil {
			cols[i] = &column{h + "#tracker", g}
			n++
		}
	}
	return cols, n
}

// TestTracker compares the capture-wide analysis with tshark's stream
// indexes and relative sequence numbers.
func TestTracker(t *testing.T) {
	jobs := loadJobs(t)
	al := loadAllow(t)
	sum := &summary{byField: map[string]*tally{}}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			if j.ref == nil {
				t.Fatal(j.err)
			}
			if cols, n := trackerCols(j.ref); n > 0 {
				compareFile(t, al, sum, j.name, j.path, j.ref, cols)
			}
		})
	}
	report(t, "tracker vs tshark", sum)
}

// TestTrackerNoDefrag checks the tracker on the captures that hold IP
// fragments, with defragmentation off on both sides: a first fragment's
// transport header joins its conversation but gets no sequence analysis.
// No difference is allowed here.
func TestTrackerNoDefrag(t *testing.T) {
	bin := findTshark()
	if bin == "" {
		t.Skip("tshark is not installed")
	}
	run := map[string]string{}
	for _, j := range loadJobs(t) {
		if hasFragments(t, j.path) {
			run[j.name] = j.path
		}
	}
	if len(run) == 0 {
		t.Fatal("no capture with IP fragments found")
	}
	ts := &tshark{bin: bin, dir: t.TempDir(), fields: append([]string{"frame.number"}, extraFields...),
		opts: []string{"-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"}}
	res := ts.run(run)
	none := &allowList{}
	sum := &summary{byField: map[string]*tally{}}
	names := make([]string, 0, len(run))
	for name := range run {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ref, msg := res[name].table(name, true)
			if ref == nil {
				t.Fatal(msg)
			}
			cols, _ := trackerCols(ref)
			compareFileWith(t, none, sum, name, run[name], ref, cols, false)
		})
	}
	report(t, "tracker vs tshark without defragmentation", sum)
}

// hasFragments reports whether a capture holds an IPv4 or IPv6 fragment.
func hasFragments(t *testing.T, name string) bool {
	r, err := source.Open(name)
	if err != nil {
		return false
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var f source.Frame
	for r.Next(&f) == nil {
		p := dec.Decode(&f)
		for _, l := range p.Layers {
			switch {
			case l.Proto == packet.ProtoIPv6Frag:
				return true
			case l.Proto == packet.ProtoIP && l.Off+8 <= len(p.Data):
				if binary.BigEndian.Uint16(p.Data[l.Off+6:])&0x3fff != 0 {
					return true
				}
			}
		}
	}
	return false
}
