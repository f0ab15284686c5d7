package keydict

import (
	"strconv"
	"testing"
)

// packed lays keys out as Packed.
func packed(keys []string) Packed {
	var p Packed
	start := 0
	for i, k := range keys {
		if i%PageSize == 0 {
			start = len(p.Data)
		}
		p.Data = append(p.Data, k...)
		p.Ends = append(p.Ends, uint32(len(p.Data)-start))
	}
	return p
}

func TestFromPacked(t *testing.T) {
	for _, n := range []int{0, 1, PageSize - 1, PageSize, 3*PageSize + 5, 50_000} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = "k" + strconv.Itoa(i*7)
		}
		d, dup := FromPacked(packed(keys))
		if dup >= 0 {
			t.Fatalf("n=%d: duplicate %d", n, dup)
		}
		want, _ := FromKeys(keys)
		if d.Len() != uint32(n) || d.Fingerprint(uint32(n)) != want.Fingerprint(uint32(n)) {
			t.Fatalf("n=%d: Len %d, fingerprints %x and %x", n, d.Len(), d.Fingerprint(uint32(n)), want.Fingerprint(uint32(n)))
		}
		for i, k := range keys {
			if id, ok := d.Lookup(k); !ok || id != uint32(i) {
				t.Fatalf("n=%d: Lookup(%q) = %d, %v; want %d", n, k, id, ok, i)
			}
			if got, _ := d.Key(uint32(i)); got != k {
				t.Fatalf("n=%d: Key(%d) = %q, want %q", n, i, got, k)
			}
		}
		if _, ok := d.Lookup("absent"); ok {
			t.Fatalf("n=%d: Lookup of an absent key succeeded", n)
		}
		// A Writer on top copies the last page before appending.
		w := NewWriter(d)
		w.Add("new")
		if got, _ := d.Key(uint32(max(n, 1) - 1)); n > 0 && got != keys[n-1] {
			t.Fatalf("n=%d: a Writer changed the loaded dictionary", n)
		}
		if n > 2 {
			dupKeys := append(keys[:n:n], keys[n/2], keys[1])
			if _, i := FromPacked(packed(dupKeys)); i != n {
				t.Fatalf("n=%d: FromPacked of keys repeated at %d and %d reports %d", n, n, n+1, i)
			}
		}
	}
}

func BenchmarkFromPacked(b *testing.B) {
	const n = 10_000_000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
	}
	p := packed(keys)
	b.SetBytes(int64(len(p.Data)))
	for b.Loop() {
		if _, dup := FromPacked(p); dup >= 0 {
			b.Fatal(dup)
		}
	}
}
