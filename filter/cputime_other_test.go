//go:build !linux

package filter

import "time"

// threadTime falls back to wall-clock time where the thread's CPU time is
// not at hand.
func threadTime() time.Duration { return time.Duration(time.Now().UnixNano()) }
