package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"reelvault/backend/app"
	"reelvault/backend/notify"
)

// nativeShell is the part of the Wails runtime the window uses. Wails'
// runtime functions kill the process when given a context Wails did not
// make, so they are reached only through this interface, set at startup.
type nativeShell interface {
	OpenFiles(title string) ([]string, error)
	Raise() // show the window, unminimised, in front
}

// placeWindow moves the window where it was last closed (its size is given to wails.Run).
func placeWindow(ctx context.Context, b *app.App) {
	if p, ok := b.WindowPlacement(ctx); ok {
		runtime.WindowSetPosition(ctx, p.X, p.Y)
	}
}

// beforeClose saves where the window is, and, while videos are being prepared, asks whether to
// keep working in the background (the window hides; opening Reelvault again shows it) or to stop
// (unfinished work goes on at the next start). It returns true to keep the window from closing.
// stopping is done when Reelvault itself is stopping (a signal, the backend failed): then it
// does not ask.
func beforeClose(ctx, stopping context.Context, b *app.App, log *slog.Logger) (prevent bool) {
	x, y := runtime.WindowGetPosition(ctx)
	w, h := runtime.WindowGetSize(ctx)
	if !runtime.WindowIsMaximised(ctx) {
		if err := b.SaveWindowPlacement(ctx, app.WindowPlacement{X: x, Y: y, Width: w, Height: h}); err != nil {
			log.Warn("the window's size and position were not saved", "err", err)
		}
	}
	working := b.Working()
	if working == "" || stopping.Err() != nil {
		return false
	}
	// Windows and macOS show these buttons; GTK's question dialog has only Yes and No, which the
	// message then names.
	const keep, stop = "Keep working in the background", "Stop"
	yes, no := keep, stop
	if goruntime.GOOS == "linux" {
		yes, no = "Yes", "No"
	}
	answer, err := runtime.MessageDialog(ctx, runtime.MessageDialogOptions{
		Type:  runtime.QuestionDialog,
		Title: "Keep working in the background?",
		Message: "Reelvault is still working: " + working + ". Keep working in the background? " +
			yes + " hides the window and Reelvault goes on; open Reelvault again to show it. " +
			no + " stops it all now: masters are built at the next start, uploads stop where they are, recordings end here.",
		Buttons:       []string{keep, stop},
		DefaultButton: keep,
		CancelButton:  stop,
	})
	if err != nil || (answer != "Yes" && answer != keep) {
		return false
	}
	runtime.WindowHide(ctx)
	return true
}

type wailsShell struct{ ctx context.Context }

func (w wailsShell) OpenFiles(title string) ([]string, error) {
	return runtime.OpenMultipleFilesDialog(w.ctx, runtime.OpenDialogOptions{
		Title: title,
		Filters: []runtime.FileFilter{
			{DisplayName: "Videos", Pattern: "*.mp4;*.mov;*.m4v;*.mkv;*.webm;*.avi;*.mxf;*.mts;*.m2ts;*.ts;*.mpg;*.mpeg;*.wmv;*.flv;*.3gp"},
			{DisplayName: "Audio", Pattern: "*.m4a;*.mp3;*.wav;*.aac;*.flac;*.ogg;*.opus"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
}

func (w wailsShell) Raise() {
	runtime.WindowUnminimise(w.ctx)
	runtime.WindowShow(w.ctx)
}

// App is the Wails shell: native dialogs and the file manager. It holds no
// business rules; the UI creates assets through the HTTP API like any client.
type App struct {
	backend *app.App
	stop    context.Context // done on SIGINT/SIGTERM, or when the backend stops
	shell   nativeShell
	// notifier shows the desktop notifications; a click on one brings the window to the front.
	notifier notify.Notifier
}

func (a *App) startup(ctx context.Context) {
	a.shell = wailsShell{ctx}
	if c, ok := a.notifier.(notify.Clickable); ok {
		c.OnClick(a.shell.Raise)
	}
	go func() {
		<-a.stop.Done()
		runtime.Quit(ctx) // ctx is Wails' own, as runtime calls require
	}()
	// Wails' asset server cannot stream server-sent events, so the window
	// gets the same change feed as Wails events.
	changes, unsubscribe := a.backend.Changes()
	go func() {
		defer unsubscribe()
		for {
			select {
			case <-a.stop.Done():
				return
			case c := <-changes:
				runtime.EventsEmit(ctx, changeEvent, c)
			case <-a.backend.HandedOff():
				// A second launch ("Open with", a menu click) gave its files to this one.
				a.shell.Raise()
			}
		}
	}()
}

// changeEvent is the Wails event the window's UI listens to for live updates.
const changeEvent = "reelvault:change"

// PickFiles opens the native file dialog and returns the chosen paths.
func (a *App) PickFiles() ([]string, error) {
	if a.shell == nil {
		return nil, fmt.Errorf("the window is not ready yet")
	}
	return a.shell.OpenFiles("Add videos to Reelvault")
}

// RevealInFolder opens the file manager at the asset's master.
func (a *App) RevealInFolder(assetID string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	path, err := a.backend.MasterPath(ctx, assetID)
	if err != nil {
		return err
	}
	// The opener hands the folder to the file manager and exits; it gets its own
	// deadline, since this call returns (and ctx ends) before it is done.
	openCtx, openCancel := context.WithTimeout(context.Background(), 30*time.Second)
	cmd := exec.CommandContext(openCtx, fileManager(), filepath.Dir(path))
	if err := cmd.Start(); err != nil {
		openCancel()
		return fmt.Errorf("could not open the file manager: %w", err)
	}
	go func() {
		defer openCancel()
		cmd.Wait()
	}()
	return nil
}

// runWindow runs the backend and opens the desktop window; it returns when
// the window is closed (or the backend fails, which closes the window) and
// the backend has stopped. The UI is served by Wails; its API calls go to
// the same handler as `serve`'s, without credentials, since only this
// process's webview can reach it.
func runWindow(ctx context.Context, b *app.App, ui fs.FS, notifier notify.Notifier) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The window saves its size and position as it closes, also when a signal stopped the
	// backend first: the database stays open until the window is gone.
	releaseDB := b.HoldDatabase()
	stopped := make(chan error, 1)
	go func() { stopped <- b.Run(ctx) }()
	// The window closes as soon as the backend stops, for whatever reason.
	shown, hide := context.WithCancel(ctx)
	defer hide()
	go func() {
		select {
		case <-b.Stopping():
			hide()
		case <-shown.Done():
		}
	}()
	shell := &App{backend: b, stop: shown, notifier: notifier}
	width, height := 1280, 800
	if p, ok := b.WindowPlacement(ctx); ok {
		width, height = p.Width, p.Height
	}
	log := slog.Default()
	err := wails.Run(&options.App{
		Title:     "Reelvault",
		Width:     width,
		Height:    height,
		MinWidth:  400,
		MinHeight: 500,
		AssetServer: &assetserver.Options{
			Assets:  ui,
			Handler: b.TrustedHandler(),
		},
		BackgroundColour: &options.RGBA{R: 17, G: 19, B: 24, A: 255},
		OnStartup:        shell.startup,
		OnDomReady:       func(ctx context.Context) { placeWindow(ctx, b) },
		OnBeforeClose:    func(ctx context.Context) bool { return beforeClose(ctx, shown, b, log) },
		Bind:             []interface{}{shell},
		DragAndDrop:      &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
	})
	releaseDB()
	cancel()
	if berr := <-stopped; berr != nil {
		return berr
	}
	return err
}

// fileManager is the command that opens a folder in this OS's file manager.
func fileManager() string {
	switch goruntime.GOOS {
	case "windows":
		return "explorer"
	case "darwin":
		return "open"
	}
	return "xdg-open"
}
