// Package segment holds typed customer fields, the immutable customer Base,
// predicates and their evaluation to roaring bitmaps.
package segment
