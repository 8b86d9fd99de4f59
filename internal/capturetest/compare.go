package capturetest

import "testing"

// CompareCells compares the cells a test rendered for one frame with
// tshark's row for it (both without frame.number), fields naming the
// columns. It reports each difference through tb.Errorf and returns how
// many cells it compared and how many were equal, for the test's tally.
func CompareCells(tb testing.TB, frame int, fields, tshark, ours []string) (compared, equal int) {
	tb.Helper()
	if len(tshark) != len(fields) || len(ours) != len(fields) {
		tb.Errorf("frame %d: %d fields, %d cells from tshark, %d ours", frame, len(fields), len(tshark), len(ours))
		return 0, 0
	}
	for i, want := range tshark {
		compared++
		if ours[i] != want {
			tb.Errorf("frame %d %s: tshark %q, wirelark %q", frame, fields[i], want, ours[i])
			continue
		}
		equal++
	}
	return compared, equal
}
