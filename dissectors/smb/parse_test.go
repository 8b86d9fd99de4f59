package smb_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb"

	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// pduBuilder assembles SMB1 PDUs for the tests.
type pduBuilder struct {
	b []byte
}

// newPDU starts a PDU with the header fields the tests vary.
func newPDU(cmd uint8, flags uint8, flags2 uint16, status uint32, tid, pid, uid, mid uint16) *pduBuilder {
	h := make([]byte, HeaderLen)
	copy(h, "\xffSMB")
	h[4] = cmd
	binary.LittleEndian.PutUint32(h[5:], status)
	h[9] = flags
	binary.LittleEndian.PutUint16(h[10:], flags2)
	binary.LittleEndian.PutUint16(h[24:], tid)
	binary.LittleEndian.PutUint16(h[26:], pid)
	binary.LittleEndian.PutUint16(h[28:], uid)
	binary.LittleEndian.PutUint16(h[30:], mid)
	return &pduBuilder{b: h}
}

// block appends a command block; an AndX block's offset is patched by
// the next block call (andx reports where the offset field is).
func (p *pduBuilder) block(words, data []byte) int {
	start := len(p.b)
	p.b = append(p.b, byte(len(words)/2))
	p.b = append(p.b, words...)
	p.b = binary.LittleEndian.AppendUint16(p.b, uint16(len(data)))
	p.b = append(p.b, data...)
	return start
}

// link sets the AndX offset of the block at start to the current end.
func (p *pduBuilder) link(start int) {
	binary.LittleEndian.PutUint16(p.b[start+3:], uint16(len(p.b)))
}

// w builds parameter words from little-endian values of the given sizes.
type w []any

func (v w) bytes() []byte {
	var b []byte
	for _, x := range v {
		switch x := x.(type) {
		case uint8:
			b = append(b, x)
		case uint16:
			b = binary.LittleEndian.AppendUint16(b, x)
		case uint32:
			b = binary.LittleEndian.AppendUint32(b, x)
		case uint64:
			b = binary.LittleEndian.AppendUint64(b, x)
		case []byte:
			b = append(b, x...)
		default:
			panic("unsupported word type")
		}
	}
	return b
}

func utf16z(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return append(b, 0, 0)
}

const uniNT = Flags2Unicode | Flags2NTStatus | Flags2LongNames

func TestHeader(t *testing.T) {
	p := newPDU(CmdEcho, FlagResponse, Flags2NTStatus, 0xC0000022, 7, 0x1234, 9, 42)
	binary.LittleEndian.PutUint16(p.b[12:], 0x0001)
	copy(p.b[14:22], "SIGNATUR")
	p.block(w{uint16(1)}.bytes(), nil)
	msgs, err := Parse(p.b)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Parse: %v, %d messages", err, len(msgs))
	}
	h := msgs[0].Header
	if h.Command != CmdEcho || !h.IsResponse() || h.TID != 7 || h.UID != 9 || h.MID != 42 ||
		h.PID() != 0x00011234 || string(h.Signature[:]) != "SIGNATUR" {
		t.Errorf("header %+v", h)
	}
	if h.StatusName() != "STATUS_ACCESS_DENIED" || h.Success() {
		t.Errorf("status %q success %v", h.StatusName(), h.Success())
	}
	if msgs[0].CommandName() != "ECHO" || CommandDisplayName(CmdEcho) != "Echo" {
		t.Errorf("names %q %q", msgs[0].CommandName(), CommandDisplayName(CmdEcho))
	}
	// DOS form: class 1 (ERRDOS), code 2 (ERRbadfile).
	d := newPDU(CmdEcho, FlagResponse, 0, 0x00020001, 0, 0, 0, 1)
	d.block(nil, nil)
	msgs, _ = Parse(d.b)
	if h := msgs[0].Header; h.NTStatus() || h.ErrorClass() != 1 || h.ErrorCode() != 2 ||
		h.StatusName() != "DOS class 0x01 code 0x0002" || !msgs[0].IsError() {
		t.Errorf("DOS status: %+v %q", h, h.StatusName())
	}
}

func TestParseErrors(t *testing.T) {
	good := newPDU(CmdClose, 0, 0, 0, 1, 1, 1, 1)
	good.block(w{uint16(5), uint32(0)}.bytes(), nil)
	tests := []struct {
		name string
		b    []byte
		want string // substring of the error, "" for none
		msgs int
	}{
		{"empty", nil, "not an SMB1", 0},
		{"smb2", []byte("\xfeSMB" + strings.Repeat("\x00", 60)), "not an SMB1", 0},
		{"short header", []byte("\xffSMB\x72"), "header truncated", 0},
		{"no block", good.b[:HeaderLen], "beyond the", 1},
		{"words past end", good.b[:HeaderLen+3], "parameter words", 1},
		{"byte count past end", append(append([]byte(nil), good.b[:len(good.b)-2]...), 9, 0), "byte count", 1},
		{"good", good.b, "", 1},
	}
	for _, tt := range tests {
		msgs, err := Parse(tt.b)
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
		if len(msgs) != tt.msgs {
			t.Errorf("%s: %d messages, want %d", tt.name, len(msgs), tt.msgs)
		}
	}
}

func TestAndXChain(t *testing.T) {
	// SESSION_SETUP_ANDX (extended security) + TREE_CONNECT_ANDX.
	p := newPDU(CmdSessionSetupAndX, 0, uniNT|Flags2ExtSecurity, 0, 0xFFFF, 100, 0, 3)
	blob := []byte("\x60\x05blob!")
	data := append([]byte(nil), blob...)
	if (HeaderLen+1+24+2+len(blob))%2 == 1 {
		data = append(data, 0) // Unicode strings are aligned
	}
	data = append(data, append(utf16z("Unix"), utf16z("Samba")...)...)
	ss := p.block(w{uint8(CmdTreeConnectAndX), uint8(0), uint16(0), uint16(4356), uint16(50), uint16(0),
		uint32(0), uint16(len(blob)), uint32(0), uint32(0x8000e3fc)}.bytes(), data)
	p.link(ss)
	tdata := []byte{0} // one-byte password
	if (len(p.b)+1+8+2+1)%2 == 1 {
		tdata = append(tdata, 0)
	}
	tdata = append(append(tdata, utf16z(`\\SRV\IPC$`)...), "?????\x00"...)
	p.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0), uint16(1)}.bytes(), tdata)
	msgs, err := Parse(p.b)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("Parse: %v, %d messages", err, len(msgs))
	}
	s, ok := msgs[0].Body.(*SessionSetupRequest)
	if !ok || string(s.SecurityBlob) != string(blob) || s.NativeOS != "Unix" || s.NativeLanMan != "Samba" || s.Capabilities != 0x8000e3fc {
		t.Errorf("session setup %+v", msgs[0].Body)
	}
	tr, ok := msgs[1].Body.(*TreeConnectRequest)
	if !ok || tr.Path != `\\SRV\IPC$` || tr.Service != "?????" {
		t.Errorf("tree connect %+v", msgs[1].Body)
	}
	if msgs[0].Last || !msgs[1].Last || msgs[1].Chain != 1 || msgs[1].Header.MID != 3 || msgs[1].AndX != 0xFF {
		t.Errorf("chain flags: %+v / %+v", msgs[0], msgs[1])
	}

	// A loop: the AndX offset points back at the first block.
	loop := newPDU(CmdLogoffAndX, 0, 0, 0, 0, 0, 0, 1)
	lb := loop.block(w{uint8(CmdLogoffAndX), uint8(0), uint16(HeaderLen)}.bytes(), nil)
	_ = lb
	msgs, err = Parse(loop.b)
	if err == nil || len(msgs) != 1 || !strings.Contains(err.Error(), "does not move past") {
		t.Errorf("loop: %v, %d messages", err, len(msgs))
	}
	// Forward offsets can still chain many blocks; MaxChain bounds them.
	long := newPDU(CmdLogoffAndX, 0, 0, 0, 0, 0, 0, 1)
	for i := 0; i < MaxChain+5; i++ {
		s := long.block(w{uint8(CmdLogoffAndX), uint8(0), uint16(0)}.bytes(), nil)
		long.link(s)
	}
	long.block(w{uint8(0xFF), uint8(0), uint16(0)}.bytes(), nil)
	msgs, err = Parse(long.b)
	if err == nil || len(msgs) != MaxChain {
		t.Errorf("long chain: %v, %d messages", err, len(msgs))
	}
}

func TestCommands(t *testing.T) {
	type check func(t *testing.T, m *Message)
	tests := []struct {
		name  string
		build func() []byte
		check check
	}{
		{"negotiate request", func() []byte {
			p := newPDU(CmdNegotiate, 0, 0, 0, 0, 1, 0, 0)
			p.block(nil, []byte("\x02PC NETWORK PROGRAM 1.0\x00\x02NT LM 0.12\x00"))
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*NegotiateRequest)
			if len(r.Dialects) != 2 || r.Dialects[1] != "NT LM 0.12" {
				t.Errorf("%+v", r)
			}
		}},
		{"negotiate response, extended security", func() []byte {
			p := newPDU(CmdNegotiate, FlagResponse, uniNT, 0, 0, 1, 0, 0)
			p.block(w{uint16(1), uint8(3), uint16(50), uint16(1), uint32(16644), uint32(65536), uint32(0),
				uint32(0x8000f3fd), uint64(0x01d0000000000000), uint16(0), uint8(0)}.bytes(),
				append([]byte("0123456789abcdef"), "\x60\x01X"...))
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*NegotiateResponse)
			if r.DialectIndex != 1 || r.SecurityMode != 3 || r.MaxMpxCount != 50 || !r.ExtendedSecure ||
				string(r.ServerGUID[:]) != "0123456789abcdef" || string(r.SecurityBlob) != "\x60\x01X" || r.MaxBufferSize != 16644 {
				t.Errorf("%+v", r)
			}
		}},
		{"session setup without extended security", func() []byte {
			p := newPDU(CmdSessionSetupAndX, 0, uniNT, 0, 0, 1, 0, 1)
			data := append([]byte("LMPASSWORD123456789012NT"), 0) // 24 + pad at odd offset
			data = append(data, utf16z("alice")...)
			data = append(data, utf16z("CORP")...)
			data = append(data, utf16z("Windows")...)
			data = append(data, utf16z("LM")...)
			p.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(4356), uint16(50), uint16(0), uint32(0),
				uint16(24), uint16(0), uint32(0), uint32(0xd4)}.bytes(), data)
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*SessionSetupRequest)
			if r.Account != "alice" || r.PrimaryDomain != "CORP" || r.NativeOS != "Windows" || len(r.ANSIPassword) != 24 {
				t.Errorf("%+v", r)
			}
		}},
		{"nt create request", func() []byte {
			p := newPDU(CmdNTCreateAndX, 0, uniNT, 0, 5, 1, 6, 7)
			name := utf16z(`\notes.txt`)
			p.block(w{uint8(0xFF), uint8(0), uint16(0), uint8(0), uint16(len(name) - 2), uint32(0x16), uint32(0),
				uint32(0x120089), uint64(0), uint32(0x80), uint32(7), uint32(1), uint32(0x40), uint32(2), uint8(0)}.bytes(),
				append([]byte{0}, name...))
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*NTCreateRequest)
			if r.FileName != `\notes.txt` || r.AccessMask != 0x120089 || r.Disposition != 1 || r.CreateOptions != 0x40 || m.Name != r.FileName {
				t.Errorf("%+v", r)
			}
		}},
		{"read andx request, 64-bit offset", func() []byte {
			p := newPDU(CmdReadAndX, 0, uniNT, 0, 5, 1, 6, 8)
			p.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0x4001), uint32(0x1000), uint16(0xF000),
				uint16(0), uint32(0x1), uint16(0), uint32(2)}.bytes(), nil)
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*ReadRequest)
			if r.FID != 0x4001 || r.Offset != 0x200001000 || r.MaxCount != 0x1F000 || m.Length != r.MaxCount || !m.HasFID {
				t.Errorf("%+v", r)
			}
		}},
		{"write andx response", func() []byte {
			p := newPDU(CmdWriteAndX, FlagResponse, uniNT, 0, 5, 1, 6, 9)
			p.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0x2000), uint16(0xFFFF), uint16(1), uint16(0)}.bytes(), nil)
			return p.b
		}, func(t *testing.T, m *Message) {
			if r := m.Body.(*WriteResponse); r.Count != 0x12000 {
				t.Errorf("%+v", r)
			}
		}},
		{"trans2 find_first2", func() []byte {
			p := newPDU(CmdTransaction2, 0, uniNT, 0, 5, 1, 6, 10)
			params := w{uint16(0x16), uint16(1366), uint16(6), uint16(0x104), uint32(0)}.bytes()
			params = append(params, utf16z(`\*`)...)
			// Words: 14 + 1 setup; data starts after wc(1)+30 words bytes+bc(2), then 3 pad bytes.
			poff := HeaderLen + 1 + 30 + 2 + 3
			p.block(w{uint16(len(params)), uint16(0), uint16(10), uint16(65535), uint8(0), uint8(0), uint16(0), uint32(0),
				uint16(0), uint16(len(params)), uint16(poff), uint16(0), uint16(0), uint8(1), uint8(0), uint16(Trans2FindFirst2)}.bytes(),
				append([]byte{0, 0, 0}, params...))
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*TransRequest)
			if r.Sub.Sub != Trans2FindFirst2 || r.Sub.FileName != `\*` || r.Sub.InfoLevel != 0x104 || m.SubCommandName() != "FIND_FIRST2" ||
				InfoLevelName(m.SubCommand, m.InfoLevel) != "Find File Both Directory Info" {
				t.Errorf("%+v %q", r.Sub, m.SubCommandName())
			}
		}},
		{"transaction on a pipe", func() []byte {
			p := newPDU(CmdTransaction, 0, uniNT, 0, 5, 1, 6, 11)
			name := utf16z(`\PIPE\`)
			// wc 16, data: pad + name, then params/data at offsets.
			dataStart := HeaderLen + 1 + 32 + 2
			doff := dataStart + 1 + len(name)
			p.block(w{uint16(0), uint16(4), uint16(0), uint16(1024), uint8(0), uint8(0), uint16(0), uint32(0),
				uint16(0), uint16(0), uint16(doff), uint16(4), uint16(doff), uint8(2), uint8(0), uint16(0x26), uint16(0x4000)}.bytes(),
				append(append([]byte{0}, name...), 5, 0, 0, 3))
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*TransRequest)
			if r.Name != `\PIPE\` || !r.Pipe.HasFunction || r.Pipe.Function != 0x26 || r.Pipe.FID != 0x4000 ||
				m.SubCommandName() != "TRANSACT_NMPIPE" || string(r.Data) != "\x05\x00\x00\x03" {
				t.Errorf("%+v", r)
			}
		}},
		{"nt transact ioctl", func() []byte {
			p := newPDU(CmdNTTransact, 0, uniNT, 0, 5, 1, 6, 12)
			p.block(w{uint8(0), uint16(0), uint32(0), uint32(0), uint32(0), uint32(1024), uint32(0), uint32(0),
				uint32(0), uint32(0), uint8(4), uint16(NTTransIoctl), uint32(0x00060194), uint16(0x4001), uint8(1), uint8(0)}.bytes(), nil)
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*TransRequest)
			if r.NT.FunctionCode != 0x00060194 || r.NT.FID != 0x4001 || !r.NT.IsFsctl || m.SubCommandName() != "IOCTL" {
				t.Errorf("%+v", r.NT)
			}
		}},
		{"rename request", func() []byte {
			p := newPDU(CmdRename, 0, Flags2NTStatus, 0, 5, 1, 6, 13)
			p.block(w{uint16(0x16)}.bytes(), []byte("\x04\\a.txt\x00\x04\\b.txt\x00"))
			return p.b
		}, func(t *testing.T, m *Message) {
			r := m.Body.(*PathRequest)
			if r.FileName != `\a.txt` || r.NewName != `\b.txt` {
				t.Errorf("%+v", r)
			}
		}},
		{"error response", func() []byte {
			p := newPDU(CmdNTCreateAndX, FlagResponse, uniNT, 0xC0000034, 5, 1, 6, 14)
			p.block(nil, nil)
			return p.b
		}, func(t *testing.T, m *Message) {
			if !m.IsError() || m.Body != nil || m.HasAndX || m.Header.StatusName() != "STATUS_OBJECT_NAME_NOT_FOUND" {
				t.Errorf("%+v", m)
			}
		}},
		{"nt create response with too few words", func() []byte {
			p := newPDU(CmdNTCreateAndX, FlagResponse, uniNT, 0, 5, 1, 6, 15)
			p.block(w{uint8(0xFF), uint8(0), uint16(0), uint8(0), uint16(0x4000), uint8(0)}.bytes(), nil)
			return p.b
		}, func(t *testing.T, m *Message) {
			if m.Body != nil || !strings.Contains(m.Malformed, "parameter words") {
				t.Errorf("%+v", m)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := Parse(tt.build())
			if err != nil || len(msgs) != 1 {
				t.Fatalf("Parse: %v, %d messages", err, len(msgs))
			}
			if msgs[0].Body == nil && !strings.Contains(tt.name, "error") && !strings.Contains(tt.name, "few") {
				t.Fatalf("no body: %s", msgs[0].Malformed)
			}
			tt.check(t, &msgs[0])
		})
	}
}
