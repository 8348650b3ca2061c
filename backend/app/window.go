package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// settingWindow is where the window was and how big, saved as it closes.
const settingWindow = "ui.window"

// WindowPlacement is the window's position and size on screen.
type WindowPlacement struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// valid keeps a saved placement within what any screen could show: a damaged or hand-edited
// value opens the window at its default instead.
func (p WindowPlacement) valid() bool {
	within := func(v, lo, hi int) bool { return v >= lo && v <= hi }
	return within(p.Width, 400, 16384) && within(p.Height, 500, 16384) && within(p.X, -16384, 32768) && within(p.Y, -16384, 32768)
}

// WindowPlacement is the placement saved when the window last closed; ok is false when there
// is none (or it is out of range).
func (a *App) WindowPlacement(ctx context.Context) (p WindowPlacement, ok bool) {
	raw, found, err := a.db.Setting(ctx, settingWindow)
	if err != nil || !found || json.Unmarshal([]byte(raw), &p) != nil || !p.valid() {
		return WindowPlacement{}, false
	}
	return p, true
}

// HoldDatabase keeps the database open, even once Run has stopped everything else, until
// release is called: the window saves its placement as it closes, which on a signal comes
// after the backend began to stop.
func (a *App) HoldDatabase() (release func()) {
	a.dbHolds.Add(1)
	var once sync.Once
	return func() { once.Do(a.dbHolds.Done) }
}

// SaveWindowPlacement keeps where the window is, for the next start.
func (a *App) SaveWindowPlacement(ctx context.Context, p WindowPlacement) error {
	if !p.valid() {
		return fmt.Errorf("window placement out of range: %+v", p)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return a.db.SetSetting(ctx, settingWindow, string(raw))
}

// Working says what closing would stop ("2 masters building, 1 upload, 1 recording"): masters
// being downloaded or built, uploads the window is sending, live streams being recorded; "" when
// none.
func (a *App) Working() string {
	var parts []string
	count := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	count(a.archive.Working(), "master building", "masters building")
	count(a.sources.Transferring(), "upload", "uploads")
	count(a.live.Recording(), "recording", "recordings")
	return strings.Join(parts, ", ")
}
