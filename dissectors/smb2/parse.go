package smb2

import (
	"errors"
	"fmt"
)

// Protocol identifiers at the start of a PDU.
var (
	protoSMB2        = [4]byte{0xfe, 'S', 'M', 'B'}
	protoTransform   = [4]byte{0xfd, 'S', 'M', 'B'}
	protoCompression = [4]byte{0xfc, 'S', 'M', 'B'}
	protoSMB1        = [4]byte{0xff, 'S', 'M', 'B'}
)

// ErrSMB1 is returned for a PDU that is SMB1 (0xFF 'SMB'), which a client
// may send first on a connection that goes on in SMB2.
var ErrSMB1 = errors.New("smb2: PDU is SMB1")

// ErrNotSMB2 is returned for a PDU that is no SMB at all.
var ErrNotSMB2 = errors.New("smb2: not an SMB2 PDU")

// Error describes damage found at an offset of the PDU.
type Error struct {
	Offset int
	What   string
}

func (e *Error) Error() string { return fmt.Sprintf("smb2: at offset %d: %s", e.Offset, e.What) }

// maxMessages bounds a compound: each message takes at least a header, so
// the PDU's length bounds the loop already; this only keeps a hostile PDU
// of many empty headers from making a huge slice.
const maxMessages = 4096

// Parse decodes one SMB2 PDU, the bytes after the NetBIOS session header.
// It follows NextCommand through compound requests and responses. It
// returns the messages it could decode and, when part of the PDU is
// damaged, an error for the rest: a message whose header is whole is
// returned even if its body is damaged, with what of the body could be
// decoded (the fixed part, when it is whole) or a nil Body.
func Parse(b []byte) ([]Message, error) {
	if len(b) < 4 {
		return nil, ErrNotSMB2
	}
	switch [4]byte(b[:4]) {
	case protoSMB1:
		return nil, ErrSMB1
	case protoTransform:
		return parseTransform(b)
	case protoCompression:
		return parseCompression(b)
	case protoSMB2:
	default:
		return nil, ErrNotSMB2
	}
	var msgs []Message
	off := 0
	for {
		rest := b[off:]
		if len(rest) < HeaderLen {
			return msgs, &Error{off, fmt.Sprintf("header truncated (%d bytes)", len(rest))}
		}
		if [4]byte(rest[:4]) != protoSMB2 {
			return msgs, &Error{off, "compound message without SMB2 protocol id"}
		}
		if len(msgs) == maxMessages {
			return msgs, &Error{off, "too many messages in compound"}
		}
		var m Message
		parseHeader(rest, &m.Header)
		next := int(m.NextCommand)
		end := len(rest)
		var bad error
		if next != 0 {
			if next < HeaderLen || next > len(rest) {
				bad = &Error{off + 20, fmt.Sprintf("next command offset %d out of bounds", next)}
			} else {
				end = next
			}
		}
		m.Offset, m.Len = off, end
		if err := decodeBody(&m, rest[:end]); err != nil {
			msgs = append(msgs, m)
			if bad == nil {
				bad = &Error{off + HeaderLen, fmt.Sprintf("%s %s: %v", CommandName(m.Command), direction(&m), err)}
			}
			// The header is good: the next message may still be.
			if next == 0 || end != next {
				return msgs, bad
			}
			off += next
			continue
		}
		msgs = append(msgs, m)
		if bad != nil {
			return msgs, bad
		}
		if next == 0 {
			return msgs, nil
		}
		off += next
	}
}

func direction(m *Message) string {
	if m.IsResponse() {
		return "response"
	}
	return "request"
}

func parseTransform(b []byte) ([]Message, error) {
	if len(b) < TransformHeaderLen {
		return nil, &Error{0, "transform header truncated"}
	}
	t := &TransformHeader{
		OriginalMessageSize: u32(b, 36),
		Flags:               u16(b, 42),
		SessionID:           u64(b, 44),
		EncryptedLen:        len(b) - TransformHeaderLen,
	}
	copy(t.Signature[:], b[4:20])
	copy(t.Nonce[:], b[20:36])
	m := Message{Kind: KindEncrypted, Transform: t, Len: len(b)}
	m.SessionID = t.SessionID
	return []Message{m}, nil
}

func parseCompression(b []byte) ([]Message, error) {
	if len(b) < CompressionHeaderLen-4 {
		return nil, &Error{0, "compression transform header truncated"}
	}
	c := &CompressionHeader{
		OriginalSize: u32(b, 4),
		Algorithm:    u16(b, 8),
		Flags:        u16(b, 10),
	}
	// A chained header is 8 bytes shorter: its Offset/Length field belongs
	// to the first payload header.
	n := CompressionHeaderLen
	if len(b) < n {
		if c.Flags&1 == 0 {
			return nil, &Error{0, "compression transform header truncated"}
		}
		n = 12
	} else {
		c.Offset = u32(b, 12)
	}
	c.CompressedLen = len(b) - n
	return []Message{{Kind: KindCompressed, Compression: c, Len: len(b)}}, nil
}

// errShort is a body shorter than its command's fixed part.
var errShort = errors.New("body truncated")

// errBounds is an offset/length pair pointing outside the message.
var errBounds = errors.New("buffer out of bounds")

// decodeBody decodes the body of m, which starts after the header of msg
// (the message's own bytes, from its header to the next message).
func decodeBody(m *Message, msg []byte) error {
	body := msg[HeaderLen:]
	if len(body) < 2 {
		return errShort
	}
	m.StructureSize = u16(body, 0)
	if m.IsResponse() && isErrorResponse(m) {
		m.Pending = m.Status == StatusPending && m.IsAsync()
		e, err := parseError(body)
		m.Error = e
		return err
	}
	dec := requests
	if m.IsResponse() {
		dec = responses
	}
	if int(m.Command) >= len(dec) {
		return fmt.Errorf("unknown command 0x%04x", m.Command)
	}
	v, err := dec[m.Command](msg, body, m)
	m.Body = v
	return err
}

// isErrorResponse tells an error response from the command's own body, as
// Wireshark does. Most responses are longer than the 9-byte error body, so
// a failure status with StructureSize 9 is an error; a warning such as
// STATUS_BUFFER_OVERFLOW on a READ or IOCTL comes with the real body.
// SESSION_SETUP, QUERY_DIRECTORY, CHANGE_NOTIFY and QUERY_INFO responses
// are 9 bytes long themselves, so for them the status alone decides.
func isErrorResponse(m *Message) bool {
	switch m.Status {
	case StatusSuccess:
		return false
	case StatusPending:
		return true
	}
	switch m.Command {
	case CmdSessionSetup:
		return m.Status != StatusMoreProcessingRequired
	case CmdQueryDirectory:
		return true
	case CmdChangeNotify:
		return m.Status != statusNotifyEnumDir
	case CmdQueryInfo:
		return m.Status != StatusBufferOverflow
	}
	return m.StructureSize == 9
}

// statusNotifyEnumDir: a CHANGE_NOTIFY whose changes did not fit; the
// response body is the normal one, empty.
const statusNotifyEnumDir = 0x0000010c

func parseError(body []byte) (*ErrorResponse, error) {
	if len(body) < 8 {
		// Some servers send the error body with no data byte at all
		// (StructureSize 9, 8 bytes): still an error response.
		return &ErrorResponse{}, errShort
	}
	e := &ErrorResponse{ContextCount: body[2], ByteCount: u32(body, 4)}
	n := min(int(e.ByteCount), len(body)-8)
	e.Data = clone(body[8 : 8+n])
	return e, nil
}

type decoder func(msg, body []byte, m *Message) (any, error)

// fixed checks that the body holds a command's fixed part of n bytes.
func fixed(body []byte, n int) error {
	if len(body) < n {
		return errShort
	}
	return nil
}

// buffer returns the variable part at an offset from the start of the
// message's header, as SMB2 offsets are.
func buffer(msg []byte, off, n int) ([]byte, error) {
	if n == 0 {
		return nil, nil
	}
	b, ok := span(msg, off, n)
	if !ok {
		return nil, errBounds
	}
	return b, nil
}
