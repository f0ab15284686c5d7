package segment_test

import (
	"fmt"
	"strings"

	"github.com/fabeed28/microseg/segment"
)

func ExampleFromColumns() {
	country := segment.NewCat[string]("country")
	age := segment.NewIntRange("age", 0, 150)
	bought := segment.NewSet[string]("bought")

	base, err := segment.FromColumns(
		[]string{"c-1", "c-2", "c-3"},
		country.Column([]string{"NL", "BE", "NL"}, nil),
		age.Column([]int64{31, 0, 45}, []bool{true, false, true}), // c-2 has no age
		bought.Column([][]string{{"skincare"}, nil, {"shoes", "skincare"}}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(base.Count(segment.And(country.Eq("NL"), age.Ge(40))))
	fmt.Println(base.Count(age.Missing()))
	// Output:
	// 1
	// 1
}

func ExampleBase_AppendIDs() {
	active := segment.NewFlag("active")
	base, _ := segment.FromColumns([]string{"a", "b", "c", "d"},
		active.Column([]bool{true, false, true, true}, nil))

	ids := make([]uint32, 0, 1024) // reused from query to query
	ids = base.AppendIDs(ids[:0], active.True())
	fmt.Println(ids)
	// Output: [0 2 3]
}

func ExampleParallel() {
	active := segment.NewFlag("active")
	keys := make([]string, 200000)
	vals := make([]bool, len(keys))
	for i := range keys {
		keys[i] = fmt.Sprint("c-", i)
		vals[i] = i%3 == 0
	}
	base, _ := segment.FromColumns(keys, active.Column(vals, nil))

	// Two goroutines, each over a run of 65,536-ID chunks; the answer is the
	// same as without the option.
	fmt.Println(base.Count(active.True(), segment.Parallel(2)))
	fmt.Println(base.Eval(active.True(), segment.Parallel(2)).GetCardinality())
	// Output:
	// 66667
	// 66667
}

func ExampleBase_CountCube() {
	country := segment.NewCat[string]("country")
	age := segment.NewIntRange("age", 0, 150)
	bought := segment.NewSet[string]("bought")
	base, _ := segment.FromColumns([]string{"a", "b", "c", "d"},
		country.Column([]string{"NL", "NL", "BE", "NL"}, nil),
		age.Column([]int64{25, 31, 38, 52}, nil),
		bought.Column([][]string{{"shoes"}, {"shoes", "bags"}, {"bags"}, nil}),
	)

	cube, err := base.CountCube(age.Lt(50), segment.By(country), segment.WidthBands(age, 10), segment.By(bought))
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range cube.Axes[0].Labels {
		for j := range cube.Axes[1].Labels {
			for k := range cube.Axes[2].Labels {
				if m := cube.Cell(i, j, k); m.Count > 0 {
					fmt.Printf("%s: %d (%s)\n", strings.Join(m.Labels, ", "), m.Count, m.Pred)
				}
			}
		}
	}
	// Output:
	// NL, 20-29, shoes: 1 (age < 50 and country = "NL" and age between 20 and 29 and bought has "shoes")
	// NL, 30-39, shoes: 1 (age < 50 and country = "NL" and age between 30 and 39 and bought has "shoes")
	// NL, 30-39, bags: 1 (age < 50 and country = "NL" and age between 30 and 39 and bought has "bags")
	// BE, 30-39, bags: 1 (age < 50 and country = "BE" and age between 30 and 39 and bought has "bags")
}
