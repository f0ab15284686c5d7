package persona

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fabeed28/microseg/segment"
)

// shardedBases builds one base of n random customers and the same
// customers on shards of consecutive customers.
func shardedBases(n, shards int, seed uint64) (*segment.Base, []*segment.Base) {
	r := rand.New(rand.NewPCG(seed, 15))
	rows := make([][]segment.Value, n)
	for i := range rows {
		rows[i], _ = randRow(r, r.IntN(10) == 0)
	}
	build := func(lo, hi int) *segment.Base {
		b := segment.NewBuilder()
		for i := lo; i < hi; i++ {
			if err := b.Add(fmt.Sprintf("c%06d", i), rows[i]...); err != nil {
				panic(err)
			}
		}
		base, err := b.Build()
		if err != nil {
			panic(err)
		}
		return base
	}
	per := (n + shards - 1) / shards
	var parts []*segment.Base
	for s := range shards {
		parts = append(parts, build(min(s*per, n), min((s+1)*per, n)))
	}
	return build(0, n), parts
}

// withoutRanges returns p without the range traits of numeric fields,
// which Parts leaves out.
func withoutRanges(p *Profile) *Profile {
	q := *p
	q.Fields, q.Traits = nil, nil
	for _, f := range p.Fields {
		switch f.Kind {
		case segment.KindCat, segment.KindSet, segment.KindFlag:
			q.Traits = append(q.Traits, f.Values...)
		default:
			f.Values = nil
		}
		q.Fields = append(q.Fields, f)
	}
	return &q
}

func TestShardsMergeProfiles(t *testing.T) {
	all, shards := shardedBases(4000, 8, 3)
	eval := func(b *segment.Base, p segment.Pred) *roaring.Bitmap { return b.Eval(p) }
	tests := []struct {
		name    string
		members func(b *segment.Base) *roaring.Bitmap
		opts    func(b *segment.Base) []DescribeOption
	}{
		{"Amsterdam", func(b *segment.Base) *roaring.Bitmap { return eval(b, fCity.Eq("Amsterdam")) }, nil},
		{"age against the active", func(b *segment.Base) *roaring.Bitmap { return eval(b, fAge.Between(20, 40)) },
			func(b *segment.Base) []DescribeOption {
				return []DescribeOption{Reference(eval(b, fActive.True())), ReferenceName("the active")}
			}},
		{"only some fields", func(b *segment.Base) *roaring.Bitmap { return eval(b, fInterest.Has("skincare")) },
			func(*segment.Base) []DescribeOption { return []DescribeOption{Only(fAge, fCity, fSignup, fActive)} }},
		{"empty", func(*segment.Base) *roaring.Bitmap { return nil }, nil},
		{"everyone", func(b *segment.Base) *roaring.Bitmap { return b.Live() }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := func(b *segment.Base) []DescribeOption {
				if tt.opts == nil {
					return nil
				}
				return tt.opts(b)
			}
			want, err := Describe(all, tt.members(all), opts(all)...)
			if err != nil {
				t.Fatal(err)
			}
			var parts []*Parts
			for _, b := range shards {
				p, err := DescribeParts(b, tt.members(b), opts(b)...)
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, p)
			}
			merged, err := MergeParts(parts...)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range merged.Fields {
				if f.Numbers != nil && (f.Numbers.RankError() != 0 || f.Reference.RankError() != 0) {
					t.Errorf("field %s: rank errors %d and %d, want 0 with shards of 500 customers", f.Name, f.Numbers.RankError(), f.Reference.RankError())
				}
			}
			// Every count, share, lift and z-score exact; the means up to
			// rounding; quantiles exact, since no shard holds more values
			// than a sketch has points.
			got := merged.Profile()
			if diff := cmp.Diff(withoutRanges(want), got, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
				t.Errorf("profile (-one base +8 shards):\n%s", diff)
			}
		})
	}
}

func TestMergePartsErrors(t *testing.T) {
	a := &Parts{ReferenceName: "the base", Fields: []FieldParts{{Name: "age", Kind: segment.KindInt}}}
	tests := []struct {
		name  string
		parts []*Parts
		want  string
	}{
		{"none", nil, "no parts"},
		{"nil", []*Parts{a, nil}, "parts[1] is nil"},
		{"reference", []*Parts{a, {ReferenceName: "the active"}}, `parts[1] is against "the active", parts[0] against "the base"`},
		{"kind", []*Parts{a, {ReferenceName: "the base", Fields: []FieldParts{{Name: "age", Kind: segment.KindDecimal, Scale: 2}}}}, `field "age" of parts[1]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MergeParts(tt.parts...)
			if !errors.Is(err, ErrInvalidArgument) || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one wrapping ErrInvalidArgument with %q", err, tt.want)
			}
		})
	}
	if _, err := DescribeParts(nil, nil); !errors.Is(err, ErrNilBase) {
		t.Errorf("DescribeParts(nil): %v", err)
	}
}
