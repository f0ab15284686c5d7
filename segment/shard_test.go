package segment

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestNewShard(t *testing.T) {
	tests := []struct {
		index   uint32
		bits    int
		want    string
		wantErr string
	}{
		{0, 16, "shard 0 [0, 65536)", ""},
		{65535, 16, "shard 65535 [4294901760, 4294967296)", ""},
		{1, 31, "shard 1 [2147483648, 4294967296)", ""},
		{0, 32, "shard 0 [0, 4294967296)", ""},
		{65536, 16, "", "shard index must be below 65536"},
		{1, 32, "", "shard index must be below 1"},
		{0, 15, "", "bits must lie in [16, 32]"},
		{0, 33, "", "bits must lie in [16, 32]"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.index, "/", tt.bits), func(t *testing.T) {
			s, err := NewShard(tt.index, tt.bits)
			if tt.wantErr != "" {
				var ae *ArgError
				if !errors.As(err, &ae) || !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want an *ArgError wrapping ErrOutOfRange with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || s.String() != tt.want {
				t.Errorf("NewShard = %v, %v; want %s", s, err, tt.want)
			}
		})
	}
	if s, _ := NewShard(0, 32); s != (Shard{}) {
		t.Errorf("NewShard(0, 32) = %#v, want the zero Shard", s)
	}
}

func TestShardTranslate(t *testing.T) {
	last, _ := NewShard(65535, 16)
	mid, _ := NewShard(5, 20)
	tests := []struct {
		name   string
		s      Shard
		local  []uint32
		global []uint32
	}{
		{"zero", Shard{}, []uint32{0, 7, 1 << 31, 1<<32 - 1}, []uint32{0, 7, 1 << 31, 1<<32 - 1}},
		{"last", last, []uint32{0, 1, 65535}, []uint32{1<<32 - 65536, 1<<32 - 65535, 1<<32 - 1}},
		{"mid", mid, []uint32{0, 70000, 1<<20 - 1}, []uint32{5 << 20, 5<<20 + 70000, 6<<20 - 1}},
		{"empty", mid, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := tt.s.Global(roaring.BitmapOf(tt.local...))
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(tt.global, g.ToArray(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Global (-want +got):\n%s", diff)
			}
			// Other shards' IDs around the range are ignored by Local.
			fleet := g.Clone()
			if f := uint64(tt.s.First()); f > 0 {
				fleet.Add(uint32(f - 1))
			}
			if end := uint64(tt.s.First()) + tt.s.Size(); end < 1<<32 {
				fleet.Add(uint32(end))
			}
			if diff := gocmp.Diff(tt.local, tt.s.Local(fleet).ToArray(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Local (-want +got):\n%s", diff)
			}
			for i, l := range tt.local {
				if g, ok := tt.s.GlobalID(l); !ok || g != tt.global[i] {
					t.Errorf("GlobalID(%d) = %d, %v; want %d", l, g, ok, tt.global[i])
				}
				if l2, ok := tt.s.LocalID(tt.global[i]); !ok || l2 != l {
					t.Errorf("LocalID(%d) = %d, %v; want %d", tt.global[i], l2, ok, l)
				}
			}
		})
	}
	if _, ok := mid.GlobalID(1 << 20); ok {
		t.Error("GlobalID(2^20) of a shard of 2^20 IDs: ok")
	}
	if _, ok := mid.LocalID(6 << 20); ok {
		t.Error("LocalID of the next shard's first ID: ok")
	}
	_, err := mid.Global(roaring.BitmapOf(3, 1<<20))
	var ae *ArgError
	if !errors.As(err, &ae) || !errors.Is(err, ErrOutOfRange) || ae.Func != "Shard.Global" {
		t.Errorf("Global of a local ID past the range: error %v, want an *ArgError wrapping ErrOutOfRange", err)
	}
	if g, err := mid.Global(nil); err != nil || !g.IsEmpty() {
		t.Errorf("Global(nil) = %v, %v", g, err)
	}
	if !mid.Local(nil).IsEmpty() {
		t.Error("Local(nil) is not empty")
	}
}

func TestShardFits(t *testing.T) {
	d := genCustomers(70000, 1)
	b := d.buildColumns()
	small, _ := NewShard(2, 16)
	big, _ := NewShard(2, 17)
	if err := small.Fits(b); !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), "70000 IDs") {
		t.Errorf("Fits of 70000 IDs on a shard of 65536: %v", err)
	}
	if err := big.Fits(b); err != nil {
		t.Errorf("Fits of 70000 IDs on a shard of 131072: %v", err)
	}
}

func TestShardOf(t *testing.T) {
	// Golden values: ShardOf is part of the contract.
	golden := []struct {
		key  string
		n    int
		want int
	}{
		{"acme", 4, 3}, {"bolt", 4, 1}, {"acme", 1, 0}, {"acme", 0, 0}, {"acme", -3, 0},
	}
	for _, g := range golden {
		if got := ShardOf(g.key, g.n); got != g.want {
			t.Errorf("ShardOf(%q, %d) = %d, want %d", g.key, g.n, got, g.want)
		}
	}
	// Even, and consistent: growing from n to n+1 moves keys only to the
	// new shard.
	const keys = 40000
	for _, n := range []int{2, 8, 16, 100} {
		counts := make([]int, n)
		moved := 0
		for i := range keys {
			k := fmt.Sprint("k", i)
			s := ShardOf(k, n)
			counts[s]++
			if s2 := ShardOf(k, n+1); s2 != s {
				moved++
				if s2 != n {
					t.Fatalf("ShardOf(%q): %d with %d shards, %d with %d", k, s, n, s2, n+1)
				}
			}
		}
		for s, c := range counts {
			if want := keys / n; c < want*8/10 || c > want*12/10 {
				t.Errorf("n = %d: shard %d holds %d keys, want about %d", n, s, c, want)
			}
		}
		if want := keys / (n + 1); moved < want*8/10 || moved > want*12/10 {
			t.Errorf("n = %d: %d keys moved to a new shard, want about %d", n, moved, want)
		}
	}
}
