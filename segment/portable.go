package segment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
)

// ErrBadSegment is wrapped by every error of ReadSegment about its input.
var ErrBadSegment = errors.New("bad segment")

// WriteSegment writes a segment so that other systems can use it: the IDs
// to bitmap in the portable roaring serialization
// (https://github.com/RoaringBitmap/RoaringFormatSpec), which CRoaring, Java
// RoaringBitmap, ClickHouse, Apache Doris and StarRocks, and PostgreSQL's
// roaringbitmap extension read; and, unless keys is nil, the key of every
// ID to keys as CSV with the header "id,key" and one row per ID in
// increasing order. Every ID must have been assigned by base (removed
// customers keep their keys). base may be nil when keys is nil.
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
	cw := csv.NewWriter(keys)
	cw.Write([]string{"id", "key"})
	it := ids.Iterator()
	for it.HasNext() {
		id := it.Next()
		k, _ := base.Key(id)
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

// ReadSegment reads a segment that WriteSegment (or any roaring
// implementation, for the bitmap) wrote. It reads all of bitmap, which must
// hold exactly one portable 32-bit roaring bitmap. Unless keys is nil, it
// also reads the "id,key" CSV and returns the key of every ID; the CSV must
// list exactly the bitmap's IDs. Errors about the input wrap ErrBadSegment.
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
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			if line == 1 {
				return nil, nil, bad(line, "empty, want the header \"id,key\"")
			}
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, bad(line, "%v", pe.Err)
			}
			return nil, nil, fmt.Errorf("segment: read segment keys: %w", err)
		}
		if line == 1 {
			if rec[0] != "id" || rec[1] != "key" {
				return nil, nil, bad(line, "header %q, want \"id,key\"", rec)
			}
			continue
		}
		id, err := strconv.ParseUint(rec[0], 10, 32)
		switch _, dup := out[uint32(id)]; {
		case err != nil:
			return nil, nil, bad(line, "ID %q is not a uint32", rec[0])
		case !ids.Contains(uint32(id)):
			return nil, nil, bad(line, "ID %d is not in the bitmap", id)
		case dup:
			return nil, nil, bad(line, "ID %d is listed twice", id)
		}
		out[uint32(id)] = rec[1]
	}
	if uint64(len(out)) != ids.GetCardinality() {
		return nil, nil, fmt.Errorf("segment: read segment keys: %w: %d keys for %d IDs", ErrBadSegment, len(out), ids.GetCardinality())
	}
	return ids, out, nil
}
