package scripting

import (
	"sort"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/flow"
	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/reassembly"
)

// analysis is the connections and TCP streams of a capture: the flow
// table and the reassembler run over every packet once, as for a script
// with on_conn_end and on_stream_data (conntrack.go), and the result is
// kept for cap.conns(), cap.streams() and pkt.conn.
type analysis struct {
	conns   []*flow.Conn   // every connection, in order of start (uid)
	streams []*streamState // TCP byte streams, by tcp.stream
	byPkt   map[connKey]*flow.Conn
}

// connKey finds a packet's connection: TCP and UDP connections by their
// stream index.
type connKey struct {
	proto flow.Proto
	id    int
}

// analyse runs the connection tracker over the capture once.
func (c *Capture) analyse(th *starlark.Thread) (*analysis, error) {
	if c.done != nil {
		return c.done, nil
	}
	// A script without handlers: the tracker's calls do nothing, and it
	// keeps stream bytes within the bounds of stream.data().
	t := &connTracker{s: &Script{}}
	a := &analysis{byPkt: map[connKey]*flow.Conn{}}
	seen := map[*streamState]bool{}
	keepStream := func(st *streamState) {
		if st != nil && !seen[st] {
			seen[st] = true
			a.streams = append(a.streams, st)
		}
	}
	t.table = flow.New(flow.Config{Events: flow.Events{
		Start: t.start,
		End: func(fc *flow.Conn) {
			st := t.streams[fc.ID]
			t.end(fc)
			if fc.Proto == flow.TCP && st != nil && st.conn == fc {
				keepStream(st)
			}
			a.conns = append(a.conns, fc)
		},
	}})
	t.reasm = reassembly.New(reassembly.Limits{}, t.chunk)
	t.streams = map[int]*streamState{}
	t.budget = StreamKeepTotal
	err := c.ix.scan(cancelled(th), func(p *packet.Packet) error {
		return t.observe(p)
	})
	if err != nil {
		return nil, err
	}
	if err := t.finish(); err != nil {
		return nil, err
	}
	for _, st := range t.streams {
		keepStream(st)
	}
	sort.Slice(a.conns, func(i, j int) bool { return a.conns[i].UID < a.conns[j].UID })
	sort.SliceStable(a.streams, func(i, j int) bool { return a.streams[i].conn.ID < a.streams[j].conn.ID })
	for _, fc := range a.conns {
		if fc.Proto != flow.ICMP {
			// A tuple reused after a close keeps its stream index: the
			// later connection is the one its packets ended with.
			a.byPkt[connKey{fc.Proto, fc.ID}] = fc
		}
	}
	c.done = a
	return a, nil
}

// connOf is the connection of a packet once the capture was analysed,
// nil before.
func (c *Capture) connOf(p *packet.Packet) *flow.Conn {
	if c.done == nil {
		return nil
	}
	switch {
	case p.TCP.Valid && !p.TCP.Quoted:
		return c.done.byPkt[connKey{flow.TCP, p.TCP.Stream}]
	case p.UDP.Valid && !p.UDP.Quoted:
		return c.done.byPkt[connKey{flow.UDP, p.UDP.Stream}]
	}
	return nil
}

// cap.conns(): every connection, in order of start.
func capConns(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c := b.Receiver().(*Capture)
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	a, err := c.analyse(th)
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(a.conns))
	for i, fc := range a.conns {
		out[i] = &Conn{c: fc}
	}
	return starlark.NewList(out), nil
}

// cap.streams(): one Stream per TCP connection, by tcp.stream; each is
// the direction of Follow's Node 0, and follow() shows both.
func capStreams(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c := b.Receiver().(*Capture)
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	a, err := c.analyse(th)
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(a.streams))
	for i, st := range a.streams {
		out[i] = &Stream{st: st, dir: reassembly.Orig}
	}
	return starlark.NewList(out), nil
}
