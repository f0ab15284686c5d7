package benchmarks

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Series is one line of a Chart.
type Series struct {
	Name  string
	Color string // an SVG color
	Dash  string // an SVG stroke-dasharray, "" for a solid line
	X, Y  []float64
}

// Chart is a line chart drawn as hand-written SVG: log or linear axes, one
// line per series, a legend on the right.
type Chart struct {
	Title, XLabel, YLabel string
	XLog, YLog            bool
	XTick, YTick          func(float64) string // tick labels; nil prints %g
	Series                []Series
	// HLine draws a dashed horizontal reference line at this y when not 0.
	HLine      float64
	HLineLabel string
}

// Chart geometry, in SVG user units.
const (
	chartW, chartH                       = 860, 460
	padLeft, padRight, padTop, padBottom = 80, 250, 48, 56
)

// SVG returns the chart as a standalone SVG document.
func (c *Chart) SVG() string {
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for i := range s.X {
			if c.YLog && s.Y[i] <= 0 || c.XLog && s.X[i] <= 0 {
				continue
			}
			xlo, xhi = math.Min(xlo, s.X[i]), math.Max(xhi, s.X[i])
			ylo, yhi = math.Min(ylo, s.Y[i]), math.Max(yhi, s.Y[i])
		}
	}
	if c.HLine != 0 {
		ylo, yhi = math.Min(ylo, c.HLine), math.Max(yhi, c.HLine)
	}
	if xlo > xhi { // no points
		xlo, xhi, ylo, yhi = 1, 10, 1, 10
	}
	xa := newAxis(xlo, xhi, c.XLog)
	ya := newAxis(ylo, yhi, c.YLog)
	pw, ph := float64(chartW-padLeft-padRight), float64(chartH-padTop-padBottom)
	px := func(x float64) float64 { return padLeft + xa.pos(x)*pw }
	py := func(y float64) float64 { return padTop + (1-ya.pos(y))*ph }
	label := func(f func(float64) string, v float64) string {
		if f != nil {
			return f(v)
		}
		return fmt.Sprintf("%g", v)
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", chartW, chartH, chartW, chartH)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", chartW, chartH)
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15" font-weight="bold">%s</text>`+"\n", padLeft, html.EscapeString(c.Title))
	// Grid and ticks.
	for _, t := range xa.ticks() {
		x := px(t)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e4e4e4"/>`+"\n", x, padTop, x, chartH-padBottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x, chartH-padBottom+16, html.EscapeString(label(c.XTick, t)))
	}
	for _, t := range ya.ticks() {
		y := py(t)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e4e4e4"/>`+"\n", padLeft, y, chartW-padRight, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", padLeft-6, y+4, html.EscapeString(label(c.YTick, t)))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.0f" height="%.0f" fill="none" stroke="#444"/>`+"\n", padLeft, padTop, pw, ph)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", padLeft+pw/2, chartH-12, html.EscapeString(c.XLabel))
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", padTop+ph/2, html.EscapeString(c.YLabel))
	if c.HLine != 0 {
		y := py(c.HLine)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#b00" stroke-dasharray="2 3"/>`+"\n", padLeft, y, chartW-padRight, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" fill="#b00" font-size="11">%s</text>`+"\n", padLeft+4, y-4, html.EscapeString(c.HLineLabel))
	}
	// Lines.
	for _, s := range c.Series {
		var pts []string
		for i := range s.X {
			if c.YLog && s.Y[i] <= 0 || c.XLog && s.X[i] <= 0 {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(s.X[i]), py(s.Y[i])))
		}
		dash := ""
		if s.Dash != "" {
			dash = fmt.Sprintf(` stroke-dasharray="%s"`, s.Dash)
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), s.Color, dash)
		for _, p := range pts {
			xy := strings.Split(p, ",")
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="2.5" fill="%s"/>`+"\n", xy[0], xy[1], s.Color)
		}
	}
	// Legend.
	lx := chartW - padRight + 16
	for i, s := range c.Series {
		y := padTop + 8 + i*18
		dash := ""
		if s.Dash != "" {
			dash = fmt.Sprintf(` stroke-dasharray="%s"`, s.Dash)
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`+"\n", lx, y, lx+28, y, s.Color, dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", lx+34, y+4, html.EscapeString(s.Name))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// axis maps values to [0, 1].
type axis struct {
	lo, hi float64
	log    bool
}

func newAxis(lo, hi float64, log bool) axis {
	if log {
		lo, hi = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
		if lo == hi {
			hi = lo * 10
		}
		return axis{lo, hi, true}
	}
	step := niceStep((hi - lo) / 5)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if lo == hi {
		hi = lo + step
	}
	return axis{lo, hi, false}
}

func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func (a axis) pos(v float64) float64 {
	if a.log {
		return (math.Log10(v) - math.Log10(a.lo)) / (math.Log10(a.hi) - math.Log10(a.lo))
	}
	return (v - a.lo) / (a.hi - a.lo)
}

// ticks returns the powers of ten of a log axis, or about five round
// values of a linear one.
func (a axis) ticks() []float64 {
	var out []float64
	if a.log {
		for v := a.lo; v <= a.hi*1.0001; v *= 10 {
			out = append(out, v)
		}
		return out
	}
	step := niceStep((a.hi - a.lo) / 5)
	for v := a.lo; v <= a.hi+step/1000; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// Engine and op styles of the sweep charts.
var (
	engineColors = map[string]string{
		"rows": "#d62728", "bitset": "#1f77b4", "microseg": "#2ca02c",
		"microseg-plain": "#9467bd", "microseg-add": "#ff7f0e",
	}
	opDashes = [NumOps]string{"", "6 3", "1 3"}
)

// EngineColor returns the chart color of an engine.
func EngineColor(name string) string {
	if c, ok := engineColors[name]; ok {
		return c
	}
	return "#7f7f7f"
}

// PctTick labels a share of the base: 0.0001 is "0.01%".
func PctTick(v float64) string { return fmt.Sprintf("%.3g%%", 100*v) }

// MsTick labels a duration in milliseconds.
func MsTick(v float64) string { return fmt.Sprintf("%g ms", v) }

// SweepChart returns the chart of one sweep in one shape: the median time of
// every engine and op against the share of the base the swept term matches.
func SweepChart(rs []PointResult, sweep, shape string, engines []string, ops []int) *Chart {
	c := &Chart{
		Title:  fmt.Sprintf("%s — %s", sweep, map[string]string{ShapeQ1: "inside the Q1 shape", ShapeAlone: "the term alone"}[shape]),
		XLabel: "share of the base the swept term matches (log)",
		YLabel: "median time per query, ms (log)",
		XLog:   true, YLog: true, XTick: PctTick, YTick: MsTick,
	}
	for _, e := range engines {
		for _, op := range ops {
			s := Series{Name: e + " " + OpNames[op], Color: EngineColor(e), Dash: opDashes[op]}
			for i := range rs {
				r := &rs[i]
				if r.Point.Sweep != sweep || r.Point.Shape != shape {
					continue
				}
				t, ok := r.Times[e]
				if !ok {
					continue
				}
				s.X = append(s.X, r.Point.Target)
				s.Y = append(s.Y, float64(t[op])/1e6)
			}
			if len(s.X) > 0 {
				c.Series = append(c.Series, s)
			}
		}
	}
	return c
}

// sweepPalette colors the lines of the charts that have one line per sweep.
var sweepPalette = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

// RatioChart returns the chart of num's time over den's for op in one
// shape, one line per sweep, against the share the swept term matches.
func RatioChart(rs []PointResult, title, num, den string, op int, shape string, ylog bool, hline float64, hlabel string) *Chart {
	c := &Chart{
		Title:  title,
		XLabel: "share of the base the swept term matches (log)",
		YLabel: fmt.Sprintf("%s ÷ %s, %s", num, den, OpNames[op]),
		XLog:   true, YLog: ylog, XTick: PctTick,
		HLine: hline, HLineLabel: hlabel,
	}
	if ylog {
		c.YTick = func(v float64) string { return fmt.Sprintf("%g×", v) }
	}
	idx := map[string]int{}
	for i := range rs {
		r := &rs[i]
		if r.Point.Shape != shape {
			continue
		}
		a, ok1 := r.Times[num]
		b, ok2 := r.Times[den]
		if !ok1 || !ok2 || b[op] <= 0 {
			continue
		}
		j, ok := idx[r.Point.Sweep]
		if !ok {
			j = len(c.Series)
			idx[r.Point.Sweep] = j
			c.Series = append(c.Series, Series{Name: r.Point.Sweep, Color: sweepPalette[j%len(sweepPalette)]})
		}
		s := &c.Series[j]
		s.X = append(s.X, r.Point.Target)
		s.Y = append(s.Y, float64(a[op])/float64(b[op]))
	}
	return c
}
