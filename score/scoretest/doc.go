// Package scoretest provides a synthetic transaction generator for tests
// and examples of package score, in the manner of net/http/httptest.
//
// Generate draws a cohort of customers from the generative processes that
// package score fits: purchases from the BG/NBD process (each customer buys
// at a Poisson rate drawn from a Gamma distribution until dropping out with a
// probability drawn from a Beta distribution) and spend per purchase from the
// Gamma-Gamma process. Because the true parameters are known, a test can
// check that score.FitBGNBD and score.FitGammaGamma recover them, and an
// example can run without real data:
//
//	cfg := scoretest.Default(5000, 1) // 5000 customers, seed 1
//	txns := scoretest.Generate(cfg)
//	asOf := cfg.Start.AddDate(0, 0, cfg.Days).Add(-time.Second)
//	sums, err := score.Summarize(txns, asOf, score.Unit(7*24*time.Hour))
//
// Output depends only on the Config: one seed gives the same transactions
// on every run.
package scoretest
