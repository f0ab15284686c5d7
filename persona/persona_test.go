package persona

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/fabeed28/microseg/segment"
	"github.com/google/go-cmp/cmp"
)

func fansPersona(t *testing.T, seed uint64, opts ...PersonaOption) (*segment.Base, *roaring.Bitmap, *Persona) {
	t.Helper()
	base, _, fans := testBase(rand.New(rand.NewPCG(seed, 1)), 20000, 0.05, 0)
	ids := roaring.BitmapOf(fans...)
	p, err := Describe(base, ids)
	if err != nil {
		t.Fatal(err)
	}
	return base, ids, New(p, opts...)
}

func TestPersonaOfPlantedFans(t *testing.T) {
	_, _, ps := fansPersona(t, 7)
	var got []string
	for _, tr := range ps.Distinguishing {
		got = append(got, tr.Field+"="+tr.Value)
	}
	for _, want := range []string{"interest=skincare", "gender=f", "city=Amsterdam"} {
		if !strings.Contains(strings.Join(got, " "), want) {
			t.Errorf("distinguishing traits %v lack %s", got, want)
		}
	}
	for i := 1; i < len(ps.Distinguishing); i++ {
		if ps.Distinguishing[i].Lift > ps.Distinguishing[i-1].Lift {
			t.Fatalf("traits not ranked by lift: %v", got)
		}
	}
	for _, tr := range ps.Distinguishing {
		if tr.Count < 10 || tr.Share < 0.05 || tr.Z < 3 || tr.Lift < 1.2 {
			t.Fatalf("trait below the default thresholds: %+v", tr)
		}
	}
	want := "1,023 customers (5.1% of the base): age 25-34 (3.0× the base), interest skincare (2.1×) and gender f (1.9×); median age 32 against 47 for the base"
	if ps.Summary != want {
		t.Errorf("Summary:\n got %s\nwant %s", ps.Summary, want)
	}
	typ := map[string]string{}
	for _, ty := range ps.Typical {
		typ[ty.Field] = ty.Value
	}
	if typ["gender"] != "f" || typ["city"] != "Amsterdam" || !strings.HasPrefix(typ["interest"], "skincare") {
		t.Errorf("typical member %v", typ)
	}
}

func TestPersonaDeterministic(t *testing.T) {
	// Two bases built from the same data give the same persona byte for byte.
	_, _, a := fansPersona(t, 9)
	_, _, b := fansPersona(t, 9)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("personas differ (-first +second):\n%s", diff)
	}
	if a.Summary != b.Summary {
		t.Fatalf("summaries differ:\n%s\n%s", a.Summary, b.Summary)
	}
}

func TestCompareAlignsTraits(t *testing.T) {
	base, fans, ps := fansPersona(t, 11)
	others := base.Live()
	others.AndNot(fans)
	op, err := Describe(base, base.Eval(fGender.Eq("m")))
	if err != nil {
		t.Fatal(err)
	}
	men := New(op)
	c := Compare(ps, men)
	if len(c.Columns) != 2 || len(c.Columns[0]) != len(c.Traits) || len(c.Columns[1]) != len(c.Traits) {
		t.Fatalf("comparison shape: %d traits, columns %d", len(c.Traits), len(c.Columns))
	}
	for i, col := range c.Columns {
		for j, tr := range col {
			if tr.Field != c.Traits[j].Field || tr.Value != c.Traits[j].Value {
				t.Fatalf("column %d row %d is %s=%s, want %v", i, j, tr.Field, tr.Value, c.Traits[j])
			}
		}
	}
	// Every distinguishing trait of either persona is a row.
	rows := map[TraitKey]bool{}
	for _, k := range c.Traits {
		rows[k] = true
	}
	for _, p := range []*Persona{ps, men} {
		for _, tr := range p.Distinguishing {
			if !rows[TraitKey{tr.Field, tr.Value}] {
				t.Fatalf("trait %s=%s missing from the comparison", tr.Field, tr.Value)
			}
		}
	}
	if c2 := Compare(ps, men); !cmp.Equal(c, c2) {
		t.Fatal("Compare not deterministic")
	}
}

func TestDiffShowsMovedTraits(t *testing.T) {
	base, fans, before := fansPersona(t, 13)
	// Next snapshot: a fifth of the fans move to Berlin.
	batch := base.Batch()
	for i, key := range base.AppendKeys(nil, fans) {
		if i%5 == 0 {
			if err := batch.Set(key, fCity.Value("Berlin")); err != nil {
				t.Fatal(err)
			}
		}
	}
	next, err := batch.Apply()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Describe(next, fans)
	if err != nil {
		t.Fatal(err)
	}
	changes := Diff(before, New(p))
	top := map[string]bool{}
	for _, c := range changes[:2] {
		top[c.Field+"="+c.Value] = true
	}
	if !top["city=Berlin"] || !top["city=Amsterdam"] {
		t.Fatalf("top moves %+v, want city=Berlin and city=Amsterdam", changes[:2])
	}
	for _, c := range changes {
		if c.Field == "city" && c.Value == "Berlin" && c.ShareDelta <= 0.1 {
			t.Fatalf("Berlin share moved by %g", c.ShareDelta)
		}
		if c.Field == "gender" && c.ShareDelta != 0 {
			t.Fatalf("gender moved: %+v", c)
		}
	}
}

// TestSummaryNamesReference: the summary names the reference it compares
// with, in the lift and in the median, and says "the base" only for the
// whole base (issue 18: a reference set other than the base still read
// "× the base" and quoted the reference's median as the base's).
func TestSummaryNamesReference(t *testing.T) {
	base, _, fans := testBase(rand.New(rand.NewPCG(21, 1)), 20000, 0.05, 0)
	ids := roaring.BitmapOf(fans...)
	others := base.Live()
	others.AndNot(ids)
	named, err := NewBaseline(base, Reference(others), ReferenceName("non-fans"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		opts []DescribeOption
		ref  string
	}{
		{"whole base", nil, "the base"},
		{"unnamed reference", []DescribeOption{Reference(others)}, "the reference"},
		{"named reference", []DescribeOption{Reference(others), ReferenceName("non-fans")}, "non-fans"},
		{"named whole base", []DescribeOption{ReferenceName("all customers")}, "all customers"},
		{"named baseline", []DescribeOption{Against(named), ReferenceName("ignored")}, "non-fans"},
	} {
		prof, err := Describe(base, ids, tt.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if prof.ReferenceName != tt.ref {
			t.Errorf("%s: ReferenceName %q, want %q", tt.name, prof.ReferenceName, tt.ref)
		}
		s := New(prof).Summary
		if !strings.Contains(s, "× "+tt.ref+")") {
			t.Errorf("%s: summary %q does not name %q in the lift", tt.name, s, tt.ref)
		}
		median := strings.Contains(s, "; median ")
		if median && !strings.HasSuffix(s, " for "+tt.ref) {
			t.Errorf("%s: summary %q does not name %q in the median", tt.name, s, tt.ref)
		}
		// "the base" for the size, and for the base as the reference.
		want := 1
		if tt.ref == "the base" {
			want = 2
			if median {
				want = 3
			}
		}
		if n := strings.Count(s, "the base"); n != want {
			t.Errorf("%s: summary %q says \"the base\" %d times, want %d", tt.name, s, n, want)
		}
	}
}

// TestSummaryWording: the summary's traits in default words, in Phrase and
// PhraseValue words, one field's traits together, and on a hand-made
// profile.
func TestSummaryWording(t *testing.T) {
	trait := func(field, value string, raw any, lift float64) Trait {
		return Trait{Field: field, Value: value, Raw: raw, Count: 50, Share: 0.5, Lift: lift, Z: 10}
	}
	prof := &Profile{Size: 100, BaseSize: 1000, Share: 0.1, ReferenceSize: 1000, ReferenceName: "the base",
		Traits: []Trait{
			trait("accepted", "campaign 2", "campaign 2", 11.4),
			trait("spending_score", "70-99", Range{70, 99}, 3.7),
			trait("accepted", "campaign 5", "campaign 5", 7.4),
			trait("complained", "false", false, 1.5),
			trait("gender", "f", "f", 1.3),
		}}
	for _, tt := range []struct {
		name string
		prof *Profile
		opts []PersonaOption
		want string
	}{
		{"default words", prof, nil,
			"100 customers (10.0% of the base): accepted campaign 2 (11.4× the base), campaign 5 (7.4×) and spending score 70-99 (3.7×)"},
		{"phrases", prof, []PersonaOption{Phrase(segment.NewSet[string]("accepted"), "who accepted %s"), Phrase(segment.NewInt("spending_score"), "scoring %s")},
			"100 customers (10.0% of the base): who accepted campaign 2 (11.4× the base), who accepted campaign 5 (7.4×) and scoring 70-99 (3.7×)"},
		{"value words win", prof, []PersonaOption{Phrase(segment.NewSet[string]("accepted"), "who accepted %s"), PhraseValue(segment.NewSet[string]("accepted"), "campaign 2", "who took the spring offer")},
			"100 customers (10.0% of the base): who took the spring offer (11.4× the base), who accepted campaign 5 (7.4×) and spending score 70-99 (3.7×)"},
		{"more traits, top three", prof, []PersonaOption{MaxTraits(-1), MinLift(1)},
			"100 customers (10.0% of the base): accepted campaign 2 (11.4× the base), campaign 5 (7.4×) and spending score 70-99 (3.7×)"},
		{"flag words", &Profile{Size: 100, BaseSize: 1000, Share: 0.1, Traits: []Trait{trait("complained", "false", false, 1.5), trait("active", "true", true, 1.4)}}, nil,
			"100 customers (10.0% of the base): not complained (1.5× the reference) and active (1.4×)"},
		{"no trait", &Profile{Size: 100, BaseSize: 1000, Share: 0.1}, nil,
			"100 customers (10.0% of the base) with no distinguishing trait"},
		{"nil options", prof, []PersonaOption{nil, Phrase(nil, "x %s"), PhraseValue(nil, "f", "y")},
			"100 customers (10.0% of the base): accepted campaign 2 (11.4× the base), campaign 5 (7.4×) and spending score 70-99 (3.7×)"},
	} {
		if got := New(tt.prof, tt.opts...).Summary; got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
	// An option value is reusable: a later Phrase does not change an
	// earlier persona's options.
	a := PhraseValue(segment.NewCat[string]("gender"), "f", "women")
	b := PhraseValue(segment.NewCat[string]("gender"), "m", "men")
	o1 := personaOptions([]PersonaOption{a})
	_ = personaOptions([]PersonaOption{a, b})
	if diff := cmp.Diff(map[string]map[string]string{"gender": {"f": "women"}}, o1.valueWord); diff != "" {
		t.Errorf("options shared state (-want +got):\n%s", diff)
	}
}
