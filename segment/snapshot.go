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
)

// The snapshot format, version 1. All integers are little-endian.
//
//	header   "MSEG", version uint16 = 1, reserved uint16 = 0
//	frames   uint32 n, then n payload bytes (0 < n <= 65536); a frame
//	         with n = 0 ends the payload
//	checksum CRC-32C (Castagnoli) uint32 of every byte before it
//
// The payload, with uvarint/varint integers, strings as a uvarint length
// and bytes, and bitmaps as a uvarint length and the portable roaring
// serialization (https://github.com/RoaringBitmap/RoaringFormatSpec):
//
//	fields   count; per field: name, kind byte, value type tag byte
//	         (Cat, Set; else 0), scale (Decimal; else 0)
//	keys     count; the key of each ID in ID order
//	live     bitmap of the live IDs
//	per field, in schema order:
//	         known bitmap
//	         Cat, Set: value count; the values (by type tag); one bitmap
//	                   per value, in the same order
//	         others:   offset varint; plane count (<= 64); one bitmap per
//	                   plane of the bit-sliced index
const (
	snapshotMagic   = "MSEG"
	snapshotVersion = 1
	maxFrame        = 1 << 16
)

// ErrBadSnapshot is wrapped by every error of ReadBase about its input:
// truncated, corrupted, of another version, or inconsistent.
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
// ReadBase reads, and returns the number of bytes written. It fails, before
// writing anything, when a Cat or Set field has values of a type other than
// string, bool, the integer types and float64.
func (b *Base) WriteTo(w io.Writer) (int64, error) {
	for _, c := range b.cols {
		if c.bitmapKind() {
			if _, ok := tagOf(c.spec.vtype); !ok {
				return 0, fmt.Errorf("segment: write base: field %q: values of type %s cannot be written; use string, bool, an integer type or float64", c.spec.name, typeName(c.spec.vtype))
			}
		}
	}
	fw := &frameWriter{w: w, crc: crc32.New(castagnoli), buf: make([]byte, 0, maxFrame)}
	var hdr [8]byte
	copy(hdr[:], snapshotMagic)
	binary.LittleEndian.PutUint16(hdr[4:], snapshotVersion)
	fw.raw(hdr[:])

	e := &encoder{fw: fw}
	e.uvarint(uint64(len(b.cols)))
	for _, c := range b.cols {
		tag, _ := tagOf(c.spec.vtype)
		e.str(c.spec.name)
		e.bytes([]byte{byte(c.spec.kind), tag})
		e.uvarint(uint64(c.spec.scale))
	}
	n := b.dict.Len()
	e.uvarint(uint64(n))
	for id := range n {
		k, _ := b.dict.Key(id)
		e.str(k)
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
	fw.close()
	if fw.err != nil {
		return fw.n, fmt.Errorf("segment: write base: %w", fw.err)
	}
	return fw.n, nil
}

// frameWriter cuts the payload into frames and checksums every byte.
type frameWriter struct {
	w   io.Writer
	crc hash.Hash32
	buf []byte
	n   int64
	err error
}

func (fw *frameWriter) raw(p []byte) {
	if fw.err != nil {
		return
	}
	fw.crc.Write(p)
	n, err := fw.w.Write(p)
	fw.n += int64(n)
	fw.err = err
}

func (fw *frameWriter) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 && fw.err == nil {
		k := min(len(p), maxFrame-len(fw.buf))
		fw.buf = append(fw.buf, p[:k]...)
		p = p[k:]
		if len(fw.buf) == maxFrame {
			fw.flush()
		}
	}
	if fw.err != nil {
		return 0, fw.err
	}
	return total, nil
}

func (fw *frameWriter) flush() {
	if len(fw.buf) == 0 {
		return
	}
	var l [4]byte
	binary.LittleEndian.PutUint32(l[:], uint32(len(fw.buf)))
	fw.raw(l[:])
	fw.raw(fw.buf)
	fw.buf = fw.buf[:0]
}

func (fw *frameWriter) close() {
	fw.flush()
	fw.raw([]byte{0, 0, 0, 0})
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], fw.crc.Sum32())
	if fw.err == nil {
		n, err := fw.w.Write(sum[:])
		fw.n += int64(n)
		fw.err = err
	}
}

type encoder struct {
	fw  *frameWriter
	tmp [binary.MaxVarintLen64]byte
}

func (e *encoder) bytes(p []byte)   { e.fw.Write(p) }
func (e *encoder) uvarint(v uint64) { e.bytes(binary.AppendUvarint(e.tmp[:0], v)) }
func (e *encoder) varint(v int64)   { e.bytes(binary.AppendVarint(e.tmp[:0], v)) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.bytes([]byte(s)) }
func (e *encoder) float(f float64) {
	e.bytes(binary.LittleEndian.AppendUint64(e.tmp[:0], math.Float64bits(f)))
}
func (e *encoder) bitmap(bm *roaring.Bitmap) {
	e.uvarint(bm.GetSerializedSizeInBytes())
	if e.fw.err == nil {
		if _, err := bm.WriteTo(e.fw); err != nil && e.fw.err == nil {
			e.fw.err = err
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
