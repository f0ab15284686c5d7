package segment

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
)

func TestSegmentRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	base, o := randBase(r, 3000, 2)
	for range 20 {
		p := randPred(r, 3)
		ids := base.Eval(p)
		var bm, keys bytes.Buffer
		if err := WriteSegment(&bm, &keys, base, ids); err != nil {
			t.Fatal(err)
		}
		got, keyOf, err := ReadSegment(&bm, &keys)
		if err != nil {
			t.Fatalf("ReadSegment(%s): %v", p, err)
		}
		if !got.Equals(ids) {
			t.Fatalf("ReadSegment(%s): other IDs", p)
		}
		want := o.eval(p)
		wantKeys := o.keys(want)
		for i, id := range want {
			if keyOf[id] != wantKeys[i] {
				t.Fatalf("key of %d = %q, want %q", id, keyOf[id], wantKeys[i])
			}
		}
	}
}

func TestPortableGolden(t *testing.T) {
	le16 := func(vs ...uint16) string {
		var b []byte
		for _, v := range vs {
			b = append(b, byte(v), byte(v>>8))
		}
		return string(b)
	}
	tests := []struct {
		name string
		bm   *roaring.Bitmap
		want string
	}{
		{"array", roaring.BitmapOf(1, 2, 3),
			// cookie 12346, 1 container, key 0 card-1 2, offset 16, values
			le16(12346, 0, 1, 0) + le16(0, 2) + le16(16, 0) + le16(1, 2, 3)},
		{"run", func() *roaring.Bitmap { b := roaring.New(); b.AddRange(0, 100); b.RunOptimize(); return b }(),
			// cookie 12347 | (1-1)<<16, run bitset, key 0 card-1 99, 1 run [0, 0+99]
			le16(12347, 0) + "\x01" + le16(0, 99) + le16(1, 0, 99)},
		{"two keys", roaring.BitmapOf(7, 1<<16|9),
			le16(12346, 0, 2, 0) + le16(0, 0, 1, 0) + le16(24, 0, 26, 0) + le16(7) + le16(9)},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		if err := WriteSegment(&buf, nil, nil, tc.bm); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]byte(tc.want), buf.Bytes()); diff != "" {
			t.Errorf("%s: bytes differ from the portable format (-spec +got):\n%s", tc.name, diff)
		}
	}
}

// TestPortableCRoaring decodes the bytes with CRoaring, an independent
// implementation, and the reverse. It needs a C compiler and libroaring-dev
// (.ci/croaring.sh installs it); it skips without them unless
// MICROSEG_REQUIRE_CROARING is set.
func TestPortableCRoaring(t *testing.T) {
	if testing.Short() && os.Getenv("MICROSEG_REQUIRE_CROARING") == "" {
		t.Skip("compiles C: skipped with -short")
	}
	dir := t.TempDir()
	var bins []string
	var cmds []*exec.Cmd
	outs := make([]bytes.Buffer, 2)
	for i, prog := range []string{"read_portable", "write_portable"} {
		bin := filepath.Join(dir, prog)
		cmd := exec.Command("cc", "-O1", "-o", bin, filepath.Join("testdata", "croaring", prog+".c"), "-lroaring")
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Skipf("no C compiler: %v", err)
		}
		cmds, bins = append(cmds, cmd), append(bins, bin)
	}
	for i, cmd := range cmds { // compiled in parallel: cc is slow
		if err := cmd.Wait(); err != nil {
			if os.Getenv("MICROSEG_REQUIRE_CROARING") != "" {
				t.Fatalf("compiling %s against CRoaring: %v\n%s", bins[i], err, outs[i].String())
			}
			t.Skipf("no libroaring-dev (run .ci/croaring.sh): %v\n%s", err, outs[i].String())
		}
	}
	r := rand.New(rand.NewPCG(9, 9))
	sets := map[string]*roaring.Bitmap{
		"empty": roaring.New(),
		"edges": roaring.BitmapOf(0, 1, 65535, 65536, 1<<31, math.MaxUint32),
	}
	dense := roaring.New() // a bitset container, runs, arrays, high keys
	for range 20000 {
		dense.Add(uint32(r.IntN(30000)))
	}
	dense.AddRange(100000, 170000)
	for range 500 {
		dense.Add(r.Uint32())
	}
	sets["mixed"] = dense.Clone()
	dense.RunOptimize()
	sets["mixed, run-optimized"] = dense
	base, _ := randBase(r, 5000, 1)
	sets["segment"] = base.Eval(Or(tCountry.Eq("NL"), tAge.Between(20, 30)))

	for name, bm := range sets {
		var buf bytes.Buffer
		if err := WriteSegment(&buf, nil, nil, bm); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bins[0])
		cmd.Stdin = &buf
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: CRoaring could not read the bytes: %v", name, err)
		}
		var want strings.Builder
		want.WriteString(strconv.FormatUint(bm.GetCardinality(), 10) + "\n")
		var in strings.Builder
		for _, v := range bm.ToArray() {
			want.WriteString(strconv.FormatUint(uint64(v), 10) + "\n")
			in.WriteString(strconv.FormatUint(uint64(v), 10) + "\n")
		}
		if string(out) != want.String() {
			t.Fatalf("%s: CRoaring read other IDs: %d bytes of output, want %d", name, len(out), want.Len())
		}

		cmd = exec.Command(bins[1])
		cmd.Stdin = strings.NewReader(in.String())
		out, err = cmd.Output()
		if err != nil {
			t.Fatalf("%s: CRoaring could not write: %v", name, err)
		}
		got, _, err := ReadSegment(bytes.NewReader(out), nil)
		if err != nil || !got.Equals(bm) {
			t.Fatalf("%s: ReadSegment of CRoaring's bytes = %v, equal %v", name, err, err == nil && got.Equals(bm))
		}
	}
}

func TestReadSegmentErrors(t *testing.T) {
	var good bytes.Buffer
	roaring.BitmapOf(1, 2).WriteTo(&good)
	tests := []struct {
		name       string
		bitmap     string
		keys       string
		err        string
		noKeysFile bool
	}{
		{"empty bitmap input", "", "", "segment: read segment: bad segment: malformed roaring bitmap: error in roaringArray.readFrom: could not read initial cookie: EOF", true},
		{"junk", "junk", "", "segment: read segment: bad segment: malformed roaring bitmap: error in roaringArray.readFrom: did not find expected serialCookie in header", true},
		{"trailing", good.String() + "x", "", "segment: read segment: bad segment: roaring bitmap of 20 bytes in 21", true},
		{"truncated", good.String()[:good.Len()-1], "", "segment: read segment: bad segment: malformed roaring bitmap: failed to read array container: unexpected EOF", true},
		{"no header", good.String(), "", `segment: read segment keys: bad segment: line 1: empty, want the header "id,key" or "id,escaped_key"`, false},
		{"bad header", good.String(), "key,id\n", `segment: read segment keys: bad segment: line 1: header ["key" "id"], want "id,key" or "id,escaped_key"`, false},
		{"bad id", good.String(), "id,key\nx,a\n", `segment: read segment keys: bad segment: line 2: ID "x" is not a uint32`, false},
		{"extra id", good.String(), "id,key\n1,a\n3,b\n", `segment: read segment keys: bad segment: line 3: ID 3 is not in the bitmap`, false},
		{"twice", good.String(), "id,key\n1,a\n1,b\n", `segment: read segment keys: bad segment: line 3: ID 1 is listed twice`, false},
		{"missing", good.String(), "id,key\n1,a\n", `segment: read segment keys: bad segment: 1 keys for 2 IDs`, false},
		{"columns", good.String(), "id,key\n1\n", `segment: read segment keys: bad segment: line 2: wrong number of fields`, false},
	}
	for _, tc := range tests {
		var keys *strings.Reader
		if !tc.noKeysFile {
			keys = strings.NewReader(tc.keys)
		}
		var err error
		if keys == nil {
			_, _, err = ReadSegment(strings.NewReader(tc.bitmap), nil)
		} else {
			_, _, err = ReadSegment(strings.NewReader(tc.bitmap), keys)
		}
		if err == nil || !errors.Is(err, ErrBadSegment) {
			t.Errorf("%s: ReadSegment = %v, want ErrBadSegment", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.err, err.Error()); diff != "" {
			t.Errorf("%s: error mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
	b := NewBuilder()
	b.Add("a")
	base, _ := b.Build()
	err := WriteSegment(&bytes.Buffer{}, nil, base, roaring.BitmapOf(5))
	if want := "segment: write segment: ID 5 was never assigned; the base has 1 IDs"; err == nil || err.Error() != want {
		t.Errorf("WriteSegment(unassigned ID) = %v, want %s", err, want)
	}
}
