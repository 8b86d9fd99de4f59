package reassembly

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// step is one segment of a test case. Its frame number is its index in
// the case plus one.
type step struct {
	stream int
	dir    Dir
	seq    uint32
	ack    uint32 // with the ACK flag when not 0
	flags  Flags
	data   string
	len    int  // on the wire, when more than data
	noACK  bool // ack set without the ACK flag
	close  bool // instead of a segment: Close(stream)
}

func o(seq uint32, data string) step { return step{seq: seq, data: data} }
func r(seq uint32, data string) step { return step{dir: Resp, seq: seq, data: data} }
func syn(seq uint32) step            { return step{seq: seq, flags: SYN} }
func ack(d Dir, ackNo uint32) step   { return step{dir: d, seq: 0, ack: ackNo} }

type tcase struct {
	name  string
	lim   Limits
	steps []step
	// want is the chunks delivered, in order, with CloseAll at the end:
	// "o:DATA" or "r:DATA", a gap written as "o<N cause>:DATA"; chunks
	// separated by spaces, with "|" for a space in data.
	want string
	// stats, when set, checks counters.
	stats func(Stats) string
	// noShark, when set, says why the case is not compared with tshark.
	noShark string
}

// render writes a chunk as the cases expect it.
func render(c Chunk) string {
	var b strings.Builder
	b.WriteString(c.Dir.String()[:1])
	if c.Stream != 0 {
		fmt.Fprintf(&b, "%d", c.Stream)
	}
	if c.Gap > 0 {
		fmt.Fprintf(&b, "<%d %v>", c.Gap, c.Cause)
	}
	b.WriteByte(':')
	b.WriteString(strings.ReplaceAll(string(c.Data), " ", "|"))
	return b.String()
}

var cases = []tcase{
	{name: "in order", steps: []step{syn(100), o(101, "hello "), o(107, "world")},
		want: "o:hello| o:world"},
	{name: "reordered", steps: []step{syn(100), o(107, "world"), o(101, "hello ")},
		want:  "o:hello| o:world",
		stats: func(s Stats) string { return want(s.Held == 1 && s.InOrder == 1 && s.Buffered == 0, "one held") }},
	{name: "duplicated", steps: []step{syn(100), o(101, "hello "), o(101, "hello "), o(107, "world"), o(107, "world")},
		want:  "o:hello| o:world",
		stats: func(s Stats) string { return want(s.Retransmitted == 2 && s.Conflicts == 0, "two retransmissions") }},
	{name: "duplicated while held", steps: []step{syn(100), o(107, "world"), o(107, "world"), o(101, "hello ")},
		want:  "o:hello| o:world",
		stats: func(s Stats) string { return want(s.Covered == 1 && s.Held == 1, "duplicate not held twice") }},
	{name: "keep-alives are not data", steps: []step{syn(100), o(101, "abc"), o(103, "\x00"), o(103, ""), o(104, "d")},
		want: "o:abc o:d"},
	{name: "zero-window probe, then its retransmission with more", steps: []step{syn(100), o(101, "abc"), o(104, "d"), o(104, "defg")},
		want: "o:abc o:d o:efg"},
	{name: "retransmission with more data delivers the rest", steps: []step{syn(100), o(101, "abc"), o(101, "abcdef")},
		want: "o:abc o:def"},
	{name: "overlap with other data: delivered bytes stay",
		lim:   Limits{History: 64},
		steps: []step{syn(100), o(101, "hello"), o(101, "HELLO world")},
		want:  "o:hello o:|world",
		stats: func(s Stats) string { return want(s.Overlaps == 1 && s.Conflicts == 1, "one conflict") }},
	{name: "overlap with other data, no history: not compared",
		steps: []step{syn(100), o(101, "hello"), o(101, "HELLO world")},
		want:  "o:hello o:|world",
		stats: func(s Stats) string { return want(s.Overlaps == 1 && s.Conflicts == 0, "no conflict seen") }},
	{name: "overlap with other held data: the first held wins",
		steps: []step{syn(100), o(106, "WORLD"), o(106, "world"), o(101, "hello")},
		want:  "o:hello o:WORLD",
		stats: func(s Stats) string { return want(s.Covered == 1 && s.Conflicts == 1, "one conflict, covered") }},
	{name: "in-order data wins over held data it overlaps",
		steps: []step{syn(100), o(104, "XXXX"), o(101, "hello")},
		want:  "o:hello o:XX",
		stats: func(s Stats) string { return want(s.Conflicts == 1, "one conflict") }},
	{name: "the first arrived of the segments reaching the next byte runs to its end",
		steps: []step{syn(100), o(103, "bbb"), o(102, "AAAAAAAA"), o(101, "h")},
		want:  "o:h o:AAAAAAAA"},
	{name: "and then the next one takes over",
		steps: []step{syn(100), o(103, "bbbbb"), o(102, "AA"), o(101, "h")},
		want:  "o:h o:AA o:bbbb"},
	{name: "gap filled late", steps: []step{syn(100), o(101, "aaa"), o(107, "ccc"), o(110, "ddd"), o(104, "bbb")},
		want: "o:aaa o:bbb o:ccc o:ddd"},
	{name: "gap never filled: skipped at close", steps: []step{syn(100), o(101, "aaa"), o(107, "ccc"), o(110, "ddd")},
		want:  "o:aaa o<3 closed>:ccc o:ddd",
		stats: func(s Stats) string { return want(s.ClosedGaps == 1 && s.GapBytes == 3, "one gap at close") }},
	{name: "gap acknowledged by the other side",
		steps: []step{syn(100), {dir: Resp, seq: 500, flags: SYN | ACK, ack: 101}, o(101, "aaa"), o(107, "ccc"), {dir: Resp, seq: 501, ack: 110, data: "ok"}},
		want:  "o:aaa o<3 acked>:ccc r:ok",
		stats: func(s Stats) string { return want(s.AckedGaps == 1, "one acked gap") }},
	{name: "acknowledgement up to the held data skips nothing",
		steps: []step{syn(100), o(101, "aaa"), o(107, "ccc"), ack(Resp, 107), o(104, "bbb")},
		want:  "o:aaa o:bbb o:ccc"},
	{name: "acknowledgement without the ACK flag is ignored", noShark: "Wireshark reads the acknowledgement field whatever the flags (raw, while it compares it with relative numbers)",
		steps: []step{syn(100), o(101, "aaa"), o(107, "ccc"), {dir: Resp, seq: 1, ack: 200, flags: RST, noACK: true}, o(104, "bbb")},
		want:  "o:aaa o:bbb o:ccc"},
	{name: "sequence numbers wrap", steps: []step{syn(0xfffffffc), o(0xfffffffd, "abcd"), o(1, "efgh"), o(5, "ij")},
		want: "o:abcd o:efgh o:ij"},
	{name: "reordered across the wrap", steps: []step{syn(0xfffffffc), o(1, "efgh"), o(0xfffffffd, "abcd")},
		want: "o:abcd o:efgh"},
	{name: "SYN with data", steps: []step{{seq: 100, flags: SYN, data: "fast"}, {dir: Resp, seq: 700, flags: SYN | ACK, ack: 105}, o(105, "open")},
		want: "o:fast o:open"},
	{name: "SYN retransmitted with its data", steps: []step{{seq: 100, flags: SYN, data: "fast"}, {seq: 100, flags: SYN, data: "fast"}, o(105, "x")},
		want: "o:fast o:x"},
	{name: "data on a FIN, then more after it", noShark: "here a FIN takes a sequence number; Wireshark counts it as a missing byte and never shows what follows",
		steps: []step{syn(100), {seq: 101, flags: FIN | ACK, data: "abc"}, o(105, "late")},
		want:  "o:abc o:late",
		stats: func(s Stats) string { return want(s.AfterFIN == 1 && s.Gaps == 0, "stepped over the FIN") }},
	{name: "data after a FIN arriving before the data before the FIN", noShark: "here a FIN takes a sequence number; Wireshark counts it as a missing byte and never shows what follows",
		steps: []step{syn(100), o(101, "a"), {seq: 104, flags: FIN}, o(105, "late"), o(102, "bc")},
		want:  "o:a o:bc o:late"},
	{name: "data on the FIN's sequence number is data",
		steps: []step{syn(100), {seq: 101, flags: FIN, data: "abc"}, o(104, "xyz")},
		want:  "o:abc o:xyz"},
	{name: "RST with data mid-stream, data after it",
		steps: []step{syn(100), o(101, "abc"), {seq: 104, flags: RST, data: "rst"}, o(107, "more")},
		want:  "o:abc o:rst o:more"},
	{name: "capture starting mid-connection", steps: []step{o(5000, "abc"), {dir: Resp, seq: 9000, ack: 5003}, r(9000, "xyz"), o(5003, "def")},
		want: "o:abc r:xyz o:def"},
	{name: "mid-connection: bytes before the first seen are not asked for",
		steps: []step{o(5000, "def"), o(4997, "abc"), o(4997, "abcdefgh")},
		want:  "o:def o:gh"},
	{name: "payload not captured in full", steps: []step{syn(100), {seq: 101, data: "ab", len: 5}, o(106, "xyz")},
		want:  "o:ab o<3 truncated>:xyz",
		stats: func(s Stats) string { return want(s.Truncated == 1 && s.TruncatedGaps == 1, "one truncation") }},
	{name: "trailing truncation reported at close", steps: []step{syn(100), {seq: 101, data: "ab", len: 5}},
		want: "o:ab o<3 truncated>:"},
	{name: "both directions interleave", steps: []step{syn(100), {dir: Resp, seq: 300, flags: SYN | ACK, ack: 101},
		o(101, "GET"), r(301, "200"), o(104, "?"), r(304, "OK")},
		want: "o:GET r:200 o:? r:OK"},
	{name: "MaxDirBytes skips the lowest hole", noShark: "a limit Wireshark does not have", lim: Limits{MaxDirBytes: 8},
		steps: []step{syn(100), o(111, "aaaa"), o(121, "bbbb"), o(131, "cccc")},
		want:  "o<10 overflow>:aaaa o<6 closed>:bbbb o<6 closed>:cccc",
		stats: func(s Stats) string { return want(s.Overflows == 1 && s.PeakBuffered <= 8, "one overflow") }},
	{name: "MaxDirBytes: a segment larger than the limit is taken where it is", noShark: "a limit Wireshark does not have", lim: Limits{MaxDirBytes: 4},
		steps: []step{syn(100), o(111, "abcdef"), o(117, "g")},
		want:  "o<10 overflow>:abcdef o:g"},
	{name: "MaxSegments skips the lowest hole", noShark: "a limit Wireshark does not have", lim: Limits{MaxSegments: 2},
		steps: []step{syn(100), o(111, "a"), o(121, "b"), o(131, "c"), o(101, "0123456789")},
		want:  "o<10 overflow>:a o<9 closed>:b o<9 closed>:c",
		stats: func(s Stats) string { return want(s.Overflows == 1 && s.Retransmitted == 1, "late data dropped") }},
	{name: "MaxBytes flushes the connection holding longest", noShark: "a limit Wireshark does not have", lim: Limits{MaxBytes: 8},
		steps: []step{syn(100), {stream: 1, seq: 100, flags: SYN}, o(111, "aaaa"), {stream: 1, seq: 111, data: "bbbb"}, {stream: 1, seq: 121, data: "cccc"}},
		want:  "o<10 memory>:aaaa o1<10 closed>:bbbb o1<6 closed>:cccc",
		stats: func(s Stats) string { return want(s.MemoryGaps == 1 && s.PeakBuffered <= 8, "one memory gap") }},
	{name: "MaxStreams evicts the least recently active", noShark: "a limit Wireshark does not have", lim: Limits{MaxStreams: 2},
		steps: []step{syn(100), {stream: 1, seq: 100, flags: SYN}, o(111, "aaaa"), {stream: 1, seq: 101, data: "b"}, {stream: 2, seq: 7, data: "c"}},
		want:  "o1:b o<10 evicted>:aaaa o2:c",
		stats: func(s Stats) string { return want(s.Evicted == 1 && s.Streams == 0, "one eviction") }},
	// Follow keeps a tcp.stream's state for the whole capture: a conn that
	// ended (idle timeout, close delay) and then sees more segments of
	// the same tcp.stream continues its streams.
	{name: "after Close, a retransmission is no new data and the stream goes on",
		steps: []step{syn(100), {dir: Resp, flags: SYN, ack: 101}, o(101, "abc"), {dir: Resp, seq: 1, ack: 104}, {close: true},
			o(101, "abc"), r(1, "ok"), o(104, "def")},
		want: "o:abc r:ok o:def",
		stats: func(s Stats) string {
			return want(s.Closed == 2 && s.Resumed == 1 && s.Retransmitted == 1, "two closes, one resumed")
		}},
	{name: "after Close, the first segment from the other side is still Node 1",
		steps: []step{syn(100), o(101, "abc"), r(1, "x"), {close: true}, r(1, "x"), r(2, "yz"), o(104, "d")},
		want:  "o:abc r:x r:yz o:d"},
	{name: "after Close, a FIN seen before it still takes its sequence number", noShark: "here a FIN takes a sequence number; Wireshark counts it as a missing byte and never shows what follows",
		steps: []step{syn(100), o(101, "abc"), {seq: 104, flags: FIN}, {close: true}, o(105, "x")},
		want:  "o:abc o:x",
		stats: func(s Stats) string { return want(s.AfterFIN == 1, "one FIN stepped over") }},
	{name: "Close skips held holes; the stream goes on from before them", noShark: "Follow shows nothing past a hole never acknowledged",
		steps: []step{syn(100), o(101, "abc"), o(110, "zzz"), {close: true}, o(104, "defghi"), o(110, "zzz")},
		want:  "o:abc o<6 closed>:zzz o:defghi o:zzz",
		stats: func(s Stats) string { return want(s.Closed == 2 && s.ClosedGaps == 1, "two closes, one gap") }},
	{name: "MaxClosed forgets the oldest closed connection", noShark: "a limit Wireshark does not have", lim: Limits{MaxClosed: 1},
		steps: []step{syn(100), {stream: 1, seq: 500, flags: SYN}, o(101, "a"), {close: true}, {stream: 1, close: true},
			o(300, "new"), {stream: 1, seq: 501, data: "b"}},
		want:  "o:a o:new o1:b",
		stats: func(s Stats) string { return want(s.Resumed == 1 && s.Remembered == 1, "stream 1 resumed") }},
}

func want(ok bool, what string) string {
	if ok {
		return ""
	}
	return what
}

func TestCases(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			re := New(c.lim, func(ch Chunk) { got = append(got, render(ch)) })
			for i, s := range c.steps {
				if s.close {
					re.Close(s.stream)
					continue
				}
				flags := s.flags
				if s.ack != 0 && !s.noACK {
					flags |= ACK
				}
				buf := []byte(s.data)
				re.Segment(Segment{Stream: s.stream, Dir: s.dir, Seq: s.seq, Ack: s.ack, Flags: flags,
					Payload: buf, Len: s.len, Frame: i + 1, Time: int64(i)})
				// The Reassembler must not keep the caller's buffer.
				for j := range buf {
					buf[j] = '#'
				}
				checkStats(t, re.Stats())
			}
			re.CloseAll()
			st := re.Stats()
			checkStats(t, st)
			if st.Buffered != 0 || st.HeldSegments != 0 || st.Streams != 0 {
				t.Errorf("after CloseAll: %+v", st)
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("got  %s\nwant %s", g, c.want)
			}
			if c.stats != nil {
				if msg := c.stats(st); msg != "" {
					t.Errorf("stats: want %s: %+v", msg, st)
				}
			}
		})
	}
}

// TestChunkFields checks what a chunk says besides its data.
func TestChunkFields(t *testing.T) {
	var got []Chunk
	re := New(Limits{}, func(c Chunk) { got = append(got, c) })
	re.Segment(Segment{Stream: 7, Seq: 100, Flags: SYN, Frame: 1, Time: 10})
	re.Segment(Segment{Stream: 7, Seq: 104, Payload: []byte("def"), Frame: 2, Time: 20})
	re.Segment(Segment{Stream: 7, Seq: 101, Payload: []byte("abc"), Frame: 3, Time: 30})
	re.Segment(Segment{Stream: 7, Seq: 110, Payload: []byte("xy"), Frame: 4, Time: 40})
	re.Close(7)
	wantChunks := []Chunk{
		{Stream: 7, Offset: 0, Seq: 101, Frame: 3, Time: 30},
		{Stream: 7, Offset: 3, Seq: 104, Frame: 2, Time: 20},
		{Stream: 7, Offset: 9, Seq: 110, Frame: 4, Time: 40, Gap: 3, Cause: GapClosed},
	}
	if len(got) != len(wantChunks) {
		t.Fatalf("%d chunks: %+v", len(got), got)
	}
	for i, w := range wantChunks {
		g := got[i]
		g.Data = nil
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("chunk %d: got %+v, want %+v", i, g, w)
		}
	}
}

func TestTCPFlags(t *testing.T) {
	for b, w := range map[byte]Flags{0x02: SYN, 0x12: SYN | ACK, 0x11: FIN | ACK, 0x04: RST, 0x14: RST | ACK, 0x18: ACK, 0xff: FIN | SYN | RST | ACK} {
		if g := TCPFlags(b); g != w {
			t.Errorf("TCPFlags(%#x) = %v, want %v", b, g, w)
		}
	}
}

// TestSrcSetsDirections checks that with Segment.Src the directions are
// Follow's, whatever Dir says, and stay so after Close.
func TestSrcSetsDirections(t *testing.T) {
	cli, srv := netip.MustParseAddrPort("10.0.0.1:40000"), netip.MustParseAddrPort("[2001:db8::1]:80")
	var got []string
	re := New(Limits{}, func(c Chunk) { got = append(got, render(c)) })
	if _, ok := re.Origin(3); ok {
		t.Error("Origin of an unknown connection")
	}
	seg := func(src netip.AddrPort, dir Dir, seq uint32, data string) {
		re.Segment(Segment{Stream: 3, Dir: dir, Seq: seq, Payload: []byte(data), Src: src})
	}
	seg(srv, Resp, 500, "hi")
	seg(cli, Orig, 100, "abc") // Follow's Node 1: the server spoke first
	if o, ok := re.Origin(3); !ok || o != srv {
		t.Errorf("Origin = %v, %v; want %v", o, ok, srv)
	}
	re.Close(3)
	if o, ok := re.Origin(3); !ok || o != srv {
		t.Errorf("Origin after Close = %v, %v; want %v", o, ok, srv)
	}
	seg(cli, Orig, 103, "de") // the caller's idea of directions changed
	seg(srv, Orig, 502, "!")
	re.CloseAll()
	if g, w := strings.Join(got, " "), "o3:hi r3:abc r3:de o3:!"; g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}
