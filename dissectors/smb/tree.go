package smb

// TreeConnectRequest connects to a share.
type TreeConnectRequest struct {
	Flags    uint16
	Password []byte
	Path     string // e.g. \\SERVER\IPC$
	Service  string // "A:" disk, "LPT1:" printer, "IPC" pipe, "COMM", "?????" any
}

// TreeConnectResponse gives the service connected; the tid is in the
// header.
type TreeConnectResponse struct {
	OptionalSupport  uint16
	MaximalAccess    uint32 // 7-word form
	GuestMaximal     uint32
	Service          string
	NativeFileSystem string
	HasMaximalRights bool
}

func init() {
	register(CmdTreeConnectAndX, 4, treeConnectRequest, 2, treeConnectResponse)
	register(CmdTreeDisconnect, 0, nil, 0, nil)
}

func treeConnectRequest(p *pdu, m *Message) {
	w := m.Params
	r := &TreeConnectRequest{Flags: le16(w, 4)}
	c := p.data(m)
	r.Password = c.bytes(int(le16(w, 6)))
	r.Path = c.str()
	r.Service = c.ascii()
	m.Body = r
	m.Name = r.Path
}

func treeConnectResponse(p *pdu, m *Message) {
	w := m.Params
	r := &TreeConnectResponse{}
	if m.WordCount >= 3 {
		r.OptionalSupport = le16(w, 4)
	}
	if m.WordCount >= 7 {
		r.HasMaximalRights = true
		r.MaximalAccess = le32(w, 6)
		r.GuestMaximal = le32(w, 10)
	}
	c := p.data(m)
	r.Service = c.ascii()
	r.NativeFileSystem = c.str()
	m.Body = r
}
