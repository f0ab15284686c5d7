package persona

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// weightScale turns a log-likelihood ratio into an integer weight: scores
// are sums of integers, so the ranking is the same on every platform.
const weightScale = 1 << 10

// Weight is the look-alike weight of one trait.
type Weight struct {
	Field string
	// Value is the value as fmt.Sprint prints it, or for a numeric band
	// the closed range as a person writes it ("70-79", "1,000.00-1,249.99",
	// "2026-01-01 to 2026-03-31"; see Trait.Value).
	Value string
	// Raw is the value itself (see Trait.Raw); a Range for a numeric band.
	Raw  any
	Seed uint64 // seed members with the trait
	Rest uint64 // candidates (live non-members) with the trait
	// LLR is the smoothed log-likelihood ratio of having the trait; see
	// Lookalike. It is 0 for a trait fewer than MinTraitCount live
	// customers hold. Score is LLR·1024 rounded: what a candidate with the
	// trait adds to its score.
	LLR   float64
	Score int32
}

type trait struct {
	Weight
	bm *roaring.Bitmap
}

// Lookalike returns the n live non-members of seed who most resemble it.
// Members of seed that are not live are ignored; Exclude removes more
// candidates. Fewer than n are returned when there are fewer candidates.
//
// Traits are the values of every Cat, Set and Flag field and the quantile
// bands of every Int, Decimal and Time field (QuantileBands, default
// deciles of the base), closed ranges of whole units (integer edges for an
// Int) that at least one live customer holds; Only and Omit choose the
// fields. A trait that fewer than MinTraitCount live customers hold
// (default 10: a value such as a typo held by one seed member) gets no
// weight, since its share in the seed says nothing. Each other trait is
// weighted as in a Bernoulli
// naive Bayes classifier of seed against the rest: with a of the S seed
// members and b of the R other live customers having it, and α the
// smoothing (default 0.5),
//
//	w = log((a+α)/(S+2α)) − log((b+α)/(R+2α))          having it
//	  − [log((S−a+α)/(S+2α)) − log((R−b+α)/(R+2α))]   minus not having it
//
// so a candidate's score, the sum of the weights of its traits, is the
// log-odds of seed membership up to a constant. Weights are quantized to
// integers for platform-independent ranking; scores accumulate in one pass
// over each trait's bitmap (never a loop over customers and fields), and the
// top n are taken by score, ties to the lower ID.
func Lookalike(base *segment.Base, seed *roaring.Bitmap, n int, opts ...LookalikeOption) (*roaring.Bitmap, error) {
	if n < 0 {
		return nil, fmt.Errorf("persona: lookalike n = %d: %w: want n >= 0", n, ErrInvalidArgument)
	}
	l, err := newLookalike(base, seed, lookalikeOptions(opts))
	if err != nil {
		return nil, err
	}
	return l.top(n), nil
}

// LookalikeFraction is Lookalike with n a fraction of the live base, as ad
// platforms size audiences (1% to 10% of a country's users): n is
// fraction·base.Len() rounded to the nearest integer. fraction must lie in
// (0, 1].
func LookalikeFraction(base *segment.Base, seed *roaring.Bitmap, fraction float64, opts ...LookalikeOption) (*roaring.Bitmap, error) {
	if !(fraction > 0 && fraction <= 1) {
		return nil, fmt.Errorf("persona: lookalike fraction %g: %w: want (0, 1]", fraction, ErrInvalidArgument)
	}
	if base == nil {
		return nil, fmt.Errorf("persona: lookalike: %w", ErrNilBase)
	}
	return Lookalike(base, seed, int(math.Round(fraction*float64(base.Len()))), opts...)
}

// Weights returns the look-alike weights Lookalike would use for seed, in
// field order, so that a caller can see why customers were picked.
func Weights(base *segment.Base, seed *roaring.Bitmap, opts ...LookalikeOption) ([]Weight, error) {
	l, err := newLookalike(base, seed, lookalikeOptions(opts))
	if err != nil {
		return nil, err
	}
	out := make([]Weight, len(l.traits))
	for i, t := range l.traits {
		out[i] = t.Weight
	}
	return out, nil
}

type lookalike struct {
	base   *segment.Base
	cand   *roaring.Bitmap
	traits []trait
}

func newLookalike(base *segment.Base, seed *roaring.Bitmap, o *options) (*lookalike, error) {
	if base == nil {
		return nil, fmt.Errorf("persona: lookalike: %w", ErrNilBase)
	}
	if !(o.smoothing > 0) || math.IsInf(o.smoothing, 0) {
		return nil, fmt.Errorf("persona: lookalike Smoothing(%g): %w: want > 0", o.smoothing, ErrInvalidArgument)
	}
	if o.bands < 0 || o.bands > MaxQuantileBands {
		return nil, fmt.Errorf("persona: lookalike QuantileBands(%d): %w: want [0, %d]", o.bands, ErrInvalidArgument, MaxQuantileBands)
	}
	s := base.Live()
	if seed == nil {
		s.Clear()
	} else {
		s.And(seed)
	}
	if s.IsEmpty() {
		return nil, fmt.Errorf("persona: lookalike: %w", ErrEmptySeed)
	}
	rest := base.Live()
	rest.AndNot(s)
	cand := rest.Clone()
	if o.exclude != nil {
		cand.AndNot(o.exclude)
	}
	l := &lookalike{base: base, cand: cand}
	S, R := float64(s.GetCardinality()), float64(rest.GetCardinality())
	alpha := o.smoothing
	// A small seed is counted through its complement (see
	// segment.Base.ValueCounts): bit tests instead of array merges.
	inSeed := func(bm *roaring.Bitmap) uint64 { return bm.AndCardinality(s) }
	if n := uint64(base.IDCount()); s.GetCardinality()*16 < n {
		notSeed := roaring.Flip(s, 0, n)
		inSeed = func(bm *roaring.Bitmap) uint64 { return bm.GetCardinality() - bm.AndCardinality(notSeed) }
	}
	add := func(field, value string, raw any, bm *roaring.Bitmap) {
		a := float64(inSeed(bm))
		b := float64(bm.GetCardinality()) - a
		w := 0.0
		if a+b >= float64(o.minTraitCount) {
			w = math.Log((a+alpha)/(S+2*alpha)) - math.Log((b+alpha)/(R+2*alpha)) -
				math.Log((S-a+alpha)/(S+2*alpha)) + math.Log((R-b+alpha)/(R+2*alpha))
		}
		l.traits = append(l.traits, trait{Weight: Weight{Field: field, Value: value, Raw: raw, Seed: uint64(a), Rest: uint64(b),
			LLR: w, Score: int32(math.Round(w * weightScale))}, bm: bm})
	}
	for _, fi := range base.Fields() {
		if !o.useField(fi.Name) {
			continue
		}
		switch fi.Kind {
		case segment.KindCat, segment.KindSet, segment.KindFlag:
			f := declared(base, fi.Name)
			for _, vc := range base.ValueCounts(f, nil) {
				add(fi.Name, fmt.Sprint(vc.Value), vc.Value, base.ValueBitmap(f, vc.Value))
			}
		default:
			// Band i is "at least its start" minus "at least the next
			// band's start": one bit-sliced walk per band. A band no live
			// customer holds (quantiles of a few distinct values) is no
			// trait.
			n := newNumField(base, fi)
			bds := n.quantileBands(base, o.bands)
			k := len(l.traits)
			var ge *roaring.Bitmap
			for i := len(bds) - 1; i >= 0; i-- {
				atLeast := base.Eval(n.atLeast(bds[i][0]))
				band := atLeast
				if ge != nil {
					band = roaring.AndNot(atLeast, ge)
				}
				ge = atLeast
				if !band.IsEmpty() {
					add(fi.Name, n.formatRange(bds[i][0], bds[i][1]), n.rangeOf(bds[i][0], bds[i][1]), band)
				}
			}
			// Keep the bands in increasing order.
			slices.Reverse(l.traits[k:])
		}
	}
	return l, nil
}

// scores returns every ID's score: the sum of the weights of its traits.
func (l *lookalike) scores() []int32 {
	sc := make([]int32, l.base.IDCount())
	buf := make([]uint32, 4096)
	for _, t := range l.traits {
		if t.Score == 0 {
			continue
		}
		it := t.bm.ManyIterator()
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, id := range buf[:n] {
				sc[id] += t.Score
			}
		}
	}
	return sc
}

// top returns the n candidates with the highest scores, ties to the lower
// ID. It buckets the scores to find the threshold bucket, then sorts only
// the candidates that fall in it.
func (l *lookalike) top(n int) *roaring.Bitmap {
	out := roaring.New()
	total := l.cand.GetCardinality()
	if n == 0 || total == 0 {
		return out
	}
	if uint64(n) >= total {
		return l.cand.Clone()
	}
	sc := l.scores()
	lo, hi := int64(math.MaxInt32), int64(math.MinInt32)
	buf := make([]uint32, 4096)
	each := func(fn func(id uint32)) {
		it := l.cand.ManyIterator()
		for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
			for _, id := range buf[:k] {
				fn(id)
			}
		}
	}
	each(func(id uint32) {
		lo, hi = min(lo, int64(sc[id])), max(hi, int64(sc[id]))
	})
	shift := uint(0)
	for (hi-lo)>>shift >= 1<<16 {
		shift++
	}
	hist := make([]uint64, (hi-lo)>>shift+1)
	bucket := func(id uint32) int { return int((int64(sc[id]) - lo) >> shift) }
	each(func(id uint32) { hist[bucket(id)]++ })
	// Find the bucket where the top n end.
	need := uint64(n)
	cut := len(hist) - 1
	for ; cut >= 0; cut-- {
		if hist[cut] >= need {
			break
		}
		need -= hist[cut]
	}
	var tie []uint32
	sel := make([]uint32, 0, n)
	each(func(id uint32) {
		switch b := bucket(id); {
		case b > cut:
			sel = append(sel, id)
		case b == cut:
			tie = append(tie, id)
		}
	})
	slices.SortStableFunc(tie, func(a, b uint32) int { return cmp.Compare(sc[b], sc[a]) })
	sel = append(sel, tie[:need]...)
	slices.Sort(sel)
	out.AddMany(sel)
	return out
}

// declared returns the base's field of that name, which the base has.
func declared(base *segment.Base, name string) segment.Field {
	f, _ := base.Declared(name)
	return f
}
