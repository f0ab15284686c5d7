package keydict

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// randKeys returns n distinct random keys of varied lengths (some empty-ish
// prefixes shared, some long) in random order.
func randKeys(r *rand.Rand, n int) []string {
	seen := make(map[string]bool, n)
	keys := make([]string, 0, n)
	for len(keys) < n {
		var k string
		switch r.IntN(4) {
		case 0:
			k = strconv.Itoa(r.IntN(4 * n))
		case 1:
			k = fmt.Sprintf("cust-%08x", r.Uint32())
		case 2:
			b := make([]byte, 1+r.IntN(40))
			for i := range b {
				b[i] = byte(r.IntN(256))
			}
			k = string(b)
		default:
			k = string(rune('a' + r.IntN(26)))
		}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// dump returns every key of d by ID and checks that Lookup inverts Key.
func dump(t *testing.T, d *Dict) []string {
	t.Helper()
	out := []string{}
	for id := range d.Len() {
		k, ok := d.Key(id)
		if !ok {
			t.Fatalf("Key(%d) failed below Len %d", id, d.Len())
		}
		if got, ok := d.Lookup(k); !ok || got != id {
			t.Fatalf("Lookup(%q) = %d, %v; want %d", k, got, ok, id)
		}
		out = append(out, k)
	}
	if _, ok := d.Key(d.Len()); ok {
		t.Fatal("Key(Len) succeeded")
	}
	return out
}

// TestFromKeysMatchesMap: FromKeys and a Writer give the IDs a Go map does,
// and find no key that is absent, at sizes around the page and table
// boundaries.
func TestFromKeysMatchesMap(t *testing.T) {
	sizes := []int{0, 1, 2, 7, 100, pageSize - 1, pageSize, pageSize + 1, 3*pageSize + 17, 50_000}
	if testing.Short() {
		sizes = sizes[:len(sizes)-1]
	}
	for _, n := range sizes {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(n), 1))
			all := randKeys(r, 2*n+10)
			keys, absent := all[:n], all[n:]
			want := make(map[string]uint32, n)
			for i, k := range keys {
				want[k] = uint32(i)
			}
			fk, dup := FromKeys(keys)
			if dup != -1 || fk == nil {
				t.Fatalf("FromKeys: dup = %d", dup)
			}
			fb, dup := fromKeys(keys, 1+n/5) // several batches
			if dup != -1 || fb == nil {
				t.Fatalf("fromKeys in batches: dup = %d", dup)
			}
			w := NewWriter(nil)
			for _, k := range keys {
				if _, ok := w.Lookup(k); ok {
					t.Fatalf("Writer.Lookup(%q) before Add succeeded", k)
				}
				w.Add(k)
			}
			for name, d := range map[string]*Dict{"FromKeys": fk, "batches": fb, "Writer": w.Dict()} {
				if diff := cmp.Diff(keys, dump(t, d)); diff != "" {
					t.Fatalf("%s keys (-want +got):\n%s", name, diff)
				}
				got := make(map[string]uint32, n)
				for _, k := range keys {
					id, ok := d.Lookup(k)
					if !ok {
						t.Fatalf("%s: Lookup(%q) missing", name, k)
					}
					got[k] = id
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("%s ids (-want +got):\n%s", name, diff)
				}
				for _, k := range absent {
					if id, ok := d.Lookup(k); ok {
						t.Fatalf("%s: Lookup(%q) = %d for an absent key", name, k, id)
					}
				}
			}
		})
	}
}

// TestFromKeysDuplicate: FromKeys reports the smallest index whose key
// occurred before it.
func TestFromKeysDuplicate(t *testing.T) {
	many := make([]string, 10_000)
	for i := range many {
		many[i] = strconv.Itoa(i)
	}
	tests := []struct {
		name string
		keys []string
		want int
	}{
		{"none", []string{"a", "b", "c"}, -1},
		{"adjacent", []string{"a", "a"}, 1},
		{"later", []string{"a", "b", "c", "b", "a"}, 3},
		{"triple", []string{"x", "y", "x", "x"}, 2},
		{"empty key twice", []string{"", "q", ""}, 2},
		{"large", append(append([]string(nil), many...), "9999", "5"), 10_000},
		{"large first wins", append(append([]string{"5"}, many...), "1"), 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, batch := range []int{1, 2, 3, 1000, 1 << 20} {
				d, dup := fromKeys(tt.keys, batch)
				if dup != tt.want {
					t.Fatalf("batch %d: dup = %d, want %d", batch, dup, tt.want)
				}
				if (d == nil) != (tt.want >= 0) {
					t.Fatalf("batch %d: Dict nil = %v with dup %d", batch, d == nil, dup)
				}
			}
		})
	}
}

// TestWriterSnapshotsIsolated: a chain of Writers, each started from the
// previous Dict (of FromKeys or a Writer), with two Writers branching from
// every Dict: every Dict keeps exactly the keys it had when it was made,
// whatever its descendants add, across table growth.
func TestWriterSnapshotsIsolated(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	all := randKeys(r, 40_000)
	base, _ := FromKeys(all[:5_000])
	type snap struct {
		d    *Dict
		keys []string
	}
	snaps := []snap{{base, all[:5_000]}}
	used := 5_000
	cur := snaps[0]
	for step := range 12 {
		// A sibling branch that must not leak into the main line.
		sib := NewWriter(cur.d)
		for i := range 50 {
			sib.Add(fmt.Sprintf("sibling-%d-%d", step, i))
		}
		sd, sibWant := sib.Dict(), append(append([]string(nil), cur.keys...), sibKeys(step)...)
		w := NewWriter(cur.d)
		if step%3 == 2 {
			// Also start from a Writer's Dict that a Writer derived again.
			w = NewWriter(NewWriter(cur.d).Dict())
		}
		add := 1 + r.IntN(4_000)
		for _, k := range all[used : used+add] {
			if _, ok := w.Lookup(k); ok {
				t.Fatalf("step %d: %q present before Add", step, k)
			}
			w.Add(k)
		}
		keys := append(append([]string(nil), cur.keys...), all[used:used+add]...)
		used += add
		cur = snap{w.Dict(), keys}
		snaps = append(snaps, cur, snap{sd, sibWant})
	}
	for i, s := range snaps {
		if diff := cmp.Diff(s.keys, dump(t, s.d)); diff != "" {
			t.Fatalf("snapshot %d changed (-want +got):\n%s", i, diff)
		}
		for _, k := range all[len(s.keys):min(len(all), len(s.keys)+2_000)] {
			if id, ok := s.d.Lookup(k); ok && (int(id) >= len(s.keys) || s.keys[id] != k) {
				t.Fatalf("snapshot %d: Lookup(%q) = %d, a later key", i, k, id)
			}
		}
	}
}

func sibKeys(step int) []string {
	var out []string
	for i := range 50 {
		out = append(out, fmt.Sprintf("sibling-%d-%d", step, i))
	}
	return out
}

// TestZeroDict: the zero Dict is empty and a Writer can start from it.
func TestZeroDict(t *testing.T) {
	var d Dict
	if _, ok := d.Lookup("a"); ok || d.Len() != 0 {
		t.Fatal("zero Dict is not empty")
	}
	w := NewWriter(&d)
	w.Add("a")
	if id, ok := w.Dict().Lookup("a"); !ok || id != 0 {
		t.Fatalf("Lookup(a) = %d, %v", id, ok)
	}
	if _, ok := d.Lookup("a"); ok {
		t.Fatal("zero Dict changed")
	}
}

func BenchmarkFromKeys(b *testing.B) {
	for _, n := range []int{1_000_000, 10_000_000} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = strconv.Itoa(i)
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				FromKeys(keys)
			}
		})
	}
}

// TestPageWide: a page switches to 8-byte offsets past its limit and keeps
// every key, and its clone can grow without changing it.
func TestPageWide(t *testing.T) {
	var p page
	var want []string
	for i := range 100 {
		k := strings.Repeat(string(rune('a'+i%26)), i%7)
		p.addLimit(k, 50)
		want = append(want, k)
	}
	if p.wide == nil || p.ends != nil {
		t.Fatalf("page did not switch to wide offsets: %d narrow, %d wide", len(p.ends), len(p.wide))
	}
	c := p.clone()
	c.add("extra")
	var got []string
	for i := range p.len() {
		got = append(got, p.key(i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("keys (-want +got):\n%s", diff)
	}
	if c.len() != 101 || c.key(100) != "extra" || c.key(99) != want[99] {
		t.Fatalf("clone: len %d, last %q", c.len(), c.key(c.len()-1))
	}
}
