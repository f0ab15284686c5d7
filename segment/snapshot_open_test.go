package segment

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// payloadOf returns the payload of a version 2 snapshot.
func payloadOf(data []byte) []byte { return data[headerBytes : len(data)-4] }

// snapshotV1 returns the snapshot of b in version 1 of the format, as the
// library wrote it before version 2.
func snapshotV1(t testing.TB, b *Base) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := &encoder{w: &buf, crc: crc32.New(castagnoli), buf: make([]byte, 0, maxFrame)}
	b.encodePayload(e, framedVersion)
	e.flush()
	if e.err != nil {
		t.Fatal(e.err)
	}
	return reframe(buf.Bytes())
}

// frame2 wraps a version 2 payload into a snapshot with a correct
// checksum, so that the decoder's checks can be reached.
func frame2(payload []byte) []byte {
	out := binary.LittleEndian.AppendUint64([]byte("MSEG\x02\x00\x00\x00"), uint64(len(payload)))
	out = append(out, payload...)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
}

// TestOpenBase: a base opened over its snapshot has the keys, IDs, fields
// and answers of the base written and of the base ReadBase reads, a batch
// on it agrees with the oracle, and nothing is written into the snapshot's
// bytes.
func TestOpenBase(t *testing.T) {
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 15))
		base, o := randBase(r, []int{0, 1, 60, 900, 5000}[seed%5], int(seed%4))
		data := snapshot(t, base)
		orig := slices.Clone(data)
		opened, err := OpenBase(data)
		if err != nil {
			t.Fatalf("seed %d: OpenBase: %v", seed, err)
		}
		read, err := ReadBase(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("seed %d: ReadBase: %v", seed, err)
		}
		sameBase(t, base, opened)
		sameBase(t, read, opened)
		for range 50 {
			p := randPred(r, 4)
			want := o.eval(p)
			if got := opened.Eval(p).ToArray(); !slices.Equal(want, got) {
				t.Fatalf("seed %d: Eval(%s) on the opened base = %v, oracle %v", seed, p, got, want)
			}
			if got := read.Eval(p).ToArray(); !slices.Equal(want, got) {
				t.Fatalf("seed %d: Eval(%s) on the read base = %v, oracle %v", seed, p, got, want)
			}
			if n := opened.Count(p); n != uint64(len(want)) {
				t.Fatalf("seed %d: Count(%s) on the opened base = %d, oracle %d", seed, p, n, len(want))
			}
		}
		if again := snapshot(t, opened); !bytes.Equal(again, data) {
			t.Fatalf("seed %d: writing the opened base gives other bytes", seed)
		}
		nb := randBatch(r, opened, o) // copies what it changes
		for range 20 {
			p := randPred(r, 3)
			if !slices.Equal(o.eval(p), nb.Eval(p).ToArray()) {
				t.Fatalf("seed %d: a batch applied to the opened base disagrees with the oracle on %s", seed, p)
			}
		}
		if !bytes.Equal(data, orig) {
			t.Fatalf("seed %d: the snapshot's bytes changed under the opened base", seed)
		}
		sameBase(t, read, opened) // the batch left the opened base as it was
	}
}

// TestSnapshotVersion1: a snapshot of version 1 (the payload in frames)
// reads and opens to the same base as version 2.
func TestSnapshotVersion1(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 15))
	base, _ := randBase(r, 70_000, 1) // a payload of several frames
	v2 := snapshot(t, base)
	v1 := snapshotV1(t, base)
	if len(v1) <= 2*maxFrame {
		t.Fatalf("snapshot of %d bytes, want more than two frames", len(v1))
	}
	read, err := ReadBase(bytes.NewReader(v1))
	if err != nil {
		t.Fatal(err)
	}
	opened, err := OpenBase(v1)
	if err != nil {
		t.Fatal(err)
	}
	sameBase(t, base, read)
	sameBase(t, base, opened)
	if again := snapshot(t, opened); !bytes.Equal(again, v2) {
		t.Fatal("a version 1 snapshot opened and written is not the version 2 snapshot")
	}
}

func TestOpenBaseErrors(t *testing.T) {
	b := NewBuilder()
	b.Add("a", tAge.Value(30), tCountry.Value("NL"))
	base, _ := b.Build()
	good := snapshot(t, base)
	long := binary.LittleEndian.AppendUint64([]byte("MSEG\x02\x00\x00\x00"), 1<<62)
	tests := []struct {
		name string
		in   []byte
		err  string
	}{
		{"empty", nil, "segment: read base: bad snapshot: truncated at byte 0, reading the header"},
		{"short header", []byte("MSEG\x02\x00\x00\x00\x01"), "segment: read base: bad snapshot: truncated at byte 9, reading the payload length"},
		{"huge length", append(long, "abcd"...), "segment: read base: bad snapshot: truncated: a payload of 4611686018427387904 bytes and its checksum after the header, which data holds 4 bytes after"},
		{"no checksum", good[:len(good)-1], "segment: read base: bad snapshot: truncated: a payload of " + strconv.Itoa(len(payloadOf(good))) + " bytes and its checksum after the header, which data holds " + strconv.Itoa(len(good)-headerBytes-1) + " bytes after"},
		{"trailing", append(slices.Clone(good), 'x'), "segment: read base: bad snapshot: 1 bytes after the snapshot"},
		{"trailing v1", append(snapshotV1(t, base), 'x'), "segment: read base: bad snapshot: 1 bytes after the snapshot"},
		{"version", []byte("MSEG\x00\x00\x00\x00"), "segment: read base: bad snapshot: unknown version 0, this library reads versions 1 and 2"},
	}
	for _, tc := range tests {
		_, err := OpenBase(tc.in)
		if !errors.Is(err, ErrBadSnapshot) {
			t.Errorf("%s: OpenBase = %v, want ErrBadSnapshot", tc.name, err)
			continue
		}
		if err.Error() != tc.err {
			t.Errorf("%s: OpenBase = %q, want %q", tc.name, err, tc.err)
		}
	}
}

// TestOpenBaseConcurrentReaders evaluates, counts, lists keys of, writes
// and applies batches to one opened base from several goroutines (run
// with -race): all of it only reads the snapshot's bytes.
func TestOpenBaseConcurrentReaders(t *testing.T) {
	base, _ := randBase(rand.New(rand.NewPCG(9, 15)), 3000, 1)
	data := snapshot(t, base)
	opened, err := OpenBase(data)
	if err != nil {
		t.Fatal(err)
	}
	preds := make([]Pred, 16)
	want := make([][]uint32, len(preds))
	r := rand.New(rand.NewPCG(10, 15))
	for i := range preds {
		preds[i] = randPred(r, 3)
		want[i] = base.Eval(preds[i]).ToArray()
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i, p := range preds {
				switch (g + i) % 4 {
				case 0:
					if got := opened.Eval(p).ToArray(); !slices.Equal(got, want[i]) {
						errs <- errors.New("a concurrent Eval disagrees with the written base")
						return
					}
				case 1:
					if opened.Count(p) != uint64(len(want[i])) {
						errs <- errors.New("a concurrent Count disagrees with the written base")
						return
					}
				case 2:
					var buf bytes.Buffer
					if _, err := opened.WriteTo(&buf); err != nil || !bytes.Equal(buf.Bytes(), data) {
						errs <- errors.New("a concurrent WriteTo wrote other bytes")
						return
					}
				case 3:
					tx := opened.Batch()
					k, _ := opened.Key(uint32(i))
					if err := tx.Remove(k); err != nil {
						errs <- err
						return
					}
					nb, err := tx.Apply()
					if err != nil {
						errs <- err
						return
					}
					for range nb.Keys(nb.Eval(p)) {
					}
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestReadBaseKeyErrors: the keys of a version 2 payload are checked
// before the dictionary reads them.
func TestReadBaseKeyErrors(t *testing.T) {
	keys := func(n int, total uint64, ends []uint32, data string) []byte {
		p := &payload{}
		p.uvarint(0).uvarint(uint64(n)).uvarint(total)
		for _, e := range ends {
			p.b = binary.LittleEndian.AppendUint32(p.b, e)
		}
		p.raw(data)
		return p.bitmap(roaring.New()).b
	}
	const pre = "segment: read base: bad snapshot: "
	tests := []struct {
		name string
		in   []byte
		err  string
	}{
		{"good", keys(2, 3, []uint32{1, 3}, "abc"), ""},
		{"empty key", keys(2, 3, []uint32{0, 3}, "abc"), pre + "key 0 is empty or ends before the key before it (at 0, after 0)"},
		{"ends go back", keys(3, 3, []uint32{2, 1, 3}, "abc"), pre + "key 1 is empty or ends before the key before it (at 1, after 2)"},
		{"past the bytes", keys(2, 3, []uint32{1, 4}, "abc"), pre + "the keys through ID 1 take more than the key byte count 3"},
		{"short of the bytes", keys(2, 3, []uint32{1, 2}, "abc"), pre + "the keys take 2 bytes, the key byte count says 3"},
		{"repeated", keys(2, 2, []uint32{1, 2}, "aa"), pre + `key 1 "a" is empty or repeated`},
		{"byte count", keys(1, 99, []uint32{1}, "a"), pre + "key byte count 99 exceeds the 10 bytes left"},
		{"truncated ends", (&payload{}).uvarint(0).uvarint(3).uvarint(3).raw("\x01\x00\x00").b, pre + "truncated key ends"},
	}
	for _, tc := range tests {
		for _, way := range []string{"ReadBase", "OpenBase"} {
			var err error
			if way == "ReadBase" {
				_, err = ReadBase(bytes.NewReader(frame2(tc.in)))
			} else {
				_, err = OpenBase(frame2(tc.in))
			}
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("%s: %s: %v", tc.name, way, err)
			case tc.err != "" && (err == nil || err.Error() != tc.err):
				t.Errorf("%s: %s = %v, want %s", tc.name, way, err, tc.err)
			case tc.err != "" && !errors.Is(err, ErrBadSnapshot):
				t.Errorf("%s: %s: %v does not wrap ErrBadSnapshot", tc.name, way, err)
			}
		}
	}
}
