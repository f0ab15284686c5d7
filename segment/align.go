package segment

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/keydict"
)

// AlignIDs returns next with its customers renumbered to the IDs they have
// in prev: a key prev knows (live or removed) keeps its ID, a key new to
// prev gets a fresh ID after prev's, in next's order, and a customer of
// prev that next lacks is not live. The result is a later snapshot of
// prev's base, so Movement, Transitions and Standing work between a base
// and a full reload of it, whichever way the reload was built (FromColumns,
// a Builder, ReadBase) and in whatever row order. next's fields, values
// and live customers are unchanged; only IDs move.
//
// It returns next itself when its IDs already agree with prev's, and
// otherwise takes time and memory linear in the two bases. Neither base is
// modified.
func AlignIDs(prev, next *Base) (*Base, error) {
	if prev == nil || next == nil {
		return nil, &ArgError{Func: "AlignIDs", Msg: "nil base"}
	}
	np, nn := prev.IDCount(), next.IDCount()
	ids := make([]uint32, nn) // next's ID -> the aligned ID
	fresh := np
	identity := nn >= np
	var added []string // keys new to prev, in next's ID order
	for id := range nn {
		key, _ := next.dict.Key(id)
		pid, ok := prev.dict.Lookup(key)
		if !ok {
			pid = fresh
			fresh++
			added = append(added, key)
		}
		ids[id] = pid
		identity = identity && pid == id
	}
	if identity {
		return next, nil
	}
	keys := make([]string, 0, int(np)+len(added))
	for id := range np {
		key, _ := prev.dict.Key(id)
		keys = append(keys, key)
	}
	keys = append(keys, added...)
	dict, _ := keydict.FromKeys(keys) // prev's keys and new ones: no duplicate

	out := emptyBase()
	out.dict = dict
	out.live = renumber(next.live, ids)
	for _, c := range next.cols {
		out.byName[c.spec.name] = len(out.cols)
		out.cols = append(out.cols, renumberColumn(c, ids))
	}
	return out, nil
}

// renumber returns a new bitmap of ids[x] for every x in bm.
func renumber(bm *roaring.Bitmap, ids []uint32) *roaring.Bitmap {
	out := make([]uint32, 0, bm.GetCardinality())
	sorted := true
	it := bm.Iterator()
	for it.HasNext() {
		v := ids[it.Next()]
		sorted = sorted && (len(out) == 0 || out[len(out)-1] < v)
		out = append(out, v)
	}
	if !sorted {
		slices.Sort(out)
	}
	r := roaring.New()
	r.AddMany(out)
	r.RunOptimize()
	return r
}
