package smb2

// ReadRequest is the READ request (MS-SMB2 2.2.19).
type ReadRequest struct {
	Flags          uint8
	Length         uint32
	Offset         uint64
	FileID         FileID
	MinimumCount   uint32
	Channel        uint32
	RemainingBytes uint32
}

// ReadResponse is the READ response (MS-SMB2 2.2.20). The data itself is
// not kept.
type ReadResponse struct {
	DataOffset    uint8
	DataLength    uint32
	DataRemaining uint32
}

// WriteRequest is the WRITE request (MS-SMB2 2.2.21). The data itself is
// not kept.
type WriteRequest struct {
	DataOffset     uint16
	Length         uint32
	Offset         uint64
	FileID         FileID
	Channel        uint32
	RemainingBytes uint32
	Flags          uint32
}

// WriteResponse is the WRITE response (MS-SMB2 2.2.22).
type WriteResponse struct {
	Count     uint32
	Remaining uint32
}

func decReadRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 48); err != nil {
		return nil, err
	}
	return &ReadRequest{
		Flags:          body[3],
		Length:         u32(body, 4),
		Offset:         u64(body, 8),
		FileID:         fileID(body, 16),
		MinimumCount:   u32(body, 32),
		Channel:        u32(body, 36),
		RemainingBytes: u32(body, 40),
	}, nil
}

func decReadResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 16); err != nil {
		return nil, err
	}
	return &ReadResponse{DataOffset: body[2], DataLength: u32(body, 4), DataRemaining: u32(body, 8)}, nil
}

func decWriteRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 48); err != nil {
		return nil, err
	}
	return &WriteRequest{
		DataOffset:     u16(body, 2),
		Length:         u32(body, 4),
		Offset:         u64(body, 8),
		FileID:         fileID(body, 16),
		Channel:        u32(body, 32),
		RemainingBytes: u32(body, 36),
		Flags:          u32(body, 44),
	}, nil
}

func decWriteResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 16); err != nil {
		return nil, err
	}
	return &WriteResponse{Count: u32(body, 4), Remaining: u32(body, 8)}, nil
}

// LockRequest is the LOCK request (MS-SMB2 2.2.26).
type LockRequest struct {
	LockSequence uint32
	FileID       FileID
	Locks        []Lock
}

// Lock is one byte-range lock element.
type Lock struct {
	Offset, Length uint64
	Flags          uint32 // 1 shared, 2 exclusive, 4 unlock, 0x10 fail immediately
}

func decLockRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 24); err != nil {
		return nil, err
	}
	r := &LockRequest{LockSequence: u32(body, 4), FileID: fileID(body, 8)}
	n := int(u16(body, 2))
	ls, ok := span(body, 24, 24*n)
	if !ok {
		return r, errBounds
	}
	r.Locks = make([]Lock, n)
	for i := range r.Locks {
		e := ls[24*i:]
		r.Locks[i] = Lock{Offset: u64(e, 0), Length: u64(e, 8), Flags: u32(e, 16)}
	}
	return r, nil
}

// IoctlRequest is the IOCTL request (MS-SMB2 2.2.31).
type IoctlRequest struct {
	CtlCode           uint32 // see FSCTLName
	FileID            FileID
	InputOffset       uint32
	InputCount        uint32
	MaxInputResponse  uint32
	OutputOffset      uint32
	OutputCount       uint32
	MaxOutputResponse uint32
	Flags             uint32 // 1 = FSCTL (IS_FSCTL)
	// Input is the input buffer, kept up to maxIoctlKeep bytes.
	Input []byte
	// DFSPath is the RequestFileName of FSCTL_DFS_GET_REFERRALS(_EX).
	DFSPath string
}

// IoctlResponse is the IOCTL response (MS-SMB2 2.2.32).
type IoctlResponse struct {
	CtlCode      uint32
	FileID       FileID
	InputOffset  uint32
	InputCount   uint32
	OutputOffset uint32
	OutputCount  uint32
	Flags        uint32
}

// Name is Wireshark's name of the control code.
func (r *IoctlRequest) Name() string { return FSCTLName(r.CtlCode) }

// Name is Wireshark's name of the control code.
func (r *IoctlResponse) Name() string { return FSCTLName(r.CtlCode) }

// Control codes the decoder looks into.
const (
	FSCTLDFSGetReferrals    = 0x00060194
	FSCTLDFSGetReferralsEx  = 0x000601b0
	FSCTLPipeTransceive     = 0x0011c017
	FSCTLValidateNegotiate  = 0x00140204
	FSCTLQueryNetworkIfaces = 0x001401fc
	maxIoctlKeep            = 4096
)

func decIoctlRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 56); err != nil {
		return nil, err
	}
	r := &IoctlRequest{
		CtlCode:           u32(body, 4),
		FileID:            fileID(body, 8),
		InputOffset:       u32(body, 24),
		InputCount:        u32(body, 28),
		MaxInputResponse:  u32(body, 32),
		OutputOffset:      u32(body, 36),
		OutputCount:       u32(body, 40),
		MaxOutputResponse: u32(body, 44),
		Flags:             u32(body, 48),
	}
	in, err := buffer(msg, int(r.InputOffset), int(r.InputCount))
	if err != nil {
		return r, err
	}
	r.Input = clone(in[:min(len(in), maxIoctlKeep)])
	switch r.CtlCode {
	case FSCTLDFSGetReferrals:
		// MaxReferralLevel, then the NUL-terminated UTF-16 name.
		if len(in) > 2 {
			r.DFSPath = trimNUL(utf16String(in[2:]))
		}
	case FSCTLDFSGetReferralsEx:
		// MaxReferralLevel, RequestFlags, RequestDataLength, then
		// RequestFileNameLength and the name.
		if len(in) >= 10 {
			if p, ok := span(in, 10, int(u16(in, 8))); ok {
				r.DFSPath = trimNUL(utf16String(p))
			}
		}
	}
	return r, nil
}

func trimNUL(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}

func decIoctlResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 48); err != nil {
		return nil, err
	}
	return &IoctlResponse{
		CtlCode:      u32(body, 4),
		FileID:       fileID(body, 8),
		InputOffset:  u32(body, 24),
		InputCount:   u32(body, 28),
		OutputOffset: u32(body, 32),
		OutputCount:  u32(body, 36),
		Flags:        u32(body, 40),
	}, nil
}
