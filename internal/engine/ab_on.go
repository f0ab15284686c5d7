//go:build engineab

package engine

import (
	"strconv"
	"strings"
)

// With the engineab build tag the engine's strategies can be switched at
// run time, so that the selectivity sweep (segment's
// selectivity_bench_test.go) times old and new in one process,
// interleaved. Production builds have the constants of ab_off.go.

var legacy bool

var seedCap = maxValues

// SetVariant selects the strategies of the next evaluations: "old" the
// previous ones, "capN" value mode from at most N seeds (cap0: word mode
// only), anything else the current ones. Plans made before must be
// dropped: the order of steps and the costs are worked out when a plan is
// made.
func SetVariant(v string) {
	legacy = v == "old"
	seedCap = maxValues
	denseAt = lazyDense
	if n, ok := strings.CutPrefix(v, "dense"); ok {
		denseAt, _ = strconv.Atoi(n)
	}
	if n, ok := strings.CutPrefix(v, "cap"); ok {
		seedCap, _ = strconv.Atoi(n)
	}
}

var denseAt = lazyDense

func denseMin() int { return denseAt }
