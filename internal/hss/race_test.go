//go:build race

package hss_test

// raceEnabled is true under the race detector, which slows the model test
// about tenfold: it runs fewer schedules there.
const raceEnabled = true
