package defrag

// Helpers shared by the tests: building IP fragments into frames and
// capture files, reading fragments back out of frames, and asking tshark
// where it reassembled what.

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/pcaptest"
)

// outcome is a completed datagram as both sides describe it: the frame
// that completed it, its length, the fragment frames split as Wireshark's
// ip.fragment and ip.fragment.error fields list them, how many pieces bear
// each flag, and the bytes.
type outcome struct {
	Frame    int
	Len      int
	Frags    []int
	Errs     []int
	Overlap  int
	Conflict int
	Tails    int
	TooLong  int
	Data     string // hex
}

func (o outcome) String() string {
	d := o.Data
	if len(d) > 40 {
		d = d[:40] + "..."
	}
	return fmt.Sprintf("frame %d len %d frags %v errs %v overlap %d conflict %d tails %d toolong %d data %s",
		o.Frame, o.Len, o.Frags, o.Errs, o.Overlap, o.Conflict, o.Tails, o.TooLong, d)
}

func outcomeOf(frame int, r Result) outcome {
	o := outcome{Frame: frame, Len: len(r.Data), Data: hex.EncodeToString(r.Data)}
	for _, p := range r.Pieces {
		if p.Flags.Illegal() {
			o.Errs = append(o.Errs, p.Frame)
		} else {
			o.Frags = append(o.Frags, p.Frame)
		}
		o.Overlap += b2i(p.Flags&Overlap != 0)
		o.Conflict += b2i(p.Flags&Conflict != 0)
		o.Tails += b2i(p.Flags&MultipleTails != 0)
		o.TooLong += b2i(p.Flags&TooLong != 0)
	}
	return o
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sharkFields are asked of tshark, in this order.
var sharkFields = []string{
	"frame.number",
	"ip.reassembled.length", "ip.fragment", "ip.fragment.error", "ip.reassembled.data",
	"ip.fragment.overlap", "ip.fragment.overlap.conflict", "ip.fragment.multipletails", "ip.fragment.toolongfragment",
	"ipv6.reassembled.length", "ipv6.fragment", "ipv6.fragment.error", "ipv6.reassembled.data",
	"ipv6.fragment.overlap", "ipv6.fragment.overlap.conflict", "ipv6.fragment.multipletails", "ipv6.fragment.toolongfragment",
}

// tsharkOutcomes runs tshark (one pass, default preferences, as a
// streaming reader sees the file) and returns the datagrams it reassembled,
// by frame. It skips the test when tshark is missing.
func tsharkOutcomes(t *testing.T, file string) map[int]outcome {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: cannot compare reassembly with Wireshark")
	}
	args := []string{"-n", "-r", file, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range sharkFields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command(path, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v\n%s", file, err, stderr.Bytes())
	}
	res := map[int]outcome{}
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		col := strings.Split(line, "\t")
		if len(col) != len(sharkFields) {
			t.Fatalf("tshark line %q: %d columns, want %d", line, len(col), len(sharkFields))
		}
		frame, _ := strconv.Atoi(col[0])
		for _, c := range [][]string{col[1:9], col[9:17]} {
			if c[0] == "" {
				continue
			}
			if _, dup := res[frame]; dup {
				t.Fatalf("frame %d: two reassembled datagrams", frame)
			}
			n, err := strconv.Atoi(c[0])
			if err != nil {
				t.Fatalf("frame %d: length %q", frame, c[0])
			}
			res[frame] = outcome{Frame: frame, Len: n, Frags: ints(t, c[1]), Errs: ints(t, c[2]), Data: c[3],
				Overlap: count(c[4]), Conflict: count(c[5]), Tails: count(c[6]), TooLong: count(c[7])}
		}
	}
	return res
}

func ints(t *testing.T, s string) []int {
	if s == "" {
		return nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("number list %q", s)
		}
		out = append(out, n)
	}
	return out
}

func count(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, ",") + 1
}

// compareOutcomes reports every difference and returns how many datagrams
// are equal on both sides.
func compareOutcomes(t *testing.T, what string, ours, theirs map[int]outcome) int {
	t.Helper()
	equal := 0
	frames := make([]int, 0, len(ours)+len(theirs))
	for f := range ours {
		frames = append(frames, f)
	}
	for f := range theirs {
		if _, ok := ours[f]; !ok {
			frames = append(frames, f)
		}
	}
	slices.Sort(frames)
	for _, f := range frames {
		o, ok1 := ours[f]
		w, ok2 := theirs[f]
		switch {
		case !ok1:
			t.Errorf("%s: tshark reassembled a datagram in frame %d, we did not: %v", what, f, w)
		case !ok2:
			t.Errorf("%s: we reassembled a datagram in frame %d, tshark did not: %v", what, f, o)
		case fmt.Sprint(o) != fmt.Sprint(w) || o.Data != w.Data:
			t.Errorf("%s: frame %d:\n ours   %v\n tshark %v", what, f, o, w)
		default:
			equal++
		}
	}
	return equal
}

// ipFragment finds the outermost IP header of a frame and returns the
// fragment it carries, under Wireshark's rules for handing one to
// reassembly: IPv4 with more-fragments or an offset, more total length
// than header, all of it captured; IPv6 with a fragment header that is
// not atomic, payload after it, all of it captured. ok is false for
// anything else.
func ipFragment(data []byte, linkType int) (f Fragment, ok bool) {
	var vlan uint16
	switch linkType {
	case 1: // Ethernet
		if len(data) < 14 {
			return f, false
		}
		et := binary.BigEndian.Uint16(data[12:])
		data = data[14:]
		for (et == 0x8100 || et == 0x88a8) && len(data) >= 4 {
			if vlan == 0 {
				vlan = binary.BigEndian.Uint16(data) & 0xfff
			}
			et = binary.BigEndian.Uint16(data[2:])
			data = data[4:]
		}
		if et != 0x0800 && et != 0x86dd {
			return f, false
		}
	case 101, 12, 14: // raw IP
	case 113: // Linux cooked
		if len(data) < 16 {
			return f, false
		}
		data = data[16:]
	default:
		return f, false
	}
	if len(data) < 1 {
		return f, false
	}
	switch data[0] >> 4 {
	case 4:
		if len(data) < 20 {
			return f, false
		}
		hl := int(data[0]&15) * 4
		tl := int(binary.BigEndian.Uint16(data[2:]))
		fo := binary.BigEndian.Uint16(data[6:])
		if fo&0x3fff == 0 || tl <= hl || hl < 20 || len(data) < tl {
			return f, false
		}
		src, dst := [4]byte(data[12:16]), [4]byte(data[16:20])
		k := KeyV4(src, dst, binary.BigEndian.Uint16(data[4:]), data[9])
		if private4(src) || private4(dst) {
			k.VLAN = vlan
		}
		return Fragment{Key: k, Offset: int(fo&0x1fff) * 8, More: fo&0x2000 != 0, Data: data[hl:tl]}, true
	case 6:
		if len(data) < 40 {
			return f, false
		}
		plen := int(binary.BigEndian.Uint16(data[4:]))
		end := 40 + plen
		next, off := data[6], 40
		for {
			switch next {
			case 0, 43, 60, 51:
				if off+2 > end || off+2 > len(data) {
					return f, false
				}
				n := (int(data[off+1]) + 1) * 8
				if next == 51 {
					n = (int(data[off+1]) + 2) * 4
				}
				next = data[off]
				off += n
				continue
			case 44:
				if off+8 > end || end > len(data) {
					return f, false
				}
				fo := binary.BigEndian.Uint16(data[off+2:])
				if fo&0xfff9 == 0 || off+8 >= end {
					return f, false // atomic, or nothing after the header
				}
				k := KeyV6([16]byte(data[8:24]), [16]byte(data[24:40]), binary.BigEndian.Uint32(data[off+4:]))
				return Fragment{Key: k, Offset: int(fo & 0xfff8), More: fo&1 != 0, Data: data[off+8 : end]}, true
			}
			return f, false
		}
	}
	return f, false
}

// private4 is Wireshark's test for mixing the VLAN into an IPv4 key:
// RFC 1918 private or link-local.
func private4(a [4]byte) bool {
	return a[0] == 10 || a[0] == 172 && a[1]&0xf0 == 16 || a[0] == 192 && a[1] == 168 || a[0] == 169 && a[1] == 254
}

// frame4 builds an Ethernet frame with an IPv4 fragment of protocol 253
// (reserved for experiments, so that tshark shows the payload as data).
func frame4(src, dst [4]byte, id uint16, off int, more bool, payload []byte) []byte {
	b := make([]byte, 14+20+len(payload))
	copy(b, []byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00})
	ip := b[14:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+len(payload)))
	binary.BigEndian.PutUint16(ip[4:], id)
	fo := uint16(off / 8)
	if more {
		fo |= 0x2000
	}
	binary.BigEndian.PutUint16(ip[6:], fo)
	ip[8], ip[9] = 64, 253
	copy(ip[12:], src[:])
	copy(ip[16:], dst[:])
	binary.BigEndian.PutUint16(ip[10:], pcaptest.Checksum(ip[:20]))
	copy(ip[20:], payload)
	return b
}

// frame6 builds an Ethernet frame with an IPv6 fragment of next header 253.
func frame6(src, dst [16]byte, id uint32, off int, more bool, payload []byte) []byte {
	b := make([]byte, 14+40+8+len(payload))
	copy(b, []byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x86, 0xdd})
	ip := b[14:]
	ip[0] = 0x60
	binary.BigEndian.PutUint16(ip[4:], uint16(8+len(payload)))
	ip[6], ip[7] = 44, 64
	copy(ip[8:], src[:])
	copy(ip[24:], dst[:])
	fh := ip[40:]
	fh[0] = 253
	fo := uint16(off) &^ 7
	if more {
		fo |= 1
	}
	binary.BigEndian.PutUint16(fh[2:], fo)
	binary.BigEndian.PutUint32(fh[4:], id)
	copy(fh[8:], payload)
	return b
}
