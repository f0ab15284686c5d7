package segment

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
)

func snapshot(t testing.TB, b *Base) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := b.WriteTo(&buf)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
	}
	return buf.Bytes()
}

// sameBase fails unless a and b hold the same keys, IDs, live set and
// field indexes.
func sameBase(t *testing.T, a, b *Base) {
	t.Helper()
	if a.IDCount() != b.IDCount() || !a.live.Equals(b.live) {
		t.Fatalf("IDCount %d vs %d, live equal %v", a.IDCount(), b.IDCount(), a.live.Equals(b.live))
	}
	for id := range a.IDCount() {
		ka, _ := a.Key(id)
		kb, _ := b.Key(id)
		if ka != kb {
			t.Fatalf("Key(%d) = %q, read back %q", id, ka, kb)
		}
		if ida, ok := b.dict.Lookup(ka); !ok || ida != id {
			t.Fatalf("dictionary lookup of %q = %d, %v; want %d", ka, ida, ok, id)
		}
	}
	if diff := cmp.Diff(a.Fields(), b.Fields()); diff != "" {
		t.Fatalf("Fields mismatch (-written +read):\n%s", diff)
	}
	for i, ca := range a.cols {
		cb := b.cols[i]
		if !ca.known.Equals(cb.known) || !slices.Equal(ca.values, cb.values) || len(ca.bms) != len(cb.bms) {
			t.Fatalf("field %q: known or values differ", ca.spec.name)
		}
		for j := range ca.bms {
			if !ca.bms[j].Equals(cb.bms[j]) {
				t.Fatalf("field %q value %v: bitmaps differ", ca.spec.name, ca.values[j])
			}
		}
		if ca.bsi != nil && (ca.bsi.Offset != cb.bsi.Offset || len(ca.bsi.Planes) != len(cb.bsi.Planes)) {
			t.Fatalf("field %q: BSI offset or depth differ", ca.spec.name)
		}
		if ca.bsi != nil {
			for j := range ca.bsi.Planes {
				if !ca.bsi.Planes[j].Equals(cb.bsi.Planes[j]) {
					t.Fatalf("field %q: plane %d differs", ca.spec.name, j)
				}
			}
		}
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 13))
		base, o := randBase(r, []int{0, 1, 60, 900, 5000}[seed%5], int(seed%4))
		data := snapshot(t, base)
		rd := bytes.NewReader(append(slices.Clip(data), "trailing"...))
		got, err := ReadBase(rd)
		if err != nil {
			t.Fatalf("seed %d: ReadBase: %v", seed, err)
		}
		if rd.Len() != len("trailing") {
			t.Fatalf("seed %d: ReadBase left %d bytes, want the 8 after the snapshot", seed, rd.Len())
		}
		sameBase(t, base, got)
		for range 50 {
			p := randPred(r, 4)
			if diff := cmp.Diff(o.eval(p), got.Eval(p).ToArray(), cmp.Comparer(func(a, b []uint32) bool { return slices.Equal(a, b) })); diff != "" {
				t.Fatalf("seed %d: Eval(%s) on the read base (-oracle +got):\n%s", seed, p, diff)
			}
		}
		// The read base keeps working: a batch on it matches a batch on the original.
		nb := randBatch(r, got, o)
		p := randPred(r, 3)
		if !slices.Equal(o.eval(p), nb.Eval(p).ToArray()) {
			t.Fatalf("seed %d: a batch applied to the read base disagrees with the oracle on %s", seed, p)
		}
		if again := snapshot(t, got); !bytes.Equal(again, data) {
			t.Fatalf("seed %d: writing the read base gives other bytes", seed)
		}
	}
}

func TestSnapshotAllValueTypes(t *testing.T) {
	b := NewBuilder()
	vals := []Value{
		NewCat[bool]("b").Value(true), NewCat[int]("i").Value(-1 << 40), NewCat[int8]("i8").Value(-128),
		NewCat[int16]("i16").Value(math.MaxInt16), NewCat[int32]("i32").Value(math.MinInt32),
		NewCat[int64]("i64").Value(math.MinInt64), NewSet[uint]("u").Values(0, math.MaxUint),
		NewCat[uint8]("u8").Value(255), NewCat[uint16]("u16").Value(65535), NewCat[uint32]("u32").Value(math.MaxUint32),
		NewSet[uint64]("u64").Values(math.MaxUint64, 7), NewCat[float64]("f").Value(math.Inf(-1)),
		NewDecimal("d", 9).Units(math.MinInt64), NewInt("n").Value(math.MaxInt64), NewFlag("fl").Value(false),
	}
	if err := b.Add("k\x00\n\"", vals...); err != nil {
		t.Fatal(err)
	}
	if err := b.Add("k2", NewInt("n").Value(math.MinInt64), NewFlag("fl").Value(true)); err != nil {
		t.Fatal(err)
	}
	base, _ := b.Build()
	got, err := ReadBase(bytes.NewReader(snapshot(t, base)))
	if err != nil {
		t.Fatal(err)
	}
	sameBase(t, base, got)
	type country string
	b2 := NewBuilder()
	b2.Add("k", NewCat[country]("c").Value("NL"))
	base2, _ := b2.Build()
	var buf bytes.Buffer
	_, err = base2.WriteTo(&buf)
	want := `segment: write base: field "c": values of type segment.country cannot be written; use string, bool, an integer type or float64`
	if err == nil || err.Error() != want || buf.Len() != 0 {
		t.Fatalf("WriteTo(Cat[country]) = %v after %d bytes, want %s before any byte", err, buf.Len(), want)
	}
}

// reframe wraps a payload into a snapshot with a correct checksum, so that
// the decoder's checks can be reached.
func reframe(payload []byte) []byte {
	out := []byte("MSEG\x01\x00\x00\x00")
	for len(payload) > 0 {
		n := min(len(payload), maxFrame)
		out = binary.LittleEndian.AppendUint32(out, uint32(n))
		out = append(out, payload[:n]...)
		payload = payload[n:]
	}
	out = append(out, 0, 0, 0, 0)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
}

func TestReadBaseErrors(t *testing.T) {
	b := NewBuilder()
	b.Add("a", tAge.Value(30), tCountry.Value("NL"))
	base, _ := b.Build()
	good := snapshot(t, base)
	flip := func(i int) []byte { c := slices.Clone(good); c[i] ^= 0x40; return c }
	emptyBM := string(binary.AppendUvarint(nil, uint64(roaringEmptyLen))) + roaringEmpty
	tests := []struct {
		name string
		in   []byte
		err  string
	}{
		{"empty", nil, "segment: read base: bad snapshot: truncated at byte 0, reading the header"},
		{"magic", []byte("MSEX\x01\x00\x00\x00"), `segment: read base: bad snapshot: not a microseg snapshot: starts with "MSEX", want "MSEG"`},
		{"version", []byte("MSEG\x03\x00\x00\x00"), "segment: read base: bad snapshot: unknown version 3, this library reads versions 1 and 2"},
		{"reserved", []byte("MSEG\x01\x00\x01\x00"), "segment: read base: bad snapshot: reserved header bytes are not zero"},
		{"huge frame", []byte("MSEG\x01\x00\x00\x00\xff\xff\xff\xff"), "segment: read base: bad snapshot: frame of 4294967295 bytes at byte 8, frames hold at most 65536"},
		{"short frame", []byte("MSEG\x01\x00\x00\x00\x10\x00\x00\x00abc"), "segment: read base: bad snapshot: truncated at byte 15, reading a frame of 16 bytes"},
		{"no checksum", good[:len(good)-2], "segment: read base: bad snapshot: truncated at byte " + strconv.Itoa(len(good)-2) + ", reading the checksum"},
		{"checksum", flip(len(good) - 1), ""},
		{"flipped key", flip(bytes.Index(good, []byte("a"))), ""},
		{"field count", reframe([]byte{0x7f}), "segment: read base: bad snapshot: field count 127 exceeds the 0 bytes left"},
		{"bad kind", reframe([]byte("\x01\x01x\x09\x00\x00")), `segment: read base: bad snapshot: field "x": unknown kind 9`},
		{"tag on int", reframe([]byte("\x01\x01x\x03\x01\x00")), `segment: read base: bad snapshot: field "x": kind int with value type tag 1`},
		{"scale", reframe([]byte("\x01\x01x\x04\x00\x0a")), `segment: read base: bad snapshot: field "x": kind decimal with scale 10`},
		{"twice", reframe([]byte("\x02\x01x\x03\x00\x00\x01x\x03\x00\x00")), `segment: read base: bad snapshot: field "x" appears twice`},
		{"dup key", reframe([]byte("\x00\x02\x01k\x01k")), `segment: read base: bad snapshot: key 1 "k" is empty or repeated`},
		{"bad bitmap", reframe([]byte("\x00\x00\x04abcd")), "segment: read base: bad snapshot: live bitmap: invalid roaring bitmap: bad cookie 0x64636261"},
		{"live past keys", reframe([]byte("\x00\x00" + bitmapOf(0))), "segment: read base: bad snapshot: live ID 0 is not below the key count 0"},
		{"known not live", reframe([]byte("\x01\x01x\x03\x00\x00\x01\x01k" + emptyBM + bitmapOf(0))), `segment: read base: bad snapshot: field "x": known bitmap holds IDs that are not live`},
		{"cat overlap", reframe([]byte("\x01\x01x\x01\x01\x00\x01\x01k" + bitmapOf(0) + bitmapOf(0) + "\x02\x01a\x01b" + bitmapOf(0) + bitmapOf(0))), `segment: read base: bad snapshot: field "x": a customer has two values of a categorical field`},
		{"cat uncovered", reframe([]byte("\x01\x01x\x01\x01\x00\x01\x01k" + bitmapOf(0) + bitmapOf(0) + "\x00")), `segment: read base: bad snapshot: field "x": the value bitmaps do not cover exactly the known bitmap`},
		{"dup value", reframe([]byte("\x01\x01x\x01\x01\x00\x01\x01k" + bitmapOf(0) + bitmapOf(0) + "\x02\x01a\x01a")), `segment: read base: bad snapshot: field "x": value "a" appears twice`},
		{"bool byte", reframe([]byte("\x01\x01x\x01\x02\x00\x00" + emptyBM + emptyBM + "\x01\x07")), `segment: read base: bad snapshot: field "x" value 0: bool byte 7`},
		{"int8", reframe([]byte("\x01\x01x\x01\x04\x00\x00" + emptyBM + emptyBM + "\x01\x80\x02")), `segment: read base: bad snapshot: field "x" value 0: 128 overflows int8`},
		{"planes", reframe([]byte("\x01\x01x\x03\x00\x00\x00" + emptyBM + emptyBM + "\x00\x41" + strings.Repeat(emptyBM, 65))), `segment: read base: bad snapshot: field "x": 65 bit planes, at most 64`},
		{"plane not known", reframe([]byte("\x01\x01x\x03\x00\x00\x01\x01k" + bitmapOf(0) + emptyBM + "\x00\x01" + bitmapOf(0))), `segment: read base: bad snapshot: field "x": plane 0 holds IDs without a value`},
		{"overflow", reframe([]byte("\x01\x01x\x03\x00\x00\x01\x01k" + bitmapOf(0) + bitmapOf(0) + "\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01\x01" + bitmapOf(0))), `segment: read base: bad snapshot: field "x": values overflow int64`},
		{"flag 2", reframe([]byte("\x01\x01x\x05\x00\x00\x01\x01k" + bitmapOf(0) + bitmapOf(0) + "\x04\x00")), `segment: read base: bad snapshot: field "x": a flag value is neither false nor true`},
		{"trailing", reframe([]byte("\x00\x00" + emptyBM + "z")), "segment: read base: bad snapshot: 1 bytes after the last field"},
	}
	for _, tc := range tests {
		_, err := ReadBase(bytes.NewReader(tc.in))
		if err == nil {
			t.Errorf("%s: ReadBase succeeded", tc.name)
			continue
		}
		switch _, oerr := OpenBase(tc.in); {
		case !errors.Is(oerr, ErrBadSnapshot):
			t.Errorf("%s: OpenBase = %v, want ErrBadSnapshot", tc.name, oerr)
		case !strings.Contains(err.Error(), "truncated") && oerr.Error() != err.Error():
			t.Errorf("%s: OpenBase = %q, ReadBase %q", tc.name, oerr, err)
		}
		if !errors.Is(err, ErrBadSnapshot) {
			t.Errorf("%s: %v does not wrap ErrBadSnapshot", tc.name, err)
		}
		if tc.err == "" {
			if !strings.Contains(err.Error(), "checksum mismatch") {
				t.Errorf("%s: %v, want a checksum mismatch", tc.name, err)
			}
			continue
		}
		if diff := cmp.Diff(tc.err, err.Error()); diff != "" {
			t.Errorf("%s: error mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

// The portable serialization of an empty bitmap (no-run cookie, no containers).
const roaringEmpty = "\x3a\x30\x00\x00\x00\x00\x00\x00"
const roaringEmptyLen = len(roaringEmpty)

// bitmapOf returns the length-prefixed portable serialization of ids.
func bitmapOf(ids ...uint32) string {
	bm := roaring.BitmapOf(ids...)
	var buf bytes.Buffer
	bm.WriteTo(&buf)
	return string(binary.AppendUvarint(nil, uint64(buf.Len()))) + buf.String()
}

// TestReadBaseEveryFlip flips each byte of a snapshot and truncates it at
// every length: each must be an error, never a panic.
func TestReadBaseEveryFlip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	base, _ := randBase(r, 40, 1)
	data := snapshot(t, base)
	for i := range data {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			c := slices.Clone(data)
			c[i] ^= mask
			if _, err := ReadBase(bytes.NewReader(c)); !errors.Is(err, ErrBadSnapshot) {
				t.Fatalf("byte %d ^ %#x: ReadBase = %v, want ErrBadSnapshot", i, mask, err)
			}
			if _, err := OpenBase(c); !errors.Is(err, ErrBadSnapshot) {
				t.Fatalf("byte %d ^ %#x: OpenBase = %v, want ErrBadSnapshot", i, mask, err)
			}
		}
	}
	for n := range len(data) {
		if _, err := ReadBase(bytes.NewReader(data[:n])); !errors.Is(err, ErrBadSnapshot) {
			t.Fatalf("truncated to %d bytes: ReadBase = %v, want ErrBadSnapshot", n, err)
		}
		if _, err := OpenBase(data[:n]); !errors.Is(err, ErrBadSnapshot) {
			t.Fatalf("truncated to %d bytes: OpenBase = %v, want ErrBadSnapshot", n, err)
		}
	}
}

func BenchmarkSnapshot(b *testing.B) {
	base, _ := randBase(rand.New(rand.NewPCG(1, 1)), 100000, 1)
	var buf bytes.Buffer
	base.WriteTo(&buf)
	data := buf.Bytes()
	b.Run("WriteTo", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			buf.Reset()
			base.WriteTo(&buf)
		}
	})
	b.Run("ReadBase", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := ReadBase(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	text := `country in ("NL", "BE") and age between 25 and 35 and bought has "skincare" and not gender = "x" or seen >= 2024-06-01T00:00:00Z and spend > 100.5`
	for b.Loop() {
		if _, err := Parse(text, testSchema); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSnapshotConcurrentReaders writes one base from several goroutines
// while others evaluate it: WriteTo only reads (run with -race).
func TestSnapshotConcurrentReaders(t *testing.T) {
	base, _ := randBase(rand.New(rand.NewPCG(8, 8)), 2000, 1)
	want := snapshot(t, base)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			if i%2 == 0 {
				var buf bytes.Buffer
				if _, err := base.WriteTo(&buf); err != nil || !bytes.Equal(buf.Bytes(), want) {
					errs <- errors.New("a concurrent WriteTo wrote other bytes")
					return
				}
			} else {
				p, err := Parse(`country in ("NL", "BE") and age >= 30 or bought has all ("shoes")`, base)
				if err != nil {
					errs <- err
					return
				}
				base.Eval(p)
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

// TestReadBaseAllocatesByInput feeds claims of large sizes backed by few
// bytes: ReadBase must fail having allocated little.
func TestReadBaseAllocatesByInput(t *testing.T) {
	inputs := [][]byte{
		[]byte("MSEG\x01\x00\x00\x00\x00\x00\x01\x00" + strings.Repeat("x", 10)),                 // a 64 KiB frame with 10 bytes
		reframe([]byte("\xff\xff\xff\xff\x0f")),                                                  // 4 billion fields
		reframe([]byte("\x00\xff\xff\xff\xff\x0f")),                                              // 4 billion keys
		reframe([]byte("\x00\x00\x08\x3b\x30\xff\xff\x00\x00\x00\x00")),                          // 65536 run containers in 8 bytes
		[]byte("MSEG\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00" + strings.Repeat("x", 10)), // a payload of 1 TiB with 10 bytes
	}
	for i, in := range inputs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := ReadBase(bytes.NewReader(in))
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrBadSnapshot) {
			t.Errorf("input %d: ReadBase = %v, want ErrBadSnapshot", i, err)
		}
		t.Logf("input %d: %d bytes allocated: %v", i, after.TotalAlloc-before.TotalAlloc, err)
		if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
			t.Errorf("input %d of %d bytes: ReadBase allocated %d bytes", i, len(in), n)
		}
	}
}
