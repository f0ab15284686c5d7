package engine

// The reference evaluator: a plan evaluated with whole-bitmap roaring
// operations. Nothing in the library calls it; it is the test oracle of the
// chunked evaluator (Plan), here and in package segment.

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// Estimate fills n.Est bottom-up and orders the conjuncts of every And from
// the smallest estimate.
func Estimate(n *Node, live *roaring.Bitmap) uint64 {
	switch n.Op {
	case None:
		n.Est = 0
	case All:
		n.Est = live.GetCardinality()
	case Leaf:
		n.Est = n.Bitmap.GetCardinality()
	case Range:
		n.Est = n.Known.GetCardinality()
	case And:
		n.Est = ^uint64(0)
		for _, k := range n.Kids {
			n.Est = min(n.Est, Estimate(k, live))
		}
		for _, k := range n.Neg {
			Estimate(k, live)
		}
		slices.SortStableFunc(n.Kids, func(a, b *Node) int {
			switch {
			case a.Est < b.Est:
				return -1
			case a.Est > b.Est:
				return 1
			}
			return 0
		})
	case Or:
		n.Est = 0
		for _, k := range n.Kids {
			n.Est += Estimate(k, live)
		}
	}
	return n.Est
}

// Eval returns the customers n selects, as a new bitmap.
func Eval(n *Node, live *roaring.Bitmap) *roaring.Bitmap {
	switch n.Op {
	case All:
		return live.Clone()
	case Leaf:
		return n.Bitmap.Clone()
	case Range:
		return n.BSI.Range(n.Known, n.Lo, n.Hi)
	case And:
		return evalAnd(n, live)
	case Or:
		bms := make([]*roaring.Bitmap, len(n.Kids))
		for i, k := range n.Kids {
			bms[i] = view(k, live)
		}
		return roaring.FastOr(bms...)
	}
	return roaring.New()
}

// view returns the customers n selects, possibly as a bitmap of the base
// that must not be changed.
func view(n *Node, live *roaring.Bitmap) *roaring.Bitmap {
	switch n.Op {
	case All:
		return live
	case Leaf:
		return n.Bitmap
	}
	return Eval(n, live)
}

func evalAnd(n *Node, live *roaring.Bitmap) *roaring.Bitmap {
	var acc *roaring.Bitmap
	for _, k := range n.Kids {
		switch {
		case acc == nil:
			acc = Eval(k, live)
		case k.Op == Range:
			acc.And(k.Known)
			acc = k.BSI.Range(acc, k.Lo, k.Hi)
		default:
			acc.And(view(k, live))
		}
		if acc.IsEmpty() {
			return acc
		}
	}
	if acc == nil {
		acc = live.Clone()
	}
	for _, k := range n.Neg {
		if k.Op == Range {
			in := roaring.And(acc, k.Known)
			acc.AndNot(k.BSI.Range(in, k.Lo, k.Hi))
		} else {
			acc.AndNot(view(k, live))
		}
		if acc.IsEmpty() {
			return acc
		}
	}
	return acc
}

// Count returns the number of customers n selects, materializing as little
// as it can.
func Count(n *Node, live *roaring.Bitmap) uint64 {
	switch n.Op {
	case None:
		return 0
	case All:
		return live.GetCardinality()
	case Leaf:
		return n.Bitmap.GetCardinality()
	case And:
		if len(n.Kids) == 2 && len(n.Neg) == 0 && isView(n.Kids[0]) && isView(n.Kids[1]) {
			return view(n.Kids[0], live).AndCardinality(view(n.Kids[1], live))
		}
		if len(n.Kids) == 1 && len(n.Neg) == 1 && isView(n.Kids[0]) && isView(n.Neg[0]) {
			a := view(n.Kids[0], live)
			return a.GetCardinality() - a.AndCardinality(view(n.Neg[0], live))
		}
	case Or:
		if len(n.Kids) == 2 && isView(n.Kids[0]) && isView(n.Kids[1]) {
			return view(n.Kids[0], live).OrCardinality(view(n.Kids[1], live))
		}
	}
	return Eval(n, live).GetCardinality()
}

func isView(n *Node) bool { return n.Op == All || n.Op == Leaf }
