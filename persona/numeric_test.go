package persona

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
	"github.com/google/go-cmp/cmp"
)

func TestWiden(t *testing.T) {
	intF := numField{kind: segment.KindInt, pow: 1}
	dec2 := numField{kind: segment.KindDecimal, scale: 2, pow: 100}
	timeF := numField{kind: segment.KindTime, pow: 1}
	day := int64(86400)
	t0 := time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC).Unix()
	for _, tt := range []struct {
		name             string
		n                numField
		lo, hi           int64
		prev, next       int64
		hasPrev, hasNext bool
		wantLo, wantHi   int64
	}{
		{"nobody holds 70", intF, 71, 99, 69, 0, true, false, 70, 99},
		{"no neighbours: stays", intF, 71, 99, 0, 0, false, false, 71, 99},
		{"25-34 stays", intF, 25, 34, 24, 35, true, true, 25, 34},
		{"26-33 in a wide gap", intF, 26, 33, 12, 41, true, true, 20, 39},
		{"hi+1 round", intF, 61, 98, 3, 120, true, true, 50, 99},
		{"wide gaps reach powers of ten", intF, 1234, 8765, 2, 12000, true, true, 1000, 9999},
		{"negative", intF, -7, -3, -12, 1, true, true, -10, -1},
		{"zero is round", intF, 3, 8, -4, 9, true, true, 0, 8},
		{"decimal money", dec2, 100007, 199998, 99999, 200003, true, true, 100000, 199999},
		{"decimal tight", dec2, 100007, 199998, 100006, 199999, true, true, 100007, 199998},
		{"time to whole days", timeF, t0 + 3600*5, t0 + 30*day + 60, t0 - 10, t0 + 31*day + 7, true, true, t0, t0 + 31*day - 1},
		{"time: no whole day fits", timeF, t0 + 3605, t0 + 3700, t0 + 3599, t0 + 7201, true, true, t0 + 3600, t0 + 7199},
		{"extremes", intF, math.MinInt64 + 3, math.MaxInt64 - 3, math.MinInt64, math.MaxInt64, true, true, math.MinInt64 + 3, math.MaxInt64 - 3},
	} {
		lo, hi := tt.n.widen(tt.lo, tt.hi, tt.prev, tt.next, tt.hasPrev, tt.hasNext)
		if diff := cmp.Diff([2]int64{tt.wantLo, tt.wantHi}, [2]int64{lo, hi}); diff != "" {
			t.Errorf("%s: widen (-want +got):\n%s", tt.name, diff)
		}
		if tt.hasPrev && lo <= tt.prev || lo > tt.lo || hi < tt.hi || tt.hasNext && hi >= tt.next {
			t.Errorf("%s: widen gave [%d, %d], outside (prev, lo] or [hi, next)", tt.name, lo, hi)
		}
	}
}

func TestFormatAtScale(t *testing.T) {
	for _, tt := range []struct {
		kind  segment.Kind
		scale int
		x     float64
		want  string
	}{
		{segment.KindDecimal, 5, 0.99595, "0.99595"}, // a median P(alive), not "1"
		{segment.KindDecimal, 2, 1502.26, "1,502.26"},
		{segment.KindDecimal, 2, 999.5, "999.50"},
		{segment.KindDecimal, 2, -12345.678, "-12,345.68"},
		{segment.KindDecimal, 0, 7, "7"},
		{segment.KindInt, 0, 82.5, "82.5"},
		{segment.KindInt, 0, 50, "50"},
		{segment.KindInt, 0, 1970, "1970"}, // a year reads as a year
		{segment.KindInt, 0, 64090, "64,090"},
		{segment.KindInt, 0, -25.94, "-25.9"},
		{segment.KindTime, 0, float64(time.Date(2026, 11, 10, 13, 0, 0, 0, time.UTC).Unix()), "2026-11-10"},
	} {
		if got := formatNumber(tt.kind, tt.scale, tt.x); got != tt.want {
			t.Errorf("formatNumber(%v, %d, %g) = %q, want %q", tt.kind, tt.scale, tt.x, got, tt.want)
		}
	}
	day := time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC).Unix()
	for _, tt := range []struct {
		n      numField
		lo, hi int64
		want   string
	}{
		{numField{kind: segment.KindInt, pow: 1}, 70, 99, "70-99"},
		{numField{kind: segment.KindInt, pow: 1}, 0, 0, "0"},
		{numField{kind: segment.KindInt, pow: 1}, -5, 10, "-5 to 10"},
		{numField{kind: segment.KindInt, pow: 1}, 1893, 1940, "1893-1940"},
		{numField{kind: segment.KindInt, pow: 1}, 72065, 104999, "72,065-104,999"},
		{numField{kind: segment.KindDecimal, scale: 2, pow: 100}, 100000, 199999, "1,000.00-1,999.99"},
		{numField{kind: segment.KindDecimal, scale: 5, pow: 1e5}, 99000, 100000, "0.99000-1.00000"},
		{numField{kind: segment.KindDecimal, scale: 2, pow: 100}, 5, 5, "0.05"},
		{numField{kind: segment.KindTime, pow: 1}, day, day + 30*86400 - 1, "2026-10-26 to 2026-11-24"},
		{numField{kind: segment.KindTime, pow: 1}, day + 5, day + 86399, "2026-10-26"},
	} {
		if got := tt.n.formatRange(tt.lo, tt.hi); got != tt.want {
			t.Errorf("formatRange(%v, %d, %d) = %q, want %q", tt.n.kind, tt.lo, tt.hi, got, tt.want)
		}
	}
	for _, tt := range []struct {
		x    float64
		want int64
	}{{1.5, 2}, {2, 2}, {-1.5, -1}, {12.34, 1234}, {0.1 + 0.2, 30}, {1e300, math.MaxInt64}} {
		n := numField{kind: segment.KindInt, pow: 1}
		if tt.want == 1234 || tt.want == 30 {
			n = numField{kind: segment.KindDecimal, scale: 2, pow: 100}
		}
		if got := n.ceilUnits(tt.x); got != tt.want {
			t.Errorf("ceilUnits(%g) at scale %d = %d, want %d", tt.x, n.scale, got, tt.want)
		}
	}
}

// TestRangeTraitOfNumericSegment: a segment defined by a number has that
// number as its top trait, its range the definition as the data hold it.
func TestRangeTraitOfNumericSegment(t *testing.T) {
	base, _, _ := testBase(rand.New(rand.NewPCG(3, 3)), 6000, 0, 0)
	t0 := epoch.Add(1000 * 24 * time.Hour)
	for _, tt := range []struct {
		pred  segment.Pred
		field string
		want  string // the definition, up to the largest value held
	}{
		{fAge.Ge(60), "age", "age 60-77"},
		{fAge.Between(30, 39), "age", "age 30-39"},
		{fIncome.Ge(150000), "income", "income 150,000.00-199,949.82"},
		{fSignup.Before(t0), "signup", "signup 2020-01-01 to 2022-09-26"},
		{fVisits.Lt(0), "visits", "visits -5 to -1"},
	} {
		ids := base.Eval(tt.pred)
		prof, err := Describe(base, ids)
		if err != nil {
			t.Fatal(err)
		}
		ps := New(prof)
		if len(ps.Distinguishing) == 0 || ps.Distinguishing[0].Field != tt.field {
			t.Fatalf("%s: distinguishing %v, want %s first", tt.pred, ps.Distinguishing, tt.field)
		}
		top := ps.Distinguishing[0]
		if got := top.String(); got != tt.want {
			t.Errorf("%s: top trait %q, want %q", tt.pred, got, tt.want)
		}
		// Every member with a value is in the range, and so is nobody else.
		if top.Share != prof.Fields[fieldIndex(prof, tt.field)].CoverageShare || top.Count != ids.GetCardinality() {
			t.Errorf("%s: range holds %d members (share %g), want all %d", tt.pred, top.Count, top.Share, ids.GetCardinality())
		}
		if top.ReferenceCount != top.Count {
			t.Errorf("%s: range holds %d customers of the base, want only the %d members", tt.pred, top.ReferenceCount, top.Count)
		}
		if !strings.HasPrefix(ps.Summary, fmt.Sprintf("%s customers (", formatCount(prof.Size))) || !strings.Contains(ps.Summary, tt.want+" (") {
			t.Errorf("%s: summary %q lacks %q", tt.pred, ps.Summary, tt.want)
		}
	}
}

func fieldIndex(p *Profile, name string) int {
	for i, f := range p.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// TestWeightsMatchNaive counts every look-alike trait row by row: values,
// and quantile bands that are closed ranges of whole units (integer edges
// for an Int), increasing, disjoint, non-empty and covering every value;
// the weight is the formula's, and 0 below MinTraitCount.
func TestWeightsMatchNaive(t *testing.T) {
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 17))
		n := []int{40, 700, 3000, 9000}[seed]
		base, rows, fans := testBase(r, n, 0.08, int(seed%2)*5)
		seedSet := roaring.BitmapOf(fans...)
		for _, opts := range [][]LookalikeOption{nil, {QuantileBands(4), MinTraitCount(1)}, {QuantileBands(MaxQuantileBands), MinTraitCount(50), Smoothing(2)}} {
			o := lookalikeOptions(opts)
			ws, err := Weights(base, seedSet, opts...)
			if err != nil {
				t.Fatal(err)
			}
			var S, R float64
			for id, rw := range rows {
				if rw.live {
					if seedSet.Contains(uint32(id)) {
						S++
					} else {
						R++
					}
				}
			}
			type span struct{ lo, hi float64 }
			last := map[string]span{}
			covered := map[string]uint64{}
			for _, w := range ws {
				var has func(rw *testRow) bool
				switch raw := w.Raw.(type) {
				case Range:
					fi, _ := base.Field(w.Field)
					pow := 1.0
					if fi.Kind == segment.KindDecimal {
						pow = math.Pow10(fi.Scale)
					}
					lo, hi := raw.Lo*pow, raw.Hi*pow
					if math.Abs(lo-math.Round(lo)) > 1e-6 || math.Abs(hi-math.Round(hi)) > 1e-6 || lo > hi {
						t.Fatalf("seed %d: band %s %s: edges [%g, %g] not whole units", seed, w.Field, w.Value, raw.Lo, raw.Hi)
					}
					if p, ok := last[w.Field]; ok && lo <= p.hi {
						t.Fatalf("seed %d: band %s %s overlaps or precedes the one before", seed, w.Field, w.Value)
					}
					lo, hi = math.Round(lo), math.Round(hi)
					last[w.Field] = span{lo, hi}
					has = func(rw *testRow) bool {
						u, ok := rw.num[w.Field]
						return ok && float64(u) >= lo && float64(u) <= hi
					}
					if w.Seed+w.Rest == 0 {
						t.Fatalf("seed %d: empty band %s %s", seed, w.Field, w.Value)
					}
					covered[w.Field] += w.Seed + w.Rest
				default:
					has = func(rw *testRow) bool {
						if v, ok := rw.cat[w.Field]; ok {
							return v == raw
						}
						for _, v := range rw.set[w.Field] {
							if v == raw {
								return true
							}
						}
						return false
					}
				}
				var a, b uint64
				for id, rw := range rows {
					if rw.live && has(rw) {
						if seedSet.Contains(uint32(id)) {
							a++
						} else {
							b++
						}
					}
				}
				if a != w.Seed || b != w.Rest {
					t.Fatalf("seed %d: %s %s: seed %d rest %d, naive %d %d", seed, w.Field, w.Value, w.Seed, w.Rest, a, b)
				}
				want := 0.0
				if a+b >= o.minTraitCount {
					al, fa, fb := o.smoothing, float64(a), float64(b)
					want = math.Log((fa+al)/(S+2*al)) - math.Log((fb+al)/(R+2*al)) -
						math.Log((S-fa+al)/(S+2*al)) + math.Log((R-fb+al)/(R+2*al))
				}
				if math.Abs(w.LLR-want) > 1e-9 || w.Score != int32(math.Round(want*weightScale)) {
					t.Fatalf("seed %d: %s %s: LLR %g score %d, want %g", seed, w.Field, w.Value, w.LLR, w.Score, want)
				}
			}
			for _, f := range []string{"age", "income", "signup", "visits"} {
				var known uint64
				for _, rw := range rows {
					if _, ok := rw.num[f]; ok && rw.live {
						known++
					}
				}
				if o.bands >= 2 && covered[f] != known {
					t.Fatalf("seed %d: bands of %s hold %d customers, %d have a value", seed, f, covered[f], known)
				}
			}
		}
	}
}

// TestCompareRanges: a persona's column holds the traits of its own
// profile, its own ranges included; a range only another persona has
// (profiles do not share ranges) gives a Trait with only Field and Value
// set, as a value the profile lacks does. Diff does the same between
// snapshots.
func TestCompareRanges(t *testing.T) {
	base, _, fans := testBase(rand.New(rand.NewPCG(5, 5)), 8000, 0.06, 7)
	older := base.Eval(fAge.Ge(55))
	var ps []*Persona
	for _, ids := range []*roaring.Bitmap{roaring.BitmapOf(fans...), older} {
		prof, err := Describe(base, ids)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, New(prof))
	}
	c := Compare(ps...)
	ranges := 0
	for j, k := range c.Traits {
		for i, p := range ps {
			want := Trait{Field: k.Field, Value: k.Value}
			for _, tr := range p.Profile.Traits {
				if tr.Field == k.Field && tr.Value == k.Value {
					want = tr
				}
			}
			if _, ok := want.Raw.(Range); ok {
				ranges++
			}
			if diff := cmp.Diff(want, c.Columns[i][j]); diff != "" {
				t.Errorf("persona %d, %s %s (-profile +comparison):\n%s", i, k.Field, k.Value, diff)
			}
		}
	}
	if ranges < 2 {
		t.Fatalf("comparison holds %d range cells, want each persona's age range in its column: %v", ranges, c.Traits)
	}
	// Diff of a persona with itself one snapshot later, when the members'
	// ages were corrected down by ten years: the old range has left.
	batch := base.Batch()
	for key := range base.Keys(older) {
		if err := batch.Set(key, fAge.Value(45)); err != nil {
			t.Fatal(err)
		}
	}
	next, err := batch.Apply()
	if err != nil {
		t.Fatal(err)
	}
	prof, err := Describe(next, older)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ch := range Diff(ps[1], New(prof)) {
		if ch.Field == "age" && ch.Before.Value == ps[1].Distinguishing[0].Value {
			found = true
			if ch.Before.Count != older.GetCardinality() || ch.After != (Trait{Field: "age", Value: ch.Before.Value}) || !ch.Left {
				t.Errorf("old age range %s: before %d members, after %+v, left %v; want %d, only Field and Value, true",
					ch.Before.Value, ch.Before.Count, ch.After, ch.Left, older.GetCardinality())
			}
		}
	}
	if !found {
		t.Errorf("Diff lacks the old age range %s", ps[1].Distinguishing[0].Value)
	}
}

// TestTypicalAtScale: a median is printed at its field's scale (issue 18:
// a median P(alive) of 0.99595 printed as "1").
func TestTypicalAtScale(t *testing.T) {
	palive := segment.NewDecimal("p_alive", 5)
	b := segment.NewBuilder()
	for i, u := range []int64{99590, 99595, 99600, 45000, 99595} {
		if err := b.Add(fmt.Sprint(i), palive.Units(u)); err != nil {
			t.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	prof, err := Describe(base, base.Live())
	if err != nil {
		t.Fatal(err)
	}
	if got := New(prof).Typical[0].Value; got != "0.99595" {
		t.Errorf("typical p_alive %q, want 0.99595", got)
	}
}
