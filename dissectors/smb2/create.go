package smb2

// CreateRequest is the CREATE request (MS-SMB2 2.2.13).
type CreateRequest struct {
	SecurityFlags   uint8
	RequestedOplock uint8 // see OplockName
	Impersonation   uint32
	DesiredAccess   uint32
	FileAttributes  uint32
	ShareAccess     uint32
	Disposition     uint32 // see DispositionName
	CreateOptions   uint32
	Name            string // relative to the share; "" is the share's root
	Contexts        []CreateContext
}

// CreateResponse is the CREATE response (MS-SMB2 2.2.14).
type CreateResponse struct {
	OplockLevel    uint8
	Flags          uint8
	CreateAction   uint32 // see CreateActionName
	CreationTime   uint64 // FILETIME
	LastAccessTime uint64
	LastWriteTime  uint64
	ChangeTime     uint64
	AllocationSize uint64
	EndOfFile      uint64
	FileAttributes uint32
	FileID         FileID
	Contexts       []CreateContext
}

// CreateContext is one create context: its name ("MxAc", "QFid", "RqLs",
// "DH2Q", or a GUID's 16 bytes) and its data.
type CreateContext struct {
	Name string
	Data []byte
}

// Create options and access bits a trace looks at.
const (
	OptionDirectoryFile = 0x00000001
	OptionNonDirectory  = 0x00000040
	OptionDeleteOnClose = 0x00001000
	AccessDelete        = 0x00010000
	AccessReadData      = 0x00000001
	AccessWriteData     = 0x00000002
	AttributeDirectory  = 0x00000010
)

func decCreateRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 56); err != nil {
		return nil, err
	}
	r := &CreateRequest{
		SecurityFlags:   body[2],
		RequestedOplock: body[3],
		Impersonation:   u32(body, 4),
		DesiredAccess:   u32(body, 24),
		FileAttributes:  u32(body, 28),
		ShareAccess:     u32(body, 32),
		Disposition:     u32(body, 36),
		CreateOptions:   u32(body, 40),
	}
	name, err := buffer(msg, int(u16(body, 44)), int(u16(body, 46)))
	if err != nil {
		return r, err
	}
	r.Name = utf16String(name)
	r.Contexts, err = createContexts(msg, int(u32(body, 48)), int(u32(body, 52)))
	return r, err
}

func decCreateResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 88); err != nil {
		return nil, err
	}
	r := &CreateResponse{
		OplockLevel:    body[2],
		Flags:          body[3],
		CreateAction:   u32(body, 4),
		CreationTime:   u64(body, 8),
		LastAccessTime: u64(body, 16),
		LastWriteTime:  u64(body, 24),
		ChangeTime:     u64(body, 32),
		AllocationSize: u64(body, 40),
		EndOfFile:      u64(body, 48),
		FileAttributes: u32(body, 56),
		FileID:         fileID(body, 64),
	}
	var err error
	r.Contexts, err = createContexts(msg, int(u32(body, 80)), int(u32(body, 84)))
	return r, err
}

// createContexts walks the chain of create contexts at off (from the
// header); each context's Next is relative to its own start.
func createContexts(msg []byte, off, n int) ([]CreateContext, error) {
	if n == 0 {
		return nil, nil
	}
	all, ok := span(msg, off, n)
	if !ok {
		return nil, errBounds
	}
	var cs []CreateContext
	at := 0
	for {
		c, ok := span(all, at, 16)
		if !ok {
			return cs, errBounds
		}
		// Name and data offsets are relative to the context's start.
		name, ok1 := span(all[at:], int(u16(c, 4)), int(u16(c, 6)))
		data, ok2 := span(all[at:], int(u16(c, 10)), int(u32(c, 12)))
		if !ok1 || !ok2 {
			return cs, errBounds
		}
		cs = append(cs, CreateContext{Name: string(name), Data: clone(data)})
		next := int(u32(c, 0))
		if next == 0 {
			return cs, nil
		}
		if next < 16 || next > len(all)-at {
			return cs, errBounds
		}
		at += next
	}
}

// CloseRequest is the CLOSE request (MS-SMB2 2.2.15).
type CloseRequest struct {
	Flags  uint16 // 1 = POSTQUERY_ATTRIB
	FileID FileID
}

// CloseResponse is the CLOSE response (MS-SMB2 2.2.16).
type CloseResponse struct {
	Flags          uint16
	CreationTime   uint64
	LastAccessTime uint64
	LastWriteTime  uint64
	ChangeTime     uint64
	AllocationSize uint64
	EndOfFile      uint64
	FileAttributes uint32
}

func decCloseRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 24); err != nil {
		return nil, err
	}
	return &CloseRequest{Flags: u16(body, 2), FileID: fileID(body, 8)}, nil
}

func decCloseResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 60); err != nil {
		return nil, err
	}
	return &CloseResponse{
		Flags:          u16(body, 2),
		CreationTime:   u64(body, 8),
		LastAccessTime: u64(body, 16),
		LastWriteTime:  u64(body, 24),
		ChangeTime:     u64(body, 32),
		AllocationSize: u64(body, 40),
		EndOfFile:      u64(body, 48),
		FileAttributes: u32(body, 56),
	}, nil
}

// FlushRequest is the FLUSH request (MS-SMB2 2.2.17).
type FlushRequest struct {
	FileID FileID
}

func decFlushRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 24); err != nil {
		return nil, err
	}
	return &FlushRequest{FileID: fileID(body, 8)}, nil
}
