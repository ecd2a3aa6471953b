#!/usr/bin/env bash
# bench/draw.sh — the 双随机 draw over 1,000,000 enterprises and 10,000
# inspectors: the engine alone (bench/draw.c), then one draw through the
# store (bench/draw_store.c: rosters read, engine, picks stored; then
# verify) on SQLite and, when BENCH_PG_URI names an empty database, on
# PostgreSQL, each with its reference (a plain read of the enterprise
# roster) measured in the same run. Every line prints the result's digest:
# they must all be the same (the draw is reproducible on both backends).
# The store is filled on first use (not timed; about a minute on PostgreSQL).
#
#   bench/draw.sh [ENTERPRISES [INSPECTORS [SAMPLE]]]
#
# Builds nothing: it expects build/bench/bench_draw and bench_draw_store
# (BENCH_DRAW_BIN, BENCH_DRAW_STORE_BIN). BENCH_SQLITE: the SQLite file
# (default /tmp/fazhi-bench-draw.db, kept for the next run).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_DRAW_BIN:-$top/build/bench/bench_draw}
store=${BENCH_DRAW_STORE_BIN:-$top/build/bench/bench_draw_store}
for b in "$bin" "$store"; do
	[ -x "$b" ] || { echo "bench/draw.sh: no $b (cmake --build build --target bench_draw bench_draw_store)" >&2; exit 1; }
done
args=("${1:-1000000}" "${2:-10000}" "${3:-30000}")
"$bin" "${args[@]}"
"$bin" "${args[@]}"
for uri in "sqlite:${BENCH_SQLITE:-/tmp/fazhi-bench-draw.db}" ${BENCH_PG_URI:+"$BENCH_PG_URI"}; do
	"$store" "$uri" "${args[@]}"
	"$store" "$uri" "${args[@]}"
done
