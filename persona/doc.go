// Package persona profiles segments of a customer base: what members share,
// what sets them apart, and which non-members look like them.
package persona
