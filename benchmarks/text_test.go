package benchmarks

import (
	"testing"

	"github.com/fabeed28/microseg/segment"
)

// TestQueryText checks that every query's String, the definition the
// README and cmd/compare print, is microseg's text form: segment.Parse
// reads it against the built base and it selects the oracle's members.
func TestQueryText(t *testing.T) {
	d := Generate(testN)
	qs := Queries(d)
	ref := Reference(d, qs)
	e := &Microseg{}
	if err := e.Build(d); err != nil {
		t.Fatal(err)
	}
	for i := range qs {
		q := &qs[i]
		p, err := segment.Parse(q.String(), e.base)
		if err != nil {
			t.Fatalf("%s: Parse(%q): %v", q.Name, q.String(), err)
		}
		if got, want := e.base.Count(p), uint64(len(ref.Members[q.Name])); got != want {
			t.Errorf("%s: %q selects %d, want %d", q.Name, q.String(), got, want)
		}
	}
}
