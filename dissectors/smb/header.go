package smb

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/wirelark/wirelark/dissectors/ntstatus"
)

// HeaderLen is the size of the fixed SMB1 header.
const HeaderLen = 32

// Header flag bits (MS-CIFS 2.2.3.1).
const (
	FlagResponse = 0x80 // SMB_FLAGS_REPLY

	Flags2LongNames   = 0x0001
	Flags2Signed      = 0x0004
	Flags2ExtSecurity = 0x0800
	Flags2DFS         = 0x1000
	Flags2NTStatus    = 0x4000 // Status is a 32-bit NT status
	Flags2Unicode     = 0x8000 // strings are UTF-16LE
)

// ErrNotSMB1 is returned for bytes that do not start with 0xFF "SMB".
var ErrNotSMB1 = errors.New("smb: not an SMB1 PDU")

// Header is the fixed 32-byte header every message of a PDU shares.
type Header struct {
	Command uint8 // the first command of the PDU
	// Status is the 32-bit status field as sent, little-endian: an NT
	// status when Flags2 has Flags2NTStatus, otherwise the DOS error
	// class in the low byte and the error code in the high 16 bits.
	Status    uint32
	Flags     uint8
	Flags2    uint16
	PIDHigh   uint16
	Signature [8]byte
	TID       uint16
	PIDLow    uint16
	UID       uint16
	MID       uint16
}

// IsResponse reports whether the PDU goes from server to client.
func (h *Header) IsResponse() bool { return h.Flags&FlagResponse != 0 }

// NTStatus reports whether Status is an NT status (else a DOS error).
func (h *Header) NTStatus() bool { return h.Flags2&Flags2NTStatus != 0 }

// Unicode reports whether the PDU's strings are UTF-16LE.
func (h *Header) Unicode() bool { return h.Flags2&Flags2Unicode != 0 }

// PID is the full 32-bit process id: PIDHigh and PIDLow.
func (h *Header) PID() uint32 { return uint32(h.PIDHigh)<<16 | uint32(h.PIDLow) }

// ErrorClass and ErrorCode split a DOS-form Status.
func (h *Header) ErrorClass() uint8 { return uint8(h.Status) }
func (h *Header) ErrorCode() uint16 { return uint16(h.Status >> 16) }

// Success reports whether the status means success in either form.
func (h *Header) Success() bool {
	if h.NTStatus() {
		return h.Status == 0
	}
	return h.ErrorClass() == 0
}

// StatusName names the status: the NT status name as Wireshark shows it
// (e.g. "STATUS_SUCCESS"), or for the DOS form "STATUS_SUCCESS" when the
// class is 0 and otherwise "DOS class 0xCC code 0xNNNN".
func (h *Header) StatusName() string {
	if h.NTStatus() {
		return ntstatus.Name(h.Status)
	}
	if h.ErrorClass() == 0 {
		return ntstatus.Name(0)
	}
	return fmt.Sprintf("DOS class 0x%02x code 0x%04x", h.ErrorClass(), h.ErrorCode())
}

// parseHeader decodes the fixed header of b.
func parseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < 4 || b[0] != 0xFF || b[1] != 'S' || b[2] != 'M' || b[3] != 'B' {
		return h, ErrNotSMB1
	}
	if len(b) < HeaderLen {
		return h, fmt.Errorf("smb: header truncated: %d of %d bytes", len(b), HeaderLen)
	}
	le := binary.LittleEndian
	h.Command = b[4]
	h.Status = le.Uint32(b[5:])
	h.Flags = b[9]
	h.Flags2 = le.Uint16(b[10:])
	h.PIDHigh = le.Uint16(b[12:])
	copy(h.Signature[:], b[14:22])
	h.TID = le.Uint16(b[24:])
	h.PIDLow = le.Uint16(b[26:])
	h.UID = le.Uint16(b[28:])
	h.MID = le.Uint16(b[30:])
	return h, nil
}
