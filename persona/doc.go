// Package persona profiles segments of a customer base: what members share,
// what sets them apart, and which non-members look like them. Everything is
// computed in-process from the base's bitmaps and bit-sliced indexes, with a
// few bitmap operations per distinct value or bit plane, so every
// micro-segment of a large base can be profiled interactively.
//
// Describe returns a Profile of a segment's members against the whole base
// (or the set that Reference names): for every Cat, Set and Flag field the
// count, share, reference share, lift and z-score of each value (a Trait),
// and coverage; for every Int, Decimal and Time field the count, missing
// count, mean, min, max and quantiles P10 to P90 of the members and of the
// reference.
//
//	prof, err := persona.Describe(base, ids)
//	p := persona.New(prof)
//	fmt.Println(p.Summary)
//	// 1,023 customers (5.1% of the base): interest skincare (2.1× the base),
//	// gender f (1.9×), city Amsterdam (1.5×); median age 32 (base 47)
//
// New turns a profile into a Persona: the typical member (modal category,
// median number, top set values), the distinguishing traits ranked by lift
// with minimum support and significance, and a one-line summary. Compare
// lays personas side by side with the same traits in the same order; Diff
// shows which traits moved between two snapshots.
//
// Lookalike ranks the live non-members of a seed segment by a naive-Bayes
// score of their traits and returns the top n (LookalikeFraction: a fraction
// of the base); Evaluate holds out part of the seed and reports the recall of
// the held-out members and the lift over a random audience.
//
// Semantics worth knowing: members, seeds and references are intersected
// with base.Live() first, so removed customers and unknown IDs are ignored;
// a nil or empty segment gives a valid, empty profile. Shares divide by all
// members, so a value's share and its field's coverage are comparable.
// Everything is deterministic: the same base and segment give the same
// profile, persona and audience.
package persona
