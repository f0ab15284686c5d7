package segment_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/fabeed28/microseg/segment"
)

var (
	country = segment.NewCat[string]("country")
	age     = segment.NewInt("age")
	bought  = segment.NewSet[string]("bought")
	active  = segment.NewFlag("active")
	seen    = segment.NewTime("last_seen")
)

func exampleBase() *segment.Base {
	b := segment.NewBuilder()
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	b.Add("ann", country.Value("NL"), age.Value(31), bought.Values("skincare", "makeup"), active.Value(true), seen.Value(day))
	b.Add("bob", country.Value("BE"), age.Value(45), bought.Values("shoes"), active.Value(true))
	b.Add("cas", country.Value("NL"), bought.Values("skincare"), active.Value(false), seen.Value(day.AddDate(0, -3, 0)))
	b.Add("dee", country.Value("DE"), age.Value(27), bought.Values("skincare"), active.Value(true))
	b.Add("eva", country.Value("NL"), age.Value(29), active.Value(true), seen.Value(day.AddDate(0, 0, -3)))
	base, err := b.Build()
	if err != nil {
		panic(err)
	}
	return base
}

func Example() {
	base := exampleBase()
	young := segment.And(country.In("NL", "BE"), age.Between(25, 35), bought.Has("skincare"))
	fmt.Println(young)
	fmt.Println(base.Count(young), "customer(s):")
	for key := range base.Keys(base.Eval(young)) {
		fmt.Println(key)
	}
	// Output:
	// country in ("NL", "BE") and age between 25 and 35 and bought has "skincare"
	// 1 customer(s):
	// ann
}

// Not is the live customers minus the match: a customer of unknown age is
// outside age.Between and inside its Not.
func ExampleNot() {
	base := exampleBase()
	notYoung := segment.Not(age.Between(25, 35))
	fmt.Println(base.AppendKeys(nil, base.Eval(notYoung)))
	known := segment.And(age.Known(), notYoung)
	fmt.Println(base.AppendKeys(nil, base.Eval(known)))
	// Output:
	// [bob cas]
	// [bob]
}

func ExampleTime_Within() {
	base := exampleBase()
	asOf := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	recent := seen.Within(asOf, 30*24*time.Hour)
	fmt.Println(base.AppendKeys(nil, base.Eval(recent)))
	// Output: [ann eva]
}

func ExampleBase_Batch() {
	base := exampleBase()
	t := base.Batch()
	t.Add("fay", country.Value("NL"), age.Value(33), bought.Values("skincare"))
	t.Set("eva", bought.Values("skincare"))
	t.Remove("ann")
	next, err := t.Apply()
	if err != nil {
		panic(err)
	}
	p := segment.And(country.Eq("NL"), bought.Has("skincare"), age.Known())
	fmt.Println("before:", base.AppendKeys(nil, base.Eval(p)))
	fmt.Println("after: ", next.AppendKeys(nil, next.Eval(p)))
	// Output:
	// before: [ann]
	// after:  [eva fay]
}

func ExampleBuilder_Add() {
	b := segment.NewBuilder()
	ages := segment.NewIntRange("age", 0, 150)
	fmt.Println(b.Add("c-1", ages.Value(31)))
	err := b.Add("c-2", ages.Value(300))
	fmt.Println(err)
	fmt.Println(errors.Is(err, segment.ErrOutOfRange))
	fmt.Println(b.Add("c-1", ages.Value(32)))
	fmt.Println(b.Len())
	// Output:
	// <nil>
	// segment: add "c-2": field "age": value 300: value out of range: want [0, 150]
	// true
	// segment: add "c-1": duplicate key: each customer key may be added once
	// 1
}
