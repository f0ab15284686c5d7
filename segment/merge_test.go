package segment

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The shard-merge tests split one generated base into 8 shards of
// consecutive customers and check that every merged answer equals the one
// base's.

const mergeShards = 8

var gSpend = NewDecimal("spend", 2)

// fleet is one base of every customer and the same customers on 8 shards.
type fleet struct {
	all    *Base
	d      *genData
	shards []Shard
	bases  []*Base
	per    int // customers per shard: customer i is on shard i/per
}

// buildRange builds the base of customers [lo, hi) of d, with a Decimal
// field spend (income in cents, every 7th customer without one).
func buildRange(d *genData, lo, hi int) *Base {
	b := NewBuilder()
	var buf []Value
	for i := lo; i < hi; i++ {
		buf = mergeRow(d, i, buf)
		if err := b.Add(d.keys[i], buf...); err != nil {
			panic(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	return base
}

// mergeRow returns customer i's values: d's and spend.
func mergeRow(d *genData, i int, buf []Value) []Value {
	buf = d.values(i, buf)
	if i%7 != 0 {
		buf = append(buf, gSpend.Units(d.income[i]%100000+int64(i%13)))
	}
	return buf
}

func newFleet(t *testing.T, n int) *fleet {
	t.Helper()
	d := genCustomers(n, 15)
	f := &fleet{all: buildRange(d, 0, n), d: d, per: (n + mergeShards - 1) / mergeShards}
	for s := range mergeShards {
		sh, err := NewShard(uint32(s), 20)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := min(s*f.per, n), min((s+1)*f.per, n)
		b := buildRange(d, lo, hi)
		if err := sh.Fits(b); err != nil {
			t.Fatal(err)
		}
		f.shards, f.bases = append(f.shards, sh), append(f.bases, b)
	}
	return f
}

// global returns the global IDs of IDs of the one base.
func (f *fleet) global(ids *roaring.Bitmap) []uint32 {
	var out []uint32
	for _, id := range ids.ToArray() {
		s := int(id) / f.per
		g, _ := f.shards[s].GlobalID(id - uint32(s*f.per))
		out = append(out, g)
	}
	return out
}

func mergeQueries(d *genData) map[string]Pred {
	qs := genQueries(d)
	qs["all"] = All()
	qs["none"] = gCountry.Eq("nowhere")
	qs["spend"] = gSpend.Ge(500)
	return qs
}

func TestShardsMergeCountsAndMembers(t *testing.T) {
	f := newFleet(t, 4000)
	for name, q := range mergeQueries(f.d) {
		t.Run(name, func(t *testing.T) {
			var n uint64
			sets := make([]*roaring.Bitmap, len(f.bases))
			for s, b := range f.bases {
				n += b.Count(q)
				g, err := f.shards[s].Global(b.Eval(q))
				if err != nil {
					t.Fatal(err)
				}
				// What crosses the wire: the portable serialization.
				var buf bytes.Buffer
				if _, err := g.WriteTo(&buf); err != nil {
					t.Fatal(err)
				}
				if sets[s], _, err = ReadSegment(&buf, nil); err != nil {
					t.Fatal(err)
				}
			}
			want := f.all.Eval(q)
			if n != want.GetCardinality() {
				t.Errorf("sum of the shards' counts %d, one base %d", n, want.GetCardinality())
			}
			merged := roaring.FastOr(sets...)
			if diff := gocmp.Diff(f.global(want), merged.ToArray(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("merged members (-one base +shards):\n%s", diff)
			}
			// Back to each shard: its own members, and their keys.
			var keys []string
			for s, b := range f.bases {
				local := f.shards[s].Local(merged)
				if diff := gocmp.Diff(b.Eval(q).ToArray(), local.ToArray(), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("shard %d: Local of the merged set (-Eval +Local):\n%s", s, diff)
				}
				keys = b.AppendKeys(keys, local)
			}
			if diff := gocmp.Diff(f.all.AppendKeys(nil, want), keys); diff != "" {
				t.Errorf("keys (-one base +shards):\n%s", diff)
			}
		})
	}
}

// plainCube is a Cube's exported part, as it crosses the wire.
type plainCube struct {
	Axes   []CubeAxis
	Counts []uint64
}

func mergeDims() map[string][]Dim {
	return map[string][]Dim{
		"country":                {By(gCountry)},
		"country x gender":       {By(gCountry), By(gGender).WithMissing()},
		"age bands x active":     {Bands(gAge, 18, 25, 35, 50, 65).WithMissing(), By(gActive)},
		"bought x country":       {By(gBought), By(gCountry)},
		"income width":           {WidthBands(gIncome, 5000)},
		"age width x gender":     {WidthBands(gAge, 7).WithMissing(), By(gGender)},
		"spend decimal bands":    {DecimalBands(gSpend, 100, 250.5, 700).WithMissing()},
		"last purchase x bought": {TimeBands(gLast, gAsOf.AddDate(0, -6, 0), gAsOf.AddDate(0, -1, 0)), By(gBought)},
		"none":                   {},
	}
}

func TestShardsMergeCubes(t *testing.T) {
	f := newFleet(t, 4000)
	qs := mergeQueries(f.d)
	for dname, dims := range mergeDims() {
		for _, qname := range []string{"all", "Q2", "Q5broad", "none"} {
			t.Run(dname+"/"+qname, func(t *testing.T) {
				q := qs[qname]
				want, err := f.all.CountCube(q, dims...)
				if err != nil {
					t.Fatal(err)
				}
				cubes := make([]*Cube, len(f.bases))
				wire := make([]*Cube, len(f.bases))
				for s, b := range f.bases {
					if cubes[s], err = b.CountCube(q, dims...); err != nil {
						t.Fatal(err)
					}
					js, err := json.Marshal(cubes[s])
					if err != nil {
						t.Fatal(err)
					}
					wire[s] = new(Cube)
					if err := json.Unmarshal(js, wire[s]); err != nil {
						t.Fatal(err)
					}
				}
				got, err := MergeCubes(cubes...)
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(plainCube{want.Axes, want.Counts}, plainCube{got.Axes, got.Counts}, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("merged cube (-one base +shards):\n%s", diff)
				}
				// The merged cube's cells select what one base's do.
				for i := 0; i < len(got.Counts); i += 1 + len(got.Counts)/17 {
					coords := cubeCoords(got, i)
					w, g := want.Cell(coords...), got.Cell(coords...)
					if diff := gocmp.Diff(fmt.Sprint(w.Labels, w.Count, w.Pred), fmt.Sprint(g.Labels, g.Count, g.Pred)); diff != "" {
						t.Errorf("Cell(%v) (-one base +shards):\n%s", coords, diff)
					}
				}
				// Cubes from the wire know no dimensions: equal but for
				// WidthBands, whose empty bands between the shards' values
				// they cannot know.
				fromWire, err := MergeCubes(wire...)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(dims, func(d Dim) bool { return d.width > 0 }) {
					if diff := gocmp.Diff(plainCube{want.Axes, want.Counts}, plainCube{fromWire.Axes, fromWire.Counts}, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("merged cube from the wire (-one base +shards):\n%s", diff)
					}
				}
			})
		}
	}
}

// cubeCoords returns the coordinates of cell i of c.
func cubeCoords(c *Cube, i int) []int {
	coords := make([]int, len(c.Axes))
	for a := len(coords) - 1; a >= 0; a-- {
		n := len(c.Axes[a].Labels)
		coords[a] = i % n
		i /= n
	}
	return coords
}

// plainMicro is a Micro with its predicate printed.
type plainMicro struct {
	Labels []string
	Pred   string
	Count  uint64
	Sum    float64
}

func plainMicros(ms []Micro) []plainMicro {
	out := make([]plainMicro, len(ms))
	for i, m := range ms {
		out[i] = plainMicro{m.Labels, m.Pred.String(), m.Count, m.Sum}
	}
	return out
}

// byRank orders micro-segments by count (or sum), then by labels: the
// order of Split up to ties.
func byRank(ms []plainMicro, bySum bool) []plainMicro {
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b plainMicro) int {
		if bySum {
			if c := cmp.Compare(b.Sum, a.Sum); c != 0 {
				return c
			}
		} else if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return slices.Compare(a.Labels, b.Labels)
	})
	return ms
}

func TestShardsMergeSplits(t *testing.T) {
	f := newFleet(t, 4000)
	qs := mergeQueries(f.d)
	sumApprox := cmpopts.EquateApprox(1e-12, 0)
	tests := []struct {
		name  string
		macro string
		dims  []Dim
		opts  []SplitOption
		bySum bool
	}{
		{name: "all cells", macro: "all", dims: []Dim{By(gCountry), By(gGender).WithMissing()}},
		{name: "MinSize", macro: "Q5broad", dims: []Dim{By(gCountry), Bands(gAge, 25, 35, 50).WithMissing()}, opts: []SplitOption{MinSize(20)}},
		{name: "MaxSegments", macro: "all", dims: []Dim{By(gBought), By(gActive)}, opts: []SplitOption{MaxSegments(12)}},
		{name: "SumOf income", macro: "Q2", dims: []Dim{By(gCountry), By(gActive)}, opts: []SplitOption{SumOf(gIncome), MinSize(3)}},
		{name: "RankByValue spend", macro: "all", dims: []Dim{By(gGender).WithMissing(), DecimalBands(gSpend, 200, 600)},
			opts: []SplitOption{SumOf(gSpend), RankByValue(), MaxSegments(5)}, bySum: true},
		{name: "width bands", macro: "all", dims: []Dim{WidthBands(gAge, 10).WithMissing()}},
		{name: "no dims", macro: "Q3", dims: nil, opts: []SplitOption{SumOf(gIncome)}},
		{name: "empty macro", macro: "none", dims: []Dim{By(gCountry)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := qs[tt.macro]
			want, err := Split(f.all, q, tt.dims, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			// The shards split without MinSize and MaxSegments; the sums
			// come with the cells.
			var shardOpts []SplitOption
			for _, o := range tt.opts {
				if s, ok := o.(sumOption); ok {
					shardOpts = append(shardOpts, s)
				}
			}
			results := make([][]Micro, len(f.bases))
			for s, b := range f.bases {
				if results[s], err = Split(b, q, tt.dims, shardOpts...); err != nil {
					t.Fatal(err)
				}
			}
			got, err := MergeSplits(results, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			w, g := plainMicros(want), plainMicros(got)
			// Ranked alike: the same counts (or sums) in the same order.
			rank := func(ms []plainMicro) []float64 {
				var out []float64
				for _, m := range ms {
					if tt.bySum {
						out = append(out, m.Sum)
					} else {
						out = append(out, float64(m.Count))
					}
				}
				return out
			}
			if diff := gocmp.Diff(rank(w), rank(g), sumApprox, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ranking (-one base +shards):\n%s", diff)
			}
			// The same cells, up to the order of ties, unless MaxSegments
			// cut among ties: then every kept cell is one of the base's,
			// with its count and sum.
			all, err := Split(f.all, q, tt.dims, shardOpts...)
			if err != nil {
				t.Fatal(err)
			}
			byLabels := make(map[string]plainMicro)
			for _, m := range plainMicros(all) {
				byLabels[strings.Join(m.Labels, "\x00")] = m
			}
			for _, m := range g {
				if diff := gocmp.Diff(byLabels[strings.Join(m.Labels, "\x00")], m, sumApprox); diff != "" {
					t.Errorf("cell %q (-one base +shards):\n%s", m.Labels, diff)
				}
			}
			if len(w) == len(all) || !tiedAtCut(all, len(w), tt.bySum) {
				if diff := gocmp.Diff(byRank(w, tt.bySum), byRank(g, tt.bySum), sumApprox, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("cells (-one base +shards):\n%s", diff)
				}
			}
		})
	}
}

// tiedAtCut says whether the k-th and the k+1-th best cells of ms tie.
func tiedAtCut(ms []Micro, k int, bySum bool) bool {
	if k == 0 || k >= len(ms) {
		return false
	}
	r := byRank(plainMicros(ms), bySum)
	if bySum {
		return r[k-1].Sum == r[k].Sum
	}
	return r[k-1].Count == r[k].Count
}

func TestShardsMergeValueCounts(t *testing.T) {
	f := newFleet(t, 4000)
	qs := mergeQueries(f.d)
	for _, field := range []Field{gCountry, gGender, gBought, gActive} {
		for _, qname := range []string{"all", "Q1", "Q2", "none"} {
			t.Run(field.Name()+"/"+qname, func(t *testing.T) {
				var members *roaring.Bitmap
				if qname != "all" {
					members = f.all.Eval(qs[qname])
				}
				want := f.all.ValueCounts(field, members)
				lists := make([][]ValueCount, len(f.bases))
				var known uint64
				for s, b := range f.bases {
					var m *roaring.Bitmap
					if qname != "all" {
						m = b.Eval(qs[qname])
					}
					lists[s] = b.ValueCounts(field, m)
					n, _ := b.KnownCount(field, m)
					known += n
				}
				if diff := gocmp.Diff(want, MergeValueCounts(lists...), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("value counts (-one base +shards):\n%s", diff)
				}
				if n, _ := f.all.KnownCount(field, members); n != known {
					t.Errorf("known counts add up to %d, one base %d", known, n)
				}
			})
		}
	}
}

func TestMergeValueCountsFlags(t *testing.T) {
	got := MergeValueCounts([]ValueCount{{true, 3}}, []ValueCount{{false, 2}, {true, 1}}, nil)
	want := []ValueCount{{false, 2}, {true, 4}}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMergeCubesAligns(t *testing.T) {
	a := &Cube{Axes: []CubeAxis{{"country", []string{"NL", "BE"}}, {"age", []string{"<18", ">=18", MissingLabel}}}, Counts: []uint64{1, 2, 3, 4, 5, 6}}
	b := &Cube{Axes: []CubeAxis{{"country", []string{"DE", "NL"}}, {"age", []string{MissingLabel}}}, Counts: []uint64{10, 20}}
	c := &Cube{Axes: []CubeAxis{{"country", nil}, {"age", []string{"<18", ">=18"}}}, Counts: []uint64{}}
	got, err := MergeCubes(a, b, c)
	if err != nil {
		t.Fatal(err)
	}
	want := plainCube{
		Axes: []CubeAxis{{"country", []string{"NL", "BE", "DE"}}, {"age", []string{"<18", ">=18", MissingLabel}}},
		Counts: []uint64{
			1, 2, 3 + 20,
			4, 5, 6,
			0, 0, 10,
		},
	}
	if diff := gocmp.Diff(want, plainCube{got.Axes, got.Counts}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMergeCubesErrors(t *testing.T) {
	f := newFleet(t, 400)
	one := func(b *Base, p Pred, dims ...Dim) *Cube {
		c, err := b.CountCube(p, dims...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ok := &Cube{Axes: []CubeAxis{{"x", []string{"a"}}}, Counts: []uint64{1}}
	tests := []struct {
		name  string
		cubes []*Cube
		want  string
		err   error
	}{
		{"none", nil, "no cubes", ErrInvalidArgument},
		{"nil first", []*Cube{nil}, "cubes[0] is nil", ErrInvalidArgument},
		{"nil", []*Cube{ok, nil}, "cubes[1] is nil", ErrInvalidArgument},
		{"axes", []*Cube{ok, {Counts: []uint64{1}}}, "cubes[1] has 0 axes, cubes[0] 1", ErrInvalidArgument},
		{"field", []*Cube{ok, {Axes: []CubeAxis{{"y", []string{"a"}}}, Counts: []uint64{1}}}, `axis 0 of cubes[1] is field "y", of cubes[0] "x"`, ErrInvalidArgument},
		{"counts", []*Cube{ok, {Axes: []CubeAxis{{"x", []string{"a", "b"}}}, Counts: []uint64{1}}}, "cubes[1] has 1 counts for 2 cells", ErrInvalidArgument},
		{"label twice", []*Cube{{Axes: []CubeAxis{{"x", []string{"a", "a"}}}, Counts: []uint64{1, 2}}}, `has the label "a" twice`, ErrInvalidArgument},
		{"overflow", []*Cube{{Axes: []CubeAxis{{"x", []string{"a"}}}, Counts: []uint64{math.MaxUint64}}, ok}, "overflows", ErrOutOfRange},
		{"predicates", []*Cube{one(f.bases[0], gActive.True(), By(gCountry)), one(f.bases[1], gActive.False(), By(gCountry))},
			"cubes[1] counts `active = false`, cubes[0] `active = true`", ErrInvalidArgument},
		{"dims", []*Cube{one(f.bases[0], All(), Bands(gAge, 18)), one(f.bases[1], All(), Bands(gAge, 21))},
			"axis 0 (age) of cubes[1] is cut another way", ErrInvalidArgument},
		{"cells", []*Cube{
			{Axes: []CubeAxis{{"x", names("x", 1<<12)}, {"y", []string{"a"}}}, Counts: make([]uint64, 1<<12)},
			{Axes: []CubeAxis{{"x", names("x", 1)}, {"y", names("y", 1<<12)}}, Counts: make([]uint64, 1<<12)},
		}, "more than 16777216", ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MergeCubes(tt.cubes...)
			var ae *ArgError
			if !errors.As(err, &ae) || ae.Func != "MergeCubes" || !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want an *ArgError of MergeCubes wrapping %v with %q", err, tt.err, tt.want)
			}
		})
	}
}

func TestMergeSplitsErrors(t *testing.T) {
	a := Micro{Labels: []string{"NL"}, Count: 1}
	tests := []struct {
		name    string
		results [][]Micro
		want    string
	}{
		{"depth", [][]Micro{{a}, {{Labels: []string{"NL", "x"}, Count: 1}}}, "splits[1][0] has 2 labels, the first cell 1"},
		{"twice", [][]Micro{{a}, {a, a}}, `splits[1] holds the cell ["NL"] twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MergeSplits(tt.results)
			var ae *ArgError
			if !errors.As(err, &ae) || ae.Func != "MergeSplits" || !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want an *ArgError of MergeSplits with %q", err, tt.want)
			}
		})
	}
	got, err := MergeSplits(nil, MinSize(3))
	if err != nil || len(got) != 0 {
		t.Errorf("MergeSplits(nil) = %v, %v; want no cells", got, err)
	}
}

// TestShardsByKeyMerge routes the customers to 8 shards by ShardOf
// instead of by consecutive ranges: values then first appear in another
// order, but every merged count, cell and member equals the one base's.
func TestShardsByKeyMerge(t *testing.T) {
	const n = 3000
	d := genCustomers(n, 21)
	all := buildRange(d, 0, n)
	builders := make([]*Builder, mergeShards)
	for s := range builders {
		builders[s] = NewBuilder()
	}
	var buf []Value
	for i := range n {
		buf = mergeRow(d, i, buf)
		if err := builders[ShardOf(d.keys[i], mergeShards)].Add(d.keys[i], buf...); err != nil {
			t.Fatal(err)
		}
	}
	bases := make([]*Base, mergeShards)
	shards := make([]Shard, mergeShards)
	for s, b := range builders {
		var err error
		if bases[s], err = b.Build(); err != nil {
			t.Fatal(err)
		}
		shards[s], _ = NewShard(uint32(s), 16)
	}
	dims := []Dim{By(gCountry), Bands(gAge, 30, 50).WithMissing(), By(gBought)}
	for name, q := range mergeQueries(d) {
		t.Run(name, func(t *testing.T) {
			want, err := all.CountCube(q, dims...)
			if err != nil {
				t.Fatal(err)
			}
			wantSplit, err := Split(all, q, dims[:2], SumOf(gIncome))
			if err != nil {
				t.Fatal(err)
			}
			var cubes []*Cube
			var splits [][]Micro
			var sets []*roaring.Bitmap
			var lists [][]ValueCount
			for s, b := range bases {
				c, err := b.CountCube(q, dims...)
				if err != nil {
					t.Fatal(err)
				}
				ms, err := Split(b, q, dims[:2], SumOf(gIncome))
				if err != nil {
					t.Fatal(err)
				}
				g, err := shards[s].Global(b.Eval(q))
				if err != nil {
					t.Fatal(err)
				}
				cubes, splits, sets = append(cubes, c), append(splits, ms), append(sets, g)
				lists = append(lists, b.ValueCounts(gCountry, b.Eval(q)))
			}
			got, err := MergeCubes(cubes...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(cellsByLabel(want), cellsByLabel(got)); diff != "" {
				t.Errorf("cube cells (-one base +shards):\n%s", diff)
			}
			gotSplit, err := MergeSplits(splits)
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(byRank(plainMicros(wantSplit), false), byRank(plainMicros(gotSplit), false), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("split cells (-one base +shards):\n%s", diff)
			}
			counts := func(vs []ValueCount) map[any]uint64 {
				out := make(map[any]uint64)
				for _, v := range vs {
					out[v.Value] = v.Count
				}
				return out
			}
			if diff := gocmp.Diff(counts(all.ValueCounts(gCountry, all.Eval(q))), counts(MergeValueCounts(lists...))); diff != "" {
				t.Errorf("value counts (-one base +shards):\n%s", diff)
			}
			merged := roaring.FastOr(sets...)
			var keys []string
			for s, b := range bases {
				keys = b.AppendKeys(keys, shards[s].Local(merged))
			}
			slices.Sort(keys)
			wantKeys := all.AppendKeys(nil, all.Eval(q))
			slices.Sort(wantKeys)
			if diff := gocmp.Diff(wantKeys, keys, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("members' keys (-one base +shards):\n%s", diff)
			}
		})
	}
}

// TestMergeCubesFieldOnSomeShards merges cubes of shards of which one has
// never seen a field: its axis holds the missing coordinate alone.
func TestMergeCubesFieldOnSomeShards(t *testing.T) {
	add := func(b *Builder, key string, vs ...Value) {
		if err := b.Add(key, vs...); err != nil {
			t.Fatal(err)
		}
	}
	all, withAge, without := NewBuilder(), NewBuilder(), NewBuilder()
	for i := range 40 {
		k := fmt.Sprint("k", i)
		vs := []Value{gCountry.Value(countryNames[i%3])}
		if i < 25 {
			vs = append(vs, gAge.Value(int64(20+i*2)), gActive.Value(i%2 == 0))
			add(withAge, k, vs...)
		} else {
			vs[0] = gCountry.Value(countryNames[3+i%2])
			add(without, k, vs...)
		}
		add(all, k, vs...)
	}
	bases := make([]*Base, 3)
	for i, b := range []*Builder{all, withAge, without} {
		var err error
		if bases[i], err = b.Build(); err != nil {
			t.Fatal(err)
		}
	}
	for _, dims := range [][]Dim{
		{By(gCountry), WidthBands(gAge, 10).WithMissing()},
		{Bands(gAge, 30, 40).WithMissing(), By(gActive).WithMissing()},
		{By(gActive), By(gCountry)},
	} {
		want, err := bases[0].CountCube(All(), dims...)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := bases[1].CountCube(All(), dims...)
		b, _ := bases[2].CountCube(All(), dims...)
		for _, order := range [][]*Cube{{a, b}, {b, a}} {
			got, err := MergeCubes(order...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(cellsByLabel(want), cellsByLabel(got)); diff != "" {
				t.Errorf("%v: cells (-one base +shards):\n%s", want.Axes, diff)
			}
			for i, ax := range want.Axes {
				if ax.Labels[len(ax.Labels)-1] == MissingLabel && got.Axes[i].Labels[len(got.Axes[i].Labels)-1] != MissingLabel {
					t.Errorf("axis %d: labels %q, want the missing label last", i, got.Axes[i].Labels)
				}
			}
		}
	}
}

// cellsByLabel maps a cube's label tuples to counts.
func cellsByLabel(c *Cube) map[string]uint64 {
	out := make(map[string]uint64)
	for i, x := range c.Counts {
		var ls []string
		for a, k := range cubeCoords(c, i) {
			ls = append(ls, c.Axes[a].Labels[k])
		}
		out[strings.Join(ls, "|")] = x
	}
	return out
}
