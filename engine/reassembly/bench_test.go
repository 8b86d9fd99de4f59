package reassembly

import (
	"math/rand/v2"
	"testing"
)

// traffic is bulk data over many connections at once, one direction each,
// with 1460-byte segments carrying an ACK, in round-robin: op i sends the
// next segment of connection i%conns. With reorder, each block of 100
// segments of a connection has 10 of them swapped with the one after
// (10% of the segments arrive early).
type traffic struct {
	r       *Reassembler
	payload []byte
	next    []uint32 // per connection: sequence number of its block
	pos     []int    // per connection: position in the block
	order   []int    // segment order within a block
	i       int
	got     int
}

const (
	conns   = 64
	segSize = 1460
	block   = 100
)

func newTraffic(reorder bool) *traffic {
	tr := &traffic{payload: make([]byte, segSize), next: make([]uint32, conns), pos: make([]int, conns)}
	tr.r = New(Limits{}, func(c Chunk) { tr.got += len(c.Data) })
	tr.order = make([]int, block)
	for i := range tr.order {
		tr.order[i] = i
	}
	if reorder {
		rng := rand.New(rand.NewPCG(1, 2))
		for n := 0; n < block/10; {
			i := rng.IntN(block - 1)
			if tr.order[i] == i && tr.order[i+1] == i+1 {
				tr.order[i], tr.order[i+1] = i+1, i
				n++
			}
		}
	}
	for c := range conns {
		tr.next[c] = uint32(c) * 0x01000000
		tr.r.Segment(Segment{Stream: c, Seq: tr.next[c] - 1, Flags: SYN})
	}
	// Run the buffers and tables to their steady size.
	for range 4 * conns * block {
		tr.step()
	}
	return tr
}

func (tr *traffic) step() {
	c := tr.i % conns
	tr.i++
	k := tr.order[tr.pos[c]]
	tr.r.Segment(Segment{Stream: c, Seq: tr.next[c] + uint32(k*segSize), Ack: 1, Flags: ACK,
		Payload: tr.payload, Time: int64(tr.i), Frame: tr.i})
	if tr.pos[c]++; tr.pos[c] == block {
		tr.pos[c] = 0
		tr.next[c] += block * segSize
	}
}

func benchTraffic(b *testing.B, reorder bool) {
	tr := newTraffic(reorder)
	before := tr.got
	b.ReportAllocs()
	b.SetBytes(segSize)
	b.ResetTimer()
	for range b.N {
		tr.step()
	}
	b.StopTimer()
	if tr.got-before < (b.N-2*conns*block)*segSize {
		b.Fatalf("delivered %d bytes of %d", tr.got-before, b.N*segSize)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "segments/s")
}

// BenchmarkInOrder measures segments per second when every segment
// arrives in order; one op is one segment.
func BenchmarkInOrder(b *testing.B) { benchTraffic(b, false) }

// BenchmarkReordered measures it when 10% of the segments arrive early
// and are held until the one before them comes.
func BenchmarkReordered(b *testing.B) { benchTraffic(b, true) }

// BenchmarkConnections measures short connections: a SYN, two segments
// of data the wrong way round, Close; one op is one connection.
func BenchmarkConnections(b *testing.B) {
	r := New(Limits{}, func(Chunk) {})
	data := make([]byte, 500)
	id := 0
	conn := func() {
		id++
		r.Segment(Segment{Stream: id, Seq: 99, Flags: SYN})
		r.Segment(Segment{Stream: id, Seq: 600, Payload: data})
		r.Segment(Segment{Stream: id, Seq: 100, Payload: data})
		r.Close(id)
	}
	for range 10000 {
		conn()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		conn()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "conns/s")
}

// TestSteadyStateAllocs checks that steady traffic allocates nothing per
// segment, in order or not, and nothing per connection once connections
// are recycled.
func TestSteadyStateAllocs(t *testing.T) {
	for _, reorder := range []bool{false, true} {
		tr := newTraffic(reorder)
		if a := testing.AllocsPerRun(20000, tr.step); a != 0 {
			t.Errorf("reorder %v: %v allocations per segment", reorder, a)
		}
		if s := tr.r.Stats(); reorder && s.Held == 0 || s.Gaps != 0 {
			t.Errorf("reorder %v: %+v", reorder, s)
		}
	}
	r := New(Limits{}, nil)
	data := make([]byte, 500)
	id := 0
	conn := func() {
		id++
		r.Segment(Segment{Stream: id, Seq: 99, Flags: SYN})
		r.Segment(Segment{Stream: id, Seq: 600, Payload: data})
		r.Segment(Segment{Stream: id, Seq: 100, Payload: data})
		r.Close(id)
	}
	for range 10000 {
		conn()
	}
	if a := testing.AllocsPerRun(10000, conn); a != 0 {
		t.Errorf("%v allocations per connection", a)
	}
}
