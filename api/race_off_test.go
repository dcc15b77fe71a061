//go:build !race

package api

// raceDetector tells the tests that the race detector is on: the tests
// that measure latency skip, as it slows every memory access.
const raceDetector = false
