package segment

import (
	"errors"
	"fmt"
)

// Errors that Add, Set, Remove, Apply, Build and FromColumns return, wrapped
// in an *InputError that names the key, the field and the value, and that
// an *ArgError wraps beside ErrInvalidArgument where no customer key is
// involved (a predicate's bound, a dimension, a column). Test for them with
// errors.Is.
var (
	// ErrEmptyKey: a customer key is the empty string.
	ErrEmptyKey = errors.New("empty key")
	// ErrDuplicateKey: the key was already added to the base or builder.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrUnknownKey: the key names no live customer of the base.
	ErrUnknownKey = errors.New("unknown key")
	// ErrKindConflict: one field name was used with two different kinds or
	// value types.
	ErrKindConflict = errors.New("field kind conflict")
	// ErrDuplicateField: one call gave two values for the same field.
	ErrDuplicateField = errors.New("field given twice")
	// ErrOutOfRange: a value lies outside the range its field accepts.
	ErrOutOfRange = errors.New("value out of range")
	// ErrInvalidValue: a value cannot be stored (NaN, a zero time, the zero
	// Value, an unnamed field).
	ErrInvalidValue = errors.New("invalid value")
)

// InputError describes rejected input: which operation, customer key, field
// and value, and why. Err is one of the sentinel errors above.
type InputError struct {
	Op    string // "add", "set", "clear", "remove"
	Key   string // the customer key, "" when the error is about no customer
	Field string // the field name, "" when the error is about the key
	Value any    // the offending value, nil when there is none
	Msg   string // what was expected, "" when Err says it all
	Err   error
}

// Error returns a message such as
// `segment: add "c-1001": field "age": value 300: value out of range: want [0, 150]`.
func (e *InputError) Error() string {
	s := "segment: " + e.Op
	if e.Key != "" || e.Err == ErrEmptyKey {
		s += fmt.Sprintf(" %q", e.Key)
	}
	if e.Field != "" {
		s += fmt.Sprintf(": field %q", e.Field)
	}
	if e.Value != nil {
		s += fmt.Sprintf(": value %s", formatAny(e.Value))
	}
	s += ": " + e.Err.Error()
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns the sentinel error.
func (e *InputError) Unwrap() error { return e.Err }

// valueError is a problem found when a Value was constructed; Add and Set
// turn it into an *InputError with the key.
type valueError struct {
	value any
	msg   string
	err   error
}

// ErrInvalidArgument is the sentinel error behind every *ArgError: a
// dimension, option, bound or other argument that a call cannot use. The
// persona and score packages return this same value.
var ErrInvalidArgument = errors.New("invalid argument")

// ArgError describes an argument a call cannot use: which call, which field
// (if any), and what was expected. It wraps ErrInvalidArgument and, when
// set, Err: ErrOutOfRange for a size or count beyond a documented limit,
// ErrInvalidValue for a bound a field cannot hold. Errors about a customer
// key are *InputError instead.
type ArgError struct {
	Func  string // the call: "Split", "CountCube", "predicate", ...
	Field string // the field concerned, "" when none
	Value any    // the offending value, nil when there is none
	Msg   string // what is wrong and what is expected
	Err   error  // a more specific sentinel, or nil
}

// Error returns a message such as
// `segment: Split: field "age": invalid argument: int field cannot be split by value: use Bands`.
func (e *ArgError) Error() string {
	s := "segment: " + e.Func
	if e.Field != "" {
		s += fmt.Sprintf(": field %q", e.Field)
	}
	if e.Value != nil {
		s += fmt.Sprintf(": value %s", formatAny(e.Value))
	}
	s += ": " + ErrInvalidArgument.Error()
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s + ": " + e.Msg
}

// Unwrap returns ErrInvalidArgument and Err, so that errors.Is finds
// either.
func (e *ArgError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidArgument}
	}
	return []error{ErrInvalidArgument, e.Err}
}
