//go:build !linux

package segment

import "time"

var clockStart = time.Now()

// threadTime returns wall time in nanoseconds where the thread's CPU time
// is not at hand.
func threadTime() int64 { return int64(time.Since(clockStart)) }
