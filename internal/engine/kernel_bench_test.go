package engine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkPopcount calibrates the machine: a plain pass over one chunk.
func BenchmarkPopcount(b *testing.B) {
	x := new(Block)
	for i := range x {
		x[i] = uint64(i) * 0x9E3779B97F4A7C15
	}
	var n uint64
	for b.Loop() {
		n += popSel(x, allWords[:])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/chunkWords, "ns/word")
}

// BenchmarkDensePass measures one three-plane pass of the whole-chunk
// range kernel: ns per word.
func BenchmarkDensePass(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var p [3]*Block
	for j := range p {
		p[j] = new(Block)
		for i := range p[j] {
			p[j][i] = r.Uint64()
		}
	}
	nm := [3]uint64{^uint64(0), 0, ^uint64(0)}
	out, eq := new(Block), new(Block)
	var nz [chunkWords / 64]uint64
	for b.Loop() {
		for i := range eq {
			eq[i] = ^uint64(0)
		}
		densePass(out, eq, &p, &nm, true, &nz)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/chunkWords, "ns/word")
}

func benchArray(n int) []uint16 {
	r := rand.New(rand.NewPCG(3, 4))
	seen := map[uint16]bool{}
	for len(seen) < n {
		seen[uint16(r.IntN(1<<16))] = true
	}
	vals := make([]uint16, 0, n)
	for v := range seen {
		vals = append(vals, v)
	}
	slices.Sort(vals)
	return vals
}

func BenchmarkGroupArray(b *testing.B) {
	vals := benchArray(3650)
	masks, act := new(Block), make([]uint16, chunkWords)
	for b.Loop() {
		groupArray(masks, vals, act)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(vals)), "ns/value")
}

func BenchmarkOrIntoArray(b *testing.B) {
	vals := benchArray(3650)
	c := &cont{kind: kArray, vals: vals}
	dst := new(Block)
	for b.Loop() {
		clear(dst[:])
		orInto(dst, c)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(vals)), "ns/value")
}

// BenchmarkFilterArrayFew measures value mode's array test for 22
// candidates in two increasing runs against an array of about 1,950 values
// (Q1's last step per chunk at 10M): ns per candidate. The same inputs
// every iteration let the branch predictor learn more than it can on real
// data.
func BenchmarkFilterArrayFew(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	vals := make([]uint16, 1950)
	for i := range vals {
		vals[i] = uint16(r.IntN(1 << 16))
	}
	slices.Sort(vals)
	vals = slices.Compact(vals)
	src := make([]uint16, 22)
	for i := range src {
		src[i] = uint16(r.IntN(1 << 16))
	}
	slices.Sort(src[:11])
	slices.Sort(src[11:])
	v := make([]uint16, len(src))
	for b.Loop() {
		copy(v, src)
		filterArray(vals, v, true)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(src)), "ns/value")
}

// BenchmarkFilterBits measures the value-mode bit probe on 2,400 random
// candidates into a half-full Block, with the kernel this build uses and
// with the Go loop: ns per candidate.
func BenchmarkFilterBits(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	w := new(Block)
	for i := range w {
		w[i] = r.Uint64()
	}
	src := make([]uint16, 2400)
	for i := range src {
		src[i] = uint16(r.IntN(1 << 16))
	}
	slices.Sort(src)
	v := make([]uint16, len(src))
	for _, k := range []struct {
		name string
		fn   func(*Block, []uint16, bool) []uint16
	}{{"kernel=default", filterBits}, {"kernel=go", filterBitsGo}} {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				copy(v, src)
				k.fn(w, v, false)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(src)), "ns/value")
		})
	}
}

// BenchmarkFlatten measures writing a chunk's members as 16-bit values
// (an array container) at 1 to 6 bits per word: ns per member.
func BenchmarkFlatten(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, per := range []int{1, 2, 4, 6} {
		x := new(Block)
		for i := range x {
			for range r.IntN(2*per + 1) {
				x[i] |= 1 << r.IntN(64)
			}
		}
		n := int(popSel(x, allWords[:]))
		dst := make([]uint16, n+flatSlack)
		for _, k := range []struct {
			name string
			fn   func()
		}{
			{"default", func() { flatten16(dst, x, allWords[:], n) }},
			{"go", func() { flatten(dst, x, allWords[:], 0, n) }},
		} {
			b.Run(fmt.Sprintf("bits=%d/kernel=%s", per, k.name), func(b *testing.B) {
				for b.Loop() {
					k.fn()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/member")
			})
		}
	}
}

// BenchmarkActStep measures one plane of compareAct on 512 undecided words
// (every other word of a chunk), with the kernel this build uses and with
// the Go loop; each run restores eq first (8 KiB copied).
func BenchmarkActStep(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	res, eq, p := randBlock(r, 0), randBlock(r, 0), randBlock(r, 0)
	var act []uint16
	for i := 0; i < chunkWords; i += 2 {
		act = append(act, uint16(i))
	}
	a, e := make([]uint16, len(act)), new(Block)
	for _, k := range []struct {
		name string
		fn   func(res, eq, p *Block, act []uint16, nm uint64, ge bool) []uint16
	}{{"kernel=default", actStep}, {"kernel=go", actStepGo}} {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				copy(a, act)
				*e = *eq
				k.fn(res, e, p, a, 0, true)
			}
		})
	}
}
