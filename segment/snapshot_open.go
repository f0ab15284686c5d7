package segment

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// OpenBase returns a read-only Base over data, which holds exactly one
// snapshot as Base.WriteTo writes it: for callers that map a snapshot file
// into memory themselves (the library does no I/O). The bitmaps of the
// base read their containers, and its key dictionary its keys, where they
// lie in data: neither is copied; the dictionary's hash tables are built
// (a hash of every key). OpenBase validates what ReadBase
// validates, in the same time linear in len(data): the checksum, every
// bound, every bitmap, every invariant of a Base; it rejects data that is
// truncated, corrupted, of an unknown version, inconsistent or followed by
// other bytes with an error wrapping ErrBadSnapshot, and never panics on
// input. A snapshot of version 1 (written before OpenBase existed) is
// opened from a copy of its payload, which the base then reads instead.
//
// Aliasing rule: data is read, never written, by the base and by
// everything derived from it: bases that batches apply to it, the
// bitmaps its methods return (Eval, Live, and the rest), which may share
// containers with data, and the key strings they return (Key, Keys),
// which are bytes of data. The caller must not modify data, nor unmap or
// reuse it, while any of them is in use; to keep a bitmap past that, copy
// it with its CloneCopyOnWriteContainers method first, and a key with
// strings.Clone. A Batch of the base
// copies what it changes (copy on write): the base it yields reads data
// for what it shares and memory of its own for the rest. data may be
// mapped read-only.
func OpenBase(data []byte) (*Base, error) {
	if len(data) < 8 {
		return nil, badSnapshot("truncated at byte %d, reading the header", len(data))
	}
	v, err := checkHeader(data)
	if err != nil {
		return nil, err
	}
	if v == framedVersion {
		r := bytes.NewReader(data)
		payload, _, err := readSnapshot(r)
		if err != nil {
			return nil, err
		}
		if r.Len() != 0 {
			return nil, badSnapshot("%d bytes after the snapshot", r.Len())
		}
		return decodePayload(payload, framedVersion)
	}
	if len(data) < headerBytes {
		return nil, badSnapshot("truncated at byte %d, reading the payload length", len(data))
	}
	n := binary.LittleEndian.Uint64(data[8:])
	switch rest := uint64(len(data) - headerBytes); {
	case n > rest || rest-n < 4:
		return nil, badSnapshot("truncated: a payload of %d bytes and its checksum after the header, which data holds %d bytes after", n, rest)
	case rest-n > 4:
		return nil, badSnapshot("%d bytes after the snapshot", rest-n-4)
	}
	end := headerBytes + int(n)
	want := crc32.Checksum(data[:end], castagnoli)
	if got := binary.LittleEndian.Uint32(data[end:]); got != want {
		return nil, badSnapshot("checksum mismatch: stored %08x, computed %08x", got, want)
	}
	return decodePayload(data[headerBytes:end:end], snapshotVersion)
}
