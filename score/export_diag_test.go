package score

// InvertSPD exposes the Cholesky inversion of the fit reports for tests.
var InvertSPD = invertSPD
