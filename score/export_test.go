package score

// ExpectedAlive exposes the quadrature for tests.
var ExpectedAlive = expectedAlive

// ExpectedClosed exposes the closed form (2F1) of ExpectedPurchases, with its relative error
// bound, for tests.
func (m BGNBD) ExpectedClosed(t float64, s Summary) (float64, float64) { return m.expected(t, s) }
