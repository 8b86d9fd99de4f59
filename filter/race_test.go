//go:build race

package filter

// raceEnabled: the race detector makes sync.Pool drop items, so code that
// relies on pooled state (regexp matching) allocates.
const raceEnabled = true
