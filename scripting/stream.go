package scripting

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/flow"
	"github.com/wirelark/wirelark/engine/reassembly"
)

// Bounds of the stream bytes the engine keeps for stream.data() and
// stream.follow(). on_stream_data always receives every byte; only what
// is kept for later is bounded, so that memory stays flat however long
// the capture: the first StreamKeepDir bytes of each direction, while all
// connections together keep at most StreamKeepTotal. A connection's bytes
// are released when it ends (unless the script still holds its Stream).
const (
	StreamKeepDir   = 1 << 20
	StreamKeepTotal = 64 << 20
)

// streamState is the engine's record of one TCP connection's two byte
// streams.
type streamState struct {
	conn *flow.Conn
	// node0 sent the stream's first segment: the reassembler's Orig and
	// Follow's "Node 0", which is the conn's originator unless the flow
	// table flipped the roles later.
	node0, node1 netip.AddrPort
	data         [2][]byte // kept bytes, by reassembly.Dir
	gaps         [2]int64  // bytes missing so far, by reassembly.Dir
	dropped      [2]int64  // bytes delivered but not kept
	recs         []followRec
	vals         [2]*Stream // the Stream values handed to on_stream_data
}

// followRec is one delivered chunk, for follow(): where its kept bytes
// are, and the gap before it.
type followRec struct {
	dir      reassembly.Dir
	off, n   int
	gap      int
	gapAcked bool
}

// keep appends a chunk's bytes within the bounds; it returns how many it
// kept. budget is what all connections may still keep.
func (st *streamState) keep(ch *reassembly.Chunk, budget *int) int {
	d := ch.Dir
	n := min(len(ch.Data), StreamKeepDir-len(st.data[d]), *budget)
	n = max(n, 0)
	st.dropped[d] += int64(len(ch.Data) - n)
	if n == 0 && ch.Gap == 0 {
		return 0
	}
	off := len(st.data[d])
	st.data[d] = append(st.data[d], ch.Data[:n]...)
	*budget -= n
	st.recs = append(st.recs, followRec{dir: d, off: off, n: n, gap: ch.Gap, gapAcked: ch.Cause == reassembly.GapAcked})
	return n
}

// kept is the number of bytes the state holds.
func (st *streamState) kept() int { return len(st.data[0]) + len(st.data[1]) }

// direction names a reassembly direction from the conn's point of view.
func (st *streamState) direction(d reassembly.Dir) string {
	sender := st.node0
	if d == reassembly.Resp {
		sender = st.node1
	}
	if sender == netip.AddrPortFrom(st.conn.OrigH, st.conn.OrigP) {
		return "orig"
	}
	return "resp"
}

// follow renders the kept bytes as tshark -z follow,tcp,ascii does: the
// nodes, then each chunk as its length (indented by a tab for Node 1) and
// its bytes, with non-printing bytes as '.'.
func (st *streamState) follow() string {
	var b strings.Builder
	line := strings.Repeat("=", 67)
	fmt.Fprintf(&b, "%s\nFollow: tcp,ascii\nFilter: tcp.stream eq %d\nNode 0: %s\nNode 1: %s\n", line, st.conn.ID, st.node0, st.node1)
	for _, r := range st.recs {
		data := st.data[r.dir][r.off : r.off+r.n]
		var text []byte
		if r.gap > 0 && r.gapAcked {
			text = append(text, fmt.Sprintf("[%d bytes missing in capture file].", r.gap)...)
		}
		for _, c := range data {
			if c < 0x20 && c != '\n' && c != '\r' || c >= 0x7f {
				c = '.'
			}
			text = append(text, c)
		}
		if len(text) == 0 {
			continue
		}
		if r.dir == reassembly.Resp {
			b.WriteByte('\t')
		}
		b.WriteString(strconv.Itoa(len(text)))
		b.WriteByte('\n')
		b.Write(text)
		b.WriteByte('\n')
	}
	b.WriteString(line)
	b.WriteByte('\n')
	return b.String()
}

// Stream is the Starlark value of one direction of a TCP connection (type
// "stream"). It stays usable after the handler call: data() and follow()
// give what was kept so far (see StreamKeepDir), conn a snapshot of the
// connection when read.
type Stream struct {
	st  *streamState
	dir reassembly.Dir
}

var _ starlark.HasAttrs = (*Stream)(nil)

func (sv *Stream) String() string {
	return fmt.Sprintf("<stream %d %s>", sv.st.conn.ID, sv.st.direction(sv.dir))
}
func (sv *Stream) Type() string          { return "stream" }
func (sv *Stream) Freeze()               {}
func (sv *Stream) Truth() starlark.Bool  { return true }
func (sv *Stream) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: stream") }

var streamMembers = []string{"conn", "data", "direction", "dropped", "follow", "gaps"}

func (sv *Stream) AttrNames() []string { return append([]string(nil), streamMembers...) }

func (sv *Stream) Attr(name string) (starlark.Value, error) {
	st := sv.st
	switch name {
	case "conn":
		return snapshotConn(st.conn), nil
	case "direction":
		return starlark.String(st.direction(sv.dir)), nil
	case "gaps":
		return starlark.MakeInt64(st.gaps[sv.dir]), nil
	case "dropped":
		return starlark.MakeInt64(st.dropped[sv.dir]), nil
	case "data":
		return starlark.NewBuiltin("data", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kw, 0); err != nil {
				return nil, err
			}
			return starlark.Bytes(st.data[sv.dir]), nil
		}), nil
	case "follow":
		return starlark.NewBuiltin("follow", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kw, 0); err != nil {
				return nil, err
			}
			return starlark.String(st.follow()), nil
		}), nil
	}
	return nil, nil
}
