package score_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/fabeed28/microseg/score"
)

func ExampleFitBGNBDReport() {
	// Customers drawn from a BG/NBD process with R=0.5, Alpha=5, A=0.9, B=3.
	sums := simulate(rand.New(rand.NewPCG(1, 1)), 20000)
	_, rep, err := score.FitBGNBDReport(sums)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("log-likelihood %.1f, converged %v\n", rep.LogLikelihood, rep.Converged)
	for i, name := range rep.Params {
		fmt.Printf("%-5s %.3f ± %.3f\n", name, rep.Estimates[i], 1.96*rep.StdErrors[i])
	}
	// Output:
	// log-likelihood -177838.7, converged true
	// R     0.499 ± 0.013
	// Alpha 5.080 ± 0.201
	// A     0.974 ± 0.089
	// B     3.353 ± 0.403
}

func ExampleFitGammaGammaReport() {
	// 2,000 repeat buyers whose spends follow P=6, Q=4, V=15.
	sums := simulateGammaGamma(rand.New(rand.NewPCG(2, 2)), score.GammaGamma{P: 6, Q: 4, V: 15}, 2000, 10)
	_, rep, err := score.FitGammaGammaReport(sums)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d repeat buyers, log-likelihood %.1f, converged %v\n", rep.Customers, rep.LogLikelihood, rep.Converged)
	for i, name := range rep.Params {
		fmt.Printf("%s %.2f (standard error %.2f)\n", name, rep.Estimates[i], rep.StdErrors[i])
	}
	// Output:
	// 2000 repeat buyers, log-likelihood -8178.3, converged true
	// P 5.89 (standard error 1.12)
	// Q 3.83 (standard error 0.17)
	// V 14.46 (standard error 3.26)
}
