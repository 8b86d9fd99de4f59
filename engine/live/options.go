package live

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Defaults of the zero Options fields, as tcpdump's.
const (
	DefaultSnaplen    = 262144
	DefaultBufferSize = 2 << 20
	DefaultTick       = time.Second
)

// Options set up a capture.
type Options struct {
	// Snaplen is the most bytes kept of each packet; 0 is DefaultSnaplen.
	Snaplen int
	// BufferSize is the socket's receive buffer in bytes, where packets
	// wait while the reader is busy; 0 is DefaultBufferSize.
	BufferSize int
	// NoPromisc leaves the interfaces out of promiscuous mode.
	NoPromisc bool
	// Filter is a capture filter (pcap-filter syntax), compiled with
	// Compile for each interface's link type and run in the kernel.
	Filter  string
	Compile CompileFunc
	// Tick bounds how long Next waits: with no packet for that long it
	// returns ErrIdle, so a reader can run timers on the wall clock. 0 is
	// DefaultTick; negative waits for ever.
	Tick time.Duration
}

func (o *Options) snaplen() int {
	if o.Snaplen <= 0 {
		return DefaultSnaplen
	}
	return min(o.Snaplen, DefaultSnaplen)
}

func (o *Options) bufferSize() int {
	if o.BufferSize <= 0 {
		return DefaultBufferSize
	}
	return o.BufferSize
}

// ErrIdle is what Next returns when no packet came for Options.Tick: it
// is os.ErrDeadlineExceeded, as a read deadline passing reports it, so a
// reader that knows nothing of live capture sees a timeout.
var ErrIdle = os.ErrDeadlineExceeded

// IsIdle reports whether err from Next only says that nothing arrived.
func IsIdle(err error) bool { return errors.Is(err, ErrIdle) }

// Stats are the counters of one interface's capture.
type Stats struct {
	Iface string
	// Received counts the packets the capture filter accepted, those
	// dropped included (PACKET_STATISTICS tp_packets, libpcap's ps_recv).
	Received uint64
	// KernelDrops counts packets dropped because the socket's buffer
	// was full (tp_drops, libpcap's ps_drop).
	KernelDrops uint64
	// IfaceDrops is the growth of the interface's rx_dropped during the
	// capture (packets the interface or its driver dropped).
	IfaceDrops uint64
}

// PrintStats writes one line per interface, as tcpdump's closing lines.
func PrintStats(w io.Writer, prefix string, st []Stats) {
	for _, s := range st {
		fmt.Fprintf(w, "%s%s: %d packets received by filter, %d dropped by kernel, %d dropped by interface\n",
			prefix, s.Iface, s.Received, s.KernelDrops, s.IfaceDrops)
	}
}
