// Package benchmarks compares microseg with other predicate engines on the
// same synthetic customer base: a loop over row structs, a columnar scan,
// dense bitsets, roaring bitmaps, sroar, SQLite and (behind the duckdb build
// tag) DuckDB. Engines implement Engine; Generate, Queries and Reference give
// the data, the five queries and their answers; cmd/compare times them.
//
// The sweeps of issue 14 vary what users vary: GenerateSweep builds data in
// which every swept term matches a chosen share of the base, SweepPoints the
// queries, SweepEngines the row loop, dense bitsets and microseg (tuned,
// plain, loaded with Builder.Add), and SweepRunner times them interleaved
// (Interleave); MeasureLoad and MeasureScale time loading and growing N;
// Chart draws the results as SVG. cmd/sweep runs them all. See README.md.
//
// It is a separate module so that the engines it measures never enter the
// library's go.sum.
package benchmarks
