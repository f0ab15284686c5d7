package score

import (
	"errors"
	"fmt"

	"github.com/fabeed28/microseg/segment"
)

// Sentinel errors. Every error the package returns wraps one of them, so
// callers can test for the kind with errors.Is; the message says which field,
// which value and what was expected.
var (
	// ErrInvalidTransaction reports a transaction with an empty key, a zero
	// time, or an amount or cost that is negative, NaN or infinite.
	ErrInvalidTransaction = errors.New("invalid transaction")
	// ErrAfterAsOf reports a transaction later than the asOf time of a
	// summary (see DropAfterAsOf).
	ErrAfterAsOf = errors.New("transaction after asOf")
	// ErrUnknownKey reports a customer key that is not among the known
	// customers (see Customers) or not in a base. It is segment.ErrUnknownKey,
	// so one errors.Is test serves both packages.
	ErrUnknownKey = segment.ErrUnknownKey
	// ErrInvalidSummary reports a Summary that no transactions could produce:
	// negative or non-finite values, Recency > T, or Recency > 0 with
	// Frequency = 0.
	ErrInvalidSummary = errors.New("invalid summary")
	// ErrInvalidArgument reports an option or parameter out of its range. It
	// is segment.ErrInvalidArgument, shared by every package of the library.
	ErrInvalidArgument = segment.ErrInvalidArgument
	// ErrTooFewCustomers reports a fit on fewer customers than the model needs.
	ErrTooFewCustomers = errors.New("too few customers")
	// ErrNoRepeatBuyers reports a fit on customers none of whom bought twice.
	ErrNoRepeatBuyers = errors.New("no repeat buyers")
	// ErrNotConverged reports a fit whose optimizer did not converge.
	ErrNotConverged = errors.New("fit did not converge")
	// ErrDegenerateFit reports a fit whose likelihood is maximized at a
	// bound of the parameter space (a parameter runs off to 0 or +Inf), so
	// the data cannot identify the parameters. The error is a
	// *DegenerateFitError; Penalizer makes such data fit.
	ErrDegenerateFit = errors.New("degenerate fit")
)

// DegenerateFitError describes a degenerate fit: which parameter ran off to
// which bound, and how many customers and repeat buyers the data held. It
// matches ErrDegenerateFit and, since the optimizer found no finite
// maximum, ErrNotConverged too.
type DegenerateFitError struct {
	Model     string  // "BG/NBD" or "Gamma-Gamma"
	Param     string  // the parameter that ran off, such as "A"
	Value     float64 // its value where the optimizer stopped
	Toward    float64 // the bound it ran towards: 0 or +Inf
	Customers int     // customers given to the fit
	Repeat    int     // of them, repeat buyers (Frequency > 0)
}

// Error returns a message naming the model, parameter, value, bound and the
// number of repeat buyers.
func (e *DegenerateFitError) Error() string {
	return fmt.Sprintf("score: fit %s: parameter %s: value %.4g runs towards %v, want a value in [%g, %g]: the data (%d customers, %d of them repeat buyers) cannot identify it; Penalizer fits it anyway: %v",
		e.Model, e.Param, e.Value, e.Toward, minShape, maxShape, e.Customers, e.Repeat, ErrDegenerateFit)
}

// Unwrap returns ErrDegenerateFit and ErrNotConverged.
func (e *DegenerateFitError) Unwrap() []error { return []error{ErrDegenerateFit, ErrNotConverged} }

// TransactionError describes a rejected transaction. It wraps
// ErrInvalidTransaction, ErrAfterAsOf or ErrUnknownKey.
type TransactionError struct {
	Index int    // position of the transaction in the input
	Key   string // customer key of the transaction
	Field string // the offending field: "Key", "Time", "Amount" or "Cost"
	Value string // the offending value, printed
	Want  string // what was expected
	Err   error  // the sentinel error
}

// Error returns a message naming the transaction, field, value and expectation.
func (e *TransactionError) Error() string {
	return fmt.Sprintf("score: transaction %d (customer %q): field %s: value %s, want %s: %v",
		e.Index, e.Key, e.Field, e.Value, e.Want, e.Err)
}

// Unwrap returns the sentinel error.
func (e *TransactionError) Unwrap() error { return e.Err }

// argError returns an ErrInvalidArgument error naming the argument, value
// and expectation.
func argError(name string, value any, want string) error {
	return fmt.Errorf("score: %s: value %v, want %s: %w", name, value, want, ErrInvalidArgument)
}
