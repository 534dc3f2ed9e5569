package jsonscan

import (
	"math"
	"strconv"
)

// CountFault says why a JSON value is not a count. The zero value,
// CountOK, means it is one.
type CountFault uint8

// The ways a value fails to be a count.
const (
	CountOK CountFault = iota
	// CountNull: the value is null, which providers send for a count they
	// do not report. It is no fault of the value, and callers treat it as
	// absent.
	CountNull
	// CountNotNumber: a string, a boolean, an object or an array.
	CountNotNumber
	// CountNegative: a number below zero.
	CountNegative
	// CountFraction: a number with a fractional part.
	CountFraction
	// CountTooLarge: a number above what an int64 holds.
	CountTooLarge
)

// String names the fault in the words an observe error uses.
func (f CountFault) String() string {
	switch f {
	case CountOK:
		return "ok"
	case CountNull:
		return "null"
	case CountNotNumber:
		return "not a number"
	case CountNegative:
		return "negative"
	case CountFraction:
		return "a fraction"
	case CountTooLarge:
		return "too large"
	}
	return "CountFault(" + strconv.Itoa(int(f)) + ")"
}

// Count reads the value v of kind k (as Get, ObjectEach or ArrayEach hand
// it over) as a count of tokens or requests: a non-negative integer that an
// int64 holds. Integral numbers written as floats (12.0, 1e3) count, since
// some servers send counts that way; a number with a fraction, a negative
// number, one above math.MaxInt64, and anything that is not a number do
// not, and the fault says which. Count does not allocate.
func Count(v []byte, k Kind) (int64, CountFault) {
	switch k {
	case KindNumber:
	case KindNull:
		return 0, CountNull
	default:
		return 0, CountNotNumber
	}
	if len(v) == 0 {
		return 0, CountNotNumber
	}
	integer := true
	for _, c := range v {
		if c < '0' || c > '9' {
			integer = false
			break
		}
	}
	if integer {
		n, err := strconv.ParseInt(unsafeString(v), 10, 64)
		if err != nil {
			return 0, CountTooLarge // only digits: the range is what failed
		}
		return n, CountOK
	}
	f, err := strconv.ParseFloat(unsafeString(v), 64)
	switch {
	case math.IsInf(f, 1):
		return 0, CountTooLarge
	case math.IsInf(f, -1):
		return 0, CountNegative
	case err != nil || math.IsNaN(f):
		return 0, CountNotNumber
	case f < 0:
		return 0, CountNegative
	case f != math.Trunc(f):
		return 0, CountFraction
	case f >= 1<<63:
		return 0, CountTooLarge
	case f == 0 && nonZeroMantissa(v):
		return 0, CountFraction // 1e-400: too small to hold, yet not zero
	}
	return int64(f), CountOK
}

// nonZeroMantissa reports whether the number v has a digit other than 0
// before its exponent.
func nonZeroMantissa(v []byte) bool {
	for _, c := range v {
		switch {
		case c == 'e' || c == 'E':
			return false
		case c >= '1' && c <= '9':
			return true
		}
	}
	return false
}

// AddCounts returns a + b for counts (never negative), saturating at
// math.MaxInt64 rather than wrapping: a sum of reported counts that cannot
// be held is held as the largest count there is, never as a negative one.
func AddCounts(a, b int64) int64 {
	a, b = max(a, 0), max(b, 0)
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
