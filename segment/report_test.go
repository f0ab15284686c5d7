package segment

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// oracleSum sums f over the live rows p matches.
func (o *oracle) oracleSum(p Pred, f Field) float64 {
	sum := new(big.Int)
	for _, rw := range o.rows {
		if !rw.live || !rw.match(p) {
			continue
		}
		if v, ok := rw.vals[f.Name()]; ok && v.spec.sameAs(f.spec()) {
			sum.Add(sum, big.NewInt(v.n))
		}
	}
	return scaled(sum, scaleOf(f))
}

func TestReportMatchesOracle(t *testing.T) {
	scores := []Field{nil, tScore, tSpend, tActive, NewDecimal("absent", 3)}
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 13))
		base, o := randBase(r, []int{0, 25, 900, 2500}[seed%4], int(seed%3))
		segs := make([]Named, r.IntN(5))
		for i := range segs {
			segs[i] = Named{Name: string(rune('a' + i)), Pred: randPred(r, 3)}
		}
		score := scores[seed%uint64(len(scores))]
		var opts []ReportOption
		if score != nil {
			opts = append(opts, SumOf(score))
		}
		got, err := Report(base, segs, opts...)
		if err != nil {
			t.Fatal(err)
		}
		live := uint64(len(o.eval(All())))
		want := &ReportTable{Base: live, Rows: make([]ReportRow, len(segs))}
		if score != nil {
			want.Total = o.oracleSum(All(), score)
		}
		for i, s := range segs {
			row := ReportRow{Name: s.Name, Count: uint64(len(o.eval(s.Pred)))}
			if live > 0 {
				row.Share = float64(row.Count) / float64(live)
			}
			if score != nil {
				row.Sum = o.oracleSum(s.Pred, score)
				if want.Total != 0 {
					row.ValueShare = row.Sum / want.Total
				}
				if row.Count > 0 {
					row.PerMember = row.Sum / float64(row.Count)
				}
			}
			want.Rows[i] = row
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("seed %d: Report (-oracle +got):\n%s", seed, diff)
		}
	}
	base, _ := randBase(rand.New(rand.NewPCG(1, 1)), 10, 0)
	if _, err := Report(base, nil, SumOf(tSeen)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Report SumOf(time): err = %v, want ErrInvalidArgument", err)
	}
}
