//go:build unix

package scripting

// The capture index (capture.open, `wirelark repl CAPTURE`) on the
// generated benchmark capture:
//
//	go test ./scripting -run '^$' -bench CaptureIndex -benchtime 3x -cpu 1
//	go test ./scripting -run '^$' -bench CaptureRandom -cpu 1
//
// BenchmarkCaptureIndex opens and indexes the whole file: MB/s,
// packets/s and index-B/pkt (the index's memory per packet).
// BenchmarkCaptureRandomAccess decodes cap[n] for random n, without the
// cache; BenchmarkCaptureRandomAccessDependent does the same for the
// frames of mixed_office.pcap that are decoded again with the frames they
// depend on (SMB messages spanning TCP segments), with frames-spanned/op
// the frames from the first one it depends on (only those of its TCP
// conversation are decoded).

import (
	"math/rand"
	"os"
	"testing"
	"time"
)

func BenchmarkCaptureIndex(b *testing.B) {
	file := benchCapture(b)
	st, err := os.Stat(file)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	var packets int
	var size float64
	start := time.Now()
	for i := 0; i < b.N; i++ {
		c, err := OpenCapture(file, nil)
		if err != nil {
			b.Fatal(err)
		}
		packets += c.Len()
		total, _ := c.ix.size()
		size = float64(total) / float64(c.Len())
		c.Close()
	}
	b.ReportMetric(float64(packets)/time.Since(start).Seconds(), "packets/s")
	b.ReportMetric(size, "index-B/pkt")
}

func BenchmarkCaptureRandomAccess(b *testing.B) {
	benchRandomAccess(b, benchCapture(b), false)
}

func BenchmarkCaptureRandomAccessDependent(b *testing.B) {
	file := sharedCaptures + "/mixed_office.pcap"
	if _, err := os.Stat(file); err != nil {
		b.Skip(err)
	}
	benchRandomAccess(b, file, true)
}

// benchRandomAccess decodes random frames of a capture, only those that
// depend on others when dependent is set.
func benchRandomAccess(b *testing.B, file string, dependent bool) {
	c, err := OpenCapture(file, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	var which []int
	var decoded int
	cur := c.ix.frames.seek(0)
	for i := 0; i < c.Len(); i++ {
		var r frameRec
		if err := cur.next(&r); err != nil {
			b.Fatal(err)
		}
		if !dependent || r.from < i {
			which = append(which, i)
		}
	}
	if len(which) == 0 {
		b.Skip("no frame to read")
	}
	rnd := rand.New(rand.NewSource(1))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := which[rnd.Intn(len(which))]
		if _, err := c.ix.decode(n); err != nil {
			b.Fatal(err)
		}
		if dependent {
			var r frameRec
			c.ix.frames.seek(n).next(&r)
			decoded += n - r.from + 1
		}
	}
	if dependent {
		b.ReportMetric(float64(decoded)/float64(b.N), "frames-spanned/op")
	}
}
