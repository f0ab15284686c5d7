package persona

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// Evaluation is the outcome of a look-alike hold-out test.
type Evaluation struct {
	Seed       uint64 // live seed members
	Train      uint64 // seed members the look-alike was built from
	Holdout    uint64 // seed members held out and ranked among the candidates
	Candidates uint64 // customers ranked: live, outside the training seed, not excluded
	N          int    // size of the audience
	Hits       uint64 // held-out members in the audience
	// Recall is Hits / Holdout; RandomRecall is what an audience of N
	// candidates drawn at random recalls on average, N / Candidates; Lift is
	// their ratio.
	Recall, RandomRecall, Lift float64
}

// Evaluate measures how well Lookalike finds seed members it was not shown:
// it holds out the given fraction of the seed (chosen by a hash of the IDs
// and HoldoutSalt, so the same call gives the same split), builds the
// audience of n from the rest of the seed, and counts the held-out members
// in it. holdout must lie in (0, 1) and leave both parts non-empty.
func Evaluate(base *segment.Base, seed *roaring.Bitmap, n int, holdout float64, opts ...EvaluateOption) (Evaluation, error) {
	if base == nil {
		return Evaluation{}, fmt.Errorf("persona: evaluate: %w", ErrNilBase)
	}
	if !(holdout > 0 && holdout < 1) {
		return Evaluation{}, fmt.Errorf("persona: evaluate holdout %g: %w: want (0, 1)", holdout, ErrInvalidArgument)
	}
	if n < 0 {
		return Evaluation{}, fmt.Errorf("persona: evaluate n = %d: %w: want n >= 0", n, ErrInvalidArgument)
	}
	o := evaluateOptions(opts)
	s := base.Live()
	if seed == nil {
		s.Clear()
	} else {
		s.And(seed)
	}
	ids := s.ToArray()
	k := int(math.Round(holdout * float64(len(ids))))
	if k == 0 || k == len(ids) {
		return Evaluation{}, fmt.Errorf("persona: evaluate: holdout %g of %d seed members: %w: want both parts non-empty",
			holdout, len(ids), ErrInvalidArgument)
	}
	slices.SortFunc(ids, func(a, b uint32) int {
		if c := cmp.Compare(mix(uint64(a)^o.salt), mix(uint64(b)^o.salt)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	held := roaring.BitmapOf(ids[:k]...)
	train := roaring.BitmapOf(ids[k:]...)
	l, err := newLookalike(base, train, o)
	if err != nil {
		return Evaluation{}, err
	}
	aud := l.top(n)
	ev := Evaluation{Seed: uint64(len(ids)), Train: uint64(len(ids) - k), Holdout: uint64(k),
		Candidates: l.cand.GetCardinality(), N: int(aud.GetCardinality())}
	ev.Hits = aud.AndCardinality(held)
	ev.Recall = ratio(ev.Hits, ev.Holdout)
	ev.RandomRecall = ratio(uint64(ev.N), ev.Candidates)
	if ev.RandomRecall > 0 {
		ev.Lift = ev.Recall / ev.RandomRecall
	}
	return ev, nil
}

// mix is the SplitMix64 finalizer: a fixed bijection that scatters IDs.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
