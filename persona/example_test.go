package persona_test

import (
	"fmt"

	"github.com/fabeed28/microseg/persona"
	"github.com/fabeed28/microseg/segment"
)

var (
	city   = segment.NewCat[string]("city")
	gender = segment.NewCat[string]("gender")
	age    = segment.NewInt("age")
	likes  = segment.NewSet[string]("likes")
)

// exampleBase builds 1,000 customers: every fifth a woman of 25-34 in
// Amsterdam who likes skincare, the rest spread out.
func exampleBase() *segment.Base {
	b := segment.NewBuilder()
	cities := []string{"Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"}
	for i := range 1000 {
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
	return base
}

func ExampleDescribe() {
	base := exampleBase()
	ids := base.Eval(likes.Has("skincare"))
	prof, err := persona.Describe(base, ids)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d members, %.0f%% of the base\n", prof.Size, 100*prof.Share)
	for _, t := range prof.Traits {
		if t.Field == "city" {
			fmt.Printf("%s %s: %.0f%% of members, %.1f× the base, z=%.1f\n", t.Field, t.Value, 100*t.Share, t.Lift, t.Z)
		}
	}
	for _, f := range prof.Fields {
		if f.Numbers != nil {
			fmt.Printf("%s: median %g (base %g), p10-p90 %.1f-%.1f\n", f.Name, f.Numbers.P50, f.Reference.P50, f.Numbers.P10, f.Numbers.P90)
		}
	}
	// Output:
	// 200 members, 20% of the base
	// city Amsterdam: 100% of members, 2.5× the base, z=17.3
	// city Rotterdam: 0% of members, 0.0× the base, z=-7.1
	// city Utrecht: 0% of members, 0.0× the base, z=-7.1
	// city Eindhoven: 0% of members, 0.0× the base, z=-7.1
	// age: median 29.5 (base 40), p10-p90 25.9-33.1
}

func ExampleNew() {
	base := exampleBase()
	prof, _ := persona.Describe(base, base.Eval(likes.Has("skincare")))
	p := persona.New(prof)
	fmt.Println(p.Summary)
	for _, t := range p.Typical {
		fmt.Printf("typical %s: %s\n", t.Field, t.Value)
	}
	// Output:
	// 200 customers (20.0% of the base): likes skincare (5.0× the base), age 25-34 (3.0×) and city Amsterdam (2.5×)
	// typical city: Amsterdam
	// typical gender: f
	// typical age: 29.5
	// typical likes: skincare, books
}

func ExampleLookalike() {
	base := exampleBase()
	// The seed: half of the skincare fans. Who resembles them most?
	seed := base.Eval(segment.And(likes.Has("skincare"), age.Lt(30)))
	fans, err := persona.Lookalike(base, seed, 50)
	if err != nil {
		panic(err)
	}
	fmt.Println(fans.GetCardinality(), "customers;", base.Eval(likes.Has("skincare")).AndCardinality(fans), "of them skincare fans")
	// Output:
	// 50 customers; 50 of them skincare fans
}

func ExampleCompare() {
	base := exampleBase()
	var ps []*persona.Persona
	for _, p := range []segment.Pred{likes.Has("skincare"), likes.Has("games")} {
		prof, _ := persona.Describe(base, base.Eval(p))
		ps = append(ps, persona.New(prof))
	}
	c := persona.Compare(ps...)
	lift := func(t persona.Trait) string {
		if t.Raw == nil { // not in this profile: another persona's age range
			return "    -"
		}
		return fmt.Sprintf("%5.2f", t.Lift)
	}
	for j, k := range c.Traits {
		fmt.Printf("%-16s %s %s\n", k.Field+" "+k.Value, lift(c.Columns[0][j]), lift(c.Columns[1][j]))
	}
	// Output:
	// likes skincare    5.00  0.00
	// likes games       0.00  3.75
	// age 25-34         2.98     -
	// city Amsterdam    2.50  0.63
	// likes books       2.14  0.00
	// gender f          1.67  0.83
	// age 36-75            -  1.41
	// gender m          0.00  1.25
}

func ExampleEvaluate() {
	base := exampleBase()
	seed := base.Eval(likes.Has("skincare"))
	ev, err := persona.Evaluate(base, seed, 100, 0.3, persona.Only(city, gender, age))
	if err != nil {
		panic(err)
	}
	fmt.Printf("held out %d of %d; top %d recall %.0f%%, %.1f× random\n", ev.Holdout, ev.Seed, ev.N, 100*ev.Recall, ev.Lift)
	// Output:
	// held out 60 of 200; top 100 recall 95%, 8.2× random
}

// A segment defined by a number has that number's range as its trait.
func ExampleNew_numericTrait() {
	base := exampleBase()
	prof, _ := persona.Describe(base, base.Eval(age.Ge(60)))
	p := persona.New(prof)
	fmt.Println(p.Summary)
	t := p.Distinguishing[0]
	fmt.Printf("%s: %.0f%% of members, %.0f%% of the base\n", t, 100*t.Share, 100*t.ReferenceShare)
	// Output:
	// 240 customers (24.0% of the base): age 60-77 (4.2× the base); median age 69 against 40 for the base
	// age 60-77: 100% of members, 24% of the base
}

// With a reference other than the base, the persona names it.
func ExampleReferenceName() {
	base := exampleBase()
	fans := base.Eval(likes.Has("skincare"))
	others := base.Live()
	others.AndNot(fans)
	prof, _ := persona.Describe(base, fans, persona.Reference(others), persona.ReferenceName("other customers"), persona.Omit(likes))
	fmt.Println(persona.New(prof).Summary)
	// Output:
	// 200 customers (20.0% of the base): age 25-34 (5.9× other customers), city Amsterdam (4.0×) and gender f (2.0×); median age 29.5 against 47 for other customers
}

// Phrase and PhraseValue word the summary as a marketer would.
func ExamplePhrase() {
	base := exampleBase()
	prof, _ := persona.Describe(base, base.Eval(likes.Has("skincare")), persona.Omit(likes))
	p := persona.New(prof,
		persona.PhraseValue(gender, "f", "women"),
		persona.Phrase(age, "aged %s"),
		persona.Phrase(city, "in %s"))
	fmt.Println(p.Summary)
	// Output:
	// 200 customers (20.0% of the base): aged 25-34 (3.0× the base), in Amsterdam (2.5×) and women (1.7×)
}

// Weights shows why look-alikes were picked: quantile bands of a number
// are ranges of whole values.
func ExampleWeights() {
	base := exampleBase()
	seed := base.Eval(segment.And(likes.Has("skincare"), age.Lt(30)))
	ws, err := persona.Weights(base, seed, persona.Only(age), persona.QuantileBands(5))
	if err != nil {
		panic(err)
	}
	for _, w := range ws {
		fmt.Printf("%s %-6s seed %3d rest %3d  weight %+.2f\n", w.Field, w.Value, w.Seed, w.Rest, w.LLR)
	}
	// Output:
	// age 19-27  seed  60 rest 136  weight +2.12
	// age 28-33  seed  40 rest 148  weight +1.22
	// age 34-46  seed   0 rest 207  weight -4.10
	// age 47-61  seed   0 rest 201  weight -4.06
	// age 62-77  seed   0 rest 208  weight -4.10
}
