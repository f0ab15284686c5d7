// Package segment holds typed customer fields, the immutable customer Base,
// predicates and their evaluation to roaring bitmaps of customer IDs.
//
// # Fields
//
// A field is a typed handle, declared once and shared by the code that
// writes customers and the code that asks questions:
//
//	var (
//		country = segment.NewCat[string]("country") // one value per customer
//		bought  = segment.NewSet[string]("bought")  // many values per customer
//		age     = segment.NewInt("age")             // int64, bit-sliced index
//		revenue = segment.NewDecimal("revenue", 2)  // fixed point: money
//		active  = segment.NewFlag("active")         // bool
//		seen    = segment.NewTime("last_seen")      // second resolution
//	)
//
// Money is best held in a Decimal field (exact fixed-point units of
// 10^-scale, with float64 bounds in predicates) or in an Int of minor units
// such as cents.
//
// # Bases
//
// A Builder collects customers under the caller's string keys and builds an
// immutable *Base; customers get dense uint32 IDs in insertion order.
//
//	b := segment.NewBuilder()
//	err := b.Add("c-1001", country.Value("NL"), age.Value(31), bought.Values("skincare"))
//	base, err := b.Build()
//
// A Base is safe for any number of concurrent readers. Changes go through a
// Batch (base.Batch(): Add, Set, Clear, Remove, then Apply), which returns a
// new Base sharing every bitmap it did not touch; the old Base stays valid.
// IDs are stable across snapshots: a customer keeps its ID, and a removed
// customer's ID is never given to another key.
//
// # Predicates and missing values
//
// Predicates are immutable values built from fields and combined with And,
// Or and Not:
//
//	young := segment.And(country.In("NL", "BE"), age.Between(25, 35), bought.Has("skincare"))
//	n := base.Count(young)  // counts without building the result where it can
//	ids := base.Eval(young) // a new *roaring.Bitmap the caller owns
//
// The semantics, applied everywhere: a predicate selects a set of live
// customers. A customer with no value for a field (missing is not zero) is
// outside every comparison on that field: a customer of unknown age is in
// neither age.Lt(30) nor age.Ge(30). Not(p) is the live customers minus p, so
// that customer is inside Not(age.Between(25, 35)); And it with age.Known()
// to exclude them. Ne (!=) is the exception that reads as it does in SQL:
// age.Ne(30) matches only customers that have an age other than 30. A
// predicate on a field the base does not have, or on a value no customer
// has, matches nobody; Missing on such a field matches every live customer.
//
// Decimal bounds are float64s read as the shortest decimal that converts
// back to them (spend.Ge(0.1) includes a stored 0.1) and compared with the
// stored units exactly, so spend.Ge(x) selects what the text "spend >= x"
// selects; infinite bounds are exact too (Ge(+Inf) matches nobody). A field
// method given a value no customer can be compared with (a NaN bound, a
// slice in a Cat[any]) never panics: it returns a predicate that matches
// nobody and whose Err says why; Movement, Transitions, Report, Split and
// CountCube return that error.
//
// # Evaluation and memory
//
// Eval, Count, AppendIDs and CountCube run a predicate one chunk of 65,536
// IDs at a time, every node of the predicate on the chunk before the next
// chunk, on one goroutine unless Parallel says otherwise. Within a chunk a
// conjunction starts from its smallest term (by an estimate made once per
// Pred; ranges are estimated from a sample) and runs the others from the
// cheapest per customer removed. While many customers remain, terms are
// combined 64 at a time as words; when few remain (a sparse first term, or
// after the first few terms), each further term tests them one by one: a
// bit of a bitmap, a search of a short list, a byte of a code column. Integer
// ranges compare the bit planes from the top (O'Neil–Quass), over the whole
// chunk while most words are undecided and then over the undecided words
// only. On amd64 the one-by-one tests and the steps on undecided words run
// in assembly; with AVX2 (detected once, from CPUID) the passes over whole
// chunks run four words per instruction; with AVX-512 they run eight, and a
// result's members are written as a list a word at a time. The purego build tag and
// other architectures use the same algorithm in Go.
//
// Memory: a Cat or Set value takes 2 bytes per customer who has it, or 1 bit
// per customer of the chunk where it is common (roaring containers); an Int,
// Decimal, Time or Flag field one bit per customer per bit of its value range
// (a Flag one bit). An Int whose values span 65 to 255 (7 or 8 bit planes,
// such as an age) also keeps one byte per customer, so that a range tests a
// candidate with one read. A bit plane with 1,025 to 4,096 customers in a
// chunk keeps an 8 KiB dense copy of that chunk beside its list, so that the
// range passes read it as words; so does a Cat or Set value's list of more
// than 1,024 customers in a chunk, made on the first query that reads it
// and kept (about 2.8 bytes per customer at 5M after queries of every
// selectivity; Base.Size reports it). Counting a Pred again allocates
// nothing.
//
// # Grouping and analytics
//
// Split cuts a macro segment into micro-segments, and Base.CountCube counts
// every cell of a cross product; both take the same dimensions (Dim: By a
// Cat, Set or Flag field's values, Bands or WidthBands of an Int,
// DecimalBands, TimeBands, each optionally WithMissing) and label cells the
// same way ("NL", "25-34", "(missing)"). Overlap, Movement, Transitions
// and Report compare segments and snapshots. The aggregates ValueCounts,
// KnownCount, NumberStats and Values take a Field handle, as predicates
// do; Cat.Counts and Set.Counts return typed values. Quality says per field
// how complete the base is and flags what a person would question, with
// counts and example keys: numbers far from the median by the median
// absolute deviation, rare categories, times outside a plausible window,
// and last-seen times past a max age.
//
// # Text form and snapshots
//
// Every predicate prints as text that Parse reads back, so a segment
// definition can be stored, reviewed and sent to another process:
//
//	p, err := segment.Parse(`country in ("NL", "BE") and age between 25 and 35`, base)
//
// Parse checks field names and value types against a *Base or a schema made
// with NewSchema, and reports errors by line and column (*ParseError).
// base.WriteTo writes a versioned, checksummed snapshot to an io.Writer and
// ReadBase reads it back, rejecting corrupt input with ErrBadSnapshot;
// OpenBase opens one in place over bytes the caller mapped, reading its
// bitmaps and keys where they lie (the bytes must then stay unchanged).
// WriteSegment writes a segment in the portable roaring format that CRoaring,
// Java RoaringBitmap, ClickHouse and PostgreSQL's roaringbitmap read, with
// its id,key mapping.
//
// # Shards
//
// Past one machine, each service instance holds the Base of one shard of
// the customers (ShardOf routes a key to a shard). A Shard places a base's
// IDs in a global ID space of fixed-width ranges: Shard.Global and
// Shard.Local translate member sets, which merge by a union. The other
// answers merge too, exactly: counts add, MergeCubes aligns cubes by
// label, MergeSplits adds split cells and then applies MinSize and
// MaxSegments, MergeValueCounts adds value counts, MergeReports,
// MergeOverlaps and MergeTransitions add up their tables, and
// MergeNumberSketches merges NumberSketches, whose quantiles are within a
// stated rank error.
// benchmarks/README-scale.md follows one question through a fleet.
//
// # Standing segments
//
// NewStanding keeps named segments current over a base: Standing.Apply
// applies a batch, advances to the new base and returns, per segment, the
// customers who entered and exited (what Movement would report), testing
// only the customers the batch added, removed or changed a field of that
// the segment reads. A Window is a segment relative to an as-of time
// ("ordered in the last 30 days", or with Outside, not): Standing.Advance
// moves the as-of time and reports who crossed a window's edge, found
// through an index of the field by time. History keeps sizes and flows per
// step. A Standing is for one goroutine; the bases it hands out are, like
// every Base, for any number of readers.
//
// # Errors
//
// Bad input never panics. Errors about a customer come as an *InputError
// naming the operation, key, field and value: Add, Set, Clear and Remove,
// Build and FromColumns. Errors about an argument (a dimension, an option, a
// predicate's bound) come as an *ArgError naming the call, field and value,
// which wraps ErrInvalidArgument. Both wrap a sentinel (ErrEmptyKey,
// ErrDuplicateKey, ErrUnknownKey, ErrKindConflict, ErrDuplicateField,
// ErrOutOfRange, ErrInvalidValue) for errors.Is; packages persona and score
// return the same ErrInvalidArgument and ErrUnknownKey. A rejected call
// changes nothing.
//
// # Options
//
// Options are values of small sealed interfaces, one per family of calls,
// so that the compiler accepts only options that mean something to a call:
// Split takes SplitOptions (MinSize, MaxSegments, RankByValue, SumOf),
// Report ReportOptions (SumOf), Eval and Count EvalOptions (Parallel),
// Quality QualityOptions (MaxAge, DateRange, OutlierZ, RareBelow,
// MaxExamples).
// Packages persona and score follow the same style.
package segment
