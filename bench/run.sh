#!/usr/bin/env bash
# make bench: every benchmark, each against a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go run ./bench/core -bin ./reelvault -work bench/out "$@"
go run ./bench/library
# Webhooks: events delivered per second and commit-to-POST latency (p50/p99).
go test -run '^$' -bench BenchmarkDelivery -benchtime 3000x ./backend/webhooks
