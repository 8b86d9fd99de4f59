// Package ntstatus names NT status codes (the 32-bit status of SMB1 with
// NT status, SMB2 and DCE/RPC) exactly as Wireshark shows them, which are
// also the STATUS_ names Zeek writes in its smb logs.
package ntstatus

import "fmt"

//go:generate go run gen_table.go

// Name returns the symbolic name of code, e.g. "STATUS_SUCCESS" for 0 or
// "STATUS_ACCESS_DENIED" for 0xC0000022. Codes without a name are printed
// as Wireshark prints them: "0x%08x".
func Name(code uint32) string {
	if s, ok := names[code]; ok {
		return s
	}
	return fmt.Sprintf("0x%08x", code)
}

// Known reports whether code has a symbolic name.
func Known(code uint32) bool {
	_, ok := names[code]
	return ok
}
