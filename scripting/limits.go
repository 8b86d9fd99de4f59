package scripting

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wirelark/wirelark/engine/flow"
	"github.com/wirelark/wirelark/engine/reassembly"
)

// Limits bound what a run keeps of the connections it tracks; a zero
// field takes the engine's default (engine/flow's and engine/reassembly's
// documentation give them). What a limit makes the engine drop is counted
// in --stats and in on_end's run.flows and run.streams.
type Limits struct {
	Flows       int           // connections in the flow table; past it the least recently active ends (evicted)
	TCPTimeout  time.Duration // a TCP connection idle this long ends
	UDPTimeout  time.Duration
	ICMPTimeout time.Duration
	StreamBytes int // bytes one stream direction holds out of order
	BufferBytes int // bytes all streams hold out of order together
	Streams     int // streams reassembled at once
}

// LimitNames are the names ParseLimit accepts, for usage messages.
const LimitNames = "flows, tcp-timeout, udp-timeout, icmp-timeout, stream-bytes, buffer-bytes, streams"

// ParseLimit sets one limit from "name=value": a count (sizes may end in
// k, m or g, powers of 1024) or, for timeouts, a duration ("90s", "5m").
func (l *Limits) ParseLimit(spec string) error {
	name, val, ok := strings.Cut(spec, "=")
	if !ok {
		return fmt.Errorf("limit %q: want name=value (names: %s)", spec, LimitNames)
	}
	dur := func(d *time.Duration) error {
		v, err := time.ParseDuration(val)
		if err != nil || v <= 0 {
			return fmt.Errorf("limit %s: %q is not a positive duration (e.g. 90s, 5m)", name, val)
		}
		*d = v
		return nil
	}
	count := func(n *int) error {
		mul := 1
		s := strings.ToLower(val)
		switch {
		case strings.HasSuffix(s, "k"):
			mul, s = 1<<10, s[:len(s)-1]
		case strings.HasSuffix(s, "m"):
			mul, s = 1<<20, s[:len(s)-1]
		case strings.HasSuffix(s, "g"):
			mul, s = 1<<30, s[:len(s)-1]
		}
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 || v > (1<<62)/mul {
			return fmt.Errorf("limit %s: %q is not a positive count", name, val)
		}
		*n = v * mul
		return nil
	}
	switch name {
	case "flows":
		return count(&l.Flows)
	case "tcp-timeout":
		return dur(&l.TCPTimeout)
	case "udp-timeout":
		return dur(&l.UDPTimeout)
	case "icmp-timeout":
		return dur(&l.ICMPTimeout)
	case "stream-bytes":
		return count(&l.StreamBytes)
	case "buffer-bytes":
		return count(&l.BufferBytes)
	case "streams":
		return count(&l.Streams)
	}
	return fmt.Errorf("unknown limit %q (names: %s)", name, LimitNames)
}

// apply sets the flow table's limits that l gives, over cfg's.
func (l Limits) apply(cfg flow.Config) flow.Config {
	if l.Flows > 0 {
		cfg.MaxConns = l.Flows
	}
	if l.TCPTimeout > 0 {
		cfg.TCPInactivity = l.TCPTimeout
	}
	if l.UDPTimeout > 0 {
		cfg.UDPInactivity = l.UDPTimeout
	}
	if l.ICMPTimeout > 0 {
		cfg.ICMPInactivity = l.ICMPTimeout
	}
	return cfg
}

// reassembly gives the reassembler's limits.
func (l Limits) reassembly() reassembly.Limits {
	return reassembly.Limits{MaxDirBytes: l.StreamBytes, MaxBytes: l.BufferBytes, MaxStreams: l.Streams}
}
