package engine

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestDensePass checks densePass (the AVX2 kernel where the machine has
// it) and its undecided-word mask against densePassGo and against a bit-by-bit comparison of each
// customer's three plane bits with the bound's, for both bound directions,
// every bound-bit pattern and random starting blocks.
func TestDensePass(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	t.Logf("useAVX2 = %v", useAVX2)
	for trial := range 16 {
		for bound := range uint64(8) {
			for _, ge := range []bool{true, false} {
				var p [3]*Block
				var nm [3]uint64
				for j := range p {
					p[j] = randBlock(r, trial)
					nm[j] = ^-(bound >> j & 1)
				}
				eq0, out0 := randBlock(r, trial), randBlock(r, trial)
				eq, out := *eq0, *out0
				var nz [chunkWords / 64]uint64
				for j := range nz {
					nz[j] = r.Uint64() // stale bits must go
				}
				densePass(&out, &eq, &p, &nm, ge, &nz)
				eqGo, outGo := *eq0, *out0
				densePassGo(&outGo, &eqGo, &p, &nm, ge)
				// Bit by bit: a candidate (bit of eq0) is decided at the
				// first plane where its bit differs from the bound's.
				var eqW Block
				outW := *out0
				for i := range chunkWords {
					for k := range 64 {
						if eq0[i]>>k&1 == 0 {
							continue
						}
						equal := true
						for j := range p {
							b, c := p[j][i]>>k&1, bound>>j&1
							if b != c {
								if (b > c) == ge {
									outW[i] |= 1 << k
								}
								equal = false
								break
							}
						}
						if equal {
							eqW[i] |= 1 << k
						}
					}
				}
				var nzW [chunkWords / 64]uint64
				for i, e := range eqW {
					if e != 0 {
						nzW[i/64] |= 1 << (i % 64)
					}
				}
				if diff := cmp.Diff(nzW, nz); diff != "" {
					t.Fatalf("trial %d bound %03b ge=%v: undecided-word mask differs (-want +got):\n%s", trial, bound, ge, diff)
				}
				if diff := cmp.Diff(outGo[:], out[:]); diff != "" {
					t.Fatalf("trial %d bound %03b ge=%v: out differs from densePassGo (-go +got):\n%s", trial, bound, ge, diff)
				}
				if diff := cmp.Diff(eqGo[:], eq[:]); diff != "" {
					t.Fatalf("trial %d bound %03b ge=%v: eq differs from densePassGo (-go +got):\n%s", trial, bound, ge, diff)
				}
				if diff := cmp.Diff(outW[:], out[:]); diff != "" {
					t.Fatalf("trial %d bound %03b ge=%v: out differs from bit by bit (-want +got):\n%s", trial, bound, ge, diff)
				}
				if diff := cmp.Diff(eqW[:], eq[:]); diff != "" {
					t.Fatalf("trial %d bound %03b ge=%v: eq differs from bit by bit (-want +got):\n%s", trial, bound, ge, diff)
				}
			}
		}
	}
}

// randBlock returns a Block of random words, sparse, dense or half full
// depending on trial.
func randBlock(r *rand.Rand, trial int) *Block {
	b := new(Block)
	for i := range b {
		switch trial % 4 {
		case 0:
			b[i] = r.Uint64()
		case 1:
			b[i] = r.Uint64() & r.Uint64() & r.Uint64()
		case 2:
			b[i] = r.Uint64() | r.Uint64() | r.Uint64()
		default:
			if r.IntN(2) == 0 {
				b[i] = r.Uint64()
			}
		}
	}
	return b
}

// TestBetweenPass checks betweenPass (both bounds in one pass, the AVX2
// kernel where the machine has it) against two densePassGo calls, one per
// bound (TestDensePass checks densePassGo bit by bit), for every pair of
// bound-bit patterns, mask included.
func TestBetweenPass(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := range 8 {
		for lo := range uint64(8) {
			for hi := range uint64(8) {
				var p [3]*Block
				var nl, nh [3]uint64
				for j := range p {
					p[j] = randBlock(r, trial)
					nl[j], nh[j] = ^-(lo >> j & 1), ^-(hi >> j & 1)
				}
				el0, eh0 := randBlock(r, trial), randBlock(r, trial)
				gl0, gh0 := randBlock(r, trial), randBlock(r, trial)
				el, eh, gl, gh := *el0, *eh0, *gl0, *gh0
				var nz [chunkWords / 64]uint64
				betweenPass(&gl, &el, &gh, &eh, &p, &nl, &nh, &nz)

				elW, ehW, glW, ghW := *el0, *eh0, *gl0, *gh0
				densePassGo(&glW, &elW, &p, &nl, true)
				densePassGo(&ghW, &ehW, &p, &nh, false)
				var nzW [chunkWords / 64]uint64
				for i := range chunkWords {
					if elW[i]|ehW[i] != 0 {
						nzW[i/64] |= 1 << (i % 64)
					}
				}
				for _, c := range []struct {
					name      string
					got, want *Block
				}{{"gl", &gl, &glW}, {"el", &el, &elW}, {"gh", &gh, &ghW}, {"eh", &eh, &ehW}} {
					if diff := cmp.Diff(c.want[:], c.got[:]); diff != "" {
						t.Fatalf("trial %d lo %03b hi %03b: %s differs from densePassGo (-want +got):\n%s", trial, lo, hi, c.name, diff)
					}
				}
				if diff := cmp.Diff(nzW, nz); diff != "" {
					t.Fatalf("trial %d lo %03b hi %03b: undecided-word mask differs (-want +got):\n%s", trial, lo, hi, diff)
				}
			}
		}
	}
}

// TestActStep checks one plane step on undecided words (the assembly
// kernel where it runs) against the Go loop, which the range tests check
// end to end against the values: both bound bits, both directions, word
// lists of every length and density.
func TestActStep(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	for trial := range 80 {
		res, eq, p := randBlock(r, trial), randBlock(r, trial+1), randBlock(r, trial+2)
		var act []uint16
		for i := range chunkWords {
			if r.IntN(1+trial%5) == 0 {
				act = append(act, uint16(i))
			}
		}
		for _, nm := range []uint64{0, ^uint64(0)} {
			for _, ge := range []bool{false, true} {
				res1, eq1, res2, eq2 := *res, *eq, *res, *eq
				got := actStep(&res1, &eq1, p, slices.Clone(act), nm, ge)
				want := actStepGo(&res2, &eq2, p, slices.Clone(act), nm, ge)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("trial %d nm %x ge %v: words (-want +got):\n%s", trial, nm, ge, diff)
				}
				if res1 != res2 || eq1 != eq2 {
					t.Fatalf("trial %d nm %x ge %v: res or eq differ", trial, nm, ge)
				}
			}
		}
	}
}
