// Package smb2 decodes SMB2 and SMB3 (MS-SMB2): the header in its sync and
// async forms, the request and response bodies of all 19 commands with the
// fields a user traces, compound chains (NextCommand), error responses,
// STATUS_PENDING interim responses, and the SMB3 encryption and
// compression transform headers (recognised, never decrypted or
// decompressed).
//
// Parse takes the bytes of one SMB2 PDU, as carried after the 4-byte
// NetBIOS session header on TCP 139 or 445, and returns typed messages; it
// does no I/O and keeps no state. A State, one per TCP connection, follows
// what Wireshark and Zeek remember across messages: the user of each
// session (from the NTLMSSP AUTHENTICATE inside SESSION_SETUP), the share
// of each tree id, the name of each file id, and the request each
// response answers. Its tables are bounded and count what they drop.
//
// Names follow the two references users read: CommandName gives Zeek's
// command names (smb_cmd.log), DisplayName and the other *Name functions
// give what Wireshark shows (tshark's Info column and value strings).
package smb2
