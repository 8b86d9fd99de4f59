package defrag

import (
	"testing"
	"time"
)

// twoFrags is a stream of datagrams of two fragments (1480 + 520 bytes, a
// 2000-byte UDP datagram over Ethernet) with inFlight of them in progress
// at once: op i sends, in turn, the first fragment of datagram
// inFlight+i/2 and the second of datagram i/2.
type twoFrags struct {
	d           *Defragmenter
	first, last []byte
	i           int
}

const inFlight = 256

func newTwoFrags() *twoFrags {
	s := &twoFrags{d: New(Limits{}), first: make([]byte, 1480), last: make([]byte, 520)}
	for id := range inFlight {
		s.d.Add(s.frag(id, false))
	}
	// Run the pools and the map to their steady size.
	for range 8 * inFlight {
		s.next()
	}
	return s
}

func (s *twoFrags) frag(id int, second bool) Fragment {
	// Ids past 65535 go to other sources, so keys never repeat.
	src := [4]byte{192, 0, byte(id >> 24), byte(id >> 16)}
	f := Fragment{Key: KeyV4(src, [4]byte{198, 51, 100, 7}, uint16(id), 17),
		Time: int64(s.i) * int64(time.Microsecond), Frame: s.i + 1}
	if second {
		f.Offset, f.Data = 1480, s.last
	} else {
		f.More, f.Data = true, s.first
	}
	return f
}

func (s *twoFrags) next() Result {
	i := s.i
	s.i++
	if i%2 == 0 {
		return s.d.Add(s.frag(inFlight+i/2, false))
	}
	return s.d.Add(s.frag(i/2, true))
}

// BenchmarkTwoFragments measures fragments per second over the stream;
// one op is one fragment.
func BenchmarkTwoFragments(b *testing.B) {
	s := newTwoFrags()
	complete := 0
	b.ReportAllocs()
	b.SetBytes(1000) // mean fragment payload
	b.ResetTimer()
	for range b.N {
		if s.next().Status == Complete {
			complete++
		}
	}
	b.StopTimer()
	if complete < b.N/2 {
		b.Fatalf("%d datagrams completed of %d fragments", complete, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "fragments/s")
}

// TestSteadyStateAllocs checks that steady traffic allocates nothing: the
// datagrams, their buffers and the result are reused.
func TestSteadyStateAllocs(t *testing.T) {
	s := newTwoFrags()
	if a := testing.AllocsPerRun(10000, func() { s.next() }); a != 0 {
		t.Errorf("%v allocations per fragment", a)
	}
}
