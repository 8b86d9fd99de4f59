package smb

// SessionSetupRequest authenticates a user. With extended security
// (12 words) it carries a security blob (SPNEGO or raw NTLMSSP); without
// (13 words, NT LM 0.12; 10 words, LANMAN) the passwords and the account
// and domain in clear.
type SessionSetupRequest struct {
	MaxBufferSize uint16
	MaxMpxCount   uint16
	VCNumber      uint16
	SessionKey    uint32
	Capabilities  uint32
	SecurityBlob  []byte
	// Without extended security.
	ANSIPassword    []byte
	UnicodePassword []byte
	Account         string
	PrimaryDomain   string
	NativeOS        string
	NativeLanMan    string
}

// SessionSetupResponse is the server's answer; the session's uid is in
// the header.
type SessionSetupResponse struct {
	Action        uint16 // bit 0: logged in as guest
	SecurityBlob  []byte // 4-word form
	NativeOS      string
	NativeLanMan  string
	PrimaryDomain string // 3-word form
}

func init() {
	register(CmdSessionSetupAndX, 10, sessionSetupRequest, 3, sessionSetupResponse)
	register(CmdLogoffAndX, 2, nil, 2, nil)
}

func sessionSetupRequest(p *pdu, m *Message) {
	w := m.Params
	r := &SessionSetupRequest{
		MaxBufferSize: le16(w, 4),
		MaxMpxCount:   le16(w, 6),
		VCNumber:      le16(w, 8),
		SessionKey:    le32(w, 10),
	}
	m.Body = r
	c := p.data(m)
	switch {
	case m.WordCount == 12:
		r.Capabilities = le32(w, 20)
		r.SecurityBlob = c.bytes(int(le16(w, 14)))
		r.NativeOS = c.str()
		r.NativeLanMan = c.str()
	case m.WordCount >= 13:
		r.Capabilities = le32(w, 22)
		r.ANSIPassword = c.bytes(int(le16(w, 14)))
		r.UnicodePassword = c.bytes(int(le16(w, 16)))
		r.Account = c.str()
		r.PrimaryDomain = c.str()
		r.NativeOS = c.str()
		r.NativeLanMan = c.str()
	default: // 10 words: LANMAN 2.x
		r.ANSIPassword = c.bytes(int(le16(w, 14)))
		r.Account = c.str()
		r.PrimaryDomain = c.str()
		r.NativeOS = c.str()
		r.NativeLanMan = c.str()
	}
}

func sessionSetupResponse(p *pdu, m *Message) {
	w := m.Params
	r := &SessionSetupResponse{Action: le16(w, 4)}
	m.Body = r
	c := p.data(m)
	if m.WordCount >= 4 {
		r.SecurityBlob = c.bytes(int(le16(w, 6)))
		r.NativeOS = c.str()
		r.NativeLanMan = c.str()
		return
	}
	r.NativeOS = c.str()
	r.NativeLanMan = c.str()
	r.PrimaryDomain = c.str()
}
