package smb

import (
	"bytes"

	"github.com/wirelark/wirelark/dissectors/ntlmssp"
)

// Limits bound the state of one connection. A zero field takes its
// default.
type Limits struct {
	MaxSessions int // uid -> user; default 64
	MaxTrees    int // tid -> share; default 256
	MaxFiles    int // fid -> file name; default 4096
	MaxPending  int // requests awaiting their response; default 1024
}

func (l Limits) withDefaults() Limits {
	if l.MaxSessions <= 0 {
		l.MaxSessions = 64
	}
	if l.MaxTrees <= 0 {
		l.MaxTrees = 256
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = 4096
	}
	if l.MaxPending <= 0 {
		l.MaxPending = 1024
	}
	return l
}

// Counters say what State dropped to stay within its Limits and what it
// could not pair.
type Counters struct {
	SessionsDropped int64 // new sessions not remembered: table full
	TreesDropped    int64
	FilesDropped    int64
	PendingEvicted  int64 // oldest requests forgotten to make room
	Unanswered      int64 // responses without a pending request
}

// Session is what State knows of a uid.
type Session struct {
	User, Domain, Host string
}

// Tree is what State knows of a tid.
type Tree struct {
	Path, Service string
}

// pendingKey identifies a request: the response repeats pid and mid, and
// the commands of an AndX chain share them, so the command tells those
// apart.
type pendingKey struct {
	pid uint32
	mid uint16
	cmd uint8
}

// State follows one connection: sessions, trees and open files, and the
// requests awaiting a response. It is not safe for concurrent use.
type State struct {
	lim      Limits
	Counters Counters

	sessions map[uint16]Session
	trees    map[uint16]Tree
	files    map[uint16]string
	pending  map[pendingKey]*Message
	order    []pendingKey // insertion order of pending, for eviction
	head     int
}

// NewState returns an empty State bounded by lim.
func NewState(lim Limits) *State {
	return &State{
		lim:      lim.withDefaults(),
		sessions: map[uint16]Session{},
		trees:    map[uint16]Tree{},
		files:    map[uint16]string{},
		pending:  map[pendingKey]*Message{},
	}
}

// Sizes returns the number of sessions, trees, files and pending requests
// held.
func (s *State) Sizes() (sessions, trees, files, pending int) {
	return len(s.sessions), len(s.trees), len(s.files), len(s.pending)
}

// Session, TreeOf and File look up what State knows of an id.
func (s *State) Session(uid uint16) (Session, bool) { x, ok := s.sessions[uid]; return x, ok }
func (s *State) TreeOf(tid uint16) (Tree, bool)     { x, ok := s.trees[tid]; return x, ok }
func (s *State) File(fid uint16) (string, bool)     { x, ok := s.files[fid]; return x, ok }

// Track updates the state with m, a message of this connection in
// capture order, and fills m's Tree, Service, Filename, User, Domain and
// Host. For a response it sets m.Request to the request it answers, and
// fills what only the request knew: the Trans2 sub-command and level, the
// file name of a create, the chosen dialect's name.
func (s *State) Track(m *Message) {
	if m.IsResponse() {
		s.response(m)
	} else {
		s.request(m)
	}
	s.annotate(m)
}

func (s *State) request(m *Message) {
	switch m.Command {
	case CmdNTCancel, CmdTransactionSecondary, CmdTransaction2Secondary, CmdNTTransactSecondary:
		// No response of their own: a cancel is answered by the
		// cancelled request's response, secondaries by the primary's.
		return
	}
	if r, _ := m.Body.(*TransRequest); r != nil && r.Flags&TransNoResponse != 0 {
		return
	}
	if m.Malformed != "" && m.Body == nil && m.WordCount == 0 && len(m.Data) == 0 {
		return
	}
	k := pendingKey{m.Header.PID(), m.Header.MID, m.Command}
	if _, dup := s.pending[k]; !dup && len(s.pending) >= s.lim.MaxPending {
		s.evict()
	}
	keep := *m
	keep.Params, keep.Data, keep.Request = nil, nil, nil
	if _, dup := s.pending[k]; !dup {
		s.order = append(s.order, k)
	}
	s.pending[k] = &keep
	if len(s.order)-s.head > 2*s.lim.MaxPending {
		s.compact()
	}
}

// compact drops from the eviction order the keys already answered.
func (s *State) compact() {
	seen := make(map[pendingKey]bool, len(s.pending))
	out := s.order[:0]
	for _, k := range s.order[s.head:] {
		if _, ok := s.pending[k]; ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	s.order, s.head = out, 0
}

// evict forgets the oldest pending request.
func (s *State) evict() {
	for s.head < len(s.order) {
		k := s.order[s.head]
		s.head++
		if _, ok := s.pending[k]; ok {
			delete(s.pending, k)
			s.Counters.PendingEvicted++
			return
		}
	}
}

func (s *State) response(m *Message) {
	k := pendingKey{m.Header.PID(), m.Header.MID, m.Command}
	req := s.pending[k]
	if req == nil {
		s.Counters.Unanswered++
	} else {
		m.Request = req
		if s.final(m) {
			delete(s.pending, k)
			// The last response of a chain ends the request's
			// chain: commands the server did not reach (after an
			// error, say) get no response of their own.
			if m.Last && (m.Chain > 0 || !m.Header.Success()) {
				for i := uint16(0); i < 256; i++ {
					delete(s.pending, pendingKey{k.pid, k.mid, uint8(i)})
				}
			}
		}
		s.inherit(m, req)
	}
	ok := m.Header.Success()
	switch m.Command {
	case CmdSessionSetupAndX:
		if b, _ := reqBody[*SessionSetupRequest](req); b != nil && ok {
			// Without extended security the request names the account;
			// with it, the NTLMSSP AUTHENTICATE in the blob does.
			if u, found := authUser(b.SecurityBlob); found {
				s.setSession(m.Header.UID, u)
			} else if b.Account != "" {
				s.setSession(m.Header.UID, Session{User: b.Account, Domain: b.PrimaryDomain})
			}
		}
	case CmdLogoffAndX:
		if ok {
			delete(s.sessions, m.Header.UID)
		}
	case CmdTreeConnectAndX:
		if req != nil && ok && m.WordCount > 0 {
			t := Tree{Path: req.Name}
			if b, _ := m.Body.(*TreeConnectResponse); b != nil {
				t.Service = b.Service
			}
			s.setTree(m.Header.TID, t)
		}
	case CmdTreeDisconnect:
		if ok {
			delete(s.trees, m.Header.TID)
		}
	case CmdNTCreateAndX, CmdOpenAndX, CmdNTTransact:
		if req != nil && ok && m.HasFID {
			s.setFile(m.FID, req.Name)
		}
	}
	if b, _ := m.Body.(*NegotiateResponse); b != nil {
		if r, _ := reqBody[*NegotiateRequest](req); r != nil && int(b.DialectIndex) < len(r.Dialects) {
			b.Dialect = r.Dialects[b.DialectIndex]
		}
	}
}

// reqBody returns the request's Body as a T, if it is one.
func reqBody[T any](req *Message) (T, bool) {
	var zero T
	if req == nil {
		return zero, false
	}
	b, ok := req.Body.(T)
	return b, ok
}

// final reports whether m is the last response to its request: not an
// interim STATUS_PENDING, nor an interim or partial transaction response.
func (s *State) final(m *Message) bool {
	if m.Header.NTStatus() && m.Header.Status == 0x00000103 {
		return false
	}
	switch m.Command {
	case CmdEcho:
		// One response per echo asked for, numbered from 1.
		r, _ := m.Body.(*EchoResponse)
		q, _ := reqBody[*EchoRequest](m.Request)
		return r == nil || q == nil || r.Sequence >= q.Count
	case CmdTransaction, CmdTransaction2, CmdNTTransact:
		if m.WordCount == 0 && m.Header.Success() {
			return false // interim: send the secondaries
		}
		if r, _ := m.Body.(*TransResponse); r != nil && !r.Complete() && m.Header.Success() {
			return false
		}
	}
	return true
}

// inherit copies to a response what only its request carried.
func (s *State) inherit(m, req *Message) {
	if !m.HasSubCommand && req.HasSubCommand {
		m.SubCommand, m.HasSubCommand = req.SubCommand, true
	}
	if !m.HasInfoLevel && req.HasInfoLevel {
		m.InfoLevel, m.HasInfoLevel = req.InfoLevel, true
	}
	if !m.HasFID && req.HasFID {
		m.FID, m.HasFID = req.FID, true
	}
	if m.Name == "" {
		m.Name = req.Name
	}
	if m.Command == CmdTransaction && m.Name == "" {
		m.Name = req.Name
	}
}

// annotate fills m's names from the state.
func (s *State) annotate(m *Message) {
	if t, ok := s.trees[m.Header.TID]; ok {
		m.Tree, m.Service = t.Path, t.Service
	}
	if m.Command == CmdTreeConnectAndX {
		if b, _ := m.Body.(*TreeConnectRequest); b != nil {
			m.Tree, m.Service = b.Path, b.Service
		} else if m.Request != nil {
			m.Tree = m.Request.Name
		}
	}
	if u, ok := s.sessions[m.Header.UID]; ok {
		m.User, m.Domain, m.Host = u.User, u.Domain, u.Host
	}
	if m.HasFID {
		if f, ok := s.files[m.FID]; ok {
			m.Filename = f
		}
	}
	if m.Filename == "" && namesFile(m) {
		m.Filename = m.Name
	}
	if m.Command == CmdClose && m.IsResponse() && m.Header.Success() && m.HasFID {
		delete(s.files, m.FID)
	}
}

// namesFile reports whether m's Name (its own or its request's) is a
// file name, not a share path, search pattern or transaction name.
func namesFile(m *Message) bool {
	switch m.Command {
	case CmdNTCreateAndX, CmdOpenAndX, CmdDelete, CmdRename, CmdQueryInformation,
		CmdCreateDirectory, CmdDeleteDirectory, CmdCheckDirectory:
		return true
	case CmdTransaction2:
		if !m.HasSubCommand {
			return false
		}
		switch m.SubCommand {
		case Trans2QueryPathInfo, Trans2SetPathInfo, Trans2CreateDirectory, Trans2GetDFSReferral:
			return true
		}
	case CmdNTTransact:
		return m.HasSubCommand && m.SubCommand == NTTransCreate
	}
	return false
}

func (s *State) setSession(uid uint16, u Session) {
	if _, ok := s.sessions[uid]; !ok && len(s.sessions) >= s.lim.MaxSessions {
		s.Counters.SessionsDropped++
		return
	}
	s.sessions[uid] = u
}

func (s *State) setTree(tid uint16, t Tree) {
	if _, ok := s.trees[tid]; !ok && len(s.trees) >= s.lim.MaxTrees {
		s.Counters.TreesDropped++
		return
	}
	s.trees[tid] = t
}

func (s *State) setFile(fid uint16, name string) {
	if _, ok := s.files[fid]; !ok && len(s.files) >= s.lim.MaxFiles {
		s.Counters.FilesDropped++
		return
	}
	s.files[fid] = name
}

// authUser finds an NTLMSSP AUTHENTICATE in a security blob (raw, or
// inside SPNEGO, where the token runs from its signature) and returns its
// user, domain and workstation.
func authUser(blob []byte) (Session, bool) {
	i := bytes.Index(blob, []byte(ntlmssp.Signature))
	if i < 0 {
		return Session{}, false
	}
	msg, err := ntlmssp.Parse(blob[i:])
	if err != nil || msg == nil || msg.Type != ntlmssp.TypeAuthenticate {
		return Session{}, false
	}
	return Session{User: msg.User, Domain: msg.Domain, Host: msg.Workstation}, true
}
