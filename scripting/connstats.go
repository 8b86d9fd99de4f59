package scripting

import (
	"fmt"
	"io"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/wirelark/wirelark/engine/flow"
	"github.com/wirelark/wirelark/engine/reassembly"
)

// ConnStats are the counters of connection tracking: the flow table's,
// and with on_stream_data the reassembler's and the stream bytes kept for
// stream.data() and follow().
type ConnStats struct {
	Flow       flow.Stats
	Reassembly *reassembly.Stats // nil without on_stream_data
	Keep       StreamKeepStats
}

// stats returns the counters so far, nil without connection tracking.
func (t *connTracker) stats() *ConnStats {
	if t == nil {
		return nil
	}
	cs := &ConnStats{Flow: t.table.Stats(), Keep: t.keep}
	if t.reasm != nil {
		r := t.reasm.Stats()
		cs.Reassembly = &r
	}
	return cs
}

// flowsValue is run.flows.
func (cs *ConnStats) flowsValue() starlark.Value {
	if cs == nil {
		return starlark.None
	}
	f := cs.Flow
	u := starlark.MakeUint64
	return starlarkstruct.FromStringDict(starlark.String("flow_stats"), starlark.StringDict{
		"conns":         u(f.Conns),
		"tcp":           u(f.TCPConns),
		"udp":           u(f.UDPConns),
		"icmp":          u(f.ICMPConns),
		"active":        starlark.MakeInt(f.Active),
		"max_active":    starlark.MakeInt(f.MaxActive),
		"closed":        u(f.Closed),
		"attempts":      u(f.Attempts),
		"timeouts":      u(f.Inactive),
		"reused":        u(f.Reused),
		"evicted":       u(f.Evicted),
		"flushed":       u(f.Flushed),
		"no_transport":  u(f.NoTransport),
		"skipped":       u(f.Skipped),
		"bad_checksums": u(f.BadChecksums),
	})
}

// streamsValue is run.streams.
func (cs *ConnStats) streamsValue() starlark.Value {
	if cs == nil || cs.Reassembly == nil {
		return starlark.None
	}
	r := cs.Reassembly
	u := starlark.MakeUint64
	return starlarkstruct.FromStringDict(starlark.String("stream_stats"), starlark.StringDict{
		"segments":      u(r.Segments),
		"bytes":         u(r.Delivered),
		"chunks":        u(r.Chunks),
		"retransmitted": u(r.Retransmitted),
		"held":          u(r.Held),
		"overlaps":      u(r.Overlaps),
		"conflicts":     u(r.Conflicts),
		"gaps":          u(r.Gaps),
		"gap_bytes":     u(r.GapBytes),
		"overflows":     u(r.Overflows + r.MemoryGaps),
		"evicted":       u(r.Evicted),
		"peak_buffered": starlark.MakeInt(r.PeakBuffered),
		"kept":          starlark.MakeInt64(cs.Keep.Kept),
		"not_kept":      starlark.MakeInt64(cs.Keep.Dropped),
	})
}

// print writes the --stats lines of connection tracking.
func (cs *ConnStats) print(w io.Writer, prefix string) {
	if cs == nil {
		return
	}
	f := cs.Flow
	fmt.Fprintf(w, "%sflows: %d (%d tcp, %d udp, %d icmp), at most %d at once; ended: %d closed, %d attempts, %d timeouts, %d reused, %d evicted, %d at the end; %d packets without transport, %d skipped\n",
		prefix, f.Conns, f.TCPConns, f.UDPConns, f.ICMPConns, f.MaxActive, f.Closed, f.Attempts, f.Inactive, f.Reused, f.Evicted, f.Flushed, f.NoTransport, f.Skipped)
	if r := cs.Reassembly; r != nil {
		fmt.Fprintf(w, "%sstreams: %d segments, %d bytes delivered in %d chunks, %d retransmitted, %d held out of order (peak %d bytes buffered), %d overlaps (%d conflicting), %d gaps (%d bytes), %d overflows, %d evicted; %d bytes kept for data()/follow(), %d not kept\n",
			prefix, r.Segments, r.Delivered, r.Chunks, r.Retransmitted, r.Held, r.PeakBuffered, r.Overlaps, r.Conflicts, r.Gaps, r.GapBytes, r.Overflows+r.MemoryGaps, r.Evicted, cs.Keep.Kept, cs.Keep.Dropped)
	}
}
