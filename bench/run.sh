#!/usr/bin/env bash
# make bench: every benchmark, each against a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go run ./bench/core -bin ./reelvault -work bench/out "$@"
go run ./bench/library
