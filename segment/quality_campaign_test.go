package segment

import (
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabeed28/microseg/internal/realdata"
	gocmp "github.com/google/go-cmp/cmp"
)

// loadCampaign reads the Customer Personality Analysis table
// (marketing_campaign.csv: semicolon-separated, a UTF-8 BOM, CRLF) into a
// base as a user would: categories as Cat[string], numbers as Int (the
// birth year too), the signup date as a Time, 0/1 answers as Flags. An
// empty cell is a missing value.
func loadCampaign(t *testing.T) *Base {
	t.Helper()
	f, err := os.Open(realdata.Path(t, "marketing_campaign.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.Comma = ';'
	head, err := rd.Read()
	if err != nil {
		t.Fatal(err)
	}
	head[0] = strings.TrimPrefix(head[0], "\ufeff")
	b := NewBuilder()
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var key string
		var vs []Value
		for i, cell := range rec {
			name := head[i]
			switch {
			case cell == "":
				continue
			case name == "ID":
				key = cell
				continue
			case name == "Education", name == "Marital_Status":
				vs = append(vs, NewCat[string](name).Value(cell))
				continue
			case name == "Dt_Customer":
				d, err := time.Parse(time.DateOnly, cell)
				if err != nil {
					d, err = time.Parse("02-01-2006", cell) // another published copy's format
				}
				if err != nil {
					t.Fatalf("line %d: %s: %v", line, name, err)
				}
				vs = append(vs, NewTime(name).Value(d))
				continue
			}
			n, err := strconv.ParseInt(cell, 10, 64)
			if err != nil {
				t.Fatalf("line %d: %s: %v", line, name, err)
			}
			if strings.HasPrefix(name, "AcceptedCmp") || name == "Complain" || name == "Response" {
				vs = append(vs, NewFlag(name).Value(n == 1))
			} else {
				vs = append(vs, NewInt(name).Value(n))
			}
		}
		if err := b.Add(key, vs...); err != nil {
			t.Fatal(err)
		}
	}
	base, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// TestQualityCampaign checks that the dirty values a person sees at once in
// the campaign table are flagged (birth years 1893, 1899 and 1900; an
// income of 666,666; marital statuses "YOLO", "Absurd" and "Alone") and
// that the signup dates are not: they are neither implausible nor, since
// no option says they age, outdated.
func TestQualityCampaign(t *testing.T) {
	base := loadCampaign(t)
	if base.Len() != 2240 {
		t.Fatalf("loaded %d customers, want 2240", base.Len())
	}
	asOf := time.Date(2014, 12, 31, 0, 0, 0, 0, time.UTC) // after the last signup, 2014-06-29
	report, err := Quality(base, asOf)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]FieldQuality{}
	for _, q := range report {
		byName[q.Name] = q
		for _, f := range q.Findings {
			t.Logf("%s: %s, %d (%.1f%%): %s; e.g. %v", q.Name, f.Kind, f.Count, 100*f.Share, f.Rule, f.Examples)
		}
	}
	type flagged struct {
		Kind     FindingKind
		Value    any
		Count    uint64
		Examples []Flagged
	}
	summary := func(name string, keep func(Finding) bool) []flagged {
		var out []flagged
		for _, f := range byName[name].Findings {
			if keep(f) {
				out = append(out, flagged{f.Kind, f.Value, f.Count, f.Examples})
			}
		}
		return out
	}
	all := func(Finding) bool { return true }
	below := func(f Finding) bool { return strings.Contains(f.Rule, ": below ") }
	tests := []struct {
		field string
		keep  func(Finding) bool
		want  []flagged
	}{
		{"Year_Birth", all, []flagged{{FindingOutlier, nil, 3,
			[]Flagged{{"11004", int64(1893)}, {"1150", int64(1899)}, {"7829", int64(1900)}}}}},
		// Incomes of about 155,000 to 162,000 are past the cut-off too (the
		// modified z-score of 162,397 is 4.5); 666,666 comes first.
		{"Income", all, []flagged{{FindingOutlier, nil, 8,
			[]Flagged{{"9432", int64(666666)}, {"1503", int64(162397)}, {"1501", int64(160803)}}}}},
		{"Income", below, nil},
		{"Marital_Status", all, []flagged{
			{FindingRare, "Absurd", 2, []Flagged{{"7734", "Absurd"}, {"4369", "Absurd"}}},
			{FindingRare, "YOLO", 2, []Flagged{{"492", "YOLO"}, {"11133", "YOLO"}}},
			{FindingRare, "Alone", 3, []Flagged{{"433", "Alone"}, {"7660", "Alone"}, {"92", "Alone"}}},
		}},
		{"Education", all, nil},
		{"Dt_Customer", all, nil},
		{"Recency", all, nil},
		{"Kidhome", all, nil}, // a MAD of 0: most customers have no child at home
	}
	for _, tt := range tests {
		if diff := gocmp.Diff(tt.want, summary(tt.field, tt.keep)); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", tt.field, diff)
		}
	}
	if q := byName["Dt_Customer"]; q.Outdated != 0 || q.Known != 2240 {
		t.Errorf("Dt_Customer: %d known, %d outdated; want 2240 and 0", q.Known, q.Outdated)
	}
	if q := byName["Income"]; q.Missing != 24 {
		t.Errorf("Income: %d missing, want 24", q.Missing)
	}

	// Read in 2026, every signup is over 12 years old, and still not
	// outdated: no MaxAge names the field as a last-seen time.
	report, err = Quality(base, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range report {
		if q.Name == "Dt_Customer" && (q.Outdated != 0 || len(q.Findings) != 0) {
			t.Errorf("Dt_Customer in 2026: %d outdated, findings %v; want none", q.Outdated, q.Findings)
		}
	}
}
