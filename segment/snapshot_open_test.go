package segment

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// payloadOf returns the payload of a version 2 snapshot.
func payloadOf(data []byte) []byte { return data[headerBytes : len(data)-4] }

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
	v1 := reframe(payloadOf(v2))
	if len(payloadOf(v2)) <= maxFrame {
		t.Fatalf("payload of %d bytes, want more than a frame", len(payloadOf(v2)))
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
		{"trailing v1", append(reframe(payloadOf(good)), 'x'), "segment: read base: bad snapshot: 1 bytes after the snapshot"},
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
