// Package microseg is an embeddable library for customer micro-segmentation.
// A Go service hands it its customers, already in memory, and gets back
// segments as roaring bitmaps of customer IDs, value scores for every
// customer, and personas that say what a segment's members have in common.
// No I/O is built in: no files, network, clock or global state.
//
// The tour:
//
//   - [github.com/fabeed28/microseg/segment]: typed fields (Cat, Set, Int,
//     Decimal, Flag, Time), the immutable customer Base with copy-on-write
//     batches, and predicates composed with And, Or and Not that evaluate to
//     bitmaps. Start here.
//   - [github.com/fabeed28/microseg/score]: customer value from transactions:
//     RFM, historical value, and predicted value with BG/NBD and Gamma-Gamma,
//     attached back to a base as fields.
//   - [github.com/fabeed28/microseg/persona]: profiles, personas and
//     look-alike audiences of a segment.
//
// A segment in five lines:
//
//	country, age := segment.NewCat[string]("country"), segment.NewInt("age")
//	b := segment.NewBuilder()
//	b.Add("c-1001", country.Value("NL"), age.Value(31))
//	base, _ := b.Build()
//	ids := base.Eval(segment.And(country.In("NL", "BE"), age.Between(25, 35)))
//
// The example programs under examples/ run with go run, for instance
// go run ./examples/quickstart.
package microseg
