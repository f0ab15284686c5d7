package segment

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// TestConcurrentReadersDuringBatches evaluates predicates from many
// goroutines while new snapshots are built from the same base; the old base
// must keep giving the same answers. Run with -race.
func TestConcurrentReadersDuringBatches(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 1))
	base, o := randBase(r, 3000, 1)
	preds := make([]Pred, 40)
	want := make([]uint64, len(preds))
	for i := range preds {
		preds[i] = randPred(r, 3)
		want[i] = uint64(len(o.eval(preds[i])))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	stop := make(chan struct{})
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				i := (g + n) % len(preds)
				if got := base.Count(preds[i]); got != want[i] {
					errs <- preds[i].String()
					return
				}
				if got := base.Eval(preds[i]).GetCardinality(); got != want[i] {
					errs <- preds[i].String()
					return
				}
				for range base.Keys(base.Eval(preds[i])) {
				}
			}
		}()
	}
	next := base
	for range 15 {
		// Each batch starts from the shared base or a descendant of it.
		from := base
		if r.IntN(2) == 0 {
			from = next
		}
		next = randBatch(r, from, newOracleCopy(from))
	}
	close(stop)
	wg.Wait()
	close(errs)
	for p := range errs {
		t.Errorf("old base changed its answer for %s while batches were applied", p)
	}
}

// newOracleCopy returns a throwaway oracle matching base, so that randBatch
// can choose valid keys; its answers are not checked here.
func newOracleCopy(base *Base) *oracle {
	c := newOracle()
	for id := range base.IDCount() {
		key, _ := base.Key(id)
		c.ids[key] = len(c.rows)
		c.rows = append(c.rows, &row{key: key, live: base.live.Contains(id), vals: map[string]Value{}})
	}
	return c
}
