package smb2

import "github.com/wirelark/wirelark/dissectors/ntstatus"

// Kind tells what a Message holds.
type Kind uint8

const (
	// KindSMB2 is a plain SMB2 message: Header and Body are decoded.
	KindSMB2 Kind = iota
	// KindEncrypted is an SMB3 encrypted message: only Transform is set.
	KindEncrypted
	// KindCompressed is an SMB 3.1.1 compressed message: only Compression
	// is set.
	KindCompressed
)

func (k Kind) String() string {
	switch k {
	case KindEncrypted:
		return "encrypted"
	case KindCompressed:
		return "compressed"
	}
	return "smb2"
}

// Well-known status values the decoder itself needs.
const (
	StatusSuccess                = 0x00000000
	StatusPending                = 0x00000103
	StatusBufferOverflow         = 0x80000005
	StatusMoreProcessingRequired = 0xc0000016
)

// Message is one SMB2 message: a request or a response of one command, or
// an SMB3 transform header.
type Message struct {
	Kind Kind
	Header
	// Offset is where the message starts in the PDU, Len its length
	// (up to the next message of a compound).
	Offset, Len int
	// StructureSize is the body's StructureSize field.
	StructureSize uint16

	// Body is the decoded command body, a pointer to one of the request
	// or response types of this package (*NegotiateRequest,
	// *CreateResponse, ...), or nil when the message is an error
	// response or an interim response, or when its fixed part is cut
	// short. A body whose variable part is damaged is returned as far as
	// it was decoded, and Parse reports the damage.
	Body any
	// Error is set for an error response (StructureSize 9 carrying a
	// failure status instead of the command's response body), including
	// the STATUS_PENDING interim response.
	Error *ErrorResponse
	// Pending marks the interim response of an asynchronous operation
	// (async header, STATUS_PENDING): the final response follows with
	// the same message id.
	Pending bool

	Transform   *TransformHeader   // KindEncrypted
	Compression *CompressionHeader // KindCompressed

	// Filled by State.Track from what the connection has shown so far.
	Tree      string // share path of TreeID, e.g. \\server\share
	ShareType uint8  // ShareDisk, SharePipe, SharePrint; 0 when unknown
	Filename  string // name of the file the message is about
	// HasFile tells that Filename is known: the share's root is "".
	HasFile bool
	User    *User // the session's user, when authenticated with NTLMSSP or set
	// Request is, in a response, the request it answers (nil if unseen).
	Request *Message
	// Dialect is the dialect the connection negotiated (0 if unseen).
	Dialect uint16
	// ses and tid are the session and tree ids in effect: a related
	// operation's all-ones ids stand for its predecessor's.
	ses uint64
	tid uint32
	fid FileID // the file handle in effect, likewise
	// Opaque is the caller's own value, e.g. the request's time; a
	// response reaches its request's through Request.Opaque.
	Opaque any
}

// Name is Zeek's name of the message's command (see CommandName).
func (m *Message) Name() string { return CommandName(m.Command) }

// StatusName is the response's NT status as Wireshark names it
// ("STATUS_SUCCESS", "STATUS_PENDING", ...); "" for a request, whose
// status field means something else, and for a transform header.
func (m *Message) StatusName() string {
	if m.Kind != KindSMB2 || !m.IsResponse() {
		return ""
	}
	return ntstatus.Name(m.Status)
}

// FileID returns the file handle the message's body names, if any.
func (m *Message) FileID() (FileID, bool) {
	switch b := m.Body.(type) {
	case *CreateResponse:
		return b.FileID, true
	case *CloseRequest:
		return b.FileID, true
	case *FlushRequest:
		return b.FileID, true
	case *ReadRequest:
		return b.FileID, true
	case *WriteRequest:
		return b.FileID, true
	case *LockRequest:
		return b.FileID, true
	case *IoctlRequest:
		return b.FileID, true
	case *IoctlResponse:
		return b.FileID, true
	case *QueryDirectoryRequest:
		return b.FileID, true
	case *ChangeNotifyRequest:
		return b.FileID, true
	case *QueryInfoRequest:
		return b.FileID, true
	case *SetInfoRequest:
		return b.FileID, true
	case *OplockBreak:
		if b.Lease {
			return FileID{}, false
		}
		return b.FileID, true
	}
	return FileID{}, false
}

// ErrorResponse is the SMB2 ERROR response body (MS-SMB2 2.2.2).
type ErrorResponse struct {
	ContextCount uint8
	ByteCount    uint32
	Data         []byte // ErrorData, up to ByteCount bytes
}

// Empty is the body of the commands that carry nothing but their
// StructureSize and a reserved field: LOGOFF, TREE_DISCONNECT, ECHO,
// CANCEL, and the FLUSH, LOCK and SET_INFO responses.
type Empty struct{}
