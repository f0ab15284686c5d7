package persona

import (
	"cmp"
	"math"
	"slices"
)

// TraitKey names a trait: a field and a value as fmt.Sprint prints it.
type TraitKey struct {
	Field, Value string
}

// Comparison lays several personas side by side: the same traits, in the
// same order, for each of them.
type Comparison struct {
	// Traits is the union of the personas' distinguishing traits, ranked by
	// their highest lift in any persona (then field and value).
	Traits []TraitKey
	// Columns[i][j] is persona i's Traits[j], read from its profile. A
	// trait the profile lacks (a value, or a numeric range another persona
	// stands out by, which profiles do not share: each has its own ranges)
	// gives a Trait with only Field and Value set.
	Columns [][]Trait
}

// Compare lays the personas side by side.
func Compare(ps ...*Persona) Comparison {
	best := map[TraitKey]float64{}
	var keys []TraitKey
	for _, p := range ps {
		for _, t := range p.Distinguishing {
			k := TraitKey{t.Field, t.Value}
			if l, ok := best[k]; !ok || t.Lift > l {
				if !ok {
					keys = append(keys, k)
				}
				best[k] = t.Lift
			}
		}
	}
	slices.SortFunc(keys, func(a, b TraitKey) int {
		if c := cmp.Compare(best[b], best[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	c := Comparison{Traits: keys, Columns: make([][]Trait, len(ps))}
	for i, p := range ps {
		idx := p.Profile.index()
		col := make([]Trait, len(keys))
		for j, k := range keys {
			col[j] = lookup(idx, k)
		}
		c.Columns[i] = col
	}
	return c
}

// lookup returns the trait k of a profile's index, or a Trait with only
// Field and Value set.
func lookup(idx map[TraitKey]Trait, k TraitKey) Trait {
	if t, ok := idx[k]; ok {
		return t
	}
	return Trait{Field: k.Field, Value: k.Value}
}

func (p *Profile) index() map[TraitKey]Trait {
	m := make(map[TraitKey]Trait, len(p.Traits))
	for _, t := range p.Traits {
		m[TraitKey{t.Field, t.Value}] = t
	}
	return m
}

// Change is how one trait moved between two personas of the same segment,
// typically from two snapshots of the base.
type Change struct {
	TraitKey
	// Before and After are the trait in each profile; a trait a profile
	// lacks (a value, or a numeric range of the other profile) has only
	// Field and Value set.
	Before, After Trait
	ShareDelta    float64 // After.Share − Before.Share
	LiftDelta     float64 // After.Lift − Before.Lift; 0 when either lift is infinite
	Entered       bool    // distinguishing after, not before
	Left          bool    // distinguishing before, not after
}

// Diff returns how the traits of two personas moved: one Change per trait
// of either profile (a numeric range of either counted in both), the largest moves of share first (then field and
// value), so the first changes are the traits that moved most. Traits that
// entered or left the distinguishing set are flagged.
func Diff(before, after *Persona) []Change {
	bi, ai := before.Profile.index(), after.Profile.index()
	dist := func(p *Persona) map[TraitKey]bool {
		m := map[TraitKey]bool{}
		for _, t := range p.Distinguishing {
			m[TraitKey{t.Field, t.Value}] = true
		}
		return m
	}
	bd, ad := dist(before), dist(after)
	var out []Change
	seen := map[TraitKey]bool{}
	add := func(k TraitKey) {
		if seen[k] {
			return
		}
		seen[k] = true
		c := Change{TraitKey: k, Before: lookup(bi, k), After: lookup(ai, k)}
		c.ShareDelta = c.After.Share - c.Before.Share
		if !math.IsInf(c.After.Lift, 0) && !math.IsInf(c.Before.Lift, 0) {
			c.LiftDelta = c.After.Lift - c.Before.Lift
		}
		c.Entered = ad[k] && !bd[k]
		c.Left = bd[k] && !ad[k]
		out = append(out, c)
	}
	for _, t := range before.Profile.Traits {
		add(TraitKey{t.Field, t.Value})
	}
	for _, t := range after.Profile.Traits {
		add(TraitKey{t.Field, t.Value})
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		if c := cmp.Compare(math.Abs(b.ShareDelta), math.Abs(a.ShareDelta)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}
