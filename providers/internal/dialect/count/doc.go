// Package count reads usage counts out of JSON into a providers.Usage, by
// one rule for every provider: a non-negative integer an int64 holds is
// recorded, null leaves the count as it was (providers send null for a
// count they do not report), and anything else (a negative number, a
// fraction, a string, a number too large) marks the count invalid, so that
// it is not recorded and the span says why. Sums of counts saturate rather
// than wrap.
package count
