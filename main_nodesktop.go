//go:build !desktop

package main

// desktopBuild is false in a plain `go build`: the binary runs `serve` only.
const desktopBuild = false
