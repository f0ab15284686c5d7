package score

import (
	"math"
	"time"
)

// Option configures Summarize and SummarizeColumns.
type Option interface {
	apply(*config)
}

type config struct {
	period    time.Duration
	unit      time.Duration
	dropAfter bool
	customers []string
	hasKnown  bool
	returns   ReturnPolicy
}

func defaultConfig() config {
	return config{period: 24 * time.Hour, unit: 24 * time.Hour}
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Period sets the grouping period: purchases by one customer within one
// period count as one purchase, whose value is their summed amount. Periods
// are aligned to the Unix epoch (1970-01-01 00:00 UTC), so a 24-hour period
// is a UTC calendar day. The default is 24 hours.
func Period(d time.Duration) Option {
	return optionFunc(func(c *config) { c.period = d })
}

// Unit sets the unit in which Recency and T are measured, for example a week
// (7*24*time.Hour). The default is 24 hours. Model parameters and horizons
// are then in this unit too.
func Unit(d time.Duration) Option {
	return optionFunc(func(c *config) { c.unit = d })
}

// DropAfterAsOf makes the summarizer ignore transactions later than asOf
// (the holdout period of a calibration/holdout split) instead of returning
// an error wrapping ErrAfterAsOf. Customers whose first purchase is after
// asOf then get no summary.
func DropAfterAsOf() Option {
	return optionFunc(func(c *config) { c.dropAfter = true })
}

// Customers declares the known customers. A transaction of any other key is
// an error wrapping ErrUnknownKey, and summaries come in the order of keys
// (customers without a purchase by asOf are left out). Without it,
// summaries come in the order in which customers first appear in the input.
func Customers(keys ...string) Option {
	return optionFunc(func(c *config) { c.customers = keys; c.hasKnown = true })
}

// FitOption configures FitBGNBD and FitGammaGamma.
type FitOption interface {
	applyFit(*fitConfig)
}

type fitConfig struct {
	penalizer float64
}

type fitOptionFunc func(*fitConfig)

func (f fitOptionFunc) applyFit(c *fitConfig) { f(c) }

// Penalizer adds coef·Σ(ln θ)² to the mean negative log-likelihood per
// customer that a fit minimizes: an L2 penalty on the log-parameters θ, so
// that no parameter can run off to 0 or +Inf and small or degenerate groups
// still fit (towards 1 on the log scale: R = A = B = 1, P = Q = 1). The
// scale parameters are made unit-free first, Alpha times the mean purchase
// rate (total Frequency over total T) and V divided by the mean Monetary of
// the repeat buyers, so the penalty does not depend on the time unit or the
// currency. coef must be finite and >= 0; 0, the default, is plain maximum
// likelihood. Values of 0.001 to 0.1 are customary.
//
// The Python lifetimes library's penalizer_coef penalizes the squared
// parameters themselves (coef·Σθ², with BG/NBD times scaled so that the
// longest T is 10), which does not stop a parameter from running to 0; the
// two coefficients are not interchangeable.
func Penalizer(coef float64) FitOption {
	return fitOptionFunc(func(c *fitConfig) { c.penalizer = coef })
}

func fitOptions(opts []FitOption) (fitConfig, error) {
	var c fitConfig
	for _, o := range opts {
		o.applyFit(&c)
	}
	if !(c.penalizer >= 0) || math.IsInf(c.penalizer, 0) {
		return c, argError("option Penalizer", c.penalizer, "a finite number >= 0")
	}
	return c, nil
}
