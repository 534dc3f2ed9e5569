//go:build !race

package sdk

// raceDetector tells whether the tests run under the race detector.
const raceDetector = false
