package segment

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCountCubeExtremes: band widths and values at the ends of int64
// (issue 13, defect 5: some calls never returned, one returned an empty
// cube).
func TestCountCubeExtremes(t *testing.T) {
	x := NewInt("x")
	type want struct {
		Bands  []int64
		Counts []uint64
		Err    string
	}
	tests := []struct {
		name  string
		vals  []int64
		width int64
		want  want
	}{
		{"min, width 10", []int64{math.MinInt64, -5, 5}, 10,
			want{Err: `field "x": invalid argument: value out of range: dims[0]: band width 10 over the values [-9223372036854775808, 5] makes more than 65536 bands`}},
		{"min, width 1<<62", []int64{math.MinInt64, -5, 5}, 1 << 62,
			want{Bands: []int64{math.MinInt64, -1 << 62, 0}, Counts: []uint64{1, 1, 1}}},
		{"wide, width 1", []int64{-5e18, 5e18}, 1,
			want{Err: `band width 1 over the values [-5000000000000000000, 5000000000000000000] makes more than 65536 bands`}},
		{"full, width 1<<62", []int64{math.MinInt64, math.MaxInt64}, 1 << 62,
			want{Bands: []int64{math.MinInt64, -1 << 62, 0, 1 << 62}, Counts: []uint64{1, 0, 0, 1}}},
		{"full, width max", []int64{math.MinInt64, 0, math.MaxInt64}, math.MaxInt64,
			want{Bands: []int64{math.MinInt64, -math.MaxInt64, 0, math.MaxInt64}, Counts: []uint64{1, 0, 1, 1}}},
		{"top, width 10", []int64{math.MaxInt64 - 3, math.MaxInt64}, 10,
			want{Bands: []int64{math.MaxInt64 - 7}, Counts: []uint64{2}}},
		{"top, width 2", []int64{math.MaxInt64 - 2, math.MaxInt64}, 2,
			want{Bands: []int64{math.MaxInt64 - 3, math.MaxInt64 - 1}, Counts: []uint64{1, 1}}},
		{"bottom, width 3", []int64{math.MinInt64, math.MinInt64 + 1}, 3,
			want{Bands: []int64{math.MinInt64}, Counts: []uint64{2}}},
		{"min only, width 1", []int64{math.MinInt64}, 1,
			want{Bands: []int64{math.MinInt64}, Counts: []uint64{1}}},
	}
	for _, tt := range tests {
		base := edgeBase(t, x, tt.vals...)
		cube, err := base.CountCube(All(), WidthBands(x, tt.width))
		var got want
		if err != nil {
			got.Err = err.Error()
			if !strings.Contains(got.Err, tt.want.Err) || tt.want.Err == "" || !errors.Is(err, ErrOutOfRange) {
				t.Errorf("%s: err %v, want %q", tt.name, err, tt.want.Err)
			}
			continue
		}
		got.Bands, got.Counts = widthStartsOf(t, base, WidthBands(x, tt.width)), cube.Counts
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestCountCubeCellLimit: the cells of several dimensions are bounded
// before the cube is allocated.
func TestCountCubeCellLimit(t *testing.T) {
	x := NewInt("x")
	base := edgeBase(t, x, 0, 1<<40)
	_, err := base.CountCube(All(), WidthBands(x, 1<<25), WidthBands(x, 1<<25), By(tCountry))
	want := `segment: CountCube: field "x": invalid argument: value out of range: dims[1]: its 32769 coordinates make 1073807361 cells with the dimensions before it, more than 16777216`
	if err == nil || err.Error() != want || !errors.Is(err, ErrOutOfRange) {
		t.Errorf("err = %v, want %s", err, want)
	}
	cube, err := base.CountCube(All(), WidthBands(x, 1<<25), By(tCountry))
	if err != nil || len(cube.Counts) != 32769*2 || cube.At(0, 0) != 1 || cube.At(32768, 1) != 1 {
		t.Errorf("32769 bands by 2 countries: %v", err)
	}
}

// widthStartsOf returns the band starts of the WidthBands dimension d over
// base.
func widthStartsOf(t *testing.T, base *Base, d Dim) []int64 {
	t.Helper()
	ds, err := base.resolveDims("test", []Dim{d})
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, r := range ds[0].ranges() {
		out = append(out, r.lo)
	}
	return out
}
