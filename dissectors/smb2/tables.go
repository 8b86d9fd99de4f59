package smb2

import "errors"

var errStructureSize = errors.New("unexpected StructureSize")

// requests and responses decode each command's body, by command code.
var requests, responses [19]decoder

func init() {
	requests = [19]decoder{
		CmdNegotiate:      decNegotiateRequest,
		CmdSessionSetup:   decSessionSetupRequest,
		CmdLogoff:         decEmpty,
		CmdTreeConnect:    decTreeConnectRequest,
		CmdTreeDisconnect: decEmpty,
		CmdCreate:         decCreateRequest,
		CmdClose:          decCloseRequest,
		CmdFlush:          decFlushRequest,
		CmdRead:           decReadRequest,
		CmdWrite:          decWriteRequest,
		CmdLock:           decLockRequest,
		CmdIoctl:          decIoctlRequest,
		CmdCancel:         decEmpty,
		CmdEcho:           decEmpty,
		CmdQueryDirectory: decQueryDirectoryRequest,
		CmdChangeNotify:   decChangeNotifyRequest,
		CmdQueryInfo:      decQueryInfoRequest,
		CmdSetInfo:        decSetInfoRequest,
		CmdOplockBreak:    decOplockBreak,
	}
	responses = [19]decoder{
		CmdNegotiate:      decNegotiateResponse,
		CmdSessionSetup:   decSessionSetupResponse,
		CmdLogoff:         decEmpty,
		CmdTreeConnect:    decTreeConnectResponse,
		CmdTreeDisconnect: decEmpty,
		CmdCreate:         decCreateResponse,
		CmdClose:          decCloseResponse,
		CmdFlush:          decEmpty,
		CmdRead:           decReadResponse,
		CmdWrite:          decWriteResponse,
		CmdLock:           decEmpty,
		CmdIoctl:          decIoctlResponse,
		CmdCancel:         decEmpty,
		CmdEcho:           decEmpty,
		CmdQueryDirectory: decQueryDirectoryResponse,
		CmdChangeNotify:   decChangeNotifyResponse,
		CmdQueryInfo:      decQueryInfoResponse,
		CmdSetInfo:        decEmpty,
		CmdOplockBreak:    decOplockBreak,
	}
}
