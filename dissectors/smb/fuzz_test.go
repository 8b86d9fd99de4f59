package smb_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb"

	"encoding/binary"
	"testing"
)

// captureSeeds returns the SMB1 PDUs of the shared captures.
func captureSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, name := range smb1Captures {
		_, pdus, ok := readCapture(f, name)
		if !ok {
			continue
		}
		for _, p := range pdus {
			seeds = append(seeds, p.raw)
		}
	}
	return seeds
}

func FuzzParse(f *testing.F) {
	for _, s := range captureSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte("\xffSMB"))
	f.Fuzz(func(t *testing.T, b []byte) {
		msgs, err := Parse(b)
		if len(msgs) > MaxChain {
			t.Fatalf("%d messages", len(msgs))
		}
		if err == nil && len(msgs) == 0 {
			t.Fatal("no messages and no error")
		}
		for i := range msgs {
			m := &msgs[i]
			if m.Chain != i || m.Last != (i == len(msgs)-1) {
				t.Fatalf("chain bookkeeping: %d %+v", i, m)
			}
			if m.Offset < HeaderLen || m.Offset+len(m.Params)+len(m.Data) > len(b) {
				t.Fatalf("block out of bounds: offset %d, %d+%d bytes of %d", m.Offset, len(m.Params), len(m.Data), len(b))
			}
			_ = m.SubCommandName()
			_ = m.Header.StatusName()
		}
	})
}

// FuzzState feeds a State a sequence of PDUs, each preceded by a 2-byte
// length, and checks that it stays within its limits.
func FuzzState(f *testing.F) {
	seeds := captureSeeds(f)
	// Whole sessions as seeds: consecutive PDUs of the captures.
	for i := 0; i < len(seeds); i += 16 {
		var in []byte
		for _, s := range seeds[i:min(i+16, len(seeds))] {
			in = binary.LittleEndian.AppendUint16(in, uint16(len(s)))
			in = append(in, s...)
		}
		f.Add(in)
	}
	lim := Limits{MaxSessions: 2, MaxTrees: 3, MaxFiles: 4, MaxPending: 5}
	f.Fuzz(func(t *testing.T, in []byte) {
		s := NewState(lim)
		for len(in) >= 2 {
			n := int(binary.LittleEndian.Uint16(in))
			in = in[2:]
			n = min(n, len(in))
			msgs, _ := Parse(in[:n])
			in = in[n:]
			for i := range msgs {
				s.Track(&msgs[i])
			}
			sessions, trees, files, pending := s.Sizes()
			if sessions > lim.MaxSessions || trees > lim.MaxTrees || files > lim.MaxFiles || pending > lim.MaxPending ||
				s.OrderedLen() > 2*lim.MaxPending+1 {
				t.Fatalf("%d sessions, %d trees, %d files, %d pending, %d ordered", sessions, trees, files, pending, s.OrderedLen())
			}
		}
	})
}
