package smb2

import (
	"encoding/binary"
	"fmt"
)

// HeaderLen is the size of the SMB2 header (MS-SMB2 2.2.1).
const HeaderLen = 64

// Header flags (MS-SMB2 2.2.1.2), as Wireshark's smb2.flags.*.
const (
	FlagResponse = 0x00000001 // SMB2_FLAGS_SERVER_TO_REDIR
	FlagAsync    = 0x00000002 // SMB2_FLAGS_ASYNC_COMMAND
	FlagRelated  = 0x00000004 // SMB2_FLAGS_RELATED_OPERATIONS (chained)
	FlagSigned   = 0x00000008 // SMB2_FLAGS_SIGNED
	FlagPriority = 0x00000070 // SMB2_FLAGS_PRIORITY_MASK
	FlagDFS      = 0x10000000 // SMB2_FLAGS_DFS_OPERATIONS
	FlagReplay   = 0x20000000 // SMB2_FLAGS_REPLAY_OPERATION
)

// Header is the SMB2 packet header in its sync or async form.
type Header struct {
	CreditCharge uint16
	// Status is the NT status of a response. In a request the same four
	// bytes are the channel sequence and a reserved field (SMB 3.x) and
	// Wireshark shows no status.
	Status      uint32
	Command     uint16
	Credits     uint16 // credits requested (request) or granted (response)
	Flags       uint32
	NextCommand uint32 // offset of the next message of a compound, 0 for the last
	MessageID   uint64
	// AsyncID is set in the async form, ProcessID and TreeID in the sync
	// form: they share the same eight bytes.
	AsyncID   uint64
	ProcessID uint32
	TreeID    uint32
	SessionID uint64
	Signature [16]byte
}

// IsResponse reports whether the message goes from server to client.
func (h *Header) IsResponse() bool { return h.Flags&FlagResponse != 0 }

// IsAsync reports the async header form (AsyncID instead of TreeID).
func (h *Header) IsAsync() bool { return h.Flags&FlagAsync != 0 }

// IsRelated reports a related operation of a compound.
func (h *Header) IsRelated() bool { return h.Flags&FlagRelated != 0 }

// IsSigned reports a signed message.
func (h *Header) IsSigned() bool { return h.Flags&FlagSigned != 0 }

// IsDFS reports a DFS operation.
func (h *Header) IsDFS() bool { return h.Flags&FlagDFS != 0 }

// IsReplay reports a replayed operation (SMB 3.x).
func (h *Header) IsReplay() bool { return h.Flags&FlagReplay != 0 }

// Priority is the priority value (0-7) of an SMB 3.1.1 request.
func (h *Header) Priority() uint8 { return uint8(h.Flags&FlagPriority) >> 4 }

// ChannelSequence is the channel sequence of an SMB 3.x request (the low
// half of the status field).
func (h *Header) ChannelSequence() uint16 { return uint16(h.Status) }

func parseHeader(b []byte, h *Header) {
	h.CreditCharge = u16(b, 6)
	h.Status = u32(b, 8)
	h.Command = u16(b, 12)
	h.Credits = u16(b, 14)
	h.Flags = u32(b, 16)
	h.NextCommand = u32(b, 20)
	h.MessageID = u64(b, 24)
	if h.Flags&FlagAsync != 0 {
		h.AsyncID = u64(b, 32)
	} else {
		h.ProcessID = u32(b, 32)
		h.TreeID = u32(b, 36)
	}
	h.SessionID = u64(b, 40)
	copy(h.Signature[:], b[48:64])
}

// FileID is an SMB2 file handle (MS-SMB2 2.2.14.1).
type FileID struct {
	Persistent, Volatile uint64
}

// AnyFileID (all ones) in a related operation of a compound stands for the
// file opened by the previous operation.
var AnyFileID = FileID{^uint64(0), ^uint64(0)}

func fileID(b []byte, off int) FileID {
	return FileID{u64(b, off), u64(b, off+8)}
}

// String formats the handle as Wireshark does (smb2.fid: the 16 bytes as
// a GUID).
func (f FileID) String() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], f.Persistent)
	binary.LittleEndian.PutUint64(b[8:], f.Volatile)
	return GUID(b).String()
}

// GUID is a 16-byte GUID as it is on the wire (mixed-endian).
type GUID [16]byte

// String formats the GUID the usual way, as Wireshark shows it.
func (g GUID) String() string {
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%x", binary.LittleEndian.Uint32(g[0:]),
		binary.LittleEndian.Uint16(g[4:]), binary.LittleEndian.Uint16(g[6:]),
		binary.BigEndian.Uint16(g[8:]), g[10:16])
}

// TransformHeader is the SMB3 encryption header (MS-SMB2 2.2.41): the
// message after it is encrypted and is not decoded.
type TransformHeader struct {
	Signature           [16]byte
	Nonce               [16]byte
	OriginalMessageSize uint32
	// Flags is the encryption algorithm in SMB 3.0/3.0.2 and the flags
	// (1 = encrypted) in SMB 3.1.1.
	Flags     uint16
	SessionID uint64
	// EncryptedLen is the number of encrypted bytes the PDU carries.
	EncryptedLen int
}

// TransformHeaderLen is the size of the encryption transform header.
const TransformHeaderLen = 52

// CompressionHeader is the SMB 3.1.1 compression transform header (MS-SMB2
// 2.2.42): what follows is compressed and is not decoded.
type CompressionHeader struct {
	OriginalSize uint32 // OriginalCompressedSegmentSize
	Algorithm    uint16 // CompressionAlgorithm (unchained) or first payload's
	Flags        uint16 // 1 = chained
	// Offset is the size of the uncompressed data that precedes the
	// compressed data (unchained), or the first payload's length
	// (chained).
	Offset        uint32
	CompressedLen int // bytes after the header
}

// CompressionHeaderLen is the size of the compression transform header.
const CompressionHeaderLen = 16
