package engine

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// randomBitmap returns a bitmap with chunks of every container kind.
func randomBitmap(r *rand.Rand, chunks uint32) *roaring.Bitmap {
	bm := roaring.New()
	for key := range chunks {
		base := key << ChunkBits
		switch r.IntN(5) {
		case 0: // absent
		case 1: // array
			for range r.IntN(3000) + 1 {
				bm.Add(base + uint32(r.IntN(1<<ChunkBits)))
			}
		case 2: // bitmap
			for range 5000 + r.IntN(30000) {
				bm.Add(base + uint32(r.IntN(1<<ChunkBits)))
			}
		case 3: // runs
			for range r.IntN(20) + 1 {
				s := uint64(base) + uint64(r.IntN(1<<ChunkBits-2000))
				bm.AddRange(s, s+uint64(r.IntN(2000))+1)
			}
		case 4: // full
			bm.AddRange(uint64(base), uint64(base)+1<<ChunkBits)
		}
	}
	bm.RunOptimize()
	return bm
}

// TestPatch checks Patch against roaring's Remove and Add, and that the
// patched bitmap and view agree, leave the old ones unchanged, and share
// the chunks no ID fell in.
func TestPatch(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for run := range 300 {
		bm, f := Freeze(randomBitmap(r, 6))
		if run%4 == 1 {
			Densify(f) // arrays read as words, their values kept
		}
		want0 := bm.Clone()
		ids := func(n int) []uint32 {
			out := make([]uint32, n)
			for i := range out {
				key := uint32(r.IntN(7))
				if run%3 == 0 {
					key = uint32(r.IntN(2)) * 3 // some chunks untouched
				}
				switch r.IntN(3) {
				case 0:
					out[i] = key<<ChunkBits | uint32(r.IntN(1<<ChunkBits))
				case 1:
					out[i] = key<<ChunkBits | uint32(r.IntN(8)) // near runs' starts
				default:
					out[i] = key<<ChunkBits | uint32(1<<ChunkBits-1-r.IntN(8))
				}
			}
			slices.Sort(out)
			return slices.Compact(out)
		}
		n := []int{0, 1, 50, 3000, 70000}[run%5]
		del, add := ids(n), ids(n/2+r.IntN(3))
		if run%7 == 0 { // delete whole chunks
			del = nil
			for v := uint32(0); v < 2<<ChunkBits; v++ {
				del = append(del, v)
			}
		}
		want := bm.Clone()
		for _, id := range del {
			want.Remove(id)
		}
		want.AddMany(add)
		nb, nf := Patch(bm, f, del, add, run%2 == 0)
		if !nb.Equals(want) {
			t.Fatalf("run %d: patched bitmap has %d IDs, want %d", run, nb.GetCardinality(), want.GetCardinality())
		}
		if !bm.Equals(want0) {
			t.Fatalf("run %d: the old bitmap changed", run)
		}
		if nf.Card() != want.GetCardinality() {
			t.Fatalf("run %d: view card %d, want %d", run, nf.Card(), want.GetCardinality())
		}
		if hi := want.Maximum; !want.IsEmpty() && nf.Chunks() != int(hi()>>ChunkBits)+1 {
			t.Fatalf("run %d: view has %d chunks, want %d", run, nf.Chunks(), hi()>>ChunkBits+1)
		}
		probe := make([]uint32, 0, 8<<ChunkBits/17)
		for v := uint32(0); v < 8<<ChunkBits; v += 17 {
			probe = append(probe, v)
		}
		out := make([]uint64, (len(probe)+63)/64)
		nf.Probe(probe, out)
		for i, id := range probe {
			if got := out[i>>6]>>(i&63)&1 != 0; got != want.Contains(id) {
				t.Fatalf("run %d: view says %v for %d", run, got, id)
			}
		}
		if again, _ := Freeze(nb); !again.Equals(want) {
			t.Fatalf("run %d: the patched bitmap does not serialize back", run)
		}
		for k := range max(nf.Chunks(), f.Chunks()) {
			touched := slices.ContainsFunc(del, func(id uint32) bool { return int(id>>ChunkBits) == k }) ||
				slices.ContainsFunc(add, func(id uint32) bool { return int(id>>ChunkBits) == k })
			if !touched && k < f.Chunks() && k < nf.Chunks() {
				a, b := f.get(k), nf.get(k)
				if a.kind != b.kind || a.words != b.words || (len(a.vals) > 0 && &a.vals[0] != &b.vals[0]) {
					t.Fatalf("run %d: untouched chunk %d not shared", run, k)
				}
			}
		}
	}
}

// TestPatchCodes checks Codes.Patch against BuildCodes of the patched planes.
func TestPatchCodes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const n = 3 << ChunkBits
	vals := make([]int, n) // -1: no value
	for i := range vals {
		vals[i] = r.IntN(120) - 1
	}
	build := func() (*Frozen, []*Frozen) {
		known := roaring.New()
		planes := make([]*roaring.Bitmap, 7)
		for j := range planes {
			planes[j] = roaring.New()
		}
		for id, v := range vals {
			if v < 0 {
				continue
			}
			known.Add(uint32(id))
			for j := range planes {
				if v>>j&1 != 0 {
					planes[j].Add(uint32(id))
				}
			}
		}
		_, fk := Freeze(known)
		fz := make([]*Frozen, len(planes))
		for j, p := range planes {
			_, fz[j] = Freeze(p)
		}
		return fk, fz
	}
	c := BuildCodes(build())
	var ids []uint32
	var codes []uint8
	for id := uint32(0); id < n; id += uint32(1 + r.IntN(5000)) {
		if id>>ChunkBits == 1 {
			continue // a chunk left alone
		}
		ids = append(ids, id)
		vals[id] = r.IntN(120) - 1
		codes = append(codes, NoCode)
		if vals[id] >= 0 {
			codes[len(codes)-1] = uint8(vals[id])
		}
	}
	got := c.Patch(ids, codes)
	want := BuildCodes(build())
	for key := range want.pages {
		wp, gp := want.page(key), got.page(key)
		if (wp == nil) != (gp == nil) || wp != nil && *wp != *gp {
			t.Fatalf("page %d differs", key)
		}
	}
	if got.page(1) != c.page(1) {
		t.Fatal("the untouched page is not shared")
	}
}

// TestProbeBit checks ProbeBit against Contains.
func TestProbeBit(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for run := range 100 {
		bm := randomBitmap(r, 6)
		_, f := Freeze(bm)
		if run%2 == 0 {
			Densify(f)
		}
		ids := make([]uint32, []int{1, 100, 5000, 60000}[run%4])
		for i := range ids {
			ids[i] = uint32(r.IntN(7 << ChunkBits))
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		vals := make([]uint64, len(ids))
		f.ProbeBit(ids, vals, 5)
		for i, id := range ids {
			if got := vals[i] == 1<<5; got != bm.Contains(id) {
				t.Fatalf("run %d: ProbeBit says %v for %d", run, got, id)
			}
		}
	}
}

// TestPatchNoChange checks that a patch that flips no bit returns the
// bitmap and view it was given.
func TestPatchNoChange(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	bm, f := Freeze(randomBitmap(r, 4))
	held := bm.ToArray()[:min(500, int(bm.GetCardinality()))]
	if nb, nf := Patch(bm, f, held, held, true); nb != bm || nf != f {
		t.Fatal("removing and adding the same IDs made a new bitmap")
	}
	if nb, nf := Patch(bm, f, nil, held, true); nb != bm || nf != f {
		t.Fatal("adding IDs the bitmap holds made a new bitmap")
	}
}

// TestCodesRead checks Codes.Read against the pages.
func TestCodesRead(t *testing.T) {
	known := roaring.New()
	known.AddRange(0, 2<<ChunkBits)
	plane := roaring.New()
	plane.AddRange(5, 1<<ChunkBits+7)
	_, fk := Freeze(known)
	planes := make([]*Frozen, 7)
	for j := range planes {
		planes[j] = &Frozen{}
	}
	_, planes[2] = Freeze(plane)
	c := BuildCodes(fk, planes)
	ids := []uint32{0, 5, 1<<ChunkBits + 6, 1<<ChunkBits + 7, 3 << ChunkBits}
	out := make([]uint8, len(ids))
	c.Read(ids, out)
	if want := []uint8{0, 4, 4, 0, NoCode}; !slices.Equal(out, want) {
		t.Fatalf("Read = %v, want %v", out, want)
	}
}

// TestFromSorted checks FromSorted against BitmapOf, and that the bitmap
// it returns may be changed.
func TestFromSorted(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for run := range 50 {
		bm := randomBitmap(r, 5)
		ids := bm.ToArray()
		if run%5 == 0 {
			ids = ids[:min(len(ids), 3)]
		}
		got := FromSorted(ids)
		if want := roaring.BitmapOf(ids...); !got.Equals(want) {
			t.Fatalf("run %d: FromSorted has %d IDs, want %d", run, got.GetCardinality(), want.GetCardinality())
		}
		got.Add(1 << 31)
		got.Remove(1 << 31)
		if len(ids) > 0 {
			got.Remove(ids[0])
			if got.GetCardinality() != uint64(len(ids)-1) {
				t.Fatalf("run %d: Remove on the result failed", run)
			}
		}
	}
}
