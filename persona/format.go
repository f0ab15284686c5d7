package persona

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// Numbers in a persona's words are printed at their field's scale, as a
// person writes them: an Int as an integer (a median or quantile between two
// integers with one decimal, "82.5"), a Decimal with exactly its decimal
// places ("1,502.26", a P(alive) of scale 5 as "0.99595"), a Time as its UTC
// date. Thousands are grouped with commas in a Decimal from 1,000 on and in
// an Int from 10,000 on, so that a year reads as a year.

// formatUnits prints a value held in whole units (see numField).
func formatUnits(k segment.Kind, scale int, u int64) string {
	switch k {
	case segment.KindTime:
		return time.Unix(u, 0).UTC().Format(time.DateOnly)
	case segment.KindDecimal:
		neg := u < 0
		s := strconv.FormatUint(absUnits(u), 10)
		if scale > 0 {
			if len(s) <= scale {
				s = strings.Repeat("0", scale-len(s)+1) + s
			}
			s = s[:len(s)-scale] + "." + s[len(s)-scale:]
		}
		if neg {
			s = "-" + s
		}
		return group(s, 4)
	}
	return group(strconv.FormatInt(u, 10), 5)
}

func absUnits(u int64) uint64 {
	if u < 0 {
		return uint64(-(u + 1)) + 1
	}
	return uint64(u)
}

// formatNumber prints a summary number (a median, a quantile) of a field of
// kind k: see the rules above.
func formatNumber(k segment.Kind, scale int, x float64) string {
	switch k {
	case segment.KindTime:
		return time.Unix(int64(math.Round(x)), 0).UTC().Format(time.DateOnly)
	case segment.KindDecimal:
		return group(strconv.FormatFloat(x, 'f', scale, 64), 4)
	}
	if math.Abs(x) >= 1e15 {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return group(strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64), 5)
}

// group puts commas between the thousands of the integer part of a decimal
// number s when that part has at least minDigits digits.
func group(s string, minDigits int) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if frac != "" {
		frac = "." + frac
	}
	if len(intPart) < minDigits {
		return sign + intPart + frac
	}
	var sb strings.Builder
	sb.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(c)
	}
	sb.WriteString(frac)
	return sb.String()
}

func formatCount(n uint64) string { return group(strconv.FormatUint(n, 10), 4) }

func formatPercent(x float64) string {
	switch {
	case x == 0:
		return "0%"
	case x < 0.001:
		return "<0.1%"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

func formatLift(x float64) string {
	if math.IsInf(x, 1) {
		return "∞"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// words writes a field's name as words: "spending_score" as "spending
// score".
func words(name string) string { return strings.ReplaceAll(name, "_", " ") }

// String returns the trait as a person reads it: the field's name with
// underscores as spaces, then the value ("spending score 70-99", "marital
// status Married"); a Flag as its name ("active") or "not" and its name.
func (t Trait) String() string {
	if b, ok := t.Raw.(bool); ok {
		if b {
			return words(t.Field)
		}
		return "not " + words(t.Field)
	}
	return words(t.Field) + " " + t.Value
}

// Format writes a number of the field (one of its Numbers, in their units)
// as a persona's words do, at the field's scale: "82.5", "1,502.26",
// "0.99595", a Time as its UTC date.
func (f FieldProfile) Format(x float64) string { return formatNumber(f.Kind, f.Scale, x) }
