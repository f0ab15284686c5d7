package segment

import (
	"fmt"
)

// Option tunes Split and Report. Options are values: build them once and
// pass them to any number of calls. Split uses every option; Report uses
// SumOf only.
type Option func(*options)

type options struct {
	minSize uint64
	max     int
	sumOf   Field
	byValue bool
}

func makeOptions(opts []Option) options {
	o := options{minSize: 1}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// MinSize drops the micro-segments of Split with fewer than n members.
// Because a cell can only shrink as dimensions are added, a partial cell
// below n is dropped with every cell under it, unevaluated. The default, and
// the least, is 1: Split never reports empty cells.
func MinSize(n uint64) Option {
	return func(o *options) { o.minSize = max(n, 1) }
}

// MaxSegments keeps the k largest micro-segments of Split (the k most
// valuable ones with RankByValue). k <= 0 keeps them all, the default.
func MaxSegments(k int) Option {
	return func(o *options) { o.max = max(k, 0) }
}

// SumOf adds up a score field over the members of every segment: an Int, a
// Decimal (read with its scale, so 12.34 counts as 12.34) or a Flag (the
// number of true values). Members with no value add nothing.
func SumOf(f Field) Option {
	return func(o *options) { o.sumOf = f }
}

// RankByValue orders the micro-segments of Split by their sum (SumOf),
// most valuable first, and makes MaxSegments keep the most valuable ones.
// Without it Split orders by count, largest first.
func RankByValue() Option {
	return func(o *options) { o.byValue = true }
}

// scoreColumn checks a SumOf field against b: nil column and nil error when
// the base does not have the field (every sum is 0).
func (b *Base) scoreColumn(fn string, f Field) (*column, error) {
	if f == nil {
		return nil, nil
	}
	s := f.spec()
	switch s.kind {
	case KindInt, KindDecimal, KindFlag:
	default:
		return nil, &ArgError{Func: fn, Field: s.name,
			Msg: fmt.Sprintf("SumOf needs an int, decimal or flag field, not %s", s.describe())}
	}
	c := b.col(s.name)
	if c == nil || !c.spec.sameAs(s) || c.bsi == nil {
		return nil, nil
	}
	return c, nil
}
