package keydict

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestFingerprint checks that the fingerprint of every prefix depends only
// on the keys in ID order, whichever way the dictionary was built (FromKeys,
// one Writer, a chain of Writers), and that FirstDiff finds the first ID
// whose key differs.
func TestFingerprint(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 3*pageSize + 123
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d-%s", i, string(make([]byte, r.IntN(20))))
	}
	bulk, _ := FromKeys(keys)
	one := NewWriter(nil)
	for _, k := range keys {
		one.Add(k)
	}
	single := one.Dict()
	var chained *Dict
	for lo := 0; lo < n; {
		w := NewWriter(chained)
		hi := min(n, lo+r.IntN(2*pageSize)+1)
		for _, k := range keys[lo:hi] {
			w.Add(k)
		}
		chained, lo = w.Dict(), hi
	}
	for _, m := range []uint32{0, 1, 2, pageSize - 1, pageSize, pageSize + 1, 2 * pageSize, uint32(n) - 1, uint32(n)} {
		want := uint64(0)
		for _, k := range keys[:m] {
			want = chain(want, keyHash(k))
		}
		for name, d := range map[string]*Dict{"bulk": bulk, "single": single, "chained": chained} {
			if got := d.Fingerprint(m); got != want {
				t.Errorf("%s.Fingerprint(%d) = %#x, want %#x", name, m, got, want)
			}
		}
		if id, differ := FirstDiff(bulk, chained, m); differ {
			t.Errorf("FirstDiff(bulk, chained, %d) = %d, want none", m, id)
		}
	}

	// Two IDs swapped, anywhere: FirstDiff reports the first of them.
	for _, pair := range [][2]int{{0, 1}, {5, pageSize + 7}, {2 * pageSize, n - 1}, {n - 2, n - 1}} {
		swapped := append([]string(nil), keys...)
		swapped[pair[0]], swapped[pair[1]] = swapped[pair[1]], swapped[pair[0]]
		d, _ := FromKeys(swapped)
		id, differ := FirstDiff(bulk, d, uint32(n))
		if !differ || id != uint32(pair[0]) {
			t.Errorf("keys %v swapped: FirstDiff = %d, %v; want %d, true", pair, id, differ, pair[0])
		}
		if id, differ := FirstDiff(bulk, d, uint32(pair[0])); differ {
			t.Errorf("keys %v swapped: FirstDiff of the prefix %d = %d, want none", pair, pair[0], id)
		}
	}
}

func BenchmarkKeyHash(b *testing.B) {
	k := "c-0000123456"
	var h uint64
	for range b.N {
		h ^= keyHash(k)
	}
	_ = h
}
