package persona

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/alloctest"
	"github.com/google/go-cmp/cmp"
)

// TestBandsOptionBounds: Bands sizes Lookalike's work, so an out-of-range
// k is an error, found before any work (issue 13, defect 9: QuantileBands(100_000)
// on 5,000 customers allocated 2 GB in 5 s, QuantileBands(1_000_000) did not
// finish, QuantileBands(math.MaxInt) panicked).
func TestBandsOptionBounds(t *testing.T) {
	base, _, fans := testBase(rand.New(rand.NewPCG(9, 9)), 5000, 0.1, 0)
	seed := roaring.BitmapOf(fans...)
	calls := []struct {
		name string
		run  func(LookalikeOption) error
	}{
		{"Lookalike", func(o LookalikeOption) error { _, err := Lookalike(base, seed, 100, o); return err }},
		{"LookalikeFraction", func(o LookalikeOption) error { _, err := LookalikeFraction(base, seed, 0.1, o); return err }},
		{"Weights", func(o LookalikeOption) error { _, err := Weights(base, seed, o); return err }},
		{"Evaluate", func(o LookalikeOption) error { _, err := Evaluate(base, seed, 100, 0.3, o); return err }},
	}
	for _, k := range []int{-1, math.MinInt, MaxQuantileBands + 1, 100_000, 1_000_000, math.MaxInt} {
		for _, c := range calls {
			var err error
			bytes, d := alloctest.Measure(func() { err = c.run(QuantileBands(k)) })
			if !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("%s(QuantileBands(%d)): err = %v, want ErrInvalidArgument", c.name, k, err)
			}
			// The seed and candidates are a few bitmaps of the base.
			if bytes > 1<<20 || d > 2*time.Second {
				t.Errorf("%s(QuantileBands(%d)): %d bytes in %v before the error, want <= 1 MiB, quick", c.name, k, bytes, d)
			}
		}
	}
}

// TestBandsOptionCost: the largest k Bands accepts costs at most a stated
// multiple of the default's deciles: one more bitmap of the base per band
// of each of the three numeric fields.
func TestBandsOptionCost(t *testing.T) {
	base, _, fans := testBase(rand.New(rand.NewPCG(9, 9)), 5000, 0.1, 0)
	seed := roaring.BitmapOf(fans...)
	cost := func(k int) (uint64, []Weight) {
		var ws []Weight
		var err error
		bytes, _ := alloctest.Measure(func() { ws, err = Weights(base, seed, QuantileBands(k)) })
		if err != nil {
			t.Fatalf("QuantileBands(%d): %v", k, err)
		}
		return bytes, ws
	}
	b0, _ := cost(0)
	b10, _ := cost(10)
	bMax, ws := cost(MaxQuantileBands)
	t.Logf("QuantileBands(0) %d, QuantileBands(10) %d, QuantileBands(%d) %d bytes", b0, b10, MaxQuantileBands, bMax)
	// Each band allocates a bitmap of at most the base (5,000 IDs as an
	// array: 10 KB) twice, for 4 numeric fields.
	perBand := uint64(4 * 2 * 10 << 10)
	if limit := b0 + MaxQuantileBands*perBand; bMax > limit {
		t.Errorf("QuantileBands(%d) allocates %d bytes, want <= %d (QuantileBands(0) %d, QuantileBands(10) %d)", MaxQuantileBands, bMax, limit, b0, b10)
	}
	got := map[string]int{}
	for _, w := range ws {
		got[w.Field]++
	}
	// Quantile bands of 5,000 customers: one per percentile unless
	// quantiles coincide (age and visits take few values).
	for f, n := range got {
		if n > MaxQuantileBands {
			t.Errorf("field %s: %d bands, want <= %d", f, n, MaxQuantileBands)
		}
	}
	if diff := cmp.Diff(MaxQuantileBands, got["income"]); diff != "" {
		t.Errorf("income bands (-want +got):\n%s", diff)
	}
}
