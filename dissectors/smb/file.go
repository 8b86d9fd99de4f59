package smb

// NTCreateRequest opens or creates a file, directory or named pipe.
type NTCreateRequest struct {
	Flags              uint32
	RootFID            uint32
	AccessMask         uint32
	AllocationSize     uint64
	FileAttributes     uint32
	ShareAccess        uint32
	Disposition        uint32 // FILE_SUPERSEDE 0 ... FILE_OVERWRITE_IF 5
	CreateOptions      uint32
	ImpersonationLevel uint32
	SecurityFlags      uint8
	FileName           string
}

// NTCreateResponse describes the opened file.
type NTCreateResponse struct {
	OplockLevel    uint8
	FID            uint16
	CreateAction   uint32 // 0 superseded, 1 opened, 2 created, 3 overwritten
	CreationTime   uint64
	LastAccessTime uint64
	LastWriteTime  uint64
	ChangeTime     uint64
	FileAttributes uint32
	AllocationSize uint64
	EndOfFile      uint64
	FileType       uint16 // 0 disk, 1 byte-mode pipe, 2 message-mode pipe, ...
	IPCState       uint16
	IsDirectory    bool
}

// OpenRequest is OPEN_ANDX.
type OpenRequest struct {
	Flags          uint16
	AccessMode     uint16
	SearchAttrs    uint16
	FileAttrs      uint16
	CreationTime   uint32
	OpenFunction   uint16
	AllocationSize uint32
	FileName       string
}

// OpenResponse is OPEN_ANDX's answer.
type OpenResponse struct {
	FID       uint16
	FileAttrs uint16
	LastWrite uint32
	FileSize  uint32
	Access    uint16
	FileType  uint16
	IPCState  uint16
	Action    uint16
	ServerFID uint32
}

// ReadRequest is READ_ANDX.
type ReadRequest struct {
	FID      uint16
	Offset   uint64 // including the high part of the 12-word form
	MaxCount uint32 // including the high part (Timeout field) when large
	MinCount uint16
}

// ReadResponse is READ_ANDX's answer.
type ReadResponse struct {
	Available  uint16
	DataLength uint32 // including DataLengthHigh
	DataOffset uint16
}

// WriteRequest is WRITE_ANDX.
type WriteRequest struct {
	FID        uint16
	Offset     uint64
	WriteMode  uint16
	Remaining  uint16
	DataLength uint32 // including DataLengthHigh
	DataOffset uint16
}

// WriteResponse is WRITE_ANDX's answer.
type WriteResponse struct {
	Count     uint32 // including CountHigh
	Available uint16
}

// FIDRequest names a fid: CLOSE, FLUSH, LOCKING_ANDX, and FIND_CLOSE2
// (whose FID is the search id, not a file).
type FIDRequest struct {
	FID       uint16
	LastWrite uint32 // CLOSE only
}

// PathRequest names a file or directory: DELETE, QUERY_INFORMATION,
// CREATE_DIRECTORY, DELETE_DIRECTORY, CHECK_DIRECTORY, and RENAME (which
// also has NewName).
type PathRequest struct {
	SearchAttributes uint16
	FileName         string
	NewName          string
}

// QueryInformationResponse is QUERY_INFORMATION's answer.
type QueryInformationResponse struct {
	FileAttributes uint16
	LastWriteTime  uint32 // seconds since 1970
	FileSize       uint32
}

// EchoRequest and EchoResponse are ECHO.
type EchoRequest struct {
	Count uint16
	Data  []byte
}

type EchoResponse struct {
	Sequence uint16
}

func init() {
	register(CmdNTCreateAndX, 24, ntCreateRequest, 34, ntCreateResponse)
	register(CmdOpenAndX, 15, openRequest, 15, openResponse)
	register(CmdReadAndX, 10, readRequest, 12, readResponse)
	register(CmdWriteAndX, 12, writeRequest, 6, writeResponse)
	register(CmdClose, 3, fidRequest, 0, nil)
	register(CmdFlush, 1, fidRequest, 0, nil)
	register(CmdFindClose2, 1, fidRequest, 0, nil)
	register(CmdLockingAndX, 3, lockingRequest, 2, nil)
	register(CmdDelete, 1, pathRequest, 0, nil)
	register(CmdRename, 1, pathRequest, 0, nil)
	register(CmdCreateDirectory, 0, pathRequest, 0, nil)
	register(CmdDeleteDirectory, 0, pathRequest, 0, nil)
	register(CmdCheckDirectory, 0, pathRequest, 0, nil)
	register(CmdQueryInformation, 0, pathRequest, 10, queryInformationResponse)
	register(CmdEcho, 1, echoRequest, 1, echoResponse)
}

func ntCreateRequest(p *pdu, m *Message) {
	w := m.Params
	r := &NTCreateRequest{
		Flags:              le32(w, 7),
		RootFID:            le32(w, 11),
		AccessMask:         le32(w, 15),
		AllocationSize:     le64(w, 19),
		FileAttributes:     le32(w, 27),
		ShareAccess:        le32(w, 31),
		Disposition:        le32(w, 35),
		CreateOptions:      le32(w, 39),
		ImpersonationLevel: le32(w, 43),
		SecurityFlags:      w[47],
	}
	c := p.data(m)
	n := int(le16(w, 5))
	if p.uni {
		c.align2()
	}
	r.FileName = c.fixed(n)
	m.Body = r
	m.Name = r.FileName
}

func ntCreateResponse(p *pdu, m *Message) {
	w := m.Params
	r := &NTCreateResponse{
		OplockLevel:    w[4],
		FID:            le16(w, 5),
		CreateAction:   le32(w, 7),
		CreationTime:   le64(w, 11),
		LastAccessTime: le64(w, 19),
		LastWriteTime:  le64(w, 27),
		ChangeTime:     le64(w, 35),
		FileAttributes: le32(w, 43),
		AllocationSize: le64(w, 47),
		EndOfFile:      le64(w, 55),
		FileType:       le16(w, 63),
		IPCState:       le16(w, 65),
		IsDirectory:    w[67] != 0,
	}
	m.Body = r
	m.FID, m.HasFID = r.FID, true
}

func openRequest(p *pdu, m *Message) {
	w := m.Params
	r := &OpenRequest{
		Flags:          le16(w, 4),
		AccessMode:     le16(w, 6),
		SearchAttrs:    le16(w, 8),
		FileAttrs:      le16(w, 10),
		CreationTime:   le32(w, 12),
		OpenFunction:   le16(w, 16),
		AllocationSize: le32(w, 18),
	}
	c := p.data(m)
	r.FileName = c.str()
	m.Body = r
	m.Name = r.FileName
}

func openResponse(p *pdu, m *Message) {
	w := m.Params
	r := &OpenResponse{
		FID:       le16(w, 4),
		FileAttrs: le16(w, 6),
		LastWrite: le32(w, 8),
		FileSize:  le32(w, 12),
		Access:    le16(w, 16),
		FileType:  le16(w, 18),
		IPCState:  le16(w, 20),
		Action:    le16(w, 22),
		ServerFID: le32(w, 24),
	}
	m.Body = r
	m.FID, m.HasFID = r.FID, true
}

func readRequest(p *pdu, m *Message) {
	w := m.Params
	r := &ReadRequest{
		FID:      le16(w, 4),
		Offset:   uint64(le32(w, 6)),
		MaxCount: uint32(le16(w, 10)),
		MinCount: le16(w, 12),
	}
	// MS-SMB 2.2.4.2.1: the Timeout field carries MaxCountHigh for large
	// reads; 0xFFFFFFFF there is a real timeout.
	if hi := le32(w, 14); hi != 0xFFFFFFFF {
		r.MaxCount |= (hi & 0xFFFF) << 16
	}
	if m.WordCount >= 12 {
		r.Offset |= uint64(le32(w, 20)) << 32
	}
	m.Body = r
	m.FID, m.HasFID = r.FID, true
	m.FileOffset, m.Length = r.Offset, r.MaxCount
}

func readResponse(p *pdu, m *Message) {
	w := m.Params
	r := &ReadResponse{
		Available:  le16(w, 4),
		DataLength: uint32(le16(w, 10)) | uint32(le16(w, 14))<<16,
		DataOffset: le16(w, 12),
	}
	m.Body = r
	m.Length = r.DataLength
}

func writeRequest(p *pdu, m *Message) {
	w := m.Params
	r := &WriteRequest{
		FID:        le16(w, 4),
		Offset:     uint64(le32(w, 6)),
		WriteMode:  le16(w, 14),
		Remaining:  le16(w, 16),
		DataLength: uint32(le16(w, 20)) | uint32(le16(w, 18))<<16,
		DataOffset: le16(w, 22),
	}
	if m.WordCount >= 14 {
		r.Offset |= uint64(le32(w, 24)) << 32
	}
	m.Body = r
	m.FID, m.HasFID = r.FID, true
	m.FileOffset, m.Length = r.Offset, r.DataLength
}

func writeResponse(p *pdu, m *Message) {
	w := m.Params
	r := &WriteResponse{
		Count:     uint32(le16(w, 4)) | uint32(le16(w, 8))<<16,
		Available: le16(w, 6),
	}
	m.Body = r
	m.Length = r.Count
}

func fidRequest(p *pdu, m *Message) {
	r := &FIDRequest{FID: le16(m.Params, 0)}
	if m.Command == CmdClose {
		r.LastWrite = le32(m.Params, 2)
	}
	m.Body = r
	if m.Command != CmdFindClose2 {
		m.FID, m.HasFID = r.FID, true
	}
}

func lockingRequest(p *pdu, m *Message) {
	r := &FIDRequest{FID: le16(m.Params, 4)}
	m.Body = r
	m.FID, m.HasFID = r.FID, true
}

func pathRequest(p *pdu, m *Message) {
	r := &PathRequest{}
	if m.WordCount >= 1 {
		r.SearchAttributes = le16(m.Params, 0)
	}
	c := p.data(m)
	// Each name follows a buffer format byte 0x04 (ASCII string).
	if c.u8() == 0x04 {
		r.FileName = c.str()
	}
	if m.Command == CmdRename && c.u8() == 0x04 {
		r.NewName = c.str()
	}
	m.Body = r
	m.Name = r.FileName
}

func queryInformationResponse(p *pdu, m *Message) {
	w := m.Params
	m.Body = &QueryInformationResponse{
		FileAttributes: le16(w, 0),
		LastWriteTime:  le32(w, 2),
		FileSize:       le32(w, 6),
	}
}

func echoRequest(p *pdu, m *Message) {
	c := p.data(m)
	m.Body = &EchoRequest{Count: le16(m.Params, 0), Data: c.bytes(c.left())}
}

func echoResponse(p *pdu, m *Message) {
	m.Body = &EchoResponse{Sequence: le16(m.Params, 0)}
}
