package smb2

// QueryInfoRequest is the QUERY_INFO request (MS-SMB2 2.2.37).
type QueryInfoRequest struct {
	InfoType              uint8 // InfoFile, InfoFilesystem, InfoSecurity, InfoQuota
	Class                 uint8 // see InfoClassName
	OutputBufferLength    uint32
	InputBufferLength     uint32
	AdditionalInformation uint32
	Flags                 uint32
	FileID                FileID
}

// ClassName is Wireshark's name of the requested class.
func (r *QueryInfoRequest) ClassName() string { return InfoClassName(r.InfoType, r.Class) }

// QueryInfoResponse is the QUERY_INFO response (MS-SMB2 2.2.38). Its
// layout depends on the request, so the buffer is kept (up to
// maxInfoKeep bytes) and State.Track fills FileName from a
// SMB2_FILE_ALL_INFO or name-information answer.
type QueryInfoResponse struct {
	OutputLength uint32
	Buffer       []byte
	FileName     string
}

// SetInfoRequest is the SET_INFO request (MS-SMB2 2.2.39), with the
// classes that change a file's identity decoded.
type SetInfoRequest struct {
	InfoType              uint8
	Class                 uint8
	BufferLength          uint32
	AdditionalInformation uint32
	FileID                FileID
	Buffer                []byte // up to maxInfoKeep bytes

	// SMB2_FILE_RENAME_INFO: the new name and ReplaceIfExists.
	NewName         string
	ReplaceIfExists bool
	// SMB2_FILE_DISPOSITION_INFO: DeletePending (delete on close).
	DeletePending bool
	// SMB2_FILE_ENDOFFILE_INFO: the new size.
	EndOfFile uint64
}

// ClassName is Wireshark's name of the class set.
func (r *SetInfoRequest) ClassName() string { return InfoClassName(r.InfoType, r.Class) }

// IsRename reports a SMB2_FILE_RENAME_INFO request.
func (r *SetInfoRequest) IsRename() bool { return r.InfoType == InfoFile && r.Class == FileRenameInfo }

// IsDisposition reports a SMB2_FILE_DISPOSITION_INFO request (delete on
// close set or cleared by DeletePending).
func (r *SetInfoRequest) IsDisposition() bool {
	return r.InfoType == InfoFile && (r.Class == FileDispositionInfo || r.Class == FileDispositionInfoEx)
}

const maxInfoKeep = 4096

func decQueryInfoRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 40); err != nil {
		return nil, err
	}
	return &QueryInfoRequest{
		InfoType:              body[2],
		Class:                 body[3],
		OutputBufferLength:    u32(body, 4),
		InputBufferLength:     u32(body, 12),
		AdditionalInformation: u32(body, 16),
		Flags:                 u32(body, 20),
		FileID:                fileID(body, 24),
	}, nil
}

func decQueryInfoResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 8); err != nil {
		return nil, err
	}
	r := &QueryInfoResponse{OutputLength: u32(body, 4)}
	b, err := buffer(msg, int(u16(body, 2)), int(r.OutputLength))
	r.Buffer = clone(b[:min(len(b), maxInfoKeep)])
	return r, err
}

// QueryInfoFileName returns the file name a QUERY_INFO answer of the given
// type and class carries (SMB2_FILE_ALL_INFO, SMB2_FILE_NORMALIZED_NAME_INFO
// and the alternate name), if any.
func QueryInfoFileName(infoType, class uint8, b []byte) (string, bool) {
	if infoType != InfoFile {
		return "", false
	}
	at := -1
	switch class {
	case FileAllInfo:
		// Basic, standard, internal, EA, access, position, mode and
		// alignment information precede the name.
		at = 96
	case 9, 21, 48: // name, alternate name, normalized name
		at = 0
	}
	if at < 0 || len(b) < at+4 {
		return "", false
	}
	name, ok := span(b, at+4, int(u32(b, at)))
	if !ok {
		return "", false
	}
	return utf16String(name), true
}

func decSetInfoRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 32); err != nil {
		return nil, err
	}
	r := &SetInfoRequest{
		InfoType:              body[2],
		Class:                 body[3],
		BufferLength:          u32(body, 4),
		AdditionalInformation: u32(body, 12),
		FileID:                fileID(body, 16),
	}
	b, err := buffer(msg, int(u16(body, 8)), int(r.BufferLength))
	if err != nil {
		return r, err
	}
	r.Buffer = clone(b[:min(len(b), maxInfoKeep)])
	if r.InfoType != InfoFile {
		return r, nil
	}
	switch r.Class {
	case FileRenameInfo:
		// FILE_RENAME_INFORMATION_TYPE_2: ReplaceIfExists, 7 reserved
		// bytes, RootDirectory, FileNameLength, FileName.
		if len(b) < 20 {
			return r, errShort
		}
		r.ReplaceIfExists = b[0] != 0
		name, ok := span(b, 20, int(u32(b, 16)))
		if !ok {
			return r, errBounds
		}
		r.NewName = utf16String(name)
	case FileDispositionInfo:
		if len(b) < 1 {
			return r, errShort
		}
		r.DeletePending = b[0] != 0
	case FileDispositionInfoEx:
		// Flags: 1 = DELETE.
		if len(b) < 4 {
			return r, errShort
		}
		r.DeletePending = u32(b, 0)&1 != 0
	case FileEndOfFileInfo:
		if len(b) < 8 {
			return r, errShort
		}
		r.EndOfFile = u64(b, 0)
	}
	return r, nil
}
