package segment

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/fabeed28/microseg/internal/alloctest"
)

// Resource bounds of the size-taking options and arguments of Split,
// CountCube and Eval: a small base with a huge option value allocates at
// most a stated amount and returns quickly.

func TestOptionResourceBounds(t *testing.T) {
	x := NewInt("x")
	vals := make([]int64, 200)
	for i := range vals {
		vals[i] = int64(i) * (math.MaxInt64 / 100) * int64(1-2*(i%2)) // both ends of the range
	}
	base := edgeBase(t, x, vals...)
	manyEdges := make([]int64, 1000)
	for i := range manyEdges {
		manyEdges[i] = int64(i-500) << 50
	}
	const kib = 1 << 10
	tests := []struct {
		name  string
		run   func() error
		limit uint64 // bytes
		err   error  // the error wanted, nil for none
	}{
		// Thresholds: any value costs what the default costs (a Split of
		// this base takes about 64 KiB).
		{"Split MinSize(max)", func() error {
			_, err := Split(base, All(), []Dim{By(tCountry), Bands(x, 0)}, MinSize(math.MaxUint64))
			return err
		}, 128 * kib, nil},
		{"Split MaxSegments(max)", func() error {
			_, err := Split(base, All(), []Dim{By(tCountry), Bands(x, 0)}, MaxSegments(math.MaxInt))
			return err
		}, 128 * kib, nil},
		{"Split MaxSegments(max) SumOf", func() error {
			_, err := Split(base, All(), []Dim{By(tCountry), Bands(x, 0)}, MaxSegments(math.MaxInt), SumOf(x), RankByValue())
			return err
		}, 128 * kib, nil},
		// Edges are input, not an option: each costs one bit-sliced
		// range over the dimension's members, about 11 KiB here (64
		// planes); at most 16 KiB each.
		{"Split 1,000 edges", func() error {
			_, err := Split(base, All(), []Dim{By(tCountry), Bands(x, manyEdges...)})
			return err
		}, 1000 * 16 * kib, nil},
		{"Split 1,000 edges squared", func() error {
			_, err := Split(base, All(), []Dim{Bands(x, manyEdges...), Bands(x, manyEdges...).WithMissing()}, SumOf(x))
			return err
		}, 2 * 1000 * 16 * kib, nil},
		// Band widths and cells: too many fail before any band is made,
		// after a constant (finding the field's range) of about 32 KiB.
		{"CountCube width 1", func() error { _, err := base.CountCube(All(), WidthBands(x, 1)); return err }, 64 * kib, ErrOutOfRange},
		{"CountCube width 1<<40", func() error { _, err := base.CountCube(All(), WidthBands(x, 1<<40)); return err }, 64 * kib, ErrOutOfRange},
		{"CountCube cells", func() error {
			_, err := base.CountCube(All(), WidthBands(x, 1<<50), WidthBands(x, 1<<50), By(tCountry))
			return err
		}, 64 * kib, ErrOutOfRange},
		{"CountCube width min", func() error { _, err := base.CountCube(All(), WidthBands(x, math.MinInt64)); return err }, 64 * kib, ErrOutOfRange},
		// The most bands allowed: at most 1 KiB per band, cells included.
		{"CountCube 16,384 bands", func() error { _, err := base.CountCube(All(), WidthBands(x, 1<<50)); return err }, 16_384 * kib, nil},
		{"CountCube 16,384 bands by 3", func() error {
			_, err := base.CountCube(All(), WidthBands(x, 1<<50), By(tCountry))
			return err
		}, 16_384 * kib, nil},
		// Parallel is capped at the number of chunks: one here.
		{"Eval Parallel(max)", func() error { base.Eval(x.Ge(0), Parallel(math.MaxInt)); return nil }, 64 * kib, nil},
		{"Count Parallel(max)", func() error { base.Count(x.Ge(0), Parallel(math.MaxInt)); return nil }, 64 * kib, nil},
	}
	for _, tt := range tests {
		var err error
		bytes, d := alloctest.Measure(func() { err = tt.run() })
		if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
		}
		if bytes > tt.limit || d > 5*time.Second {
			t.Errorf("%s: %d bytes in %v, want at most %d bytes, quickly", tt.name, bytes, d, tt.limit)
		}
		t.Logf("%-32s %10d bytes %v", tt.name, bytes, d)
	}
}
