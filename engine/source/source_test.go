package source

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// Small capture files built in memory: the tests need exact control of
// every byte and offset.

type rec struct {
	sec, frac uint32 // seconds and micro- (or nano-) seconds
	data      []byte
}

// payload makes n bytes that identify frame i.
func payload(i, n int) []byte {
	b := make([]byte, n)
	for j := range b {
		b[j] = byte(i*31 + j)
	}
	return b
}

// pcapFile builds a classic little-endian microsecond pcap (Ethernet).
func pcapFile(recs ...rec) []byte {
	b := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0}
	for _, r := range recs {
		b = binary.LittleEndian.AppendUint32(b, r.sec)
		b = binary.LittleEndian.AppendUint32(b, r.frac)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(r.data)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(r.data)))
		b = append(b, r.data...)
	}
	return b
}

// pcapRecOff is the offset of record i (0-based) in pcapFile(recs...).
func pcapRecOff(recs []rec, i int) int64 {
	off := int64(24)
	for _, r := range recs[:i] {
		off += 16 + int64(len(r.data))
	}
	return off
}

// ngBlock builds a little-endian pcapng block.
func ngBlock(typ uint32, body []byte) []byte {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	n := uint32(12 + len(body))
	b := binary.LittleEndian.AppendUint32(nil, typ)
	b = binary.LittleEndian.AppendUint32(b, n)
	b = append(b, body...)
	return binary.LittleEndian.AppendUint32(b, n)
}

func ngSHB() []byte {
	body := binary.LittleEndian.AppendUint32(nil, ngByteOrderMagic)
	body = binary.LittleEndian.AppendUint16(body, 1)
	body = binary.LittleEndian.AppendUint16(body, 0)
	body = binary.LittleEndian.AppendUint64(body, ^uint64(0))
	return ngBlock(ngSectionHeader, body)
}

// ngIDB describes an interface; tsresol 0 means the default (µs).
func ngIDB(link layers.LinkType, tsresol byte) []byte {
	body := binary.LittleEndian.AppendUint16(nil, uint16(link))
	body = binary.LittleEndian.AppendUint16(body, 0)
	body = binary.LittleEndian.AppendUint32(body, 0)
	if tsresol != 0 {
		body = append(body, ngOptIfTsresol, 0, 1, 0, tsresol, 0, 0, 0)
		body = append(body, 0, 0, 0, 0)
	}
	return ngBlock(ngInterfaceDesc, body)
}

// ngEPB is an enhanced packet block; ts is in the interface's units.
func ngEPB(iface uint32, ts uint64, data []byte) []byte {
	body := binary.LittleEndian.AppendUint32(nil, iface)
	body = binary.LittleEndian.AppendUint32(body, uint32(ts>>32))
	body = binary.LittleEndian.AppendUint32(body, uint32(ts))
	body = binary.LittleEndian.AppendUint32(body, uint32(len(data)))
	body = binary.LittleEndian.AppendUint32(body, uint32(len(data)))
	body = append(body, data...)
	return ngBlock(ngEnhancedPacket, body)
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func threeRecs() []rec {
	return []rec{{10, 1, payload(0, 60)}, {11, 2, payload(1, 70)}, {12, 3, payload(2, 80)}}
}

// ngThree is a pcapng file of three packets and the offsets of its
// packet blocks.
func ngThree() ([]byte, []int64) {
	b := append(ngSHB(), ngIDB(layers.LinkTypeEthernet, 0)...)
	var offs []int64
	for i := range 3 {
		offs = append(offs, int64(len(b)))
		b = append(b, ngEPB(0, uint64(1_000_000*(i+1)), payload(i, 60+10*i))...)
	}
	return b, offs
}

func TestReadGood(t *testing.T) {
	recs := threeRecs()
	ng, ngOffs := ngThree()
	nano := pcapFile(recs...)
	copy(nano, []byte{0x4d, 0x3c, 0xb2, 0xa1})
	be := []byte{0xa1, 0xb2, 0xc3, 0xd4, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 113}
	for _, r := range recs {
		be = binary.BigEndian.AppendUint32(be, r.sec)
		be = binary.BigEndian.AppendUint32(be, r.frac)
		be = binary.BigEndian.AppendUint32(be, uint32(len(r.data)))
		be = binary.BigEndian.AppendUint32(be, uint32(len(r.data)+100))
		be = append(be, r.data...)
	}
	nsIDB := append(ngSHB(), ngIDB(layers.LinkTypeRaw, 9)...)
	nsOff := int64(len(nsIDB))
	nsIDB = append(nsIDB, ngEPB(0, 1_500_000_000_123456789, payload(0, 20))...)

	type want struct {
		time   int64
		wire   int
		link   layers.LinkType
		offset int64
	}
	tests := []struct {
		name   string
		data   []byte
		format string
		want   []want
	}{
		{"pcap µs", pcapFile(recs...), "pcap", []want{{10e9 + 1e3, 60, 1, 24}, {11e9 + 2e3, 70, 1, 100}, {12e9 + 3e3, 80, 1, 186}}},
		{"pcap ns", nano, "pcap", []want{{10e9 + 1, 60, 1, 24}, {11e9 + 2, 70, 1, 100}, {12e9 + 3, 80, 1, 186}}},
		{"pcap big-endian, SLL, wire length > captured", be, "pcap", []want{{10e9 + 1e3, 160, 113, 24}, {11e9 + 2e3, 170, 113, 100}, {12e9 + 3e3, 180, 113, 186}}},
		{"pcap gzip", gzipped(pcapFile(recs...)), "pcap+gzip", []want{{10e9 + 1e3, 60, 1, 24}, {11e9 + 2e3, 70, 1, 100}, {12e9 + 3e3, 80, 1, 186}}},
		{"pcapng", ng, "pcapng", []want{{1e9, 60, 1, ngOffs[0]}, {2e9, 70, 1, ngOffs[1]}, {3e9, 80, 1, ngOffs[2]}}},
		{"pcapng gzip", gzipped(ng), "pcapng+gzip", []want{{1e9, 60, 1, ngOffs[0]}, {2e9, 70, 1, ngOffs[1]}, {3e9, 80, 1, ngOffs[2]}}},
		{"pcapng ns resolution, raw IP", nsIDB, "pcapng", []want{{1_500_000_000_123456789, 20, layers.LinkTypeRaw, nsOff}}},
		{"pcap without packets", pcapFile(), "pcap", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(writeTemp(t, "x.cap", tc.data))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Format() != tc.format {
				t.Errorf("format %q, want %q", r.Format(), tc.format)
			}
			got, err := readAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d frames, want %d", len(got), len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Time != w.time || g.Len != w.wire || g.LinkType != w.link || g.Offset != w.offset {
					t.Errorf("frame %d: time %d len %d link %d offset %d, want %d %d %d %d", i+1, g.Time, g.Len, g.LinkType, g.Offset, w.time, w.wire, w.link, w.offset)
				}
				if i < len(recs) && tc.name != "pcapng ns resolution, raw IP" && !bytes.Equal(g.Data, payload(i, 60+10*i)) {
					t.Errorf("frame %d: wrong bytes", i+1)
				}
			}
		})
	}
}

// TestDamaged checks that damage is reported as "file: byte N: what",
// with N the offset of the damaged record or field, after every frame
// before it.
func TestDamaged(t *testing.T) {
	recs := threeRecs()
	good := pcapFile(recs...)
	r2, r3 := pcapRecOff(recs, 1), pcapRecOff(recs, 2)
	ng, ngOffs := ngThree()
	setU32 := func(b []byte, off int64, v uint32) []byte {
		b = bytes.Clone(b)
		binary.LittleEndian.PutUint32(b[off:], v)
		return b
	}
	ngLen := func(i int) int64 { return int64(binary.LittleEndian.Uint32(ng[ngOffs[i]+4:])) }

	tests := []struct {
		name    string
		data    []byte
		atOpen  bool  // Open itself fails
		frames  int   // frames delivered before the error
		offset  int64 // byte offset the error names
		message string
	}{
		{"pcap cut in a record's data", good[:r3+16+10], false, 2, r3, "file ends in the middle of a packet record"},
		{"pcap cut in a record header", good[:r3+5], false, 2, r3, "file ends in the middle of a packet record header"},
		{"pcap record header claiming 1 GB", setU32(good, r2+8, 1<<30), false, 1, r2, "claims 1073741824 captured bytes"},
		{"pcap file header cut short", good[:10], true, 0, 0, "file ends in the middle of the pcap file header"},
		{"pcap version 3", append(append([]byte(nil), good[:4]...), append([]byte{3, 0}, good[6:]...)...), true, 0, 4, "unsupported pcap version 3.4"},
		{"not a capture", []byte("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"), true, 0, 0, "not a pcap or pcapng file (starts with 47 45 54 20)"},
		{"empty file", nil, true, 0, 0, "empty file"},
		{"three bytes", []byte{0xd4, 0xc3, 0xb2}, true, 0, 0, "too short to be a capture file"},
		{"pcapng bad trailing length", setU32(ng, ngOffs[1]+ngLen(1)-4, 99), false, 1, ngOffs[1] + ngLen(1) - 4, "trailing length does not match its leading length"},
		{"pcapng block length not a multiple of 4", setU32(ng, ngOffs[2]+4, 13), false, 2, ngOffs[2] + 4, "bad length 13"},
		{"pcapng block length past the end", setU32(ng, ngOffs[2]+4, 1<<20), false, 2, ngOffs[2], "file ends in the middle of a pcapng block"},
		{"pcapng cut in a block", ng[:ngOffs[2]+20], false, 2, ngOffs[2], "file ends in the middle of a pcapng block"},
		{"pcapng cut in a block header", ng[:ngOffs[2]+3], false, 2, ngOffs[2], "file ends in the middle of a pcapng block header"},
		{"pcapng packet of an undescribed interface", setU32(ng, ngOffs[1]+8, 5), false, 1, ngOffs[1] + 8, "names interface 5, but the section describes 1"},
		{"pcapng packet longer than its block", setU32(ng, ngOffs[0]+20, 1000), false, 0, ngOffs[0] + 20, "claims 1000 captured bytes"},
		{"pcapng bad byte-order magic", setU32(ng, 8, 0x11223344), true, 0, 8, "bad byte-order magic"},
		{"pcapng section version 2", setU32(ng, 12, 2), true, 0, 12, "unsupported pcapng section version 2.0"},
		{"gzip of a pcap cut in a record", gzipped(good[:r3+16+10]), false, 2, r3, "file ends in the middle of a packet record"},
		{"gzip header damaged", []byte{0x1f, 0x8b, 0x09, 0, 0, 0, 0, 0, 0, 3, 1, 2}, true, 0, 0, "bad gzip header"},
		{"gzip data damaged at once", func() []byte {
			z := gzipped(good)
			z[12], z[13], z[14] = ^z[12], ^z[13], z[14]^0x33
			return z
		}(), true, 0, 0, "bad gzip data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := writeTemp(t, "damaged.pcap", tc.data)
			r, err := Open(name)
			var got []frame
			if err == nil {
				if tc.atOpen {
					r.Close()
					t.Fatal("Open succeeded")
				}
				got, err = readAll(r)
				r.Close()
			} else if !tc.atOpen {
				t.Fatalf("Open: %v", err)
			}
			checkFormatError(t, err, name, tc.offset, tc.message)
			if len(got) != tc.frames {
				t.Fatalf("%d frames before the error, want %d", len(got), tc.frames)
			}
			for i, f := range got {
				if !bytes.Equal(f.Data, payload(i, 60+10*i)) {
					t.Errorf("frame %d before the damage has the wrong bytes", i+1)
				}
			}
		})
	}
}

func checkFormatError(t *testing.T, err error, name string, offset int64, message string) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want a *FormatError", err, err)
	}
	if fe.File != name || fe.Offset != offset || !strings.Contains(fe.Msg, message) {
		t.Errorf("got %q at byte %d in %s, want %q at byte %d in %s", fe.Msg, fe.Offset, fe.File, message, offset, name)
	}
	if s := err.Error(); !strings.HasPrefix(s, fmt.Sprintf("%s: byte %d: ", name, offset)) {
		t.Errorf("message %q does not start with the file name and byte offset", s)
	}
}

// bigPcap is a pcap whose gzip stream is long enough to cut in the middle
// of its packets: the payloads are random, so they do not compress.
func bigPcap(n int) ([]byte, []rec) {
	rng := rand.New(rand.NewPCG(1, 2))
	recs := make([]rec, n)
	for i := range recs {
		d := make([]byte, 200+rng.IntN(800))
		for j := range d {
			d[j] = byte(rng.Uint32())
		}
		recs[i] = rec{uint32(1000 + i), 0, d}
	}
	return pcapFile(recs...), recs
}

func TestGzipDamaged(t *testing.T) {
	plain, recs := bigPcap(400)
	z := gzipped(plain)
	badCRC := bytes.Clone(z)
	badCRC[len(z)-8] ^= 0xff // the trailer's CRC-32 of the data
	corrupt := bytes.Clone(z)
	for i := len(z) / 2; i < len(z)/2+64; i++ {
		corrupt[i] ^= 0x5a
	}
	tests := []struct {
		name    string
		data    []byte
		frames  int // -1: some, but not all
		message string
	}{
		{"gzip cut short", z[:len(z)/2], -1, "file ends in the middle of a packet record"},
		{"gzip checksum wrong", badCRC, len(recs), "gzip: invalid checksum"},
		// Deflate notices damage late or never (stored blocks carry no
		// check): frames up to there may hold damaged bytes; what matters
		// is an error naming the file, not a panic or a hang.
		{"gzip data corrupt", corrupt, -2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := writeTemp(t, "damaged.pcap.gz", tc.data)
			got, err := readFile(t, name)
			switch {
			case tc.frames == -1 && (len(got) == 0 || len(got) >= len(recs)):
				t.Fatalf("%d frames of %d before the damage: want some but not all", len(got), len(recs))
			case tc.frames >= 0 && len(got) != tc.frames:
				t.Fatalf("%d frames before the damage, want %d", len(got), tc.frames)
			}
			if tc.frames == -2 {
				var fe *FormatError
				if !errors.As(err, &fe) || fe.File != name {
					t.Fatalf("error %v, want a *FormatError naming %s", err, name)
				}
				t.Logf("%d frames, then %v", len(got), err)
				return
			}
			for i, f := range got {
				if !bytes.Equal(f.Data, recs[i].data) {
					t.Fatalf("frame %d before the damage has the wrong bytes", i+1)
				}
			}
			// The error names the first record not delivered (the end of
			// the data for a bad checksum).
			checkFormatError(t, err, name, pcapRecOff(recs, len(got)), tc.message)
			t.Logf("%d frames, then %v", len(got), err)
		})
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope.pcap"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error %v, want one saying the file does not exist", err)
	}
	dir := t.TempDir()
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("opening a directory: error %v, want one naming it", err)
	}
}

// A block larger than the read buffer is read in one piece; one that is a
// section header must not be skipped twice.
func TestPcapngBigBlocks(t *testing.T) {
	comment := bytes.Repeat([]byte("x"), bufSize+1000)
	shb := binary.LittleEndian.AppendUint32(nil, ngByteOrderMagic)
	shb = binary.LittleEndian.AppendUint16(shb, 1)
	shb = binary.LittleEndian.AppendUint16(shb, 0)
	shb = binary.LittleEndian.AppendUint64(shb, ^uint64(0))
	shb = binary.LittleEndian.AppendUint16(shb, 1) // opt_comment
	shb = binary.LittleEndian.AppendUint16(shb, 0) // its length does not fit 16 bits: a truncated option is fine
	shb = append(shb, comment...)
	b := ngBlock(ngSectionHeader, shb)
	b = append(b, ngIDB(layers.LinkTypeEthernet, 0)...)
	off1 := int64(len(b))
	b = append(b, ngEPB(0, 1e6, payload(0, 60))...)
	big := ngBlock(0x0bad, bytes.Repeat([]byte{7}, bufSize+4))
	b = append(b, big...)
	off2 := int64(len(b))
	b = append(b, ngEPB(0, 2e6, payload(1, 70))...)
	got, err := readFile(t, writeTemp(t, "big.pcapng", b))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Offset != off1 || got[1].Offset != off2 || !bytes.Equal(got[1].Data, payload(1, 70)) {
		var offs []int64
		for _, f := range got {
			offs = append(offs, f.Offset)
		}
		t.Fatalf("got %d frames at offsets %v, want 2 at %d and %d", len(got), offs, off1, off2)
	}
}
