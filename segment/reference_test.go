package segment

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/engine"
)

// evalRoaring and countRoaring are the reference evaluator, the test
// oracle of the chunked one: the compiled plan evaluated with whole-bitmap
// roaring operations.
func (b *Base) evalRoaring(p Pred) *roaring.Bitmap {
	n := b.plan(p)
	engine.Estimate(n, b.live)
	return engine.Eval(n, b.live)
}

func (b *Base) countRoaring(p Pred) uint64 {
	n := b.plan(p)
	engine.Estimate(n, b.live)
	return engine.Count(n, b.live)
}
