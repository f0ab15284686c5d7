package segment

import "github.com/RoaringBitmap/roaring/v2"

// Size is the memory a Base takes, by part, in bytes: what Base.Size
// reports, for capacity planning.
type Size struct {
	// Fields holds one entry per field, in the order of Base.Fields: its
	// bitmaps or bit planes, their chunked views' headers and dense copies,
	// and its byte code column if it has one.
	Fields []FieldSize
	// Dictionary is the key dictionary: the keys' bytes and offsets and the
	// hash tables from key to ID.
	Dictionary uint64
	// Live is the set of live customers and its view.
	Live uint64
	// Total is the sum of the parts.
	Total uint64
}

// FieldSize is the memory of one field of a Base.
type FieldSize struct {
	Name  string
	Bytes uint64
}

// Size returns the memory b takes, by part. Snapshots share every bitmap
// a batch did not touch; Size counts each snapshot's parts as if it were
// alone. It reads only sizes, not the data.
func (b *Base) Size() Size {
	bm := func(x *roaring.Bitmap) uint64 {
		if x == nil {
			return 0
		}
		return x.GetSizeInBytes()
	}
	var s Size
	for _, c := range b.cols {
		n := bm(c.known) + uint64(c.fzKnown.Bytes())
		for i, x := range c.bms {
			n += bm(x) + uint64(c.bmView(uint32(i)).Bytes())
		}
		if c.bsi != nil {
			for i, p := range c.bsi.Planes {
				n += bm(p)
				if i < len(c.fzPlanes) {
					n += uint64(c.fzPlanes[i].Bytes())
				}
			}
		}
		n += uint64(c.small.Bytes())
		s.Fields = append(s.Fields, FieldSize{Name: c.spec.name, Bytes: n})
		s.Total += n
	}
	s.Dictionary = b.dict.Bytes()
	s.Live = bm(b.live) + uint64(b.ev.live.Bytes()) // the view, once a query made it
	s.Total += s.Dictionary + s.Live
	return s
}
