package score

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"
)

// Transaction is one purchase of one customer.
type Transaction struct {
	Key    string    // customer key, not empty
	Time   time.Time // when the purchase happened, not the zero time
	Amount float64   // revenue, finite and >= 0; negative for a return (see Returns)
	Cost   float64   // cost of the goods sold, finite and >= 0 (<= 0 for a return); Amount-Cost is the net profit
}

// Columns holds transactions column by column: row i is the transaction
// (Keys[i], Times[i], Amounts[i], Costs[i]). Keys, Times and Amounts have the
// same length; Costs is either nil (no costs) or of that length too.
type Columns struct {
	Keys    []string
	Times   []time.Time
	Amounts []float64
	Costs   []float64
}

// Summary is what the value models need to know about one customer's
// purchases up to a time asOf. Times are in the unit chosen with Unit and
// count from the start of the period of the customer's first purchase.
type Summary struct {
	Key       string  // customer key
	Frequency int     // number of repeat purchases: purchase periods after the first
	Recency   float64 // time from the first to the last purchase period
	T         float64 // time from the first purchase period to the period of asOf
	Monetary  float64 // mean value of the repeat purchases (0 when Frequency is 0)
	Revenue   float64 // total amount of all purchases up to asOf, the first included
	Profit    float64 // Revenue minus the total cost: the historical net profit
}

// Summarize returns one Summary per customer from transactions up to asOf.
//
// Rules: purchases of one customer in one period (see Period) count once,
// with their amounts summed; Recency and T are measured in the unit set by
// Unit. A transaction later than asOf is an error wrapping ErrAfterAsOf
// unless DropAfterAsOf is given. An empty key, a zero time, or a NaN or
// infinite amount or cost is an error wrapping ErrInvalidTransaction; the
// error is a *TransactionError that names the row. So is a negative amount
// or cost, unless the option Returns sets a policy for returns (a negative
// amount), which then says how they count. So are amounts whose sum for one
// customer overflows float64, and a time so far from asOf that the number
// of periods between them overflows int64. Periods are exact at any time (a
// sub-second Period before 1678 or after 2262 included). Summaries come in
// the order in which customers first appear (or in the order given to
// Customers).
func Summarize(txns []Transaction, asOf time.Time, opts ...Option) ([]Summary, error) {
	return summarize(len(txns), func(i int) (string, time.Time, float64, float64) {
		t := &txns[i]
		return t.Key, t.Time, t.Amount, t.Cost
	}, asOf, opts)
}

// SummarizeColumns is Summarize for transactions held in columns.
func SummarizeColumns(c Columns, asOf time.Time, opts ...Option) ([]Summary, error) {
	row, err := c.rows()
	if err != nil {
		return nil, err
	}
	return summarize(len(c.Keys), row, asOf, opts)
}

// rows returns the columns' row function, or an error wrapping
// ErrInvalidArgument when their lengths differ.
func (c Columns) rows() (rowFunc, error) {
	n := len(c.Keys)
	if len(c.Times) != n || len(c.Amounts) != n || (c.Costs != nil && len(c.Costs) != n) {
		return nil, fmt.Errorf("score: columns: lengths Keys %d, Times %d, Amounts %d, Costs %d, want equal lengths (Costs may be nil): %w",
			n, len(c.Times), len(c.Amounts), len(c.Costs), ErrInvalidArgument)
	}
	return func(i int) (string, time.Time, float64, float64) {
		var cost float64
		if c.Costs != nil {
			cost = c.Costs[i]
		}
		return c.Keys[i], c.Times[i], c.Amounts[i], cost
	}, nil
}

// periodIndex returns the number of the period that holds t, counted from
// the Unix epoch, exactly for every time, and false when the number does
// not fit in an int64 (sub-second periods billions of years away).
func periodIndex(t time.Time, p time.Duration) (int64, bool) {
	if p%time.Second == 0 {
		return floorDiv(t.Unix(), int64(p/time.Second)), true
	}
	if s := t.Unix(); s > -9e9 && s < 9e9 { // UnixNano is exact in 1685..2255
		return floorDiv(t.UnixNano(), int64(p)), true
	}
	ns := new(big.Int).Mul(big.NewInt(t.Unix()), big.NewInt(1e9))
	ns.Add(ns, big.NewInt(int64(t.Nanosecond())))
	q, m := new(big.Int), new(big.Int)
	q.DivMod(ns, big.NewInt(int64(p)), m) // Euclidean: the floor for p > 0
	return q.Int64(), q.IsInt64()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func badNumber(v float64) bool { return v < 0 || math.IsNaN(v) || math.IsInf(v, 0) }

// rowFunc returns row i of the input: key, time, amount and cost.
type rowFunc func(int) (string, time.Time, float64, float64)

// parseOptions applies and checks the options of the summarizers.
func parseOptions(opts []Option) (config, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o.apply(&cfg)
	}
	switch {
	case cfg.period <= 0:
		return cfg, argError("option Period", cfg.period, "> 0")
	case cfg.unit <= 0:
		return cfg, argError("option Unit", cfg.unit, "> 0")
	case cfg.returns < RejectReturns || cfg.returns > DropReturns:
		return cfg, argError("option Returns", cfg.returns, "RejectReturns, NetReturns or DropReturns")
	}
	return cfg, nil
}

// ledger holds the rows kept by collect, bucketed by customer: customer
// c's rows up to the split are rows[start[c]:start[c+1]], and those after
// it hrows[hstart[c]:hstart[c+1]] (SplitCalibration; a plain summary has
// none). Use customer, which orders a customer's rows by period.
type ledger struct {
	keys          []string
	start, hstart []int
	rows, hrows   []txnRec
}

// customer returns customer c's rows on one side of the split, ordered by
// period (stable, so rows of one period keep their input order).
func (l *ledger) customer(c int, hold bool) []txnRec {
	rows := l.rows[l.start[c]:l.start[c+1]]
	if hold {
		rows = l.hrows[l.hstart[c]:l.hstart[c+1]]
	}
	byPer := func(a, b txnRec) int { return cmpInt64(a.per, b.per) }
	if !slices.IsSortedFunc(rows, byPer) {
		slices.SortStableFunc(rows, byPer)
	}
	return rows
}

// collect validates the rows, numbers the customers and buckets the rows
// up to limit by customer, those later than split apart (split is limit
// for a plain summary). Returns are dropped under DropReturns.
func collect(n int, row rowFunc, limit, split time.Time, cfg *config) (ledger, error) {
	// Size the dictionary for about 8 transactions per customer: growing a
	// map of millions of keys costs more than the few bytes per row this
	// may waste.
	hint := n/8 + 1
	if cfg.hasKnown {
		hint = len(cfg.customers)
	}
	index := make(map[string]int32, hint)
	keys := make([]string, 0, hint)
	if cfg.hasKnown {
		for _, k := range cfg.customers {
			if _, dup := index[k]; dup {
				return ledger{}, argError("option Customers", strconv.Quote(k), "distinct keys")
			}
			index[k] = int32(len(keys))
			keys = append(keys, k)
		}
	}
	// Pass 1: validate, number customers, and compute each row's period.
	cust := make([]int32, n) // c, or -c-2 after split, or -1: dropped
	var lastKey string       // rows of one customer often come together
	lastC := int32(-1)
	for i := 0; i < n; i++ {
		key, tm, amt, cost := row(i)
		fail := func(field, value, want string, err error) error {
			return &TransactionError{Index: i, Key: key, Field: field, Value: value, Want: want, Err: err}
		}
		ret := cfg.returns != RejectReturns && isReturn(amt)
		switch {
		case key == "":
			return ledger{}, fail("Key", `""`, "a non-empty key", ErrInvalidTransaction)
		case tm.IsZero():
			return ledger{}, fail("Time", "the zero time", "a set time", ErrInvalidTransaction)
		case cfg.returns == RejectReturns && amt < 0 && !math.IsInf(amt, 0):
			return ledger{}, fail("Amount", strconv.FormatFloat(amt, 'g', -1, 64),
				"a finite number >= 0 (a return? choose a policy with the option Returns: NetReturns or DropReturns)", ErrInvalidTransaction)
		case ret && (math.IsNaN(amt) || math.IsInf(amt, 0)):
			return ledger{}, fail("Amount", strconv.FormatFloat(amt, 'g', -1, 64), "a finite number", ErrInvalidTransaction)
		case ret && (cost > 0 || math.IsNaN(cost) || math.IsInf(cost, 0)):
			return ledger{}, fail("Cost", strconv.FormatFloat(cost, 'g', -1, 64),
				"a finite number <= 0 for a return (Amount "+strconv.FormatFloat(amt, 'g', -1, 64)+"): the cost of the goods that come back carries the sign of Amount", ErrInvalidTransaction)
		case !ret && badNumber(amt):
			return ledger{}, fail("Amount", strconv.FormatFloat(amt, 'g', -1, 64), "a finite number >= 0", ErrInvalidTransaction)
		case !ret && badNumber(cost):
			return ledger{}, fail("Cost", strconv.FormatFloat(cost, 'g', -1, 64), "a finite number >= 0", ErrInvalidTransaction)
		}
		c, ok := lastC, lastC >= 0 && key == lastKey
		if !ok {
			c, ok = index[key]
		}
		if !ok {
			if cfg.hasKnown {
				return ledger{}, fail("Key", strconv.Quote(key), "a key given to Customers", ErrUnknownKey)
			}
		}
		if tm.After(limit) {
			if !cfg.dropAfter {
				return ledger{}, fail("Time", tm.Format(time.RFC3339Nano), "at or before asOf "+limit.Format(time.RFC3339Nano), ErrAfterAsOf)
			}
			cust[i] = -1
			continue
		}
		if ret && cfg.returns == DropReturns {
			cust[i] = -1
			continue
		}
		if !ok {
			c = int32(len(keys))
			index[key] = c
			keys = append(keys, key)
		}
		cust[i] = c
		if tm.After(split) {
			cust[i] = -c - 2
		}
		lastKey, lastC = key, c
	}
	limitPer, ok := periodIndex(limit, cfg.period)
	if !ok {
		return ledger{}, argError("asOf", limit.Format(time.RFC3339Nano), fmt.Sprintf("a time fewer than 2^63 periods of %v from the Unix epoch", cfg.period))
	}
	// Pass 2: bucket rows by customer (counting sort, stable), so that each
	// customer's rows lie together, those after split apart.
	start := make([]int, len(keys)+1)
	var hstart []int
	if split.Before(limit) {
		hstart = make([]int, len(keys)+1)
	}
	for _, c := range cust {
		switch {
		case c >= 0:
			start[c+1]++
		case c < -1:
			hstart[-c-1]++
		}
	}
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
		if hstart != nil {
			hstart[c] += hstart[c-1]
		}
	}
	bucket := make([]txnRec, start[len(keys)])
	next := append([]int(nil), start[:len(keys)]...)
	var hbucket []txnRec
	var hnext []int
	if hstart != nil {
		hbucket = make([]txnRec, hstart[len(keys)])
		hnext = append([]int(nil), hstart[:len(keys)]...)
	}
	for i, c := range cust {
		if c == -1 {
			continue
		}
		key, tm, amt, cost := row(i)
		per, ok := periodIndex(tm, cfg.period)
		if !ok || !spanOK(per, limitPer) {
			return ledger{}, &TransactionError{Index: i, Key: key, Field: "Time", Value: tm.Format(time.RFC3339Nano),
				Want: fmt.Sprintf("a time fewer than 2^63 periods of %v from asOf", cfg.period), Err: ErrInvalidTransaction}
		}
		r := txnRec{per: per, amt: amt, cost: cost}
		if c >= 0 {
			bucket[next[c]] = r
			next[c]++
		} else {
			c = -c - 2
			hbucket[hnext[c]] = r
			hnext[c]++
		}
	}
	return ledger{keys: keys, start: start, hstart: hstart, rows: bucket, hrows: hbucket}, nil
}

// periods sums the rows of one customer (ordered by period) into periods,
// reusing ps. Under NetReturns it nets the returns (see netReturns).
func periods(rows []txnRec, policy ReturnPolicy, ps []period, stack []int) ([]period, []int) {
	ps = ps[:0]
	returns := policy != RejectReturns
	for _, r := range rows {
		if len(ps) == 0 || ps[len(ps)-1].per != r.per {
			ps = append(ps, period{per: r.per})
		}
		p := &ps[len(ps)-1]
		p.amt += r.amt
		p.cost += r.cost
		p.gross += math.Abs(r.amt)
		p.touched = p.touched || (returns && isReturn(r.amt))
	}
	if policy == NetReturns {
		stack = netReturns(ps, stack)
	}
	return ps, stack
}

// summaryOf returns the summary of a customer's periods as of the period
// asOfPer, and false when none of them is a purchase.
func summaryOf(key string, ps []period, asOfPer int64, scale float64) (Summary, bool) {
	s := Summary{Key: key}
	var repeat float64
	first, last := int64(0), int64(0)
	seen := false
	for i := range ps {
		p := &ps[i]
		s.Profit += p.amt - p.cost
		if !p.purchase() {
			continue
		}
		s.Revenue += p.amt
		if !seen {
			first, seen = p.per, true
		} else {
			s.Frequency++
			repeat += p.amt
		}
		last = p.per
	}
	if !seen {
		return Summary{}, false
	}
	s.Recency = float64(last-first) * scale
	s.T = float64(asOfPer-first) * scale
	if s.Frequency > 0 {
		s.Monetary = repeat / float64(s.Frequency)
	}
	return s, true
}

func summarize(n int, row rowFunc, asOf time.Time, opts []Option) ([]Summary, error) {
	cfg, err := parseOptions(opts)
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, argError("asOf", "the zero time", "a set time")
	}
	l, err := collect(n, row, asOf, asOf, &cfg)
	if err != nil {
		return nil, err
	}
	asOfPer, _ := periodIndex(asOf, cfg.period) // collect checked it
	scale := float64(cfg.period) / float64(cfg.unit)
	out := make([]Summary, 0, len(l.keys))
	var ps []period
	var stack []int
	for c, key := range l.keys {
		ps, stack = periods(l.customer(c, false), cfg.returns, ps, stack)
		s, ok := summaryOf(key, ps, asOfPer, scale)
		if !ok {
			continue
		}
		if err := overflow(s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// overflow returns an error when a summary's sums overflowed.
func overflow(s Summary) error {
	if math.IsInf(s.Revenue, 0) || math.IsInf(s.Profit, 0) || math.IsInf(s.Monetary, 0) || math.IsNaN(s.Profit) {
		return fmt.Errorf("score: customer %q: field Amount: the sum of the amounts overflows (Revenue %v, Profit %v), want amounts whose sum is a finite float64: %w",
			s.Key, s.Revenue, s.Profit, ErrInvalidTransaction)
	}
	return nil
}

// txnRec is what the summarizer keeps of a transaction.
type txnRec struct {
	per       int64 // period number
	amt, cost float64
}

// spanOK reports whether asOfPer - per fits in an int64.
func spanOK(per, asOfPer int64) bool {
	d := asOfPer - per
	return (d >= 0) == (asOfPer >= per)
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Err returns nil for a summary that transactions could produce, or an
// error wrapping ErrInvalidSummary that names the field, the value and what
// was expected: negative or non-finite values, Recency > T, or Recency > 0
// with Frequency = 0. Model predictions return 0 for such a summary.
func (s Summary) Err() error { return s.check() }

// check validates a summary as input of a model.
func (s Summary) check() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("score: summary %q: field %s: value %v, want %s: %w", s.Key, field, v, want, ErrInvalidSummary)
	}
	switch {
	case s.Frequency < 0:
		return bad("Frequency", s.Frequency, ">= 0")
	case badNumber(s.T):
		return bad("T", s.T, "a finite number >= 0")
	case badNumber(s.Recency) || s.Recency > s.T:
		return bad("Recency", s.Recency, fmt.Sprintf("a finite number in [0, T=%v]", s.T))
	case s.Frequency == 0 && s.Recency != 0:
		return bad("Recency", s.Recency, "0 when Frequency is 0")
	case badNumber(s.Monetary):
		return bad("Monetary", s.Monetary, "a finite number >= 0")
	}
	return nil
}
