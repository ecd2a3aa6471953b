#!/usr/bin/env bash
# bench/draw.sh — the 双随机 draw engine over 1,000,000 enterprises and
# 10,000 inspectors (bench/draw.c): prints the time of one draw and the
# result's digest, twice, so the result is seen to be the same.
# Covers the engine only: reading the rosters from SQLite/PostgreSQL
# (src/engine/draw_store.c) is not measured yet.
#
#   bench/draw.sh [ENTERPRISES [INSPECTORS [SAMPLE]]]
#
# Builds nothing: it expects build/bench/bench_draw (BENCH_DRAW_BIN).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_DRAW_BIN:-$top/build/bench/bench_draw}
[ -x "$bin" ] || { echo "bench/draw.sh: no $bin (cmake --build build --target bench_draw)" >&2; exit 1; }
"$bin" "${1:-1000000}" "${2:-10000}" "${3:-30000}"
"$bin" "${1:-1000000}" "${2:-10000}" "${3:-30000}"
