package segment

import (
	"fmt"
	"testing"
)

// TestSize checks that Base.Size adds up, names every field, and grows with
// the base about linearly.
func TestSize(t *testing.T) {
	var per []float64
	for _, n := range []int{20_000, 200_000} {
		base := genCustomers(n, 3).buildColumns()
		s := base.Size()
		var sum uint64
		for i, f := range s.Fields {
			if f.Name != base.Fields()[i].Name || f.Bytes == 0 {
				t.Errorf("field %d: %+v", i, f)
			}
			sum += f.Bytes
		}
		if sum+s.Dictionary+s.Live != s.Total || s.Dictionary < uint64(n)*8 {
			t.Errorf("n=%d: %+v does not add up", n, s)
		}
		per = append(per, float64(s.Total)/float64(n))
		t.Logf("n=%d: %.1f bytes per customer (%s)", n, per[len(per)-1], fmt.Sprint(s.Fields))
	}
	if per[1] > 1.5*per[0] {
		t.Errorf("bytes per customer grew from %.1f to %.1f", per[0], per[1])
	}
}
