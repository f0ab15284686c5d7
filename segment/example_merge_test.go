package segment_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
)

// twoShards returns the companies of companies() on two shards of 2^16
// IDs: the first three on shard 0, the others on shard 1.
func twoShards() ([]segment.Shard, []*segment.Base) {
	type company struct {
		key, ind string
		emp      int64
		value    float64
		country  string
	}
	all := []company{
		{"acme", "software", 40, 12000, "NL"}, {"bolt", "software", 300, 90000, "NL"}, {"cogs", "software", 120, 30000, "DE"},
		{"dyna", "retail", 2500, 250000, "NL"}, {"echo", "software", 35, 9000, "NL"}, {"flux", "retail", 80, 15000, ""},
	}
	var shards []segment.Shard
	var bases []*segment.Base
	for s, part := range [][]company{all[:3], all[3:]} {
		sh, err := segment.NewShard(uint32(s), 16)
		if err != nil {
			panic(err)
		}
		b := segment.NewBuilder()
		for _, c := range part {
			vs := []segment.Value{industry.Value(c.ind), staff.Value(c.emp), acv.Value(c.value)}
			if c.country != "" {
				vs = append(vs, country.Value(c.country))
			}
			if err := b.Add(c.key, vs...); err != nil {
				panic(err)
			}
		}
		base, err := b.Build()
		if err != nil {
			panic(err)
		}
		shards, bases = append(shards, sh), append(bases, base)
	}
	return shards, bases
}

func ExampleMergeCubes() {
	_, bases := twoShards()
	// Each shard counts its own customers; the cubes merge by label.
	var cubes []*segment.Cube
	for _, b := range bases {
		c, err := b.CountCube(segment.All(), segment.By(industry), segment.By(country).WithMissing())
		if err != nil {
			panic(err)
		}
		cubes = append(cubes, c)
	}
	fmt.Println("shard 0:", cubes[0].Axes[1].Labels, "shard 1:", cubes[1].Axes[1].Labels)
	cube, err := segment.MergeCubes(cubes...)
	if err != nil {
		panic(err)
	}
	for i, ind := range cube.Axes[0].Labels {
		for j, c := range cube.Axes[1].Labels {
			fmt.Printf("%s %s: %d\n", ind, c, cube.At(i, j))
		}
	}
	// Output:
	// shard 0: [NL DE (missing)] shard 1: [NL (missing)]
	// software NL: 3
	// software DE: 1
	// software (missing): 0
	// retail NL: 1
	// retail DE: 0
	// retail (missing): 1
}

func ExampleMergeSplits() {
	_, bases := twoShards()
	dims := []segment.Dim{segment.By(industry), segment.Bands(staff, 100)}
	// The shards split without MinSize or MaxSegments, which apply to the
	// merged cells.
	var splits [][]segment.Micro
	for _, b := range bases {
		ms, err := segment.Split(b, segment.All(), dims, segment.SumOf(acv))
		if err != nil {
			panic(err)
		}
		splits = append(splits, ms)
	}
	// Cells of equal size come in the order they first appear: here
	// ">=100", the larger cell of shard 0, before "<100".
	micros, err := segment.MergeSplits(splits, segment.MinSize(2))
	if err != nil {
		panic(err)
	}
	for _, m := range micros {
		fmt.Printf("%s: %d customers, ACV %.0f\n", strings.Join(m.Labels, " "), m.Count, m.Sum)
	}
	// Output:
	// software >=100: 2 customers, ACV 120000
	// software <100: 2 customers, ACV 21000
}

func ExampleMergeValueCounts() {
	_, bases := twoShards()
	var lists [][]segment.ValueCount
	for _, b := range bases {
		lists = append(lists, b.ValueCounts(country, nil))
	}
	for _, vc := range segment.MergeValueCounts(lists...) {
		fmt.Println(vc.Value, vc.Count)
	}
	// Output:
	// NL 4
	// DE 1
}

func ExampleNewShard() {
	// 1 billion customers on 16 machines: shards of 2^26 IDs (67,108,864),
	// of which the 2^32 global IDs hold 64.
	s, err := segment.NewShard(15, 26)
	if err != nil {
		panic(err)
	}
	fmt.Println(s, s.Size())
	_, err = segment.NewShard(64, 26)
	fmt.Println(err)
	// Output:
	// shard 15 [1006632960, 1073741824) 67108864
	// segment: NewShard: value 64: invalid argument: value out of range: shard index must be below 64, the shards of 2^26 IDs in 2^32
}

func ExampleShard_Global() {
	shards, bases := twoShards()
	// Each shard sends its members as global IDs in the portable roaring
	// format; the union of them is the fleet's segment.
	var wire [][]byte
	for s, b := range bases {
		g, err := shards[s].Global(b.Eval(country.Eq("NL")))
		if err != nil {
			panic(err)
		}
		var buf bytes.Buffer
		if err := segment.WriteSegment(&buf, nil, nil, g); err != nil {
			panic(err)
		}
		wire = append(wire, buf.Bytes())
	}
	all := roaring.New()
	for _, data := range wire {
		ids, _, err := segment.ReadSegment(bytes.NewReader(data), nil)
		if err != nil {
			panic(err)
		}
		all.Or(ids)
	}
	fmt.Println(all.ToArray())
	// Output:
	// [0 1 65536 65537]
}

func ExampleShard_Local() {
	shards, bases := twoShards()
	// A fleet-wide segment goes back to each shard as its own IDs.
	fleet := roaring.BitmapOf(1, 2, 65536, 65538)
	for s, b := range bases {
		local := shards[s].Local(fleet)
		fmt.Println(shards[s].Index(), local.ToArray(), b.AppendKeys(nil, local))
	}
	// Output:
	// 0 [1 2] [bolt cogs]
	// 1 [0 2] [dyna flux]
}

func ExampleShard_GlobalID() {
	s, _ := segment.NewShard(3, 16)
	g, ok := s.GlobalID(7)
	fmt.Println(g, ok, s.Owns(g), s.First(), s.Bits())
	l, ok := s.LocalID(g)
	fmt.Println(l, ok)
	_, ok = s.LocalID(7)
	fmt.Println(ok)
	// The zero Shard is a fleet of one: global IDs are local IDs.
	fmt.Println(segment.Shard{})
	// Output:
	// 196615 true true 196608 16
	// 7 true
	// false
	// shard 0 [0, 4294967296)
}

func ExampleShard_Fits() {
	s, _ := segment.NewShard(0, 16)
	_, bases := twoShards()
	fmt.Println(s.Fits(bases[0]))
	// Output:
	// <nil>
}

func ExampleShardOf() {
	// A fleet that routes customers by key sends each to one shard; with
	// a fifth shard, only the keys that move to it change shards.
	moved := 0
	for i := range 10000 {
		if segment.ShardOf(fmt.Sprint("c-", i), 4) != segment.ShardOf(fmt.Sprint("c-", i), 5) {
			moved++
		}
	}
	fmt.Println(segment.ShardOf("acme", 4), segment.ShardOf("bolt", 4), moved)
	// Output:
	// 3 1 2042
}

func ExampleMergeNumberSketches() {
	_, bases := twoShards()
	// Each shard sketches its members' values with up to 1,000 points;
	// the sketches merge, and the merge answers quantiles.
	var sketches []segment.NumberSketch
	for _, b := range bases {
		sk, ok := b.NumberSketch(staff, nil, 1000)
		if !ok {
			panic("no such field")
		}
		sketches = append(sketches, sk)
	}
	all := segment.MergeNumberSketches(sketches...)
	fmt.Println(all.Count, all.Min, all.Max, all.Mean())
	// Two shards of at most 1,000 values each: every value is a point,
	// and the quantiles are NumberStats' exactly.
	fmt.Println(all.Quantile(0.5), all.RankError())
	// Output:
	// 6 35 2500 512.5
	// 100 0
}

func ExampleBase_NumberSketch() {
	b := segment.NewBuilder()
	for i := range 1001 {
		if err := b.Add(fmt.Sprint("c", i), staff.Value(int64(i))); err != nil {
			panic(err)
		}
	}
	base, _ := b.Build()
	// 11 points: the values of ranks 0, 100, ..., 1000, each standing for
	// the 100 values up to the next.
	sk, _ := base.NumberSketch(staff, nil, 11)
	fmt.Println(len(sk.Points), sk.Points[1], sk.RankError())
	// The estimate of the median is within 99 ranks of the true median.
	fmt.Println(sk.Quantile(0.5), sk.Quantile(0.55))
	// Output:
	// 11 {100 100} 99
	// 500 500
}

func ExampleNumberSketch_Quantile() {
	a := segment.NumberSketch{Count: 3, Min: 1, Max: 5, Sum: 9, Points: []segment.SketchPoint{{1, 1}, {3, 1}, {5, 1}}}
	b := segment.NumberSketch{Count: 2, Min: 2, Max: 4, Sum: 6, Points: []segment.SketchPoint{{2, 1}, {4, 1}}}
	m := segment.MergeNumberSketches(a, b)
	fmt.Println(m.Quantile(0), m.Quantile(0.5), m.Quantile(0.625), m.Quantile(1), m.RankError())
	// Output:
	// 1 3 3.5 5 0
}

func ExampleMergeReports() {
	_, bases := twoShards()
	segs := []segment.Named{{Name: "software", Pred: industry.Eq("software")}, {Name: "NL", Pred: country.Eq("NL")}}
	var tables []*segment.ReportTable
	for _, b := range bases {
		t, err := segment.Report(b, segs, segment.SumOf(acv))
		if err != nil {
			panic(err)
		}
		tables = append(tables, t)
	}
	r, err := segment.MergeReports(tables...)
	if err != nil {
		panic(err)
	}
	for _, row := range r.Rows {
		fmt.Printf("%s: %d of %d customers, %.0f%% of the ACV\n", row.Name, row.Count, r.Base, 100*row.ValueShare)
	}
	// Output:
	// software: 4 of 6 customers, 35% of the ACV
	// NL: 4 of 6 customers, 89% of the ACV
}

func ExampleMergeOverlaps() {
	_, bases := twoShards()
	var ms []*segment.Overlaps
	for _, b := range bases {
		ms = append(ms, segment.Overlap(b, industry.Eq("software"), country.Eq("NL")))
	}
	m, err := segment.MergeOverlaps(ms...)
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Counts, m.Jaccard(0, 1))
	// Output:
	// [[4 3] [3 4]] 0.6
}

func ExampleMergeTransitions() {
	_, bases := twoShards()
	segs := []segment.Named{{Name: "large", Pred: staff.Ge(100)}}
	// Each shard compares its next snapshot with its own: on shard 0 acme
	// grows to 150 employees, on shard 1 dyna leaves.
	var ts []*segment.TransitionMatrix
	for s, b := range bases {
		bt := b.Batch()
		if s == 0 {
			bt.Set("acme", staff.Value(150))
		} else {
			bt.Remove("dyna")
		}
		after, err := bt.Apply()
		if err != nil {
			panic(err)
		}
		t, err := segment.Transitions(b, after, segs...)
		if err != nil {
			panic(err)
		}
		ts = append(ts, t)
	}
	t, err := segment.MergeTransitions(ts...)
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Rows, t.Cols)
	for _, row := range t.Counts {
		fmt.Println(row)
	}
	// Output:
	// [large (none) (added)] [large (none) (removed)]
	// [2 0 1]
	// [1 2 0]
	// [0 0 0]
}
