package reassembly

import "testing"

// checkStats checks that the counters account for every segment.
func checkStats(t *testing.T, s Stats) {
	t.Helper()
	if s.Segments != s.Empty+s.InOrder+s.Retransmitted+s.Held+s.Covered {
		t.Errorf("segments not accounted for: %+v", s)
	}
	if s.Gaps != s.AckedGaps+s.TruncatedGaps+s.Overflows+s.MemoryGaps+s.ClosedGaps {
		t.Errorf("gaps not accounted for: %+v", s)
	}
	if s.Buffered < 0 || s.HeldSegments < 0 || s.Streams < 0 || s.Buffered > s.PeakBuffered {
		t.Errorf("negative or inconsistent: %+v", s)
	}
}
