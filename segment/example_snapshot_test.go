package segment_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/fabeed28/microseg/segment"
)

// A caller that maps a snapshot file into memory opens the base in place:
// its bitmaps read the mapped bytes, which must stay mapped and unchanged
// while the base, or anything derived from it, is in use.
func ExampleOpenBase() {
	var buf bytes.Buffer
	if _, err := textBase().WriteTo(&buf); err != nil {
		fmt.Println(err)
		return
	}
	data := buf.Bytes() // in a service: the bytes of a memory-mapped file
	base, err := segment.OpenBase(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(base.Len(), base.Count(bought.Has("skincare")))

	// A batch copies what it changes: data is never written.
	tx := base.Batch()
	if err := tx.Remove("c-1"); err != nil {
		fmt.Println(err)
		return
	}
	next, err := tx.Apply()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(next.Len(), base.Len())

	// A bitmap kept after data is unmapped needs containers of its own.
	ids := base.Eval(bought.Has("skincare"))
	ids.CloneCopyOnWriteContainers()
	fmt.Println(ids.GetCardinality())

	bad := bytes.Clone(data)
	bad[len(bad)-1] ^= 1 // a corrupted checksum
	_, err = segment.OpenBase(bad)
	fmt.Println(errors.Is(err, segment.ErrBadSnapshot))
	// Output:
	// 3 2
	// 2 3
	// 2
	// true
}
