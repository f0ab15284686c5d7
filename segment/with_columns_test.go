package segment

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWithColumns checks WithColumns against the same values set one
// customer at a time through a Batch (the fields cleared first for every
// live customer): every query selects the same keys.
func TestWithColumns(t *testing.T) {
	score, tierF := NewInt("score"), NewCat[string]("grade")
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 77))
		base, _ := randBase(r, []int{1, 50, 900, 2500}[seed%4], int(seed%3))
		live := base.AppendIDs(nil, All())
		r.Shuffle(len(live), func(i, j int) { live[i], live[j] = live[j], live[i] })
		live = live[:r.IntN(len(live)+1)]
		keys := make([]string, len(live))
		scores := make([]int64, len(live))
		tiers := make([]string, len(live))
		present := make([]bool, len(live))
		for i, id := range live {
			keys[i], _ = base.Key(id)
			scores[i] = r.Int64N(1000) - 500
			tiers[i] = []string{"gold", "silver", "bronze"}[r.IntN(3)]
			present[i] = r.IntN(5) > 0
		}
		// Replace an existing field (age) too, on half the seeds.
		cols := []Column{score.Column(scores, present), tierF.Column(tiers, nil)}
		if seed%2 == 0 {
			cols = append(cols, tAge.Column(scores, nil))
		}
		got, err := base.WithColumns(keys, cols...)
		if err != nil {
			t.Fatal(err)
		}
		// The oracle: clear the fields of every live customer, then set.
		bt := base.Batch()
		for k := range base.Keys(base.Eval(All())) {
			fs := []Field{score, tierF}
			if seed%2 == 0 {
				fs = append(fs, tAge)
			}
			if err := bt.Clear(k, fs...); err != nil {
				t.Fatal(err)
			}
		}
		for i, k := range keys {
			vs := []Value{tierF.Value(tiers[i])}
			if present[i] {
				vs = append(vs, score.Value(scores[i]))
			}
			if seed%2 == 0 {
				vs = append(vs, tAge.Value(scores[i]))
			}
			if err := bt.Set(k, vs...); err != nil {
				t.Fatal(err)
			}
		}
		want, err := bt.Apply()
		if err != nil {
			t.Fatal(err)
		}
		preds := []Pred{All(), score.Known(), score.Between(-100, 200), tierF.Eq("gold"), Not(tierF.In("silver")), tAge.Ge(30), tCountry.Eq("NL")}
		for range 20 {
			preds = append(preds, And(randPred(r, 2), Or(score.Lt(0), tierF.Eq("bronze"))))
		}
		for _, p := range preds {
			if diff := cmp.Diff(sortedKeys(want, p), sortedKeys(got, p)); diff != "" {
				t.Fatalf("seed %d: %s (-batch +WithColumns):\n%s", seed, p, diff)
			}
		}
		if _, err := Movement(base, got, score.Known()); err != nil {
			t.Fatalf("seed %d: Movement(base, WithColumns): %v", seed, err)
		}
	}
}

func TestWithColumnsErrors(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	base, _ := randBase(r, 20, 0)
	k0, _ := base.Key(0)
	k1, _ := base.Key(1)
	for name, tt := range map[string]struct {
		keys []string
		cols []Column
		want error
	}{
		"unknown key":   {[]string{"nope"}, []Column{NewInt("s").Column([]int64{1}, nil)}, ErrUnknownKey},
		"empty key":     {[]string{""}, []Column{NewInt("s").Column([]int64{1}, nil)}, ErrEmptyKey},
		"duplicate key": {[]string{k0, k0}, []Column{NewInt("s").Column([]int64{1, 2}, nil)}, ErrDuplicateKey},
		"length":        {[]string{k0, k1}, []Column{NewInt("s").Column([]int64{1}, nil)}, ErrInvalidArgument},
		"kind conflict": {[]string{k0}, []Column{NewCat[string]("age").Column([]string{"x"}, nil)}, ErrKindConflict},
		"field twice":   {[]string{k0}, []Column{NewInt("s").Column([]int64{1}, nil), NewInt("s").Column([]int64{2}, nil)}, ErrDuplicateField},
		"out of range":  {[]string{k0}, []Column{NewIntRange("s", 0, 9).Column([]int64{10}, nil)}, ErrOutOfRange},
		"zero column":   {[]string{k0}, []Column{{}}, ErrInvalidArgument},
	} {
		if _, err := base.WithColumns(tt.keys, tt.cols...); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", name, err, tt.want)
		}
	}
}
