package segment

// EvalOption tunes Eval and Count: how they run, never what they return.
// Make one with Parallel.
type EvalOption interface {
	applyEval(evalOptions) evalOptions // by value: Count must not allocate
}

type evalOptions struct{ parallel int }

// parallelOption is Parallel.
type parallelOption int

func (n parallelOption) applyEval(o evalOptions) evalOptions {
	o.parallel = int(n)
	return o
}

// Parallel lets Eval and Count split the ID space into n runs of chunks and
// evaluate them on n goroutines, which they start and wait for before
// returning; n is capped at the number of chunks of 65,536 IDs. Without it
// (or with n <= 1) they run on the caller's goroutine only.
func Parallel(n int) EvalOption { return parallelOption(n) }

func parallelism(opts []EvalOption) int {
	o := evalOptions{parallel: 1}
	for _, opt := range opts {
		if opt != nil {
			o = opt.applyEval(o)
		}
	}
	if o.parallel == 0 {
		return 1
	}
	return o.parallel
}
