package persona_test

import (
	"fmt"

	"github.com/fabeed28/microseg/persona"
	"github.com/fabeed28/microseg/segment"
)

// exampleShards builds the customers of exampleBase on two shards: the
// first 500 on one, the others on the other.
func exampleShards() []*segment.Base {
	cities := []string{"Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"}
	var out []*segment.Base
	for s := range 2 {
		b := segment.NewBuilder()
		for i := s * 500; i < (s+1)*500; i++ {
			var vs []segment.Value
			if i%5 == 0 {
				vs = []segment.Value{city.Value("Amsterdam"), gender.Value("f"), age.Value(int64(25 + i/5%10)), likes.Values("skincare", "books")}
			} else {
				vs = []segment.Value{city.Value(cities[i%4]), gender.Value([]string{"f", "m"}[i%2]), age.Value(int64(18 + i%60)), likes.Values([]string{"games", "books", "wine"}[i%3])}
			}
			if err := b.Add(fmt.Sprintf("c%04d", i), vs...); err != nil {
				panic(err)
			}
		}
		base, err := b.Build()
		if err != nil {
			panic(err)
		}
		out = append(out, base)
	}
	return out
}

func ExampleMergeParts() {
	// Each shard describes its own skincare fans; the parts merge into
	// the profile of all of them.
	var parts []*persona.Parts
	for _, b := range exampleShards() {
		p, err := persona.DescribeParts(b, b.Eval(likes.Has("skincare")))
		if err != nil {
			panic(err)
		}
		parts = append(parts, p)
	}
	merged, err := persona.MergeParts(parts...)
	if err != nil {
		panic(err)
	}
	prof := merged.Profile()

	base := exampleBase()
	one, _ := persona.Describe(base, base.Eval(likes.Has("skincare")))
	fmt.Println(prof.Size, one.Size)
	for i, t := range prof.Traits {
		if t.Field == "city" && t.Count > 0 {
			fmt.Printf("%s: lift %.2f (one base: %.2f)\n", t.Value, t.Lift, one.Traits[i].Lift)
		}
	}
	for _, f := range prof.Fields {
		if f.Name == "age" {
			fmt.Printf("age: median %.1f, p90 %.1f (one base: %.1f, %.1f)\n", f.Numbers.P50, f.Numbers.P90, one.Fields[2].Numbers.P50, one.Fields[2].Numbers.P90)
		}
	}
	// Output:
	// 200 200
	// Amsterdam: lift 2.50 (one base: 2.50)
	// age: median 29.5, p90 33.1 (one base: 29.5, 33.1)
}

func ExampleDescribeParts() {
	b := exampleShards()[0]
	p, err := persona.DescribeParts(b, b.Eval(city.Eq("Utrecht")), persona.Only(gender, age))
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Size, p.BaseSize, p.ReferenceName)
	for _, f := range p.Fields {
		switch f.Kind {
		case segment.KindInt:
			fmt.Println(f.Name, f.Numbers.Count, f.Numbers.Min, f.Numbers.Max, len(f.Numbers.Points), f.Numbers.RankError())
		default:
			fmt.Println(f.Name, f.Values)
		}
	}
	// Output:
	// 100 500 the base
	// gender [{f 100 300} {m 0 200}]
	// age 100 20 76 100 0
}

func ExampleParts_Profile() {
	p := &persona.Parts{Size: 40, BaseSize: 200, ReferenceSize: 200, ReferenceName: "the base",
		Fields: []persona.FieldParts{{Name: "plan", Kind: segment.KindCat, Coverage: 40,
			Values: []persona.PartValue{{Raw: "pro", Count: 30, ReferenceCount: 50}, {Raw: "free", Count: 10, ReferenceCount: 150}}}}}
	for _, t := range p.Profile().Traits {
		fmt.Printf("%s: %.0f%% of members, lift %.1f\n", t.Value, 100*t.Share, t.Lift)
	}
	// Output:
	// pro: 75% of members, lift 3.0
	// free: 25% of members, lift 0.3
}
