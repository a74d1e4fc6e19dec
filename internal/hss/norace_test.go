//go:build !race

package hss_test

const raceEnabled = false
