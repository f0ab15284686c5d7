package segment

// EvalOption changes how Eval and Count run, never what they return. Make
// one with Parallel.
type EvalOption struct {
	parallel int
}

// Parallel lets Eval and Count split the ID space into n runs of chunks and
// evaluate them on n goroutines, which they start and wait for before
// returning; n is capped at the number of chunks of 65,536 IDs. Without it
// (or with n <= 1) they run on the caller's goroutine only.
func Parallel(n int) EvalOption { return EvalOption{parallel: n} }

func parallelism(opts []EvalOption) int {
	n := 1
	for _, o := range opts {
		if o.parallel != 0 {
			n = o.parallel
		}
	}
	return n
}
