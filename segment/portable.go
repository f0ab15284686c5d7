package segment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// ErrBadSegment is wrapped by every error of ReadSegment about its input.
var ErrBadSegment = errors.New("bad segment")

// The two headers of the keys CSV. keysHeader lists the keys as they are
// (CSV-quoted where CSV needs it); escapedKeysHeader lists each key as the
// inside of a Go string literal, without its enclosing double quotes
// (strconv.Quote's escapes: "a\r\nb" for a key of a carriage return and a
// line feed). CSV readers, Go's among them, read a carriage return and line
// feed inside a quoted field as a line feed alone, so a key with a carriage
// return does not survive the first form.
const (
	keysHeader        = "id,key"
	escapedKeysHeader = "id,escaped_key"
)

// WriteSegment writes a segment so that other systems can use it: the IDs
// to bitmap in the portable roaring serialization
// (https://github.com/RoaringBitmap/RoaringFormatSpec), which CRoaring, Java
// RoaringBitmap, ClickHouse, Apache Doris and StarRocks, and PostgreSQL's
// roaringbitmap extension read; and, unless keys is nil, the key of every
// ID to keys as CSV with one row per ID in increasing order. Every ID must
// have been assigned by base (removed customers keep their keys). base may
// be nil when keys is nil.
//
// The CSV's header is "id,key" and each key is written as it is (quoted as
// CSV requires), as every version of this library has written it, unless a
// key holds a carriage return: then the header is "id,escaped_key" and
// every key is written as the inside of a Go string literal (a key of "a",
// CR, LF, "b" as a\r\nb; a key of `say "hi"` as say \"hi\"), so that keys
// read back exactly.
func WriteSegment(bitmap, keys io.Writer, base *Base, ids *roaring.Bitmap) error {
	if ids == nil {
		ids = roaring.New()
	}
	if keys != nil && base == nil {
		return errors.New("segment: write segment: keys need the base that assigned the IDs")
	}
	if base != nil && !ids.IsEmpty() && ids.Maximum() >= base.IDCount() {
		return fmt.Errorf("segment: write segment: ID %d was never assigned; the base has %d IDs", ids.Maximum(), base.IDCount())
	}
	if _, err := ids.WriteTo(bitmap); err != nil {
		return fmt.Errorf("segment: write segment: %w", err)
	}
	if keys == nil {
		return nil
	}
	escape := false
	for it := ids.Iterator(); it.HasNext() && !escape; {
		k, _ := base.Key(it.Next())
		escape = strings.ContainsRune(k, '\r')
	}
	header := keysHeader
	if escape {
		header = escapedKeysHeader
	}
	cw := csv.NewWriter(keys)
	cw.Write(strings.Split(header, ","))
	it := ids.Iterator()
	for it.HasNext() {
		id := it.Next()
		k, _ := base.Key(id)
		if escape {
			k = escapeKey(k)
		}
		if err := cw.Write([]string{strconv.FormatUint(uint64(id), 10), k}); err != nil {
			return fmt.Errorf("segment: write segment keys: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("segment: write segment keys: %w", err)
	}
	return nil
}

// escapeKey returns k as the inside of a Go string literal.
func escapeKey(k string) string {
	q := strconv.Quote(k)
	return q[1 : len(q)-1]
}

// unescapeKey is the inverse of escapeKey. It fails on what strconv.Unquote
// rejects, such as a bare double quote or an unknown escape.
func unescapeKey(s string) (string, error) { return strconv.Unquote(`"` + s + `"`) }

// ReadSegment reads a segment that WriteSegment (or any roaring
// implementation, for the bitmap) wrote. It reads all of bitmap, which must
// hold exactly one portable 32-bit roaring bitmap. Unless keys is nil, it
// also reads the keys CSV, in either form WriteSegment writes ("id,key" or
// "id,escaped_key", see WriteSegment), and returns the key of every ID; the
// CSV must list exactly the bitmap's IDs, each once, with keys that are not
// empty and not listed for two IDs. Errors about the input wrap
// ErrBadSegment and name the line of the CSV (counting lines, not records:
// a quoted key may span several).
//
// ReadSegment allocates at most 64 times the bytes it reads, plus 1 MiB.
func ReadSegment(bitmap, keys io.Reader) (*roaring.Bitmap, map[uint32]string, error) {
	data, err := io.ReadAll(bitmap)
	if err != nil {
		return nil, nil, fmt.Errorf("segment: read segment: %w", err)
	}
	ids, err := readPortable(data)
	if err != nil {
		return nil, nil, fmt.Errorf("segment: read segment: %w: %v", ErrBadSegment, err)
	}
	if keys == nil {
		return ids, nil, nil
	}
	bad := func(line int, format string, args ...any) error {
		return fmt.Errorf("segment: read segment keys: %w: line %d: "+format, append([]any{ErrBadSegment, line}, args...)...)
	}
	cr := csv.NewReader(keys)
	cr.FieldsPerRecord = 2
	cr.ReuseRecord = true
	out := make(map[uint32]string)
	idOf := make(map[string]uint32)
	escaped := false
	for rec := 0; ; rec++ {
		fields, err := cr.Read()
		if err == io.EOF {
			if rec == 0 {
				return nil, nil, bad(1, "empty, want the header %q or %q", keysHeader, escapedKeysHeader)
			}
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, bad(pe.Line, "%v", pe.Err)
			}
			return nil, nil, fmt.Errorf("segment: read segment keys: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if rec == 0 {
			switch h := strings.Join(fields, ","); h {
			case keysHeader:
			case escapedKeysHeader:
				escaped = true
			default:
				return nil, nil, bad(line, "header %q, want %q or %q", fields, keysHeader, escapedKeysHeader)
			}
			continue
		}
		id, err := strconv.ParseUint(fields[0], 10, 32)
		switch _, dup := out[uint32(id)]; {
		case err != nil:
			return nil, nil, bad(line, "ID %q is not a uint32", fields[0])
		case !ids.Contains(uint32(id)):
			return nil, nil, bad(line, "ID %d is not in the bitmap", id)
		case dup:
			return nil, nil, bad(line, "ID %d is listed twice", id)
		}
		key := fields[1]
		if escaped {
			if key, err = unescapeKey(key); err != nil {
				kl, _ := cr.FieldPos(1)
				return nil, nil, bad(kl, "key of ID %d: %q is not the inside of a Go string literal", id, fields[1])
			}
		}
		switch other, dup := idOf[key]; {
		case key == "":
			return nil, nil, bad(line, "the key of ID %d is empty; keys never are", id)
		case dup:
			return nil, nil, bad(line, "ID %d has the key %q of ID %d; keys are unique", id, key, other)
		}
		out[uint32(id)] = key
		idOf[key] = uint32(id)
	}
	if uint64(len(out)) != ids.GetCardinality() {
		return nil, nil, fmt.Errorf("segment: read segment keys: %w: %d keys for %d IDs", ErrBadSegment, len(out), ids.GetCardinality())
	}
	return ids, out, nil
}
