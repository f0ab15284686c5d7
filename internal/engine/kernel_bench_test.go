package engine

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkLeSel measures the upper-bound range kernel on a full chunk of
// random 7-bit values: ns per word and plane.
func BenchmarkLeSel(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	planes := make([]*block, 7)
	for j := range planes {
		planes[j] = new(block)
		for i := range planes[j] {
			planes[j][i] = r.Uint64()
		}
	}
	known, out, eq := new(block), new(block), new(block)
	for i := range known {
		known[i] = ^uint64(0)
	}
	s := NewScratch()
	act := make([]uint16, 0, chunkWords)
	b.ReportAllocs()
	for b.Loop() {
		*eq = *known
		leSel(out, eq, planes, 0b1000100, s.all, act)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(chunkWords*len(planes)), "ns/word-plane")
}

// BenchmarkPopcount calibrates the machine: a plain pass over one chunk.
func BenchmarkPopcount(b *testing.B) {
	x := new(block)
	for i := range x {
		x[i] = uint64(i) * 0x9E3779B97F4A7C15
	}
	var n uint64
	for b.Loop() {
		n += popSel(x, allWords[:])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/chunkWords, "ns/word")
}
