package persona

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
	"github.com/google/go-cmp/cmp"
)

// naiveProfile computes a profile one row at a time, from the definitions.
func naiveProfile(base *segment.Base, rows []*testRow, members, ref *roaring.Bitmap) *Profile {
	in := func(set *roaring.Bitmap, nilAll bool) []*testRow {
		var out []*testRow
		for id, rw := range rows {
			if rw.live && (set == nil && nilAll || set != nil && set.Contains(uint32(id))) {
				out = append(out, rw)
			}
		}
		return out
	}
	mem, refRows, all := in(members, false), in(ref, true), in(nil, true)
	p := &Profile{Size: uint64(len(mem)), BaseSize: uint64(len(all)), ReferenceSize: uint64(len(refRows)), ReferenceName: "the base"}
	if ref != nil {
		p.ReferenceName = "the reference"
	}
	p.Share = ratio(p.Size, p.BaseSize)
	for _, fi := range base.Fields() {
		fp := FieldProfile{Name: fi.Name, Kind: fi.Kind}
		for _, rw := range mem {
			_, c := rw.cat[fi.Name]
			_, s := rw.set[fi.Name]
			_, n := rw.num[fi.Name]
			if c || s || n {
				fp.Coverage++
			}
		}
		fp.CoverageShare = ratio(fp.Coverage, p.Size)
		switch fi.Kind {
		case segment.KindCat, segment.KindSet, segment.KindFlag:
			// Values in first-seen order over all rows, kept when a live
			// customer holds them; flags false then true.
			var order []any
			if fi.Kind == segment.KindFlag {
				order = []any{false, true}
			} else {
				for _, rw := range rows {
					vals := rw.set[fi.Name]
					if v, ok := rw.cat[fi.Name]; ok {
						vals = []any{v}
					}
					for _, v := range vals {
						if !slices.Contains(order, v) {
							order = append(order, v)
						}
					}
				}
			}
			count := func(rs []*testRow, v any) uint64 {
				var n uint64
				for _, rw := range rs {
					if c, ok := rw.cat[fi.Name]; ok && c == v || slices.Contains(rw.set[fi.Name], v) {
						n++
					}
				}
				return n
			}
			for _, v := range order {
				if count(all, v) == 0 {
					continue
				}
				fp.Values = append(fp.Values, newTrait(fi.Name, v, count(mem, v), p.Size, count(refRows, v), p.ReferenceSize))
			}
			p.Traits = append(p.Traits, fp.Values...)
		default:
			scale := 0
			if fi.Kind == segment.KindDecimal {
				scale = fi.Scale
			}
			fp.Scale = scale
			fp.Numbers = naiveNumbers(mem, fi.Name, scale)
			fp.Reference = naiveNumbers(refRows, fi.Name, scale)
			if t, ok := naiveRange(mem, refRows, fi, p.Size, p.ReferenceSize); ok {
				fp.Values = []Trait{t}
				p.Traits = append(p.Traits, t)
			}
		}
		p.Fields = append(p.Fields, fp)
	}
	return p
}

func naiveNumbers(rows []*testRow, field string, scale int) *Numbers {
	pow := math.Pow10(scale)
	var us []int64
	for _, rw := range rows {
		if u, ok := rw.num[field]; ok {
			us = append(us, u)
		}
	}
	n := &Numbers{Count: uint64(len(us)), Missing: uint64(len(rows) - len(us))}
	if len(us) == 0 {
		return n
	}
	slices.Sort(us)
	sum := new(big.Int)
	xs := make([]float64, len(us))
	for i, u := range us {
		sum.Add(sum, big.NewInt(u))
		xs[i] = float64(u) / pow
	}
	mean := new(big.Float).Quo(new(big.Float).SetInt(sum), new(big.Float).SetUint64(uint64(len(us))))
	n.Mean, _ = mean.Quo(mean, big.NewFloat(pow)).Float64()
	n.Min, n.Max = xs[0], xs[len(xs)-1]
	q := func(q float64) float64 {
		h := float64(len(xs)-1) * q
		lo := int(math.Floor(h))
		x := xs[lo]
		if f := h - float64(lo); f > 0 {
			x += f * (xs[lo+1] - x)
		}
		return x
	}
	n.P10, n.P25, n.P50, n.P75, n.P90 = q(0.1), q(0.25), q(0.5), q(0.75), q(0.9)
	return n
}

// naiveRange finds the range trait of a numeric field row by row: the
// candidate cuts from sorted values, every pair of cuts tried with counts
// summed band by band, the best range narrowed to the members' values in it,
// widened into the gaps to its nearest other values, and counted again.
func naiveRange(mem, refRows []*testRow, fi segment.FieldInfo, M, R uint64) (Trait, bool) {
	n := numField{kind: fi.Kind, pow: 1}
	if fi.Kind == segment.KindDecimal {
		n.scale, n.pow = fi.Scale, math.Pow10(fi.Scale)
	}
	values := func(rows []*testRow) []int64 {
		var us []int64
		for _, rw := range rows {
			if u, ok := rw.num[fi.Name]; ok {
				us = append(us, u)
			}
		}
		slices.Sort(us)
		return us
	}
	mu, ru := values(mem), values(refRows)
	if M == 0 || R == 0 || len(mu) == 0 {
		return Trait{}, false
	}
	var cuts []int64
	hiU := int64(math.MinInt64)
	for _, us := range [][]int64{mu, ru} {
		if len(us) == 0 {
			continue
		}
		for i := range cutSteps + 1 {
			h := float64(len(us)-1) * float64(i) / cutSteps
			lo := int(math.Floor(h))
			x := float64(us[lo]) / n.pow
			if f := h - float64(lo); f > 0 {
				x += f * (float64(us[lo+1])/n.pow - x)
			}
			cuts = append(cuts, n.ceilUnits(x))
		}
		hiU = max(hiU, us[len(us)-1])
	}
	if end := mu[len(mu)-1]; end < hiU {
		cuts = append(cuts, end+1)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	band := func(u int64) int {
		i := len(cuts) - 1
		for cuts[i] > u {
			i--
		}
		return i
	}
	bm, br := make([]uint64, len(cuts)), make([]uint64, len(cuts))
	for _, u := range mu {
		bm[band(u)]++
	}
	for _, u := range ru {
		br[band(u)]++
	}
	best, found := 0.0, false
	var lo, hi int64
	for i := range cuts {
		for j := i; j < len(cuts); j++ {
			var mc, rc uint64
			for b := i; b <= j; b++ {
				mc += bm[b]
				rc += br[b]
			}
			if d := ratio(mc, M) - ratio(rc, R); d > best {
				best, found, lo, hi = d, true, cuts[i], hiU
				if j+1 < len(cuts) {
					hi = cuts[j+1] - 1
				}
			}
		}
	}
	if !found {
		return Trait{}, false
	}
	in := func(us []int64, lo, hi int64) []int64 {
		var out []int64
		for _, u := range us {
			if lo <= u && u <= hi {
				out = append(out, u)
			}
		}
		return out
	}
	inM := in(mu, lo, hi)
	lo, hi = inM[0], inM[len(inM)-1]
	var prev, next int64
	var hasPrev, hasNext bool
	for _, u := range append(slices.Clone(mu), ru...) {
		if u < lo && (!hasPrev || u > prev) {
			prev, hasPrev = u, true
		}
		if u > hi && (!hasNext || u < next) {
			next, hasNext = u, true
		}
	}
	lo, hi = n.widen(lo, hi, prev, next, hasPrev, hasNext)
	t := newTrait(fi.Name, n.rangeOf(lo, hi), uint64(len(in(mu, lo, hi))), M, uint64(len(in(ru, lo, hi))), R)
	t.Value = n.formatRange(lo, hi)
	return t, true
}

// randSubset returns about share of the IDs below n+5 (some not live, some
// never assigned).
func randSubset(r *rand.Rand, n int, share float64) *roaring.Bitmap {
	m := roaring.New()
	for id := range n + 5 {
		if r.Float64() < share {
			m.Add(uint32(id))
		}
	}
	return m
}

func TestDescribeMatchesOracle(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 99))
		n := []int{0, 1, 30, 500, 4000, 20000}[seed%6]
		if testing.Short() {
			n = min(n, 4000)
		}
		base, rows, fans := testBase(r, n, 0.05, int(seed%4)*3)
		cases := []struct {
			name    string
			members *roaring.Bitmap
			ref     *roaring.Bitmap
		}{
			{"nil", nil, nil},
			{"empty", roaring.New(), nil},
			{"fans", roaring.BitmapOf(fans...), nil},
			{"random 1%", randSubset(r, n, 0.01), nil},
			{"random 40%", randSubset(r, n, 0.4), nil},
			{"vs reference", randSubset(r, n, 0.1), randSubset(r, n, 0.5)},
			{"vs empty reference", randSubset(r, n, 0.1), roaring.New()},
		}
		for _, c := range cases {
			got, err := Describe(base, c.members, Reference(c.ref))
			if err != nil {
				t.Fatal(err)
			}
			want := naiveProfile(base, rows, c.members, c.ref)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("seed %d, %s: profile mismatch (-oracle +got):\n%s", seed, c.name, diff)
			}
			// A baseline computed once gives the same profile; one that
			// lacks some fields computes them on the fly.
			for _, bopts := range [][]BaselineOption{{Reference(c.ref)}, {Reference(c.ref), Only(fieldsOf(base, "city", "age")...)}} {
				bl, err := NewBaseline(base, bopts...)
				if err != nil {
					t.Fatal(err)
				}
				again, err := Describe(base, c.members, Against(bl), Reference(roaring.BitmapOf(1)))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, again); diff != "" {
					t.Fatalf("seed %d, %s: profile against a baseline mismatch (-oracle +got):\n%s", seed, c.name, diff)
				}
			}
		}
	}
}

func TestDescribeEmptySegment(t *testing.T) {
	base, _, _ := testBase(rand.New(rand.NewPCG(1, 1)), 300, 0, 0)
	p, err := Describe(base, roaring.BitmapOf(100000, 200000)) // IDs never assigned
	if err != nil {
		t.Fatal(err)
	}
	if p.Size != 0 || p.Share != 0 || len(p.Fields) != len(base.Fields()) {
		t.Fatalf("empty segment: Size %d Share %g, %d fields", p.Size, p.Share, len(p.Fields))
	}
	for _, tr := range p.Traits {
		if tr.Count != 0 || tr.Share != 0 || tr.Lift != 0 || tr.Z != 0 || tr.ReferenceShare == 0 {
			t.Fatalf("empty segment trait %+v", tr)
		}
	}
	ps := New(p)
	if ps.Summary != "0 customers (0% of the base)" || len(ps.Distinguishing) != 0 || len(ps.Typical) != 0 {
		t.Fatalf("empty persona: %+v", ps)
	}
}

func TestDescribeFieldsOption(t *testing.T) {
	base, _, fans := testBase(rand.New(rand.NewPCG(2, 1)), 500, 0.1, 0)
	var all []string
	for _, fi := range base.Fields() {
		all = append(all, fi.Name)
	}
	slices.Sort(all)
	without := func(names ...string) []string {
		return slices.DeleteFunc(slices.Clone(all), func(n string) bool { return slices.Contains(names, n) })
	}
	for _, tt := range []struct {
		name string
		opts []DescribeOption
		want []string
	}{
		{"default", nil, all},
		{"only", []DescribeOption{Only(fieldsOf(base, "age", "city")...)}, []string{"age", "city"}},
		{"only twice", []DescribeOption{Only(fieldsOf(base, "age")...), Only(fieldsOf(base, "city")...)}, []string{"age", "city"}},
		{"omit", []DescribeOption{Omit(fieldsOf(base, "city")...)}, without("city")},
		{"omit wins", []DescribeOption{Only(fieldsOf(base, "age", "city")...), Omit(fieldsOf(base, "city")...)}, []string{"age"}},
		{"nil option", []DescribeOption{nil}, all},
	} {
		p, err := Describe(base, roaring.BitmapOf(fans...), tt.opts...)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range p.Fields {
			names = append(names, f.Name)
		}
		slices.Sort(names) // base field order depends on first use
		if diff := cmp.Diff(tt.want, names); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
		}
	}
	if _, err := Describe(nil, nil); !errors.Is(err, ErrNilBase) {
		t.Fatalf("Describe(nil base): err = %v", err)
	}
	other, _, _ := testBase(rand.New(rand.NewPCG(2, 1)), 500, 0.1, 0)
	bl, _ := NewBaseline(other)
	if _, err := Describe(base, nil, Against(bl)); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("Describe against another base's baseline: err = %v", err)
	}
}
