package smb2

// TreeConnectRequest is the TREE_CONNECT request (MS-SMB2 2.2.9).
type TreeConnectRequest struct {
	Flags uint16 // SMB 3.1.1: cluster reconnect, redirect to owner, extension present
	Path  string // \\server\share
}

// TreeConnectResponse is the TREE_CONNECT response (MS-SMB2 2.2.10).
type TreeConnectResponse struct {
	ShareType     uint8 // ShareDisk, SharePipe, SharePrint
	ShareFlags    uint32
	Capabilities  uint32
	MaximalAccess uint32
}

func decTreeConnectRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 8); err != nil {
		return nil, err
	}
	r := &TreeConnectRequest{Flags: u16(body, 2)}
	// PathOffset counts from the header also when the SMB 3.1.1
	// extension is present (the path then sits inside the extension).
	off, n := int(u16(body, 4)), int(u16(body, 6))
	p, err := buffer(msg, off, n)
	r.Path = utf16String(p)
	return r, err
}

func decTreeConnectResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 16); err != nil {
		return nil, err
	}
	return &TreeConnectResponse{
		ShareType:     body[2],
		ShareFlags:    u32(body, 4),
		Capabilities:  u32(body, 8),
		MaximalAccess: u32(body, 12),
	}, nil
}
