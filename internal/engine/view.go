package engine

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
)

// Check validates buf as exactly one bitmap in roaring's portable format
// (https://github.com/RoaringBitmap/RoaringFormatSpec), in one pass over
// its bytes: the header within bounds, at most 65,536 containers with
// strictly increasing keys, the offsets (when present) where the containers
// start, every container within bounds and canonical for its kind (arrays
// of at most 4,096 strictly increasing values, bitmaps of more than 4,096
// set bits, runs non-empty, sorted, neither overlapping nor touching and
// inside the chunk), each container's cardinality as its header says, and
// no byte after the last container. It allocates nothing on success.
//
// It checks what roaring's Validate checks, and more, in time linear in
// len(buf) (Validate compares every pair of runs of a container).
func Check(buf []byte) error {
	le := binary.LittleEndian
	if len(buf) < 4 {
		return fmt.Errorf("%d bytes, shorter than a cookie", len(buf))
	}
	cookie := le.Uint32(buf)
	var n, pos int
	var runs []byte
	switch {
	case cookie&0xFFFF == cookieRun:
		n = int(cookie>>16) + 1
		pos = 4
		nb := (n + 7) / 8
		if len(buf) < pos+nb {
			return fmt.Errorf("truncated run flags of %d containers", n)
		}
		runs = buf[pos : pos+nb]
		pos += nb
		if n%8 != 0 && runs[nb-1]>>(n%8) != 0 {
			return fmt.Errorf("run flags set past the %d containers", n)
		}
	case cookie == cookieNoRun:
		if len(buf) < 8 {
			return fmt.Errorf("truncated container count")
		}
		c := le.Uint32(buf[4:])
		if c > 1<<16 {
			return fmt.Errorf("%d containers, at most 65536", c)
		}
		n = int(c)
		pos = 8
	default:
		return fmt.Errorf("bad cookie %#x", cookie)
	}
	if len(buf)-pos < 4*n {
		return fmt.Errorf("truncated header of %d containers", n)
	}
	hdr := buf[pos : pos+4*n]
	pos += 4 * n
	var offsets []byte
	if runs == nil || n >= 4 {
		if len(buf)-pos < 4*n {
			return fmt.Errorf("truncated offsets of %d containers", n)
		}
		offsets = buf[pos : pos+4*n]
		pos += 4 * n
	}
	for i := range n {
		key := int(le.Uint16(hdr[4*i:]))
		card := int(le.Uint16(hdr[4*i+2:])) + 1
		if i > 0 && key <= int(le.Uint16(hdr[4*i-4:])) {
			return fmt.Errorf("container %d: key %d after key %d", i, key, le.Uint16(hdr[4*i-4:]))
		}
		if offsets != nil && int(le.Uint32(offsets[4*i:])) != pos {
			return fmt.Errorf("container %d: offset %d, the container starts at %d", i, le.Uint32(offsets[4*i:]), pos)
		}
		var err error
		switch {
		case runs != nil && runs[i/8]&(1<<(i%8)) != 0:
			pos, err = checkRuns(buf, pos, card)
		case card > maxArray:
			if len(buf)-pos < 8*chunkWords {
				return fmt.Errorf("container %d: truncated bitmap container", i)
			}
			got := 0
			for j := pos; j < pos+8*chunkWords; j += 8 {
				got += bits.OnesCount64(le.Uint64(buf[j:]))
			}
			if got != card {
				err = fmt.Errorf("bitmap container of %d values, header says %d", got, card)
			}
			pos += 8 * chunkWords
		default:
			if len(buf)-pos < 2*card {
				return fmt.Errorf("container %d: truncated array container of %d values", i, card)
			}
			prev := -1
			for j := pos; j < pos+2*card; j += 2 {
				v := int(le.Uint16(buf[j:]))
				if v <= prev {
					err = fmt.Errorf("array container: value %d after %d", v, prev)
					break
				}
				prev = v
			}
			pos += 2 * card
		}
		if err != nil {
			return fmt.Errorf("container %d (key %d): %v", i, key, err)
		}
	}
	if pos != len(buf) {
		return fmt.Errorf("%d bytes after the last container", len(buf)-pos)
	}
	return nil
}

// checkRuns validates the run container at buf[pos:] of card values and
// returns the position after it.
func checkRuns(buf []byte, pos, card int) (int, error) {
	le := binary.LittleEndian
	if len(buf)-pos < 2 {
		return 0, fmt.Errorf("truncated run count")
	}
	nr := int(le.Uint16(buf[pos:]))
	pos += 2
	if nr == 0 {
		return 0, fmt.Errorf("run container without runs")
	}
	if len(buf)-pos < 4*nr {
		return 0, fmt.Errorf("truncated run container of %d runs", nr)
	}
	got, next := 0, 0 // next: the smallest start the next run may have
	for j := pos; j < pos+4*nr; j += 4 {
		start, length := int(le.Uint16(buf[j:])), int(le.Uint16(buf[j+2:]))
		if start < next {
			return 0, fmt.Errorf("run at %d overlaps or touches the run before it", start)
		}
		if start+length > 0xFFFF {
			return 0, fmt.Errorf("run at %d of %d values leaves the chunk", start, length+1)
		}
		got += length + 1
		next = start + length + 2
	}
	if got != card {
		return 0, fmt.Errorf("run container of %d values, header says %d", got, card)
	}
	return pos + 4*nr, nil
}

// View returns a roaring bitmap and a Frozen view of it, both reading the
// containers in buf, a portable bitmap that Check accepted: nothing is
// copied. The bitmap is copy-on-write (roaring's FromBuffer): changing it
// copies the containers it changes, never writing into buf. buf must not
// change while either is in use.
func View(buf []byte) (*roaring.Bitmap, *Frozen) {
	bm := roaring.New()
	if _, err := bm.FromBuffer(buf); err != nil {
		panic(fmt.Sprintf("engine: view of a checked bitmap: %v", err))
	}
	f, err := parse(buf)
	if err != nil {
		panic(fmt.Sprintf("engine: view of a checked bitmap: %v", err))
	}
	return bm, f
}
