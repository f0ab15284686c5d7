package segment

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// QualityOption tunes Quality: MaxAge, DateRange, OutlierZ, RareBelow and
// MaxExamples. Like SplitOption it is sealed; a nil option is ignored, and
// a later option overrides an earlier one for the same field.
type QualityOption interface{ applyQuality(*qualityOptions) }

// The defaults of Quality's rules.
const (
	defaultOutlierZ   = 3.5  // Iglewicz & Hoaglin's cut-off for the modified z-score
	defaultRareCount  = 5    // a rare value has fewer customers than this ...
	defaultRareShare  = 0.01 // ... and less than this share of the field's known customers
	defaultExamples   = 3    // example customers per finding
	defaultDateFloorY = 120  // years before asOf where plausible times begin
)

type qualityOptions struct {
	maxAge    map[string]time.Duration // last-seen fields and their max age
	window    map[string][2]time.Time  // plausible window of a Time field
	z         float64                  // outlier cut-off of every numeric field ...
	zOf       map[string]float64       // ... unless set for the field
	rareCount uint64
	rareShare float64
	examples  int

	// The option errors, reported by Quality once it has the base.
	errs []*ArgError
	// The fields options name, checked against the base by Quality.
	named []namedField
}

type namedField struct {
	opt   string // "MaxAge", "DateRange", "OutlierZ"
	spec  fieldSpec
	kinds []Kind
}

type qualityOption func(*qualityOptions)

func (f qualityOption) applyQuality(o *qualityOptions) { f(o) }

func makeQualityOptions(opts []QualityOption) qualityOptions {
	o := qualityOptions{
		maxAge: map[string]time.Duration{}, window: map[string][2]time.Time{},
		z: defaultOutlierZ, zOf: map[string]float64{},
		rareCount: defaultRareCount, rareShare: defaultRareShare, examples: defaultExamples,
	}
	for _, opt := range opts {
		if opt != nil {
			opt.applyQuality(&o)
		}
	}
	return o
}

func (o *qualityOptions) fail(opt, field string, value any, err error, format string, args ...any) {
	o.errs = append(o.errs, &ArgError{Func: "Quality", Field: field, Value: value,
		Msg: opt + ": " + fmt.Sprintf(format, args...), Err: err})
}

// MaxAge says that the Time field f records when a customer was last seen
// (last purchase, last login): its values strictly before asOf-d are
// outdated, counted in FieldQuality.Outdated and reported as a finding of
// kind FindingOutdated. Without MaxAge no field is outdated: a signup date
// or a birth date does not age. d must not be negative.
func MaxAge(f Time, d time.Duration) QualityOption {
	return qualityOption(func(o *qualityOptions) {
		o.named = append(o.named, namedField{"MaxAge", f.spec(), []Kind{KindTime}})
		if d < 0 {
			o.fail("MaxAge", f.name, d, ErrOutOfRange, "the max age must not be negative")
			return
		}
		o.maxAge[f.name] = d
	})
}

// DateRange sets the plausible window of the Time field f to [from, to],
// both included: its values outside it are reported as findings of kind
// FindingImplausibleDate. The default window of every Time field is
// [asOf minus 120 years, asOf]: a time in the future, or older than any
// living customer, is a data error (a birth date of 1893, a last purchase
// in 2099). Give a window that ends after asOf for a field that may lie
// ahead, such as a renewal date.
func DateRange(f Time, from, to time.Time) QualityOption {
	return qualityOption(func(o *qualityOptions) {
		o.named = append(o.named, namedField{"DateRange", f.spec(), []Kind{KindTime}})
		switch {
		case from.IsZero() || to.IsZero():
			o.fail("DateRange", f.name, nil, ErrInvalidValue, "the window needs two non-zero times")
		case from.After(to):
			o.fail("DateRange", f.name, from, nil, "the start is after the end %s", formatTime(to))
		default:
			o.window[f.name] = [2]time.Time{from, to}
		}
	})
}

// OutlierZ sets the cut-off of the modified z-score above which a number
// is an outlier (see Quality): for the given Int and Decimal fields, or for
// every numeric field when none is given. The default is 3.5, the value
// Iglewicz and Hoaglin recommend. A higher cut-off suits a field with a
// long tail, such as spend, whose largest values are real. z must be
// positive and finite; +Inf turns the rule off.
func OutlierZ(z float64, fields ...Field) QualityOption {
	return qualityOption(func(o *qualityOptions) {
		for _, f := range fields {
			if f != nil {
				o.named = append(o.named, namedField{"OutlierZ", f.spec(), []Kind{KindInt, KindDecimal}})
			}
		}
		if math.IsNaN(z) || z <= 0 {
			o.fail("OutlierZ", "", z, ErrOutOfRange, "the cut-off must be positive")
			return
		}
		if len(fields) == 0 {
			o.z = z
			clear(o.zOf)
		}
		for _, f := range fields {
			if f != nil {
				o.zOf[f.Name()] = z
			}
		}
	})
}

// RareBelow sets what a rare value of a Cat or Set field is: a value held
// by fewer than count customers and by less than share (0 to 1) of the
// customers that have a value for the field. The default is 5 customers and
// 1%. count 0 or share 0 turns the rule off.
func RareBelow(count uint64, share float64) QualityOption {
	return qualityOption(func(o *qualityOptions) {
		if math.IsNaN(share) || share < 0 || share > 1 {
			o.fail("RareBelow", "", share, ErrOutOfRange, "the share must lie in [0, 1]")
			return
		}
		o.rareCount, o.rareShare = count, share
	})
}

// MaxExamples sets how many example customers each finding lists, 3 by
// default; n <= 0 lists none (counts stay exact).
func MaxExamples(n int) QualityOption {
	return qualityOption(func(o *qualityOptions) { o.examples = max(n, 0) })
}

// check reports the first option error, or a field an option names that
// the base has with a kind the option does not accept. A field the base
// does not have (no customer has had a value yet) is no error: the option
// has nothing to act on.
func (o *qualityOptions) check(b *Base) error {
	if len(o.errs) > 0 {
		return o.errs[0]
	}
	for _, n := range o.named {
		c := b.col(n.spec.name)
		if c != nil && (!c.spec.sameAs(n.spec) || !slices.Contains(n.kinds, c.spec.kind)) {
			return &ArgError{Func: "Quality", Field: n.spec.name,
				Msg: fmt.Sprintf("%s: needs %s field: the base has it as %s", n.opt, kindList(n.kinds), c.spec.describe())}
		}
	}
	return nil
}

// kindList names kinds for a message: "a time", "an int or decimal".
func kindList(ks []Kind) string {
	s := ks[0].String()
	for _, k := range ks[1:] {
		s += " or " + k.String()
	}
	if strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
