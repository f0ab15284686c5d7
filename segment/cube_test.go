package segment

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// cubeDimSets are the dimension lists the cube tests count by: every kind
// of dimension, alone and crossed, with Set dimensions twice.
func cubeDimSets() map[string][]Dim {
	return map[string][]Dim{
		"country x age/10 x bought": {By(gCountry), WidthBands(gAge, 10), By(gBought)},
		"gender x income/20000":     {By(gGender), WidthBands(gIncome, 20000)},
		"bought":                    {By(gBought)},
		"bought x country x bought": {By(gBought), By(gCountry), By(gBought)},
		"active x age bands":        {By(gActive), Bands(gAge, 18, 25, 35, 45, 65)},
		"last x missing":            {TimeBands(gLast, gAsOf.AddDate(0, -6, 0), gAsOf.AddDate(0, -1, 0)).WithMissing(), By(gGender).WithMissing()},
		"purchases any":             {Bands(gPurchases, math.MinInt64), WidthBands(gPurchases, 1)},
		"absent field":              {By(NewCat[string]("nope")).WithMissing(), By(gActive)},
		"no dimensions":             nil,
	}
}

// TestCountCubeMatchesCount checks every cell against Count of the cell's
// predicate, and the cells against Split's.
func TestCountCubeMatchesCount(t *testing.T) {
	d := genCustomers(5000, 11)
	base := d.buildColumns()
	step := 1 // check every cell, or every step-th under the race detector
	if raceEnabled || testing.Short() {
		step = 7
	}
	for _, p := range []Pred{All(), gActive.True(), genQueries(d)["Q1"], None()} {
		for name, dims := range cubeDimSets() {
			cube, err := base.CountCube(p, dims...)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			// Every cell against Count.
			coords := make([]int, len(dims))
			for i := range cube.Counts {
				rest := i
				for a := len(coords) - 1; a >= 0; a-- {
					coords[a] = rest % len(cube.Axes[a].Labels)
					rest /= len(cube.Axes[a].Labels)
				}
				if i%step != 0 {
					continue
				}
				m := cube.Cell(coords...)
				if want := base.Count(m.Pred); m.Count != want || cube.At(coords...) != want {
					t.Fatalf("%s, %s: cell %v %v (%s) = %d, want %d", p, name, coords, m.Labels, m.Pred, m.Count, want)
				}
			}
			// The non-empty cells are Split's micro-segments.
			split, err := Split(base, p, dims)
			if err != nil {
				t.Fatalf("%s: Split: %v", name, err)
			}
			var want, got []string
			for _, m := range split {
				want = append(want, fmt.Sprint(m.Labels, m.Count))
			}
			for i, n := range cube.Counts {
				if n == 0 {
					continue
				}
				rest := i
				for a := len(coords) - 1; a >= 0; a-- {
					coords[a] = rest % len(cube.Axes[a].Labels)
					rest /= len(cube.Axes[a].Labels)
				}
				got = append(got, fmt.Sprint(cube.Cell(coords...).Labels, n))
			}
			slices.Sort(want)
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s, %s: cube cells against Split (-split +cube):\n%s", p, name, diff)
			}
		}
	}
	// Width bands start at multiples of the width and read as closed ranges.
	cube, err := base.CountCube(All(), WidthBands(gAge, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got := cube.Axes[0].Labels; len(got) != 9 || got[0] != "10-19" || got[8] != "90-99" {
		t.Errorf("age/10 labels %q, want 10-19 ... 90-99", got)
	}
}

func TestCountCubeErrors(t *testing.T) {
	base := genCustomers(100, 1).buildColumns()
	for name, tt := range map[string]struct {
		dims []Dim
		also error
	}{
		"zero Dim":  {[]Dim{{}}, nil},
		"bad width": {[]Dim{WidthBands(gAge, 0)}, ErrOutOfRange},
		"bad edges": {[]Dim{Bands(gAge, 30, 20)}, nil},
		"by int":    {[]Dim{By(gAge)}, nil},
		"too many":  {[]Dim{WidthBands(gIncome, 1)}, ErrOutOfRange},
		"cells":     {[]Dim{WidthBands(gAge, 1), WidthBands(gAge, 1), WidthBands(gAge, 1), WidthBands(gAge, 1)}, ErrOutOfRange},
	} {
		_, err := base.CountCube(All(), tt.dims...)
		var ae *ArgError
		if !errors.As(err, &ae) || !errors.Is(err, ErrInvalidArgument) || (tt.also != nil && !errors.Is(err, tt.also)) {
			t.Errorf("%s: err = %v, want an *ArgError wrapping ErrInvalidArgument and %v", name, err, tt.also)
		}
		if ae != nil && ae.Func != "CountCube" {
			t.Errorf("%s: Func = %q, want CountCube", name, ae.Func)
		}
	}
	// A field the base does not have, or has with another kind, has no
	// coordinates.
	for _, d := range []Dim{By(NewCat[string]("nope")), By(NewCat[int]("country"))} {
		cube, err := base.CountCube(All(), d)
		if err != nil || len(cube.Counts) != 0 || len(cube.Axes[0].Labels) != 0 {
			t.Errorf("dimension on an absent field: %+v, %v; want no cells", cube, err)
		}
	}
}

// TestChunkedMatchesReference checks the chunked evaluator against the
// reference one (whole-bitmap roaring operations) on the generator's
// queries, and CountCube against the reference count of every cell.
func TestChunkedMatchesReference(t *testing.T) {
	d := genCustomers(3000, 5)
	base := d.buildColumns()
	for name, p := range genQueries(d) {
		want := base.evalRoaring(p)
		if got := base.Count(p); got != want.GetCardinality() {
			t.Fatalf("%s: Count %d, reference %d", name, got, want.GetCardinality())
		}
		if got := base.Eval(p); !got.Equals(want) {
			t.Fatalf("%s: Eval differs from the reference", name)
		}
		if diff := cmp.Diff(want.ToArray(), base.AppendIDs(nil, p), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s: AppendIDs (-reference +chunked):\n%s", name, diff)
		}
	}
	dims := []Dim{By(gGender), WidthBands(gAge, 20), By(gBought), By(gBought), By(gActive).WithMissing(), Bands(gIncome, 0, 50000)}
	cube, err := base.CountCube(gActive.True(), dims...)
	if err != nil {
		t.Fatal(err)
	}
	coords := make([]int, len(dims))
	for i, n := range cube.Counts {
		rest := i
		for a := len(coords) - 1; a >= 0; a-- {
			coords[a] = rest % len(cube.Axes[a].Labels)
			rest /= len(cube.Axes[a].Labels)
		}
		if want := base.countRoaring(cube.Cell(coords...).Pred); n != want {
			t.Fatalf("cube cell %v: %d, reference %d", coords, n, want)
		}
	}
}

// TestSnapshotHasViews checks that a base read back from a snapshot gives
// the same answers.
func TestSnapshotHasViews(t *testing.T) {
	d := genCustomers(2000, 8)
	base := d.buildColumns()
	var buf bytes.Buffer
	if _, err := base.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadBase(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range genQueries(d) {
		if got, want := back.Eval(p), base.Eval(p); !got.Equals(want) {
			t.Fatalf("%s: after the round trip %d ids, before %d", name, got.GetCardinality(), want.GetCardinality())
		}
	}
}
