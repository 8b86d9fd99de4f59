package smb2

// SessionSetupRequest is the SESSION_SETUP request (MS-SMB2 2.2.5).
type SessionSetupRequest struct {
	Flags             uint8 // 1 = binding (multichannel)
	SecurityMode      uint8
	Capabilities      uint32
	Channel           uint32
	PreviousSessionID uint64
	SecurityBlob      []byte // GSS-API token (see dissectors/spnego)
}

// SessionSetupResponse is the SESSION_SETUP response (MS-SMB2 2.2.6).
type SessionSetupResponse struct {
	SessionFlags uint16 // 1 guest, 2 null (anonymous), 4 encrypt data
	SecurityBlob []byte
}

// Session flags of the response.
const (
	SessionFlagGuest   = 0x0001
	SessionFlagNull    = 0x0002
	SessionFlagEncrypt = 0x0004
)

func decSessionSetupRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 24); err != nil {
		return nil, err
	}
	r := &SessionSetupRequest{
		Flags:             body[2],
		SecurityMode:      body[3],
		Capabilities:      u32(body, 4),
		Channel:           u32(body, 8),
		PreviousSessionID: u64(body, 16),
	}
	blob, err := buffer(msg, int(u16(body, 12)), int(u16(body, 14)))
	r.SecurityBlob = clone(blob)
	return r, err
}

func decSessionSetupResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 8); err != nil {
		return nil, err
	}
	r := &SessionSetupResponse{SessionFlags: u16(body, 2)}
	blob, err := buffer(msg, int(u16(body, 4)), int(u16(body, 6)))
	r.SecurityBlob = clone(blob)
	return r, err
}

// decEmpty decodes the 4-byte bodies of LOGOFF, TREE_DISCONNECT, ECHO,
// CANCEL and the FLUSH and LOCK responses, and the 2-byte SET_INFO
// response.
func decEmpty(msg, body []byte, m *Message) (any, error) {
	return &Empty{}, nil
}
