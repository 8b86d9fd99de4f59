package scripting

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/filter"
)

// Capture is the Starlark value of an open capture file (type
// "capture"): what `wirelark repl CAPTURE` binds to cap and
// capture.open(path) returns.
//
// len(cap) is the number of packets; cap[0] the first, cap[-1] the last;
// cap[10:20] a list of packets; `for p in cap` reads them in order.
// Packets from a capture never expire: each owns its bytes, so they can
// be kept in lists and globals. The methods (filter, stats, conns,
// streams, run) read the whole file again, in order.
type Capture struct {
	ix   *captureIndex
	sc   scratch
	env  *Session // the session that opened it (run's libraries and output), or nil
	done *analysis
}

var (
	_ starlark.Sliceable = (*Capture)(nil)
	_ starlark.Mapping   = (*Capture)(nil)
	_ starlark.HasAttrs  = (*Capture)(nil)
)

// OpenCapture opens and indexes a capture file. cancelled, if not nil, is
// polled while reading, so that indexing a long file can be interrupted
// (ErrInterrupted).
func OpenCapture(path string, cancelled func() bool) (*Capture, error) {
	if path == "-" {
		return nil, fmt.Errorf("capture.open: a capture must be a file (standard input carries the commands)")
	}
	ix, err := openIndex(path, cancelled)
	if err != nil {
		return nil, err
	}
	return &Capture{ix: ix}, nil
}

// Close releases the file.
func (c *Capture) Close() { c.ix.close() }

// Len is the number of packets.
func (c *Capture) Len() int { return c.ix.len() }

// Damage is the error that ended the file early (a damaged record after
// the last good packet), or nil.
func (c *Capture) Damage() error { return c.ix.damage }

// Banner describes the capture in a line or two: file, packets, time
// span, link types.
func (c *Capture) Banner() string {
	ix := c.ix
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d packets, %d bytes (%s)", ix.path, ix.len(), ix.bytes, ix.format)
	if first, last, ok := ix.span(); ok {
		const layout = "2006-01-02 15:04:05.000000"
		fmt.Fprintf(&b, ", %s to %s UTC (%.6f s)", time.Unix(0, first).UTC().Format(layout),
			time.Unix(0, last).UTC().Format(layout), float64(last-first)/1e9)
	}
	if len(ix.links) > 0 {
		names := make([]string, len(ix.links))
		for i, l := range ix.links {
			names[i] = l.String()
		}
		fmt.Fprintf(&b, ", link type %s", strings.Join(names, ", "))
	}
	if ix.damage != nil {
		fmt.Fprintf(&b, "\n  the file is damaged after the last packet: %v", ix.damage)
	}
	return b.String()
}

func (c *Capture) String() string {
	return fmt.Sprintf("<capture %s: %d packets>", filepath.Base(c.ix.path), c.ix.len())
}
func (c *Capture) Type() string          { return "capture" }
func (c *Capture) Freeze()               {}
func (c *Capture) Truth() starlark.Bool  { return true }
func (c *Capture) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: capture") }

// value makes the Packet value of frame i (from 0).
func (c *Capture) value(i int) (*Packet, error) {
	p, err := c.ix.packet(i)
	if err != nil {
		return nil, err
	}
	return c.wrap(p), nil
}

// wrap makes a Packet value that never expires around an owned packet.
func (c *Capture) wrap(p *packet.Packet) *Packet {
	return &Packet{p: p, num: p.Num, kept: true, sc: &c.sc, conn: c.connOf(p)}
}

// Index returns packet i (negative indices are resolved by Starlark). A
// frame that can no longer be read is None; cap[i] reports why.
func (c *Capture) Index(i int) starlark.Value {
	pv, err := c.value(i)
	if err != nil {
		return starlark.None
	}
	return pv
}

// Get implements cap[i], with Python's negative indices and an error for
// a frame that cannot be read.
func (c *Capture) Get(k starlark.Value) (starlark.Value, bool, error) {
	i, err := starlark.AsInt32(k)
	if err != nil {
		return nil, false, fmt.Errorf("capture index: got %s, want int", k.Type())
	}
	n := c.Len()
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return nil, false, fmt.Errorf("capture index %s out of range: the capture has %d packets (cap[0] is packet 1, cap[-1] the last)", k, n)
	}
	pv, err := c.value(i)
	if err != nil {
		return nil, false, err
	}
	return pv, true, nil
}

// Slice implements cap[start:end:step]: a list of packets.
func (c *Capture) Slice(start, end, step int) starlark.Value {
	var out []starlark.Value
	for i := start; step > 0 && i < end || step < 0 && i > end; i += step {
		out = append(out, c.Index(i))
	}
	return starlark.NewList(out)
}

// Iterate reads the packets in order with a decoder of its own.
func (c *Capture) Iterate() starlark.Iterator {
	return &captureIter{c: c}
}

type captureIter struct {
	c *Capture
	i int
}

func (it *captureIter) Next(p *starlark.Value) bool {
	if it.i >= it.c.Len() {
		return false
	}
	*p = it.c.Index(it.i)
	it.i++
	return true
}

func (it *captureIter) Done() {}

// captureMembers are the capture's attributes, for dir() and completion.
var captureMembers = []string{"conns", "filter", "format", "link_types", "path", "run", "stats", "streams"}

func (c *Capture) AttrNames() []string { return append([]string(nil), captureMembers...) }

func (c *Capture) Attr(name string) (starlark.Value, error) {
	switch name {
	case "path":
		return starlark.String(c.ix.path), nil
	case "format":
		return starlark.String(c.ix.format), nil
	case "link_types":
		out := make([]starlark.Value, len(c.ix.links))
		for i, l := range c.ix.links {
			out[i] = starlark.String(l.String())
		}
		return starlark.NewList(out), nil
	case "filter", "stats", "conns", "streams", "run":
		return starlark.NewBuiltin(name, captureMethods[name]).BindReceiver(c), nil
	}
	return nil, noSuch("capture", name, captureMembers)
}

var captureMethods map[string]method

func init() {
	captureMethods = map[string]method{
		"filter": capFilter, "stats": capStats, "conns": capConns, "streams": capStreams, "run": capRun,
	}
}

// cancelled returns the function long reads poll: true once the thread
// is interrupted (see Session.Interrupt).
func cancelled(th *starlark.Thread) func() bool {
	s, _ := th.Local(sessionKey).(*Session)
	if s == nil {
		return nil
	}
	return s.interrupted.Load
}

// cap.filter(expr): the packets a display filter matches, as a list.
func capFilter(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c := b.Receiver().(*Capture)
	var expr string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &expr); err != nil {
		return nil, err
	}
	flt, err := filter.Compile(expr)
	if err != nil {
		msg := fmt.Sprintf("filter: %v", err)
		if caret := filter.Caret(err); caret != "" {
			msg += "\n" + caret
		}
		return nil, fmt.Errorf("%s", msg)
	}
	// The matches are read again from the index: the same packets as
	// cap[i], fragments included.
	var nums []int
	err = c.ix.scan(cancelled(th), func(p *packet.Packet) error {
		if flt.Match(p) {
			nums = append(nums, p.Num-1)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(nums))
	for k, i := range nums {
		pv, err := c.value(i)
		if err != nil {
			return nil, err
		}
		out[k] = pv
	}
	return starlark.NewList(out), nil
}
