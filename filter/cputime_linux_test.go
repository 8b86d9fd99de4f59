package filter

import (
	"syscall"
	"time"
	"unsafe"
)

// threadTime returns the CPU time the calling OS thread has used, so that
// a benchmark comparison is not skewed by other work on the machine. The
// caller must hold its thread with runtime.LockOSThread.
func threadTime() time.Duration {
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ts.Nano())
}
