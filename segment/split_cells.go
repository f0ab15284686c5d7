package segment

import (
	"math/big"

	"github.com/fabeed28/microseg/internal/engine"
)

// The one-pass strategy of Split: the engine counts every cell of the cross
// product in one pass over the base, chunk by chunk (engine.CountCells):
// each member of the macro segment gets its cell number from its value or
// band in every dimension (a part's members as a list, a band as a byte of
// the field's code column), and is counted once, or once per value of the
// Set dimension it has. The cost is linear in the base plus one increment
// per (member, set value) pair, whatever the number of cells; the memory is
// a few bytes per cell (cellBytes). It needs a base with its chunked views.

// Bytes per cell of the one-pass strategy: a 32-bit count per chunk batch
// and the 64-bit total, and with SumOf a 32-bit and a 64-bit count of
// members with a value and a 128-bit sum in both.
const (
	cellBytes    = 4 + 8
	cellSumBytes = cellBytes + 4 + 8 + 2*16
)

// maxCellBytes bounds the per-cell memory of the one-pass strategy as Split
// chooses it (64 MiB).
const maxCellBytes = 64 << 20

// cellDims returns the engine's dimensions for the parts of dims, and false
// when the cells of the one-pass strategy would take more than
// maxCellBytes.
func (b *Base) cellDims(dims []Dim, parts [][]part, score *column) ([]engine.CubeDim, bool) {
	per := uint64(cellBytes)
	if score != nil {
		per = cellSumBytes
	}
	cells := uint64(1)
	for i := range dims {
		cells *= uint64(len(parts[i]))
		if cells > maxCellBytes/per {
			return nil, false
		}
	}
	return b.engineDims(dims), true
}

// onePass runs the one-pass strategy and pushes the kept cells into s.res
// in cross-product order.
func (s *splitter) onePass(b *Base, macro Pred, edims []engine.CubeDim) {
	cells := 1
	for _, ps := range s.parts {
		cells *= len(ps)
	}
	c := &engine.Cells{Counts: make([]uint64, cells)}
	var sum *engine.CellSum
	if s.score != nil {
		sum = &engine.CellSum{Known: s.score.fzKnown, Planes: s.score.fzPlanes}
		c.Known, c.Lo, c.Hi = make([]uint64, cells), make([]uint64, cells), make([]uint64, cells)
	}
	sc := b.ev.scratch()
	b.chunkPlan(macro).CountCells(sc, edims, sum, c)
	b.ev.put(sc)

	// Visit the cells in row-major order, the order of the depth-first
	// walk, counting the coordinates like an odometer.
	for d := range s.labels {
		s.labels[d] = 0
	}
	for i, n := range c.Counts {
		if n >= s.threshold() {
			if sum == nil {
				s.emitSum(n, 0)
			} else {
				s.emitSum(n, s.score.sumOf(c.Known[i], c.Lo[i], c.Hi[i]))
			}
		}
		for d := len(s.labels) - 1; d >= 0; d-- {
			if s.labels[d]++; s.labels[d] < len(s.parts[d]) {
				break
			}
			s.labels[d] = 0
		}
	}
}

// sumOf returns the sum of the values of known customers of c whose plane
// values add up to hi·2^64+lo, scaled as the field reads: exact, and
// without big.Int for the sums that fit in 53 bits.
func (c *column) sumOf(known, lo, hi uint64) float64 {
	x := c.bsi
	const lim = 1 << 30
	if hi == 0 && lo < 1<<62 && known < 1<<32 && x.Offset > -lim && x.Offset < lim {
		if v := x.Offset*int64(known) + int64(lo); v >= -1<<53 && v <= 1<<53 {
			return scaledInt(v, c.spec.scale)
		}
	}
	sum := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	sum.Add(sum, new(big.Int).SetUint64(lo))
	sum.Add(sum, new(big.Int).Mul(big.NewInt(x.Offset), new(big.Int).SetUint64(known)))
	return scaled(sum, c.spec.scale)
}

// preferPass estimates the costs of the one-pass strategy and of the
// depth-first walk for a macro segment of n members: the pass reads every
// dimension in every chunk of the base, takes the working memory of a
// chunk (about 400 KiB) and visits every cell; the walk intersects the
// members with every part of each level.
func preferPass(b *Base, n uint64, parts [][]part) bool {
	perLevel, cells := uint64(0), uint64(1)
	for _, ps := range parts {
		perLevel += uint64(len(ps))
		cells *= uint64(len(ps)) // at most maxCellBytes: no overflow
	}
	pass := uint64(b.IDCount())*uint64(len(parts)+1)/passSpeedup + 1<<16 + cells
	return pass < n*perLevel
}

// passSpeedup is about how many (ID, dimension) pairs the one-pass strategy
// reads in the time the walk takes per (member, part) pair: measured at 1M
// customers, the pass is faster from about 1,000 members for the issue's
// split (87 parts) and for country x gender (53 parts), the walk below
// about 100.
const passSpeedup = 100
