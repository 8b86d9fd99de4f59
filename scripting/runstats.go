package scripting

import (
	"fmt"
	"io"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/wirelark/wirelark/engine/packet"
)

// RunStats count what a run did. on_end(run) receives them as a struct
// (a handler parameter named stats would hide the stats module, hence
// "run"), and --stats prints them.
type RunStats struct {
	Packets     int64 // frames read
	Decoded     int64 // packets decoded (every frame read, in this release)
	FilteredOut int64 // packets FILTER or -Y kept from on_packet
	Malformed   int64 // packets with a damaged header (among the layers decoded)
	Bytes       int64 // captured bytes
	First, Last int64 // times of the first and last frames, ns since the epoch
	// PacketValues counts the Packet values made for handlers: none when
	// the script has no on_packet.
	PacketValues int64
	Calls        map[string]int64 // handler calls by handler
	Errors       map[string]int64 // handler errors by handler (with KeepGoing)
	ScriptTime   time.Duration    // time spent in handlers, when measured (Config.Timing)
	// Conns is set when the script has connection handlers (connstats.go).
	Conns *ConnStats
	// SMB is set when the script has on_smb (msgsmb.go).
	SMB *SMBStats
	// PDU counts what TCP desegmentation (DNS, NBSS and Kerberos
	// messages across segments) held and gave up on.
	PDU packet.PDUStats
}

// Stats returns the counters so far.
func (s *Script) Stats() RunStats {
	st := s.run
	st.Calls = map[string]int64{}
	st.Errors = map[string]int64{}
	for _, h := range s.handlers {
		if h != nil {
			st.Calls[h.name] = h.calls
			st.Errors[h.name] = h.errs
		}
	}
	st.Conns = s.conns.stats()
	st.SMB = s.smb.final()
	return st
}

// statsValue is the struct on_end(run) receives:
//
//	run.packets, .decoded, .filtered_out, .malformed, .bytes
//	run.first_time, .last_time   float seconds, None for an empty capture
//	run.handler_calls            dict handler name -> calls
//	run.errors                   dict handler name -> errors (with --keep-going)
//	run.script_time              float seconds spent in handlers so far
//	run.flows, run.streams       connection counters (connstats.go), None without connection handlers
//	run.smb                      SMB counters (msgsmb.go), None without on_smb
func (s *Script) statsValue() starlark.Value {
	st := s.Stats()
	calls, errs := starlark.NewDict(len(st.Calls)), starlark.NewDict(len(st.Errors))
	for _, h := range s.handlers {
		if h != nil {
			calls.SetKey(starlark.String(h.name), starlark.MakeInt64(st.Calls[h.name]))
			errs.SetKey(starlark.String(h.name), starlark.MakeInt64(st.Errors[h.name]))
		}
	}
	when := func(ns int64) starlark.Value {
		if st.Packets == 0 {
			return starlark.None
		}
		return epochSeconds(ns)
	}
	return starlarkstruct.FromStringDict(starlark.String("run_stats"), starlark.StringDict{
		"packets":       starlark.MakeInt64(st.Packets),
		"decoded":       starlark.MakeInt64(st.Decoded),
		"filtered_out":  starlark.MakeInt64(st.FilteredOut),
		"malformed":     starlark.MakeInt64(st.Malformed),
		"bytes":         starlark.MakeInt64(st.Bytes),
		"first_time":    when(st.First),
		"last_time":     when(st.Last),
		"handler_calls": calls,
		"errors":        errs,
		"script_time":   starlark.Float(st.ScriptTime.Seconds()),
		"flows":         st.Conns.flowsValue(),
		"streams":       st.Conns.streamsValue(),
		"smb":           st.SMB.value(),
	})
}

// Print writes the counters as --stats shows them.
func (st RunStats) Print(w io.Writer, prefix string) {
	fmt.Fprintf(w, "%s%d packets read, %d decoded, %d filtered out, %d malformed, %d bytes\n",
		prefix, st.Packets, st.Decoded, st.FilteredOut, st.Malformed, st.Bytes)
	var calls []string
	for _, name := range handlerNames(true) {
		if n, ok := st.Calls[name]; ok {
			c := fmt.Sprintf("%s %d", name, n)
			if e := st.Errors[name]; e > 0 {
				c += fmt.Sprintf(" (%d errors)", e)
			}
			calls = append(calls, c)
		}
	}
	if calls == nil {
		calls = []string{"none"}
	}
	fmt.Fprintf(w, "%shandler calls: %s\n", prefix, strings.Join(calls, ", "))
	fmt.Fprintf(w, "%sscript time %.3fs, %d packet values\n", prefix, st.ScriptTime.Seconds(), st.PacketValues)
	if d := st.PDU; d.Peak > 0 || d.TooLong+d.Overflow+d.Holes > 0 {
		fmt.Fprintf(w, "%stcp messages across segments: at most %d bytes held; %d too long, %d dropped at the bound on held bytes, %d dropped at a hole\n",
			prefix, d.Peak, d.TooLong, d.Overflow, d.Holes)
	}
	st.Conns.print(w, prefix)
	if m := st.SMB; m != nil {
		fmt.Fprintf(w, "%ssmb: %d SMB1 and %d SMB2/3 messages (%d encrypted, %d compressed, not decoded) on %d connections; %d connection states and %d table entries dropped to stay bounded\n",
			prefix, m.Messages1, m.Messages2, m.Encrypted, m.Compressed, m.Conns, m.ConnsEvicted, m.Dropped)
	}
}

// value is run.smb: None without on_smb.
func (m *SMBStats) value() starlark.Value {
	if m == nil {
		return starlark.None
	}
	return starlarkstruct.FromStringDict(starlark.String("smb_stats"), starlark.StringDict{
		"smb1_messages": starlark.MakeInt64(m.Messages1),
		"smb2_messages": starlark.MakeInt64(m.Messages2),
		"encrypted":     starlark.MakeInt64(m.Encrypted),
		"compressed":    starlark.MakeInt64(m.Compressed),
		"connections":   starlark.MakeInt64(m.Conns),
		"conns_evicted": starlark.MakeInt64(m.ConnsEvicted),
		"dropped":       starlark.MakeInt64(m.Dropped),
	})
}
