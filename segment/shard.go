package segment

import (
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
)

// Shard places a base in a fleet's global ID space, the way FeatureBase
// cuts its column space into fixed-width shards: the space of 2^32 global
// IDs is cut into ranges of 2^Bits IDs each, and shard i owns the range
// [i·2^Bits, (i+1)·2^Bits). The base that shard i holds assigns its own
// dense IDs, as every base does; its local ID l is the global ID
// i·2^Bits + l. A member set leaves a shard as a bitmap of global IDs
// (Global), the sets of all shards merge by a plain union (the ranges are
// disjoint), and a global set goes back to one shard as its local IDs
// (Local).
//
// Bits lies in [16, 32], so that a range is a whole number of roaring
// containers and translating a bitmap moves containers without touching
// their contents. A fleet of 16 shards of 2^28 IDs covers the 2^32 global
// IDs; 1 billion customers on 16 machines fit in 16 shards of 2^26 (67
// million) IDs with room for 48 more shards.
//
// The zero Shard is the only shard of a fleet of one: it owns every ID,
// and its global IDs are its local IDs.
type Shard struct {
	index uint32
	high  uint8 // 32 - Bits: the bits of the shard index
}

// NewShard returns shard index of a space cut into ranges of 2^bits IDs.
// It returns an *ArgError for bits outside [16, 32] or an index at or past
// the 2^(32-bits) shards the space holds.
func NewShard(index uint32, bits int) (Shard, error) {
	if bits < 16 || bits > 32 {
		return Shard{}, &ArgError{Func: "NewShard", Value: bits, Err: ErrOutOfRange,
			Msg: "bits must lie in [16, 32]: a shard owns a whole number of 65,536-ID roaring containers"}
	}
	high := uint8(32 - bits)
	if uint64(index) >= 1<<high {
		return Shard{}, &ArgError{Func: "NewShard", Value: index, Err: ErrOutOfRange,
			Msg: fmt.Sprintf("shard index must be below %d, the shards of 2^%d IDs in 2^32", uint64(1)<<high, bits)}
	}
	return Shard{index: index, high: high}, nil
}

// Index returns the shard's position in the fleet.
func (s Shard) Index() uint32 { return s.index }

// Bits returns log2 of the number of IDs the shard owns.
func (s Shard) Bits() int { return 32 - int(s.high) }

// Size returns the number of IDs the shard owns, 2^Bits: a base on the
// shard may assign that many IDs (IDCount), removed customers included.
func (s Shard) Size() uint64 { return 1 << s.Bits() }

// First returns the shard's first global ID, Index·2^Bits.
func (s Shard) First() uint32 { return uint32(uint64(s.index) << s.Bits()) }

// String returns the shard and its range, "shard 3 [201326592, 268435456)".
func (s Shard) String() string {
	return fmt.Sprintf("shard %d [%d, %d)", s.index, s.First(), uint64(s.First())+s.Size())
}

// GlobalID returns the global ID of the shard's local ID, and false for a
// local ID at or past Size.
func (s Shard) GlobalID(local uint32) (uint32, bool) {
	if uint64(local) >= s.Size() {
		return 0, false
	}
	return s.First() + local, true
}

// LocalID returns the shard's local ID of a global ID, and false when the
// shard does not own it.
func (s Shard) LocalID(global uint32) (uint32, bool) {
	if !s.Owns(global) {
		return 0, false
	}
	return global - s.First(), true
}

// Owns says whether the global ID lies in the shard's range.
func (s Shard) Owns(global uint32) bool { return uint64(global)>>s.Bits() == uint64(s.index) }

// Fits returns nil when every ID of b (IDCount, removed customers
// included) has a global ID on the shard, and otherwise an *ArgError
// wrapping ErrOutOfRange: the base has outgrown its range and must move to
// a shard of more Bits.
func (s Shard) Fits(b *Base) error {
	if n := uint64(b.IDCount()); n > s.Size() {
		return &ArgError{Func: "Shard.Fits", Value: n, Err: ErrOutOfRange,
			Msg: fmt.Sprintf("the base has assigned %d IDs, more than the %d of %v", n, s.Size(), s)}
	}
	return nil
}

// Global returns a new bitmap of the global IDs of the local IDs in local.
// It returns an *ArgError wrapping ErrOutOfRange when an ID of local is at
// or past Size. The work moves whole containers: it is proportional to the
// number of containers, not of IDs.
func (s Shard) Global(local *roaring.Bitmap) (*roaring.Bitmap, error) {
	if local == nil || local.IsEmpty() {
		return roaring.New(), nil
	}
	if m := local.Maximum(); uint64(m) >= s.Size() {
		return nil, &ArgError{Func: "Shard.Global", Value: m, Err: ErrOutOfRange,
			Msg: fmt.Sprintf("local ID past the %d IDs of %v", s.Size(), s)}
	}
	if s.First() == 0 {
		return local.Clone(), nil
	}
	return roaring.AddOffset64(local, int64(s.First())), nil
}

// Local returns a new bitmap of the local IDs of the global IDs in global
// that the shard owns; the others are ignored. It is how a shard reads a
// member set made by the fleet (a union of every shard's Global).
func (s Shard) Local(global *roaring.Bitmap) *roaring.Bitmap {
	if global == nil || global.IsEmpty() {
		return roaring.New()
	}
	first := uint64(s.First())
	own := global
	if s.high > 0 {
		r := roaring.New()
		r.AddRange(first, first+s.Size())
		own = roaring.And(global, r)
	}
	if first == 0 {
		if own == global {
			return global.Clone()
		}
		return own
	}
	return roaring.AddOffset64(own, -int64(first))
}

// ShardOf returns the shard in [0, n) that owns a customer key in a fleet
// of n shards that route customers by key: a jump consistent hash (Lamping
// and Veach, 2014) of the key's 64-bit FNV-1a hash. Keys spread evenly,
// and when the fleet grows from n to n+1 shards only about 1/(n+1) of the
// keys move, all of them to the new shard. The function is part of the
// library's contract: it returns the same shard for a key in every
// version. It returns 0 for n < 1.
func ShardOf(key string, n int) int {
	if n <= 1 {
		return 0
	}
	k := uint64(14695981039346656037) // FNV-1a, 64 bits
	for i := 0; i < len(key); i++ {
		k ^= uint64(key[i])
		k *= 1099511628211
	}
	b, j := int64(-1), int64(0)
	for j < int64(n) {
		b = j
		k = k*2862933555777941757 + 1
		j = int64(float64(b+1) * (float64(int64(1)<<31) / float64((k>>33)+1)))
	}
	return int(b)
}
