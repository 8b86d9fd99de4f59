package capturetest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/engine/reassembly"
)

// nbss frames body as a NetBIOS session message of type typ.
func nbss(typ byte, body string) string {
	n := len(body)
	return string([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}) + body
}

// mark frames body with a Kerberos record mark (top bit as given).
func mark(top bool, body string) string {
	n := uint32(len(body))
	if top {
		n |= 1 << 31
	}
	return string(binary.BigEndian.AppendUint32(nil, n)) + body
}

// piece is one chunk fed to a Splitter: its bytes and the hole before it.
type piece struct {
	data string
	gap  int
}

func TestSplitter(t *testing.T) {
	smb1 := "\xffSMB" + strings.Repeat("a", 28)
	smb2 := "\xfeSMB" + strings.Repeat("b", 60)
	cases := []struct {
		name   string
		fr     Framing
		pieces []piece
		want   []string // per record: "frame:type:body"
	}{
		{"nbss whole", NBSS, []piece{{nbss(0, smb2), 0}}, []string{"1:0:" + smb2}},
		{"nbss two in one chunk", NBSS, []piece{{nbss(0, smb1) + nbss(0, smb2), 0}},
			[]string{"1:0:" + smb1, "1:0:" + smb2}},
		{"nbss header split", NBSS, []piece{{nbss(0, smb2)[:2], 0}, {nbss(0, smb2)[2:], 0}},
			[]string{"2:0:" + smb2}},
		{"nbss body split over three", NBSS, []piece{{nbss(0, smb2)[:10], 0}, {nbss(0, smb2)[10:30], 0}, {nbss(0, smb2)[30:], 0}},
			[]string{"3:0:" + smb2}},
		{"nbss keep-alive", NBSS, []piece{{nbss(0x85, "") + nbss(0, smb1), 0}},
			[]string{"1:133:", "1:0:" + smb1}},
		{"nbss empty chunk", NBSS, []piece{{"", 0}, {nbss(0, smb1), 0}}, []string{"2:0:" + smb1}},
		// A hole inside the first message: its start is lost, and the
		// splitter finds the next message's header.
		{"nbss hole resyncs", NBSS, []piece{{nbss(0, smb2)[:20], 0}, {nbss(0, smb2)[40:] + nbss(0, smb1), 20}},
			[]string{"2:0:" + smb1}},
		// The header after a hole arrives in two chunks.
		{"nbss resync across chunks", NBSS, []piece{{"xx", 5}, {nbss(0, smb1)[:6], 0}, {nbss(0, smb1)[6:], 0}},
			[]string{"3:0:" + smb1}},
		// Bytes after a hole that never look like an SMB message.
		{"nbss hole no header", NBSS, []piece{{strings.Repeat("\x00\x00\x00\x01z", 10), 3}}, nil},
		// After resynchronising the splitter frames normally again.
		{"nbss hole then normal", NBSS, []piece{{"junk" + nbss(0, smb1), 9}, {nbss(0x85, ""), 0}},
			[]string{"1:0:" + smb1, "2:133:"}},
		{"mark whole", RecordMark, []piece{{mark(false, "krb5"), 0}}, []string{"1:0:krb5"}},
		{"mark top bit", RecordMark, []piece{{mark(true, "krb5"), 0}}, []string{"1:128:krb5"}},
		{"mark split", RecordMark, []piece{{mark(false, "abcdef")[:3], 0}, {mark(false, "abcdef")[3:7], 0}, {mark(false, "abcdef")[7:] + mark(false, "xy"), 0}},
			[]string{"3:0:abcdef", "3:0:xy"}},
		// Without Sync the first byte after a hole is a header.
		{"mark hole restarts", RecordMark, []piece{{mark(false, "abcdef")[:5], 0}, {mark(false, "gh"), 7}},
			[]string{"2:0:gh"}},
		// A length far past the data is waited for, not allocated.
		{"mark huge length", RecordMark, []piece{{"\x7f\xff\xff\xffabc", 0}, {"def", 0}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp := NewSplitter(c.fr)
			var got []string
			for i, p := range c.pieces {
				ch := Chunk{Chunk: reassembly.Chunk{Stream: 3, Dir: reassembly.Resp, Data: []byte(p.data), Gap: p.gap, Frame: i + 1}}
				for _, r := range sp.Feed(ch) {
					if r.Stream != 3 || r.Dir != reassembly.Resp {
						t.Errorf("record of stream %d %v", r.Stream, r.Dir)
					}
					got = append(got, fmt.Sprintf("%d:%d:%s", r.Frame, r.Header[0], r.Body))
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("records\n%q\nwant\n%q", got, c.want)
			}
			if len(sp.buf) > len(strings.Join(pieceData(c.pieces), "")) {
				t.Errorf("holds %d bytes", len(sp.buf))
			}
		})
	}
}

func pieceData(ps []piece) []string {
	var v []string
	for _, p := range ps {
		v = append(v, p.data)
	}
	return v
}

// TestSplitterCopies checks that a record's body does not share the
// chunk's buffer, which the Reassembler reuses.
func TestSplitterCopies(t *testing.T) {
	data := []byte(nbss(0, "\xfeSMBbody"))
	r := NewSplitter(NBSS).Feed(Chunk{Chunk: reassembly.Chunk{Data: data}})
	if len(r) != 1 {
		t.Fatalf("%d records", len(r))
	}
	copy(data, bytes.Repeat([]byte{'x'}, len(data)))
	if string(r[0].Body) != "\xfeSMBbody" {
		t.Errorf("body changed with the chunk: %q", r[0].Body)
	}
}

// FuzzSplitter feeds arbitrary bytes, cut at arbitrary places with holes,
// and checks that every record is as long as its header says and that the
// splitter keeps no more than it was given.
func FuzzSplitter(f *testing.F) {
	f.Add([]byte(nbss(0, "\xfeSMB"+strings.Repeat("b", 60))+nbss(0x85, "")), uint8(7), uint8(0), false)
	f.Add([]byte(mark(false, "abc")+mark(true, "defg")), uint8(3), uint8(5), true)
	f.Add([]byte("\x00\x00\x00\x01z\x00\x00\x00\x04\xffSMB"), uint8(1), uint8(2), false)
	f.Fuzz(func(t *testing.T, data []byte, cut, gap uint8, kerberos bool) {
		fr := NBSS
		if kerberos {
			fr = RecordMark
		}
		sp := NewSplitter(fr)
		step := int(cut%16) + 1
		for i := 0; i < len(data); i += step {
			g := 0
			if gap > 0 && (i/step)%int(gap) == 1 {
				g = int(gap)
			}
			for _, r := range sp.Feed(Chunk{Chunk: reassembly.Chunk{Data: data[i:min(i+step, len(data))], Gap: g}}) {
				if n := fr.Length(r.Header); n != len(r.Body) {
					t.Fatalf("header says %d, body %d", n, len(r.Body))
				}
			}
			if len(sp.buf) > len(data) {
				t.Fatalf("holds %d bytes of %d", len(sp.buf), len(data))
			}
		}
	})
}
