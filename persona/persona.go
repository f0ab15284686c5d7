package persona

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/fabeed28/microseg/segment"
)

// Persona is the hypothetical individual who stands for a segment: its
// typical member, the traits that set it apart from the reference, and a
// one-line summary. It is a pure function of its Profile and options: the
// same base and segment give the same persona, byte for byte.
type Persona struct {
	Profile *Profile
	// Typical holds the typical member, one entry per field that at least
	// one member has a value for, in field order.
	Typical []Typical
	// Distinguishing holds the traits that set the members apart, ranked by
	// lift (then z-score, then field and value order): those with at least
	// the minimum support, significance and lift (see MinSupport,
	// MinSignificance, MinLift), at most MaxTraits of them.
	Distinguishing []Trait
	// Summary says in one line who the members are: their number, their
	// top three distinguishing traits with their lifts against the
	// reference, named as Profile.ReferenceName says, and the number whose
	// median moved most, for example
	//
	//	1,204 customers (1.2% of the base): city Amsterdam (3.1× the base),
	//	age 25-34 (2.4×) and bought skincare (1.7×); median age 29 against 41 for the base
	//
	// Traits read as Trait.String writes them unless Phrase or PhraseValue
	// words them: "women (1.9× the base), aged 25-34 (2.4×) and in
	// Amsterdam (3.1×)".
	Summary string
}

// Typical is one field of a persona's typical member.
type Typical struct {
	Field string
	Kind  segment.Kind
	// Value is the modal value of a Cat or Flag field, the most held values
	// of a Set field (up to three, joined by ", "), or the median of an Int,
	// Decimal or Time field at the field's scale ("82.5", "1,502.26",
	// "0.99595"; a Time as a 2006-01-02 date in UTC).
	Value string
	// Share is the share of members holding the modal (or most held) value,
	// or for a numeric field the share of members with a value.
	Share float64
}

// New returns the persona of a profile. MinSupport, MinSignificance, MinLift
// and MaxTraits tune which traits distinguish it.
func New(p *Profile, opts ...PersonaOption) *Persona {
	o := personaOptions(opts)
	ps := &Persona{Profile: p}
	for _, f := range p.Fields {
		if f.Coverage == 0 {
			continue
		}
		ps.Typical = append(ps.Typical, typical(f))
	}
	for _, t := range p.Traits {
		if t.Count >= o.minCount && t.Share >= o.minShare && t.Z >= o.minZ && t.Lift >= o.minLift {
			ps.Distinguishing = append(ps.Distinguishing, t)
		}
	}
	// A stable sort keeps field and value order among equal lifts and z.
	slices.SortStableFunc(ps.Distinguishing, func(a, b Trait) int {
		if c := cmp.Compare(b.Lift, a.Lift); c != 0 {
			return c
		}
		return cmp.Compare(b.Z, a.Z)
	})
	if o.maxTraits >= 0 && len(ps.Distinguishing) > o.maxTraits {
		ps.Distinguishing = ps.Distinguishing[:o.maxTraits]
	}
	ps.Summary = summary(ps, o)
	return ps
}

func typical(f FieldProfile) Typical {
	t := Typical{Field: f.Name, Kind: f.Kind}
	if f.Numbers != nil {
		t.Value = formatNumber(f.Kind, f.Scale, f.Numbers.P50)
		t.Share = f.CoverageShare
		return t
	}
	vals := slices.Clone(f.Values)
	slices.SortStableFunc(vals, func(a, b Trait) int { return cmp.Compare(b.Count, a.Count) })
	k := 1
	if f.Kind == segment.KindSet {
		k = 3
	}
	var names []string
	for _, v := range vals[:min(k, len(vals))] {
		if v.Count > 0 {
			names = append(names, v.Value)
		}
	}
	t.Value = strings.Join(names, ", ")
	t.Share = vals[0].Share
	return t
}

// summary writes the persona's one line: its size, its top three traits
// with their lifts, and the numeric field whose median moved most.
func summary(ps *Persona, o *options) string {
	p := ps.Profile
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s customers (%s of the base)", formatCount(p.Size), formatPercent(p.Share))
	if p.Size == 0 {
		return sb.String()
	}
	top := slices.Clone(ps.Distinguishing[:min(3, len(ps.Distinguishing))])
	if len(top) == 0 {
		sb.WriteString(" with no distinguishing trait")
	}
	// Traits of one field sit together, in the order of the field's first
	// trait: "accepted campaign 2 (11.4× the base), campaign 5 (7.4×)".
	first := map[string]int{}
	for i, t := range top {
		if _, ok := first[t.Field]; !ok {
			first[t.Field] = i
		}
	}
	slices.SortStableFunc(top, func(a, b Trait) int { return cmp.Compare(first[a.Field], first[b.Field]) })
	for i, t := range top {
		switch {
		case i == 0:
			sb.WriteString(": ")
		case i == len(top)-1:
			sb.WriteString(" and ")
		default:
			sb.WriteString(", ")
		}
		w := o.phrase(t)
		_, flag := t.Raw.(bool)
		if i > 0 && !flag && top[i-1].Field == t.Field && w == t.String() && o.phrase(top[i-1]) == top[i-1].String() {
			w = t.Value // the field's name was just written
		}
		fmt.Fprintf(&sb, "%s (%s×", w, formatLift(t.Lift))
		if i == 0 {
			sb.WriteString(" " + p.refName())
		}
		sb.WriteString(")")
	}
	if f, ok := shiftedNumber(p); ok {
		fmt.Fprintf(&sb, "; median %s %s against %s for %s", words(f.Name),
			formatNumber(f.Kind, f.Scale, f.Numbers.P50), formatNumber(f.Kind, f.Scale, f.Reference.P50), p.refName())
	}
	return sb.String()
}

// refName is how a persona names the reference; a Profile made by hand may
// leave ReferenceName empty.
func (p *Profile) refName() string {
	if p.ReferenceName == "" {
		return "the reference"
	}
	return p.ReferenceName
}

// phrase writes a trait in the words that Phrase and PhraseValue set, or as
// Trait.String does.
func (o *options) phrase(t Trait) string {
	if w, ok := o.valueWord[t.Field][t.Value]; ok {
		return w
	}
	if f, ok := o.phrases[t.Field]; ok {
		return strings.ReplaceAll(f, "%s", t.Value)
	}
	return t.String()
}

// shiftedNumber returns the numeric field whose members' median moved
// furthest from the reference median, measured in reference interquartile
// ranges, if it moved by at least half of one.
func shiftedNumber(p *Profile) (FieldProfile, bool) {
	var best FieldProfile
	bestShift := 0.5
	found := false
	for _, f := range p.Fields {
		if f.Numbers == nil || f.Numbers.Count == 0 || f.Reference.Count == 0 {
			continue
		}
		iqr := f.Reference.P75 - f.Reference.P25
		if iqr <= 0 {
			continue
		}
		if s := math.Abs(f.Numbers.P50-f.Reference.P50) / iqr; s >= bestShift {
			best, bestShift, found = f, s, true
		}
	}
	return best, found
}
