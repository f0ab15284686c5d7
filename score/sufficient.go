package score

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Stats holds the sufficient statistics of the BG/NBD and Gamma-Gamma
// likelihoods over a set of customers: how many customers have each
// (Frequency, Recency, T), and how many repeat buyers each (Frequency,
// Monetary). Both likelihoods are sums over customers of a function of
// those numbers alone, so customers with equal numbers can be counted
// instead of listed, and the counts of disjoint sets of customers add up.
// That makes Stats the thing a fleet of service instances exchanges to fit
// one model over all its customers: each instance summarizes its own
// customers (Summarize, then NewStats), the statistics merge (MergeStats),
// and FitBGNBDStats and FitGammaGammaStats fit once over the merge, with
// the same parameters, to the last bit, as FitBGNBD and FitGammaGamma over
// the summaries of all the customers.
//
// The fields are exported so that Stats crosses the wire as it is (JSON,
// gob). Its size is the number of distinct rows, not of customers: with
// Period and Unit of a day, Recency and T are whole numbers of days, and a
// base of any size over two years of purchases has at most a few million
// distinct (Frequency, Recency, T); mean spends are rarely equal, so
// Spends holds about one row per repeat buyer unless the caller rounds
// Monetary (to whole currency units, say) before NewStats.
//
// The zero Stats holds no customers. NewStats and MergeStats return rows
// sorted as documented on the fields, each key once; the fits accept rows
// in any order and with repeated keys.
type Stats struct {
	// Purchases counts every customer by (Frequency, Recency, T), sorted
	// by Frequency, then T, then Recency.
	Purchases []PurchaseCount
	// Spends counts the repeat buyers (Frequency > 0) by (Frequency,
	// Monetary), sorted by Frequency, then Monetary.
	Spends []SpendCount
}

// PurchaseCount is the number of customers with one (Frequency, Recency,
// T): a row of Stats.Purchases.
type PurchaseCount struct {
	Frequency int
	Recency   float64
	T         float64
	Customers int64
}

// SpendCount is the number of repeat buyers with one (Frequency,
// Monetary): a row of Stats.Spends.
type SpendCount struct {
	Frequency int
	Monetary  float64
	Customers int64
}

// NewStats returns the statistics of the summaries. It returns an error
// wrapping ErrInvalidSummary for a summary that no transactions could
// produce (see Summary.Err). A repeat buyer with Monetary 0 is counted;
// FitGammaGammaStats rejects it, as FitGammaGamma does.
func NewStats(s []Summary) (Stats, error) {
	type triple struct {
		x     int
		tx, T float64
	}
	type pair struct {
		x int
		z float64
	}
	bg := make(map[triple]int64, len(s)/4+1)
	gg := make(map[pair]int64)
	for _, c := range s {
		if err := c.check(); err != nil {
			return Stats{}, err
		}
		bg[triple{c.Frequency, c.Recency, c.T}]++
		if c.Frequency > 0 {
			gg[pair{c.Frequency, c.Monetary}]++
		}
	}
	st := Stats{Purchases: make([]PurchaseCount, 0, len(bg)), Spends: make([]SpendCount, 0, len(gg))}
	for k, n := range bg {
		st.Purchases = append(st.Purchases, PurchaseCount{Frequency: k.x, Recency: k.tx, T: k.T, Customers: n})
	}
	for k, n := range gg {
		st.Spends = append(st.Spends, SpendCount{Frequency: k.x, Monetary: k.z, Customers: n})
	}
	sortStats(&st)
	return st, nil
}

// MergeStats returns the statistics of the customers of all the stats,
// which must count disjoint sets of customers (one per shard): the rows of
// equal keys add their counts. It returns an error wrapping
// ErrInvalidSummary for a row no summary could have, or
// ErrInvalidArgument for a row of fewer than one customer.
func MergeStats(stats ...Stats) (Stats, error) {
	var out Stats
	for i, st := range stats {
		if err := st.check(fmt.Sprintf("stats[%d].", i)); err != nil {
			return Stats{}, err
		}
		out.Purchases = append(out.Purchases, st.Purchases...)
		out.Spends = append(out.Spends, st.Spends...)
	}
	sortStats(&out)
	return out, nil
}

// Customers returns the number of customers the statistics count.
func (st Stats) Customers() int64 {
	var n int64
	for _, r := range st.Purchases {
		n += r.Customers
	}
	return n
}

// RepeatBuyers returns the number of customers with Frequency > 0.
func (st Stats) RepeatBuyers() int64 {
	var n int64
	for _, r := range st.Purchases {
		if r.Frequency > 0 {
			n += r.Customers
		}
	}
	return n
}

// check validates every row, naming them with the prefix.
func (st Stats) check(prefix string) error {
	for i, r := range st.Purchases {
		name := fmt.Sprintf("%sPurchases[%d]", prefix, i)
		if err := (Summary{Key: name, Frequency: r.Frequency, Recency: r.Recency, T: r.T}).check(); err != nil {
			return err
		}
		if r.Customers < 1 {
			return argError("stats: "+name+": Customers", r.Customers, ">= 1")
		}
	}
	for i, r := range st.Spends {
		name := fmt.Sprintf("%sSpends[%d]", prefix, i)
		if r.Frequency < 1 {
			return fmt.Errorf("score: stats: %s: field Frequency: value %d, want >= 1 (a repeat buyer): %w", name, r.Frequency, ErrInvalidSummary)
		}
		if badNumber(r.Monetary) {
			return fmt.Errorf("score: stats: %s: field Monetary: value %v, want a finite number >= 0: %w", name, r.Monetary, ErrInvalidSummary)
		}
		if r.Customers < 1 {
			return argError("stats: "+name+": Customers", r.Customers, ">= 1")
		}
	}
	return nil
}

// sortStats sorts the rows of st and merges the rows of equal keys.
func sortStats(st *Stats) {
	slices.SortFunc(st.Purchases, func(a, b PurchaseCount) int {
		if c := cmp.Compare(a.Frequency, b.Frequency); c != 0 {
			return c
		}
		if c := cmpFloat(a.T, b.T); c != 0 {
			return c
		}
		return cmpFloat(a.Recency, b.Recency)
	})
	ps := st.Purchases[:0]
	for _, r := range st.Purchases {
		if k := len(ps) - 1; k >= 0 && ps[k].Frequency == r.Frequency && ps[k].T == r.T && ps[k].Recency == r.Recency {
			ps[k].Customers += r.Customers
			continue
		}
		ps = append(ps, r)
	}
	st.Purchases = ps
	slices.SortFunc(st.Spends, func(a, b SpendCount) int {
		if c := cmp.Compare(a.Frequency, b.Frequency); c != 0 {
			return c
		}
		return cmpFloat(a.Monetary, b.Monetary)
	})
	ss := st.Spends[:0]
	for _, r := range st.Spends {
		if k := len(ss) - 1; k >= 0 && ss[k].Frequency == r.Frequency && ss[k].Monetary == r.Monetary {
			ss[k].Customers += r.Customers
			continue
		}
		ss = append(ss, r)
	}
	st.Spends = ss
}

// canonical returns st validated, sorted and with each key once, without
// changing st.
func (st Stats) canonical() (Stats, error) {
	if err := st.check(""); err != nil {
		return Stats{}, err
	}
	c := Stats{Purchases: slices.Clone(st.Purchases), Spends: slices.Clone(st.Spends)}
	sortStats(&c)
	return c, nil
}

// FitBGNBDStats fits the BG/NBD model to the customers the statistics
// count: the fit FitBGNBD runs on their summaries, with the same options,
// errors and result (the same parameters, to the last bit, since FitBGNBD
// groups the summaries into these very rows). It also returns an error
// wrapping ErrInvalidSummary or ErrInvalidArgument for a row MergeStats
// rejects.
func FitBGNBDStats(st Stats, opts ...FitOption) (BGNBD, error) {
	m, _, err := fitBGNBDStats(st, opts, false)
	return m, err
}

// FitBGNBDStatsReport is FitBGNBDStats that also reports on the fit, as
// FitBGNBDReport does: the same report as FitBGNBDReport over the
// summaries.
func FitBGNBDStatsReport(st Stats, opts ...FitOption) (BGNBD, FitReport, error) {
	return fitBGNBDStats(st, opts, true)
}

func fitBGNBDStats(st Stats, opts []FitOption, wantReport bool) (BGNBD, FitReport, error) {
	cfg, err := fitOptions(opts)
	if err != nil {
		return BGNBD{}, FitReport{}, err
	}
	c, err := st.canonical()
	if err != nil {
		return BGNBD{}, FitReport{}, err
	}
	if n := c.Customers(); n < minFitCustomers {
		return BGNBD{}, FitReport{}, fmt.Errorf("score: fit BG/NBD: %d customers, want at least %d: %w", n, minFitCustomers, ErrTooFewCustomers)
	}
	d := bgData{groups: make([]bgGroup, len(c.Purchases)), total: float64(c.Customers())}
	for i, r := range c.Purchases {
		d.groups[i] = bgGroup{x: r.Frequency, tx: r.Recency, T: r.T, n: float64(r.Customers)}
		if len(d.xs) == 0 || d.xs[len(d.xs)-1] != r.Frequency {
			d.xs = append(d.xs, r.Frequency)
			d.xn = append(d.xn, 0)
		}
		d.xn[len(d.xn)-1] += float64(r.Customers)
	}
	return fitBGNBDGroups(d, cfg, wantReport)
}

// FitGammaGammaStats fits the Gamma-Gamma model to the repeat buyers the
// statistics count: the fit FitGammaGamma runs on their summaries, with
// the same options, errors and result (the same parameters, to the last
// bit). It also returns an error wrapping ErrInvalidSummary or
// ErrInvalidArgument for a row MergeStats rejects.
func FitGammaGammaStats(st Stats, opts ...FitOption) (GammaGamma, error) {
	m, _, err := fitGammaGammaStats(st, opts, false)
	return m, err
}

// FitGammaGammaStatsReport is FitGammaGammaStats that also reports on the
// fit, as FitGammaGammaReport does: the same report as
// FitGammaGammaReport over the summaries.
func FitGammaGammaStatsReport(st Stats, opts ...FitOption) (GammaGamma, FitReport, error) {
	return fitGammaGammaStats(st, opts, true)
}

func fitGammaGammaStats(st Stats, opts []FitOption, wantReport bool) (GammaGamma, FitReport, error) {
	cfg, err := fitOptions(opts)
	if err != nil {
		return GammaGamma{}, FitReport{}, err
	}
	c, err := st.canonical()
	if err != nil {
		return GammaGamma{}, FitReport{}, err
	}
	gs, n, err := c.ggGroups()
	if err != nil {
		return GammaGamma{}, FitReport{}, err
	}
	return fitGammaGammaGroups(gs, n, int(c.Customers()), cfg, wantReport)
}

// ggGroups returns the Gamma-Gamma groups of canonical statistics, as
// groupGG returns them for the summaries.
func (st Stats) ggGroups() ([]ggGroup, float64, error) {
	gs := make([]ggGroup, len(st.Spends))
	var n float64
	for i, r := range st.Spends {
		if !(r.Monetary > 0) {
			return nil, 0, fmt.Errorf("score: stats: %d repeat buyers with Frequency %d: field Monetary: value %v, want > 0: %w",
				r.Customers, r.Frequency, r.Monetary, ErrInvalidSummary)
		}
		x := float64(r.Frequency)
		gs[i] = ggGroup{x: x, z: r.Monetary, n: float64(r.Customers), lx: math.Log(x), lz: math.Log(r.Monetary)}
		n += float64(r.Customers)
	}
	return gs, n, nil
}
