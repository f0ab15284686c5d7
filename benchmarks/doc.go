// Package benchmarks compares microseg with other predicate engines on the
// same synthetic customer base. It is a separate module so that the engines
// it measures never enter the library's go.sum.
package benchmarks
