//go:build !engineab

package engine

// legacy selects the engine's previous strategies; only the engineab
// build tag (ab_on.go) can set it, for in-process A/B timing.
const legacy = false

// seedCap is the most seeds an And takes into value mode.
const seedCap = maxValues

func denseMin() int { return lazyDense }
