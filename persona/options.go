package persona

import (
	"errors"
	"maps"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// Errors returned by Describe, Lookalike, LookalikeFraction and Evaluate,
// wrapped with the offending value and the expectation. Test for them with
// errors.Is.
var (
	// ErrNilBase: the base is nil.
	ErrNilBase = errors.New("nil base")
	// ErrEmptySeed: the look-alike seed holds no live customer.
	ErrEmptySeed = errors.New("seed has no live customer")
	// ErrInvalidArgument: a count, fraction or option is out of range. It
	// is segment.ErrInvalidArgument, shared by every package of the library.
	ErrInvalidArgument = segment.ErrInvalidArgument
)

// Options are values of small sealed interfaces, one per family of
// functions, so that the compiler accepts only the options that mean
// something to a call:
//
//   - Describe takes DescribeOptions: Reference, ReferenceName, Only, Omit,
//     Against;
//   - NewBaseline takes BaselineOptions: Reference, ReferenceName, Only,
//     Omit;
//   - New takes PersonaOptions: MinSupport, MinSignificance, MinLift,
//     MaxTraits, Phrase, PhraseValue;
//   - Lookalike, LookalikeFraction and Weights take LookalikeOptions: Only,
//     Omit, ExcludeCustomers, Smoothing, QuantileBands, MinTraitCount;
//   - Evaluate takes EvaluateOptions: every LookalikeOption and
//     HoldoutSalt.
//
// Build options once and pass them to any number of calls; a nil option is
// ignored.

// DescribeOption tunes Describe.
type DescribeOption interface{ applyDescribe(*options) }

// BaselineOption tunes NewBaseline. Every BaselineOption is a
// DescribeOption too: a baseline and Describe must agree on the reference
// and the fields.
type BaselineOption interface {
	DescribeOption
	applyBaseline(*options)
}

// PersonaOption tunes New.
type PersonaOption interface{ applyPersona(*options) }

// EvaluateOption tunes Evaluate.
type EvaluateOption interface{ applyEvaluate(*options) }

// LookalikeOption tunes Lookalike, LookalikeFraction and Weights. Every
// LookalikeOption is an EvaluateOption too.
type LookalikeOption interface {
	EvaluateOption
	applyLookalike(*options)
}

// FieldOption chooses the fields of Describe, NewBaseline, Lookalike,
// LookalikeFraction, Weights and Evaluate: Only and Omit.
type FieldOption interface {
	BaselineOption
	LookalikeOption
}

// option is every option: the interface its constructor returns says
// which calls take it.
type option func(*options)

func (f option) applyDescribe(o *options)  { f(o) }
func (f option) applyBaseline(o *options)  { f(o) }
func (f option) applyPersona(o *options)   { f(o) }
func (f option) applyEvaluate(o *options)  { f(o) }
func (f option) applyLookalike(o *options) { f(o) }

type options struct {
	ref           *roaring.Bitmap
	minCount      uint64
	minShare      float64
	minZ          float64
	minLift       float64
	maxTraits     int
	only          []string // nil: every field
	omit          []string
	exclude       *roaring.Bitmap
	smoothing     float64
	bands         int
	salt          uint64
	baseline      *Baseline
	refName       string
	phrases       map[string]string            // field -> format
	valueWord     map[string]map[string]string // field -> value -> words
	minTraitCount uint64
}

func defaults() *options {
	return &options{minCount: 10, minShare: 0.05, minZ: 3, minLift: 1.2, maxTraits: 8, smoothing: 0.5, bands: 10, minTraitCount: 10}
}

func describeOptions(opts []DescribeOption) *options {
	o := defaults()
	for _, f := range opts {
		if f != nil {
			f.applyDescribe(o)
		}
	}
	return o
}

func baselineOptions(opts []BaselineOption) *options {
	o := defaults()
	for _, f := range opts {
		if f != nil {
			f.applyBaseline(o)
		}
	}
	return o
}

func personaOptions(opts []PersonaOption) *options {
	o := defaults()
	for _, f := range opts {
		if f != nil {
			f.applyPersona(o)
		}
	}
	return o
}

func lookalikeOptions(opts []LookalikeOption) *options {
	o := defaults()
	for _, f := range opts {
		if f != nil {
			f.applyLookalike(o)
		}
	}
	return o
}

func evaluateOptions(opts []EvaluateOption) *options {
	o := defaults()
	for _, f := range opts {
		if f != nil {
			f.applyEvaluate(o)
		}
	}
	return o
}

// Reference makes Describe compare the members with the live customers of
// ids instead of the whole base: reference shares, lift and significance
// are computed against it. A nil ids means the whole base. Describe reads
// ids during the call only.
func Reference(ids *roaring.Bitmap) BaselineOption { return option(func(o *options) { o.ref = ids }) }

// ReferenceName names the reference in the words of a persona (New): its
// summary says "3.1× non-acceptors" and "median income 48,000.00 against
// 35,000.00 for non-acceptors". Without it the reference is "the base"
// for the whole base and "the reference" for a set named with Reference.
func ReferenceName(name string) BaselineOption {
	return option(func(o *options) { o.refName = name })
}

// Phrase sets how a persona's summary (New) writes a trait of field f:
// format with %s standing for the value, or for a numeric field the range
// ("who buy %s", "in %s", "aged %s"). By default a trait reads as the
// field's name with underscores as spaces, then the value: "spending score
// 70-99"; a Flag reads as its name, or "not" and its name.
func Phrase(f segment.Field, format string) PersonaOption {
	return option(func(o *options) {
		if f == nil {
			return
		}
		o.phrases = maps.Clone(o.phrases)
		if o.phrases == nil {
			o.phrases = map[string]string{}
		}
		o.phrases[f.Name()] = format
	})
}

// PhraseValue sets the words a persona's summary (New) writes for one value
// of a Cat, Set or Flag field, value as Trait.Value prints it:
// PhraseValue(gender, "f", "women"). It wins over Phrase.
func PhraseValue(f segment.Field, value, words string) PersonaOption {
	return option(func(o *options) {
		if f == nil {
			return
		}
		m := maps.Clone(o.valueWord)
		if m == nil {
			m = map[string]map[string]string{}
		}
		vm := maps.Clone(m[f.Name()])
		if vm == nil {
			vm = map[string]string{}
		}
		vm[value] = words
		m[f.Name()] = vm
		o.valueWord = m
	})
}

// MinSupport sets the support a trait needs to distinguish a persona (New):
// at least count members (default 10) and at least share of the members
// (default 0.05).
func MinSupport(count uint64, share float64) PersonaOption {
	return option(func(o *options) { o.minCount, o.minShare = count, share })
}

// MinSignificance sets the z-score a trait needs to distinguish a persona
// (New); the default is 3.
func MinSignificance(z float64) PersonaOption { return option(func(o *options) { o.minZ = z }) }

// MinLift sets the lift a trait needs to distinguish a persona (New); the
// default is 1.2.
func MinLift(lift float64) PersonaOption { return option(func(o *options) { o.minLift = lift }) }

// MaxTraits sets how many distinguishing traits a persona keeps (New); the
// default is 8, and n < 0 keeps them all. It only cuts the list New has
// already ranked, so any n is safe: a large n costs nothing.
func MaxTraits(n int) PersonaOption { return option(func(o *options) { o.maxTraits = n }) }

// Only restricts Describe, NewBaseline and the look-alike functions to the
// given fields, in the order of the base's fields. By default every field
// is used; several Only options add up.
func Only(fields ...segment.Field) FieldOption {
	names := fieldNames(fields)
	return option(func(o *options) { o.only = append(slices.Clip(o.only), names...) })
}

// Omit leaves the given fields out of Describe, NewBaseline and the
// look-alike functions: a field that defines the segment, whose trait
// would say only that ("rfm_segment = champions, 7.9x"), or an
// identifier. Omit wins over Only.
func Omit(fields ...segment.Field) FieldOption {
	names := fieldNames(fields)
	return option(func(o *options) { o.omit = append(slices.Clip(o.omit), names...) })
}

func fieldNames(fields []segment.Field) []string {
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		if f != nil {
			names = append(names, f.Name())
		}
	}
	return names
}

// ExcludeCustomers removes ids from the look-alike candidates (Lookalike,
// LookalikeFraction, Evaluate): customers already targeted, opted out, and
// so on. The functions read ids during the call only.
func ExcludeCustomers(ids *roaring.Bitmap) LookalikeOption {
	return option(func(o *options) { o.exclude = ids })
}

// Smoothing sets the pseudo-count added to each trait count when look-alike
// weights are computed (default 0.5, the Jeffreys prior). It must be > 0.
func Smoothing(alpha float64) LookalikeOption {
	return option(func(o *options) { o.smoothing = alpha })
}

// QuantileBands sets into how many quantile bands of the base Lookalike,
// Weights and Evaluate cut each Int, Decimal and Time field to turn it into
// traits (default 10, deciles; fewer bands when quantiles coincide).
// QuantileBands(0) and QuantileBands(1) leave numeric fields out of the
// scoring. k must lie in
// [0, MaxBands]: the work and memory grow with k (one pass over the field
// and one bitmap of the base per band), and percentiles are as fine as
// quantile traits usefully get; the functions return an error wrapping
// ErrInvalidArgument for a k outside that range.
func QuantileBands(k int) LookalikeOption { return option(func(o *options) { o.bands = k }) }

// MinTraitCount sets how many live customers, seed and rest together, a
// trait needs to get a look-alike weight (default 10); a rarer trait gets
// weight 0. A value held by one or two customers (a typo such as marital
// status "YOLO") would otherwise get one of the largest weights when one of
// them is a seed member.
func MinTraitCount(n uint64) LookalikeOption {
	return option(func(o *options) { o.minTraitCount = n })
}

// MaxQuantileBands is the largest number of quantile bands QuantileBands
// accepts.
const MaxQuantileBands = 100

// HoldoutSalt changes which seed members Evaluate holds out (default 0).
// The hold-out is a deterministic function of the customer IDs and the salt.
func HoldoutSalt(salt uint64) EvaluateOption { return option(func(o *options) { o.salt = salt }) }

func (o *options) useField(name string) bool {
	return !slices.Contains(o.omit, name) && (o.only == nil || slices.Contains(o.only, name))
}
