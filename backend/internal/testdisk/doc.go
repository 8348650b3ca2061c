// Package testdisk gives tests a small real filesystem they can fill: a
// tmpfs of a few megabytes, so "the disk is full" is a real ENOSPC from
// the kernel, not a fake.
package testdisk
