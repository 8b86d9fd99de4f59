package smb

import "strings"

// TransRequest is the primary request of TRANSACTION, TRANSACTION2 or
// NT_TRANSACT: counts, the setup words, and this PDU's share of the
// parameter and data bytes.
type TransRequest struct {
	Name                    string // TRANSACTION only: \PIPE\, \PIPE\LANMAN, \MAILSLOT\...
	TotalParams, TotalData  uint32
	MaxParams, MaxData      uint32
	MaxSetup                uint8
	Flags                   uint16
	Timeout                 uint32
	Function                uint16 // NT_TRANSACT function
	Setup                   []uint16
	Params, Data            []byte // this PDU's part (copies)
	ParamOffset, DataOffset uint32
	Sub                     Trans2Request // TRANSACTION2 sub-command fields
	Pipe                    PipeRequest   // TRANSACTION on a named pipe
	NT                      NTTransRequest
}

// TransResponse is a response to any of the three transactions; a large
// reply comes in several responses, each with its displacements.
type TransResponse struct {
	TotalParams, TotalData  uint32
	ParamDisp, DataDisp     uint32
	Setup                   []uint16
	Params, Data            []byte // this PDU's part (copies)
	ParamOffset, DataOffset uint32
}

// Complete reports whether this response part finishes the reply.
func (r *TransResponse) Complete() bool {
	return r.ParamDisp+uint32(len(r.Params)) >= r.TotalParams &&
		r.DataDisp+uint32(len(r.Data)) >= r.TotalData
}

// TransSecondary carries more parameter or data bytes of a request
// (TRANSACTION_SECONDARY, TRANSACTION2_SECONDARY, NT_TRANSACT_SECONDARY).
type TransSecondary struct {
	TotalParams, TotalData uint32
	ParamDisp, DataDisp    uint32
	Params, Data           []byte
	FID                    uint16 // TRANSACTION2_SECONDARY
}

// Trans2Request holds the parameters of the Trans2 sub-commands users
// trace, as far as the first PDU carries them.
type Trans2Request struct {
	Sub          uint16 // setup word 0
	InfoLevel    uint16
	HasInfoLevel bool
	FileName     string // path, search pattern or DFS referral name
	FID          uint16 // QUERY/SET_FILE_INFORMATION
	HasFID       bool
	SearchID     uint16 // FIND_NEXT2
	SearchCount  uint16 // FIND_FIRST2/FIND_NEXT2
	SearchAttrs  uint16 // FIND_FIRST2
	Flags        uint16 // FIND_FIRST2/FIND_NEXT2
	MaxReferral  uint16 // GET_DFS_REFERRAL
}

// PipeRequest is the named-pipe function of a TRANSACTION on \PIPE\
// (setup word 0 and the pipe's fid in word 1), or the RAP opcode of one
// on \PIPE\LANMAN.
type PipeRequest struct {
	Function    uint16
	FID         uint16
	HasFunction bool
	RAPOpcode   uint16
	IsRAP       bool
}

// NTTransRequest holds what the NT_TRANSACT functions traced carry in
// their setup words or parameters.
type NTTransRequest struct {
	FID              uint16
	HasFID           bool
	FunctionCode     uint32 // IOCTL: the FSCTL/IOCTL code
	IsFsctl          bool
	CompletionFilter uint32 // NOTIFY_CHANGE
	WatchTree        bool
	SecurityInfo     uint32 // QUERY/SET_SECURITY_DESC
	FileName         string // CREATE
}

// TransNoResponse is the transaction flag of a one-way transaction: the
// server sends no response.
const TransNoResponse = 0x0002

// Trans2 sub-commands.
const (
	Trans2FindFirst2      = 0x01
	Trans2FindNext2       = 0x02
	Trans2QueryFSInfo     = 0x03
	Trans2SetFSInfo       = 0x04
	Trans2QueryPathInfo   = 0x05
	Trans2SetPathInfo     = 0x06
	Trans2QueryFileInfo   = 0x07
	Trans2SetFileInfo     = 0x08
	Trans2CreateDirectory = 0x0D
	Trans2GetDFSReferral  = 0x10
)

// NT_TRANSACT functions.
const (
	NTTransCreate       = 1
	NTTransIoctl        = 2
	NTTransSetSecDesc   = 3
	NTTransNotify       = 4
	NTTransRename       = 5
	NTTransQuerySecDesc = 6
)

func init() {
	register(CmdTransaction, 14, transRequest, 10, transResponse)
	register(CmdTransaction2, 14, transRequest, 10, transResponse)
	register(CmdNTTransact, 19, ntTransRequest, 18, ntTransResponse)
	register(CmdTransactionSecondary, 8, transSecondary, 0, nil)
	register(CmdTransaction2Secondary, 9, transSecondary, 0, nil)
	register(CmdNTTransactSecondary, 18, ntTransSecondary, 0, nil)
}

// setupWords reads n setup words starting at w[off:], as far as present.
func setupWords(w []byte, off, n int) []uint16 {
	var s []uint16
	for i := 0; i < n && off+2*i+2 <= len(w); i++ {
		s = append(s, le16(w, off+2*i))
	}
	return s
}

func transRequest(p *pdu, m *Message) {
	w := m.Params
	r := &TransRequest{
		TotalParams: uint32(le16(w, 0)),
		TotalData:   uint32(le16(w, 2)),
		MaxParams:   uint32(le16(w, 4)),
		MaxData:     uint32(le16(w, 6)),
		MaxSetup:    w[8],
		Flags:       le16(w, 10),
		Timeout:     le32(w, 12),
		ParamOffset: uint32(le16(w, 20)),
		DataOffset:  uint32(le16(w, 24)),
	}
	r.Setup = setupWords(w, 28, int(w[26]))
	pc, dc := p.region(int(r.ParamOffset), int(le16(w, 18))), p.region(int(r.DataOffset), int(le16(w, 22)))
	r.Params, r.Data = pc.bytes(pc.left()), dc.bytes(dc.left())
	m.Body = r
	if m.Command == CmdTransaction {
		c := p.data(m)
		r.Name = c.str()
		m.Name = r.Name
		transPipe(r, m)
		return
	}
	if len(r.Setup) == 0 {
		return
	}
	trans2Params(p, r, m)
}

// transPipe decodes the named-pipe function or RAP opcode of a TRANSACTION.
func transPipe(r *TransRequest, m *Message) {
	name := strings.ToUpper(r.Name)
	switch {
	case name == `\PIPE\LANMAN`:
		if len(r.Params) >= 2 {
			r.Pipe.IsRAP = true
			r.Pipe.RAPOpcode = le16(r.Params, 0)
			m.SubCommand, m.HasSubCommand = r.Pipe.RAPOpcode, true
		}
	case strings.HasPrefix(name, `\PIPE\`) && len(r.Setup) >= 1:
		r.Pipe.HasFunction = true
		r.Pipe.Function = r.Setup[0]
		m.SubCommand, m.HasSubCommand = r.Pipe.Function, true
		if len(r.Setup) >= 2 {
			r.Pipe.FID = r.Setup[1]
			m.FID, m.HasFID = r.Pipe.FID, true
		}
	}
}

// trans2Params decodes the parameters of the Trans2 sub-commands.
func trans2Params(p *pdu, r *TransRequest, m *Message) {
	t := &r.Sub
	t.Sub = r.Setup[0]
	m.SubCommand, m.HasSubCommand = t.Sub, true
	c := p.region(int(r.ParamOffset), len(r.Params))
	level := func() {
		t.InfoLevel, t.HasInfoLevel = c.u16(), true
	}
	// Names in Trans2 parameters follow fixed fields at even offsets
	// from the parameter start; Unicode names need no alignment beyond
	// what the sender already did, so read them where they start.
	name := func() {
		if p.uni {
			t.FileName = c.ucs2(-1)
		} else {
			t.FileName = c.ascii()
		}
	}
	switch t.Sub {
	case Trans2FindFirst2:
		t.SearchAttrs = c.u16()
		t.SearchCount = c.u16()
		t.Flags = c.u16()
		level()
		c.skip(4) // storage type
		name()
	case Trans2FindNext2:
		t.SearchID = c.u16()
		t.SearchCount = c.u16()
		level()
		c.skip(4) // resume key
		t.Flags = c.u16()
		name()
	case Trans2QueryFSInfo:
		level()
	case Trans2SetFSInfo:
		c.skip(2) // fid
		level()
	case Trans2QueryPathInfo, Trans2SetPathInfo:
		level()
		c.skip(4)
		name()
	case Trans2QueryFileInfo, Trans2SetFileInfo:
		t.FID, t.HasFID = c.u16(), true
		level()
	case Trans2CreateDirectory:
		c.skip(4)
		name()
	case Trans2GetDFSReferral:
		t.MaxReferral = c.u16()
		// The referral request name is always UTF-16 (MS-DFSC 2.2.2).
		t.FileName = c.ucs2(-1)
	}
	m.Name = t.FileName
	if t.HasFID {
		m.FID, m.HasFID = t.FID, true
	}
	if t.HasInfoLevel {
		m.InfoLevel, m.HasInfoLevel = t.InfoLevel, true
	}
}

func transResponse(p *pdu, m *Message) {
	w := m.Params
	r := &TransResponse{
		TotalParams: uint32(le16(w, 0)),
		TotalData:   uint32(le16(w, 2)),
		ParamOffset: uint32(le16(w, 8)),
		ParamDisp:   uint32(le16(w, 10)),
		DataOffset:  uint32(le16(w, 14)),
		DataDisp:    uint32(le16(w, 16)),
	}
	r.Setup = setupWords(w, 20, int(w[18]))
	pc, dc := p.region(int(r.ParamOffset), int(le16(w, 6))), p.region(int(r.DataOffset), int(le16(w, 12)))
	r.Params, r.Data = pc.bytes(pc.left()), dc.bytes(dc.left())
	m.Body = r
}

func transSecondary(p *pdu, m *Message) {
	w := m.Params
	r := &TransSecondary{
		TotalParams: uint32(le16(w, 0)),
		TotalData:   uint32(le16(w, 2)),
		ParamDisp:   uint32(le16(w, 8)),
		DataDisp:    uint32(le16(w, 14)),
	}
	pc, dc := p.region(int(le16(w, 6)), int(le16(w, 4))), p.region(int(le16(w, 12)), int(le16(w, 10)))
	r.Params, r.Data = pc.bytes(pc.left()), dc.bytes(dc.left())
	if m.Command == CmdTransaction2Secondary {
		r.FID = le16(w, 16)
	}
	m.Body = r
}

func ntTransRequest(p *pdu, m *Message) {
	w := m.Params
	r := &TransRequest{
		MaxSetup:    w[0],
		TotalParams: le32(w, 3),
		TotalData:   le32(w, 7),
		MaxParams:   le32(w, 11),
		MaxData:     le32(w, 15),
		ParamOffset: le32(w, 23),
		DataOffset:  le32(w, 31),
		Function:    le16(w, 36),
	}
	r.Setup = setupWords(w, 38, int(w[35]))
	pc, dc := p.region(int(r.ParamOffset), int(le32(w, 19))), p.region(int(r.DataOffset), int(le32(w, 27)))
	r.Params, r.Data = pc.bytes(pc.left()), dc.bytes(dc.left())
	m.Body = r
	m.SubCommand, m.HasSubCommand = r.Function, true
	nt := &r.NT
	switch r.Function {
	case NTTransIoctl:
		if len(r.Setup) >= 4 {
			nt.FunctionCode = uint32(r.Setup[0]) | uint32(r.Setup[1])<<16
			nt.FID, nt.HasFID = r.Setup[2], true
			nt.IsFsctl = r.Setup[3]&0xFF != 0
		}
	case NTTransNotify:
		if len(r.Setup) >= 4 {
			nt.CompletionFilter = uint32(r.Setup[0]) | uint32(r.Setup[1])<<16
			nt.FID, nt.HasFID = r.Setup[2], true
			nt.WatchTree = r.Setup[3]&0xFF != 0
		}
	case NTTransQuerySecDesc, NTTransSetSecDesc:
		if len(r.Params) >= 8 {
			nt.FID, nt.HasFID = le16(r.Params, 0), true
			nt.SecurityInfo = le32(r.Params, 4)
		}
	case NTTransRename:
		if len(r.Params) >= 2 {
			nt.FID, nt.HasFID = le16(r.Params, 0), true
		}
	case NTTransCreate:
		// MS-CIFS 2.2.7.1.1: 53 bytes of fixed fields, then the name.
		if len(r.Params) >= 53 {
			n := int(le32(r.Params, 44))
			c := p.region(int(r.ParamOffset)+53, len(r.Params)-53)
			if p.uni {
				c.align2()
			}
			nt.FileName = c.fixed(n)
			m.Name = nt.FileName
		}
	}
	if nt.HasFID {
		m.FID, m.HasFID = nt.FID, true
	}
}

func ntTransResponse(p *pdu, m *Message) {
	w := m.Params
	r := &TransResponse{
		TotalParams: le32(w, 3),
		TotalData:   le32(w, 7),
		ParamOffset: le32(w, 15),
		ParamDisp:   le32(w, 19),
		DataOffset:  le32(w, 27),
		DataDisp:    le32(w, 31),
	}
	r.Setup = setupWords(w, 36, int(w[35]))
	pc, dc := p.region(int(r.ParamOffset), int(le32(w, 11))), p.region(int(r.DataOffset), int(le32(w, 23)))
	r.Params, r.Data = pc.bytes(pc.left()), dc.bytes(dc.left())
	m.Body = r
}

func ntTransSecondary(p *pdu, m *Message) {
	w := m.Params
	r := &TransSecondary{
		TotalParams: le32(w, 3),
		TotalData:   le32(w, 7),
		ParamDisp:   le32(w, 19),
		DataDisp:    le32(w, 31),
	}
	pc, dc := p.region(int(le32(w, 15)), int(le32(w, 11))), p.region(int(le32(w, 27)), int(le32(w, 23)))
	r.Params, r.Data = pc.bytes(pc.left()), dc.bytes(dc.left())
	m.Body = r
}
