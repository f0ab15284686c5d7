package segment

import (
	"bytes"
	"errors"
	"testing"
)

// TestCountCubeMatchesCount checks every cell against Count of the cell's
// predicate.
func TestCountCubeMatchesCount(t *testing.T) {
	d := genCustomers(5000, 11)
	base := d.buildColumns()
	step := 1 // check every cell, or every step-th under the race detector
	if raceEnabled || testing.Short() {
		step = 7
	}
	for _, p := range []Pred{All(), gActive.True(), genQueries(d)["Q1"], None()} {
		cube, err := base.CountCube(p, ByValue(gCountry), ByBand(gAge, 10), ByValue(gBought))
		if err != nil {
			t.Fatal(err)
		}
		if len(cube.Axes) != 3 || len(cube.Axes[1].Bands) != 9 || cube.Axes[1].Bands[0] != 10 {
			t.Fatalf("axes %+v", cube.Axes[1])
		}
		var total uint64
		for i, c := range cube.Axes[0].Values {
			for j, lo := range cube.Axes[1].Bands {
				for k, s := range cube.Axes[2].Values {
					if (i+j+k)%step != 0 {
						continue
					}
					want := base.Count(And(p, gCountry.Eq(c.(string)), gAge.Between(lo, lo+9), gBought.Has(s.(string))))
					if got := cube.At(i, j, k); got != want {
						t.Fatalf("%s: cell (%v, %d, %v) = %d, want %d", p, c, lo, s, got, want)
					}
					total += want
				}
			}
		}
		if total == 0 && p.String() == "all" {
			t.Fatal("empty cube")
		}
		// Without the Set dimension, and with only it.
		cube2, err := base.CountCube(p, ByValue(gGender), ByBand(gIncome, 20000))
		if err != nil {
			t.Fatal(err)
		}
		for i, g := range cube2.Axes[0].Values {
			for j, lo := range cube2.Axes[1].Bands {
				want := base.Count(And(p, gGender.Eq(g.(string)), gIncome.Between(lo, lo+19999)))
				if got := cube2.At(i, j); got != want {
					t.Fatalf("%s: gender x income cell (%v, %d) = %d, want %d", p, g, lo, got, want)
				}
			}
		}
		cube3, err := base.CountCube(p, ByValue(gBought))
		if err != nil {
			t.Fatal(err)
		}
		for k, s := range cube3.Axes[0].Values {
			if got, want := cube3.At(k), base.Count(And(p, gBought.Has(s.(string)))); got != want {
				t.Fatalf("%s: bought %v = %d, want %d", p, s, got, want)
			}
		}
		// Two Set dimensions (the same field twice): a customer counts once
		// per pair of its values.
		cube4, err := base.CountCube(p, ByValue(gBought), ByValue(gCountry), ByValue(gBought))
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range cube4.Axes[0].Values {
			for j, c := range cube4.Axes[1].Values {
				for k, b := range cube4.Axes[2].Values {
					if (i+j+k)%(3*step) != 0 {
						continue
					}
					want := base.Count(And(p, gBought.HasAll(a.(string), b.(string)), gCountry.Eq(c.(string))))
					if got := cube4.At(i, j, k); got != want {
						t.Fatalf("%s: cell (%v, %v, %v) = %d, want %d", p, a, c, b, got, want)
					}
				}
			}
		}
		cube0, err := base.CountCube(p)
		if err != nil || cube0.At() != base.Count(p) {
			t.Fatalf("%s: no dimensions: %v, %v, want %d", p, cube0, err, base.Count(p))
		}
	}
}

func TestCountCubeErrors(t *testing.T) {
	base := genCustomers(100, 1).buildColumns()
	for name, dims := range map[string][]CubeDim{
		"unknown":   {ByValue(NewCat[string]("nope"))},
		"kind":      {ByValue(NewCat[int]("country"))},
		"bad width": {ByBand(gAge, 0)},
	} {
		_, err := base.CountCube(All(), dims...)
		var ie *InputError
		if !errors.As(err, &ie) || !(errors.Is(err, ErrInvalidValue) || errors.Is(err, ErrOutOfRange)) {
			t.Errorf("%s: err = %v, want an *InputError", name, err)
		}
	}
}

// TestWithoutViews checks that a base whose columns lack the derived views
// (as a reader of the canonical fields might make it) answers through the
// reference path.
func TestWithoutViews(t *testing.T) {
	d := genCustomers(3000, 5)
	full := d.buildColumns()
	bare := &Base{dict: full.dict, live: full.live, byName: full.byName}
	for _, c := range full.cols {
		cc := &column{spec: c.spec, known: c.known, values: c.values, codes: c.codes, bms: c.bms, bsi: c.bsi}
		bare.cols = append(bare.cols, cc)
	}
	for name, p := range genQueries(d) {
		if got, want := bare.Count(p), full.Count(p); got != want {
			t.Fatalf("%s: Count without views %d, with %d", name, got, want)
		}
		if got, want := bare.Eval(p), full.Eval(p); !got.Equals(want) {
			t.Fatalf("%s: Eval without views differs", name)
		}
		if got, want := len(bare.AppendIDs(nil, p)), len(full.AppendIDs(nil, p)); got != want {
			t.Fatalf("%s: AppendIDs without views %d ids, with %d", name, got, want)
		}
	}
	dims := []CubeDim{ByValue(gGender), ByBand(gAge, 20), ByValue(gBought), ByValue(gBought)}
	a, err1 := bare.CountCube(gActive.True(), dims...)
	b, err2 := full.CountCube(gActive.True(), dims...)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for i := range a.Counts {
		if a.Counts[i] != b.Counts[i] {
			t.Fatalf("cube cell %d: without views %d, with %d", i, a.Counts[i], b.Counts[i])
		}
	}
}

// TestSnapshotHasViews checks that a base read back from a snapshot gets the
// chunked views and the same answers.
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
	if !back.viewsReady() {
		t.Fatal("a base read from a snapshot has no chunked views")
	}
	for name, p := range genQueries(d) {
		if got, want := back.Eval(p), base.Eval(p); !got.Equals(want) {
			t.Fatalf("%s: after the round trip %d ids, before %d", name, got.GetCardinality(), want.GetCardinality())
		}
	}
}
