package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/fabeed28/microseg/score"
)

// weekly turns the cumulative tracking points of Holdout.Track, taken
// every step, into purchases per step: actual and expected repeat
// purchases in each step. A last step shorter than the others (Track ends
// at the end of the holdout period) is left out.
func weekly(track []score.TrackPoint, step float64) (actual, expected []float64, holdoutFrom int) {
	if n := len(track); n > 1 && track[n-1].Time-track[n-2].Time < step-1e-9 {
		track = track[:n-1]
	}
	holdoutFrom = len(track)
	var pa, pe float64
	for i, p := range track {
		actual = append(actual, p.Actual-pa)
		expected = append(expected, p.Expected-pe)
		pa, pe = p.Actual, p.Expected
		if p.Holdout && holdoutFrom == len(track) {
			holdoutFrom = i
		}
	}
	return actual, expected, holdoutFrom
}

// asciiChart draws actual (*) and expected (o) weekly purchases, one
// column a week, height rows high; '#' marks where both fall on one row,
// '|' the start of the holdout period.
func asciiChart(w io.Writer, actual, expected []float64, holdoutFrom, height int) {
	top := 0.0
	for i := range actual {
		top = max(top, actual[i], expected[i])
	}
	row := func(v float64) int { return int(math.Round(v / top * float64(height-1))) }
	for r := height - 1; r >= 0; r-- {
		var b strings.Builder
		fmt.Fprintf(&b, "%6.0f ", top*float64(r)/float64(height-1))
		for i := range actual {
			a, e := row(actual[i]) == r, row(expected[i]) == r
			switch {
			case a && e:
				b.WriteByte('#')
			case a:
				b.WriteByte('*')
			case e:
				b.WriteByte('o')
			case i == holdoutFrom:
				b.WriteByte('|')
			default:
				b.WriteByte(' ')
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintf(w, "       %s\n", strings.Repeat("-", len(actual)))
	fmt.Fprintf(w, "       week 1%*s\n", len(actual)-6, fmt.Sprintf("week %d", len(actual)))
	fmt.Fprintln(w, "       * actual   o expected (BG/NBD fitted on the calibration weeks)   # both   | holdout starts")
}

// svgChart writes the same chart as an SVG document: two polylines and a
// line where the holdout period starts.
func svgChart(w io.Writer, actual, expected []float64, holdoutFrom int, title string) error {
	const width, height, pad = 720.0, 320.0, 40.0
	top := 0.0
	for i := range actual {
		top = max(top, actual[i], expected[i])
	}
	x := func(i int) float64 { return pad + float64(i)*(width-2*pad)/float64(max(len(actual)-1, 1)) }
	y := func(v float64) float64 { return height - pad - v/top*(height-2*pad) }
	line := func(vs []float64) string {
		var b strings.Builder
		for i, v := range vs {
			fmt.Fprintf(&b, "%.1f,%.1f ", x(i), y(v))
		}
		return strings.TrimSpace(b.String())
	}
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">
<rect width="100%%" height="100%%" fill="white"/>
<text x="%.0f" y="20">%s</text>
<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>
<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>
<text x="%.1f" y="%.1f">%.0f</text>
<text x="%.1f" y="%.1f" text-anchor="end">week %d</text>
<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="gray" stroke-dasharray="4 4"/>
<text x="%.1f" y="%.1f" fill="gray">holdout →</text>
<polyline points="%s" fill="none" stroke="black" stroke-width="1.5"/>
<polyline points="%s" fill="none" stroke="tomato" stroke-width="1.5" stroke-dasharray="6 3"/>
<text x="%.1f" y="%.1f">actual</text>
<text x="%.1f" y="%.1f" fill="tomato">expected (BG/NBD)</text>
</svg>
`, width, height, pad, title,
		pad, height-pad, width-pad, height-pad, // x axis
		pad, pad, pad, height-pad, // y axis
		4.0, y(top)+4, top,
		width-pad, height-pad+16, len(actual),
		x(holdoutFrom), pad, x(holdoutFrom), height-pad,
		x(holdoutFrom)+4, height-pad-6,
		line(actual), line(expected),
		pad+10, pad+12, pad+10, pad+28)
	return err
}
