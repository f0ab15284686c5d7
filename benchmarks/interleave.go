package benchmarks

import (
	"runtime"
	"slices"
	"time"
)

// Interleave warms a function up for WarmFor before each sample when one
// call takes less than WarmBelow.
const (
	WarmBelow = 5 * time.Millisecond
	WarmFor   = 2 * time.Millisecond
)

// Interleave times the functions fs against each other on a shared machine:
// each is warmed up once, then rounds times every function runs in turn
// (the first of each round rotating), each sample a batch of calls long
// enough (minSample) for the clock. It returns each function's median
// duration per call. A slow period of the machine falls on every function
// of the round it hits, so the ratios of the medians are steadier than
// medians taken one function after another.
//
// A function whose call takes under WarmBelow runs untimed for WarmFor
// before each of its samples: the function before it in the round (a row
// loop reading hundreds of megabytes) has flushed the caches, and a loop of
// queries would find its data there, as the go test benchmarks and
// cmd/compare do. (One untimed call was not enough: microseg's Q1 at 10M
// read 0.43-0.48 ms after the row loop against 0.28-0.38 without it.)
func Interleave(fs []func(), rounds int, minSample time.Duration) []time.Duration {
	batch := make([]int, len(fs))
	warm := make([]bool, len(fs))
	for i, f := range fs {
		t := time.Now()
		f()
		d := time.Since(t)
		batch[i] = max(1, min(1000, int(minSample/max(d, time.Nanosecond))))
		warm[i] = d < WarmBelow
	}
	runtime.GC()
	samples := make([][]time.Duration, len(fs))
	for r := range max(rounds, 1) {
		for k := range fs {
			i := (k + r) % len(fs)
			if warm[i] {
				for t := time.Now(); time.Since(t) < WarmFor; {
					fs[i]()
				}
			}
			t := time.Now()
			for range batch[i] {
				fs[i]()
			}
			samples[i] = append(samples[i], time.Since(t)/time.Duration(batch[i]))
		}
	}
	out := make([]time.Duration, len(fs))
	for i, s := range samples {
		slices.Sort(s)
		out[i] = s[len(s)/2]
	}
	return out
}
