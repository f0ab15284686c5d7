//go:build amd64 && !purego

package engine

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestWithoutWideKernels runs random plans with the AVX-512 kernels off,
// and with the AVX2 ones off too, as on processors without them (the
// purego tag turns off the scalar assembly as well): results, counts and
// IDs must match roaring's.
func TestWithoutWideKernels(t *testing.T) {
	saved2, saved512 := useAVX2, useAVX512
	defer func() { useAVX2, useAVX512 = saved2, saved512 }()
	for _, k := range []struct{ avx2, avx512 bool }{{true, false}, {false, false}} {
		useAVX2, useAVX512 = saved2 && k.avx2, saved512 && k.avx512
		s := NewScratch()
		for seed := range uint64(4) {
			r := rand.New(rand.NewPCG(seed, 7))
			w := newWorld(r, []uint32{70000, 200000}[seed%2])
			for q := range 10 {
				n := w.randNode(r, 3)
				Estimate(n, w.live)
				want := Eval(n, w.live)
				p := NewPlan(n, w.fzLive)
				if got := p.Eval(s); !got.Equals(want) {
					t.Fatalf("AVX2 %v, AVX-512 %v, seed %d query %d: Eval differs", useAVX2, useAVX512, seed, q)
				}
				if c := p.Count(s); c != want.GetCardinality() {
					t.Fatalf("AVX2 %v, AVX-512 %v, seed %d query %d: Count = %d, want %d", useAVX2, useAVX512, seed, q, c, want.GetCardinality())
				}
				if ids := p.AppendIDs(s, nil); !slices.Equal(ids, want.ToArray()) {
					t.Fatalf("AVX2 %v, AVX-512 %v, seed %d query %d: AppendIDs differs", useAVX2, useAVX512, seed, q)
				}
			}
		}
	}
}

// BenchmarkDensePassKernels runs BenchmarkDensePass with each kernel this
// processor has: AVX-512, AVX2 and the Go loop (ns per word and pass).
func BenchmarkDensePassKernels(b *testing.B) {
	saved2, saved512 := useAVX2, useAVX512
	defer func() { useAVX2, useAVX512 = saved2, saved512 }()
	for _, k := range []struct {
		name         string
		avx2, avx512 bool
	}{{"avx512", true, true}, {"avx2", true, false}, {"go", false, false}} {
		if (k.avx2 && !saved2) || (k.avx512 && !saved512) {
			continue
		}
		b.Run("kernel="+k.name, func(b *testing.B) {
			useAVX2, useAVX512 = k.avx2, k.avx512
			BenchmarkDensePass(b)
		})
	}
}

// cpuAVX512 is whether this processor runs the AVX-512 kernels.
var cpuAVX512 = useAVX512

func canAVX512() bool { return cpuAVX512 }

// setAVX512 turns the AVX-512 kernels on (where the processor has them)
// or off.
func setAVX512(on bool) { useAVX512 = on && cpuAVX512 }
