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
	"slices"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/fabeed28/microseg/internal/engine"
	"github.com/fabeed28/microseg/internal/keydict"
)

// ReadBase reads a base that Base.WriteTo wrote. It reads exactly the
// snapshot's bytes from r, so several snapshots may follow each other in one
// stream. Input that is truncated, corrupted, of an unknown version or
// inconsistent is rejected with an error wrapping ErrBadSnapshot; ReadBase
// never panics on input. A base written and read back has the same keys,
// IDs, fields and answers.
//
// Its work is linear in the snapshot's size: every bitmap is validated in
// one pass over its bytes, then read where it lies in the payload, as are
// the keys (version 2); ReadBase reads the payload into one buffer that
// the base keeps (see OpenBase for a base over bytes the caller holds).
//
// ReadBase allocates at most 64 times the bytes it reads, plus 1 MiB,
// whatever the input claims: counts are trusted only as far as the bytes
// left can hold their items. Snapshots of real data take well under 16
// times (7 to 11 in the tests); the multiple is reached by inputs made of
// the smallest items, such as thousands of fields of empty bitmaps (9 bytes
// each in the snapshot, a few hundred bytes each in memory with their
// evaluator views). The evaluator's code columns (a 64 KiB page per chunk
// of IDs of a field with 7 or 8 bit planes, however few customers the
// chunk holds) are built while they fit in 8 times the payload; fields
// past that are answered from their bit planes alone: the same answers, a
// little slower.
func ReadBase(r io.Reader) (*Base, error) {
	payload, v, err := readSnapshot(r)
	if err != nil {
		return nil, err
	}
	return decodePayload(payload, v)
}

func badSnapshot(format string, args ...any) error {
	return fmt.Errorf("segment: read base: %w: "+format, append([]any{ErrBadSnapshot}, args...)...)
}

// checkHeader checks the magic and reserved bytes of the first 8 bytes of a
// snapshot and returns its version, 1 or 2.
func checkHeader(hdr []byte) (uint16, error) {
	if string(hdr[:4]) != snapshotMagic {
		return 0, badSnapshot("not a microseg snapshot: starts with %q, want %q", hdr[:4], snapshotMagic)
	}
	v := binary.LittleEndian.Uint16(hdr[4:])
	if v != snapshotVersion && v != framedVersion {
		return 0, badSnapshot("unknown version %d, this library reads versions %d and %d", v, framedVersion, snapshotVersion)
	}
	if binary.LittleEndian.Uint16(hdr[6:]) != 0 {
		return 0, badSnapshot("reserved header bytes are not zero")
	}
	return v, nil
}

// readSnapshot reads the header, the payload and the checksum, verifies the
// checksum and returns the payload, in memory of its own.
func readSnapshot(r io.Reader) ([]byte, uint16, error) {
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
	var hdr [headerBytes]byte
	if err := read(hdr[:8], "header"); err != nil {
		return nil, 0, err
	}
	v, err := checkHeader(hdr[:])
	if err != nil {
		return nil, 0, err
	}
	var payload []byte
	if v == framedVersion {
		var buf bytes.Buffer
		var l [4]byte
		for {
			if err := read(l[:], "frame length"); err != nil {
				return nil, 0, err
			}
			n := binary.LittleEndian.Uint32(l[:])
			if n == 0 {
				break
			}
			if n > maxFrame {
				return nil, 0, badSnapshot("frame of %d bytes at byte %d, frames hold at most %d", n, off-4, maxFrame)
			}
			// Grow only as bytes arrive: a frame costs at most 64 KiB
			// before its bytes are read.
			start := buf.Len()
			got, err := io.CopyN(&buf, r, int64(n))
			off += got
			crc.Write(buf.Bytes()[start:])
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil, 0, badSnapshot("truncated at byte %d, reading a frame of %d bytes", off, n)
				}
				return nil, 0, fmt.Errorf("segment: read base: %w", err)
			}
		}
		payload = buf.Bytes()
	} else {
		if err := read(hdr[8:], "payload length"); err != nil {
			return nil, 0, err
		}
		n := binary.LittleEndian.Uint64(hdr[8:])
		if n > math.MaxInt-headerBytes-4 {
			return nil, 0, badSnapshot("payload of %d bytes", n)
		}
		// Grow only as bytes arrive (doubling from 4 KiB), unless r says
		// it holds them all.
		payload = make([]byte, 0, min(n, 4<<10))
		if lr, ok := r.(interface{ Len() int }); ok && n <= uint64(lr.Len()) {
			payload = make([]byte, 0, n)
		}
		for uint64(len(payload)) < n {
			if len(payload) == cap(payload) {
				payload = slices.Grow(payload, int(min(n-uint64(len(payload)), uint64(len(payload)))))
			}
			chunk := payload[len(payload):min(cap(payload), int(n))]
			got, err := io.ReadFull(r, chunk)
			off += int64(got)
			payload = payload[:len(payload)+got]
			if err != nil {
				if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
					return nil, 0, badSnapshot("truncated at byte %d, reading a payload of %d bytes", off, n)
				}
				return nil, 0, fmt.Errorf("segment: read base: %w", err)
			}
		}
		crc.Write(payload)
	}
	want := crc.Sum32()
	var sum [4]byte
	if err := read(sum[:], "checksum"); err != nil {
		return nil, 0, err
	}
	if got := binary.LittleEndian.Uint32(sum[:]); got != want {
		return nil, 0, badSnapshot("checksum mismatch: stored %08x, computed %08x", got, want)
	}
	return payload, v, nil
}

// decoder reads the payload. Every count is checked against the bytes its
// items need at the least before anything is allocated for it, so that
// memory follows the bytes read. The first error sticks.
type decoder struct {
	b   []byte
	err error
}

// label names what the decoder reads, for errors; it is formatted only
// when one occurs, so that reading allocates no messages.
type label struct {
	field string // the field being read, or ""
	item  string // "field count", "plane", ...
	index int    // the item's number (a plane, a value), or -1
	len   bool   // the length prefix of the item
}

func (l label) String() string {
	s := l.item
	if l.field != "" {
		s = fmt.Sprintf("field %q %s", l.field, s)
	}
	if l.index >= 0 {
		s += " " + strconv.Itoa(l.index)
	}
	if l.len {
		s += " length"
	}
	return s
}

func at(item string) label                     { return label{item: item, index: -1} }
func fieldAt(field, item string) label         { return label{field: field, item: item, index: -1} }
func fieldAtN(field, item string, i int) label { return label{field: field, item: item, index: i} }

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = badSnapshot(format, args...)
	}
}

func (d *decoder) uvarint(what label) uint64 {
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

func (d *decoder) varint(what label) int64 {
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
func (d *decoder) count(what label) int {
	n := d.uvarint(what)
	if n > uint64(len(d.b)) {
		d.fail("%s %d exceeds the %d bytes left", what, n, len(d.b))
		return 0
	}
	return int(n)
}

// room returns how many of n items, each taking at least size bytes, the
// bytes left can hold: the capacity to allocate for them up front. A count
// too large for the bytes left fails later, when the bytes run out.
func (d *decoder) room(n, size int) int { return min(n, len(d.b)/size) }

func (d *decoder) next(n int, what label) []byte {
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

func (d *decoder) length(what label) int {
	what.len = true
	return d.count(what)
}

func (d *decoder) str(what label) string { return string(d.next(d.length(what), what)) }

// bitmap reads a portable roaring bitmap, validates it in one pass
// (engine.Check) and returns it with its evaluator view; both read the
// bitmap's bytes in the payload, which they keep (nothing is copied).
func (d *decoder) bitmap(what label) (*roaring.Bitmap, *engine.Frozen) {
	p := d.next(d.length(what), what)
	if d.err != nil {
		return nil, nil
	}
	if err := engine.Check(p); err != nil {
		d.fail("%s: invalid roaring bitmap: %v", what, err)
		return nil, nil
	}
	return engine.View(p)
}

// Least sizes in the payload, by which counts are checked.
const (
	minBitmapBytes = 1 + len(emptyPortable) // length prefix and an empty bitmap
	// A field: its declaration (name of one byte, kind, tag, scale) and its
	// column (a known bitmap and either a value count or an offset and a
	// plane count).
	minFieldBytes = 5 + minBitmapBytes + 1
	minValueBytes = 1 + minBitmapBytes
)

// emptyPortable is the portable serialization of an empty bitmap.
const emptyPortable = "\x3a\x30\x00\x00\x00\x00\x00\x00"

// readPortable decodes exactly p as one portable roaring bitmap, validated
// in one pass (engine.Check), into memory of its own.
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
	if err := engine.Check(p); err != nil {
		return nil, fmt.Errorf("invalid roaring bitmap: %v", err)
	}
	return bm, nil
}

func (d *decoder) value(tag byte, what label) any {
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

// decodePayload decodes a checksummed payload of the given version and
// checks every invariant a Base relies on. The bitmaps of the base read
// their containers in payload (see decoder.bitmap), and of version 2 its
// keys too: payload must not change while the base is in use.
func decodePayload(payload []byte, version uint16) (*Base, error) {
	d := &decoder{b: payload}
	nf := d.count(at("field count"))
	specs := make([]fieldSpec, 0, d.room(nf, minFieldBytes))
	byName := make(map[string]int, cap(specs))
	for i := range nf {
		name := d.str(fieldAtN("", "name of field", i))
		kt := d.next(2, at("field kind"))
		scale := d.uvarint(at("field scale"))
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

	nk := d.count(at("key count"))
	var dict *keydict.Dict
	if version == framedVersion {
		dict = d.keys(nk)
	} else {
		dict = d.keysInPlace(nk)
	}
	live, _ := d.bitmap(at("live bitmap"))
	if d.err != nil {
		return nil, d.err
	}
	if !live.IsEmpty() && uint64(live.Maximum()) >= uint64(nk) {
		return nil, badSnapshot("live ID %d is not below the key count %d", live.Maximum(), nk)
	}

	base := &Base{dict: dict, live: live, byName: byName, cols: make([]*column, 0, len(specs))}
	codes := codeBudget * int64(len(payload))
	for _, s := range specs {
		c := d.column(s, live, &codes)
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

// keysInPlace reads the nk keys of a version 2 payload (nk at most the
// bytes left) into the dictionary, whose pages read the ends and the bytes
// where they lie. It checks that every key is non-empty and within the
// bytes: the ends of a page increase from above 0, and the pages' last
// ends add up to the byte count.
func (d *decoder) keysInPlace(nk int) *keydict.Dict {
	total := d.uvarint(at("key byte count"))
	ends := keydict.EndsOf(d.next(4*nk, at("key ends")))
	if d.err != nil {
		return nil
	}
	if total > uint64(len(d.b)) {
		d.fail("key byte count %d exceeds the %d bytes left", total, len(d.b))
		return nil
	}
	data := d.next(int(total), at("keys"))
	var sum uint64
	for lo := 0; lo < nk; lo += keydict.PageSize {
		prev := uint32(0)
		for i, e := range ends[lo:min(lo+keydict.PageSize, nk)] {
			if e <= prev {
				d.fail("key %d is empty or ends before the key before it (at %d, after %d)", lo+i, e, prev)
				return nil
			}
			prev = e
		}
		if sum += uint64(prev); sum > total {
			d.fail("the keys through ID %d take more than the key byte count %d", min(lo+keydict.PageSize, nk)-1, total)
			return nil
		}
	}
	if sum != total {
		d.fail("the keys take %d bytes, the key byte count says %d", sum, total)
		return nil
	}
	p := keydict.Packed{Data: data[:total:total], Ends: ends[:nk:nk]}
	dict, dup := keydict.FromPacked(p)
	if dict == nil {
		d.fail("key %d %q is empty or repeated", dup, keyAt(p, dup))
		return nil
	}
	return dict
}

// keys reads nk keys (nk at most the bytes left) of a version 1 payload
// into the dictionary. It
// measures them first, so that their bytes go into one buffer laid out as
// the dictionary's pages (keydict.Packed): no string per key.
func (d *decoder) keys(nk int) *keydict.Dict {
	if d.err != nil {
		return nil
	}
	b := d.b
	total, page := 0, 0
	for i := range nk {
		l, n := keyLen(b)
		switch {
		case n <= 0:
			d.fail("bad or truncated %s", label{item: "key", index: i, len: true})
		case l > uint64(len(b)-n):
			d.fail("%s %d exceeds the %d bytes left", label{item: "key", index: i, len: true}, l, len(b)-n)
		case l == 0:
			d.fail("key %d %q is empty or repeated", i, "")
		}
		if d.err != nil {
			return nil
		}
		b = b[n+int(l):]
		if i%keydict.PageSize == 0 {
			page = 0
		}
		if page += int(l); page > keydict.MaxPageBytes {
			return d.keysOneByOne(nk) // a page of more than 4 GiB of keys
		}
		total += int(l)
	}
	p := keydict.Packed{Data: make([]byte, total), Ends: make([]uint32, nk)}
	off, start := 0, 0
	b, data := d.b, p.Data
	for i := range nk {
		l, n := keyLen(b)
		if i%keydict.PageSize == 0 {
			start = off
		}
		end := n + int(l)
		off += copy(data[off:], b[n:end])
		p.Ends[i] = uint32(off - start)
		b = b[end:]
	}
	d.b = b
	dict, dup := keydict.FromPacked(p)
	if dict == nil {
		d.fail("key %d %q is empty or repeated", dup, keyAt(p, dup))
		return nil
	}
	return dict
}

// keyLen is binary.Uvarint, quicker for the one-byte lengths of most keys.
func keyLen(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	return binary.Uvarint(b)
}

// keyAt returns key i of p.
func keyAt(p keydict.Packed, i int) string {
	pageStart := 0
	first := i - i%keydict.PageSize
	for j := keydict.PageSize - 1; j < first; j += keydict.PageSize {
		pageStart += int(p.Ends[j])
	}
	lo := pageStart
	if i > first {
		lo += int(p.Ends[i-1])
	}
	return string(p.Data[lo : pageStart+int(p.Ends[i])])
}

// keysOneByOne reads nk keys through a keydict.Writer, a string each: for
// pages of keys too large for keydict.Packed.
func (d *decoder) keysOneByOne(nk int) *keydict.Dict {
	w := keydict.NewWriter(nil)
	for id := range nk {
		k := d.str(at("key"))
		if d.err != nil {
			return nil
		}
		if _, added := w.Insert(k); !added || k == "" {
			d.fail("key %d %q is empty or repeated", id, k)
			return nil
		}
	}
	return w.Dict()
}

// column reads one field's indexes and checks them against live. An index
// of 7 or 8 planes gets its code column while *codes allows (see
// codeBudget). The column's bitmaps and their views read the payload.
func (d *decoder) column(s fieldSpec, live *roaring.Bitmap, codes *int64) *column {
	known, fzKnown := d.bitmap(fieldAt(s.name, "known bitmap"))
	if d.err != nil {
		return nil
	}
	if !subset(known, live) {
		d.fail("field %q: known bitmap holds IDs that are not live", s.name)
		return nil
	}
	c := &column{spec: s, known: known, fzKnown: fzKnown}
	if s.kind == KindCat || s.kind == KindSet {
		tag, _ := tagOf(s.vtype)
		nv := d.count(fieldAt(s.name, "value count"))
		values := make([]any, 0, d.room(nv, minValueBytes))
		ids := make(map[any]uint32, cap(values))
		for i := range nv {
			v := d.value(tag, fieldAtN(s.name, "value", i))
			if d.err != nil {
				return nil
			}
			if _, dup := ids[v]; dup {
				d.fail("field %q: value %s appears twice", s.name, formatAny(v))
				return nil
			}
			ids[v] = uint32(i)
			values = append(values, v)
		}
		bms := make([]*roaring.Bitmap, 0, len(values))
		fzs := make([]*engine.Frozen, 0, len(values))
		var sum uint64
		for i := range values {
			bm, fz := d.bitmap(fieldAtN(s.name, "bitmap of value", i))
			if d.err != nil {
				return nil
			}
			sum += bm.GetCardinality()
			bms, fzs = append(bms, bm), append(fzs, fz)
		}
		switch union := roaring.FastOr(bms...); {
		case !union.Equals(known):
			d.fail("field %q: the value bitmaps do not cover exactly the known bitmap", s.name)
		case s.kind == KindCat && sum != known.GetCardinality():
			d.fail("field %q: a customer has two values of a categorical field", s.name)
		}
		c.values, c.codes, c.bms, c.fzBms = values, ids, bms, fzs
		c.finish(c) // the views are made: finish keeps them
		return c
	}
	offset := d.varint(fieldAt(s.name, "offset"))
	np := d.count(fieldAt(s.name, "plane count"))
	if np > 64 {
		d.fail("field %q: %d bit planes, at most 64", s.name, np)
		return nil
	}
	planes := make([]*roaring.Bitmap, 0, np)
	fzs := make([]*engine.Frozen, 0, np)
	for i := range np {
		p, fz := d.bitmap(fieldAtN(s.name, "plane", i))
		if d.err != nil {
			return nil
		}
		if !subset(p, known) {
			d.fail("field %q: plane %d holds IDs without a value", s.name, i)
			return nil
		}
		engine.Densify(fz)
		planes, fzs = append(planes, p), append(fzs, fz)
	}
	x := &bsi.BSI{Offset: offset, Planes: planes}
	if !known.IsEmpty() {
		lo, hi := bsiSpan(x, known)
		switch room := uint64(math.MaxInt64) - uint64(offset); { // MaxInt64 - offset, exactly
		case hi > room:
			d.fail("field %q: values overflow int64", s.name)
		case s.kind == KindFlag && (offset+int64(lo) < 0 || offset+int64(hi) > 1):
			d.fail("field %q: a flag value is neither false nor true", s.name)
		}
	}
	c.bsi, c.fzPlanes = x, fzs
	if len(planes) >= 7 && len(planes) <= 8 { // the depths BuildCodes serves
		cost := int64(known.Stats().Containers) * codePageBytes
		if cost > *codes {
			c.skipCodes = true
		} else {
			*codes -= cost
		}
	}
	c.finish(c) // the views are made: finish keeps them and builds the code column
	return c
}

// bsiSpan returns the smallest and largest offset-free value of x among
// known (non-empty), walking the planes from the top. It allocates only for
// planes that split the customers it still follows.
func bsiSpan(x *bsi.BSI, known *roaring.Bitmap) (lo, hi uint64) {
	maxSet, minSet := known, known // never modified: And and AndNot make new ones
	for i := len(x.Planes) - 1; i >= 0; i-- {
		p := x.Planes[i]
		if maxSet.Intersects(p) {
			maxSet, hi = roaring.And(maxSet, p), hi|1<<i
		}
		switch n := minSet.AndCardinality(p); {
		case n == minSet.GetCardinality():
			lo |= 1 << i
		case n > 0:
			minSet = roaring.AndNot(minSet, p)
		}
	}
	return lo, hi
}

func subset(a, b *roaring.Bitmap) bool { return a.AndCardinality(b) == a.GetCardinality() }

// codeBudget is the memory, per byte of payload, that decodePayload lets
// the evaluator's code columns take (engine.BuildCodes: for an index of 7
// or 8 bit planes, a 64 KiB page per chunk of IDs that holds a customer
// with a value). A page costs the same for one customer as for 65,536, and
// the bytes that describe a chunk's customers can be few (a run), so a
// snapshot of many fields could otherwise ask for far more memory than it
// holds. A base of real data needs about a byte per customer per such field
// and at least three bytes per customer for its keys: its fields get their
// code columns; the fields past the budget do without them, and are
// answered from their bit planes instead (the same answers, slower).
const codeBudget = 8

// codePageBytes is the memory of one page of a code column.
const codePageBytes = 1 << 16
