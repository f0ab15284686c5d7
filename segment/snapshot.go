package segment

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/fabeed28/microseg/internal/keydict"
)

// The snapshot format, version 2. All integers are little-endian.
//
//	header   "MSEG", version uint16 = 2, reserved uint16 = 0
//	length   uint64: the payload's bytes
//	payload  (below)
//	checksum CRC-32C (Castagnoli) uint32 of every byte before it
//
// The payload is in one piece, so that OpenBase can read the bitmaps and
// the keys where they lie. Version 1, which ReadBase and OpenBase still
// read, cut its payload into frames instead of giving its length, and
// wrote its keys otherwise (below):
//
//	frames   uint32 n, then n payload bytes (0 < n <= 65536); a frame
//	         with n = 0 ends the payload
//
// The payload, with uvarint/varint integers, strings as a uvarint length
// and bytes, and bitmaps as a uvarint length and the portable roaring
// serialization (https://github.com/RoaringBitmap/RoaringFormatSpec):
//
//	fields   count; per field: name, kind byte, value type tag byte
//	         (Cat, Set; else 0), scale (Decimal; else 0)
//	keys     count n; byte count; n uint32 ends, then the bytes of the
//	         keys in ID order. The keys come in pages of 4096 IDs (the
//	         last may hold fewer), and a key's end is the end of its bytes
//	         counted from the first byte of its page's keys, so that the
//	         key dictionary reads ends and bytes where they lie. (Version
//	         1: count; then each key as a string.)
//	live     bitmap of the live IDs
//	per field, in schema order:
//	         known bitmap
//	         Cat, Set: value count; the values (by type tag); one bitmap
//	                   per value, in the same order
//	         others:   offset varint; plane count (<= 64); one bitmap per
//	                   plane of the bit-sliced index
const (
	snapshotMagic   = "MSEG"
	snapshotVersion = 2
	framedVersion   = 1 // the version whose payload is cut into frames
	maxFrame        = 1 << 16
	headerBytes     = 16 // of version 2: magic, version, reserved, length
)

// ErrBadSnapshot is wrapped by every error of ReadBase and OpenBase about
// their input: truncated, corrupted, of another version, or inconsistent.
var ErrBadSnapshot = errors.New("bad snapshot")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Value type tags of Cat and Set fields. A tag's position is its number.
var valueTypes = []any{
	nil, (*string)(nil), (*bool)(nil),
	(*int)(nil), (*int8)(nil), (*int16)(nil), (*int32)(nil), (*int64)(nil),
	(*uint)(nil), (*uint8)(nil), (*uint16)(nil), (*uint32)(nil), (*uint64)(nil),
	(*float64)(nil),
}

func tagOf(vtype any) (byte, bool) {
	for i, t := range valueTypes {
		if i > 0 && t == vtype {
			return byte(i), true
		}
	}
	return 0, false
}

// WriteTo writes the base to w in the versioned snapshot format that
// ReadBase and OpenBase read, and returns the number of bytes written. It
// fails, before writing anything, when a Cat or Set field has values of a
// type other than string, bool, the integer types and float64.
func (b *Base) WriteTo(w io.Writer) (int64, error) {
	for _, c := range b.cols {
		if c.bitmapKind() {
			if _, ok := tagOf(c.spec.vtype); !ok {
				return 0, fmt.Errorf("segment: write base: field %q: values of type %s cannot be written; use string, bool, an integer type or float64", c.spec.name, typeName(c.spec.vtype))
			}
		}
	}
	size := &encoder{} // measures the payload: no bytes, no bitmap serialized
	b.encodePayload(size, snapshotVersion)
	if size.err != nil {
		return 0, fmt.Errorf("segment: write base: %w", size.err)
	}
	e := &encoder{w: w, crc: crc32.New(castagnoli), buf: make([]byte, 0, maxFrame)}
	var hdr [headerBytes]byte
	copy(hdr[:], snapshotMagic)
	binary.LittleEndian.PutUint16(hdr[4:], snapshotVersion)
	binary.LittleEndian.PutUint64(hdr[8:], uint64(size.n))
	e.bytes(hdr[:])
	b.encodePayload(e, snapshotVersion)
	if e.err == nil && e.n != headerBytes+size.n {
		e.err = fmt.Errorf("payload of %d bytes, measured %d", e.n-headerBytes, size.n) // a bug, not an input
	}
	e.flush()
	if e.err == nil {
		sum := binary.LittleEndian.AppendUint32(nil, e.crc.Sum32())
		n, err := w.Write(sum)
		e.written += int64(n)
		e.err = err
	}
	if e.err != nil {
		return e.written, fmt.Errorf("segment: write base: %w", e.err)
	}
	return e.written, nil
}

// encodePayload writes the payload of b's snapshot, of the given version,
// to e.
func (b *Base) encodePayload(e *encoder, version int) {
	e.uvarint(uint64(len(b.cols)))
	for _, c := range b.cols {
		tag, _ := tagOf(c.spec.vtype)
		e.str(c.spec.name)
		e.bytes([]byte{byte(c.spec.kind), tag})
		e.uvarint(uint64(c.spec.scale))
	}
	n := b.dict.Len()
	e.uvarint(uint64(n))
	if version == framedVersion {
		for id := range n {
			k, _ := b.dict.Key(id)
			e.str(k)
		}
	} else {
		e.keys(b.dict)
	}
	e.bitmap(b.live)
	for _, c := range b.cols {
		e.bitmap(c.known)
		if c.bitmapKind() {
			tag, _ := tagOf(c.spec.vtype)
			e.uvarint(uint64(len(c.values)))
			for _, v := range c.values {
				e.value(tag, v)
			}
			for _, bm := range c.bms {
				e.bitmap(bm)
			}
			continue
		}
		x := c.bsi
		if x == nil {
			x = &bsi.BSI{}
		}
		e.varint(x.Offset)
		e.uvarint(uint64(len(x.Planes)))
		for _, p := range x.Planes {
			e.bitmap(p)
		}
	}
}

// encoder writes a snapshot through a buffer of 64 KiB and checksums every
// byte; without a writer it only counts the bytes it would write. The
// first error sticks.
type encoder struct {
	w       io.Writer // nil: measure only
	crc     hash.Hash32
	buf     []byte
	n       int64 // bytes passed to Write
	written int64 // bytes w took
	err     error
	tmp     [binary.MaxVarintLen64]byte
}

// Write buffers p; it writes a p of the buffer's size or more through.
func (e *encoder) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	e.n += int64(len(p))
	if e.w == nil {
		return len(p), nil
	}
	if len(e.buf)+len(p) > cap(e.buf) {
		e.flush()
		if len(p) >= cap(e.buf) {
			e.out(p)
			return len(p), e.err
		}
	}
	e.buf = append(e.buf, p...)
	return len(p), e.err
}

func (e *encoder) flush() {
	e.out(e.buf)
	e.buf = e.buf[:0]
}

func (e *encoder) out(p []byte) {
	if e.err != nil || len(p) == 0 {
		return
	}
	e.crc.Write(p)
	n, err := e.w.Write(p)
	e.written += int64(n)
	e.err = err
}

func (e *encoder) bytes(p []byte)   { e.Write(p) }
func (e *encoder) uvarint(v uint64) { e.bytes(binary.AppendUvarint(e.tmp[:0], v)) }
func (e *encoder) varint(v int64)   { e.bytes(binary.AppendVarint(e.tmp[:0], v)) }
func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	switch {
	case e.w == nil || e.err != nil:
		e.n += int64(len(s))
	case len(e.buf)+len(s) <= cap(e.buf): // no []byte(s) to allocate
		e.n += int64(len(s))
		e.buf = append(e.buf, s...)
	default:
		e.bytes([]byte(s))
	}
}

// keys writes the keys of d as version 2 does: their byte count, their
// ends within their pages, their bytes.
func (e *encoder) keys(d *keydict.Dict) {
	n := d.Len()
	var total, page uint64
	for id := range n {
		k, _ := d.Key(id)
		if id%keydict.PageSize == 0 {
			page = 0
		}
		if page += uint64(len(k)); page > keydict.MaxPageBytes && e.err == nil {
			e.err = fmt.Errorf("the keys of IDs %d to %d take more than the 4 GiB a page of %d keys may take", id&^(keydict.PageSize-1), id, keydict.PageSize)
		}
		total += uint64(len(k))
	}
	e.uvarint(total)
	if e.w == nil || e.err != nil {
		e.n += 4*int64(n) + int64(total)
		return
	}
	var end uint32
	for id := range n {
		k, _ := d.Key(id)
		if id%keydict.PageSize == 0 {
			end = 0
		}
		end += uint32(len(k))
		if len(e.buf)+4 > cap(e.buf) {
			e.flush()
		}
		e.n += 4
		e.buf = binary.LittleEndian.AppendUint32(e.buf, end)
	}
	for id := range n {
		k, _ := d.Key(id)
		if len(e.buf)+len(k) <= cap(e.buf) {
			e.n += int64(len(k))
			e.buf = append(e.buf, k...)
		} else {
			e.bytes([]byte(k))
		}
	}
}

func (e *encoder) float(f float64) {
	e.bytes(binary.LittleEndian.AppendUint64(e.tmp[:0], math.Float64bits(f)))
}
func (e *encoder) bitmap(bm *roaring.Bitmap) {
	size := bm.GetSerializedSizeInBytes()
	e.uvarint(size)
	if e.w == nil {
		e.n += int64(size)
		return
	}
	if e.err == nil {
		if _, err := bm.WriteTo(e); err != nil && e.err == nil {
			e.err = err
		}
	}
}
func (e *encoder) value(tag byte, v any) {
	switch x := v.(type) {
	case string:
		e.str(x)
	case bool:
		if x {
			e.bytes([]byte{1})
		} else {
			e.bytes([]byte{0})
		}
	case int:
		e.varint(int64(x))
	case int8:
		e.varint(int64(x))
	case int16:
		e.varint(int64(x))
	case int32:
		e.varint(int64(x))
	case int64:
		e.varint(x)
	case uint:
		e.uvarint(uint64(x))
	case uint8:
		e.uvarint(uint64(x))
	case uint16:
		e.uvarint(uint64(x))
	case uint32:
		e.uvarint(uint64(x))
	case uint64:
		e.uvarint(x)
	case float64:
		e.float(x)
	}
}
