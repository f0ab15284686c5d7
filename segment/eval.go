package segment

import (
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/internal/engine"
)

// Eval returns the live customers p matches, as a new bitmap of IDs that the
// caller owns: changing it never changes the base. A predicate on a field the
// base does not have, or on a value it never saw, matches nobody.
//
// The predicate is evaluated one chunk of 65,536 IDs at a time, on one
// goroutine unless Parallel says otherwise.
func (b *Base) Eval(p Pred, opts ...EvalOption) *roaring.Bitmap {
	pl := b.chunkPlan(p)
	if n := min(parallelism(opts), pl.Chunks()); n > 1 {
		ss := b.ev.scratches(n)
		defer b.ev.release(ss)
		return pl.EvalParallel(ss)
	}
	s := b.ev.scratch()
	defer b.ev.put(s)
	return pl.Eval(s)
}

// Count returns the number of live customers p matches, without
// materializing them. Counting the same Pred value again allocates nothing.
func (b *Base) Count(p Pred, opts ...EvalOption) uint64 {
	pl := b.chunkPlan(p)
	if n := min(parallelism(opts), pl.Chunks()); n > 1 {
		ss := b.ev.scratches(n)
		defer b.ev.release(ss)
		return pl.CountParallel(ss)
	}
	s := b.ev.scratch()
	n := pl.Count(s)
	b.ev.put(s)
	return n
}

// AppendIDs appends the IDs of the live customers p matches to dst, in
// increasing order, and returns the extended slice. When cap(dst) holds
// len(dst) plus the IDs appended (Count says how many), it allocates
// nothing.
func (b *Base) AppendIDs(dst []uint32, p Pred) []uint32 {
	pl := b.chunkPlan(p)
	s := b.ev.scratch()
	dst = pl.AppendIDs(s, dst)
	b.ev.put(s)
	return dst
}

// evalState is what a Base derives for evaluation on first use: the chunked
// view of the live set, a bounded cache of compiled plans, and a pool of
// working memory. It never changes what a query returns.
type evalState struct {
	liveOnce sync.Once
	live     *engine.Frozen

	mu    sync.Mutex
	plans map[*node]*engine.Plan

	// Working memory: one Scratch kept for the common case of one query
	// at a time (a garbage collection empties a sync.Pool, which would make
	// the next query allocate and warm a new one), and a pool for the
	// others.
	spare atomic.Pointer[engine.Scratch]
	pool  sync.Pool // *engine.Scratch
}

// maxPlans bounds the plan cache of a base.
const maxPlans = 256

func (e *evalState) scratch() *engine.Scratch {
	if s := e.spare.Swap(nil); s != nil {
		return s
	}
	if s, ok := e.pool.Get().(*engine.Scratch); ok {
		return s
	}
	return engine.NewScratch()
}

// put returns s for reuse.
func (e *evalState) put(s *engine.Scratch) {
	if !e.spare.CompareAndSwap(nil, s) {
		e.pool.Put(s)
	}
}

func (e *evalState) scratches(n int) []*engine.Scratch {
	ss := make([]*engine.Scratch, n)
	for i := range ss {
		ss[i] = e.scratch()
	}
	return ss
}

func (e *evalState) release(ss []*engine.Scratch) {
	for _, s := range ss {
		e.put(s)
	}
}

func (b *Base) frozenLive() *engine.Frozen {
	b.ev.liveOnce.Do(func() {
		// The live bitmap is replaced by an equal one sharing its memory
		// with the view; nobody else holds it while the base is read.
		_, b.ev.live = engine.Freeze(b.live.Clone())
	})
	return b.ev.live
}

// chunkPlan returns the compiled plan of p for chunked evaluation, from the
// cache when p was planned before.
func (b *Base) chunkPlan(p Pred) *engine.Plan {
	key := p.node()
	b.ev.mu.Lock()
	pl, ok := b.ev.plans[key]
	b.ev.mu.Unlock()
	if ok {
		return pl
	}
	pl = engine.NewPlan(b.plan(p), b.frozenLive())
	b.ev.mu.Lock()
	if b.ev.plans == nil || len(b.ev.plans) >= maxPlans {
		b.ev.plans = make(map[*node]*engine.Plan)
	}
	b.ev.plans[key] = pl
	b.ev.mu.Unlock()
	return pl
}

// plan compiles p against b: the leaves point at b's bitmaps, nested and/or
// are flattened, and Not inside And becomes and-not. engine.NewPlan then
// estimates and orders it, once.
func (b *Base) plan(p Pred) *engine.Node { return b.compile(p) }

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
	known := &engine.Node{Op: engine.Leaf, Bitmap: c.known, F: c.fzKnown}
	switch l.op {
	case opInvalid:
		return &engine.Node{Op: engine.None}
	case opKnown:
		return known
	case opMissing:
		return b.andOf([]*engine.Node{{Op: engine.All}}, []*engine.Node{known})
	case opRange:
		if l.lo > l.hi {
			return &engine.Node{Op: engine.None}
		}
		return c.rangeNode(l.lo, l.hi)
	case opNe:
		if c.bitmapKind() {
			return b.andOf([]*engine.Node{known}, []*engine.Node{c.valueNode(l.vals[0])})
		}
		return b.andOf([]*engine.Node{known},
			[]*engine.Node{c.rangeNode(l.lo, l.lo)})
	case opIn:
		var kids []*engine.Node
		seen := map[uint32]bool{}
		for _, v := range l.vals {
			if code, ok := c.codes[v]; ok && !seen[code] {
				seen[code] = true
				kids = append(kids, &engine.Node{Op: engine.Leaf, Bitmap: c.bms[code], F: c.bmView(code)})
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
		return &engine.Node{Op: engine.Leaf, Bitmap: c.bms[code], F: c.bmView(code)}
	}
	return &engine.Node{Op: engine.None}
}

func (c *column) rangeNode(lo, hi int64) *engine.Node {
	return &engine.Node{Op: engine.Range, BSI: c.bsi, Known: c.known, Lo: lo, Hi: hi,
		F: c.fzKnown, Planes: c.fzPlanes, Codes: c.small}
}

// bmView returns the view of c.bms[code], nil when c has no views.
func (c *column) bmView(code uint32) *engine.Frozen {
	if int(code) < len(c.fzBms) {
		return c.fzBms[code]
	}
	return nil
}
