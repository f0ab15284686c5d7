// Package engine evaluates compiled predicate plans over roaring bitmaps.
// A plan is a tree of Nodes whose leaves point at a base's bitmaps and
// bit-sliced indexes; evaluation never changes them and returns bitmaps the
// caller owns.
package engine

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
)

// Op is the operation of a plan node.
type Op uint8

// The plan operations.
const (
	None  Op = iota // nobody
	All             // every live customer
	Leaf            // the customers of Bitmap
	Range           // the customers of Known whose BSI value is in [Lo, Hi]
	And             // the customers in every Kids and in no Neg
	Or              // the customers in any Kids
)

// Node is one node of a plan.
type Node struct {
	Op     Op
	Bitmap *roaring.Bitmap // Leaf
	BSI    *bsi.BSI        // Range
	Known  *roaring.Bitmap // Range: the customers with a value
	Lo, Hi int64           // Range
	Kids   []*Node         // And, Or
	Neg    []*Node         // And: subtracted
	Est    uint64          // upper bound of the node's cardinality

	F      *Frozen   // chunked evaluation: Leaf: view of Bitmap; Range: of Known
	Planes []*Frozen // chunked evaluation: Range: views of BSI.Planes
	Codes  *Codes    // chunked evaluation: Range: the byte column, if the field has one
	rng    *rangeInfo
	steps  []step // And: Kids[1:] and Neg, in the order they run
}
