package engine

import (
	"fmt"
	"os"
)

func debugPlan(n *Node, ind string) {
	if os.Getenv("ENGINE_DEBUG") == "" {
		return
	}
	fmt.Fprintf(os.Stderr, "%sop=%d est=%d planes=%d codes=%v\n", ind, n.Op, n.Est, len(n.Planes), n.Codes != nil)
	for _, st := range n.steps {
		fmt.Fprintf(os.Stderr, "%s step neg=%v class=%d\n", ind, st.neg, st.class)
		debugPlan(st.n, ind+"    ")
	}
	if n.Op == And {
		debugPlan(n.Kids[0], ind+"  first ")
	}
	if n.Op == Or {
		for _, k := range n.Kids {
			debugPlan(k, ind+"  |")
		}
	}
}

func debugKinds(n *Node) {
	if os.Getenv("ENGINE_DEBUG") == "" {
		return
	}
	var kinds []string
	walk := func(f *Frozen, name string) {
		if f == nil || len(f.conts) == 0 {
			return
		}
		c := f.conts[0]
		kinds = append(kinds, fmt.Sprintf("%s:k%d/%d", name, c.kind, c.card))
	}
	var rec func(n *Node, p string)
	rec = func(n *Node, p string) {
		walk(n.F, p+"F")
		for j, pl := range n.Planes {
			walk(pl, fmt.Sprintf("%sP%d", p, j))
		}
		for i, k := range n.Kids {
			rec(k, fmt.Sprintf("%sk%d.", p, i))
		}
		for i, k := range n.Neg {
			rec(k, fmt.Sprintf("%sn%d.", p, i))
		}
	}
	rec(n, "")
	fmt.Fprintln(os.Stderr, kinds)
}
