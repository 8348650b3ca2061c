#!/usr/bin/env bash
# make screenshot: the real desktop window under Xvfb, with a clip ingested,
# saved as build/screenshot.png.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/screenshot.png}
work=$(mktemp -d)
display=:$(( 90 + RANDOM % 100 ))
# KEEP_LOG=FILE keeps the app's log; SCREENSHOT_FLAGS passes flags (e.g. --verbose).
cleanup() {
	kill "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -z "${KEEP_LOG:-}" ] || cp "$work/app.err" "$KEEP_LOG"
	rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb_pid=$!
sleep 1
ffmpeg -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 -f lavfi -i sine=frequency=440 \
	-t 4 -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac "$work/Harbour interview.mp4"

export REELVAULT_TOKEN_ID=shot REELVAULT_TOKEN_SECRET=shot-secret
DISPLAY=$display ./build/bin/reelvault ${SCREENSHOT_FLAGS:-} --data "$work/data" --listen 127.0.0.1:0 --share-listen 127.0.0.1:0 \
	>"$work/app.out" 2>"$work/app.err" & app_pid=$!
for _ in $(seq 100); do grep -q "UI and API" "$work/app.out" 2>/dev/null && break; sleep 0.1; done
api=$(awk '/UI and API/ {print $NF}' "$work/app.out")
[ -n "$api" ] || { cat "$work/app.err"; echo "the app did not start" >&2; exit 1; }
curl -sf -u shot:shot-secret -H 'Content-Type: application/json' "$api/video/v1/assets" \
	-d "{\"input\":\"$work/Harbour interview.mp4\",\"master_access\":\"temporary\"}" >/dev/null
for _ in $(seq 150); do
	curl -sf -u shot:shot-secret "$api/video/v1/assets" | grep -q '"thumbnail_url"' && break
	sleep 0.2
done
sleep 2 # let the window show the ready asset and its thumbnail
mkdir -p "$(dirname "$out")"
import -display "$display" -window root "$out"
echo "saved $out"
