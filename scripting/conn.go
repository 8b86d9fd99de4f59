package scripting

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/flow"
)

// Conn is the Starlark value of one connection (type "conn"), as
// engine/flow describes it with Zeek's conn.log meanings.
//
// A Conn is a snapshot: on_conn_start and on_handshake receive a copy of
// the connection as it was at that event, on_conn_end the final
// connection, which the flow table never changes again. So a Conn kept in
// a global stays valid and keeps describing the moment it was made;
// stream.conn makes a fresh snapshot each time it is read.
type Conn struct {
	c *flow.Conn
}

var _ starlark.HasAttrs = (*Conn)(nil)

// snapshotConn copies a live connection; an ended one is final already.
func snapshotConn(c *flow.Conn) *Conn {
	if c.Ended() {
		return &Conn{c: c}
	}
	return &Conn{c: c.Snapshot()}
}

func (cv *Conn) String() string {
	c := cv.c
	return fmt.Sprintf("<conn %d %s %s -> %s %s %s>", c.ID, c.Proto, c.Client(), c.Server(), c.State(), c.History())
}
func (cv *Conn) Type() string         { return "conn" }
func (cv *Conn) Freeze()              {}
func (cv *Conn) Truth() starlark.Bool { return true }
func (cv *Conn) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: conn (use conn.id or conn.uid as a key)")
}

// connMembers are the attributes of a Conn, in the order dir() lists them.
var connMembers = []string{
	"ack_time", "client", "duration", "end", "end_reason", "ended", "history", "id",
	"missed_bytes", "orig_bytes", "orig_h", "orig_ip_bytes", "orig_p", "orig_pkts",
	"proto", "resp_bytes", "resp_h", "resp_ip_bytes", "resp_p", "resp_pkts", "rtt",
	"server", "service", "start", "state", "syn_count", "syn_time", "synack_time", "uid",
}

func (cv *Conn) AttrNames() []string { return append([]string(nil), connMembers...) }

func (cv *Conn) Attr(name string) (starlark.Value, error) {
	c := cv.c
	switch name {
	case "id":
		return starlark.MakeInt(c.ID), nil
	case "uid":
		return starlark.MakeUint64(c.UID), nil
	case "proto":
		return starlark.String(c.Proto.String()), nil
	case "client":
		return starlark.String(c.Client()), nil
	case "server":
		return starlark.String(c.Server()), nil
	case "orig_h":
		return starlark.String(c.OrigH.String()), nil
	case "orig_p":
		return starlark.MakeInt(int(c.OrigP)), nil
	case "resp_h":
		return starlark.String(c.RespH.String()), nil
	case "resp_p":
		return starlark.MakeInt(int(c.RespP)), nil
	case "start":
		return epochSeconds(c.Start), nil
	case "end":
		return epochSeconds(c.End), nil
	case "duration":
		return starlark.Float(float64(c.Duration()) / 1e9), nil
	case "orig_pkts":
		return starlark.MakeUint64(c.OrigPkts), nil
	case "resp_pkts":
		return starlark.MakeUint64(c.RespPkts), nil
	case "orig_bytes":
		return starlark.MakeUint64(c.OrigBytes()), nil
	case "resp_bytes":
		return starlark.MakeUint64(c.RespBytes()), nil
	case "orig_ip_bytes":
		return starlark.MakeUint64(c.OrigIPBytes), nil
	case "resp_ip_bytes":
		return starlark.MakeUint64(c.RespIPBytes), nil
	case "missed_bytes":
		return starlark.MakeUint64(c.MissedBytes), nil
	case "state":
		return starlark.String(c.State()), nil
	case "history":
		return starlark.String(c.History()), nil
	case "service":
		return starlark.String(c.Service), nil
	case "syn_time":
		return optTime(c.SynTime), nil
	case "synack_time":
		return optTime(c.SynAckTime), nil
	case "ack_time":
		return optTime(c.AckTime), nil
	case "rtt":
		if c.RTT() == 0 {
			return starlark.None, nil
		}
		return starlark.Float(float64(c.RTT()) / 1e9), nil
	case "syn_count":
		return starlark.MakeInt(c.SynCount), nil
	case "ended":
		return starlark.Bool(c.Ended()), nil
	case "end_reason":
		if !c.Ended() {
			return starlark.None, nil
		}
		return starlark.String(c.EndReason.String()), nil
	}
	return nil, nil
}

// optTime is a packet time in float seconds, None for 0 (not seen).
func optTime(ns int64) starlark.Value {
	if ns == 0 {
		return starlark.None
	}
	return epochSeconds(ns)
}
