package keydict

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestWriterInsertMatchesMap: Insert and Lookup agree with a Go map through
// runs of keys in increasing shortlex order (added without a probe), runs
// out of order, repeats of waiting and flushed keys, and Writers chained
// from Dicts of FromKeys, of a Writer and of FromPacked (which does not
// know its greatest key).
func TestWriterInsertMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var keys []string
	want := map[string]uint32{}
	var d *Dict
	next := 0
	for step := range 8 {
		w := NewWriter(d)
		switch step {
		case 2:
			d, _ = FromKeys(keys)
			w = NewWriter(d)
		case 5:
			d, _ = FromPacked(pack(keys))
			w = NewWriter(d)
		}
		for range 30_000 {
			var k string
			switch x := r.IntN(10); {
			case x < 6: // in order: k9 before k10
				k = fmt.Sprint("k", next)
				next++
			case x < 8: // out of order, maybe new
				k = fmt.Sprint("k", r.IntN(next+100))
			case x < 9:
				k = fmt.Sprint("x", r.IntN(1000))
			default: // a repeat, maybe waiting
				if len(keys) == 0 {
					continue
				}
				k = keys[max(0, len(keys)-1-r.IntN(200))]
			}
			wantID, present := want[k]
			if id, ok := w.Lookup(k); ok != present || ok && id != wantID {
				t.Fatalf("step %d: Lookup(%q) = %d, %v; want %d, %v", step, k, id, ok, wantID, present)
			}
			id, added := w.Insert(k)
			if present {
				if added || id != wantID {
					t.Fatalf("step %d: Insert(%q) = %d, %v; want %d, false", step, k, id, added, wantID)
				}
				continue
			}
			if !added || id != uint32(len(keys)) {
				t.Fatalf("step %d: Insert(%q) = %d, %v; want %d, true", step, k, id, added, len(keys))
			}
			want[k] = id
			keys = append(keys, k)
		}
		d = w.Dict()
		for i, k := range keys {
			if id, ok := d.Lookup(k); !ok || id != uint32(i) {
				t.Fatalf("step %d: Dict.Lookup(%q) = %d, %v; want %d", step, k, id, ok, i)
			}
		}
	}
}

// pack lays out keys as FromPacked takes them.
func pack(keys []string) Packed {
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
