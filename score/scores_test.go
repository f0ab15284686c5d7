package score_test

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/segment"
)

var (
	decileF = segment.NewInt("decile")
	clvF    = segment.NewDecimal("clv", 2)
	tierF   = segment.NewCat[string]("tier")
	rfmF    = score.NewRFMFields("rfm")
)

// scoreSums are four summaries in no particular key order, with RFM scores
// that differ on every field.
var scoreSums = []score.Summary{
	{Key: "c-3", Frequency: 4, Recency: 30, T: 31, Revenue: 400},
	{Key: "c-0", Frequency: 0, Recency: 0, T: 40, Revenue: 10},
	{Key: "c-2", Frequency: 2, Recency: 5, T: 35, Revenue: 90},
	{Key: "c-4", Frequency: 1, Recency: 2, T: 3, Revenue: 20},
}

// rows renders, for every customer of base, the values of the score
// fields ("-" for none), read back through predicates: the naive twin of
// what Attach and AttachColumns write. Integer values are looked for in
// [0, 1000] and at 100000, clv in cents.
func rows(t *testing.T, base *segment.Base, labels []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	put := func(p segment.Pred, s string) {
		for k := range base.Keys(base.Eval(p)) {
			out[k] += s
		}
	}
	for _, f := range []struct {
		name  string
		known segment.Pred
		eq    func(v int64) segment.Pred
	}{
		{"decile", decileF.Known(), decileF.Eq},
		{"clv", clvF.Known(), func(v int64) segment.Pred { return clvF.Eq(float64(v) / 100) }},
		{"r", rfmF.R.Known(), rfmF.R.Eq},
		{"f", rfmF.F.Known(), rfmF.F.Eq},
		{"m", rfmF.M.Known(), rfmF.M.Eq},
		{"cell", rfmF.Cell.Known(), rfmF.Cell.Eq},
	} {
		put(segment.Not(f.known), " "+f.name+"=-")
		for v := range int64(1001) {
			put(f.eq(v), fmt.Sprintf(" %s=%d", f.name, v))
		}
		put(f.eq(100000), fmt.Sprintf(" %s=%d", f.name, 100000))
	}
	for _, f := range []struct {
		name  string
		field segment.Cat[string]
	}{{"tier", tierF}, {"seg", rfmF.Label}} {
		put(segment.Not(f.field.Known()), " "+f.name+"=-")
		for _, l := range labels {
			put(f.field.Eq(l), " "+f.name+"="+l)
		}
	}
	return out
}

// newKeysBase builds a base of the keys with no field.
func newKeysBase(t *testing.T, keys []string) *segment.Base {
	t.Helper()
	b := segment.NewBuilder()
	for _, k := range keys {
		if err := b.Add(k); err != nil {
			t.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return base
}

func TestAttachScores(t *testing.T) {
	rfm, err := score.RFMScores(scoreSums, score.Quintiles)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"c-0", "c-1", "c-2", "c-3", "c-4"}
	fresh := newKeysBase(t, keys)
	// old holds scores for every customer, c-1 included, that Attach must
	// overwrite or clear.
	old := fresh
	all := []score.Summary{{Key: "c-0", T: 1}, {Key: "c-1", T: 1}, {Key: "c-2", T: 1}, {Key: "c-3", T: 1}, {Key: "c-4", T: 1}}
	oldRFM, err := score.RFMScores(all, score.Quintiles)
	if err != nil {
		t.Fatal(err)
	}
	old, err = score.Attach(old, all, score.Ints(decileF, []int{9, 9, 9, 9, 9}), score.Decimals(clvF, []float64{1, 1, 1, 1, 1}),
		score.Categories(tierF, []string{"x", "x", "x", "x", "x"}), rfmF.Scores(oldRFM))
	if err != nil {
		t.Fatal(err)
	}
	labels := []string{"high", "low", "medium", "low"}
	scores := []score.Scores{
		score.Ints(decileF, []int{10, 1, 7, 4}),
		score.Decimals(clvF, []float64{1000, 0.004, 2.345, 0}),
		score.Categories(tierF, labels),
		rfmF.Scores(rfm),
	}
	want := map[string]string{
		"c-0": " decile=1 clv=0 r=1 f=1 m=1 cell=111 tier=low seg=lost",
		"c-1": " decile=- clv=- r=- f=- m=- cell=- tier=- seg=-",
		"c-2": " decile=7 clv=235 r=2 f=3 m=3 cell=233 tier=medium seg=at risk",
		"c-3": " decile=10 clv=100000 r=3 f=4 m=4 cell=344 tier=high seg=loyal",
		"c-4": " decile=4 clv=0 r=3 f=2 m=2 cell=322 tier=low seg=about to sleep",
	}
	candidates := []string{"high", "low", "medium", "x", "lost", "at risk", "loyal", "about to sleep", "other"}
	for _, tc := range []struct {
		name string
		base *segment.Base
	}{
		{"fresh base", fresh},
		{"base with older scores", old},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := score.Attach(tc.base, scoreSums, scores...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, rows(t, got, candidates)); diff != "" {
				t.Errorf("Attach (-want +got):\n%s", diff)
			}
			cols, err := score.AttachColumns(keys, scoreSums, scores...)
			if err != nil {
				t.Fatal(err)
			}
			built, err := segment.FromColumns(keys, cols...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, rows(t, built, candidates)); diff != "" {
				t.Errorf("AttachColumns (-want +got):\n%s", diff)
			}
		})
	}
	if n := old.Count(tierF.Eq("x")); n != 5 {
		t.Errorf("the older base changed: %d customers of tier x, want 5", n)
	}
}

func TestAttachScoresErrors(t *testing.T) {
	rfm, err := score.RFMScores(scoreSums, score.Quintiles)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"c-0", "c-2", "c-3", "c-4"}
	base := newKeysBase(t, keys)
	swapped := slices.Clone(rfm)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	dup := slices.Clone(scoreSums)
	dup[3].Key = "c-3"
	unknown := slices.Clone(scoreSums)
	unknown[2].Key = "c-9"
	for _, tc := range []struct {
		name    string
		sums    []score.Summary
		scores  []score.Scores
		columns bool // AttachColumns reports it too
		want    error
		msg     string
	}{
		{"too few values", scoreSums, []score.Scores{score.Ints(decileF, []int{1, 2, 3})}, true, score.ErrInvalidArgument,
			`field "decile": 3 values for 4 customers, want one value per summary`},
		{"scores of other customers", scoreSums, []score.Scores{rfmF.Scores(swapped)}, true, score.ErrInvalidArgument,
			`field "rfm_r": value 0 is of customer "c-0", want the customer of summaries[0], "c-3"`},
		{"field twice", scoreSums, []score.Scores{score.Ints(decileF, []int{1, 2, 3, 4}), score.Ints(decileF, []int{1, 2, 3, 4})}, true, score.ErrInvalidArgument,
			`field "decile" given twice`},
		{"customer twice", dup, []score.Scores{score.Ints(decileF, []int{1, 2, 3, 4})}, true, score.ErrInvalidArgument,
			`customer "c-3": at 0 and 3, want one summary per customer`},
		{"NaN", scoreSums, []score.Scores{score.Decimals(clvF, []float64{1, math.NaN(), 3, 4})}, true, score.ErrInvalidArgument,
			`customer "c-0": field "clv": value NaN, want a finite number`},
		{"overflow", scoreSums, []score.Scores{score.Decimals(clvF, []float64{1, 2, 1e300, 4})}, true, segment.ErrInvalidValue,
			`customer "c-2": field "clv": value 1e+300, want a finite number within`},
		{"out of range", scoreSums, []score.Scores{score.Ints(segment.NewIntRange("decile", 1, 10), []int{1, 2, 11, 4})}, false, segment.ErrOutOfRange,
			`"c-2": field "decile": value 11`},
		{"out of range is an invalid argument", scoreSums, []score.Scores{score.Ints(segment.NewIntRange("decile", 1, 10), []int{1, 2, 11, 4})}, false, score.ErrInvalidArgument,
			`value 11`},
		{"unknown customer", unknown, []score.Scores{score.Ints(decileF, []int{1, 2, 3, 4})}, true, score.ErrUnknownKey,
			`customer "c-9"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := score.Attach(base, tc.sums, tc.scores...)
			if !errors.Is(err, tc.want) || err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Attach: error %v, want one wrapping %v with %q", err, tc.want, tc.msg)
			}
			if !tc.columns {
				return
			}
			_, err = score.AttachColumns(keys, tc.sums, tc.scores...)
			if !errors.Is(err, tc.want) || err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("AttachColumns: error %v, want one wrapping %v with %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestScoresFields(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores score.Scores
		want   []string
		len    int
	}{
		{"zero", score.Scores{}, []string{}, 0},
		{"ints", score.Ints(decileF, []int64{1, 2}), []string{"decile"}, 2},
		{"rfm", rfmF.Scores(make([]score.RFM, 3)), []string{"rfm_r", "rfm_f", "rfm_m", "rfm_cell", "rfm_segment"}, 3},
		{"rfm without label", score.RFMFields{R: rfmF.R, F: rfmF.F, M: rfmF.M, Cell: rfmF.Cell}.Scores(nil), []string{"rfm_r", "rfm_f", "rfm_m", "rfm_cell"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := []string{}
			for _, f := range tc.scores.Fields() {
				got = append(got, f.Name())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Fields (-want +got):\n%s", diff)
			}
			if tc.scores.Len() != tc.len {
				t.Errorf("Len = %d, want %d", tc.scores.Len(), tc.len)
			}
		})
	}
}

func TestRFMFieldsFields(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fields score.RFMFields
	}{
		{"NewRFMFields", rfmF},
		{"without Label", score.RFMFields{R: rfmF.R, F: rfmF.F, M: rfmF.M, Cell: rfmF.Cell}},
		{"zero", score.RFMFields{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			names := func(fs []segment.Field) []string {
				out := []string{}
				for _, f := range fs {
					out = append(out, f.Name())
				}
				return out
			}
			if diff := cmp.Diff(names(tc.fields.Scores(nil).Fields()), names(tc.fields.Fields())); diff != "" {
				t.Errorf("Fields differ from the fields Scores attaches (-Scores +Fields):\n%s", diff)
			}
		})
	}
}

func TestAttachRFMLabelSplits(t *testing.T) {
	// The label is a field like any other: Split by it gives the segments
	// that RFMFields.Segment selects.
	sums := make([]score.Summary, 0, 500)
	keys := make([]string, 0, 500)
	for i := range 500 {
		x := i % 7
		rec := float64(i % 40)
		if x == 0 {
			rec = 0
		}
		k := fmt.Sprintf("c-%d", i)
		keys = append(keys, k)
		sums = append(sums, score.Summary{Key: k, Frequency: x, Recency: rec, T: 40, Revenue: float64(i)})
	}
	rfm, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		t.Fatal(err)
	}
	base, err := score.Attach(newKeysBase(t, keys), sums, rfmF.Scores(rfm))
	if err != nil {
		t.Fatal(err)
	}
	cells, err := segment.Split(base, segment.All(), []segment.Dim{segment.By(rfmF.Label)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]uint64{}
	for _, c := range cells {
		got[c.Labels[0]] = c.Count
	}
	want := map[string]uint64{}
	for _, g := range append(score.RFMSegments(), score.Other) {
		if n := base.Count(rfmF.Segment(g)); n > 0 {
			want[g.String()] = n
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Split by label (-predicates +split):\n%s", diff)
	}
}

// TestAttachRetail attaches RFM scores, their label, revenue deciles and
// revenue to the UCI Online Retail customers with Attach and with
// AttachColumns, and checks both bases against plain counts and sums over
// the scores.
func TestAttachRetail(t *testing.T) {
	by := retailByCountry(t)
	var txns []score.Transaction
	for _, c := range slices.Sorted(maps.Keys(by)) {
		txns = append(txns, by[c]...)
	}
	sums, err := score.Summarize(txns, time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC), score.Unit(score.Week))
	if err != nil {
		t.Fatal(err)
	}
	rfm, err := score.RFMScores(sums, score.Quintiles)
	if err != nil {
		t.Fatal(err)
	}
	revenue := make([]float64, len(sums))
	for i, s := range sums {
		revenue[i] = s.Revenue
	}
	deciles, err := score.Ntiles(revenue, 10)
	if err != nil {
		t.Fatal(err)
	}
	// The base has customers without a summary too, first.
	keys := []string{"no-purchase-1", "no-purchase-2"}
	for i := len(sums) - 1; i >= 0; i-- {
		keys = append(keys, sums[i].Key)
	}
	revF := segment.NewDecimal("revenue", 2)
	scores := []score.Scores{rfmF.Scores(rfm), score.Ints(decileF, deciles), score.Decimals(revF, revenue)}
	attached, err := score.Attach(newKeysBase(t, keys), sums, scores...)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := score.AttachColumns(keys, sums, scores...)
	if err != nil {
		t.Fatal(err)
	}
	built, err := segment.FromColumns(keys, cols...)
	if err != nil {
		t.Fatal(err)
	}
	// Plain counts and sums over the scores.
	type tally struct {
		Labels   map[string]uint64
		Deciles  map[int64]uint64
		Cells    map[int64]uint64
		Unscored uint64
		Cents    int64
	}
	want := tally{Labels: map[string]uint64{}, Deciles: map[int64]uint64{}, Cells: map[int64]uint64{}, Unscored: 2}
	for i, r := range rfm {
		want.Labels[r.Segment().String()]++
		want.Deciles[int64(deciles[i])]++
		want.Cells[int64(r.Code())]++
		want.Cents += int64(math.Round(revenue[i] * 100))
	}
	for _, tc := range []struct {
		name string
		base *segment.Base
	}{{"Attach", attached}, {"AttachColumns", built}} {
		t.Run(tc.name, func(t *testing.T) {
			got := tally{Labels: map[string]uint64{}, Deciles: map[int64]uint64{}, Cells: map[int64]uint64{}}
			for _, c := range rfmF.Label.Counts(tc.base, tc.base.Live()) {
				got.Labels[c.Value] = c.Count
			}
			for d := range int64(11) {
				if n := tc.base.Count(decileF.Eq(d)); n > 0 {
					got.Deciles[d] = n
				}
			}
			for c := range int64(556) {
				if n := tc.base.Count(rfmF.Cell.Eq(c)); n > 0 {
					got.Cells[c] = n
				}
			}
			got.Unscored = tc.base.Count(segment.And(rfmF.Label.Missing(), decileF.Missing(), revF.Missing()))
			st, _ := tc.base.NumberStats(revF, tc.base.Live())
			got.Cents = int64(math.Round(st.Sum * 100))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%d customers (-plain loop +%s):\n%s", len(sums), tc.name, diff)
			}
		})
	}
}
