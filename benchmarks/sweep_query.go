package benchmarks

import (
	"fmt"
	"math"
	"strings"
)

// SweepKind is the kind of a SweepTerm.
type SweepKind uint8

// The terms of the sweep queries.
const (
	SwCat    SweepKind = iota // Cat[Field] is one of Vals
	SwAge                     // Lo <= Age <= Hi; a missing age does not match
	SwScore                   // Lo <= Score <= Hi (Hi = MaxInt64: Score >= Lo)
	SwFlag                    // flag Vals[0] is true
	SwHas                     // tag Vals[0] is present
	SwHasAny                  // any tag of Vals is present
	SwHasAll                  // every tag of Vals is present
)

// SweepTerm is one condition of a sweep query.
type SweepTerm struct {
	Kind   SweepKind
	Field  int // the categorical field of SwCat: c1, c2, c4, c8 for 0..3
	Vals   []uint8
	Lo, Hi int64
}

// SweepQuery is a conjunction of terms.
type SweepQuery struct {
	Terms []SweepTerm
}

// Match reports whether r matches t: the oracle of the sweep engines.
func (t *SweepTerm) Match(r *SweepRow) bool {
	switch t.Kind {
	case SwCat:
		for _, v := range t.Vals {
			if r.Cat[t.Field] == v {
				return true
			}
		}
		return false
	case SwAge:
		return r.Age != Missing && int64(r.Age) >= t.Lo && int64(r.Age) <= t.Hi
	case SwScore:
		return int64(r.Score) >= t.Lo && int64(r.Score) <= t.Hi
	case SwFlag:
		return r.Flags>>t.Vals[0]&1 == 1
	case SwHas:
		return r.HasTag(t.Vals[0])
	case SwHasAny:
		for _, v := range t.Vals {
			if r.HasTag(v) {
				return true
			}
		}
		return false
	case SwHasAll:
		for _, v := range t.Vals {
			if !r.HasTag(v) {
				return false
			}
		}
		return true
	}
	panic("unknown sweep term")
}

// Match reports whether r matches every term of q.
func (q *SweepQuery) Match(r *SweepRow) bool {
	for i := range q.Terms {
		if !q.Terms[i].Match(r) {
			return false
		}
	}
	return true
}

// String returns q in microseg's text form.
func (q *SweepQuery) String() string {
	var s []string
	for _, t := range q.Terms {
		s = append(s, t.String())
	}
	return strings.Join(s, " and ")
}

func list(vs []uint8) string {
	var s []string
	for _, v := range vs {
		s = append(s, fmt.Sprint(v))
	}
	return strings.Join(s, ",")
}

// String returns t in microseg's text form.
func (t SweepTerm) String() string {
	switch t.Kind {
	case SwCat:
		return fmt.Sprintf("c%d in (%s)", 1<<t.Field, list(t.Vals))
	case SwAge:
		return fmt.Sprintf("age between %d and %d", t.Lo, t.Hi)
	case SwScore:
		if t.Hi == math.MaxInt64 {
			return fmt.Sprintf("score >= %d", t.Lo)
		}
		return fmt.Sprintf("score between %d and %d", t.Lo, t.Hi)
	case SwFlag:
		return fmt.Sprintf("f%d = true", t.Vals[0])
	case SwHas:
		return fmt.Sprintf("tags has %d", t.Vals[0])
	case SwHasAny:
		return fmt.Sprintf("tags has any (%s)", list(t.Vals))
	case SwHasAll:
		return fmt.Sprintf("tags has all (%s)", list(t.Vals))
	}
	return "?"
}

// The Q1 shape in the sweep data: c2 in (two codes of 1% each) and age
// between 25 and 35 and f9 (60%, "active") and tags has 7 (10%). A sweep
// replaces one of these four terms.
const (
	q1CatTarget = 5 // SweepTargets[5] = 2%
	q1Active    = 9 // SweepTargets[9] = 60%
	q1Tag       = 7 // SweepTargets[7] = 10%
)

func q1Terms() []SweepTerm {
	return []SweepTerm{
		{Kind: SwCat, Field: 1, Vals: CatGroup(1, q1CatTarget)},
		{Kind: SwAge, Lo: 25, Hi: 35},
		{Kind: SwFlag, Vals: []uint8{q1Active}},
		{Kind: SwHas, Vals: []uint8{q1Tag}},
	}
}

// Sweep is one swept term: the term at each target selectivity, and the
// position of the Q1 term it replaces.
type Sweep struct {
	Name    string
	Slot    int // index in q1Terms of the term replaced
	termFor func(g int) SweepTerm
}

// Sweeps returns the sweeps of the selectivity benchmark, in table order.
func Sweeps() []Sweep {
	var out []Sweep
	for j := range SweepCatFields {
		out = append(out, Sweep{
			Name: fmt.Sprintf("c%d in (%d value%s)", 1<<j, 1<<j, map[bool]string{true: "s"}[j > 0]),
			Slot: 0,
			termFor: func(g int) SweepTerm {
				return SweepTerm{Kind: SwCat, Field: j, Vals: CatGroup(j, g)}
			},
		})
	}
	out = append(out,
		Sweep{Name: "score between (width)", Slot: 1, termFor: func(g int) SweepTerm {
			w := int64(math.Round(SweepTargets[g] * ScoreRange))
			lo := int64(g*1237) % (ScoreRange - w) // a different place for each width
			return SweepTerm{Kind: SwScore, Lo: lo, Hi: lo + w - 1}
		}},
		Sweep{Name: "score >= x", Slot: 1, termFor: func(g int) SweepTerm {
			w := int64(math.Round(SweepTargets[g] * ScoreRange))
			return SweepTerm{Kind: SwScore, Lo: ScoreRange - w, Hi: math.MaxInt64}
		}},
		Sweep{Name: "flag", Slot: 2, termFor: func(g int) SweepTerm {
			return SweepTerm{Kind: SwFlag, Vals: []uint8{uint8(g)}}
		}},
		Sweep{Name: "tags has", Slot: 3, termFor: func(g int) SweepTerm {
			return SweepTerm{Kind: SwHas, Vals: []uint8{uint8(g)}}
		}},
		Sweep{Name: fmt.Sprintf("tags has any (%d)", HasAnyK), Slot: 3, termFor: func(g int) SweepTerm {
			return SweepTerm{Kind: SwHasAny, Vals: HasAnyGroup(g)}
		}},
		Sweep{Name: fmt.Sprintf("tags has all (%d)", HasAllK), Slot: 3, termFor: func(g int) SweepTerm {
			return SweepTerm{Kind: SwHasAll, Vals: HasAllGroup(g)}
		}},
	)
	return out
}

// Shapes of a sweep point: the swept term inside the Q1 shape, or alone.
const (
	ShapeQ1    = "Q1"
	ShapeAlone = "alone"
)

// SweepPoint is one query of a sweep.
type SweepPoint struct {
	Sweep  string
	Shape  string  // ShapeQ1 or ShapeAlone
	Target float64 // the share of the base the swept term matches by design
	Query  SweepQuery
}

// SweepPoints returns the points of the named sweeps (all when names is
// empty) in the given shapes, at the targets with indexes in targets (all
// when empty).
func SweepPoints(names, shapes []string, targets []int) []SweepPoint {
	if len(targets) == 0 {
		for g := range SweepTargets {
			targets = append(targets, g)
		}
	}
	var out []SweepPoint
	for _, s := range Sweeps() {
		if len(names) > 0 && !containsPrefix(names, s.Name) {
			continue
		}
		for _, shape := range shapes {
			for _, g := range targets {
				t := s.termFor(g)
				var q SweepQuery
				if shape == ShapeAlone {
					q.Terms = []SweepTerm{t}
				} else {
					q.Terms = q1Terms()
					q.Terms[s.Slot] = t
				}
				out = append(out, SweepPoint{Sweep: s.Name, Shape: shape, Target: SweepTargets[g], Query: q})
			}
		}
	}
	return out
}

// containsPrefix reports whether some element of names is a prefix of s.
func containsPrefix(names []string, s string) bool {
	for _, n := range names {
		if strings.HasPrefix(s, n) {
			return true
		}
	}
	return false
}
