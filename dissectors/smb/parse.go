package smb

import (
	"encoding/binary"
	"fmt"
)

// MaxChain bounds an AndX chain. Offsets must also move forward, so a
// chain can never loop; this bound only caps work on hostile input.
const MaxChain = 32

// isAndX reports whether cmd's parameter block starts with the AndX
// header (next command, reserved, offset of the next block).
func isAndX(cmd uint8) bool {
	switch cmd {
	case CmdLockingAndX, CmdOpenAndX, CmdReadAndX, CmdWriteAndX,
		CmdSessionSetupAndX, CmdLogoffAndX, CmdTreeConnectAndX, CmdNTCreateAndX:
		return true
	}
	return false
}

// Parse decodes one SMB1 PDU into its messages, one per command of the
// AndX chain. Damage after the header gives an error with the messages
// decoded so far: a block whose words do not fit ends the chain (it is
// returned with Malformed set and no Body); a byte count running past the
// PDU is cut to the bytes present and the block still decoded, as
// Wireshark does, with Malformed set.
func Parse(b []byte) ([]Message, error) {
	h, err := parseHeader(b)
	if err != nil {
		return nil, err
	}
	var msgs []Message
	var first error
	cmd, off := h.Command, HeaderLen
	for i := 0; ; i++ {
		m := Message{Header: h, Command: cmd, Chain: i, Offset: off}
		fatal, err := readBlock(b, &m)
		if !fatal {
			decode(b, &m)
		}
		if err != nil {
			m.Malformed = err.Error()
			if first == nil {
				first = err
			}
		}
		next := 0
		more := !fatal && m.HasAndX && m.AndX != 0xFF
		if more {
			next = int(binary.LittleEndian.Uint16(m.Params[2:]))
			var err error
			switch {
			case next <= off:
				// Not forward: a loop or garbage; Wireshark stops too.
				err = fmt.Errorf("smb: AndX offset %d does not move past block at %d", next, off)
			case next >= len(b):
				err = fmt.Errorf("smb: AndX offset %d beyond the %d-byte PDU", next, len(b))
			case i+1 >= MaxChain:
				err = fmt.Errorf("smb: AndX chain longer than %d", MaxChain)
			}
			if err != nil {
				more = false
				if first == nil {
					first = err
				}
			}
		}
		if !more {
			m.Last = true
			msgs = append(msgs, m)
			return msgs, first
		}
		msgs = append(msgs, m)
		cmd, off = m.AndX, next
	}
}

// ntCreateExtendedWords is the real size of the extended NT_CREATE_ANDX
// response, which Windows servers send with a word count of 42 (MS-SMB
// 2.2.4.9.2).
const ntCreateExtendedWords = 50

// readBlock reads the word count, parameter words, byte count and bytes
// of the block at m.Offset. fatal means the parameter words are not all
// there and nothing of the block can be decoded.
func readBlock(b []byte, m *Message) (fatal bool, err error) {
	off := m.Offset
	if off >= len(b) {
		return true, fmt.Errorf("smb: %s block at %d beyond the %d-byte PDU", CommandName(m.Command), off, len(b))
	}
	m.WordCount = int(b[off])
	words := m.WordCount
	if m.Command == CmdNTCreateAndX && words == 42 && b[9]&FlagResponse != 0 &&
		off+1+2*ntCreateExtendedWords+2 <= len(b) {
		words = ntCreateExtendedWords
	}
	if m.Command == CmdTransaction || m.Command == CmdTransaction2 {
		// The setup words follow the 14 fixed words; like Wireshark,
		// trust the setup count when the word count is too small.
		if b[9]&FlagResponse == 0 && words >= 14 && off+1+27 <= len(b) {
			words = max(words, 14+int(b[off+1+26]))
		}
	}
	pend := off + 1 + 2*words
	if pend+2 > len(b) {
		return true, fmt.Errorf("smb: %s: %d parameter words do not fit the PDU", CommandName(m.Command), m.WordCount)
	}
	m.Params = b[off+1 : pend]
	if isAndX(m.Command) && m.WordCount >= 2 {
		m.HasAndX = true
		m.AndX = m.Params[0]
	}
	bc := int(binary.LittleEndian.Uint16(b[pend:]))
	if pend+2+bc > len(b) {
		m.Data = b[pend+2:]
		return false, fmt.Errorf("smb: %s: byte count %d beyond the PDU (%d left)", CommandName(m.Command), bc, len(b)-pend-2)
	}
	m.Data = b[pend+2 : pend+2+bc]
	return false, nil
}

// decode fills m.Body and the common fields from the block.
func decode(b []byte, m *Message) {
	if m.IsResponse() && m.WordCount == 0 && len(m.Data) == 0 {
		// Error responses and interim transaction responses carry
		// nothing to decode.
		return
	}
	p := pdu{b: b, uni: m.Header.Unicode(), dataOff: m.Offset + 3 + len(m.Params)}
	key := uint16(m.Command)
	if m.IsResponse() {
		key |= respBit
	}
	d := decoders[key]
	if d.fn == nil {
		return
	}
	if len(m.Params) < 2*d.minWords {
		m.Malformed = fmt.Sprintf("smb: %s: %d parameter words, want at least %d", CommandName(m.Command), m.WordCount, d.minWords)
		return
	}
	d.fn(&p, m)
}

// respBit marks the response entry in decoders, whose key is otherwise a
// command byte.
const respBit = 0x100

type decoder struct {
	minWords int
	fn       func(p *pdu, m *Message)
}

// decoders maps a command (|respBit for its response) to its decoder. It
// is filled by the files of the command families.
var decoders = map[uint16]decoder{}

func register(cmd uint8, reqWords int, req func(*pdu, *Message), respWords int, resp func(*pdu, *Message)) {
	decoders[uint16(cmd)] = decoder{reqWords, req}
	decoders[uint16(cmd)|respBit] = decoder{respWords, resp}
}
