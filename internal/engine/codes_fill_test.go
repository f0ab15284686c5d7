package engine

import (
	"math/rand/v2"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
)

// buildCodesNaive is BuildCodes a customer at a time: the twin the word
// at a time build is checked against.
func buildCodesNaive(known *Frozen, planes []*Frozen) *Codes {
	if len(planes) < minCodeDepth || len(planes) > maxCodeDepth {
		return nil
	}
	c := &Codes{pages: make([]*[1 << ChunkBits]uint8, known.Chunks())}
	for key := range c.pages {
		kc := known.get(key)
		if kc.kind == kAbsent {
			continue
		}
		pg := new([1 << ChunkBits]uint8)
		for i := range pg {
			pg[i] = NoCode
		}
		eachBit(kc, func(v uint16) { pg[v] = 0 })
		for j, pl := range planes {
			bit := uint8(1) << j
			eachBit(pl.get(key), func(v uint16) { pg[v] |= bit })
		}
		clash := false
		eachBit(kc, func(v uint16) { clash = clash || pg[v] == NoCode })
		if clash {
			return nil
		}
		c.pages[key] = pg
	}
	return c
}

// TestBuildCodesNaive compares BuildCodes with its naive twin on indexes
// whose containers are of every kind: arrays, bitmaps, runs, full chunks,
// absent chunks, densified or lazily dense arrays.
func TestBuildCodesNaive(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 15))
		var ids []uint32
		var vals []int64
		spread := []int64{73, 128, 200, 255, 256}[seed%5]
		for chunk := range 5 {
			base := uint32(chunk) << ChunkBits
			switch (int(seed) + chunk) % 5 {
			case 0: // sparse: arrays
				for range 300 + r.IntN(3000) {
					ids = append(ids, base+uint32(r.IntN(1<<ChunkBits)))
				}
			case 1: // dense: bitmaps
				for i := range 1 << ChunkBits {
					if r.IntN(3) > 0 {
						ids = append(ids, base+uint32(i))
					}
				}
			case 2: // full, one value in long runs
				for i := range 1 << ChunkBits {
					ids = append(ids, base+uint32(i))
				}
			case 3: // runs
				for i := 0; i < 1<<ChunkBits; i += 200 + r.IntN(500) {
					for j := range min(100+r.IntN(100), 1<<ChunkBits-i) {
						ids = append(ids, base+uint32(i+j))
					}
				}
			case 4: // absent
			}
		}
		seen := map[uint32]bool{}
		uniq := ids[:0]
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				uniq = append(uniq, id)
			}
		}
		ids = uniq
		for i := range ids {
			v := r.Int64N(spread)
			if seed%3 == 0 {
				v = int64(ids[i]>>9) % spread // runs of equal values
			}
			vals = append(vals, v)
		}
		x := bsi.Build(ids, vals)
		kb := roaring.BitmapOf(ids...)
		kb.RunOptimize()
		_, fk := Freeze(kb)
		var planes []*Frozen
		for _, p := range x.Planes {
			p.RunOptimize()
			_, f := Freeze(p)
			if seed%2 == 0 {
				Densify(f)
			}
			planes = append(planes, f)
		}
		if seed%4 == 1 { // lazily dense arrays
			for i := range fk.conts {
				fk.conts[i].arrayWords()
			}
		}
		got, want := BuildCodes(fk, planes), buildCodesNaive(fk, planes)
		if (got == nil) != (want == nil) {
			t.Fatalf("seed %d: BuildCodes made %v, naive %v", seed, got != nil, want != nil)
		}
		if got == nil {
			continue
		}
		for key := range want.pages {
			if (got.pages[key] == nil) != (want.pages[key] == nil) || got.pages[key] != nil && *got.pages[key] != *want.pages[key] {
				t.Fatalf("seed %d: page %d differs from the naive build", seed, key)
			}
		}
	}
}
