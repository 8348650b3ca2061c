//go:build desktop

package main

// desktopBuild is true in binaries built with the Wails tags (make build).
const desktopBuild = true
