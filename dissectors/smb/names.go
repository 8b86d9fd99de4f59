package smb

import "fmt"

//go:generate go run gen_names.go

// SMB1 command codes (MS-CIFS 2.2.2.1) of the commands decoded here.
const (
	CmdCreateDirectory       = 0x00
	CmdDeleteDirectory       = 0x01
	CmdClose                 = 0x04
	CmdFlush                 = 0x05
	CmdDelete                = 0x06
	CmdRename                = 0x07
	CmdQueryInformation      = 0x08
	CmdLockingAndX           = 0x24
	CmdTransaction           = 0x25
	CmdTransactionSecondary  = 0x26
	CmdEcho                  = 0x2B
	CmdOpenAndX              = 0x2D
	CmdReadAndX              = 0x2E
	CmdWriteAndX             = 0x2F
	CmdTransaction2          = 0x32
	CmdTransaction2Secondary = 0x33
	CmdFindClose2            = 0x34
	CmdCheckDirectory        = 0x10
	CmdTreeDisconnect        = 0x71
	CmdNegotiate             = 0x72
	CmdSessionSetupAndX      = 0x73
	CmdLogoffAndX            = 0x74
	CmdTreeConnectAndX       = 0x75
	CmdNTTransact            = 0xA0
	CmdNTTransactSecondary   = 0xA1
	CmdNTCreateAndX          = 0xA2
	CmdNTCancel              = 0xA4
)

// zeekCommands are Zeek's SMB1 command names (base/protocols/smb/consts.zeek,
// SMB1::commands).
var zeekCommands = map[uint8]string{
	0x00: "CREATE_DIRECTORY", 0x01: "DELETE_DIRECTORY", 0x02: "OPEN", 0x03: "CREATE",
	0x04: "CLOSE", 0x05: "FLUSH", 0x06: "DELETE", 0x07: "RENAME",
	0x08: "QUERY_INFORMATION", 0x09: "SET_INFORMATION", 0x0A: "READ", 0x0B: "WRITE",
	0x0C: "LOCK_BYTE_RANGE", 0x0D: "UNLOCK_BYTE_RANGE", 0x0E: "CREATE_TEMPORARY",
	0x0F: "CREATE_NEW", 0x10: "CHECK_DIRECTORY", 0x11: "PROCESS_EXIT", 0x12: "SEEK",
	0x13: "LOCK_AND_READ", 0x14: "WRITE_AND_UNLOCK", 0x1A: "READ_RAW", 0x1B: "READ_MPX",
	0x1C: "READ_MPX_SECONDARY", 0x1D: "WRITE_RAW", 0x1E: "WRITE_MPX",
	0x1F: "WRITE_MPX_SECONDARY", 0x20: "WRITE_COMPLETE", 0x21: "QUERY_SERVER",
	0x22: "SET_INFORMATION2", 0x23: "QUERY_INFORMATION2", 0x24: "LOCKING_ANDX",
	0x25: "TRANSACTION", 0x26: "TRANSACTION_SECONDARY", 0x27: "IOCTL",
	0x28: "IOCTL_SECONDARY", 0x29: "COPY", 0x2A: "MOVE", 0x2B: "ECHO",
	0x2C: "WRITE_AND_CLOSE", 0x2D: "OPEN_ANDX", 0x2E: "READ_ANDX", 0x2F: "WRITE_ANDX",
	0x30: "NEW_FILE_SIZE", 0x31: "CLOSE_AND_TREE_DISC", 0x32: "TRANSACTION2",
	0x33: "TRANSACTION2_SECONDARY", 0x34: "FIND_CLOSE2", 0x35: "FIND_NOTIFY_CLOSE",
	0x70: "TREE_CONNECT", 0x71: "TREE_DISCONNECT", 0x72: "NEGOTIATE",
	0x73: "SESSION_SETUP_ANDX", 0x74: "LOGOFF_ANDX", 0x75: "TREE_CONNECT_ANDX",
	0x80: "QUERY_INFORMATION_DISK", 0x81: "SEARCH", 0x82: "FIND", 0x83: "FIND_UNIQUE",
	0x84: "FIND_CLOSE", 0xA0: "NT_TRANSACT", 0xA1: "NT_TRANSACT_SECONDARY",
	0xA2: "NT_CREATE_ANDX", 0xA4: "NT_CANCEL", 0xA5: "NT_RENAME",
	0xC0: "OPEN_PRINT_FILE", 0xC1: "WRITE_PRINT_FILE", 0xC2: "CLOSE_PRINT_FILE",
	0xC3: "GET_PRINT_QUEUE", 0xD8: "READ_BULK", 0xD9: "WRITE_BULK", 0xDA: "WRITE_BULK_DATA",
}

// zeekTrans2 are Zeek's Trans2 sub-command names (SMB1::trans2_sub_commands).
var zeekTrans2 = map[uint16]string{
	0x00: "OPEN2", 0x01: "FIND_FIRST2", 0x02: "FIND_NEXT2", 0x03: "QUERY_FS_INFORMATION",
	0x04: "SET_FS_INFORMATION", 0x05: "QUERY_PATH_INFORMATION", 0x06: "SET_PATH_INFORMATION",
	0x07: "QUERY_FILE_INFORMATION", 0x08: "SET_FILE_INFORMATION", 0x09: "FSCTL",
	0x0A: "IOCTL", 0x0B: "FIND_NOTIFY_FIRST", 0x0C: "FIND_NOTIFY_NEXT",
	0x0D: "CREATE_DIRECTORY", 0x0E: "SESSION_SETUP", 0x10: "GET_DFS_REFERRAL",
	0x11: "REPORT_DFS_INCONSISTENCY",
}

// zeekTrans are Zeek's named-pipe Transaction sub-command names
// (SMB1::trans_sub_commands).
var zeekTrans = map[uint16]string{
	0x01: "SET_NMPIPE_STATE", 0x11: "RAW_READ_NMPIPE", 0x21: "QUERY_NMPIPE_STATE",
	0x22: "QUERY_NMPIPE_INFO", 0x23: "PEEK_NMPIPE", 0x26: "TRANSACT_NMPIPE",
	0x31: "RAW_WRITE_NMPIPE", 0x36: "READ_NMPIPE", 0x37: "WRITE_NMPIPE",
	0x53: "WAIT_NMPIPE", 0x54: "CALL_NMPIPE",
}

// ntTransact names the NT Transact functions (MS-CIFS 2.2.2.2), in the
// style of the Zeek names.
var ntTransact = map[uint16]string{
	1: "CREATE", 2: "IOCTL", 3: "SET_SECURITY_DESC", 4: "NOTIFY_CHANGE",
	5: "RENAME", 6: "QUERY_SECURITY_DESC", 7: "GET_USER_QUOTA", 8: "SET_USER_QUOTA",
}

// rapNames names the common Remote Administration Protocol opcodes carried
// in Transactions on \PIPE\LANMAN (MS-RAP 2.5.1), as Wireshark does.
var rapNames = map[uint16]string{
	0: "NetShareEnum", 1: "NetShareGetInfo", 13: "NetServerGetInfo",
	63: "NetWkstaGetInfo", 104: "NetServerEnum2", 215: "NetServerEnum3",
	132: "WWkstaUserLogon", 214: "NetWkstaUserLogoff", 56: "NetUserGetInfo",
	59: "NetUserGetGroups", 41: "NetGroupGetUsers",
}

// CommandName is Zeek's name of an SMB1 command ("NEGOTIATE",
// "TREE_CONNECT_ANDX", ...; unknown commands "unknown-N" as Zeek).
func CommandName(cmd uint8) string {
	if s, ok := zeekCommands[cmd]; ok {
		return s
	}
	return fmt.Sprintf("unknown-%d", cmd)
}

// CommandDisplayName is Wireshark's name of an SMB1 command
// ("Negotiate Protocol", "Tree Connect AndX", "Trans2", ...).
func CommandDisplayName(cmd uint8) string {
	if s, ok := wsCommands[uint16(cmd)]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (0x%02x)", cmd)
}

// Trans2Name is Zeek's name of a Trans2 sub-command ("FIND_FIRST2", ...).
func Trans2Name(sub uint16) string {
	if s, ok := zeekTrans2[sub]; ok {
		return s
	}
	return fmt.Sprintf("unknown-trans2-sub-cmd-%d", sub)
}

// Trans2DisplayName is Wireshark's name of a Trans2 sub-command
// ("FIND_FIRST2", "QUERY_FS_INFO", "GET_DFS_REFERRAL", ...).
func Trans2DisplayName(sub uint16) string {
	if s, ok := wsTrans2[sub]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (0x%04x)", sub)
}

// TransName is Zeek's name of a named-pipe Transaction function
// ("TRANSACT_NMPIPE", ...).
func TransName(fn uint16) string {
	if s, ok := zeekTrans[fn]; ok {
		return s
	}
	return fmt.Sprintf("unknown-trans-sub-cmd-%d", fn)
}

// NTTransactName names an NT Transact function ("IOCTL", "NOTIFY_CHANGE", ...).
func NTTransactName(fn uint16) string {
	if s, ok := ntTransact[fn]; ok {
		return s
	}
	return fmt.Sprintf("unknown-nt-transact-%d", fn)
}

// NTTransactDisplayName is Wireshark's name of an NT Transact function
// ("NT IOCTL", "NT NOTIFY", ...).
func NTTransactDisplayName(fn uint16) string {
	if s, ok := wsNTTransact[fn]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (0x%04x)", fn)
}

// RAPName names a Remote Administration Protocol opcode ("NetShareEnum", ...).
func RAPName(op uint16) string {
	if s, ok := rapNames[op]; ok {
		return s
	}
	return fmt.Sprintf("RAP-%d", op)
}

// InfoLevelName is Wireshark's name of the information level of a Trans2
// sub-command ("Query FS Attribute Info", "Find File Both Directory
// Info", ...), or "" for sub-commands without levels.
func InfoLevelName(sub, level uint16) string {
	var t map[uint16]string
	switch sub {
	case 0x01, 0x02: // FIND_FIRST2, FIND_NEXT2
		t = wsFindLevels
	case 0x03: // QUERY_FS_INFORMATION
		t = wsQueryFSLevels
	case 0x04: // SET_FS_INFORMATION
		t = wsSetFSLevels
	case 0x05, 0x07: // QUERY_PATH_INFORMATION, QUERY_FILE_INFORMATION
		t = wsQueryPathLevels
	case 0x06, 0x08: // SET_PATH_INFORMATION, SET_FILE_INFORMATION
		t = wsSetPathLevels
	default:
		return ""
	}
	if s, ok := t[level]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (0x%04x)", level)
}
