package smb2

// QueryDirectoryRequest is the QUERY_DIRECTORY request (MS-SMB2 2.2.33).
type QueryDirectoryRequest struct {
	InfoClass          uint8 // see FindInfoName
	Flags              uint8 // 1 restart scans, 2 single entry, 4 index specified, 0x10 reopen
	FileIndex          uint32
	FileID             FileID
	Pattern            string // search pattern, e.g. "*"
	OutputBufferLength uint32
}

// QueryDirectoryResponse is the QUERY_DIRECTORY response (MS-SMB2
// 2.2.34). The entries' layout depends on the request's class, so Parse
// keeps the buffer and State.Track decodes Entries once it has paired the
// response with its request (or the caller uses DirectoryEntries).
type QueryDirectoryResponse struct {
	OutputLength uint32
	Buffer       []byte
	Entries      []DirEntry
}

// DirEntry is one entry of a directory listing.
type DirEntry struct {
	Name       string
	EndOfFile  uint64
	Attributes uint32
}

// ChangeNotifyRequest is the CHANGE_NOTIFY request (MS-SMB2 2.2.35).
type ChangeNotifyRequest struct {
	Flags              uint16 // 1 = watch tree
	OutputBufferLength uint32
	FileID             FileID
	CompletionFilter   uint32
}

// ChangeNotifyResponse is the CHANGE_NOTIFY response (MS-SMB2 2.2.36).
type ChangeNotifyResponse struct {
	OutputLength uint32
}

// maxDirEntries bounds a decoded listing (each entry takes at least 12
// bytes of the buffer anyway).
const maxDirEntries = 65536

func decQueryDirectoryRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 32); err != nil {
		return nil, err
	}
	r := &QueryDirectoryRequest{
		InfoClass:          body[2],
		Flags:              body[3],
		FileIndex:          u32(body, 4),
		FileID:             fileID(body, 8),
		OutputBufferLength: u32(body, 28),
	}
	p, err := buffer(msg, int(u16(body, 24)), int(u16(body, 26)))
	r.Pattern = utf16String(p)
	return r, err
}

func decQueryDirectoryResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 8); err != nil {
		return nil, err
	}
	r := &QueryDirectoryResponse{OutputLength: u32(body, 4)}
	b, err := buffer(msg, int(u16(body, 2)), int(r.OutputLength))
	r.Buffer = clone(b)
	return r, err
}

func decChangeNotifyRequest(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 32); err != nil {
		return nil, err
	}
	return &ChangeNotifyRequest{
		Flags:              u16(body, 2),
		OutputBufferLength: u32(body, 4),
		FileID:             fileID(body, 8),
		CompletionFilter:   u32(body, 24),
	}, nil
}

func decChangeNotifyResponse(msg, body []byte, m *Message) (any, error) {
	if err := fixed(body, 8); err != nil {
		return nil, err
	}
	return &ChangeNotifyResponse{OutputLength: u32(body, 4)}, nil
}

// dirLayout gives, per information class, where an entry keeps its name
// length and its name; size and attributes sit at 40 and 56 in all but
// FileNamesInformation.
var dirLayout = map[uint8]struct{ lenAt, nameAt int }{
	FileDirectoryInfo:       {60, 64},
	FileFullDirectoryInfo:   {60, 68},
	FileBothDirectoryInfo:   {60, 94},
	FileNamesInfo:           {8, 12},
	FileIDBothDirectoryInfo: {60, 104},
	FileIDFullDirectoryInfo: {60, 80},
}

// DirectoryEntries decodes a QUERY_DIRECTORY output buffer of the given
// information class. It returns what it could decode and false when the
// class is not one it knows or the buffer is damaged.
func DirectoryEntries(class uint8, b []byte) ([]DirEntry, bool) {
	l, ok := dirLayout[class]
	if !ok {
		return nil, false
	}
	var es []DirEntry
	at := 0
	for len(es) < maxDirEntries {
		e, ok := span(b, at, l.nameAt)
		if !ok {
			return es, false
		}
		// An entry's name lies within the entry: entries never overlap,
		// which also bounds the text decoded by the buffer's length.
		end := len(b)
		if next := int(u32(e, 0)); next != 0 && next <= len(b)-at {
			end = at + next
		}
		name, ok := span(b[:end], at+l.nameAt, int(u32(e, l.lenAt)))
		if !ok {
			return es, false
		}
		d := DirEntry{Name: utf16String(name)}
		if class != FileNamesInfo {
			d.EndOfFile, d.Attributes = u64(e, 40), u32(e, 56)
		}
		es = append(es, d)
		next := int(u32(e, 0))
		if next == 0 {
			return es, true
		}
		if next < l.nameAt || next > len(b)-at {
			return es, false
		}
		at += next
	}
	return es, false
}
