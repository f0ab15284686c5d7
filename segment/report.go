package segment

import "fmt"

// ReportTable says how big and how valuable each of a list of segments
// is: the evidence for which segments are worth a campaign.
type ReportTable struct {
	// Base is the number of live customers.
	Base uint64
	// Total is the sum of the SumOf field over the whole base, 0 without
	// SumOf.
	Total float64
	// Rows holds one row per segment, in the order given.
	Rows []ReportRow
}

// ReportRow is one segment of a ReportTable.
type ReportRow struct {
	Name  string
	Count uint64  // members
	Share float64 // Count / Base: the segment's share of the base, 0 to 1
	// Sum, ValueShare and PerMember are 0 without SumOf.
	Sum        float64 // the SumOf field summed over the members
	ValueShare float64 // Sum / Total: the segment's share of the value
	PerMember  float64 // Sum / Count: members without a value count as 0
}

// Report measures each named segment: its size and share of the base and,
// with SumOf, the value it holds. Options other than SumOf are ignored.
// Segments may overlap; each is measured on its own. Report returns an
// *ArgError when the SumOf field is not an int, decimal or flag field, and
// the Err of the first segment built from an invalid value.
func Report(b *Base, segs []Named, opts ...ReportOption) (*ReportTable, error) {
	for i, s := range segs {
		if err := s.Pred.Err(); err != nil {
			return nil, fmt.Errorf("segment: Report: %s: %w", segName(i, s.Name), err)
		}
	}
	o := makeReportOptions(opts)
	score, err := b.scoreColumn("Report", o.sumOf)
	if err != nil {
		return nil, err
	}
	r := &ReportTable{Base: b.live.GetCardinality(), Rows: make([]ReportRow, len(segs))}
	if score != nil {
		r.Total = score.sum(b.live)
	}
	for i, s := range segs {
		row := ReportRow{Name: s.Name}
		if score != nil {
			ids := b.Eval(s.Pred)
			row.Count = ids.GetCardinality()
			row.Sum = score.sum(ids)
		} else {
			row.Count = b.Count(s.Pred)
		}
		row.Share = ratio(float64(row.Count), float64(r.Base))
		row.ValueShare = ratio(row.Sum, r.Total)
		row.PerMember = ratio(row.Sum, float64(row.Count))
		r.Rows[i] = row
	}
	return r, nil
}

// ratio returns a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// segName names segment i of a call's segments in an error message:
// `segs[2] "lapsing"`, or `segs[2]` when it has no name.
func segName(i int, name string) string {
	if name == "" {
		return fmt.Sprintf("segs[%d]", i)
	}
	return fmt.Sprintf("segs[%d] %q", i, name)
}
