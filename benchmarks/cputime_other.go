//go:build !unix

package benchmarks

import "time"

// cpuTime returns 0 where getrusage is not available.
func cpuTime() time.Duration { return 0 }
