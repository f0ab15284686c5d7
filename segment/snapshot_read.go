package segment

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/fabeed28/microseg/internal/keydict"
)

// ReadBase reads a base that Base.WriteTo wrote. It reads exactly the
// snapshot's bytes from r, so several snapshots may follow each other in one
// stream. Input that is truncated, corrupted, of an unknown version or
// inconsistent is rejected with an error wrapping ErrBadSnapshot; ReadBase
// never panics on input and allocates in proportion to the bytes it has
// actually read. A base written and read back has the same keys, IDs,
// fields and answers.
func ReadBase(r io.Reader) (*Base, error) {
	payload, err := readFrames(r)
	if err != nil {
		return nil, err
	}
	return decodePayload(payload)
}

func badSnapshot(format string, args ...any) error {
	return fmt.Errorf("segment: read base: %w: "+format, append([]any{ErrBadSnapshot}, args...)...)
}

// readFrames reads the header, the frames and the checksum, verifies the
// checksum and returns the payload.
func readFrames(r io.Reader) ([]byte, error) {
	crc := crc32.New(castagnoli)
	var off int64
	read := func(p []byte, what string) error {
		n, err := io.ReadFull(r, p)
		off += int64(n)
		crc.Write(p[:n])
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return badSnapshot("truncated at byte %d, reading the %s", off, what)
		case err != nil:
			return fmt.Errorf("segment: read base: %w", err)
		}
		return nil
	}
	var hdr [8]byte
	if err := read(hdr[:], "header"); err != nil {
		return nil, err
	}
	if string(hdr[:4]) != snapshotMagic {
		return nil, badSnapshot("not a microseg snapshot: starts with %q, want %q", hdr[:4], snapshotMagic)
	}
	if v := binary.LittleEndian.Uint16(hdr[4:]); v != snapshotVersion {
		return nil, badSnapshot("unknown version %d, this library reads version %d", v, snapshotVersion)
	}
	if binary.LittleEndian.Uint16(hdr[6:]) != 0 {
		return nil, badSnapshot("reserved header bytes are not zero")
	}
	var payload bytes.Buffer
	var l [4]byte
	for {
		if err := read(l[:], "frame length"); err != nil {
			return nil, err
		}
		n := binary.LittleEndian.Uint32(l[:])
		if n == 0 {
			break
		}
		if n > maxFrame {
			return nil, badSnapshot("frame of %d bytes at byte %d, frames hold at most %d", n, off-4, maxFrame)
		}
		// Grow only as bytes arrive: a frame costs at most 64 KiB before its
		// bytes are read.
		start := payload.Len()
		got, err := io.CopyN(&payload, r, int64(n))
		off += got
		crc.Write(payload.Bytes()[start:])
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, badSnapshot("truncated at byte %d, reading a frame of %d bytes", off, n)
			}
			return nil, fmt.Errorf("segment: read base: %w", err)
		}
	}
	want := crc.Sum32()
	var sum [4]byte
	if err := read(sum[:], "checksum"); err != nil {
		return nil, err
	}
	if got := binary.LittleEndian.Uint32(sum[:]); got != want {
		return nil, badSnapshot("checksum mismatch: stored %08x, computed %08x", got, want)
	}
	return payload.Bytes(), nil
}

// decoder reads the payload. Every count is checked against the bytes left
// before anything is allocated for it. The first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = badSnapshot(format, args...)
	}
}

func (d *decoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad or truncated %s", what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint(what string) int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad or truncated %s", what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a number of items that take at least one byte each.
func (d *decoder) count(what string) int {
	n := d.uvarint(what)
	if n > uint64(len(d.b)) {
		d.fail("%s %d exceeds the %d bytes left", what, n, len(d.b))
		return 0
	}
	return int(n)
}

func (d *decoder) next(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.fail("truncated %s", what)
		return nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) str(what string) string { return string(d.next(d.count(what+" length"), what)) }

// bitmap reads a portable roaring bitmap and validates it.
func (d *decoder) bitmap(what string) *roaring.Bitmap {
	p := d.next(d.count(what+" length"), what)
	if d.err != nil {
		return nil
	}
	bm, err := readPortable(p)
	if err != nil {
		d.fail("%s: %v", what, err)
		return nil
	}
	return bm
}

// readPortable decodes exactly p as one portable roaring bitmap, validated.
func readPortable(p []byte) (bm *roaring.Bitmap, err error) {
	defer func() {
		if r := recover(); r != nil {
			bm, err = nil, fmt.Errorf("malformed roaring bitmap: %v", r)
		}
	}()
	bm = roaring.New()
	n, err := bm.ReadFrom(bytes.NewReader(p))
	switch {
	case err != nil:
		return nil, fmt.Errorf("malformed roaring bitmap: %v", err)
	case n != int64(len(p)):
		return nil, fmt.Errorf("roaring bitmap of %d bytes in %d", n, len(p))
	}
	if err := bm.Validate(); err != nil {
		return nil, fmt.Errorf("invalid roaring bitmap: %v", err)
	}
	return bm, nil
}

func (d *decoder) value(tag byte, what string) any {
	switch tag {
	case 1:
		return d.str(what)
	case 2:
		p := d.next(1, what)
		if d.err == nil && p[0] > 1 {
			d.fail("%s: bool byte %d", what, p[0])
		}
		return d.err == nil && p[0] == 1
	case 3, 4, 5, 6, 7:
		v := d.varint(what)
		size := []int{bits.UintSize, 8, 16, 32, 64}[tag-3]
		if size < 64 && (v < -1<<(size-1) || v >= 1<<(size-1)) {
			d.fail("%s: %d overflows int%d", what, v, size)
		}
		return []func(int64) any{
			func(v int64) any { return int(v) }, func(v int64) any { return int8(v) },
			func(v int64) any { return int16(v) }, func(v int64) any { return int32(v) },
			func(v int64) any { return v },
		}[tag-3](v)
	case 8, 9, 10, 11, 12:
		v := d.uvarint(what)
		size := []int{bits.UintSize, 8, 16, 32, 64}[tag-8]
		if size < 64 && v >= 1<<size {
			d.fail("%s: %d overflows uint%d", what, v, size)
		}
		return []func(uint64) any{
			func(v uint64) any { return uint(v) }, func(v uint64) any { return uint8(v) },
			func(v uint64) any { return uint16(v) }, func(v uint64) any { return uint32(v) },
			func(v uint64) any { return v },
		}[tag-8](v)
	case 13:
		p := d.next(8, what)
		if d.err != nil {
			return 0.0
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(p))
		if math.IsNaN(f) {
			d.fail("%s is NaN", what)
		}
		return f
	}
	d.fail("%s: unknown value type tag %d", what, tag)
	return nil
}

// decodePayload decodes a checksummed payload and checks every invariant a
// Base relies on.
func decodePayload(payload []byte) (*Base, error) {
	d := &decoder{b: payload}
	nf := d.count("field count")
	specs := make([]fieldSpec, 0, nf)
	byName := make(map[string]int, nf)
	for i := range nf {
		name := d.str(fmt.Sprintf("name of field %d", i))
		kt := d.next(2, "field kind")
		scale := d.uvarint("field scale")
		if d.err != nil {
			return nil, d.err
		}
		s := fieldSpec{name: name, kind: Kind(kt[0]), scale: int(min(scale, 99))}
		switch {
		case name == "":
			d.fail("field %d has an empty name", i)
		case byName[name] != 0 || len(specs) > 0 && specs[0].name == name:
			d.fail("field %q appears twice", name)
		case s.kind == KindInvalid || s.kind > KindTime:
			d.fail("field %q: unknown kind %d", name, kt[0])
		case (s.kind == KindCat || s.kind == KindSet) != (kt[1] != 0) || int(kt[1]) >= len(valueTypes):
			d.fail("field %q: kind %s with value type tag %d", name, s.kind, kt[1])
		case s.kind == KindDecimal && scale > 9 || s.kind != KindDecimal && scale != 0:
			d.fail("field %q: kind %s with scale %d", name, s.kind, scale)
		}
		s.vtype = valueTypes[min(int(kt[1]), len(valueTypes)-1)]
		byName[name] = i
		specs = append(specs, s)
	}

	nk := d.count("key count")
	w := keydict.NewWriter(nil)
	for id := range nk {
		k := d.str("key")
		if d.err != nil {
			return nil, d.err
		}
		if _, dup := w.Lookup(k); dup || k == "" {
			d.fail("key %d %q is empty or repeated", id, k)
			return nil, d.err
		}
		w.Add(k)
	}
	live := d.bitmap("live bitmap")
	if d.err != nil {
		return nil, d.err
	}
	if !live.IsEmpty() && uint64(live.Maximum()) >= uint64(nk) {
		return nil, badSnapshot("live ID %d is not below the key count %d", live.Maximum(), nk)
	}

	base := &Base{dict: w.Dict(), live: live, byName: byName}
	for _, s := range specs {
		c := d.column(s, live)
		if d.err != nil {
			return nil, d.err
		}
		base.cols = append(base.cols, c)
	}
	if len(d.b) != 0 {
		return nil, badSnapshot("%d bytes after the last field", len(d.b))
	}
	return base, nil
}

// column reads one field's indexes and checks them against live.
func (d *decoder) column(s fieldSpec, live *roaring.Bitmap) *column {
	what := fmt.Sprintf("field %q", s.name)
	known := d.bitmap(what + " known bitmap")
	if d.err != nil {
		return nil
	}
	if !subset(known, live) {
		d.fail("%s: known bitmap holds IDs that are not live", what)
		return nil
	}
	if s.kind == KindCat || s.kind == KindSet {
		tag, _ := tagOf(s.vtype)
		nv := d.count(what + " value count")
		values := make([]any, 0, nv)
		seen := make(map[any]bool, nv)
		for range nv {
			v := d.value(tag, what+" value")
			if d.err != nil {
				return nil
			}
			if seen[v] {
				d.fail("%s: value %s appears twice", what, formatAny(v))
				return nil
			}
			seen[v] = true
			values = append(values, v)
		}
		bms := make([]*roaring.Bitmap, 0, nv)
		var sum uint64
		for _, v := range values {
			bm := d.bitmap(fmt.Sprintf("%s value %s bitmap", what, formatAny(v)))
			if d.err != nil {
				return nil
			}
			sum += bm.GetCardinality()
			bms = append(bms, bm)
		}
		union := roaring.FastOr(bms...)
		switch {
		case !union.Equals(known):
			d.fail("%s: the value bitmaps do not cover exactly the known bitmap", what)
		case s.kind == KindCat && sum != known.GetCardinality():
			d.fail("%s: a customer has two values of a categorical field", what)
		}
		return newColumn(s, known, values, bms, nil)
	}
	offset := d.varint(what + " offset")
	np := d.count(what + " plane count")
	if np > 64 {
		d.fail("%s: %d bit planes, at most 64", what, np)
	}
	planes := make([]*roaring.Bitmap, 0, np)
	for i := range np {
		p := d.bitmap(fmt.Sprintf("%s plane %d", what, i))
		if d.err != nil {
			return nil
		}
		if !subset(p, known) {
			d.fail("%s: plane %d holds IDs without a value", what, i)
			return nil
		}
		planes = append(planes, p)
	}
	x := &bsi.BSI{Offset: offset, Planes: planes}
	if !known.IsEmpty() {
		lo, hi := bsiSpan(x, known)
		switch room := uint64(math.MaxInt64) - uint64(offset); { // MaxInt64 - offset, exactly
		case hi > room:
			d.fail("%s: values overflow int64", what)
		case s.kind == KindFlag && (offset+int64(lo) < 0 || offset+int64(hi) > 1):
			d.fail("%s: a flag value is neither false nor true", what)
		}
	}
	return newColumn(s, known, nil, nil, x)
}

// bsiSpan returns the smallest and largest offset-free value of x among
// known (non-empty), walking the planes from the top.
func bsiSpan(x *bsi.BSI, known *roaring.Bitmap) (lo, hi uint64) {
	maxSet, minSet := known.Clone(), known.Clone()
	for i := len(x.Planes) - 1; i >= 0; i-- {
		p := x.Planes[i]
		if hiSet := roaring.And(maxSet, p); !hiSet.IsEmpty() {
			maxSet, hi = hiSet, hi|1<<i
		}
		if loSet := roaring.AndNot(minSet, p); !loSet.IsEmpty() {
			minSet = loSet
		} else {
			lo |= 1 << i
		}
	}
	return lo, hi
}

func subset(a, b *roaring.Bitmap) bool { return a.AndCardinality(b) == a.GetCardinality() }

// newColumn makes a column of a base from its canonical parts: known, and
// either the values with their bitmaps (Cat, Set) or the bit-sliced index.
// Every column loaded from outside the package is made here, so that
// derived per-column structures are built in one place.
func newColumn(s fieldSpec, known *roaring.Bitmap, values []any, bms []*roaring.Bitmap, x *bsi.BSI) *column {
	c := &column{spec: s, known: known, values: values, bms: bms, bsi: x}
	if s.kind == KindCat || s.kind == KindSet {
		c.codes = make(map[any]uint32, len(values))
		for i, v := range values {
			c.codes[v] = uint32(i)
		}
	}
	c.finish(nil) // the evaluator's chunked views
	return c
}
