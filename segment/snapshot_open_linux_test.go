package segment

import (
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
)

// TestOpenBaseReadOnlyMemory opens a snapshot in memory mapped read-only,
// as a caller that maps a file would, evaluates, applies a batch and
// writes the base: a write into the snapshot's bytes would fault.
func TestOpenBaseReadOnlyMemory(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 15))
	base, o := randBase(r, 5000, 2)
	data := snapshot(t, base)
	mem, err := syscall.Mmap(-1, 0, len(data), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer syscall.Munmap(mem)
	copy(mem, data)
	if err := syscall.Mprotect(mem, syscall.PROT_READ); err != nil {
		t.Skipf("mprotect: %v", err)
	}
	opened, err := OpenBase(mem)
	if err != nil {
		t.Fatal(err)
	}
	for range 30 {
		p := randPred(r, 4)
		if !slices.Equal(o.eval(p), opened.Eval(p).ToArray()) {
			t.Fatalf("Eval(%s) on the read-only base disagrees with the oracle", p)
		}
	}
	nb := randBatch(r, opened, o)
	for range 30 {
		p := randPred(r, 4)
		if !slices.Equal(o.eval(p), nb.Eval(p).ToArray()) {
			t.Fatalf("Eval(%s) after a batch on the read-only base disagrees with the oracle", p)
		}
		ids := opened.Eval(p)
		ids.Add(1 << 30) // a caller changes a bitmap it got: roaring copies the container first
	}
	sameBase(t, base, opened)
	snapshot(t, nb)
}
