#!/usr/bin/env bash
# make bench: every benchmark, each against a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go run ./bench/core -bin ./reelvault -work bench/out "$@"
# One-pass remux (media/faststart) against ffmpeg remux+faststart and cp+fsync, 152 MB and 1 GB.
go run ./bench/onepass -bin ./reelvault -work bench/out "$@"
# Ingest: watch folder last byte -> ready against the core path; upload URL throughput against cp.
go run ./bench/ingest -bin ./reelvault -work bench/out "$@"
# Live: disconnect -> master ready of a 60 s 1080p recording, and CPU while recording.
go run ./bench/live -bin ./reelvault -work bench/out
go run ./bench/library
# Webhooks: events delivered per second and commit-to-POST latency (p50/p99).
go test -run '^$' -bench BenchmarkDelivery -benchtime 3000x ./backend/webhooks
