package smb2_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb2"

	"errors"
	"reflect"
	"testing"
)

var fidA = FileID{0x1122334455667788, 0x99aabbccddeeff00}

// parseOne parses a single-message PDU and fails on any error.
func parseOne(t *testing.T, b []byte) *Message {
	t.Helper()
	ms, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(ms) != 1 {
		t.Fatalf("%d messages, want 1", len(ms))
	}
	return &ms[0]
}

const rsp = FlagResponse

func TestCommands(t *testing.T) {
	name := utf16le(`dir\file.txt`)
	path := utf16le(`\\srv\share`)
	pattern := utf16le("*.doc")
	// CREATE request with one context ("MxAc", no data) after the name.
	ctx := body{}.u32(0).u16(16).u16(4).u16(0).u16(0).u32(0).raw([]byte("MxAc")).zero(4)
	createReq := body{}.u16(57).u8(0).u8(0xff).u32(2).u64(0).u64(0).
		u32(0x12019f).u32(0x80).u32(7).u32(1).u32(0x40).
		u16(120).u16(uint16(len(name))).u32(uint32(120 + 24)).u32(uint32(len(ctx))).
		raw(name).zero(24 - len(name)).raw(ctx)
	negCtx := body{}.u16(CtxEncryption).u16(6).u32(0).u16(2).u16(2).u16(1)
	tests := []struct {
		name  string
		pdu   []byte
		check func(t *testing.T, m *Message)
	}{
		{"negotiate request", msg(hb{cmd: CmdNegotiate}, body{}.u16(36).u16(2).u16(1).u16(0).u32(0x7f).zero(16).u32(104).u16(1).u16(0).u16(0x0300).u16(0x0311).raw(negCtx)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*NegotiateRequest)
				want := []uint16{0x0300, 0x0311}
				if !reflect.DeepEqual(r.Dialects, want) || len(r.Contexts) != 1 || !reflect.DeepEqual(r.Contexts[0].Ciphers, []uint16{2, 1}) {
					t.Errorf("%+v", r)
				}
				if r.Contexts[0].Name() != "SMB2_ENCRYPTION_CAPABILITIES" || CipherName(2) != "AES-128-GCM" {
					t.Errorf("names %q %q", r.Contexts[0].Name(), CipherName(2))
				}
			}},
		{"negotiate response", msg(hb{cmd: CmdNegotiate, flags: rsp}, body{}.u16(65).u16(1).u16(0x0210).u16(0).raw([]byte("0123456789abcdef")).u32(7).u32(1<<20).u32(1<<16).u32(1<<16).u64(1).u64(2).u16(128).u16(3).u32(0).raw([]byte{0x60, 1, 0})),
			func(t *testing.T, m *Message) {
				r := m.Body.(*NegotiateResponse)
				if r.Dialect != Dialect210 || DialectName(r.Dialect) != "SMB 2.1" || string(r.SecurityBlob) != "\x60\x01\x00" || r.MaxReadSize != 1<<16 {
					t.Errorf("%+v", r)
				}
			}},
		{"session setup request", msg(hb{cmd: CmdSessionSetup, mid: 1}, body{}.u16(25).u8(0).u8(1).u32(1).u32(0).u16(88).u16(3).u64(0).raw([]byte("abc"))),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*SessionSetupRequest); string(r.SecurityBlob) != "abc" || r.SecurityMode != 1 {
					t.Errorf("%+v", r)
				}
			}},
		{"session setup more processing", msg(hb{cmd: CmdSessionSetup, flags: rsp, status: StatusMoreProcessingRequired}, body{}.u16(9).u16(0).u16(72).u16(2).raw([]byte("xy"))),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*SessionSetupResponse); string(r.SecurityBlob) != "xy" || m.Error != nil {
					t.Errorf("%+v %+v", r, m.Error)
				}
			}},
		{"session setup failure", msg(hb{cmd: CmdSessionSetup, flags: rsp, status: 0xc000006d}, body{}.u16(9).u16(0).u32(0).u8(0)),
			func(t *testing.T, m *Message) {
				if m.Error == nil || m.Body != nil {
					t.Errorf("not an error: %+v", m)
				}
			}},
		{"logoff", msg(hb{cmd: CmdLogoff}, body{}.u16(4).u16(0)), func(t *testing.T, m *Message) { _ = m.Body.(*Empty) }},
		{"tree connect request", msg(hb{cmd: CmdTreeConnect}, body{}.u16(9).u16(0).u16(72).u16(uint16(len(path))).raw(path)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*TreeConnectRequest); r.Path != `\\srv\share` {
					t.Errorf("%q", r.Path)
				}
			}},
		{"tree connect response", msg(hb{cmd: CmdTreeConnect, flags: rsp, tid: 5}, body{}.u16(16).u8(SharePipe).u8(0).u32(0x30).u32(0).u32(0x1f01ff)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*TreeConnectResponse)
				if r.ShareType != SharePipe || ShareTypeName(r.ShareType) != "PIPE" || r.MaximalAccess != 0x1f01ff || m.TreeID != 5 {
					t.Errorf("%+v", r)
				}
			}},
		{"tree disconnect", msg(hb{cmd: CmdTreeDisconnect, flags: rsp}, body{}.u16(4).u16(0)), func(t *testing.T, m *Message) { _ = m.Body.(*Empty) }},
		{"create request", msg(hb{cmd: CmdCreate}, createReq),
			func(t *testing.T, m *Message) {
				r := m.Body.(*CreateRequest)
				if r.Name != `dir\file.txt` || r.Disposition != 1 || r.CreateOptions != 0x40 || r.RequestedOplock != 0xff || r.ShareAccess != 7 {
					t.Errorf("%+v", r)
				}
				if len(r.Contexts) != 1 || r.Contexts[0].Name != "MxAc" {
					t.Errorf("contexts %+v", r.Contexts)
				}
				if DispositionName(r.Disposition) != "Open (if file exists open it, else fail)" || OplockName(r.RequestedOplock) != "Lease" {
					t.Errorf("names")
				}
			}},
		{"create response", msg(hb{cmd: CmdCreate, flags: rsp}, body{}.u16(89).u8(0).u8(0).u32(2).u64(1).u64(2).u64(3).u64(4).u64(4096).u64(10).u32(0x20).u32(0).fid(fidA).u32(0).u32(0).zero(8)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*CreateResponse)
				if r.FileID != fidA || r.CreateAction != 2 || r.EndOfFile != 10 || r.LastWriteTime != 3 {
					t.Errorf("%+v", r)
				}
				if got, _ := m.FileID(); got != fidA {
					t.Errorf("FileID %v", got)
				}
			}},
		{"close request", msg(hb{cmd: CmdClose}, body{}.u16(24).u16(1).u32(0).fid(fidA)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*CloseRequest); r.FileID != fidA || r.Flags != 1 {
					t.Errorf("%+v", r)
				}
			}},
		{"close response", msg(hb{cmd: CmdClose, flags: rsp}, body{}.u16(60).u16(1).u32(0).u64(1).u64(2).u64(3).u64(4).u64(5).u64(6).u32(7)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*CloseResponse); r.EndOfFile != 6 || r.FileAttributes != 7 {
					t.Errorf("%+v", r)
				}
			}},
		{"flush", msg(hb{cmd: CmdFlush}, body{}.u16(24).u16(0).u32(0).fid(fidA)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*FlushRequest); r.FileID != fidA {
					t.Errorf("%+v", r)
				}
			}},
		{"read request", msg(hb{cmd: CmdRead}, body{}.u16(49).u8(0x50).u8(0).u32(4096).u64(8192).fid(fidA).u32(1).u32(0).u32(0).u16(0).u16(0).u8(0)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*ReadRequest); r.Length != 4096 || r.Offset != 8192 || r.FileID != fidA {
					t.Errorf("%+v", r)
				}
			}},
		{"read response", msg(hb{cmd: CmdRead, flags: rsp}, body{}.u16(17).u8(80).u8(0).u32(3).u32(0).u32(0).raw([]byte("abc"))),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*ReadResponse); r.DataLength != 3 {
					t.Errorf("%+v", r)
				}
			}},
		{"read buffer overflow keeps the body", msg(hb{cmd: CmdRead, flags: rsp, status: StatusBufferOverflow}, body{}.u16(17).u8(80).u8(0).u32(3).u32(0).u32(0).raw([]byte("abc"))),
			func(t *testing.T, m *Message) {
				if _, ok := m.Body.(*ReadResponse); !ok || m.Error != nil {
					t.Errorf("%+v", m)
				}
			}},
		{"write request", msg(hb{cmd: CmdWrite}, body{}.u16(49).u16(112).u32(5).u64(100).fid(fidA).u32(0).u32(0).u16(0).u16(0).u32(1).raw([]byte("hello"))),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*WriteRequest); r.Length != 5 || r.Offset != 100 || r.Flags != 1 {
					t.Errorf("%+v", r)
				}
			}},
		{"write response", msg(hb{cmd: CmdWrite, flags: rsp}, body{}.u16(17).u16(0).u32(5).u32(0).u16(0).u16(0)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*WriteResponse); r.Count != 5 {
					t.Errorf("%+v", r)
				}
			}},
		{"lock request", msg(hb{cmd: CmdLock}, body{}.u16(48).u16(2).u32(0).fid(fidA).u64(0).u64(10).u32(2).u32(0).u64(10).u64(5).u32(4).u32(0)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*LockRequest)
				if len(r.Locks) != 2 || r.Locks[1] != (Lock{10, 5, 4}) {
					t.Errorf("%+v", r)
				}
			}},
		{"lock response", msg(hb{cmd: CmdLock, flags: rsp}, body{}.u16(4).u16(0)), func(t *testing.T, m *Message) { _ = m.Body.(*Empty) }},
		{"ioctl request dfs", msg(hb{cmd: CmdIoctl}, body{}.u16(57).u16(0).u32(FSCTLDFSGetReferrals).fid(AnyFileID).u32(120).u32(uint32(4+len(path))).u32(0).u32(120).u32(0).u32(4096).u32(1).u32(0).u16(4).raw(path).u16(0)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*IoctlRequest)
				if r.Name() != "FSCTL_DFS_GET_REFERRALS" || r.DFSPath != `\\srv\share` || r.MaxOutputResponse != 4096 {
					t.Errorf("%+v %q", r, r.Name())
				}
			}},
		{"ioctl response", msg(hb{cmd: CmdIoctl, flags: rsp}, body{}.u16(49).u16(0).u32(FSCTLPipeTransceive).fid(fidA).u32(112).u32(0).u32(112).u32(3).u32(0).u32(0).raw([]byte("abc"))),
			func(t *testing.T, m *Message) {
				r := m.Body.(*IoctlResponse)
				if r.Name() != "FSCTL_PIPE_TRANSCEIVE" || r.OutputCount != 3 {
					t.Errorf("%+v", r)
				}
			}},
		{"ioctl error", msg(hb{cmd: CmdIoctl, flags: rsp, status: 0xc0000225}, body{}.u16(9).u16(0).u32(0).u8(0)),
			func(t *testing.T, m *Message) {
				if m.Error == nil || m.Body != nil {
					t.Errorf("%+v", m)
				}
			}},
		{"cancel", msg(hb{cmd: CmdCancel, flags: FlagAsync, async: 9}, body{}.u16(4).u16(0)),
			func(t *testing.T, m *Message) {
				if _, ok := m.Body.(*Empty); !ok || m.AsyncID != 9 {
					t.Errorf("%+v", m)
				}
			}},
		{"echo", msg(hb{cmd: CmdEcho}, body{}.u16(4).u16(0)), func(t *testing.T, m *Message) { _ = m.Body.(*Empty) }},
		{"query directory request", msg(hb{cmd: CmdQueryDirectory}, body{}.u16(33).u8(FileIDBothDirectoryInfo).u8(1).u32(0).fid(fidA).u16(96).u16(uint16(len(pattern))).u32(65536).raw(pattern)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*QueryDirectoryRequest)
				if r.Pattern != "*.doc" || FindInfoName(r.InfoClass) != "SMB2_FIND_ID_BOTH_DIRECTORY_INFO" || r.Flags != 1 {
					t.Errorf("%+v", r)
				}
			}},
		{"query directory no more files", msg(hb{cmd: CmdQueryDirectory, flags: rsp, status: 0x80000006}, body{}.u16(9).u16(0).u32(0).u8(0)),
			func(t *testing.T, m *Message) {
				if m.Error == nil {
					t.Errorf("%+v", m)
				}
			}},
		{"change notify request", msg(hb{cmd: CmdChangeNotify}, body{}.u16(32).u16(1).u32(4096).fid(fidA).u32(0x17).u32(0)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*ChangeNotifyRequest); r.CompletionFilter != 0x17 || r.Flags != 1 {
					t.Errorf("%+v", r)
				}
			}},
		{"change notify response", msg(hb{cmd: CmdChangeNotify, flags: rsp | FlagAsync}, body{}.u16(9).u16(72).u32(0).u8(0)),
			func(t *testing.T, m *Message) { _ = m.Body.(*ChangeNotifyResponse) }},
		{"query info request", msg(hb{cmd: CmdQueryInfo}, body{}.u16(41).u8(InfoFile).u8(FileAllInfo).u32(4096).u16(0).u16(0).u32(0).u32(0).u32(0).fid(fidA).u8(0)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*QueryInfoRequest)
				if r.ClassName() != "SMB2_FILE_ALL_INFO" || InfoTypeName(r.InfoType) != "FILE_INFO" {
					t.Errorf("%+v", r)
				}
			}},
		{"query info response", msg(hb{cmd: CmdQueryInfo, flags: rsp}, body{}.u16(9).u16(72).u32(4).u32(7)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*QueryInfoResponse); r.OutputLength != 4 || len(r.Buffer) != 4 {
					t.Errorf("%+v", r)
				}
			}},
		{"set info rename", msg(hb{cmd: CmdSetInfo}, body{}.u16(33).u8(InfoFile).u8(FileRenameInfo).u32(uint32(20+len(name))).u16(96).u16(0).u32(0).fid(fidA).u8(1).zero(7).u64(0).u32(uint32(len(name))).raw(name)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*SetInfoRequest)
				if !r.IsRename() || r.NewName != `dir\file.txt` || !r.ReplaceIfExists || r.ClassName() != "SMB2_FILE_RENAME_INFO" {
					t.Errorf("%+v", r)
				}
			}},
		{"set info delete on close", msg(hb{cmd: CmdSetInfo}, body{}.u16(33).u8(InfoFile).u8(FileDispositionInfo).u32(1).u16(96).u16(0).u32(0).fid(fidA).u8(1)),
			func(t *testing.T, m *Message) {
				r := m.Body.(*SetInfoRequest)
				if !r.IsDisposition() || !r.DeletePending || r.ClassName() != "SMB2_FILE_DISPOSITION_INFO" {
					t.Errorf("%+v", r)
				}
			}},
		{"set info fs class", msg(hb{cmd: CmdSetInfo}, body{}.u16(33).u8(InfoFilesystem).u8(6).u32(0).u16(0).u16(0).u32(0).fid(fidA)),
			func(t *testing.T, m *Message) {
				if r := m.Body.(*SetInfoRequest); r.ClassName() != "FileFsControlInformation" {
					t.Errorf("%q", r.ClassName())
				}
			}},
		{"set info response", msg(hb{cmd: CmdSetInfo, flags: rsp}, body{}.u16(2)), func(t *testing.T, m *Message) { _ = m.Body.(*Empty) }},
		{"oplock break notification", msg(hb{cmd: CmdOplockBreak, flags: rsp, mid: ^uint64(0)}, body{}.u16(24).u8(1).u8(0).u32(0).fid(fidA)),
			func(t *testing.T, m *Message) {
				o := m.Body.(*OplockBreak)
				if !o.Notification || o.Lease || o.OplockLevel != 1 || o.FileID != fidA || o.Kind() != "Oplock Break Notification" {
					t.Errorf("%+v", o)
				}
			}},
		{"oplock break ack", msg(hb{cmd: CmdOplockBreak, mid: 7}, body{}.u16(24).u8(0).u8(0).u32(0).fid(fidA)),
			func(t *testing.T, m *Message) {
				if o := m.Body.(*OplockBreak); o.Notification || o.Kind() != "Oplock Break Acknowledgment" {
					t.Errorf("%+v", o)
				}
			}},
		{"lease break notification", msg(hb{cmd: CmdOplockBreak, flags: rsp, mid: ^uint64(0)}, body{}.u16(44).u16(3).u32(1).raw([]byte("0123456789abcdef")).u32(7).u32(1).u32(0).u32(0).u32(0)),
			func(t *testing.T, m *Message) {
				o := m.Body.(*OplockBreak)
				if !o.Lease || !o.Notification || o.CurrentLeaseState != 7 || o.NewLeaseState != 1 || o.NewEpoch != 3 {
					t.Errorf("%+v", o)
				}
				if _, ok := m.FileID(); ok {
					t.Error("a lease break names no file id")
				}
			}},
		{"lease break ack", msg(hb{cmd: CmdOplockBreak, mid: 8}, body{}.u16(36).u16(0).u32(0).raw([]byte("0123456789abcdef")).u32(1).u64(0)),
			func(t *testing.T, m *Message) {
				if o := m.Body.(*OplockBreak); !o.Lease || o.Notification || o.NewLeaseState != 1 {
					t.Errorf("%+v", o)
				}
			}},
		{"pending interim", msg(hb{cmd: CmdRead, flags: rsp | FlagAsync, status: StatusPending, async: 0x55}, body{}.u16(9).u16(0).u32(0).u8(0)),
			func(t *testing.T, m *Message) {
				if !m.Pending || m.Error == nil || m.Body != nil || m.AsyncID != 0x55 || m.TreeID != 0 || m.StatusName() != "STATUS_PENDING" {
					t.Errorf("%+v", m)
				}
			}},
	}
	seen := map[uint16][2]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parseOne(t, tt.pdu)
			tt.check(t, m)
			v := seen[m.Command]
			v[btoi(m.IsResponse())] = true
			seen[m.Command] = v
		})
	}
	for c := uint16(0); c < 19; c++ {
		if v := seen[c]; !v[0] || !v[1] {
			if c == CmdCancel || c == CmdEcho || c == CmdLogoff || c == CmdTreeDisconnect || c == CmdFlush {
				continue // one direction with the same empty body suffices
			}
			t.Errorf("%s: request tested %v, response tested %v", CommandName(c), v[0], v[1])
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestHeaderFlags(t *testing.T) {
	b := msg(hb{cmd: CmdRead, flags: FlagResponse | FlagAsync | FlagRelated | FlagSigned | 0x30 | FlagDFS | FlagReplay, async: 0x1234, session: 77, mid: 9},
		body{}.u16(17).u8(0).u8(0).u32(0).u32(0).u32(0))
	m := parseOne(t, b)
	if !m.IsResponse() || !m.IsAsync() || !m.IsRelated() || !m.IsSigned() || !m.IsDFS() || !m.IsReplay() || m.Priority() != 3 {
		t.Errorf("flags %08x", m.Flags)
	}
	if m.AsyncID != 0x1234 || m.TreeID != 0 || m.SessionID != 77 || m.MessageID != 9 || m.CreditCharge != 1 {
		t.Errorf("%+v", m.Header)
	}
}

func TestCompound(t *testing.T) {
	name := utf16le("a.txt")
	create := msg(hb{cmd: CmdCreate, mid: 1, tid: 3, session: 5}, body{}.u16(57).zero(2).u32(2).zero(16).u32(0x80).u32(0).u32(7).u32(1).u32(0).u16(120).u16(uint16(len(name))).u32(0).u32(0).raw(name))
	query := msg(hb{cmd: CmdQueryInfo, mid: 2, flags: FlagRelated, tid: ^uint32(0), session: ^uint64(0)}, body{}.u16(41).u8(InfoFile).u8(FileAllInfo).u32(4096).zero(16).fid(AnyFileID).u8(0))
	closeReq := msg(hb{cmd: CmdClose, mid: 3, flags: FlagRelated, tid: ^uint32(0), session: ^uint64(0)}, body{}.u16(24).u16(0).u32(0).fid(AnyFileID))
	ms, err := Parse(compound(create, query, closeReq))
	if err != nil || len(ms) != 3 {
		t.Fatalf("%d messages, %v", len(ms), err)
	}
	for i, c := range []uint16{CmdCreate, CmdQueryInfo, CmdClose} {
		if ms[i].Command != c || ms[i].Body == nil {
			t.Errorf("message %d: %+v", i, ms[i])
		}
	}
	st := NewState(Limits{}, nil)
	for i := range ms {
		st.Track(&ms[i])
		if ms[i].Filename != "a.txt" {
			t.Errorf("message %d: filename %q", i, ms[i].Filename)
		}
		if ms[i].Tree != "" {
			t.Errorf("message %d: tree %q of a tree never connected", i, ms[i].Tree)
		}
	}
}

func TestTransforms(t *testing.T) {
	enc := append(append([]byte{0xfd, 'S', 'M', 'B'}, make([]byte, 48)...), make([]byte, 100)...)
	enc[36] = 100
	enc[42] = 1
	enc[44] = 0x42
	ms, err := Parse(enc)
	if err != nil || len(ms) != 1 || ms[0].Kind != KindEncrypted {
		t.Fatalf("%+v %v", ms, err)
	}
	if tr := ms[0].Transform; tr.OriginalMessageSize != 100 || tr.SessionID != 0x42 || tr.EncryptedLen != 100 || ms[0].SessionID != 0x42 {
		t.Errorf("%+v", tr)
	}
	comp := append([]byte{0xfc, 'S', 'M', 'B'}, body{}.u32(1000).u16(2).u16(0).u32(64).zero(40)...)
	ms, err = Parse(comp)
	if err != nil || len(ms) != 1 || ms[0].Kind != KindCompressed {
		t.Fatalf("%+v %v", ms, err)
	}
	if c := ms[0].Compression; c.OriginalSize != 1000 || c.Algorithm != 2 || c.Offset != 64 || c.CompressedLen != 40 || CompressionName(c.Algorithm) != "LZ77" {
		t.Errorf("%+v", c)
	}
}

func TestDamage(t *testing.T) {
	good := msg(hb{cmd: CmdEcho}, body{}.u16(4).u16(0))
	tests := []struct {
		name string
		pdu  []byte
		msgs int
		err  error
	}{
		{"empty", nil, 0, ErrNotSMB2},
		{"smb1", []byte{0xff, 'S', 'M', 'B', 0x72}, 0, ErrSMB1},
		{"not smb", []byte("GET / HTTP/1.1"), 0, ErrNotSMB2},
		{"short header", good[:40], 0, &Error{}},
		{"short body", msg(hb{cmd: CmdRead}, body{}.u16(49).u8(0)), 1, &Error{}},
		{"name out of bounds", msg(hb{cmd: CmdTreeConnect}, body{}.u16(9).u16(0).u16(72).u16(200)), 1, &Error{}},
		{"next beyond end", func() []byte { b := append([]byte(nil), good...); b[20] = 200; return b }(), 1, &Error{}},
		{"second message damaged", compound(good, good[:50]), 1, &Error{}},
		{"unknown command", msg(hb{cmd: 0x30}, body{}.u16(4).u16(0)), 1, &Error{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Parse(tt.pdu)
			if len(ms) != tt.msgs {
				t.Errorf("%d messages, want %d", len(ms), tt.msgs)
			}
			var e *Error
			switch {
			case tt.err == nil && err != nil:
				t.Errorf("error %v", err)
			case errors.As(tt.err, &e):
				if !errors.As(err, &e) {
					t.Errorf("error %v, want an *Error", err)
				}
			case tt.err != nil && !errors.Is(err, tt.err):
				t.Errorf("error %v, want %v", err, tt.err)
			}
		})
	}
}

func TestNames(t *testing.T) {
	tests := []struct{ got, want string }{
		{CommandName(CmdNegotiate), "NEGOTIATE_PROTOCOL"},
		{CommandName(CmdOplockBreak), "OPLOCK_BREAK"},
		{CommandName(19), "unknown-19"},
		{DisplayName(CmdSessionSetup), "Session Setup"},
		{DisplayName(CmdQueryDirectory), "Find"},
		{DisplayName(0x13), "unknown-0x13"},
		{DialectName(0x0311), "SMB 3.1.1"},
		{DialectName(0x02ff), "SMB2 wildcard"},
		{FSCTLName(FSCTLValidateNegotiate), "FSCTL_VALIDATE_NEGOTIATE_INFO"},
		{FSCTLName(FSCTLQueryNetworkIfaces), "FSCTL_QUERY_NETWORK_INTERFACE_INFO"},
		{FSCTLName(FSCTLDFSGetReferrals), "FSCTL_DFS_GET_REFERRALS"},
		{FSCTLName(1), "0x00000001"},
		{InfoClassName(InfoFile, FileBasicInfo), "SMB2_FILE_BASIC_INFO"},
		{InfoClassName(InfoFilesystem, 1), "FileFsVolumeInformation"},
		{InfoClassName(InfoSecurity, 0), "SMB2_SEC_INFO_00"},
		{ShareTypeDisplay(ShareDisk), "Physical disk"},
		{CreateActionName(1), "The file existed and was opened"},
		{ImpersonationName(2), "Impersonation"},
		{SigningName(1), "AES-CMAC"},
		{fidA.String(), "55667788-3344-1122-00ff-eeddccbbaa99"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if Version(Dialect302) != 3 || Version(Dialect210) != 2 {
		t.Error("Version")
	}
}
