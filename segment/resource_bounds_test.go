package segment

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/alloctest"
	"github.com/google/go-cmp/cmp"
)

// payload builds snapshot payloads by hand, for inputs that Base.WriteTo
// would never write.
type payload struct{ b []byte }

func (p *payload) uvarint(v uint64) *payload { p.b = binary.AppendUvarint(p.b, v); return p }
func (p *payload) varint(v int64) *payload   { p.b = binary.AppendVarint(p.b, v); return p }
func (p *payload) raw(s string) *payload     { p.b = append(p.b, s...); return p }
func (p *payload) str(s string) *payload     { return p.uvarint(uint64(len(s))).raw(s) }

// bitmap appends bm, length-prefixed.
func (p *payload) bitmap(bm *roaring.Bitmap) *payload {
	var buf bytes.Buffer
	bm.WriteTo(&buf)
	return p.uvarint(uint64(buf.Len())).raw(buf.String())
}

// field appends a field declaration.
func (p *payload) field(name string, k Kind, tag byte, scale int) *payload {
	return p.str(name).raw(string([]byte{byte(k), tag})).uvarint(uint64(scale))
}

// keys appends n distinct keys.
func (p *payload) keys(n int) *payload {
	p.uvarint(uint64(n))
	for i := range n {
		p.str(strconv.FormatInt(int64(i), 36))
	}
	return p
}

// intFields returns the payload of nf Int fields over the customers of
// known, with nk keys, live = known, and planes empty planes per field.
func intFields(nf, nk int, known *roaring.Bitmap, planes int) []byte {
	p := &payload{}
	p.uvarint(uint64(nf))
	for i := range nf {
		p.field(fmt.Sprintf("f%d", i), KindInt, 0, 0)
	}
	p.keys(nk)
	p.bitmap(known)
	for range nf {
		p.bitmap(known).varint(0).uvarint(uint64(planes))
		for range planes {
			p.bitmap(roaring.New())
		}
	}
	return p.b
}

// Allocation bounds of the deserializers, as their godoc states them.
const (
	readBaseFactor = 64      // ReadBase, decodePayload
	readBaseConst  = 1 << 20 // bytes
)

// issue8Snapshot returns the snapshot of issue 13, defect 8, through the
// public API: 4,000 Int fields whose eight bit planes are all empty, and one
// customer. (A second customer gave the fields their eight planes and was
// removed.)
func issue8Snapshot(t testing.TB) []byte {
	t.Helper()
	b := NewBuilder()
	fields := make([]Int, 4000)
	a, z := make([]Value, len(fields)), make([]Value, len(fields))
	for i := range fields {
		fields[i] = NewInt(fmt.Sprintf("f%04d", i))
		a[i], z[i] = fields[i].Value(0), fields[i].Value(255)
	}
	if err := b.Add("a", a...); err != nil {
		t.Fatal(err)
	}
	if err := b.Add("z", z...); err != nil {
		t.Fatal(err)
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	tx := base.Batch()
	if err := tx.Remove("z"); err != nil {
		t.Fatal(err)
	}
	if base, err = tx.Apply(); err != nil {
		t.Fatal(err)
	}
	return snapshot(t, base)
}

// hostileSnapshots are payloads that try to make the decoder allocate far
// more than their size.
func hostileSnapshots() []struct {
	name string
	in   []byte
} {
	full := roaring.New()
	full.AddRange(0, 1<<16)
	full.RunOptimize()
	padding := strings.Repeat("\x00", 100_000)
	return []struct {
		name string
		in   []byte
	}{
		{"empty planes, one customer", intFields(4000, 1, roaring.BitmapOf(0), 8)},
		{"empty planes, a full chunk", intFields(1000, 1<<16, full, 8)},
		{"many empty fields", intFields(4000, 1, roaring.New(), 0)},
		{"64 empty planes", intFields(500, 1, roaring.BitmapOf(0), 64)},
		{"many keys", (&payload{}).uvarint(0).keys(200_000).bitmap(roaring.New()).b},
		{"many values with empty bitmaps", catValues(20_000, roaring.New())},
		{"many values with a full chunk", setRuns(2000)},
		{"huge field count", (&payload{}).uvarint(100_000).raw(padding).b},
		{"huge key count", (&payload{}).uvarint(0).uvarint(100_000).raw(padding).b},
		{"huge value count", (&payload{}).uvarint(1).field("c", KindCat, 7, 0).uvarint(0).
			bitmap(roaring.New()).bitmap(roaring.New()).uvarint(100_000).raw(padding).b},
		{"huge plane count", (&payload{}).uvarint(1).field("i", KindInt, 0, 0).uvarint(0).
			bitmap(roaring.New()).bitmap(roaring.New()).varint(0).uvarint(100_000).raw(padding).b},
	}
}

// TestReadBaseAllocationBound: ReadBase and the payload decoder allocate at
// most readBaseFactor times their input plus readBaseConst, on the
// snapshot of defect 8 (274 MB for 371 KB before) and on hostile payloads.
func TestReadBaseAllocationBound(t *testing.T) {
	cases := hostileSnapshots()
	cases = append(cases, struct {
		name string
		in   []byte
	}{"issue 13 defect 8", nil})
	for _, tc := range cases {
		frames := reframe(tc.in)
		if tc.in == nil {
			frames = issue8Snapshot(t)
		}
		var err error
		n := allocated(func() { _, err = ReadBase(bytes.NewReader(frames)) })
		if limit := uint64(readBaseFactor*len(frames) + readBaseConst); n > limit {
			t.Errorf("%s: ReadBase of %d bytes allocated %d bytes (%.1fx), more than %d (err %v)", tc.name, len(frames), n, float64(n)/float64(len(frames)), limit, err)
		}
		n = allocated(func() { _, err = OpenBase(frames) })
		if limit := uint64(readBaseFactor*len(frames) + readBaseConst); n > limit {
			t.Errorf("%s: OpenBase of %d bytes allocated %d bytes (%.1fx), more than %d (err %v)", tc.name, len(frames), n, float64(n)/float64(len(frames)), limit, err)
		}
		if tc.in == nil {
			if err != nil {
				t.Errorf("%s: ReadBase: %v", tc.name, err)
			}
			continue
		}
		n = allocated(func() { _, err = decodePayload(tc.in, framedVersion) })
		if limit := uint64(readBaseFactor*len(tc.in) + readBaseConst); n > limit {
			t.Errorf("%s: decodePayload of %d bytes allocated %d bytes (%.1fx), more than %d (err %v)", tc.name, len(tc.in), n, float64(n)/float64(len(tc.in)), limit, err)
		}
	}
}

// TestReadBaseKeepsCodes: the budget for code columns does not take them
// from a base of real shape: every field of 7 or 8 planes read back has
// its code column, and answers as before.
func TestReadBaseKeepsCodes(t *testing.T) {
	b := NewBuilder()
	ages := []Int{NewInt("age"), NewInt("score"), NewInt("visits")}
	for i := range 20_000 {
		vs := make([]Value, len(ages))
		for j, f := range ages {
			vs[j] = f.Value(int64((i*(j+7) + j) % (100 + 60*j)))
		}
		b.Add(fmt.Sprintf("c%06d", i), vs...)
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadBase(bytes.NewReader(snapshot(t, base)))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range got.cols {
		if n := len(c.bsi.Planes); n < 7 || n > 8 {
			t.Fatalf("field %q has %d planes; the test wants 7 or 8", c.spec.name, n)
		}
		if c.small == nil {
			t.Errorf("field %q: no code column after ReadBase", c.spec.name)
		}
		p := ages[i].Between(20, 90)
		if diff := cmp.Diff(base.Eval(p).ToArray(), got.Eval(p).ToArray()); diff != "" {
			t.Errorf("%s (-built +read):\n%s", p, diff)
		}
	}
}

// catValues returns the payload of one Cat field of int values with nv
// values, each with the bitmap bm, and no keys.
func catValues(nv int, bm *roaring.Bitmap) []byte {
	p := &payload{}
	p.uvarint(1).field("c", KindCat, 7, 0).uvarint(0).bitmap(roaring.New())
	p.bitmap(roaring.New()).uvarint(uint64(nv))
	for i := range nv {
		p.varint(int64(i) + 1000)
	}
	for range nv {
		p.bitmap(bm)
	}
	return p.b
}

// setRuns returns the payload of a Set field of nv values over 65,536
// customers, each value held by all of them.
func setRuns(nv int) []byte {
	full := roaring.New()
	full.AddRange(0, 1<<16)
	full.RunOptimize()
	p := &payload{}
	p.uvarint(1).field("s", KindSet, 7, 0).keys(1 << 16).bitmap(full)
	p.bitmap(full).uvarint(uint64(nv))
	for i := range nv {
		p.varint(int64(i) + 1000)
	}
	for range nv {
		p.bitmap(full)
	}
	return p.b
}

const (
	readSegmentFactor = 64      // ReadSegment
	readSegmentConst  = 1 << 20 // bytes
)

// TestReadSegmentAllocationBound: ReadSegment allocates at most
// readSegmentFactor times its input plus readSegmentConst.
func TestReadSegmentAllocationBound(t *testing.T) {
	portable := func(bm *roaring.Bitmap) string {
		var buf bytes.Buffer
		bm.WriteTo(&buf)
		return buf.String()
	}
	many := roaring.New()
	many.AddRange(0, 200_000)
	many.RunOptimize()
	spread := roaring.New()
	for i := range uint32(20_000) {
		spread.Add(i << 16) // a container per value
	}
	var rows strings.Builder
	rows.WriteString("id,key\n")
	for i := range 200_000 {
		rows.WriteString(strconv.Itoa(i) + "," + strconv.FormatInt(int64(i), 36) + "\n")
	}
	var escaped strings.Builder
	escaped.WriteString("id,escaped_key\n")
	for i := range 200_000 {
		escaped.WriteString(strconv.Itoa(i) + ",\\r" + strconv.FormatInt(int64(i), 36) + "\n")
	}
	tests := []struct {
		name, bitmap, keys string
	}{
		{"runs", portable(many), ""},
		{"a container per value", portable(spread), ""},
		{"many short keys", portable(many), rows.String()},
		{"many escaped keys", portable(many), escaped.String()},
		{"a huge container count", "\x3a\x30\x00\x00\xff\xff\x00\x00" + strings.Repeat("\x00", 1000), ""},
		{"one long line", portable(roaring.BitmapOf(0)), "id,key\n0,\"" + strings.Repeat("x\r\n", 300_000) + "\"\n"},
	}
	for _, tc := range tests {
		var keys *strings.Reader
		if tc.keys != "" {
			keys = strings.NewReader(tc.keys)
		}
		var err error
		n := allocated(func() {
			if keys == nil {
				_, _, err = ReadSegment(strings.NewReader(tc.bitmap), nil)
			} else {
				_, _, err = ReadSegment(strings.NewReader(tc.bitmap), keys)
			}
		})
		size := len(tc.bitmap) + len(tc.keys)
		if limit := uint64(readSegmentFactor*size + readSegmentConst); n > limit {
			t.Errorf("%s: ReadSegment of %d bytes allocated %d (%.1fx), more than %d (err %v)", tc.name, size, n, float64(n)/float64(size), limit, err)
		}
		t.Logf("%s: %d bytes, %.1fx, err %v", tc.name, size, float64(n)/float64(size), err)
	}
}

const (
	parseFactor = 64      // Parse
	parseConst  = 1 << 20 // bytes
)

// TestParseAllocationBound: Parse allocates at most parseFactor times its
// input plus parseConst, on long runs and lists, accepted or not.
func TestParseAllocationBound(t *testing.T) {
	list := func(item string, n int) string {
		return strings.TrimSuffix(strings.Repeat(item+", ", n), ", ")
	}
	tests := []struct{ name, text string }{
		{"open parentheses", strings.Repeat("(", 200_000) + "age known"},
		{"nots", strings.Repeat("not ", 200_000) + "age known"},
		{"nots in parentheses", strings.Repeat("not (", 199) + "age known" + strings.Repeat(")", 199)},
		{"long or", strings.Repeat("age known or ", 50_000) + "all"},
		{"long and of nots", strings.Repeat("not all and ", 50_000) + "all"},
		{"long list", "country in (" + list(`"NL"`, 100_000) + ")"},
		{"long list of short ints", "tier in (" + strings.Repeat("1,", 200_000) + "1)"},
		{"long list of large ints", "tier in (" + strings.Repeat("1000,", 100_000) + "1)"},
		{"long list of distinct", "country in (" + list(`"a"`, 1) + ", " + func() string {
			var sb strings.Builder
			for i := range 50_000 {
				sb.WriteString(`, "` + strconv.Itoa(i) + `"`)
			}
			return sb.String()[2:]
		}() + ")"},
		{"long string of escapes", `country = "` + strings.Repeat(`\x00`, 100_000) + `"`},
		{"long number", "age = " + strings.Repeat("9", 100_000)},
		{"long name", strings.Repeat("a", 100_000) + " known"},
		{"long quoted name", "`" + strings.Repeat("``", 50_000) + "` known"},
		{"invalid UTF-8", `country = "` + strings.Repeat("\xff", 100_000) + `"`},
	}
	for _, tc := range tests {
		var err error
		n := allocated(func() { _, err = Parse(tc.text, testSchema) })
		if limit := uint64(parseFactor*len(tc.text) + parseConst); n > limit {
			t.Errorf("%s: Parse of %d bytes allocated %d (%.1fx), more than %d (err %v)", tc.name, len(tc.text), n, float64(n)/float64(len(tc.text)), limit, err)
		}
		t.Logf("%s: %d bytes, %.1fx", tc.name, len(tc.text), float64(n)/float64(len(tc.text)))
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	n, _ := alloctest.Measure(f)
	return n
}
