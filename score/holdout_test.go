package score_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fabeed28/microseg/score"
)

// TestSplitCalibration checks a split worked out by hand: days are
// 2024-01-d at noon, the unit is a day, the calibration ends at the start
// of day 10 and the observation at the start of day 20.
func TestSplitCalibration(t *testing.T) {
	at := func(d, hour int) time.Time { return time.Date(2024, 1, d, hour, 0, 0, 0, time.UTC) }
	calEnd, obsEnd := at(10, 0), at(20, 0)
	tx := func(key string, d int, amt float64) score.Transaction {
		return score.Transaction{Key: key, Time: at(d, 12), Amount: amt}
	}
	tests := []struct {
		name string
		txns []score.Transaction
		opts []score.Option
		want score.Holdout
	}{
		{
			name: "calibration, holdout and a newcomer",
			txns: []score.Transaction{
				tx("a", 1, 10), tx("a", 4, 20), tx("a", 12, 5), tx("a", 12, 5), tx("a", 15, 7),
				tx("b", 8, 30),
				tx("c", 11, 99), tx("c", 14, 1), // first purchase in the holdout: left out
				tx("a", 25, 1), // after observationEnd: dropped
			},
			opts: []score.Option{score.DropAfterAsOf()},
			want: score.Holdout{
				Calibration: []score.Summary{
					{Key: "a", Frequency: 1, Recency: 3, T: 9, Monetary: 20, Revenue: 30, Profit: 30},
					{Key: "b", T: 2, Revenue: 30, Profit: 30},
				},
				Purchases: []int{2, 0},
				Revenue:   []float64{17, 0},
				Length:    10,
				Repeats:   []float64{-6, 2, 5},
			},
		},
		{
			name: "a day that straddles the calibration end counts once",
			txns: []score.Transaction{
				{Key: "a", Time: at(1, 12), Amount: 10},
				{Key: "a", Time: at(10, 0), Amount: 4}, // at calibrationEnd: calibration
				{Key: "a", Time: at(10, 9), Amount: 6}, // same day, after it: holdout revenue only
				{Key: "a", Time: at(11, 9), Amount: 8},
			},
			want: score.Holdout{
				Calibration: []score.Summary{{Key: "a", Frequency: 1, Recency: 9, T: 9, Monetary: 4, Revenue: 14, Profit: 14}},
				Purchases:   []int{1},
				Revenue:     []float64{14},
				Length:      10,
				Repeats:     []float64{0, 1},
			},
		},
		{
			name: "returns net within their side",
			txns: []score.Transaction{
				tx("a", 1, 10), tx("a", 3, 10),
				tx("a", 12, 5), tx("a", 13, -5), // a holdout purchase returned in full
				tx("a", 15, -10), // returns a calibration purchase: dropped
				tx("a", 16, 8),
			},
			opts: []score.Option{score.Returns(score.NetReturns)},
			want: score.Holdout{
				Calibration: []score.Summary{{Key: "a", Frequency: 1, Recency: 2, T: 9, Monetary: 10, Revenue: 20, Profit: 20}},
				Purchases:   []int{1},
				Revenue:     []float64{8},
				Length:      10,
				Repeats:     []float64{-7, 6},
			},
		},
		{
			name: "weeks and the order of Customers",
			txns: []score.Transaction{tx("a", 1, 10), tx("b", 3, 1), tx("b", 17, 1)},
			opts: []score.Option{score.Unit(7 * 24 * time.Hour), score.Customers("b", "z", "a")},
			want: score.Holdout{
				Calibration: []score.Summary{
					{Key: "b", T: 1, Revenue: 1, Profit: 1},
					{Key: "a", T: 9.0 / 7, Revenue: 10, Profit: 10},
				},
				Purchases: []int{1, 0},
				Revenue:   []float64{1, 0},
				Length:    10.0 / 7,
				Repeats:   []float64{1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := score.SplitCalibration(tt.txns, calEnd, obsEnd, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			var c score.Columns
			for _, x := range tt.txns {
				c.Keys, c.Times, c.Amounts = append(c.Keys, x.Key), append(c.Times, x.Time), append(c.Amounts, x.Amount)
			}
			gotC, err := score.SplitCalibrationColumns(c, calEnd, obsEnd, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, gotC); diff != "" {
				t.Errorf("SplitCalibrationColumns differs (-SplitCalibration +SplitCalibrationColumns):\n%s", diff)
			}
		})
	}
}

func TestSplitCalibrationErrors(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	ok := []score.Transaction{{Key: "a", Time: day(1), Amount: 1}}
	late := []score.Transaction{{Key: "a", Time: day(1), Amount: 1}, {Key: "a", Time: day(9), Amount: 1}}
	tests := []struct {
		name           string
		txns           []score.Transaction
		calEnd, obsEnd time.Time
		opts           []score.Option
		want           error
		msg            string
	}{
		{"zero calibration end", ok, time.Time{}, day(5), nil, score.ErrInvalidArgument,
			"score: calibrationEnd: value the zero time, want a set time: invalid argument"},
		{"zero observation end", ok, day(2), time.Time{}, nil, score.ErrInvalidArgument, ""},
		{"observation end first", ok, day(5), day(5), nil, score.ErrInvalidArgument,
			"score: observationEnd: value 2024-01-05T00:00:00Z, want a time after calibrationEnd 2024-01-05T00:00:00Z: invalid argument"},
		{"transaction after the observation end", late, day(2), day(5), nil, score.ErrAfterAsOf, ""},
		{"bad option", ok, day(2), day(5), []score.Option{score.Unit(0)}, score.ErrInvalidArgument, ""},
		{"negative amount", []score.Transaction{{Key: "a", Time: day(1), Amount: -1}}, day(2), day(5), nil, score.ErrInvalidTransaction, ""},
	}
	for _, tt := range tests {
		_, err := score.SplitCalibration(tt.txns, tt.calEnd, tt.obsEnd, tt.opts...)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
			continue
		}
		if tt.msg != "" && err.Error() != tt.msg {
			t.Errorf("%s: message\n%s\nwant\n%s", tt.name, err, tt.msg)
		}
	}
	_, err := score.SplitCalibrationColumns(score.Columns{Keys: []string{"a"}}, day(2), day(5))
	if !errors.Is(err, score.ErrInvalidArgument) {
		t.Errorf("ragged columns: err = %v, want ErrInvalidArgument", err)
	}
}

// TestHoldoutEvaluation checks Expected, ByFrequency and Track on a small
// holdout against plain loops over the customers.
func TestHoldoutEvaluation(t *testing.T) {
	m := score.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	h := score.Holdout{
		Calibration: []score.Summary{
			{Key: "a", Frequency: 0, T: 10},
			{Key: "b", Frequency: 1, Recency: 3, T: 10},
			{Key: "c", Frequency: 3, Recency: 7, T: 8},
			{Key: "d", Frequency: 5, Recency: 8, T: 8},
			{Key: "e", Frequency: 0, T: 8},
		},
		Purchases: []int{0, 1, 2, 4, 1},
		Length:    6,
		Repeats:   []float64{-7, -5, -3, -2, -1.5, -1, -0.5, -0.25, -0.1, 0, 1, 2, 2, 3, 4, 5, 5, 6},
	}
	exp, err := h.Expected(m)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range h.Calibration {
		if want := m.ExpectedPurchases(6, s); exp[i] != want {
			t.Errorf("Expected[%d] = %v, want %v", i, exp[i], want)
		}
	}
	groups, err := h.ByFrequency(m, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []score.FrequencyGroup{
		{Frequency: 0, Customers: 2, Actual: 0.5, Expected: (exp[0] + exp[4]) / 2},
		{Frequency: 1, Customers: 1, Actual: 1, Expected: exp[1]},
		{Frequency: 3, OrMore: true, Customers: 2, Actual: 3, Expected: (exp[2] + exp[3]) / 2},
	}
	if diff := cmp.Diff(want, groups, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
		t.Errorf("ByFrequency (-want +got):\n%s", diff)
	}
	track, err := h.Track(m, 4)
	if err != nil {
		t.Fatal(err)
	}
	// The earliest customers started 10 before the calibration end; the
	// plot runs to 16, in steps of 4.
	naive := func(tau float64) score.TrackPoint {
		p := score.TrackPoint{Time: tau, Holdout: tau > 10}
		for _, r := range h.Repeats {
			if r+10 <= tau {
				p.Actual++
			}
		}
		for _, s := range h.Calibration {
			if age := tau - (10 - s.T); age > 0 {
				p.Expected += m.ExpectedPurchasesNew(age)
			}
		}
		return p
	}
	wantTrack := []score.TrackPoint{naive(4), naive(8), naive(12), naive(16)}
	if diff := cmp.Diff(wantTrack, track, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
		t.Errorf("Track (-want +got):\n%s", diff)
	}
	if track[3].Actual != 18 || track[1].Actual != 4 {
		t.Errorf("actual cumulative %v at 8 and %v at 16, want 4 and 18", track[1].Actual, track[3].Actual)
	}
	// A step that does not divide the span ends on the end exactly.
	track, err = h.Track(m, 5)
	if err != nil {
		t.Fatal(err)
	}
	var times []float64
	for _, p := range track {
		times = append(times, p.Time)
	}
	if diff := cmp.Diff([]float64{5, 10, 15, 16}, times); diff != "" {
		t.Errorf("Track times (-want +got):\n%s", diff)
	}
	// Errors.
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"step 0", func() error { _, err := h.Track(m, 0); return err }()},
		{"step NaN", func() error { _, err := h.Track(m, math.NaN()); return err }()},
		{"tiny step", func() error { _, err := h.Track(m, 1e-9); return err }()},
		{"censor 0", func() error { _, err := h.ByFrequency(m, 0); return err }()},
		{"zero model", func() error { _, err := h.Expected(score.BGNBD{}); return err }()},
		{"ragged", func() error { _, err := score.Holdout{Calibration: h.Calibration}.Expected(m); return err }()},
		{"negative purchases", func() error {
			_, err := score.Holdout{Calibration: h.Calibration[:1], Purchases: []int{-1}}.ByFrequency(m, 2)
			return err
		}()},
	} {
		if !errors.Is(tc.err, score.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", tc.name, tc.err)
		}
	}
	bad := score.Holdout{Calibration: []score.Summary{{Key: "x", Recency: 3, T: 1}}, Purchases: []int{0}}
	if _, err := bad.Track(m, 1); !errors.Is(err, score.ErrInvalidSummary) {
		t.Errorf("impossible summary: err = %v, want ErrInvalidSummary", err)
	}
}

// cdnowObservationEnd is the end of the 78 weeks of the CDNOW data.
var cdnowObservationEnd = time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)

// TestHoldoutCDNOW splits the CDNOW sample as the BG/NBD paper does (39
// weeks of calibration ending 1997-09-30, 39 weeks of holdout), fits the
// calibration and compares the model's holdout forecast with the actual
// purchases, per calibration frequency and over time.
func TestHoldoutCDNOW(t *testing.T) {
	txns := cdnowTransactions(t)
	h, err := score.SplitCalibration(txns, cdnowAsOf, cdnowObservationEnd, score.Unit(week))
	if err != nil {
		t.Fatal(err)
	}
	// The calibration summaries are Summarize's (which equal the published
	// ones, see TestSummarizeCDNOW).
	sums, err := score.Summarize(txns, cdnowAsOf, score.Unit(week), score.DropAfterAsOf())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sums, h.Calibration); diff != "" {
		t.Errorf("calibration summaries differ from Summarize's (-Summarize +SplitCalibration):\n%s", diff)
	}
	if h.Length != 39 || len(h.Calibration) != 2357 {
		t.Errorf("holdout of %v weeks for %d customers, want 39 weeks for 2357", h.Length, len(h.Calibration))
	}
	// Holdout purchases: distinct days after the calibration end, by a
	// plain loop.
	days := map[string]map[time.Time]bool{}
	for _, x := range txns {
		if x.Time.After(cdnowAsOf) {
			if days[x.Key] == nil {
				days[x.Key] = map[time.Time]bool{}
			}
			days[x.Key][x.Time] = true
		}
	}
	var actual, calRepeat int
	for i, s := range h.Calibration {
		if h.Purchases[i] != len(days[s.Key]) {
			t.Errorf("customer %s: %d holdout purchases, want %d", s.Key, h.Purchases[i], len(days[s.Key]))
		}
		actual += h.Purchases[i]
		calRepeat += s.Frequency
	}
	if len(h.Repeats) != actual+calRepeat {
		t.Errorf("%d repeat times, want %d calibration + %d holdout", len(h.Repeats), calRepeat, actual)
	}
	m, err := score.FitBGNBD(h.Calibration)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := h.Expected(m)
	if err != nil {
		t.Fatal(err)
	}
	var expected float64
	for _, e := range exp {
		expected += e
	}
	t.Logf("holdout repeat purchases: actual %d, expected %.1f (%+.1f%%); calibration repeat purchases %d", actual, expected, 100*(expected/float64(actual)-1), calRepeat)
	groups, err := h.ByFrequency(m, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		t.Logf("x=%d%s: %4d customers, holdout purchases per customer: actual %.3f, expected %.3f", g.Frequency, map[bool]string{true: "+"}[g.OrMore], g.Customers, g.Actual, g.Expected)
	}
	track, err := h.Track(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(track) != 78 {
		t.Fatalf("%d weekly points, want 78", len(track))
	}
	for _, i := range []int{12, 25, 38, 51, 64, 77} {
		p := track[i]
		t.Logf("week %5.2f (holdout %v): cumulative repeat purchases actual %5.0f, expected %7.1f", p.Time, p.Holdout, p.Actual, p.Expected)
	}
	// The actual curve by a plain loop: each customer's purchase days after
	// the first, counted in the week (from 1997-01-01, the first day of
	// the cohort) by whose end they happened.
	start := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)
	first := map[string]time.Time{}
	buyDays := map[string]map[time.Time]bool{}
	for _, x := range txns {
		if f, ok := first[x.Key]; !ok || x.Time.Before(f) {
			first[x.Key] = x.Time
		}
		if buyDays[x.Key] == nil {
			buyDays[x.Key] = map[time.Time]bool{}
		}
		buyDays[x.Key][x.Time] = true
	}
	for i, p := range track {
		var n float64
		for k, ds := range buyDays {
			for d := range ds {
				if !d.Equal(first[k]) && d.Sub(start).Hours()/(24*7) <= p.Time+1e-9 {
					n++
				}
			}
		}
		if p.Actual != n {
			t.Errorf("week %d: actual cumulative %v, a plain count gives %v", i+1, p.Actual, n)
		}
		wantHold := p.Time > 38.86
		if p.Holdout != wantHold {
			t.Errorf("week %d (%.2f): holdout %v, want %v", i+1, p.Time, p.Holdout, wantHold)
		}
	}
	// The expected curve by a plain sum over the customers at a few weeks.
	origin := h.Calibration[0].T
	for _, s := range h.Calibration {
		origin = math.Max(origin, s.T)
	}
	for _, i := range []int{0, 11, 38, 77} {
		var e float64
		for _, s := range h.Calibration {
			if age := track[i].Time - (origin - s.T); age > 0 {
				e += m.ExpectedPurchasesNew(age)
			}
		}
		if math.Abs(e-track[i].Expected) > 1e-9*e {
			t.Errorf("week %d: expected cumulative %v, a plain sum gives %v", i+1, track[i].Expected, e)
		}
	}
	// At the end of the calibration the fitted model's curve meets the
	// data (a property of the maximum-likelihood fit, not an identity):
	// within 2%.
	if p := track[38]; math.Abs(p.Expected/p.Actual-1) > 0.02 {
		t.Errorf("week 39: expected cumulative %.1f, actual %v: want within 2%%", p.Expected, p.Actual)
	}
}

// TestHoldoutRetail splits the UCI Online Retail data, cancellations
// netted, at 2011-09-10 with 13 weeks of holdout: the calibration is
// Summarize's, and each customer's holdout purchases equal a plain
// re-derivation from the holdout lines alone (see netOracle).
func TestHoldoutRetail(t *testing.T) {
	txns := retailWithReturns(t)
	calEnd := time.Date(2011, 9, 10, 0, 0, 0, 0, time.UTC)
	obsEnd := time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC)
	opts := []score.Option{score.Unit(week), score.Returns(score.NetReturns)}
	h, err := score.SplitCalibration(txns, calEnd, obsEnd, opts...)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := score.Summarize(txns, calEnd, append(opts, score.DropAfterAsOf())...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sums, h.Calibration); diff != "" {
		t.Errorf("calibration summaries differ from Summarize's (-Summarize +SplitCalibration):\n%s", diff)
	}
	hold := map[string][]score.Transaction{}
	for _, x := range txns {
		if x.Time.After(calEnd) {
			hold[x.Key] = append(hold[x.Key], x)
		}
	}
	var actual int
	var revenue float64
	for i, s := range h.Calibration {
		want, wantRev := 0, 0.0
		if o, ok := netOracle(s.Key, hold[s.Key], obsEnd, 7); ok {
			want, wantRev = o.Frequency+1, o.Revenue
		}
		if h.Purchases[i] != want || math.Abs(h.Revenue[i]-wantRev) > 1e-6*(1+wantRev) {
			t.Errorf("customer %s: %d holdout purchases, revenue %.2f; a plain re-derivation gives %d, %.2f", s.Key, h.Purchases[i], h.Revenue[i], want, wantRev)
		}
		actual += h.Purchases[i]
		revenue += h.Revenue[i]
	}
	// Few retail customers seem to drop out: the plain fit runs B off to
	// +Inf (a *DegenerateFitError); a light penalty fits.
	m, rep, err := score.FitBGNBDReport(h.Calibration, score.Penalizer(0.001))
	if err != nil {
		t.Fatal(err)
	}
	exp, err := h.Expected(m)
	if err != nil {
		t.Fatal(err)
	}
	var expected float64
	for _, e := range exp {
		expected += e
	}
	t.Logf("%d customers; BG/NBD %v ± %v; holdout repeat purchases actual %d, expected %.1f (%+.1f%%); holdout revenue %.0f",
		len(h.Calibration), rep.Estimates, rep.StdErrors, actual, expected, 100*(expected/float64(actual)-1), revenue)
	groups, err := h.ByFrequency(m, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		t.Logf("x=%d%s: %4d customers, holdout purchases per customer: actual %.3f, expected %.3f", g.Frequency, map[bool]string{true: "+"}[g.OrMore], g.Customers, g.Actual, g.Expected)
	}
	track, err := h.Track(m, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range track {
		t.Logf("week %5.1f (holdout %-5v): cumulative repeat purchases actual %5.0f, expected %7.1f", p.Time, p.Holdout, p.Actual, p.Expected)
	}
}
