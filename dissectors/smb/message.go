package smb

import "strings"

// Message is one command of a PDU: the PDU's first command or one chained
// to it by AndX. All messages of a PDU share its Header.
type Message struct {
	Header Header
	// Command is this message's command (Header.Command for the first).
	Command uint8
	// Chain is the position in the AndX chain (0 for the first command);
	// Last marks the chain's last message.
	Chain int
	Last  bool
	// AndX is the "next command" field of an AndX command (0xFF: none);
	// HasAndX says the block had one (error responses have no words).
	AndX    uint8
	HasAndX bool

	// WordCount, Params (the parameter words) and Data (the byte-count
	// bytes) are the raw command block. They alias the bytes given to
	// Parse.
	WordCount int
	Params    []byte
	Data      []byte
	// Offset is the position of the block (its word count) in the PDU.
	Offset int

	// Body is the decoded command, a pointer to one of the request or
	// response types of this package (e.g. *NTCreateRequest), or nil for
	// commands without one, error responses and blocks of an unknown shape.
	Body any
	// Malformed says why the block could not be decoded, if it could not.
	Malformed string

	// Fields common to many commands, copied from Body for the caller's
	// convenience: the file id; the request's argument (a file name, a
	// share path, a search pattern or a transaction name; a response
	// takes its request's); a sub-command (Trans2, NT Transact or
	// named-pipe function, RAP opcode) and an information level; the
	// offset and length of data read or written.
	FID           uint16
	HasFID        bool
	Name          string
	SubCommand    uint16
	HasSubCommand bool
	InfoLevel     uint16
	HasInfoLevel  bool
	FileOffset    uint64
	Length        uint32

	// Filled by State.Track: the share path and service of the tree, the
	// file name of the fid (or the name in the request), and the user
	// of the session.
	Tree     string
	Service  string
	Filename string
	User     string
	Domain   string
	Host     string
	// Request is, for a response, the request it answers (set by
	// State.Track; its raw blocks are dropped). Time is the caller's
	// capture time of the message, kept with a pending request so that a
	// response's round-trip time is m.Time - m.Request.Time.
	Request *Message
	Time    int64
}

// IsResponse reports whether the message goes from server to client.
func (m *Message) IsResponse() bool { return m.Header.IsResponse() }

// CommandName is the command's name as Zeek writes it.
func (m *Message) CommandName() string { return CommandName(m.Command) }

// SubCommandName names the sub-command, if the message has one: a Trans2
// sub-command, an NT Transact function or a named-pipe function, in
// Zeek's spelling, or the RAP opcode of a transaction on \PIPE\LANMAN.
func (m *Message) SubCommandName() string {
	if !m.HasSubCommand {
		return ""
	}
	switch m.Command {
	case CmdTransaction2, CmdTransaction2Secondary:
		return Trans2Name(m.SubCommand)
	case CmdNTTransact, CmdNTTransactSecondary:
		return NTTransactName(m.SubCommand)
	case CmdTransaction, CmdTransactionSecondary:
		if strings.EqualFold(m.Name, `\PIPE\LANMAN`) {
			return RAPName(m.SubCommand)
		}
		return TransName(m.SubCommand)
	}
	return ""
}

// IsError reports an error response: a response whose status is not
// success and whose block carries no words.
func (m *Message) IsError() bool {
	return m.IsResponse() && !m.Header.Success() && m.WordCount == 0
}
