package scripting

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/dissectors/smb"
	"github.com/wirelark/wirelark/dissectors/smb2"
	"github.com/wirelark/wirelark/engine/packet"
)

// SMB messages (smb_msg): one per SMB1 command of an AndX chain or SMB2
// message of a compound, with what the connection's state knows (tree,
// file, user, the request a response answers), besides the smb.* or
// smb2.* registry fields of its PDU.
//
// The state (dissectors/smb and smb2's State, per TCP connection, with
// SMB2 sessions shared across connections as multichannel needs) sees
// every SMB message of the capture, whatever FILTER and -Y keep, when
// on_smb is defined; nothing of it exists otherwise.

// maxSMBConns bounds the connections whose SMB state is kept; past it the
// oldest is forgotten (counted in smbTracker.evicted).
const maxSMBConns = 4096

// smbItem is one tracked message of the packet being dispatched.
type smbItem struct {
	layer int
	v1    *smb.Message
	v2    *smb2.Message
	rtt   int64 // ns from the request, -1 when it was not seen
}

type smbConn struct {
	v1 *smb.State
	v2 *smb2.State
}

// smbTracker keeps SMB state per TCP connection.
type smbTracker struct {
	conns    map[int]*smbConn // by tcp.stream
	order    []int            // streams in order of first message
	sessions *smb2.Sessions
	items    []smbItem   // the current packet's messages
	anyV2    *smb2.State // one SMB2 state, to read the shared tables' counters
	stats    SMBStats
}

// SMBStats counts the SMB messages a run saw and what its state had to
// forget to stay bounded (--stats, and run.smb in on_end).
type SMBStats struct {
	Messages1, Messages2 int64 // SMB1 commands, SMB2/3 messages
	Encrypted            int64 // SMB3 transform headers (not decrypted)
	Compressed           int64 // SMB 3.1.1 compression headers
	Conns                int64 // connections with SMB state
	ConnsEvicted         int64 // connection states forgotten (maxSMBConns)
	// Dropped counts entries the per-connection and session tables
	// refused or evicted when full (users, trees, files, pending requests),
	// and requests that waited for no response seen.
	Dropped int64
}

func newSMBTracker() *smbTracker {
	return &smbTracker{conns: map[int]*smbConn{}, sessions: smb2.NewSessions(smb2.Limits{})}
}

func (t *smbTracker) conn(stream int) *smbConn {
	c := t.conns[stream]
	if c != nil {
		return c
	}
	if len(t.order) >= maxSMBConns {
		t.stats.Dropped += t.conns[t.order[0]].dropped()
		delete(t.conns, t.order[0])
		t.order = t.order[1:]
		t.stats.ConnsEvicted++
	}
	t.stats.Conns++
	c = &smbConn{}
	t.conns[stream] = c
	t.order = append(t.order, stream)
	return c
}

// observe tracks the SMB messages of a packet, in order, keeping them for
// dispatch. Messages are copied: the state keeps pending requests after
// the packet is gone.
func (t *smbTracker) observe(p *packet.Packet) {
	t.items = t.items[:0]
	if !p.TCP.Valid || !p.Has(packet.ProtoNBSS) {
		return
	}
	c := t.conn(p.TCP.Stream)
	for i := range p.Layers {
		l := &p.Layers[i]
		switch l.Proto {
		case packet.ProtoSMB:
			if c.v1 == nil {
				c.v1 = smb.NewState(smb.Limits{})
			}
			for _, m := range p.SMBMessages(l) {
				t.stats.Messages1++
				mc := new(smb.Message)
				*mc = m
				mc.Time = p.Time
				c.v1.Track(mc)
				it := smbItem{layer: i, v1: mc, rtt: -1}
				if mc.Request != nil {
					it.rtt = p.Time - mc.Request.Time
				}
				t.items = append(t.items, it)
			}
		case packet.ProtoSMB2:
			if c.v2 == nil {
				c.v2 = smb2.NewState(smb2.Limits{}, t.sessions)
				t.anyV2 = c.v2
			}
			for _, m := range p.SMB2Messages(l) {
				t.stats.Messages2++
				switch m.Kind {
				case smb2.KindEncrypted:
					t.stats.Encrypted++
				case smb2.KindCompressed:
					t.stats.Compressed++
				}
				mc := new(smb2.Message)
				*mc = m
				mc.Opaque = p.Time
				c.v2.Track(mc)
				it := smbItem{layer: i, v2: mc, rtt: -1}
				if r := mc.Request; r != nil {
					if at, ok := r.Opaque.(int64); ok {
						it.rtt = p.Time - at
					}
				}
				t.items = append(t.items, it)
			}
		}
	}
}

// dropped sums what a connection's state tables dropped.
func (c *smbConn) dropped() int64 {
	var n int64
	if c.v1 != nil {
		k := c.v1.Counters
		n += k.SessionsDropped + k.TreesDropped + k.FilesDropped + k.PendingEvicted
	}
	if c.v2 != nil {
		d := c.v2.Dropped()
		n += d.Pending
	}
	return n
}

// final returns the counters, with the tables of the connections still
// held and the shared SMB2 sessions.
func (t *smbTracker) final() *SMBStats {
	if t == nil {
		return nil
	}
	st := t.stats
	for _, c := range t.conns {
		st.Dropped += c.dropped()
	}
	if t.anyV2 != nil {
		// The session, tree and file tables are shared: any state of the
		// run reports them.
		d := t.anyV2.Dropped()
		st.Dropped += d.Sessions + d.Trees + d.Files
	}
	return &st
}

// smbAttr makes an attribute from the message's tracked SMB1 or SMB2 view.
func smbAttr(v1 func(m *smb.Message, it *smbItem) starlark.Value, v2 func(m *smb2.Message, it *smbItem) starlark.Value) msgAttr {
	return func(m *Msg, _ *packet.Packet, _ *packet.Layer) starlark.Value {
		it, _ := m.app.(*smbItem)
		switch {
		case it == nil:
			return starlark.None
		case it.v1 != nil:
			return v1(it.v1, it)
		default:
			return v2(it.v2, it)
		}
	}
}

func optUint(v uint64, ok bool) starlark.Value {
	if !ok {
		return starlark.None
	}
	return starlark.MakeUint64(v)
}

// smb2Arg is what an SMB2 request names: the share of a TREE_CONNECT,
// the file of a CREATE, the pattern of a QUERY_DIRECTORY.
func smb2Arg(m *smb2.Message) string {
	if m.IsResponse() && m.Request != nil {
		m = m.Request
	}
	switch b := m.Body.(type) {
	case *smb2.TreeConnectRequest:
		return b.Path
	case *smb2.CreateRequest:
		return b.Name
	case *smb2.QueryDirectoryRequest:
		return b.Pattern
	}
	return ""
}

// smb1Arg is the same for SMB1: the path of a TREE_CONNECT_ANDX, the
// name of a create, open or path request, a Trans2 file name or pattern.
func smb1Arg(m *smb.Message) string {
	if m.IsResponse() && m.Request != nil {
		m = m.Request
	}
	if b, ok := m.Body.(*smb.TreeConnectRequest); ok {
		return b.Path
	}
	return m.Name
}

// smb2Sub is the sub-command of an SMB2 message: the FSCTL of an IOCTL,
// the information class of QUERY_INFO and SET_INFO.
func smb2Sub(m *smb2.Message) string {
	r := m
	if m.IsResponse() && m.Request != nil {
		r = m.Request
	}
	switch b := r.Body.(type) {
	case *smb2.IoctlRequest:
		return smb2.FSCTLName(b.CtlCode)
	case *smb2.QueryInfoRequest:
		return smb2.InfoClassName(b.InfoType, b.Class)
	case *smb2.SetInfoRequest:
		return smb2.InfoClassName(b.InfoType, b.Class)
	case *smb2.QueryDirectoryRequest:
		return smb2.FindInfoName(b.InfoClass)
	}
	return ""
}

func smb2Version(m *smb2.Message) int {
	if m.Dialect >= 0x0300 && m.Dialect != smb2.DialectWildcard {
		return 3
	}
	return 2
}

func smb2User(m *smb2.Message) string {
	if m.User == nil {
		return ""
	}
	return m.User.String()
}

func smb1User(m *smb.Message) string {
	switch {
	case m.User == "":
		return ""
	case m.Domain != "":
		return m.Domain + `\` + m.User
	}
	return m.User
}

var smbKind = newKind("smb_msg", "on_smb", map[string]msgAttr{
	"version": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.MakeInt(1) },
		func(m *smb2.Message, _ *smbItem) starlark.Value { return starlark.MakeInt(smb2Version(m)) }),
	"command": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.String(m.CommandName()) },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			switch m.Kind {
			case smb2.KindEncrypted:
				return starlark.String("ENCRYPTED")
			case smb2.KindCompressed:
				return starlark.String("COMPRESSED")
			}
			return starlark.String(m.Name())
		}),
	"command_code": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.MakeInt(int(m.Command)) },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			return optUint(uint64(m.Command), m.Kind == smb2.KindSMB2)
		}),
	"command_display": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			return starlark.String(smb.CommandDisplayName(m.Command))
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value { return starlark.String(smb2.DisplayName(m.Command)) }),
	"sub_command": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			if s := m.SubCommandName(); s != "" {
				return starlark.String(s)
			}
			if m.IsResponse() && m.Request != nil {
				return optStr(m.Request.SubCommandName())
			}
			return starlark.None
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value { return optStr(smb2Sub(m)) }),
	"argument": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return optStr(smb1Arg(m)) },
		func(m *smb2.Message, _ *smbItem) starlark.Value { return optStr(smb2Arg(m)) }),
	"is_response": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.Bool(m.IsResponse()) },
		func(m *smb2.Message, _ *smbItem) starlark.Value { return starlark.Bool(m.IsResponse()) }),
	"status": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			if !m.IsResponse() {
				return starlark.None
			}
			return starlark.String(m.Header.StatusName())
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			if !m.IsResponse() || m.Kind != smb2.KindSMB2 {
				return starlark.None
			}
			return starlark.String(m.StatusName())
		}),
	"status_code": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			return optUint(uint64(m.Header.Status), m.IsResponse())
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			return optUint(uint64(m.Status), m.IsResponse() && m.Kind == smb2.KindSMB2)
		}),
	"pending": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.False },
		func(m *smb2.Message, _ *smbItem) starlark.Value { return starlark.Bool(m.Pending) }),
	"encrypted": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.False },
		func(m *smb2.Message, _ *smbItem) starlark.Value { return starlark.Bool(m.Kind == smb2.KindEncrypted) }),
	"message_id": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.MakeInt(int(m.Header.MID)) },
		func(m *smb2.Message, _ *smbItem) starlark.Value { return starlark.MakeUint64(m.MessageID) }),
	"session_id": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.MakeInt(int(m.Header.UID)) },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			if m.Kind == smb2.KindEncrypted && m.Transform != nil {
				return starlark.MakeUint64(m.Transform.SessionID)
			}
			return starlark.MakeUint64(m.SessionID)
		}),
	"tree_id": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.MakeInt(int(m.Header.TID)) },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			return optUint(uint64(m.TreeID), m.Kind == smb2.KindSMB2 && !m.IsAsync())
		}),
	"pid": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.MakeUint64(uint64(m.Header.PID())) },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			return optUint(uint64(m.ProcessID), m.Kind == smb2.KindSMB2 && !m.IsAsync())
		}),
	"tree": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return optStr(m.Tree) },
		func(m *smb2.Message, _ *smbItem) starlark.Value { return optStr(m.Tree) }),
	"tree_service": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return optStr(m.Service) },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			if m.ShareType == 0 {
				return starlark.None
			}
			return starlark.String(smb2.ShareTypeName(m.ShareType))
		}),
	"filename": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return optStr(m.Filename) },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			if !m.HasFile {
				return starlark.None
			}
			return starlark.String(m.Filename)
		}),
	"user": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return optStr(smb1User(m)) },
		func(m *smb2.Message, _ *smbItem) starlark.Value { return optStr(smb2User(m)) }),
	"dialects": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			if b, ok := m.Body.(*smb.NegotiateRequest); ok {
				return strList(b.Dialects)
			}
			return starlark.None
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			if b, ok := m.Body.(*smb2.NegotiateRequest); ok {
				names := make([]string, len(b.Dialects))
				for i, d := range b.Dialects {
					names[i] = smb2.DialectName(d)
				}
				return strList(names)
			}
			return starlark.None
		}),
	"dialect": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			if b, ok := m.Body.(*smb.NegotiateResponse); ok && m.Request != nil {
				if rq, ok := m.Request.Body.(*smb.NegotiateRequest); ok && int(b.DialectIndex) < len(rq.Dialects) {
					return starlark.String(rq.Dialects[b.DialectIndex])
				}
			}
			return starlark.None
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			if m.Dialect == 0 {
				return starlark.None
			}
			return starlark.String(smb2.DialectName(m.Dialect))
		}),
	"offset": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			r := m
			if m.IsResponse() && m.Request != nil {
				r = m.Request
			}
			switch r.Command {
			case smb.CmdReadAndX, smb.CmdWriteAndX:
				return starlark.MakeUint64(r.FileOffset)
			}
			return starlark.None
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			r := m
			if m.IsResponse() && m.Request != nil {
				r = m.Request
			}
			switch b := r.Body.(type) {
			case *smb2.ReadRequest:
				return starlark.MakeUint64(b.Offset)
			case *smb2.WriteRequest:
				return starlark.MakeUint64(b.Offset)
			}
			return starlark.None
		}),
	"length": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			switch m.Command {
			case smb.CmdReadAndX, smb.CmdWriteAndX:
				return starlark.MakeUint64(uint64(m.Length))
			}
			return starlark.None
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			switch b := m.Body.(type) {
			case *smb2.ReadRequest:
				return starlark.MakeUint64(uint64(b.Length))
			case *smb2.WriteRequest:
				return starlark.MakeUint64(uint64(b.Length))
			case *smb2.ReadResponse:
				return starlark.MakeUint64(uint64(b.DataLength))
			case *smb2.WriteResponse:
				return starlark.MakeUint64(uint64(b.Count))
			}
			return starlark.None
		}),
	"info_level": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			r := m
			if m.IsResponse() && m.Request != nil {
				r = m.Request
			}
			if !r.HasInfoLevel {
				return starlark.None
			}
			return starlark.String(smb.InfoLevelName(r.SubCommand, r.InfoLevel))
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			r := m
			if m.IsResponse() && m.Request != nil {
				r = m.Request
			}
			switch b := r.Body.(type) {
			case *smb2.QueryInfoRequest:
				return starlark.String(smb2.InfoClassName(b.InfoType, b.Class))
			case *smb2.SetInfoRequest:
				return starlark.String(smb2.InfoClassName(b.InfoType, b.Class))
			case *smb2.QueryDirectoryRequest:
				return starlark.String(smb2.FindInfoName(b.InfoClass))
			}
			return starlark.None
		}),
	"file_id": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			if b, ok := m.Body.(*smb.NTCreateResponse); ok {
				return starlark.String(fmt.Sprintf("0x%04x", b.FID))
			}
			if !m.HasFID {
				return starlark.None
			}
			return starlark.String(fmt.Sprintf("0x%04x", m.FID))
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			id, ok := m.FileID()
			if !ok && m.IsResponse() && m.Request != nil {
				id, ok = m.Request.FileID()
			}
			if ok {
				if id == smb2.AnyFileID {
					return starlark.String("related")
				}
				return starlark.String(id.String())
			}
			return starlark.None
		}),
	"file_size": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			if b, ok := m.Body.(*smb.NTCreateResponse); ok {
				return starlark.MakeUint64(b.EndOfFile)
			}
			return starlark.None
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			switch b := m.Body.(type) {
			case *smb2.CreateResponse:
				return starlark.MakeUint64(b.EndOfFile)
			case *smb2.SetInfoRequest:
				if b.EndOfFile != 0 {
					return starlark.MakeUint64(b.EndOfFile)
				}
			}
			return starlark.None
		}),
	"new_name": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.None },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			r := m
			if m.IsResponse() && m.Request != nil {
				r = m.Request
			}
			if b, ok := r.Body.(*smb2.SetInfoRequest); ok && b.IsRename() {
				return optStr(b.NewName)
			}
			return starlark.None
		}),
	"delete_pending": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value { return starlark.None },
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			r := m
			if m.IsResponse() && m.Request != nil {
				r = m.Request
			}
			if b, ok := r.Body.(*smb2.SetInfoRequest); ok && b.IsDisposition() {
				return starlark.Bool(b.DeletePending)
			}
			return starlark.None
		}),
	"rtt": smbAttr(
		func(m *smb.Message, it *smbItem) starlark.Value { return rttValue(it.rtt) },
		func(m *smb2.Message, it *smbItem) starlark.Value { return rttValue(it.rtt) }),
	"request_time": smbAttr(
		func(m *smb.Message, _ *smbItem) starlark.Value {
			if m.Request == nil {
				return starlark.None
			}
			return epochSeconds(m.Request.Time)
		},
		func(m *smb2.Message, _ *smbItem) starlark.Value {
			if m.Request != nil {
				if at, ok := m.Request.Opaque.(int64); ok {
					return epochSeconds(at)
				}
			}
			return starlark.None
		}),
})

// rttValue is a response's time since its request in seconds, None when
// the request was not seen.
func rttValue(ns int64) starlark.Value {
	if ns < 0 {
		return starlark.None
	}
	return starlark.Float(float64(ns) / 1e9)
}
