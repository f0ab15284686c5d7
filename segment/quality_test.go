package segment

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// qualityRules are the parameters of Quality's rules that the oracle
// applies row by row.
type qualityRules struct {
	asOf      time.Time
	maxAge    map[string]time.Duration
	window    map[string][2]time.Time
	z         float64
	zOf       map[string]float64
	rareCount uint64
	rareShare float64
	examples  int
}

func defaultRules(asOf time.Time) qualityRules {
	return qualityRules{asOf: asOf, z: 3.5, rareCount: 5, rareShare: 0.01, examples: 3}
}

// flaggedRow is a customer of a finding in the oracle: its ID, stored
// value and the value as Flagged reports it.
type flaggedRow struct {
	id    int
	n     int64
	value any
}

// oracleQuality is Quality computed from its definition, one row at a
// time, with exact rational arithmetic for the modified z-score.
func oracleQuality(o *oracle, fields []FieldInfo, r qualityRules) []FieldQuality {
	live := uint64(len(o.eval(All())))
	var out []FieldQuality
	for _, fi := range fields {
		q := FieldQuality{Name: fi.Name, Kind: fi.Kind}
		distinct := map[any]bool{}
		holders := map[any][]int{} // Cat, Set: value -> IDs
		var order []any            // values in first-seen order
		var rows []flaggedRow      // numbers and times
		for id, rw := range o.rows {
			v, ok := rw.vals[fi.Name]
			if !rw.live || !ok || fi.Kind == KindSet && len(v.set()) == 0 {
				continue
			}
			q.Known++
			var vals []any
			switch fi.Kind {
			case KindCat:
				vals = []any{v.cat()}
			case KindSet:
				vals = v.set()
			default:
				distinct[v.n] = true
				rows = append(rows, flaggedRow{id, v.n, oracleValue(fi, v.n)})
			}
			for _, x := range vals {
				distinct[x] = true
				if _, seen := holders[x]; !seen {
					order = append(order, x)
				}
				holders[x] = append(holders[x], id)
			}
		}
		q.Missing = live - q.Known
		if live > 0 {
			q.MissingShare = float64(q.Missing) / float64(live)
		}
		q.Distinct = uint64(len(distinct))
		switch fi.Kind {
		case KindCat, KindSet:
			q.Findings = oracleRare(o, q.Known, order, holders, r)
		case KindInt, KindDecimal:
			z, ok := r.zOf[fi.Name]
			if !ok {
				z = r.z
			}
			q.Findings = oracleOutliers(o, rows, z, r.examples)
		case KindTime:
			from, to := r.asOf.AddDate(-120, 0, 0), r.asOf
			if w, ok := r.window[fi.Name]; ok {
				from, to = w[0], w[1]
			}
			early := oracleFinding(o, rows, FindingImplausibleDate, false, r.examples, func(x flaggedRow) bool {
				return big.NewRat(x.n, 1).Cmp(timeRat(from)) < 0
			})
			late := oracleFinding(o, rows, FindingImplausibleDate, true, r.examples, func(x flaggedRow) bool {
				return big.NewRat(x.n, 1).Cmp(timeRat(to)) > 0
			})
			q.Findings = append(early, late...)
			if d, ok := r.maxAge[fi.Name]; ok {
				cut := r.asOf.Add(-d)
				f := oracleFinding(o, rows, FindingOutdated, false, r.examples, func(x flaggedRow) bool {
					return big.NewRat(x.n, 1).Cmp(timeRat(cut)) < 0
				})
				if len(f) > 0 {
					q.Outdated = f[0].Count
					q.Findings = append(q.Findings, f...)
				}
			}
		}
		for i := range q.Findings {
			q.Findings[i].Share = float64(q.Findings[i].Count) / float64(q.Known)
		}
		out = append(out, q)
	}
	return out
}

func oracleValue(fi FieldInfo, n int64) any {
	switch fi.Kind {
	case KindDecimal:
		return float64(n) / math.Pow10(fi.Scale)
	case KindTime:
		return time.Unix(n, 0).UTC()
	case KindFlag:
		return n != 0
	}
	return n
}

// oracleOutliers flags x when 2·0.6745·|2x − s| > z·d, s the sum of the two
// middle values and d that of the two middle values of |2x − s|: the
// modified z-score 0.6745·|x − s/2| / (d/4) above z.
func oracleOutliers(o *oracle, rows []flaggedRow, z float64, examples int) []Finding {
	if len(rows) == 0 || math.IsInf(z, 1) {
		return nil
	}
	xs := make([]int64, len(rows))
	for i, x := range rows {
		xs[i] = x.n
	}
	slices.Sort(xs)
	k0, k1 := (len(xs)-1)/2, len(xs)/2
	s := new(big.Int).Add(big.NewInt(xs[k0]), big.NewInt(xs[k1]))
	dev := func(n int64) *big.Int {
		d := new(big.Int).Mul(big.NewInt(n), big.NewInt(2))
		return d.Abs(d.Sub(d, s))
	}
	ds := make([]*big.Int, len(xs))
	for i, x := range xs {
		ds[i] = dev(x)
	}
	slices.SortFunc(ds, (*big.Int).Cmp)
	d := new(big.Int).Add(ds[k0], ds[k1])
	if d.Sign() == 0 {
		return nil
	}
	limit := new(big.Rat).Mul(new(big.Rat).SetFloat64(z), new(big.Rat).SetInt(d))
	is := func(x flaggedRow) bool {
		m := new(big.Rat).Mul(new(big.Rat).SetFloat64(2*0.6745), new(big.Rat).SetInt(dev(x.n)))
		return m.Cmp(limit) > 0
	}
	twice := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(2)) }
	low := oracleFinding(o, rows, FindingOutlier, false, examples, func(x flaggedRow) bool {
		return twice(x.n).Cmp(s) < 0 && is(x)
	})
	high := oracleFinding(o, rows, FindingOutlier, true, examples, func(x flaggedRow) bool {
		return twice(x.n).Cmp(s) > 0 && is(x)
	})
	return append(low, high...)
}

// oracleFinding returns the rows that match as one finding (none when no
// row does), with the most extreme values first: the largest when high.
func oracleFinding(o *oracle, rows []flaggedRow, kind FindingKind, high bool, examples int, match func(flaggedRow) bool) []Finding {
	var hit []flaggedRow
	for _, x := range rows {
		if match(x) {
			hit = append(hit, x)
		}
	}
	if len(hit) == 0 {
		return nil
	}
	slices.SortFunc(hit, func(a, b flaggedRow) int {
		if c := cmp.Compare(a.n, b.n); c != 0 {
			if high {
				return -c
			}
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	f := Finding{Kind: kind, Count: uint64(len(hit))}
	for _, x := range hit[:min(examples, len(hit))] {
		f.Examples = append(f.Examples, Flagged{Key: o.rows[x.id].key, Value: x.value})
	}
	return []Finding{f}
}

func oracleRare(o *oracle, known uint64, order []any, holders map[any][]int, r qualityRules) []Finding {
	limit := r.rareShare * float64(known)
	var out []Finding
	var total uint64
	for _, v := range order {
		ids := holders[v]
		n := uint64(len(ids))
		if n >= r.rareCount || float64(n) >= limit {
			continue
		}
		total += n
		f := Finding{Kind: FindingRare, Value: v, Count: n}
		for _, id := range ids[:min(r.examples, len(ids))] {
			f.Examples = append(f.Examples, Flagged{Key: o.rows[id].key, Value: v})
		}
		out = append(out, f)
	}
	if float64(total) >= limit {
		return nil
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return cmp.Compare(a.Count, b.Count) })
	return out
}

// ignoreRule leaves the Rule text to the table-driven tests.
var ignoreRule = cmpopts.IgnoreFields(Finding{}, "Rule")

func TestQualityMatchesOracle(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 17))
		base, o := randBase(r, []int{0, 1, 60, 1500, 5000, 300}[seed%6], int(seed%3))
		rules := defaultRules(epoch.Add(time.Duration(r.IntN(900*24)) * time.Hour))
		var opts []QualityOption
		if seed%4 != 3 {
			d := time.Duration(r.IntN(400*24)) * time.Hour
			rules.maxAge = map[string]time.Duration{"seen": d}
			opts = append(opts, MaxAge(tSeen, d))
		}
		if seed%3 == 1 {
			w := [2]time.Time{epoch.Add(time.Duration(r.IntN(300*24)) * time.Hour), epoch.Add(time.Duration(r.IntN(300*24)+300*24) * time.Hour)}
			rules.window = map[string][2]time.Time{"seen": w}
			opts = append(opts, DateRange(tSeen, w[0], w[1]))
		}
		if seed%2 == 1 {
			rules.z, rules.zOf = 1+r.Float64()*2, map[string]float64{"spend": 0.5 + r.Float64()}
			opts = append(opts, OutlierZ(rules.z), OutlierZ(rules.zOf["spend"], tSpend))
		}
		if seed%5 == 2 {
			rules.rareCount, rules.rareShare, rules.examples = 40, 0.05, 7
			opts = append(opts, RareBelow(40, 0.05), MaxExamples(7))
		}
		got, err := Quality(base, rules.asOf, opts...)
		if err != nil {
			t.Fatal(err)
		}
		want := oracleQuality(o, base.Fields(), rules)
		if diff := gocmp.Diff(want, got, cmpopts.EquateEmpty(), ignoreRule); diff != "" {
			t.Fatalf("seed %d: Quality (-oracle +got):\n%s", seed, diff)
		}
	}
}

// TestQualityMADMatchesOracle checks the outlier rule on numbers drawn
// from many shapes (tight, wide, skewed, tied, negative, extreme), with
// planted outliers, odd and even counts and customers removed.
func TestQualityMADMatchesOracle(t *testing.T) {
	x, d := NewInt("x"), NewDecimal("d", 3)
	draw := func(r *rand.Rand, shape int) int64 {
		switch shape {
		case 0: // normal around 1970, like birth years
			return int64(math.Round(1970 + 12*r.NormFloat64()))
		case 1: // long right tail, like spend
			return int64(r.ExpFloat64() * 40)
		case 2: // few distinct values, mostly zero
			return []int64{0, 0, 0, 1, 1, 2}[r.IntN(6)]
		case 3: // negative and wide
			return -int64(r.IntN(1 << 40))
		default: // anything, the int64 extremes included
			return []int64{math.MinInt64, math.MaxInt64, r.Int64(), -r.Int64(), int64(r.IntN(9))}[r.IntN(5)]
		}
	}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 99))
		shape := int(seed % 5)
		n := []int{1, 2, 3, 4, 7, 50, 501, 2000}[seed%8]
		b, o := NewBuilder(), newOracle()
		for i := range n {
			key := fmt.Sprintf("k%04d", i)
			v := draw(r, shape)
			if r.IntN(50) == 0 { // a planted outlier
				v = []int64{666666, -9999, 1893, 1 << 50}[r.IntN(4)]
			}
			vs := []Value{x.Value(v), d.Units(v/1000 + int64(r.IntN(1000)))}
			if r.IntN(10) == 0 {
				vs = vs[:1]
			}
			if err := b.Add(key, vs...); err != nil {
				t.Fatal(err)
			}
			o.add(key, vs...)
		}
		base, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		if n > 10 { // remove some customers: their values must not count
			tx := base.Batch()
			for i := 0; i < n; i += 7 {
				key := fmt.Sprintf("k%04d", i)
				if err := tx.Remove(key); err != nil {
					t.Fatal(err)
				}
				o.remove(key)
			}
			if base, err = tx.Apply(); err != nil {
				t.Fatal(err)
			}
		}
		rules := defaultRules(epoch)
		rules.examples = 1 + r.IntN(5)
		rules.z = []float64{3.5, 2, 1, 0.25}[seed%4]
		got, err := Quality(base, epoch, OutlierZ(rules.z), MaxExamples(rules.examples))
		if err != nil {
			t.Fatal(err)
		}
		want := oracleQuality(o, base.Fields(), rules)
		if diff := gocmp.Diff(want, got, cmpopts.EquateEmpty(), ignoreRule); diff != "" {
			t.Fatalf("seed %d (shape %d, %d customers): Quality (-oracle +got):\n%s", seed, shape, n, diff)
		}
	}
}

func TestQualityFindings(t *testing.T) {
	var (
		birth  = NewInt("birth_year")
		income = NewDecimal("income", 2)
		kids   = NewInt("kids")
		status = NewCat[string]("status")
		email  = NewCat[string]("email")
		tags   = NewSet[string]("tags")
		signup = NewTime("signup")
		seen   = NewTime("last_seen")
		vip    = NewFlag("vip")
	)
	asOf := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	type row struct {
		key string
		vs  []Value
	}
	// years returns 21 customers born 1960 to 1980, then the given extra.
	years := func(extra ...int64) []row {
		var rows []row
		for i := range 21 {
			rows = append(rows, row{fmt.Sprintf("y%02d", i), []Value{birth.Value(1960 + int64(i))}})
		}
		for i, y := range extra {
			rows = append(rows, row{fmt.Sprintf("x%d", i), []Value{birth.Value(y)}})
		}
		return rows
	}
	// statuses returns n customers of each common status, then the extras.
	statuses := func(n int, extra ...string) []row {
		var rows []row
		for i := range n {
			for _, s := range []string{"married", "single", "together"} {
				rows = append(rows, row{fmt.Sprintf("%s%03d", s[:1], i), []Value{status.Value(s)}})
			}
		}
		for i, s := range extra {
			rows = append(rows, row{fmt.Sprintf("z%d", i), []Value{status.Value(s)}})
		}
		return rows
	}
	tests := []struct {
		name string
		rows []row
		opts []QualityOption
		want []FieldQuality // Name, Kind, Known, Findings; the other counts are TestQualityMatchesOracle's
	}{{
		name: "birth years: 1893 and 1900 are outliers, 1960 is not",
		rows: years(1893, 1900, 1979),
		want: []FieldQuality{{Name: "birth_year", Kind: KindInt, Known: 24, Findings: []Finding{{
			Kind:     FindingOutlier,
			Rule:     "modified z-score 0.6745·|x − median|/MAD > 3.5 (median 1969.5, MAD 6): below 1938.37",
			Count:    2,
			Share:    2.0 / 24,
			Examples: []Flagged{{"x0", int64(1893)}, {"x1", int64(1900)}},
		}}}},
	}, {
		name: "a lower cut-off for the field flags both tails; the most extreme come first",
		rows: years(1893, 1900, 2010),
		opts: []QualityOption{OutlierZ(1.5, birth), MaxExamples(1)},
		want: []FieldQuality{{Name: "birth_year", Kind: KindInt, Known: 24, Findings: []Finding{{
			Kind: FindingOutlier, Rule: "modified z-score 0.6745·|x − median|/MAD > 1.5 (median 1969.5, MAD 6): below 1956.16",
			Count: 2, Share: 2.0 / 24, Examples: []Flagged{{"x0", int64(1893)}},
		}, {
			Kind: FindingOutlier, Rule: "modified z-score 0.6745·|x − median|/MAD > 1.5 (median 1969.5, MAD 6): above 1982.84",
			Count: 1, Share: 1.0 / 24, Examples: []Flagged{{"x2", int64(2010)}},
		}}}},
	}, {
		name: "decimals read at their scale",
		rows: []row{
			{"a", []Value{income.Value(51000.50)}}, {"b", []Value{income.Value(48000)}},
			{"c", []Value{income.Value(52000)}}, {"d", []Value{income.Value(55000.25)}},
			{"e", []Value{income.Value(666666)}}, {"f", []Value{income.Value(50000)}},
		},
		want: []FieldQuality{{Name: "income", Kind: KindDecimal, Known: 6, Findings: []Finding{{
			Kind: FindingOutlier, Rule: "modified z-score 0.6745·|x − median|/MAD > 3.5 (median 51500.25, MAD 2500.125): above 64473.5",
			Count: 1, Share: 1.0 / 6, Examples: []Flagged{{"e", 666666.0}},
		}}}},
	}, {
		name: "a MAD of 0 flags nothing",
		rows: []row{
			{"a", []Value{kids.Value(0)}}, {"b", []Value{kids.Value(0)}}, {"c", []Value{kids.Value(0)}},
			{"d", []Value{kids.Value(1)}}, {"e", []Value{kids.Value(9)}},
		},
		want: []FieldQuality{{Name: "kids", Kind: KindInt, Known: 5}},
	}, {
		name: "rare values among frequent ones, rarest first",
		rows: statuses(200, "Alone", "YOLO", "Alone", "Absurd", "Alone", "Alone", "Alone"),
		want: []FieldQuality{{Name: "status", Kind: KindCat, Known: 607, Findings: []Finding{{
			Kind: FindingRare, Rule: "held by fewer than 5 customers and by less than 1% of the 607 with a value",
			Value: "YOLO", Count: 1, Share: 1.0 / 607, Examples: []Flagged{{"z1", "YOLO"}},
		}, {
			Kind: FindingRare, Rule: "held by fewer than 5 customers and by less than 1% of the 607 with a value",
			Value: "Absurd", Count: 1, Share: 1.0 / 607, Examples: []Flagged{{"z3", "Absurd"}},
		}}}},
	}, {
		name: "RareBelow: a value of 5 is rare under 6",
		rows: statuses(200, "Alone", "YOLO", "Alone", "Alone", "Alone", "Alone"),
		opts: []QualityOption{RareBelow(6, 0.01), MaxExamples(2)},
		want: []FieldQuality{{Name: "status", Kind: KindCat, Known: 606, Findings: []Finding{{
			Kind: FindingRare, Rule: "held by fewer than 6 customers and by less than 1% of the 606 with a value",
			Value: "YOLO", Count: 1, Share: 1.0 / 606, Examples: []Flagged{{"z1", "YOLO"}},
		}, {
			Kind: FindingRare, Rule: "held by fewer than 6 customers and by less than 1% of the 606 with a value",
			Value: "Alone", Count: 5, Share: 5.0 / 606, Examples: []Flagged{{"z0", "Alone"}, {"z2", "Alone"}},
		}}}},
	}, {
		name: "a small base has no rare values: 1% of 60 is under one customer",
		rows: statuses(20, "YOLO"),
		want: []FieldQuality{{Name: "status", Kind: KindCat, Known: 61}},
	}, {
		name: "unique values are not rare: there are no frequent ones",
		rows: func() []row {
			var rows []row
			for i := range 500 {
				rows = append(rows, row{fmt.Sprint(i), []Value{email.Value(fmt.Sprintf("u%d@example.com", i))}})
			}
			return rows
		}(),
		want: []FieldQuality{{Name: "email", Kind: KindCat, Known: 500}},
	}, {
		name: "set values",
		rows: func() []row {
			rows := []row{{"odd", []Value{tags.Values("sports", "zzz")}}}
			for i := range 600 {
				rows = append(rows, row{fmt.Sprint(i), []Value{tags.Values("sports", "news")}})
			}
			return rows
		}(),
		want: []FieldQuality{{Name: "tags", Kind: KindSet, Known: 601, Findings: []Finding{{
			Kind: FindingRare, Rule: "held by fewer than 5 customers and by less than 1% of the 601 with a value",
			Value: "zzz", Count: 1, Share: 1.0 / 601, Examples: []Flagged{{"odd", "zzz"}},
		}}}},
	}, {
		name: "signup dates do not age; a future and a 19th-century date are implausible",
		rows: []row{
			{"a", []Value{signup.Value(day(2012, 9, 4))}},
			{"b", []Value{signup.Value(day(2014, 3, 8))}},
			{"c", []Value{signup.Value(day(2027, 1, 1))}},
			{"d", []Value{signup.Value(day(1893, 5, 1))}},
			{"e", []Value{signup.Value(asOf)}},
		},
		want: []FieldQuality{{Name: "signup", Kind: KindTime, Known: 5, Findings: []Finding{{
			Kind: FindingImplausibleDate, Rule: "before 1906-12-01, 120 years before asOf",
			Count: 1, Share: 0.2, Examples: []Flagged{{"d", day(1893, 5, 1)}},
		}, {
			Kind: FindingImplausibleDate, Rule: "after asOf 2026-12-01",
			Count: 1, Share: 0.2, Examples: []Flagged{{"c", day(2027, 1, 1)}},
		}}}},
	}, {
		name: "MaxAge: a last-seen time ages, oldest first",
		rows: []row{
			{"a", []Value{seen.Value(day(2026, 11, 20))}},
			{"b", []Value{seen.Value(day(2026, 6, 1))}},
			{"c", []Value{seen.Value(day(2025, 1, 1))}},
			{"d", []Value{seen.Value(day(2026, 11, 1))}}, // exactly 30 days: not outdated
		},
		opts: []QualityOption{MaxAge(seen, 30*24*time.Hour)},
		want: []FieldQuality{{Name: "last_seen", Kind: KindTime, Known: 4, Outdated: 2, Findings: []Finding{{
			Kind: FindingOutdated, Rule: "before 2026-11-01, older than 30 days as of 2026-12-01 (MaxAge)",
			Count: 2, Share: 0.5, Examples: []Flagged{{"c", day(2025, 1, 1)}, {"b", day(2026, 6, 1)}},
		}}}},
	}, {
		name: "DateRange replaces the default window",
		rows: []row{
			{"a", []Value{signup.Value(day(2012, 9, 4))}},
			{"b", []Value{signup.Value(day(2009, 1, 1))}},
			{"c", []Value{signup.Value(day(2027, 1, 1))}},
		},
		opts: []QualityOption{DateRange(signup, day(2010, 1, 1), day(2030, 1, 1))},
		want: []FieldQuality{{Name: "signup", Kind: KindTime, Known: 3, Findings: []Finding{{
			Kind: FindingImplausibleDate, Rule: "before 2010-01-01 (DateRange)",
			Count: 1, Share: 1.0 / 3, Examples: []Flagged{{"b", day(2009, 1, 1)}},
		}}}},
	}, {
		name: "flags have no findings; MaxExamples(0) keeps the counts",
		rows: append(years(1893), row{"v", []Value{vip.Value(true)}}),
		opts: []QualityOption{MaxExamples(0)},
		want: []FieldQuality{{Name: "birth_year", Kind: KindInt, Known: 22, Findings: []Finding{{
			Kind: FindingOutlier, Rule: "modified z-score 0.6745·|x − median|/MAD > 3.5 (median 1969.5, MAD 5.5): below 1940.96",
			Count: 1, Share: 1.0 / 22,
		}}}, {Name: "vip", Kind: KindFlag, Known: 1}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder()
			for _, rw := range tt.rows {
				if err := b.Add(rw.key, rw.vs...); err != nil {
					t.Fatal(err)
				}
			}
			base, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			got, err := Quality(base, asOf, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(tt.want, got, cmpopts.EquateEmpty(),
				cmpopts.IgnoreFields(FieldQuality{}, "Missing", "MissingShare", "Distinct")); diff != "" {
				t.Errorf("Quality (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQualityErrors(t *testing.T) {
	base := func() *Base {
		b := NewBuilder()
		if err := b.Add("a", tAge.Value(30), tSeen.Value(epoch), tCountry.Value("NL")); err != nil {
			t.Fatal(err)
		}
		base, _ := b.Build()
		return base
	}()
	tests := []struct {
		name string
		asOf time.Time
		opts []QualityOption
		err  error  // besides ErrInvalidArgument
		msg  string // the error's text
	}{
		{"zero asOf", time.Time{}, nil, ErrInvalidValue,
			"segment: Quality: invalid argument: invalid value: asOf is the zero time"},
		{"negative max age", epoch, []QualityOption{MaxAge(tSeen, -time.Hour)}, ErrOutOfRange,
			`segment: Quality: field "seen": value -1h0m0s: invalid argument: value out of range: MaxAge: the max age must not be negative`},
		{"max age of a field of another kind", epoch, []QualityOption{MaxAge(NewTime("age"), time.Hour)}, nil,
			`segment: Quality: field "age": invalid argument: MaxAge: needs a time field: the base has it as int`},
		{"outlier cut-off of a time field", epoch, []QualityOption{OutlierZ(3, tSeen)}, nil,
			`segment: Quality: field "seen": invalid argument: OutlierZ: needs an int or decimal field: the base has it as time`},
		{"outlier cut-off of another kind", epoch, []QualityOption{OutlierZ(3, NewDecimal("age", 2))}, nil,
			`segment: Quality: field "age": invalid argument: OutlierZ: needs an int or decimal field: the base has it as int`},
		{"zero cut-off", epoch, []QualityOption{OutlierZ(0)}, ErrOutOfRange,
			"segment: Quality: value 0: invalid argument: value out of range: OutlierZ: the cut-off must be positive"},
		{"NaN cut-off", epoch, []QualityOption{OutlierZ(math.NaN(), tAge)}, ErrOutOfRange,
			"segment: Quality: value NaN: invalid argument: value out of range: OutlierZ: the cut-off must be positive"},
		{"share above 1", epoch, []QualityOption{RareBelow(5, 2)}, ErrOutOfRange,
			"segment: Quality: value 2: invalid argument: value out of range: RareBelow: the share must lie in [0, 1]"},
		{"window backwards", epoch, []QualityOption{DateRange(tSeen, epoch, epoch.Add(-time.Second))}, nil,
			`segment: Quality: field "seen": value 2024-01-01T00:00:00Z: invalid argument: DateRange: the start is after the end 2023-12-31T23:59:59Z`},
		{"window with a zero time", epoch, []QualityOption{DateRange(tSeen, time.Time{}, epoch)}, ErrInvalidValue,
			`segment: Quality: field "seen": invalid argument: invalid value: DateRange: the window needs two non-zero times`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Quality(base, tt.asOf, tt.opts...)
			if got != nil || !errors.Is(err, ErrInvalidArgument) || tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("Quality = %v, %v; want nil and an error that is ErrInvalidArgument and %v", got, err, tt.err)
			}
			var ae *ArgError
			if !errors.As(err, &ae) || err.Error() != tt.msg {
				t.Errorf("error\n got %v\nwant %s", err, tt.msg)
			}
		})
	}
	// Nil options are ignored, the limits of the option values are fine,
	// and a field the base does not have is no error.
	if _, err := Quality(base, epoch, nil, OutlierZ(math.Inf(1)), RareBelow(0, 0), MaxExamples(-1),
		MaxAge(NewTime("signup"), time.Hour), OutlierZ(2, NewInt("absent"))); err != nil {
		t.Errorf("Quality with nil and limit options: %v", err)
	}
}

// TestDistinctInts checks both ways of counting distinct values: the walk
// over bit planes and the decoding fallback past its budget.
func TestDistinctInts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	b := NewBuilder()
	age, id, big := NewInt("age"), NewInt("id"), NewInt("big")
	for i := range 20000 {
		vs := []Value{id.Value(int64(i) * 7919)}
		if i%3 > 0 {
			vs = append(vs, age.Value(int64(r.IntN(90))))
		}
		if i%50 == 0 {
			vs = append(vs, big.Value([]int64{math.MinInt64, math.MaxInt64, 0}[i%3]))
		}
		if err := b.Add(string(rune(i+1000)), vs...); err != nil {
			t.Fatal(err)
		}
	}
	base, _ := b.Build()
	qs, err := Quality(base, epoch)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]uint64{}
	for _, q := range qs {
		got[q.Name] = q.Distinct
	}
	if diff := gocmp.Diff(map[string]uint64{"id": 20000, "age": 90, "big": 3}, got); diff != "" {
		t.Errorf("Distinct (-want +got):\n%s", diff)
	}
}

// BenchmarkQuality reports on a base of 1M customers with a birth year, an
// income in cents, a long-tailed spend, a marital status with rare values
// and a last-seen time.
func BenchmarkQuality(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var (
		born   = NewInt("year_birth")
		income = NewDecimal("income", 2)
		spend  = NewInt("spend")
		status = NewCat[string]("status")
		seen   = NewTime("last_seen")
	)
	bl := NewBuilder()
	for i := range 1_000_000 {
		st := []string{"married", "single", "together", "divorced"}[r.IntN(4)]
		if r.IntN(100_000) == 0 {
			st = "YOLO"
		}
		err := bl.Add(strconv.Itoa(i),
			born.Value(int64(1970+12*r.NormFloat64())),
			income.Units(int64(5_000_000+1_500_000*r.NormFloat64())),
			spend.Value(int64(40*r.ExpFloat64())),
			status.Value(st),
			seen.Value(epoch.Add(-time.Duration(r.IntN(3*365*24))*time.Hour)))
		if err != nil {
			b.Fatal(err)
		}
	}
	base, err := bl.Build()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := Quality(base, epoch, MaxAge(seen, 365*24*time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}
