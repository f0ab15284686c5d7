package score

import "time"

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
