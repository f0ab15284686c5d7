package segment

import (
	"fmt"
)

// Options are values of small sealed interfaces, one per family of calls,
// so that the compiler accepts only the options that mean something to a
// call: Split takes SplitOptions, Report ReportOptions, Eval and Count
// EvalOptions. Build them once and pass them to any number of calls; a nil
// option is ignored.

// SplitOption tunes Split: MinSize, MaxSegments, RankByValue and SumOf.
type SplitOption interface{ applySplit(*options) }

// ReportOption tunes Report: SumOf. Every ReportOption is a SplitOption
// too.
type ReportOption interface {
	SplitOption
	applyReport(*options)
}

type options struct {
	minSize uint64
	max     int
	sumOf   Field
	byValue bool
}

// splitOption is an option of Split only.
type splitOption func(*options)

func (f splitOption) applySplit(o *options) { f(o) }

// sumOption is SumOf: an option of Split and Report.
type sumOption struct{ f Field }

func (s sumOption) applySplit(o *options)  { o.sumOf = s.f }
func (s sumOption) applyReport(o *options) { o.sumOf = s.f }

func makeOptions(opts []SplitOption) options {
	o := options{minSize: 1}
	for _, opt := range opts {
		if opt != nil {
			opt.applySplit(&o)
		}
	}
	return o
}

func makeReportOptions(opts []ReportOption) options {
	o := options{minSize: 1}
	for _, opt := range opts {
		if opt != nil {
			opt.applyReport(&o)
		}
	}
	return o
}

// MinSize drops the micro-segments of Split with fewer than n members.
// Because a cell can only shrink as dimensions are added, a partial cell
// below n is dropped with every cell under it, unevaluated. The default, and
// the least, is 1: Split never reports empty cells.
func MinSize(n uint64) SplitOption {
	return splitOption(func(o *options) { o.minSize = max(n, 1) })
}

// MaxSegments keeps the k largest micro-segments of Split (the k most
// valuable ones with RankByValue). k <= 0 keeps them all, the default.
func MaxSegments(k int) SplitOption {
	return splitOption(func(o *options) { o.max = max(k, 0) })
}

// SumOf adds up a score field over the members of every segment of Split
// or Report: an Int, a Decimal (read with its scale, so 12.34 counts as
// 12.34) or a Flag (the number of true values). Members with no value add
// nothing.
func SumOf(f Field) ReportOption { return sumOption{f} }

// RankByValue orders the micro-segments of Split by their sum (SumOf),
// most valuable first, and makes MaxSegments keep the most valuable ones.
// Without it Split orders by count, largest first.
func RankByValue() SplitOption {
	return splitOption(func(o *options) { o.byValue = true })
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
