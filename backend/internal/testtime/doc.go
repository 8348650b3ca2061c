// Package testtime keeps tests off the wall clock: Until waits on a condition
// with a deadline instead of sleeping a guessed time, and Clock is a clock a
// test moves by hand so that delays, expiries and "newest first" orders
// happen without waiting. Only tests import it.
package testtime
