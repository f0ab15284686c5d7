package score

import (
	"math"
	"strconv"
)

// ReturnPolicy says how Summarize, SummarizeColumns and SplitCalibration
// treat returns: transactions with a negative Amount, such as the lines of
// a cancelled invoice. Choose one with the option Returns.
type ReturnPolicy int

const (
	// RejectReturns, the default, makes a negative Amount an error wrapping
	// ErrInvalidTransaction whose message names the option Returns.
	RejectReturns ReturnPolicy = iota
	// NetReturns nets each return against its customer's purchases; see
	// Returns for the precise rules.
	NetReturns
	// DropReturns ignores returns, as if those rows were not in the input:
	// the purchases they undo still count in full.
	DropReturns
)

// String returns the policy's name, such as "NetReturns".
func (p ReturnPolicy) String() string {
	switch p {
	case RejectReturns:
		return "RejectReturns"
	case NetReturns:
		return "NetReturns"
	case DropReturns:
		return "DropReturns"
	}
	return "ReturnPolicy(" + strconv.Itoa(int(p)) + ")"
}

// Returns sets how returns count: RejectReturns (the default), NetReturns
// or DropReturns.
//
// Under NetReturns and DropReturns a return is a row whose Amount is
// negative, or -0 (what a zero price times a negative quantity gives). Its
// Cost, the cost of the goods that come back, carries the sign of Amount:
// it must be finite and <= 0. A return is checked like any other row (key,
// time, asOf).
//
// NetReturns works per customer, period by period (see Period), in time
// order:
//
//  1. The rows of one period are summed, returns included, into the
//     period's net amount and net cost.
//  2. A period whose net amount is negative holds a net return. Its amount
//     is subtracted from the customer's earlier purchase periods, the
//     latest first, each down to 0 at most, taking with it the same share
//     of the return's cost. What is left when the earlier purchases are
//     used up, a return of goods bought before the data begin, is dropped:
//     it changes neither Revenue nor Profit.
//  3. A period in which no return took part is a purchase, whatever its
//     amount (as without returns). A period in which a return took part,
//     in step 1 or 2, is a purchase only if its net amount stays above 0.
//     A net amount within 1e-9 of the period's gross amount from 0 is 0.
//
// So a purchase that is returned in full, on its day or later, is no
// purchase at all: it counts neither as the first purchase nor as a repeat
// purchase, and sets neither Recency nor T (a customer whose every purchase
// came back has no summary). A partly returned purchase still counts, at
// its net amount. Frequency counts the periods left as purchases after the
// first; Recency and T are measured from the first of them; Monetary is the
// mean net amount of the repeat ones; Revenue is the sum of the purchases'
// net amounts; Profit is Revenue minus the costs net of the returns' costs,
// the dropped remainder excepted. A return never reaches forward: it is
// netted against purchases before it or in its own period only.
func Returns(p ReturnPolicy) Option {
	return optionFunc(func(c *config) { c.returns = p })
}

// isReturn reports whether a row with this amount is a return under a
// policy other than RejectReturns.
func isReturn(amt float64) bool { return amt < 0 || (amt == 0 && math.Signbit(amt)) }

// period is one customer's rows of one period, summed.
type period struct {
	per     int64
	amt     float64 // net amount
	cost    float64 // net cost
	gross   float64 // sum of the absolute amounts
	touched bool    // a return took part in the net amount
}

// zeroTol is the relative tolerance below which a net amount is 0.
const zeroTol = 1e-9

// purchase reports whether the period counts as a purchase.
func (p *period) purchase() bool {
	return !p.touched || p.amt > 0
}

// netReturns applies the rules of NetReturns to a customer's periods, in
// time order, in place, using stack as scratch space. Afterwards purchase
// tells which periods are purchases, and amt and cost hold what each
// period keeps (0 for a return carried back).
func netReturns(ps []period, stack []int) []int {
	stack = stack[:0]
	for i := range ps {
		p := &ps[i]
		if p.touched && math.Abs(p.amt) <= zeroTol*p.gross {
			p.amt = 0
		}
		if p.amt >= 0 {
			if p.purchase() {
				stack = append(stack, i)
			}
			continue
		}
		// A net return: carry it back, the latest purchase first.
		r, c := -p.amt, p.cost
		for r > 0 && len(stack) > 0 {
			q := &ps[stack[len(stack)-1]]
			d := math.Min(r, q.amt)
			if d > 0 {
				mc := c * d / r
				q.amt -= d
				q.cost += mc
				q.touched = true
				r -= d
				c -= mc
				if q.amt <= zeroTol*q.gross {
					q.amt = 0
				}
			}
			if q.amt <= 0 {
				stack = stack[:len(stack)-1]
			}
			if r <= zeroTol*p.gross {
				r = 0
			}
		}
		// Whatever is left is dropped.
		p.amt, p.cost = 0, 0
	}
	return stack
}
