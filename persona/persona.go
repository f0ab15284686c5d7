package persona

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// Summary says in one line who the members are, for example
	// `1,204 customers (1.2% of the base): city Amsterdam (3.1× the base),
	// gender f (1.9×), bought skincare (1.7×); median age 29 (base 41)`.
	Summary string
}

// Typical is one field of a persona's typical member.
type Typical struct {
	Field string
	Kind  segment.Kind
	// Value is the modal value of a Cat or Flag field, the most held values
	// of a Set field (up to three, joined by ", "), or the median of an Int,
	// Decimal or Time field (a Time as a 2006-01-02 date in UTC).
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
	ps.Summary = summary(ps)
	return ps
}

func typical(f FieldProfile) Typical {
	t := Typical{Field: f.Name, Kind: f.Kind}
	if f.Numbers != nil {
		t.Value = formatNumber(f.Kind, f.Numbers.P50)
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

// summary writes the persona's one line.
func summary(ps *Persona) string {
	p := ps.Profile
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s customers (%s of the base)", formatCount(p.Size), formatPercent(p.Share))
	if p.Size == 0 {
		return sb.String()
	}
	if len(ps.Distinguishing) == 0 {
		sb.WriteString(" with no distinguishing trait")
	}
	for i, t := range ps.Distinguishing[:min(3, len(ps.Distinguishing))] {
		if i == 0 {
			sb.WriteString(": ")
		} else {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%s %s (%s×", t.Field, t.Value, formatLift(t.Lift))
		if i == 0 {
			sb.WriteString(" the base")
		}
		sb.WriteString(")")
	}
	if f, ok := shiftedNumber(p); ok {
		fmt.Fprintf(&sb, "; median %s %s (base %s)", f.Name,
			formatNumber(f.Kind, f.Numbers.P50), formatNumber(f.Kind, f.Reference.P50))
	}
	return sb.String()
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

func formatCount(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var sb strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

func formatPercent(x float64) string {
	switch {
	case x == 0:
		return "0%"
	case x < 0.001:
		return "<0.1%"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

func formatLift(x float64) string {
	if math.IsInf(x, 1) {
		return "∞"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// formatNumber prints a numeric field's value: a Time as a date, others rounded to at
// most two decimals.
func formatNumber(k segment.Kind, x float64) string {
	if k == segment.KindTime {
		return time.Unix(int64(math.Round(x)), 0).UTC().Format("2006-01-02")
	}
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}
