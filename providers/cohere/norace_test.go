//go:build !race

package cohere

const raceEnabled = false
