package engine

import (
	"math/rand/v2"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/google/go-cmp/cmp"
)

// codesOf builds an index of n customers (a tenth without a value, and no
// value at all in the second chunk) with values in [0, spread) and returns
// its views, the values and its Codes column.
func codesOf(t *testing.T, n int, spread int64) (*Frozen, []*Frozen, map[uint32]int64, *Codes) {
	t.Helper()
	r := rand.New(rand.NewPCG(5, uint64(spread)))
	var ids []uint32
	var vals []int64
	want := map[uint32]int64{}
	for i := range n {
		if r.IntN(10) == 0 || i>>ChunkBits == 1 {
			continue
		}
		v := r.Int64N(spread)
		ids, vals = append(ids, uint32(i)), append(vals, v)
		want[uint32(i)] = v
	}
	b := bsi.Build(ids, vals)
	_, fk := Freeze(roaring.BitmapOf(ids...))
	var planes []*Frozen
	for _, p := range b.Planes {
		_, f := Freeze(p)
		planes = append(planes, f)
	}
	return fk, planes, want, BuildCodes(fk, planes)
}

func TestBuildCodes(t *testing.T) {
	tests := []struct {
		spread int64
		made   bool
	}{
		{2, false},   // 1 plane
		{64, false},  // 6 planes
		{73, true},   // 7 planes
		{255, true},  // 8 planes, 254 at most
		{256, false}, // 8 planes, 255 clashes with NoCode
		{300, false}, // 9 planes
	}
	n := 3 << ChunkBits
	for _, tt := range tests {
		_, _, want, c := codesOf(t, n, tt.spread)
		if (c != nil) != tt.made {
			t.Fatalf("spread %d: made %v, want %v", tt.spread, c != nil, tt.made)
		}
		if c == nil {
			continue
		}
		if c.page(1) != nil {
			t.Errorf("spread %d: page of a chunk without values is not nil", tt.spread)
		}
		if c.Bytes() < 2<<ChunkBits {
			t.Errorf("spread %d: Bytes %d, want at least two pages", tt.spread, c.Bytes())
		}
		got := map[uint32]int64{}
		for i := range n {
			pg := c.page(i >> ChunkBits)
			if pg == nil || pg[i&(1<<ChunkBits-1)] == NoCode {
				continue
			}
			got[uint32(i)] = int64(pg[i&(1<<ChunkBits-1)])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("spread %d: codes differ from values (-want +got):\n%s", tt.spread, diff)
		}
	}
}

func TestFilterCodes(t *testing.T) {
	pg := new([1 << ChunkBits]uint8)
	for i := range pg {
		pg[i] = uint8(i % 256) // 255 is NoCode
	}
	v := []uint16{0, 1, 100, 254, 255, 256, 511}
	tests := []struct {
		ulo, uhi uint64
		neg      bool
		want     []uint16
	}{
		{0, 255, false, []uint16{0, 1, 100, 254, 256}},
		{0, 255, true, []uint16{255, 511}},
		{1, 100, false, []uint16{1, 100}},
		{1, 100, true, []uint16{0, 254, 255, 256, 511}},
	}
	for _, tt := range tests {
		got := filterCodes(pg, tt.ulo, tt.uhi, append([]uint16(nil), v...), tt.neg)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("[%d, %d] neg %v (-want +got):\n%s", tt.ulo, tt.uhi, tt.neg, diff)
		}
	}
	if got := filterCodes(nil, 0, 10, append([]uint16(nil), v...), false); len(got) != 0 {
		t.Errorf("nil page kept %v", got)
	}
	if got := filterCodes(nil, 0, 10, append([]uint16(nil), v...), true); len(got) != len(v) {
		t.Errorf("nil page, neg: kept %v, want all", got)
	}
}
