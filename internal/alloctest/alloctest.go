// Package alloctest measures what a function allocates, for the resource
// bound tests of the library's packages.
package alloctest

import (
	"runtime"
	"time"
)

// Measure runs f once and returns the bytes it allocated (the growth of
// runtime.MemStats.TotalAlloc, after a collection) and how long it took.
// Other goroutines' allocations count too: call it from a test that runs
// nothing else.
func Measure(f func()) (bytes uint64, took time.Duration) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, took
}
