package keydict

import (
	"fmt"
	"testing"
)

// TestWriterLeavesParentUnchanged: a Writer derived from a Dict never
// changes it, across page and shard boundaries.
func TestWriterLeavesParentUnchanged(t *testing.T) {
	w := NewWriter(nil)
	for i := range pageSize + 10 {
		w.Add(fmt.Sprint("k", i))
	}
	parent := w.Dict()
	a, b := NewWriter(parent), NewWriter(parent)
	for i := range 3 * pageSize {
		a.Add(fmt.Sprint("a", i))
		b.Add(fmt.Sprint("b", i))
	}
	da, db := a.Dict(), b.Dict()
	if parent.Len() != pageSize+10 {
		t.Fatalf("parent Len = %d", parent.Len())
	}
	for i := range uint32(pageSize + 10) {
		if k, _ := parent.Key(i); k != fmt.Sprint("k", i) {
			t.Fatalf("parent Key(%d) = %q", i, k)
		}
	}
	if _, ok := parent.Lookup("a0"); ok {
		t.Fatal("parent sees a child's key")
	}
	id, ok := da.Lookup("a5")
	if k, _ := da.Key(id); !ok || k != "a5" {
		t.Fatalf("child a: Lookup/Key mismatch: %d %v %q", id, ok, k)
	}
	if k, _ := db.Key(id); k != "b5" {
		t.Fatalf("child b Key(%d) = %q, want b5", id, k)
	}
	if _, ok := da.Key(da.Len()); ok {
		t.Fatal("Key beyond Len succeeded")
	}
}
