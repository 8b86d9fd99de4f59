package smb2

// NegotiateRequest is the NEGOTIATE request (MS-SMB2 2.2.3).
type NegotiateRequest struct {
	SecurityMode uint16
	Capabilities uint32
	ClientGUID   GUID
	Dialects     []uint16
	Contexts     []NegotiateContext // SMB 3.1.1
}

// NegotiateResponse is the NEGOTIATE response (MS-SMB2 2.2.4).
type NegotiateResponse struct {
	SecurityMode    uint16
	Dialect         uint16
	ServerGUID      GUID
	Capabilities    uint32
	MaxTransactSize uint32
	MaxReadSize     uint32
	MaxWriteSize    uint32
	SystemTime      uint64 // FILETIME
	ServerStartTime uint64 // FILETIME
	SecurityBlob    []byte // GSS-API token (see dissectors/spnego)
	Contexts        []NegotiateContext
}

// Negotiate context types (MS-SMB2 2.2.3.1).
const (
	CtxPreauthIntegrity = 0x0001
	CtxEncryption       = 0x0002
	CtxCompression      = 0x0003
	CtxNetname          = 0x0005
	CtxTransport        = 0x0006
	CtxRDMATransform    = 0x0007
	CtxSigning          = 0x0008
)

// NegotiateContext is one SMB 3.1.1 negotiate context; the fields of its
// type are decoded, the rest stay zero.
type NegotiateContext struct {
	Type uint16
	Data []byte
	// CtxPreauthIntegrity
	HashAlgorithms []uint16
	Salt           []byte
	// CtxEncryption
	Ciphers []uint16
	// CtxCompression
	CompressionAlgorithms []uint16
	CompressionFlags      uint32
	// CtxNetname
	NetName string
	// CtxSigning
	SigningAlgorithms []uint16
	// CtxRDMATransform
	RDMATransforms []uint16
	// CtxTransport
	TransportFlags uint32
}

// Name is Wireshark's name of the context's type.
func (c *NegotiateContext) Name() string { return NegotiateContextName(c.Type) }

func decNegotiateRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 36); err != nil {
		return nil, err
	}
	r := &NegotiateRequest{SecurityMode: u16(body, 4), Capabilities: u32(body, 8)}
	copy(r.ClientGUID[:], body[12:28])
	n := int(u16(body, 2))
	d, ok := span(body, 36, 2*n)
	if !ok {
		return r, errBounds
	}
	r.Dialects = u16s(d, n)
	smb311 := false
	for _, x := range r.Dialects {
		smb311 = smb311 || x == Dialect311
	}
	if smb311 {
		var err error
		r.Contexts, err = negotiateContexts(msg, int(u32(body, 28)), int(u16(body, 32)))
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

func decNegotiateResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 64); err != nil {
		return nil, err
	}
	r := &NegotiateResponse{
		SecurityMode:    u16(body, 2),
		Dialect:         u16(body, 4),
		Capabilities:    u32(body, 24),
		MaxTransactSize: u32(body, 28),
		MaxReadSize:     u32(body, 32),
		MaxWriteSize:    u32(body, 36),
		SystemTime:      u64(body, 40),
		ServerStartTime: u64(body, 48),
	}
	copy(r.ServerGUID[:], body[8:24])
	blob, err := buffer(msg, int(u16(body, 56)), int(u16(body, 58)))
	if err != nil {
		return r, err
	}
	r.SecurityBlob = clone(blob)
	if r.Dialect == Dialect311 {
		r.Contexts, err = negotiateContexts(msg, int(u32(body, 60)), int(u16(body, 6)))
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

func u16s(b []byte, n int) []uint16 {
	if n == 0 {
		return nil
	}
	v := make([]uint16, n)
	for i := range v {
		v[i] = u16(b, 2*i)
	}
	return v
}

// negotiateContexts decodes count contexts from off (from the header),
// each 8-byte aligned.
func negotiateContexts(msg []byte, off, count int) ([]NegotiateContext, error) {
	var cs []NegotiateContext
	for i := 0; i < count; i++ {
		off = (off + 7) &^ 7
		h, ok := span(msg, off, 8)
		if !ok {
			return cs, errBounds
		}
		data, ok := span(msg, off+8, int(u16(h, 2)))
		if !ok {
			return cs, errBounds
		}
		c := NegotiateContext{Type: u16(h, 0), Data: clone(data)}
		c.decode()
		cs = append(cs, c)
		off += 8 + len(data)
	}
	return cs, nil
}

// list reads a count-prefixed list of uint16 at off in d, tolerating a
// short one (Wireshark shows what is there).
func list16(d []byte, countOff, listOff int) []uint16 {
	if len(d) < countOff+2 || listOff > len(d) {
		return nil
	}
	n := min(int(u16(d, countOff)), (len(d)-listOff)/2)
	return u16s(d[listOff:], n)
}

func (c *NegotiateContext) decode() {
	d := c.Data
	switch c.Type {
	case CtxPreauthIntegrity:
		c.HashAlgorithms = list16(d, 0, 4)
		if len(d) >= 4 {
			at := 4 + 2*len(c.HashAlgorithms)
			if s, ok := span(d, at, int(u16(d, 2))); ok {
				c.Salt = s
			}
		}
	case CtxEncryption:
		c.Ciphers = list16(d, 0, 2)
	case CtxCompression:
		c.CompressionAlgorithms = list16(d, 0, 8)
		if len(d) >= 8 {
			c.CompressionFlags = u32(d, 4)
		}
	case CtxNetname:
		c.NetName = utf16String(d)
	case CtxTransport:
		if len(d) >= 4 {
			c.TransportFlags = u32(d, 0)
		}
	case CtxRDMATransform:
		c.RDMATransforms = list16(d, 0, 8)
	case CtxSigning:
		c.SigningAlgorithms = list16(d, 0, 2)
	}
}
