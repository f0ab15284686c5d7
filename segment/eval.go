package segment

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/engine"
)

// Eval returns the live customers p matches, as a new bitmap of IDs that the
// caller owns: changing it never changes the base. A predicate on a field the
// base does not have, or on a value it never saw, matches nobody.
func (b *Base) Eval(p Pred) *roaring.Bitmap {
	return engine.Eval(b.plan(p), b.live)
}

// Count returns the number of live customers p matches. Where it can, it
// counts without materializing the result.
func (b *Base) Count(p Pred) uint64 {
	return engine.Count(b.plan(p), b.live)
}

// plan compiles p against b: the leaves point at b's bitmaps, nested and/or
// are flattened, Not inside And becomes and-not, and conjuncts are ordered
// from the smallest.
func (b *Base) plan(p Pred) *engine.Node {
	n := b.compile(p)
	engine.Estimate(n, b.live)
	return n
}

func (b *Base) compile(p Pred) *engine.Node {
	n := p.node()
	switch n.op {
	case nAll:
		return &engine.Node{Op: engine.All}
	case nNone:
		return &engine.Node{Op: engine.None}
	case nLeaf:
		return b.compileLeaf(n.leaf)
	case nNot:
		return b.andOf([]*engine.Node{{Op: engine.All}}, []*engine.Node{b.compile(n.kids[0])})
	case nAnd:
		kids := make([]*engine.Node, len(n.kids))
		for i, k := range n.kids {
			kids[i] = b.compile(k)
		}
		return b.andOf(kids, nil)
	case nOr:
		var kids []*engine.Node
		for _, k := range n.kids {
			c := b.compile(k)
			switch c.Op {
			case engine.All:
				return c
			case engine.None:
				continue
			case engine.Or:
				kids = append(kids, c.Kids...)
			default:
				kids = append(kids, c)
			}
		}
		return orOf(kids)
	}
	panic("segment: unknown predicate node")
}

// andOf builds the conjunction of pos minus every neg, flattening nested
// conjunctions and dropping neutral terms.
func (b *Base) andOf(pos, neg []*engine.Node) *engine.Node {
	out := &engine.Node{Op: engine.And}
	var addPos, addNeg func(n *engine.Node) bool
	addPos = func(n *engine.Node) bool {
		switch n.Op {
		case engine.None:
			return false
		case engine.All:
			return true
		case engine.And:
			for _, k := range n.Kids {
				if !addPos(k) {
					return false
				}
			}
			for _, k := range n.Neg {
				if !addNeg(k) {
					return false
				}
			}
			return true
		}
		out.Kids = append(out.Kids, n)
		return true
	}
	addNeg = func(n *engine.Node) bool {
		switch n.Op {
		case engine.None:
			return true
		case engine.All:
			return false
		}
		out.Neg = append(out.Neg, n)
		return true
	}
	for _, n := range pos {
		if !addPos(n) {
			return &engine.Node{Op: engine.None}
		}
	}
	for _, n := range neg {
		if !addNeg(n) {
			return &engine.Node{Op: engine.None}
		}
	}
	switch {
	case len(out.Kids) == 0 && len(out.Neg) == 0:
		return &engine.Node{Op: engine.All}
	case len(out.Kids) == 0:
		out.Kids = []*engine.Node{{Op: engine.All}}
	case len(out.Kids) == 1 && len(out.Neg) == 0:
		return out.Kids[0]
	}
	return out
}

func orOf(kids []*engine.Node) *engine.Node {
	switch len(kids) {
	case 0:
		return &engine.Node{Op: engine.None}
	case 1:
		return kids[0]
	}
	return &engine.Node{Op: engine.Or, Kids: kids}
}

func (b *Base) compileLeaf(l *leaf) *engine.Node {
	c := b.col(l.spec.name)
	if c == nil || !c.spec.sameAs(l.spec) {
		if l.op == opMissing {
			return &engine.Node{Op: engine.All}
		}
		return &engine.Node{Op: engine.None}
	}
	known := &engine.Node{Op: engine.Leaf, Bitmap: c.known}
	switch l.op {
	case opKnown:
		return known
	case opMissing:
		return b.andOf([]*engine.Node{{Op: engine.All}}, []*engine.Node{known})
	case opRange:
		if l.lo > l.hi {
			return &engine.Node{Op: engine.None}
		}
		return &engine.Node{Op: engine.Range, BSI: c.bsi, Known: c.known, Lo: l.lo, Hi: l.hi}
	case opNe:
		if c.bitmapKind() {
			return b.andOf([]*engine.Node{known}, []*engine.Node{c.valueNode(l.vals[0])})
		}
		return b.andOf([]*engine.Node{known},
			[]*engine.Node{{Op: engine.Range, BSI: c.bsi, Known: c.known, Lo: l.lo, Hi: l.lo}})
	case opIn:
		var kids []*engine.Node
		seen := map[uint32]bool{}
		for _, v := range l.vals {
			if code, ok := c.codes[v]; ok && !seen[code] {
				seen[code] = true
				kids = append(kids, &engine.Node{Op: engine.Leaf, Bitmap: c.bms[code]})
			}
		}
		return orOf(kids)
	case opHasAll:
		kids := []*engine.Node{known}
		for _, v := range l.vals {
			kids = append(kids, c.valueNode(v))
		}
		return b.andOf(kids, nil)
	}
	panic("segment: unknown leaf op")
}

func (c *column) valueNode(v any) *engine.Node {
	if code, ok := c.codes[v]; ok {
		return &engine.Node{Op: engine.Leaf, Bitmap: c.bms[code]}
	}
	return &engine.Node{Op: engine.None}
}
