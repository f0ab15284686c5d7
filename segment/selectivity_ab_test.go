//go:build engineab

package segment

import (
	"os"
	"strings"

	"github.com/fabeed28/microseg/internal/engine"
)

func init() {
	sweepVariants = []string{"old", "new"}
	if v := os.Getenv("MICROSEG_SWEEP_VARIANTS"); v != "" {
		sweepVariants = strings.Split(v, ",")
	}
	sweepSwitch = func(b *Base, v string) {
		engine.SetVariant(v)
		b.ev.mu.Lock()
		b.ev.plans = nil // plans made under the other strategy
		b.ev.mu.Unlock()
	}
}
