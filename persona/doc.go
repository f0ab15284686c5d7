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
// reference, and a Trait for the range of values where the members
// over-index most ("spending score 70-99"), so that a segment defined by a
// number has a character too.
//
//	prof, err := persona.Describe(base, ids)
//	p := persona.New(prof)
//	fmt.Println(p.Summary)
//	// 1,023 customers (5.1% of the base): age 25-34 (3.0× the base),
//	// interest skincare (2.1×) and gender f (1.9×); median age 32 against 47 for the base
//
// New turns a profile into a Persona: the typical member (modal category,
// median number, top set values), the distinguishing traits ranked by lift
// with minimum support and significance, and a one-line summary. Compare
// lays personas side by side with the same traits in the same order; Diff
// shows which traits moved between two snapshots.
//
// The summary is written for people: a field's name with its underscores as
// spaces, then the value or range; numbers at the field's scale (an Int as
// an integer, a Decimal with its decimal places, a Time as a date); the
// reference named as ReferenceName says ("2.6× non-acceptors"), "the base"
// only for the whole base. Phrase and PhraseValue word traits as a marketer
// would: "women (1.9× the base), aged 25-34 (3.0×) and in Amsterdam (2.5×)".
//
// Lookalike ranks the live non-members of a seed segment by a naive-Bayes
// score of their traits (values, and quantile bands of numbers with whole
// edges) and returns the top n (LookalikeFraction: a fraction of the base);
// Weights shows each trait's weight; Evaluate holds out part of the seed and
// reports the recall of the held-out members and the lift over a random
// audience.
//
// Semantics worth knowing: members, seeds and references are intersected
// with base.Live() first, so removed customers and unknown IDs are ignored;
// a nil or empty segment gives a valid, empty profile. Shares divide by all
// members, so a value's share and its field's coverage are comparable. A
// Profile is plain data (compare it with cmp.Diff as it is). Everything is
// deterministic: the same base and segment give the same profile, persona
// and audience.
//
// Across shards (service instances that each hold a base of some of the
// customers), DescribeParts gives a shard's profile as counts and number
// sketches, MergeParts adds the shards' parts, and Parts.Profile makes the
// profile of all the members: what Describe makes of one base, with
// quantiles within the sketches' rank error and without numeric range
// traits.
package persona
