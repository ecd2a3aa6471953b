#!/usr/bin/env bash
# bench/laws_search.sh — the law library (docs/laws.md): the full data set
# (../shared/data/laws, or LAWS_DIR) imported into an empty store, then the
# search latency p50/p99 for 1-, 2-, 3- and 4-character queries against a
# LIKE scan of the same articles measured in the same run, printing the
# ratio — on SQLite and, when BENCH_PG_URI names an empty database, on
# PostgreSQL. Without the data set it prints a note and exits 0.
#
# Builds nothing: it expects build/bench/bench_laws_search (BENCH_LAWS_BIN).
# BENCH_SQLITE: the SQLite file (default /tmp/fazhi-bench-laws.db, replaced).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_LAWS_BIN:-$top/build/bench/bench_laws_search}
dir=${LAWS_DIR:-$top/../shared/data/laws}
[ -x "$bin" ] || { echo "bench/laws_search.sh: no $bin (cmake --build build --target bench_laws_search)" >&2; exit 1; }
for uri in "sqlite:${BENCH_SQLITE:-/tmp/fazhi-bench-laws.db}" ${BENCH_PG_URI:+"$BENCH_PG_URI"}; do
	"$bin" "$uri" "$dir"
done
