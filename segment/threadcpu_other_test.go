//go:build !linux

package segment

import "time"

// threadCPU returns 0: the A/B test reports wall time only off Linux.
func threadCPU() time.Duration { return 0 }
