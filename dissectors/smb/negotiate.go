package smb

// NegotiateRequest lists the dialects the client offers.
type NegotiateRequest struct {
	Dialects []string // e.g. "NT LM 0.12", in the order offered
}

// NegotiateResponse is the server's choice of dialect and its parameters.
// Only DialectIndex is present in the one-word (core) form; the 13-word
// LANMAN form has no capabilities; the 17-word NT LM 0.12 form has all.
type NegotiateResponse struct {
	DialectIndex uint16 // index into the request's dialects; 0xFFFF none
	// Dialect is the chosen dialect's name, filled by State.Track from
	// the request.
	Dialect        string
	SecurityMode   uint8
	MaxMpxCount    uint16
	MaxVCs         uint16
	MaxBufferSize  uint32
	MaxRawSize     uint32
	SessionKey     uint32
	Capabilities   uint32
	SystemTime     uint64 // FILETIME: 100 ns units since 1601
	TimeZone       int16  // minutes from UTC
	Challenge      []byte // without extended security
	DomainName     string // without extended security
	ServerName     string // without extended security
	ServerGUID     [16]byte
	SecurityBlob   []byte // with extended security (SPNEGO)
	ExtendedSecure bool   // CAP_EXTENDED_SECURITY
}

// CapExtendedSecurity is the capability bit for SPNEGO/NTLMSSP blobs.
const CapExtendedSecurity = 0x80000000

func init() {
	register(CmdNegotiate, 0, negotiateRequest, 1, negotiateResponse)
}

func negotiateRequest(p *pdu, m *Message) {
	r := &NegotiateRequest{}
	c := p.data(m)
	// Each dialect is a buffer format 0x02 and a NUL-terminated name.
	for c.left() > 0 && len(r.Dialects) < len(m.Data) {
		if c.u8() != 0x02 {
			m.Malformed = "smb: negotiate: dialect without buffer format 0x02"
			break
		}
		r.Dialects = append(r.Dialects, c.ascii())
	}
	m.Body = r
}

func negotiateResponse(p *pdu, m *Message) {
	w := m.Params
	r := &NegotiateResponse{DialectIndex: le16(w, 0)}
	m.Body = r
	switch {
	case m.WordCount >= 17:
		r.SecurityMode = w[2]
		r.MaxMpxCount = le16(w, 3)
		r.MaxVCs = le16(w, 5)
		r.MaxBufferSize = le32(w, 7)
		r.MaxRawSize = le32(w, 11)
		r.SessionKey = le32(w, 15)
		r.Capabilities = le32(w, 19)
		r.SystemTime = le64(w, 23)
		r.TimeZone = int16(le16(w, 31))
		chal := int(w[33])
		c := p.data(m)
		if r.Capabilities&CapExtendedSecurity != 0 {
			r.ExtendedSecure = true
			copy(r.ServerGUID[:], c.bytes(16))
			r.SecurityBlob = c.bytes(c.left())
			return
		}
		r.Challenge = c.bytes(chal)
		r.DomainName = c.str()
		r.ServerName = c.str()
	case m.WordCount >= 13:
		r.SecurityMode = uint8(le16(w, 2))
		r.MaxBufferSize = uint32(le16(w, 4))
		r.MaxMpxCount = le16(w, 6)
		r.MaxVCs = le16(w, 8)
		r.SessionKey = le32(w, 12)
		r.TimeZone = int16(le16(w, 20))
		c := p.data(m)
		r.Challenge = c.bytes(int(le16(w, 22)))
		r.DomainName = c.str()
	}
}
