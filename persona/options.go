package persona

import (
	"errors"

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

// Option tunes Describe, New, Lookalike and Evaluate. Options are values
// that compose; each function reads the options that concern it and ignores
// the others.
type Option func(*options)

type options struct {
	ref       *roaring.Bitmap
	minCount  uint64
	minShare  float64
	minZ      float64
	minLift   float64
	maxTraits int
	fields    []string
	exclude   *roaring.Bitmap
	smoothing float64
	bands     int
	salt      uint64
	baseline  *Baseline
}

func collect(opts []Option) *options {
	o := &options{minCount: 10, minShare: 0.05, minZ: 3, minLift: 1.2, maxTraits: 8, smoothing: 0.5, bands: 10}
	for _, f := range opts {
		if f != nil {
			f(o)
		}
	}
	return o
}

// Reference makes Describe compare the members with the live customers of
// ids instead of the whole base: reference shares, lift and significance
// are computed against it. A nil ids means the whole base.
func Reference(ids *roaring.Bitmap) Option { return func(o *options) { o.ref = ids } }

// MinSupport sets the support a trait needs to distinguish a persona (New):
// at least count members (default 10) and at least share of the members
// (default 0.05).
func MinSupport(count uint64, share float64) Option {
	return func(o *options) { o.minCount, o.minShare = count, share }
}

// MinSignificance sets the z-score a trait needs to distinguish a persona
// (New); the default is 3.
func MinSignificance(z float64) Option { return func(o *options) { o.minZ = z } }

// MinLift sets the lift a trait needs to distinguish a persona (New); the
// default is 1.2.
func MinLift(lift float64) Option { return func(o *options) { o.minLift = lift } }

// MaxTraits sets how many distinguishing traits a persona keeps (New); the
// default is 8, and n < 0 keeps them all. It only cuts the list New has
// already ranked, so any n is safe: a large n costs nothing.
func MaxTraits(n int) Option { return func(o *options) { o.maxTraits = n } }

// Fields restricts Describe and Lookalike to the named fields, in the order
// of the base's fields. By default every field is used.
func Fields(names ...string) Option { return func(o *options) { o.fields = names } }

// Exclude removes ids from the look-alike candidates (Lookalike, Evaluate):
// customers already targeted, opted out, and so on.
func Exclude(ids *roaring.Bitmap) Option { return func(o *options) { o.exclude = ids } }

// Smoothing sets the pseudo-count added to each trait count when look-alike
// weights are computed (default 0.5, the Jeffreys prior). It must be > 0.
func Smoothing(alpha float64) Option { return func(o *options) { o.smoothing = alpha } }

// Bands sets into how many quantile bands of the base Lookalike, Weights
// and Evaluate cut each Int, Decimal and Time field to turn it into traits
// (default 10, deciles; fewer bands when quantiles coincide). Bands(0) and
// Bands(1) leave numeric fields out of the scoring. k must lie in
// [0, MaxBands]: the work and memory grow with k (one pass over the field
// and one bitmap of the base per band), and percentiles are as fine as
// quantile traits usefully get; the functions return an error wrapping
// ErrInvalidArgument for a k outside that range.
func Bands(k int) Option { return func(o *options) { o.bands = k } }

// MaxBands is the largest number of quantile bands Bands accepts.
const MaxBands = 100

// HoldoutSalt changes which seed members Evaluate holds out (default 0).
// The hold-out is a deterministic function of the customer IDs and the salt.
func HoldoutSalt(salt uint64) Option { return func(o *options) { o.salt = salt } }

func (o *options) useField(name string) bool {
	if o.fields == nil {
		return true
	}
	for _, f := range o.fields {
		if f == name {
			return true
		}
	}
	return false
}
