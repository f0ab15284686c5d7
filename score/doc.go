// Package score turns customers' transactions into value scores: RFM,
// historical value and predicted value (BG/NBD and Gamma-Gamma).
package score
