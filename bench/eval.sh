#!/usr/bin/env bash
# bench/eval.sh — evaluation from the metric counters against plain SQL over
# the records, on a province-sized store, on SQLite and PostgreSQL (see
# bench/README.md; the program is bench/eval.c).
#
#   bench/eval.sh                                 10,000,000 records on each store
#   BENCH_RECORDS=1000000 bench/eval.sh           fewer
#   BENCH_PG_RECORDS=1000000 bench/eval.sh        10,000,000 on SQLite, 1,000,000 on PostgreSQL
#
# Builds nothing: it expects a Release build
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2
#
# Settings (environment):
#   BENCH_EVAL_BIN    the program (default build/bench/bench_eval)
#   BENCH_RECORDS     register records (default 10000000; 2..100000000)
#   BENCH_PG_RECORDS  records on PostgreSQL (default BENCH_RECORDS)
#   BENCH_SAMPLE      records of each write-overhead sample (default 200000)
#   BENCH_ROUNDS      rounds of the samples, best taken (default 3)
#   BENCH_PG_SAMPLE   the same on PostgreSQL (default 50000: a tenth of the speed)
#   BENCH_PG_ROUNDS   (default 2)
#   BENCH_SQLITE      0: skip SQLite (default 1)
#   BENCH_PG          1: also PostgreSQL, on a throwaway cluster (tests/pg_cluster.sh);
#                     0: SQLite only (default: 1 when PostgreSQL 15 is installed)
#   STEP_TIMEOUT      seconds allowed to each store's run (default 21600)
#
# How long (2-core machine): 10,000,000 records take about 15 minutes on
# SQLite (samples included) and about 3 hours on PostgreSQL (about 1,000
# records/s: one round trip per statement); 1,000,000 take 2 and 20 minutes.
# Disk: about 560 bytes per record on SQLite (5.6 GB for 10,000,000), about
# twice that on PostgreSQL. Memory: the SQLite page cache of a bulk load
# (256 MB), the counter batch (6 MB), PostgreSQL's shared buffers.
#
# Measured per store (bench_eval prints the details):
#   - write rate: records/s through the register engine (record_create and
#     dated transitions, 50,000 records per transaction, counters batched
#     as `fazhi records import` does);
#   - the counters' write overhead, into fresh scratch stores: bulk (the
#     sample in transactions of 50,000, without counters against batched)
#     and API (a twentieth of it, each change its own audited transaction,
#     without counters against each change writing its own); CPU time of
#     the writer and, on PostgreSQL, its server backend (target <= 20 %);
#   - eval_run of the shipped template for all 111 regions (target < 1 s);
#   - the same metrics by plain SQL over the records (per region and
#     register, one conditional aggregation over the records of the
#     subtree and year); every metric value and every indicator must be
#     identical (else exit 1); raw time / eval time (target >= 100x).
# Files live in a temp dir; the cluster is stopped and removed on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=bench/eval
BIN=${BENCH_EVAL_BIN:-$ROOT/build/bench/bench_eval}
RECORDS=${BENCH_RECORDS:-10000000}
PG_RECORDS=${BENCH_PG_RECORDS:-$RECORDS}
SAMPLE=${BENCH_SAMPLE:-200000}
ROUNDS=${BENCH_ROUNDS:-3}
PG_SAMPLE=${BENCH_PG_SAMPLE:-50000}
PG_ROUNDS=${BENCH_PG_ROUNDS:-2}
STEP_TIMEOUT=${STEP_TIMEOUT:-21600}

die() { echo "$NAME: $*" >&2; exit 1; }
. "$ROOT/bench/lib.sh"

for n in "$RECORDS" "$PG_RECORDS"; do
	[[ $n =~ ^[0-9]+$ && $n -ge 2 && $n -le 100000000 ]] || die "BENCH_RECORDS / BENCH_PG_RECORDS: 2..100000000"
done
for n in "$SAMPLE" "$PG_SAMPLE"; do
	[[ $n =~ ^[0-9]+$ ]] || die "BENCH_SAMPLE / BENCH_PG_SAMPLE: a number of records (0: no samples)"
done
for n in "$ROUNDS" "$PG_ROUNDS"; do
	[[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 10 ]] || die "BENCH_ROUNDS / BENCH_PG_ROUNDS: 1..10"
done
[ -x "$BIN" ] || die "no bench_eval at $BIN (build it, or set BENCH_EVAL_BIN)"
BIN=$(realpath "$BIN")
bench_warn "$BIN" "$(dirname "$(dirname "$BIN")")" "the wall times"
bench_tmp fazhi-bench-eval

run() { # log uri records sample rounds
	local rc=0
	timeout "$STEP_TIMEOUT" "$BIN" --db "$2" --records "$3" --sample "$4" --rounds "$5" | tee "$1" || rc=$?
	[ "$rc" -eq 0 ] || die "bench_eval failed on $2 (exit $rc)"
}

# ---- SQLite ----
if [ "${BENCH_SQLITE:-1}" != 0 ]; then
	echo "== SQLite: $RECORDS records =="
	run sqlite.log "sqlite:$TMP/eval.db" "$RECORDS" "$SAMPLE" "$ROUNDS"
	rm -f "$TMP"/eval.db*
fi

# ---- PostgreSQL ----
if [ "$BENCH_PG" = 1 ]; then
	pg_start
	echo
	echo "== PostgreSQL: $PG_RECORDS records =="
	run pg.log "$URI" "$PG_RECORDS" "$PG_SAMPLE" "$PG_ROUNDS"
fi

# ---- the tables again, together ----
echo
for f in sqlite.log pg.log; do
	[ -f "$f" ] || continue
	sed -n '/^SQLite  \|^PostgreSQL  /,$p' "$f"
	echo
done
