package smb2

import "fmt"

// Commands (MS-SMB2 2.2.1.2).
const (
	CmdNegotiate      = 0x00
	CmdSessionSetup   = 0x01
	CmdLogoff         = 0x02
	CmdTreeConnect    = 0x03
	CmdTreeDisconnect = 0x04
	CmdCreate         = 0x05
	CmdClose          = 0x06
	CmdFlush          = 0x07
	CmdRead           = 0x08
	CmdWrite          = 0x09
	CmdLock           = 0x0a
	CmdIoctl          = 0x0b
	CmdCancel         = 0x0c
	CmdEcho           = 0x0d
	CmdQueryDirectory = 0x0e
	CmdChangeNotify   = 0x0f
	CmdQueryInfo      = 0x10
	CmdSetInfo        = 0x11
	CmdOplockBreak    = 0x12
)

// zeekCommands are Zeek's SMB2::commands (base/protocols/smb/consts.zeek).
var zeekCommands = [...]string{
	"NEGOTIATE_PROTOCOL", "SESSION_SETUP", "LOGOFF", "TREE_CONNECT",
	"TREE_DISCONNECT", "CREATE", "CLOSE", "FLUSH", "READ", "WRITE", "LOCK",
	"IOCTL", "CANCEL", "ECHO", "QUERY_DIRECTORY", "CHANGE_NOTIFY",
	"QUERY_INFO", "SET_INFO", "OPLOCK_BREAK",
}

// wiresharkCommands are Wireshark's smb2.cmd value names, as its Info
// column shows them.
var wiresharkCommands = [...]string{
	"Negotiate Protocol", "Session Setup", "Session Logoff", "Tree Connect",
	"Tree Disconnect", "Create", "Close", "Flush", "Read", "Write", "Lock",
	"Ioctl", "Cancel", "KeepAlive", "Find", "Notify", "GetInfo", "SetInfo",
	"Break",
}

// CommandName returns Zeek's name of an SMB2 command (smb_cmd.log's
// command column): "NEGOTIATE_PROTOCOL", "SESSION_SETUP", ...; an unknown
// one is "unknown-N" as in Zeek.
func CommandName(cmd uint16) string {
	if int(cmd) < len(zeekCommands) {
		return zeekCommands[cmd]
	}
	return fmt.Sprintf("unknown-%d", cmd)
}

// DisplayName returns Wireshark's name of an SMB2 command ("Negotiate
// Protocol", "Session Setup", "Find", "GetInfo", ...), for human-readable
// traces; an unknown one is "unknown-0xNN" as in Wireshark.
func DisplayName(cmd uint16) string {
	if int(cmd) < len(wiresharkCommands) {
		return wiresharkCommands[cmd]
	}
	return fmt.Sprintf("unknown-0x%02X", cmd)
}

// Dialects (MS-SMB2 2.2.3).
const (
	Dialect202      = 0x0202
	Dialect210      = 0x0210
	Dialect300      = 0x0300
	Dialect302      = 0x0302
	Dialect311      = 0x0311
	DialectWildcard = 0x02ff
)

// DialectName returns Wireshark's name of a dialect: "SMB 2.0.2",
// "SMB 3.1.1", "SMB2 wildcard"; unknown ones as "0x%04x".
func DialectName(d uint16) string {
	switch d {
	case 0x0202:
		return "SMB 2.0.2"
	case 0x0210:
		return "SMB 2.1"
	case 0x02ff:
		return "SMB2 wildcard"
	case 0x0222:
		return "SMB 2.2.2 (deprecated; should be 3.0)"
	case 0x0224:
		return "SMB 2.2.4 (deprecated; should be 3.0)"
	case 0x0300:
		return "SMB 3.0"
	case 0x0302:
		return "SMB 3.0.2"
	case 0x0310:
		return "SMB 3.1.0 (deprecated; should be 3.1.1)"
	case 0x0311:
		return "SMB 3.1.1"
	}
	return fmt.Sprintf("0x%04x", d)
}

// Version is the SMB major version a dialect belongs to: 3 for the 3.x
// dialects, 2 otherwise (as issue's msg.version and Zeek's smb2 logs).
func Version(d uint16) int {
	if d >= 0x0300 && d != DialectWildcard {
		return 3
	}
	return 2
}

// Share types (TREE_CONNECT response).
const (
	ShareDisk  = 0x01
	SharePipe  = 0x02
	SharePrint = 0x03
)

// ShareTypeName returns Zeek's share type name: "DISK", "PIPE", "PRINT",
// or "unknown-N".
func ShareTypeName(t uint8) string {
	switch t {
	case ShareDisk:
		return "DISK"
	case SharePipe:
		return "PIPE"
	case SharePrint:
		return "PRINT"
	}
	return fmt.Sprintf("unknown-%d", t)
}

// ShareTypeDisplay returns Wireshark's share type name ("Physical disk",
// "Named pipe", "Printer").
func ShareTypeDisplay(t uint8) string {
	switch t {
	case ShareDisk:
		return "Physical disk"
	case SharePipe:
		return "Named pipe"
	case SharePrint:
		return "Printer"
	}
	return fmt.Sprintf("Unknown (0x%02x)", t)
}

// FSCTLName returns Wireshark's name of an IOCTL/FSCTL control code
// (FSCTL_DFS_GET_REFERRALS, FSCTL_PIPE_TRANSCEIVE, ...), or "0x%08x".
func FSCTLName(code uint32) string {
	if n, ok := fsctlNames[code]; ok {
		return n
	}
	return fmt.Sprintf("0x%08x", code)
}

// Info types of QUERY_INFO and SET_INFO (smb2.class).
const (
	InfoFile       = 0x01
	InfoFilesystem = 0x02
	InfoSecurity   = 0x03
	InfoQuota      = 0x04
)

// InfoTypeName returns Wireshark's name of an info type: FILE_INFO,
// FS_INFO, SEC_INFO, QUOTA_INFO.
func InfoTypeName(t uint8) string {
	switch t {
	case InfoFile:
		return "FILE_INFO"
	case InfoFilesystem:
		return "FS_INFO"
	case InfoSecurity:
		return "SEC_INFO"
	case InfoQuota:
		return "QUOTA_INFO"
	}
	return fmt.Sprintf("Unknown (0x%02x)", t)
}

// File information classes the State and the decoder look into.
const (
	FileDirectoryInfo       = 1
	FileFullDirectoryInfo   = 2
	FileBothDirectoryInfo   = 3
	FileBasicInfo           = 4
	FileNamesInfo           = 12
	FileRenameInfo          = 10
	FileDispositionInfo     = 13
	FileAllInfo             = 18
	FileEndOfFileInfo       = 20
	FileIDBothDirectoryInfo = 37
	FileIDFullDirectoryInfo = 38
	FileDispositionInfoEx   = 64
)

// InfoClassName returns Wireshark's name of the class of a QUERY_INFO or
// SET_INFO: SMB2_FILE_BASIC_INFO, SMB2_FILE_RENAME_INFO,
// FileFsVolumeInformation, SMB2_SEC_INFO_00, ...
func InfoClassName(infoType, class uint8) string {
	var n string
	var ok bool
	switch infoType {
	case InfoFile:
		n, ok = fileInfoNames[class]
	case InfoFilesystem:
		n, ok = fsInfoNames[class]
	case InfoSecurity:
		n, ok = fmt.Sprintf("SMB2_SEC_INFO_%02x", class), true
	case InfoQuota:
		n, ok = fmt.Sprintf("SMB2_QUOTA_INFO_%02x", class), true
	}
	if ok {
		return n
	}
	return fmt.Sprintf("Unknown (0x%02x)", class)
}

// FindInfoName returns Wireshark's name of a QUERY_DIRECTORY information
// class (SMB2_FIND_ID_BOTH_DIRECTORY_INFO, ...).
func FindInfoName(class uint8) string {
	if n, ok := findInfoNames[class]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (0x%02x)", class)
}

// NegotiateContextName returns Wireshark's name of a negotiate context
// type (SMB2_PREAUTH_INTEGRITY_CAPABILITIES, ...).
func NegotiateContextName(t uint16) string {
	if n, ok := negotiateContextNames[t]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (0x%04x)", t)
}

// CipherName returns Wireshark's name of an encryption cipher
// (AES-128-CCM, AES-128-GCM, ...).
func CipherName(id uint16) string { return lookup16(cipherNames, id) }

// CompressionName returns Wireshark's name of a compression algorithm.
func CompressionName(id uint16) string { return lookup16(compressionNames, id) }

// SigningName returns Wireshark's name of a signing algorithm.
func SigningName(id uint16) string { return lookup16(signingNames, id) }

func lookup16(t map[uint16]string, id uint16) string {
	if n, ok := t[id]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (0x%04x)", id)
}

// CreateActionName returns Wireshark's text for a CREATE response's action.
func CreateActionName(a uint32) string {
	if n, ok := createActionNames[a]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", a)
}

// DispositionName returns Wireshark's text for a CREATE disposition.
func DispositionName(d uint32) string {
	if n, ok := dispositionNames[d]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", d)
}

// OplockName returns Wireshark's name of an oplock level.
func OplockName(l uint8) string {
	if n, ok := oplockNames[l]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (0x%02x)", l)
}

// ImpersonationName returns Wireshark's name of an impersonation level.
func ImpersonationName(l uint32) string {
	if n, ok := impersonationNames[l]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", l)
}
