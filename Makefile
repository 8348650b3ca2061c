# Reelvault. `make run` and `make test` set up everything they need on a
# fresh Debian machine (apt packages, the pinned wails CLI, npm packages, Mux's CLI for the e2e tests).

SHELL := /bin/bash
GO ?= go
GOBIN := $(shell $(GO) env GOPATH)/bin
WAILS_VERSION := v2.15.0
STATICCHECK_VERSION := v0.8.2
# Mux's official CLI, which the e2e tests drive against `serve`; kept out of frontend/package-lock.json
# (its platform binaries are optional dependencies that `npm ci` cannot pin for every platform).
MUX_CLI_VERSION := 2.0.1
MUX_CLI_DIR := .cache/mux-cli
MUX_CLI := $(MUX_CLI_DIR)/node_modules/.bin/mux
DESKTOP_TAGS := desktop,production,webkit2_41
WAILS := $(GOBIN)/wails
# Packaging: rsvg-convert renders the icon, desktop-file-validate checks the menu entry, MinGW-w64
# cross-compiles the Windows binary (cgo for SQLite), NSIS makes its installer, wine64 runs it in tests;
# imagemagick's import takes the window test's screenshot; dbus-daemon gives the notification test a session bus;
# xdotool moves the window under Xvfb (no window manager) to test that it comes back there.
APT_PACKAGES := ffmpeg libgtk-3-dev libwebkit2gtk-4.1-dev chromium chromium-driver nginx-light xvfb xauth \
                librsvg2-bin desktop-file-utils gcc-mingw-w64-x86-64 nsis wine64 imagemagick aria2 sqlite3 dbus-daemon xdotool
ICON_SIZES := 16 24 32 48 64 128 256 512
WINDOWS_CC := x86_64-w64-mingw32-gcc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RUN_FLAGS ?=

.PHONY: run serve test deps apt-deps wails-cli frontend-deps frontend icons build build-serve \
        build-windows dist test-go test-frontend test-e2e test-window test-dist check staticcheck-cli mux-cli bench screenshot clean

## run: install what is missing, build, open the window (or `serve` without a display)
run: deps build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		./build/bin/reelvault $(RUN_FLAGS); \
	else \
		echo "No display here: starting 'reelvault serve'; open the UI address below in a browser."; \
		./build/bin/reelvault serve $(RUN_FLAGS); \
	fi

## serve: the backend and UI without a window
serve: deps build
	./build/bin/reelvault serve $(RUN_FLAGS)

## test: every test: Go (unit, integration, binary), frontend, browser, the desktop window under
## Xvfb, and the packages (.deb, tarball, Windows .exe and installer under Wine)
test: deps frontend check test-go test-frontend build test-e2e test-window test-dist

deps: apt-deps wails-cli staticcheck-cli frontend-deps mux-cli

apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

wails-cli:
	@[ -x "$(GOBIN)/wails" ] && "$(GOBIN)/wails" version 2>/dev/null | grep -q "$(WAILS_VERSION)" || { \
		echo "Installing the wails CLI $(WAILS_VERSION)"; \
		$(GO) install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION); }

# staticcheck 2026.2 (v0.8.x) is the first release that reads Go 1.26 code.
staticcheck-cli:
	@[ -x "$(GOBIN)/staticcheck" ] && "$(GOBIN)/staticcheck" -version 2>/dev/null | grep -q "($(STATICCHECK_VERSION:v%=%))" || { \
		echo "Installing staticcheck $(STATICCHECK_VERSION)"; \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); }

# npm picks the binary for this platform (@mux/cli-linux-x64 here) from the CLI's optional
# dependencies, pinned to the same version. About 40 MB to download, 100 MB installed.
mux-cli:
	@grep -qs '"version": "$(MUX_CLI_VERSION)"' $(MUX_CLI_DIR)/node_modules/@mux/cli/package.json && [ -x $(MUX_CLI) ] || { \
		echo "Installing the Mux CLI $(MUX_CLI_VERSION) under $(MUX_CLI_DIR)"; \
		npm install --prefix $(MUX_CLI_DIR) --no-save --no-package-lock --no-audit --no-fund --include=optional @mux/cli@$(MUX_CLI_VERSION); }

frontend-deps:
	@[ frontend/node_modules/.package-lock.json -nt frontend/package-lock.json ] || (cd frontend && npm ci --no-audit --no-fund)

frontend: frontend-deps
	cd frontend && npm run build

## icons: build/appicon.png (what wails build reads) and the hicolor sizes, all from build/appicon.svg
icons: build/appicon.png build/icons/.rendered

build/appicon.png: build/appicon.svg
	rsvg-convert -w 1024 -h 1024 $< -o $@
	@# wails derives icon.ico from appicon.png only when it is missing
	rm -f build/windows/icon.ico

build/icons/.rendered: build/appicon.svg
	@for s in $(ICON_SIZES); do mkdir -p build/icons/$${s}x$${s} && \
		rsvg-convert -w $$s -h $$s $< -o build/icons/$${s}x$${s}/reelvault.png || exit 1; done
	touch $@

# wails build: the frontend is already built by `make frontend` (the same command as wails.json's
# frontend:build); the UI reads window.go directly, so there are no generated bindings; go.mod
# is left alone (-m, -nosyncgomod).
WAILS_BUILD := $(WAILS) build -s -skipbindings -skipembedcreate -m -nosyncgomod -nocolour

## build: the desktop binary (window and serve) at build/bin/reelvault, through wails build
build: frontend icons wails-cli
	@rm -f ./*-res.syso # a Windows resource left by an interrupted build-windows would break this link
	$(WAILS_BUILD) -tags webkit2_41

## build-windows: build/bin/reelvault.exe and its NSIS installer, cross-compiled with MinGW-w64
build-windows: frontend icons wails-cli
	CGO_ENABLED=1 CC=$(WINDOWS_CC) $(WAILS_BUILD) -platform windows/amd64 -nsis -o reelvault.exe

## dist: dist/reelvault_<version>_amd64.deb, the Linux tarball, the Windows .exe and its installer
dist: build build-windows
	cd tools/dist && $(GO) run . -root $(CURDIR) -out $(CURDIR)/dist

## test-dist: the packages as a user meets them: the .deb unpacked and serving, the tarball,
## reelvault.exe and its installer under Wine
test-dist: dist
	cd tools/dist && REELVAULT_DIST=$(CURDIR)/dist $(GO) test -count=1 -timeout 15m .

## build-serve: a binary without GTK, for servers and automation (serve only)
build-serve: frontend
	$(GO) build -o reelvault .

check: staticcheck-cli
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags $(DESKTOP_TAGS) .
	"$(GOBIN)/staticcheck" ./...
	"$(GOBIN)/staticcheck" -tags $(DESKTOP_TAGS) .
	cd tools/dist && $(GO) vet .
	@# The app must stay free of Linux-only code: it compiles for macOS and Windows too.
	GOOS=darwin $(GO) build -o /dev/null ./backend/... .
	GOOS=windows $(GO) build -o /dev/null ./backend/... .
	cd frontend && npm run check

# The full-disk tests mount a small tmpfs (as root, as CI runs): required
# here, so they fail rather than skip when they cannot.
test-go:
	REELVAULT_TEST_MOUNT=required $(GO) test -count=1 -timeout 20m ./...

test-frontend:
	cd frontend && npm test

## test-e2e: the real UI in Debian's Chromium (playwright-core), Mux's Node SDK and Mux's CLI against a real `serve`
test-e2e: build-serve mux-cli
	cd frontend && REELVAULT_BIN=$(CURDIR)/reelvault MUX_CLI_BIN=$(CURDIR)/$(MUX_CLI) node --test --test-concurrency=1 e2e/

## test-window: the desktop binary from `make build` under Xvfb: its window is drawn (screenshot
## with import), a file given to a second launch appears in its library, and a window moved and
## resized with xdotool comes back there after a restart (about 20 s)
test-window: build
	REELVAULT_DESKTOP_BIN=$(CURDIR)/build/bin/reelvault $(GO) test -count=1 -timeout 5m ./tools/windowtest

## bench: benchmarks against cp, plain ffmpeg and nginx (not part of `make test`)
bench: deps build-serve
	./bench/run.sh

## screenshot: the real window under Xvfb with a clip ingested, saved as build/screenshot.png
screenshot: deps build
	./scripts/screenshot.sh

# Only build outputs: build/ holds committed files (appicon.svg, linux/, windows/, darwin/) too.
clean:
	rm -rf build/bin build/icons build/appicon.png build/windows/icon.ico build/windows/installer/wails_tools.nsh \
		build/windows/installer/tmp reelvault dist bench/out ./*-res.syso
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true
