package engine

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/bsi"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestFilterOrPaths checks the value-mode filter by an Or of leaves, and by
// one array leaf, on both of its paths (a search per candidate and kid, or
// one probe into the kids' union made dense), for few and many candidates
// against small and large arrays, a bitmap kid and All, against a set
// oracle.
func TestFilterOrPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	live := roaring.New()
	live.AddRange(0, 1<<16)
	_, fzLive := Freeze(live)
	leaf := func(n int) (*Node, map[uint16]bool) {
		bm, set := roaring.New(), map[uint16]bool{}
		for range n {
			x := uint16(r.IntN(1 << 16))
			bm.Add(uint32(x))
			set[x] = true
		}
		shared, fz := Freeze(bm)
		return &Node{Op: Leaf, Bitmap: shared, F: fz}, set
	}
	s := NewScratch()
	for _, m := range []int{1, 5, 50, 500, 4000} {
		for _, sizes := range [][]int{{3}, {3000}, {10, 20}, {1000, 2000, 1500}, {200, 20000}} {
			for _, withAll := range []bool{false, true} {
				for _, neg := range []bool{false, true} {
					or := &Node{Op: Or}
					in := map[uint16]bool{}
					for _, n := range sizes {
						k, set := leaf(n)
						or.Kids = append(or.Kids, k)
						for x := range set {
							in[x] = true
						}
					}
					if withAll {
						or.Kids = append(or.Kids, &Node{Op: All})
					}
					p := NewPlan(or, fzLive)
					v := make([]uint16, 0, m)
					for range m {
						v = append(v, uint16(r.IntN(1<<16)))
					}
					slices.Sort(v)
					v = slices.Compact(v)
					var want []uint16
					for _, x := range v {
						if (withAll || in[x]) != neg {
							want = append(want, x)
						}
					}
					got := p.filterOr(s, or, 0, slices.Clone(v), neg)
					if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
						t.Fatalf("m=%d sizes=%v all=%v neg=%v: filterOr (-want +got):\n%s", m, sizes, withAll, neg, diff)
					}
					if len(sizes) == 1 && !withAll {
						st := &step{n: or.Kids[0], neg: neg, class: classProbe}
						got := p.filter(s, st, 0, slices.Clone(v))
						if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
							t.Fatalf("m=%d size=%d neg=%v: filter by a leaf (-want +got):\n%s", m, sizes[0], neg, diff)
						}
					}
				}
			}
		}
	}
}

// TestFlatten checks flatten, which writes the set bits of words as values
// (emit, extract and appendIDs), against a bit-by-bit walk, for densities
// on both sides of its two-bits-per-word switch, whole and partial word
// lists, and 16- and 32-bit values.
func TestFlatten(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for trial := range 40 {
		b := new(Block)
		perWord := []int{0, 1, 2, 3, 6, 40}[trial%6]
		for i := range b {
			for range r.IntN(2*perWord + 1) {
				b[i] |= 1 << r.IntN(64)
			}
		}
		sel := allWords[:]
		if trial%3 == 0 {
			sel = nil
			for i := range chunkWords {
				if r.IntN(4) == 0 {
					sel = append(sel, uint16(i))
				}
			}
		}
		var want16 []uint16
		var want32 []uint32
		base := uint32(r.IntN(100)) << 16
		for _, i := range sel {
			for j := range 64 {
				if b[i]>>j&1 != 0 {
					want16 = append(want16, i<<6|uint16(j))
					want32 = append(want32, base|uint32(i)<<6|uint32(j))
				}
			}
		}
		n := int(popSel(b, sel))
		got16 := make([]uint16, n+4)
		flatten(got16, b, sel, 0, n)
		if diff := cmp.Diff(want16, got16[:n], cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("trial %d (%d bits/word, %d words): uint16 (-want +got):\n%s", trial, perWord, len(sel), diff)
		}
		got16 = make([]uint16, n+flatSlack)
		flatten16(got16, b, sel, n)
		if diff := cmp.Diff(want16, got16[:n], cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("trial %d (%d bits/word, %d words): flatten16 (AVX-512 %v) (-want +got):\n%s", trial, perWord, len(sel), useAVX512, diff)
		}
		got32 := appendIDs([]uint32{7}, b, sel, base)
		if diff := cmp.Diff(append([]uint32{7}, want32...), got32); diff != "" {
			t.Fatalf("trial %d (%d bits/word, %d words): appendIDs (-want +got):\n%s", trial, perWord, len(sel), diff)
		}
		// Exactly enough room: the IDs are written in place, one by one.
		exact := append(make([]uint32, 0, 1+n), 7)
		got32 = appendIDs(exact, b, sel, base)
		if diff := cmp.Diff(append([]uint32{7}, want32...), got32); diff != "" {
			t.Fatalf("trial %d (%d bits/word, %d words): appendIDs, exact room (-want +got):\n%s", trial, perWord, len(sel), diff)
		}
		if n > 0 && &got32[0] != &exact[:1][0] {
			t.Fatalf("trial %d: appendIDs reallocated a buffer with exactly enough room", trial)
		}
	}
}

// TestFilterBits checks the value-mode bit probe against a bit-by-bit
// oracle: lengths around its step of four, unsorted values with repeats,
// both signs, blocks of every density.
func TestFilterBits(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for trial := range 60 {
		w := randBlock(r, trial)
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 64, 1001, 6144} {
			v := make([]uint16, n)
			for i := range v {
				v[i] = uint16(r.IntN(1 << 16))
			}
			for _, neg := range []bool{false, true} {
				var want []uint16
				for _, a := range v {
					if (w[a>>6]>>(a&63)&1 != 0) != neg {
						want = append(want, a)
					}
				}
				got := filterBits(w, slices.Clone(v), neg)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("trial %d, %d values, neg %v: (-want +got)\n%s", trial, n, neg, diff)
				}
				if diff := cmp.Diff(want, filterBitsGo(w, slices.Clone(v), neg), cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("Go loop: trial %d, %d values, neg %v: (-want +got)\n%s", trial, n, neg, diff)
				}
			}
		}
	}
}

// TestFilterArray checks the value-mode array test on both of its paths (a
// gallop from the previous candidate, or a branch-free search of the whole
// array when the candidates are few) against a set oracle, for arrays of 0
// to 4,000 values and candidates in increasing runs with repeats.
func TestFilterArray(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for _, size := range []int{0, 1, 2, 3, 17, 100, 1950, 4000} {
		for _, m := range []int{0, 1, 2, 3, 5, 22, 300, 5000} {
			vals := make([]uint16, size)
			in := map[uint16]bool{}
			for i := range vals {
				vals[i] = uint16(r.IntN(1 << 16))
			}
			slices.Sort(vals)
			vals = slices.Compact(vals)
			for _, x := range vals {
				in[x] = true
			}
			v := make([]uint16, m)
			for i := range v {
				if len(vals) > 0 && r.IntN(2) == 0 {
					v[i] = vals[r.IntN(len(vals))] // a member
				} else {
					v[i] = uint16(r.IntN(1 << 16))
				}
			}
			slices.Sort(v[:m/2]) // two increasing runs, like an Or's seed
			slices.Sort(v[m/2:])
			for _, neg := range []bool{false, true} {
				var want []uint16
				for _, a := range v {
					if in[a] != neg {
						want = append(want, a)
					}
				}
				got := filterArray(vals, slices.Clone(v), neg)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("%d values, %d candidates, neg %v: (-want +got)\n%s", len(vals), m, neg, diff)
				}
			}
		}
	}
}

// TestFilterCodesRandom checks the value-mode code test (the assembly kernel
// where it runs, and the Go loop) against a byte-by-byte oracle: pages with
// customers without a value, ranges up to the top code 255, empty ranges,
// both signs, lengths around the kernel's step of four.
func TestFilterCodesRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	pg := new([1 << ChunkBits]uint8)
	for i := range pg {
		pg[i] = uint8(r.IntN(255)) // 0..254: codes
		if r.IntN(10) == 0 {
			pg[i] = NoCode
		}
	}
	bounds := [][2]uint64{{0, 0}, {0, 254}, {0, 255}, {3, 40}, {100, 255}, {254, 255}, {255, 255}, {17, 17}} // ulo <= uhi, as prepareRange makes sure
	for _, n := range []int{0, 1, 3, 4, 5, 8, 231, 2425} {
		v := make([]uint16, n)
		for i := range v {
			v[i] = uint16(r.IntN(1 << 16))
		}
		for _, b := range bounds {
			for _, neg := range []bool{false, true} {
				var want []uint16
				for _, a := range v {
					c := uint64(pg[a])
					if (c != NoCode && c >= b[0] && c <= b[1]) != neg {
						want = append(want, a)
					}
				}
				for name, fn := range map[string]func(*[1 << ChunkBits]uint8, uint64, uint64, []uint16, bool) []uint16{
					"default": filterCodes, "go": filterCodesGo,
				} {
					got := fn(pg, b[0], b[1], slices.Clone(v), neg)
					if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
						t.Fatalf("%s: %d values in [%d, %d], neg %v: (-want +got)\n%s", name, n, b[0], b[1], neg, diff)
					}
				}
			}
		}
	}
}

// TestAndCodesRandom checks the word-mode code test (the AVX-512 kernel
// where it runs, and the Go loop) against a bit-by-bit oracle: words with
// few and many candidates, zero words in the list, customers without a
// value, ranges up to the top code 255 and empty ones, both signs. The
// returned list may keep zero words of cur.
func TestAndCodesRandom(t *testing.T) {
	defer func(saved bool) { setAVX512(saved) }(useAVX512)
	r := rand.New(rand.NewPCG(43, 44))
	pg := new([1 << ChunkBits]uint8)
	for i := range pg {
		pg[i] = uint8(r.IntN(255))
		if r.IntN(10) == 0 {
			pg[i] = NoCode
		}
	}
	bounds := [][2]uint64{{0, 0}, {0, 254}, {0, 255}, {3, 40}, {100, 255}, {254, 255}, {255, 255}, {17, 17}}
	for _, words := range []int{0, 1, 7, 300, chunkWords} {
		for _, density := range []int{1, 8, 64} {
			out := new(Block)
			cur := make([]uint16, 0, chunkWords)
			for _, i := range r.Perm(chunkWords)[:words] {
				cur = append(cur, uint16(i))
			}
			slices.Sort(cur)
			for _, i := range cur {
				for range density {
					out[i] |= 1 << r.IntN(64)
				}
				if r.IntN(8) == 0 {
					out[i] = 0
				}
			}
			for _, b := range bounds {
				for _, neg := range []bool{false, true} {
					want := *out
					var wantCur []uint16
					for _, i := range cur {
						var m uint64
						for j := range 64 {
							c := uint64(pg[int(i)<<6|j])
							in := c != NoCode && c >= b[0] && c <= b[1]
							if out[i]>>j&1 != 0 && in != neg {
								m |= 1 << j
							}
						}
						want[i] = m
						if m != 0 {
							wantCur = append(wantCur, i)
						}
					}
					for _, wide := range []bool{false, true} {
						if wide && !canAVX512() {
							continue
						}
						setAVX512(wide)
						got := *out
						gotCur := andCodes(pg, b[0], b[1], &got, slices.Clone(cur), neg)
						// The list may keep zero words, in order, from cur.
						kept := slices.DeleteFunc(slices.Clone(gotCur), func(i uint16) bool { return got[i] == 0 })
						ok := slices.IsSorted(gotCur) && len(gotCur) <= len(cur)
						if got != want || !slices.Equal(kept, wantCur) || !ok {
							t.Fatalf("AVX-512 %v: %d words, density %d, [%d, %d], neg %v: result differs", wide, words, density, b[0], b[1], neg)
						}
					}
				}
			}
		}
	}
}

// TestPasses checks the whole-chunk AND and OR passes (the AVX-512 kernels
// where they run, and the Go loops) against word-by-word oracles, with the
// list of non-zero words the AND returns.
func TestPasses(t *testing.T) {
	defer func(saved bool) { setAVX512(saved) }(useAVX512)
	r := rand.New(rand.NewPCG(45, 46))
	all := make([]uint16, chunkWords)
	for i := range all {
		all[i] = uint16(i)
	}
	for _, density := range []float64{0, 0.001, 0.05, 0.5, 0.95, 1} {
		var out, src Block
		for i := range out {
			if r.Float64() < density {
				out[i] = r.Uint64()
			}
			if r.Float64() < density {
				src[i] = r.Uint64() | 1<<r.IntN(64)
			}
		}
		for _, neg := range []bool{false, true} {
			want := out
			for i := range want {
				if neg {
					want[i] &^= src[i]
				} else {
					want[i] &= src[i]
				}
			}
			wantOr := out
			for i := range wantOr {
				wantOr[i] |= src[i]
			}
			for _, wide := range []bool{false, true} {
				if wide && !canAVX512() {
					continue
				}
				setAVX512(wide)
				got := out
				sel := andCompact(&got, &src, slices.Clone(all), neg)
				if got != want {
					t.Fatalf("AVX-512 %v, density %v, neg %v: andCompact differs", wide, density, neg)
				}
				for i := range got {
					if got[i] != 0 && !slices.Contains(sel, uint16(i)) {
						t.Fatalf("AVX-512 %v, density %v, neg %v: word %d not listed", wide, density, neg, i)
					}
				}
				if !slices.IsSorted(sel) {
					t.Fatalf("AVX-512 %v: list not sorted", wide)
				}
				gotOr := out
				orPass(&gotOr, &src)
				if gotOr != wantOr {
					t.Fatalf("AVX-512 %v, density %v: orPass differs", wide, density)
				}
			}
		}
	}
}

// TestArrayWords checks the lazily made dense words of array containers
// and the kernels that set an array's bits against a bit-by-bit oracle.
func TestArrayWords(t *testing.T) {
	r := rand.New(rand.NewPCG(47, 48))
	s := NewScratch()
	for _, n := range []int{0, 1, 64, lazyDense, lazyDense + 1, 3000, maxArray} {
		set := map[uint16]bool{}
		for len(set) < n {
			set[uint16(r.IntN(1<<16))] = true
		}
		var vals []uint16
		for v := range set {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		var want Block
		for _, v := range vals {
			want[v>>6] |= 1 << (v & 63)
		}
		c := &cont{kind: kArray, card: uint32(n), vals: vals}
		var got Block
		setArray(&got, vals)
		if got != want {
			t.Fatalf("%d values: setArray differs", n)
		}
		var base Block
		for i := range base {
			base[i] = r.Uint64() & r.Uint64()
		}
		got = base
		s.orCont(&got, c)
		for i := range got {
			if got[i] != base[i]|want[i] {
				t.Fatalf("%d values: orCont differs at word %d", n, i)
			}
		}
		w := c.arrayWords()
		if (w != nil) != (n > lazyDense) || w != nil && *w != want {
			t.Fatalf("%d values: arrayWords wrong", n)
		}
		if w != nil && c.arrayWords() != w {
			t.Fatalf("%d values: arrayWords not kept", n)
		}
	}
}

// TestFilterPlanesTop checks value mode's range test over planes (top
// down, probing the undecided candidates only) against the values: small
// and wide domains, skewed values whose top planes are arrays, planes made
// dense or not, unsorted candidates with repeats and without a value, both
// signs, bounds at and beyond the domain's ends.
func TestFilterPlanesTop(t *testing.T) {
	r := rand.New(rand.NewPCG(49, 50))
	s := NewScratch()
	const n = 1 << ChunkBits
	for _, spread := range []int64{2, 8, 73, 1000, 1 << 33, -1} {
		vals := map[uint32]int64{}
		var ids []uint32
		var vs []int64
		for i := range uint32(n) {
			if r.IntN(10) == 0 {
				continue
			}
			v := r.Int64N(max(spread, 1))
			if spread < 0 {
				v = int64(math.Exp(r.Float64() * 13))
			}
			vals[i] = v
			ids, vs = append(ids, i), append(vs, v)
		}
		b := bsi.Build(ids, vs)
		_, fk := Freeze(roaring.BitmapOf(ids...))
		var planes []*Frozen
		for _, p := range b.Planes {
			_, f := Freeze(p)
			if r.IntN(2) == 0 {
				Densify(f)
			}
			planes = append(planes, f)
		}
		for range 40 {
			lo, hi := r.Int64N(max(spread, 20000))-5, r.Int64N(max(spread, 20000))
			if r.IntN(4) == 0 {
				lo = math.MinInt64
			}
			if r.IntN(4) == 0 {
				hi = math.MaxInt64
			}
			node := &Node{Op: Range, BSI: b, Lo: lo, Hi: hi, F: fk, Planes: planes}
			prepareRange(node)
			if stepClass(node) != classPlanes {
				continue
			}
			v := make([]uint16, r.IntN(3000))
			for i := range v {
				v[i] = uint16(r.IntN(n))
			}
			for _, neg := range []bool{false, true} {
				var want []uint16
				for _, a := range v {
					x, ok := vals[uint32(a)]
					if (ok && x >= lo && x <= hi) != neg {
						want = append(want, a)
					}
				}
				p := &Plan{}
				got := p.filterPlanesTop(s, node, 0, slices.Clone(v), neg)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("spread %d, [%d, %d], neg %v: (-want +got)\n%s", spread, lo, hi, neg, diff)
				}
			}
		}
	}
}

// TestMaskWords checks the list of a word mask's words (the AVX-512 path
// where it runs, and the Go loop) against the mask, for lists that fit
// the kernel's slack and lists that do not.
func TestMaskWords(t *testing.T) {
	defer func(saved bool) { setAVX512(saved) }(useAVX512)
	r := rand.New(rand.NewPCG(53, 54))
	for _, density := range []float64{0, 0.01, 0.3, 0.9, 0.99, 1} {
		var m [chunkWords / 64]uint64
		var want []uint16
		for i := range chunkWords {
			if r.Float64() < density {
				m[i/64] |= 1 << (i % 64)
				want = append(want, uint16(i))
			}
		}
		for _, wide := range []bool{false, true} {
			if wide && !canAVX512() {
				continue
			}
			setAVX512(wide)
			got := maskWords(make([]uint16, 0, chunkWords), &m)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("AVX-512 %v, density %v: (-want +got)\n%s", wide, density, diff)
			}
		}
	}
}
