package scripting

import (
	"fmt"
	"io"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/capfilter"
	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/engine/source"
)

// capture.live: a capture of what an interface sees, held in memory and
// indexed as a file is, so that everything a capture offers (cap[n],
// filter, stats, conns, streams, run) works on it.

// LiveCapture says what capture.live captures and when it stops.
type LiveCapture struct {
	Interfaces []string // names, as `wirelark interfaces` lists them; "any" for all
	Filter     string   // capture filter (pcap-filter syntax), run in the kernel
	Count      int      // stop after this many packets; 0: no limit
	Duration   time.Duration
	Snaplen    int // bytes kept of each packet; 0 is live.DefaultSnaplen
	NoPromisc  bool
}

// openLiveSource opens the interfaces; the tests open them inside a
// network namespace.
var openLiveSource = live.Open

// liveTick is how often a quiet capture checks for an interrupt.
const liveTick = 200 * time.Millisecond

// OpenLive captures on the interfaces until the count or the duration is
// reached, or Interrupt is called (Ctrl-C in the REPL), and returns a
// capture of what was seen. Progress and the kernel's counters are
// written to the session's output.
func (sess *Session) OpenLive(opt LiveCapture) (*Capture, error) {
	if len(opt.Interfaces) == 0 {
		return nil, fmt.Errorf("no interface to capture on")
	}
	src, err := openLiveSource(opt.Interfaces, live.Options{
		Snaplen: opt.Snaplen, NoPromisc: opt.NoPromisc, Filter: opt.Filter,
		Compile: capfilter.CompileLiveRaw, Tick: liveTick,
	})
	if err != nil {
		if c := capfilter.Caret(err); c != "" {
			return nil, fmt.Errorf("%v\n%s", err, c)
		}
		return nil, err
	}
	defer src.Close()
	name := strings.Join(opt.Interfaces, ",")
	ix := newIndex(name, "live")
	ix.live = true
	if !sess.startLive(src) {
		return nil, ErrInterrupted
	}
	defer sess.startLive(nil)
	if opt.Duration > 0 {
		t := time.AfterFunc(opt.Duration, src.Stop)
		defer t.Stop()
	}
	out := sess.cfg.Out
	fmt.Fprintf(out, "capture.live: capturing on %s (Ctrl-C stops)\n", name)
	out.Flush()
	b := ix.builder()
	var f source.Frame
	for opt.Count <= 0 || b.n < opt.Count {
		if sess.interrupted.Load() {
			break
		}
		err := src.Next(&f)
		if live.IsIdle(err) {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if b.n >= 1<<31-1 {
			break
		}
		off := int64(len(ix.blob))
		ix.blob = append(ix.blob, f.Data...)
		b.add(&f, off)
		sess.liveSeen.Store(int64(b.n))
	}
	b.done()
	fmt.Fprintf(out, "capture.live: %d packets captured\n", ix.len())
	live.PrintStats(out, "capture.live: ", src.Stats())
	out.Flush()
	c := &Capture{ix: ix, env: sess}
	sess.captures = append(sess.captures, c)
	return c, nil
}

// startLive records the capture in progress, which Interrupt stops; it
// reports false when an interrupt came first.
func (sess *Session) startLive(src *live.Source) bool {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	sess.liveSrc = src
	sess.liveSeen.Store(0)
	return src == nil || !sess.interrupted.Load()
}

// capture.live(iface, filter="", count=0, duration=None, snaplen=0,
// promisc=True): a capture of what the interfaces see.
func (sess *Session) live(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var (
		ifaces   starlark.Value
		opt      LiveCapture
		duration starlark.Value = starlark.None
		promisc                 = true
	)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "iface", &ifaces, "filter?", &opt.Filter,
		"count?", &opt.Count, "duration?", &duration, "snaplen?", &opt.Snaplen, "promisc?", &promisc); err != nil {
		return nil, err
	}
	var err error
	if opt.Interfaces, err = interfaceNames(ifaces); err != nil {
		return nil, fmt.Errorf("%s: %v", b.Name(), err)
	}
	if opt.Duration, err = durationArg(duration); err != nil {
		return nil, fmt.Errorf("%s: duration: %v", b.Name(), err)
	}
	if opt.Count < 0 || opt.Snaplen < 0 {
		return nil, fmt.Errorf("%s: count and snaplen must not be negative", b.Name())
	}
	opt.NoPromisc = !promisc
	c, err := sess.OpenLive(opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", b.Name(), err)
	}
	return c, nil
}

// interfaceNames reads iface: a name, or a list or tuple of names.
func interfaceNames(v starlark.Value) ([]string, error) {
	if s, ok := starlark.AsString(v); ok {
		return []string{s}, nil
	}
	it, ok := v.(starlark.Iterable)
	if !ok {
		return nil, fmt.Errorf("iface: got %s, want a name or a list of names", v.Type())
	}
	var names []string
	iter := it.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		s, ok := starlark.AsString(x)
		if !ok {
			return nil, fmt.Errorf("iface: got a %s in the list, want names", x.Type())
		}
		names = append(names, s)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("iface: no interface named")
	}
	return names, nil
}

// durationArg reads a duration: None (no limit), seconds as a number, or
// a string such as "30s" or "1m30s".
func durationArg(v starlark.Value) (time.Duration, error) {
	var d time.Duration
	switch v := v.(type) {
	case starlark.NoneType:
		return 0, nil
	case starlark.String:
		var err error
		if d, err = time.ParseDuration(string(v)); err != nil {
			return 0, err
		}
	case starlark.Int, starlark.Float:
		f, _ := starlark.AsFloat(v)
		if f > float64(1<<62)/1e9 {
			return 0, fmt.Errorf("%v seconds is too long", v)
		}
		d = time.Duration(f * 1e9)
	default:
		return 0, fmt.Errorf("got %s, want seconds or a string such as \"30s\"", v.Type())
	}
	if d <= 0 {
		return 0, fmt.Errorf("%v: want a positive duration", v)
	}
	return d, nil
}
