// Package testkit replays recorded response bodies through a provider's
// Observer the way the transport does, so that every provider package tests
// its parser with the same rigour: the result must be the same whether the
// body arrives whole, one byte per read, or split at random points, and no
// truncation of it may panic.
package testkit
