package segment

import (
	"syscall"
	"unsafe"
)

// threadTime returns the CPU time of the calling thread in nanoseconds
// (CLOCK_THREAD_CPUTIME_ID): time another process's load takes away from
// the thread is not counted. The caller locks its goroutine to the thread.
func threadTime() int64 {
	var ts syscall.Timespec
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}
