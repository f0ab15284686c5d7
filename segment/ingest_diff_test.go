package segment

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestFromColumnsMatchesAddRandom builds random bases both ways, FromColumns
// and one Builder.Add per customer, over every column path (uint8 Cat and
// Set through their tables, other types through maps, integers with narrow
// and wide domains, presence slices or none), and requires identical
// columns: the same values in the same order, equal bitmaps per value, equal
// known sets and equal decoded integers.
func TestFromColumnsMatchesAddRandom(t *testing.T) {
	sizes := []int{1, 2, 63, 64, 65, 1000, 65536, 65537, 140_000}
	if raceEnabled || testing.Short() {
		sizes = []int{1, 2, 63, 64, 65, 1000, 5000}
	}
	var (
		country = NewCat[uint8]("country")
		tier    = NewCat[uint8]("tier") // always present
		tags    = NewSet[uint8]("tags")
		city    = NewCat[string]("city")
		codes   = NewSet[int]("codes")
		small   = NewIntRange("small", -3, 4)
		wide    = NewInt("wide")
		flag    = NewFlag("flag")
		price   = NewDecimal("price", 2)
		seen    = NewTime("seen")
		blocky  = NewInt("blocky")  // present in long runs
		opt     = NewFlag("opt")    // with presence
		allOn   = NewFlag("all_on") // one value only
	)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range sizes {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(n), 99))
			keys := make([]string, n)
			ctry, tr := make([]uint8, n), make([]uint8, n)
			hasCtry := make([]bool, n)
			tg := make([][]uint8, n)
			ct := make([]string, n)
			hasCt := make([]bool, n)
			cd := make([][]int, n)
			sm, wd, pr := make([]int64, n), make([]int64, n), make([]int64, n)
			hasSm, hasWd := make([]bool, n), make([]bool, n)
			fl := make([]bool, n)
			sn := make([]time.Time, n)
			hasSn := make([]bool, n)
			bl, hasBl := make([]int64, n), make([]bool, n)
			op, hasOp, on := make([]bool, n), make([]bool, n), make([]bool, n)
			// Runs of equal values and of missing ones, as real columns have.
			run := func() bool { return r.IntN(8) != 0 }
			b := NewBuilder()
			for i := range n {
				keys[i] = fmt.Sprintf("k%x-%d", r.Uint64()>>r.IntN(64), i)
				if i > 0 && run() {
					ctry[i], hasCtry[i] = ctry[i-1], hasCtry[i-1]
				} else {
					ctry[i], hasCtry[i] = uint8(r.IntN(256)), r.IntN(5) != 0
				}
				tr[i] = uint8(200 + r.IntN(3))
				for range r.IntN(5) {
					tg[i] = append(tg[i], uint8(r.IntN(40))) // repeats allowed
				}
				ct[i], hasCt[i] = fmt.Sprint("c", r.IntN(600)), r.IntN(3) != 0
				for range r.IntN(3) {
					cd[i] = append(cd[i], r.IntN(20)-10)
				}
				sm[i], hasSm[i] = int64(r.IntN(8)-3), r.IntN(2) == 0
				wd[i], hasWd[i] = r.Int64()>>r.IntN(64)-int64(r.IntN(2))<<62, r.IntN(10) != 0
				fl[i] = r.IntN(3) == 0
				pr[i] = int64(r.IntN(100000)) - 500
				sn[i], hasSn[i] = t0.Add(time.Duration(r.IntN(1e6))*time.Second), r.IntN(4) != 0

				bl[i], hasBl[i] = int64(i%7), i%3000 < 1000
				op[i], hasOp[i], on[i] = r.IntN(2) == 0, r.IntN(3) == 0, true
				vals := []Value{tier.Value(tr[i]), flag.Value(fl[i]), price.Units(pr[i]), allOn.Value(true)}
				if hasBl[i] {
					vals = append(vals, blocky.Value(bl[i]))
				}
				if hasOp[i] {
					vals = append(vals, opt.Value(op[i]))
				}
				if hasCtry[i] {
					vals = append(vals, country.Value(ctry[i]))
				}
				if len(tg[i]) > 0 {
					vals = append(vals, tags.Values(tg[i]...))
				}
				if hasCt[i] {
					vals = append(vals, city.Value(ct[i]))
				}
				if len(cd[i]) > 0 {
					vals = append(vals, codes.Values(cd[i]...))
				}
				if hasSm[i] {
					vals = append(vals, small.Value(sm[i]))
				}
				if hasWd[i] {
					vals = append(vals, wide.Value(wd[i]))
				}
				if hasSn[i] {
					vals = append(vals, seen.Value(sn[i]))
				}
				if err := b.Add(keys[i], vals...); err != nil {
					t.Fatal(err)
				}
			}
			want, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			got, err := FromColumns(keys,
				tier.Column(tr, nil), flag.Column(fl, nil), price.UnitsColumn(pr, nil),
				country.Column(ctry, hasCtry), tags.Column(tg), city.Column(ct, hasCt),
				codes.Column(cd), small.Column(sm, hasSm), wide.Column(wd, hasWd), seen.Column(sn, hasSn),
				blocky.Column(bl, hasBl), opt.Column(op, hasOp), allOn.Column(on, nil))
			if err != nil {
				t.Fatal(err)
			}
			sameColumns(t, want, got)
		})
	}
}

// sameColumns requires every field of want to be stored identically in got
// (the order of fields aside), and the same keys and IDs.
func sameColumns(t *testing.T, want, got *Base) {
	t.Helper()
	if want.IDCount() != got.IDCount() || !want.live.Equals(got.live) {
		t.Fatalf("IDCount %d vs %d, live differs: %v", want.IDCount(), got.IDCount(), !want.live.Equals(got.live))
	}
	for id := range want.IDCount() {
		k, _ := want.Key(id)
		if gk, _ := got.Key(id); gk != k {
			t.Fatalf("Key(%d) = %q, want %q", id, gk, k)
		}
		wid, wok := want.ID(k)
		if gid, ok := got.ID(k); ok != wok || gid != wid {
			t.Fatalf("ID(%q) = %d, %v; want %d, %v", k, gid, ok, wid, wok)
		}
	}
	for name, i := range got.byName {
		// Add declares a field when a customer has a value for it.
		if _, ok := want.byName[name]; !ok && !got.cols[i].known.IsEmpty() {
			t.Fatalf("%s: %d customers have a value, want none", name, got.cols[i].known.GetCardinality())
		}
	}
	for name, i := range want.byName {
		j, ok := got.byName[name]
		if !ok {
			t.Fatalf("%s: field missing", name)
		}
		wc, gc := want.cols[i], got.cols[j]
		if wc.spec != gc.spec {
			t.Fatalf("%s: spec %+v, want %+v", name, gc.spec, wc.spec)
		}
		if !wc.known.Equals(gc.known) {
			t.Fatalf("%s: known has %d, want %d", name, gc.known.GetCardinality(), wc.known.GetCardinality())
		}
		if wc.bitmapKind() {
			if diff := gocmp.Diff(wc.values, gc.values); diff != "" {
				t.Fatalf("%s: values (-Add +FromColumns):\n%s", name, diff)
			}
			if diff := gocmp.Diff(wc.codes, gc.codes); diff != "" {
				t.Fatalf("%s: codes (-Add +FromColumns):\n%s", name, diff)
			}
			for k := range wc.bms {
				if !wc.bms[k].Equals(gc.bms[k]) {
					t.Fatalf("%s = %v: %d customers, want %d", name, wc.values[k], gc.bms[k].GetCardinality(), wc.bms[k].GetCardinality())
				}
			}
			continue
		}
		if g, w := gc.known.GetSerializedSizeInBytes(), wc.known.GetSerializedSizeInBytes(); g > w {
			t.Fatalf("%s: known takes %d bytes, %d from Add", name, g, w)
		}
		decode := func(c *column) []int64 {
			var vs []int64
			c.bsi.Decode(c.known, func(_ uint32, v int64) { vs = append(vs, v) })
			return vs
		}
		if wv, gv := decode(wc), decode(gc); !slices.Equal(wv, gv) {
			t.Fatalf("%s: decoded values differ (-Add +FromColumns):\n%s", name, gocmp.Diff(wv, gv))
		}
		for j, p := range gc.bsi.Planes {
			if p.AndCardinality(gc.known) != p.GetCardinality() {
				t.Fatalf("%s: plane %d has customers without a value", name, j)
			}
		}
	}
}

// TestFromColumnsThenBatchAndSnapshot: a FromColumns base and an Add base of
// the same customers stay identical through the same Batch (new customers,
// changed values, removals), and a FromColumns base reads back from its
// snapshot unchanged; the base the batch started from is unchanged.
func TestFromColumnsThenBatchAndSnapshot(t *testing.T) {
	n := 20_000
	if raceEnabled || testing.Short() {
		n = 3_000
	}
	d := genCustomers(n, 5)
	want, got := d.buildAdd(), d.buildColumns()
	sameColumns(t, want, got)

	var buf bytes.Buffer
	if _, err := got.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	read, err := ReadBase(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sameColumns(t, got, read)

	apply := func(b *Base) *Base {
		t.Helper()
		r := rand.New(rand.NewPCG(7, 8)) // the same changes for both bases
		bt := b.Batch()
		for i := range 500 {
			if err := bt.Add(fmt.Sprintf("new-%d", i), gAge.Value(int64(r.IntN(100))), gBought.Values("x", "y")); err != nil {
				t.Fatal(err)
			}
		}
		for range 500 {
			k := d.keys[r.IntN(n)]
			if err := bt.Set(k, gIncome.Value(int64(r.IntN(1_000_000))-10), gCountry.Value("ZZ")); err != nil {
				t.Fatal(err)
			}
		}
		for range 200 {
			if err := bt.Remove(d.keys[r.IntN(n)]); err != nil && !errors.Is(err, ErrUnknownKey) {
				t.Fatal(err)
			}
		}
		nb, err := bt.Apply()
		if err != nil {
			t.Fatal(err)
		}
		return nb
	}
	before := got.Count(All())
	wantNext, gotNext := apply(want), apply(got)
	sameColumns(t, wantNext, gotNext)
	if got.Count(All()) != before {
		t.Fatalf("the batch changed its base: %d live, was %d", got.Count(All()), before)
	}
	for i := range 500 {
		if _, ok := got.ID(fmt.Sprintf("new-%d", i)); ok {
			t.Fatalf("new-%d is in the base the batch started from", i)
		}
	}
}
