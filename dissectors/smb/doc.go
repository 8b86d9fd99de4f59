// Package smb decodes SMB1 (CIFS) protocol data units: the header, every
// command of an AndX chain as a message of its own, and the fields of the
// commands a user traces (negotiate, session setup, tree connect, file
// create/open/read/write/close, transactions and their sub-commands).
//
// The package sees bytes only: the engine removes the NetBIOS session
// framing and reassembles TCP before calling Parse with exactly one PDU
// (starting with 0xFF 'S' 'M' 'B'). State follows one connection's
// messages to give each the share, file name and user it concerns.
//
// Command names come in two spellings: Zeek's (CommandName, as in its
// smb_cmd.log) and Wireshark's (CommandDisplayName) for readable traces.
package smb
