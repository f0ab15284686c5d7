package score_test

import (
	"math"
	"testing"

	"github.com/fabeed28/microseg/score"
)

func TestFitBGNBDCDNOW(t *testing.T) {
	s := cdnowSummaries(t)
	m, err := score.FitBGNBD(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("BG/NBD on CDNOW: %+v", m)
	// Published: Fader, Hardie and Lee (2005).
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"R", m.R, 0.243}, {"Alpha", m.Alpha, 4.414}, {"A", m.A, 0.793}, {"B", m.B, 2.426},
	} {
		if math.Abs(c.got-c.want) > 0.005 {
			t.Errorf("%s = %.4f, want %.3f within 0.005", c.name, c.got, c.want)
		}
	}
	ll, err := m.LogLikelihood(s)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ll-(-9582.4)) > 0.1 {
		t.Errorf("LogLikelihood = %.2f, want -9582.4", ll)
	}
}
