package defrag

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelark/wirelark/engine/source"
)

// corpusFiles are the shared captures with fragmented datagrams.
var corpusFiles = []string{
	"ipv4frag/afs.pcap",
	"ipv4frag/fragmented-1.pcap",
	"ipv4frag/fragmented-2.pcap",
	"ipv4frag/fragmented-3.pcap",
	"ipv4frag/fragmented-4.pcap",
	"ipv4frag/fragmented-syn.pcap",
	"ipv6/ipv6-fragmented-dns.pcap",
	"dns/dns-edns-ecs.pcap",
}

// TestCorpusAgainstTshark feeds the fragments of the shared captures to a
// Defragmenter with default limits and checks that it completes datagrams
// in exactly the frames where tshark reassembles them, with the same
// length, fragment lists, flags and bytes.
func TestCorpusAgainstTshark(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus not found at %s", dir)
	}
	total, equal := 0, 0
	for _, name := range corpusFiles {
		file := filepath.Join(dir, name)
		t.Run(name, func(t *testing.T) {
			ours, st := defragFile(t, file)
			theirs := tsharkOutcomes(t, file)
			eq := compareOutcomes(t, name, ours, theirs)
			total += len(theirs)
			equal += eq
			t.Logf("%d fragments, tshark reassembled %d datagrams, we %d, %d equal; held at the end %d fragments",
				st.Fragments, len(theirs), len(ours), eq, st.Held)
		})
	}
	t.Logf("all files: %d datagrams reassembled by tshark, %d equal", total, equal)
}

// defragFile reads a capture with engine/source and reassembles its IP
// fragments.
func defragFile(t *testing.T, file string) (map[int]outcome, Stats) {
	t.Helper()
	r, err := source.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := New(Limits{})
	out := map[int]outcome{}
	var f source.Frame
	for num := 1; ; num++ {
		err := r.Next(&f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		frag, ok := ipFragment(f.Data, int(f.LinkType))
		if !ok {
			continue
		}
		frag.Time, frag.Frame = f.Time, num
		if res := d.Add(frag); res.Status == Complete {
			out[num] = outcomeOf(num, res)
		}
		checkStats(t, d)
	}
	return out, d.Stats()
}
