package smb2

import (
	"github.com/wirelark/wirelark/dissectors/ntlmssp"
	"github.com/wirelark/wirelark/dissectors/spnego"
)

// User is who a session authenticated as.
type User struct {
	Name        string
	Domain      string
	Workstation string
	// Kerberos is set when the name is a Kerberos principal given to
	// State.SetUser rather than one read from NTLMSSP.
	Kerberos bool
}

// String is DOMAIN\name, or the name alone without a domain.
func (u *User) String() string {
	if u == nil {
		return ""
	}
	if u.Domain == "" {
		return u.Name
	}
	return u.Domain + `\` + u.Name
}

// Limits bound a State. A zero field takes its default.
type Limits struct {
	Sessions int // default 1000
	Trees    int // default 1000
	Files    int // default 10000
	Pending  int // requests awaiting their response; default 1000
}

// DefaultLimits are the limits a zero Limits stands for.
var DefaultLimits = Limits{Sessions: 1000, Trees: 1000, Files: 10000, Pending: 1000}

// Dropped counts entries a State forgot because a table was full (the
// oldest entry goes first).
type Dropped struct {
	Sessions, Trees, Files, Pending int64
}

// tree is what a TREE_CONNECT established.
type tree struct {
	path      string
	shareType uint8
}

type treeKey struct {
	session uint64
	tid     uint32
}

// file is what a CREATE opened.
type file struct {
	name string
}

// Sessions holds what SMB2 sessions established: their users, trees and
// open files. Session, tree and file ids belong to the session, not to a
// connection: with SMB3 multichannel, or a client that opens a second
// connection for the same session, a tree connected on one connection is
// used on another, as Wireshark (whose session table spans the capture)
// shows. Connections of one capture may share a Sessions; it is not safe
// for concurrent use.
type Sessions struct {
	users *bounded[uint64, *User]
	trees *bounded[treeKey, tree]
	files *bounded[FileID, file]
}

// NewSessions returns an empty store bounded by lim's Sessions, Trees and
// Files (zero fields take their defaults).
func NewSessions(lim Limits) *Sessions {
	lim = lim.withDefaults()
	return &Sessions{
		users: newBounded[uint64, *User](lim.Sessions),
		trees: newBounded[treeKey, tree](lim.Trees),
		files: newBounded[FileID, file](lim.Files),
	}
}

func (l Limits) withDefaults() Limits {
	if l.Sessions <= 0 {
		l.Sessions = DefaultLimits.Sessions
	}
	if l.Trees <= 0 {
		l.Trees = DefaultLimits.Trees
	}
	if l.Files <= 0 {
		l.Files = DefaultLimits.Files
	}
	if l.Pending <= 0 {
		l.Pending = DefaultLimits.Pending
	}
	return l
}

// SetUser names the user of a session, for sessions that cannot be
// learnt from NTLMSSP: a Kerberos client principal seen by the caller
// (from the TGS exchange that obtained the ticket of the AP-REQ).
func (ss *Sessions) SetUser(sessionID uint64, u User) {
	ss.users.put(sessionID, &u)
}

// State is what one TCP connection's SMB2 messages have shown, as
// Wireshark's and Zeek's SMB analyzers keep it. It is not safe for
// concurrent use.
type State struct {
	lim     Limits
	ss      *Sessions
	pending *bounded[uint64, *Message]
	// Dialect is the dialect of the last NEGOTIATE response.
	Dialect uint16
	// prev is the previous message tracked, for the related operations
	// of a compound (they inherit its session, tree and file).
	prev     *Message
	prevFile FileID
}

// NewState returns an empty State with the given limits. Its sessions,
// trees and files are kept in shared, which other connections' States may
// use too; nil gives the State a store of its own.
func NewState(lim Limits, shared *Sessions) *State {
	lim = lim.withDefaults()
	if shared == nil {
		shared = NewSessions(lim)
	}
	return &State{
		lim:     lim,
		ss:      shared,
		pending: newBounded[uint64, *Message](lim.Pending),
	}
}

// Limits returns the State's limits.
func (s *State) Limits() Limits { return s.lim }

// Dropped returns how many entries each table forgot when full (the
// session tables count for every State sharing them).
func (s *State) Dropped() Dropped {
	return Dropped{s.ss.users.evicted, s.ss.trees.evicted, s.ss.files.evicted, s.pending.evicted}
}

// Sizes returns how many sessions, trees, files and pending requests the
// State holds now.
func (s *State) Sizes() Limits {
	return Limits{s.ss.users.len(), s.ss.trees.len(), s.ss.files.len(), s.pending.len()}
}

// SetUser names the user of a session (see Sessions.SetUser).
func (s *State) SetUser(sessionID uint64, u User) { s.ss.SetUser(sessionID, u) }

// Pending returns the request with the message id that still awaits its
// final response, or nil.
func (s *State) Pending(messageID uint64) *Message {
	m, _ := s.pending.get(messageID)
	return m
}

// Track updates the State with a message, in the order the connection
// carried them, and fills the message's Tree, ShareType, Filename, User,
// Dialect and, in a response, Request.
func (s *State) Track(m *Message) {
	if m.Kind != KindSMB2 {
		if m.Transform != nil {
			m.User, _ = s.ss.users.get(m.Transform.SessionID)
		}
		m.Dialect = s.Dialect
		return
	}
	related := m.IsRelated() && s.prev != nil && s.prev.IsResponse() == m.IsResponse()
	// MS-SMB2 3.2.4.1.4: related operations use the session, tree and
	// file of the operation before them in the compound; the header keeps
	// what the wire said.
	m.ses, m.tid = m.SessionID, m.TreeID
	if related {
		if m.SessionID == ^uint64(0) {
			m.ses = s.prev.ses
		}
		if m.TreeID == ^uint32(0) && !m.IsAsync() {
			m.tid = s.prev.tid
		}
	}
	// The user is the session's before this message changes it (a
	// LOGOFF still belongs to the user it ends).
	m.User, _ = s.ss.users.get(m.ses)
	if m.IsResponse() {
		s.trackResponse(m)
	} else {
		s.trackRequest(m, related)
	}
	m.Dialect = s.Dialect
	s.prev = m
}

// lookupTree fills Tree and ShareType from the tree id of a sync header.
func (s *State) lookupTree(m *Message) {
	if m.IsAsync() {
		return
	}
	if t, ok := s.ss.trees.get(treeKey{m.ses, m.tid}); ok {
		m.Tree, m.ShareType = t.path, t.shareType
	}
}

func (s *State) trackRequest(m *Message, related bool) {
	s.lookupTree(m)
	if fid, ok := m.FileID(); ok {
		if fid == AnyFileID && related {
			fid = s.prevFile
		}
		if f, ok := s.ss.files.get(fid); ok {
			m.Filename, m.HasFile = f.name, true
		} else if related && fid == s.prevFile && s.prev != nil {
			m.Filename, m.HasFile = s.prev.Filename, s.prev.HasFile
		}
		s.prevFile = fid
		m.fid = fid
	}
	switch b := m.Body.(type) {
	case *TreeConnectRequest:
		m.Tree = b.Path
	case *CreateRequest:
		m.Filename, m.HasFile = b.Name, true
		s.prevFile = AnyFileID
	case *SessionSetupRequest:
		if u := userFromBlob(b.SecurityBlob); u != nil {
			m.User = u
			if m.ses != 0 {
				s.ss.users.put(m.ses, u)
			}
		}
	case *Empty:
		if m.Command == CmdCancel {
			// A CANCEL names the request it cancels by the same message
			// id (or async id) and gets no response of its own.
			return
		}
	}
	if m.MessageID != ^uint64(0) {
		s.pending.put(m.MessageID, m)
	}
}

func (s *State) trackResponse(m *Message) {
	req, _ := s.pending.get(m.MessageID)
	if req != nil && req.Command != m.Command {
		req = nil
	}
	m.Request = req
	if !m.Pending && req != nil {
		s.pending.del(m.MessageID)
	}
	if req != nil {
		// A final async response has no tree id: it is the request's.
		m.Tree, m.ShareType, m.Filename, m.HasFile = req.Tree, req.ShareType, req.Filename, req.HasFile
		if !m.IsAsync() && m.tid != req.tid && m.Command != CmdTreeConnect {
			s.lookupTree(m)
		}
	} else {
		s.lookupTree(m)
		if fid, ok := m.FileID(); ok {
			if f, ok := s.ss.files.get(fid); ok {
				m.Filename, m.HasFile = f.name, true
			}
		}
	}
	if m.Error != nil || m.Body == nil {
		return
	}
	switch b := m.Body.(type) {
	case *NegotiateResponse:
		s.Dialect = b.Dialect
	case *SessionSetupResponse:
		if req != nil && req.User != nil && m.Status == StatusSuccess {
			s.ss.users.put(m.ses, req.User)
			m.User = req.User
		}
	case *TreeConnectResponse:
		if req != nil {
			if r, ok := req.Body.(*TreeConnectRequest); ok {
				m.Tree = r.Path
				m.ShareType = b.ShareType
				s.ss.trees.put(treeKey{m.ses, m.tid}, tree{r.Path, b.ShareType})
			}
		}
	case *CreateResponse:
		if req != nil {
			if r, ok := req.Body.(*CreateRequest); ok {
				m.Filename, m.HasFile = r.Name, true
				s.ss.files.put(b.FileID, file{name: r.Name})
			}
		}
		s.prevFile = b.FileID
	case *QueryDirectoryResponse:
		if req != nil {
			if r, ok := req.Body.(*QueryDirectoryRequest); ok {
				b.Entries, _ = DirectoryEntries(r.InfoClass, b.Buffer)
			}
		}
	case *QueryInfoResponse:
		if req != nil {
			if r, ok := req.Body.(*QueryInfoRequest); ok {
				b.FileName, _ = QueryInfoFileName(r.InfoType, r.Class, b.Buffer)
			}
		}
	case *Empty:
		switch m.Command {
		case CmdTreeDisconnect:
			s.ss.trees.del(treeKey{m.ses, m.tid})
		case CmdLogoff:
			s.ss.users.del(m.ses)
		}
	}
	if m.Command == CmdClose && m.Error == nil && req != nil {
		s.ss.files.del(s.responseFile(req))
	}
	if m.Command == CmdSetInfo && req != nil {
		if r, ok := req.Body.(*SetInfoRequest); ok && r.IsRename() && m.Status == StatusSuccess {
			// The file keeps its handle under its new name.
			fid := s.responseFile(req)
			if f, ok := s.ss.files.get(fid); ok {
				f.name = r.NewName
				s.ss.files.put(fid, f)
			}
		}
	}
}

// responseFile is the handle a request's response concerns: the one the
// request named, or, for a related operation that followed a CREATE in
// its compound, the handle the CREATE's response just returned.
func (s *State) responseFile(req *Message) FileID {
	if req.fid == AnyFileID {
		return s.prevFile
	}
	return req.fid
}

// userFromBlob reads the user of an NTLMSSP AUTHENTICATE in a security
// blob, raw or inside SPNEGO.
func userFromBlob(blob []byte) *User {
	if len(blob) == 0 {
		return nil
	}
	_, a, err := SecurityToken(blob)
	if a == nil || a.Type != ntlmssp.TypeAuthenticate || err != nil && a.User == "" {
		return nil
	}
	return &User{Name: a.User, Domain: a.Domain, Workstation: a.Workstation}
}

// SecurityToken unwraps the security blob of a NEGOTIATE response or a
// SESSION_SETUP: the GSS-API/SPNEGO token (see dissectors/spnego) and,
// when it carries one, the NTLMSSP message (see dissectors/ntlmssp).
func SecurityToken(blob []byte) (*spnego.Token, *ntlmssp.Message, error) {
	t, err := spnego.Unwrap(blob)
	if err != nil || !t.IsNTLMSSP() {
		return t, nil, err
	}
	a, err := ntlmssp.Parse(t.Inner)
	return t, a, err
}
