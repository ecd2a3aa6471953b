#!/usr/bin/env bash
# bench/import.sh — `fazhi import` against the databases' own bulk loaders,
# measured in the same run on the same rows (see bench/README.md).
#
#   bench/import.sh                      1,000,000 enterprise subjects
#   BENCH_ROWS=100000 bench/import.sh    fewer
#
# Builds nothing: it expects a Release build
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2
#
# Settings (environment):
#   FAZHI_BIN   the binary (default build/fazhi)
#   BENCH_ROWS  subjects (default 1000000; 1..1000000)
#   BENCH_PG    1: also PostgreSQL, on a throwaway cluster (tests/pg_cluster.sh);
#               0: SQLite only (default: 1 when PostgreSQL 15 is installed)
#
# The data: `fazhi demo --jsonl` with N enterprises, keeping the region and
# subject lines (the regions, then N subjects); the same subjects as CSV for
# the reference loaders (python3 converts, untimed). Measured:
#   SQLite      (a) fazhi import of the JSONL into a fresh `fazhi init` store;
#               (b) the sqlite3 shell's .import --csv into a staging table,
#                   then INSERT … SELECT into subjects (NULLIF for the empty
#                   USCC, CAST for the times — .import binds text), one
#                   transaction, timed together; same schema, same
#                   connection settings as fazhi's import.
#   PostgreSQL  (c) fazhi import vs psql's COPY subjects(…) FROM STDIN CSV.
# The ratio is reference time / fazhi time (target >= 0.25 on SQLite).
# Each step is bounded (STEP_TIMEOUT, default 900 s). Files live in a temp
# dir; the cluster is stopped and removed on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=bench/import
FAZHI_BIN=${FAZHI_BIN:-$ROOT/build/fazhi}
ROWS=${BENCH_ROWS:-1000000}
STEP_TIMEOUT=${STEP_TIMEOUT:-900}

die() { echo "$NAME: $*" >&2; exit 1; }
. "$ROOT/bench/lib.sh"

[[ $ROWS =~ ^[0-9]+$ && $ROWS -ge 1 && $ROWS -le 1000000 ]] || die "BENCH_ROWS: 1..1000000"
for tool in sqlite3 python3; do
	command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y sqlite3 python3)"
done
[ -x "$FAZHI_BIN" ] || die "no fazhi binary at $FAZHI_BIN (build it, or set FAZHI_BIN)"
FAZHI_BIN=$(realpath "$FAZHI_BIN")
bench_warn "$FAZHI_BIN" "$(dirname "$FAZHI_BIN")"
bench_tmp fazhi-bench-import
export FAZHI_KEY_FILE="$TMP/fazhi.key" # the personal-data key (PostgreSQL stores)

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf("%.2f", b - a) }'; }
run() { timeout "$STEP_TIMEOUT" "$@"; }

# ---- the data ----
echo "generating $ROWS subjects…"
run "$FAZHI_BIN" demo --jsonl all.jsonl --enterprises "$ROWS" --persons 0 --officers 0
grep -E '^\{"type":"(region|subject)"' all.jsonl >import.jsonl
grep -E '^\{"type":"region"' all.jsonl >regions.jsonl
rm all.jsonl
[ "$(grep -c '"type":"subject"' import.jsonl)" -eq "$ROWS" ] || die "the demo stream did not give $ROWS subjects"
STAMP=$(date +%s)
# kind,name,uscc,region_code,region_path,created_at,updated_at — the
# columns fazhi writes for an enterprise (id_enc, id_digest, id_masked NULL).
python3 - import.jsonl subjects.csv "$STAMP" <<'EOF'
import csv, json, sys
src, dst, stamp = sys.argv[1], sys.argv[2], int(sys.argv[3])
paths = {}
with open(src, encoding="utf-8") as f, open(dst, "w", newline="", encoding="utf-8") as out:
    w = csv.writer(out, lineterminator="\n")
    for line in f:
        o = json.loads(line)
        if o["type"] == "region":
            p = o.get("parent")
            paths[o["code"]] = (paths[p] if p else "/") + o["code"] + "/"
        else:
            w.writerow([o["kind"], o["name"], o.get("uscc", ""), o["region"], paths[o["region"]], stamp, stamp])
EOF
echo "  $(wc -l <regions.jsonl) regions + $ROWS subjects: import.jsonl $(du -m import.jsonl | cut -f1) MB," \
	"subjects.csv $(du -m subjects.csv | cut -f1) MB"

COLS="kind, name, uscc, region_code, region_path, created_at, updated_at"
# Rows compared between the two loads (not the times: they differ).
CONTENT="SELECT kind, name, uscc, region_code, region_path FROM subjects ORDER BY uscc"

rate() { awk -v n="$ROWS" -v s="$1" 'BEGIN { printf("%.0f", (s > 0) ? n / s : 0) }'; }
ratio() { awk -v r="$1" -v f="$2" 'BEGIN { printf("%.2f", (f > 0) ? r / f : 0) }'; }
RESULTS=()
result() { # backend fazhi_s ref_s reference target
	local r
	r=$(ratio "$3" "$2")
	local v="-"
	[ "$5" != "-" ] && v=$(awk -v r="$r" -v t="$5" 'BEGIN { print((r >= t) ? "PASS" : "BELOW") }')
	RESULTS+=("$(printf '%-11s %9s %11s  %-26s %9s %11s %7s %9s %s' "$1" "$2" "$(rate "$2")" "$4" "$3" \
		"$(rate "$3")" "$r" "$5" "$v")")
}

# ---- SQLite ----
# The reference runs with the connection settings fazhi's SQLite store
# uses (src/core/store/db_sqlite.c), including the page cache of a bulk load.
bulk_kib=$(sed -n 's/^#define SQ_BULK_CACHE_KIB \([0-9]*\).*/\1/p' "$ROOT/src/core/store/db_sqlite.c" 2>/dev/null)
bulk_kib=${bulk_kib:-262144}
echo "SQLite: fazhi import…"
run "$FAZHI_BIN" init --db sqlite:fz.db >/dev/null
t0=$(now)
run "$FAZHI_BIN" import --db sqlite:fz.db import.jsonl >/dev/null
sq_fazhi=$(since "$t0")
echo "SQLite: sqlite3 .import --csv (+ INSERT … SELECT)…"
run "$FAZHI_BIN" init --db sqlite:ref.db >/dev/null
run "$FAZHI_BIN" import --db sqlite:ref.db regions.jsonl >/dev/null # untimed: the regions
[ "$(sqlite3 fz.db .schema)" = "$(sqlite3 ref.db .schema)" ] || die "the two SQLite schemas differ"
cat >ref.sql <<EOF
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
PRAGMA synchronous = FULL;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -$bulk_kib;
BEGIN IMMEDIATE;
CREATE TEMP TABLE stage(kind TEXT, name TEXT, uscc TEXT, region_code TEXT, region_path TEXT,
	created_at TEXT, updated_at TEXT);
.import --csv subjects.csv stage
INSERT INTO subjects($COLS)
	SELECT kind, name, NULLIF(uscc, ''), region_code, region_path,
	       CAST(created_at AS INTEGER), CAST(updated_at AS INTEGER) FROM stage;
DROP TABLE stage;
COMMIT;
EOF
t0=$(now)
run sqlite3 -bail ref.db <ref.sql >/dev/null
sq_ref=$(since "$t0")
for f in fz ref; do
	[ "$(sqlite3 $f.db 'SELECT COUNT(*) FROM subjects')" -eq "$ROWS" ] || die "$f.db: not $ROWS subjects"
done
[ "$(sqlite3 fz.db "$CONTENT" | md5sum)" = "$(sqlite3 ref.db "$CONTENT" | md5sum)" ] ||
	die "SQLite: the two loads hold different rows"
result SQLite "$sq_fazhi" "$sq_ref" "sqlite3 .import --csv" 0.25
rm -f fz.db* ref.db*

# ---- PostgreSQL ----
if [ "$BENCH_PG" = 1 ]; then
	pg_start
	REF=${URI%/*}/ref
	psql() { "$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt "$@"; }
	psql "$URI" -c "CREATE DATABASE ref" >/dev/null
	echo "PostgreSQL: fazhi import…"
	run "$FAZHI_BIN" init --db "$URI" >/dev/null
	t0=$(now)
	run "$FAZHI_BIN" import --db "$URI" import.jsonl >/dev/null
	pg_fazhi=$(since "$t0")
	echo "PostgreSQL: psql COPY FROM STDIN CSV…"
	run "$FAZHI_BIN" init --db "$REF" >/dev/null
	run "$FAZHI_BIN" import --db "$REF" regions.jsonl >/dev/null # untimed: the regions
	t0=$(now)
	run "$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt "$REF" \
		-c "COPY subjects($COLS) FROM STDIN (FORMAT csv)" <subjects.csv >/dev/null
	pg_ref=$(since "$t0")
	for u in "$URI" "$REF"; do
		[ "$(psql "$u" -c 'SELECT COUNT(*) FROM subjects')" -eq "$ROWS" ] || die "$u: not $ROWS subjects"
	done
	[ "$(psql "$URI" -c "$CONTENT" | md5sum)" = "$(psql "$REF" -c "$CONTENT" | md5sum)" ] ||
		die "PostgreSQL: the two loads hold different rows"
	result PostgreSQL "$pg_fazhi" "$pg_ref" "psql COPY FROM STDIN CSV" -
fi

echo
printf '%-11s %9s %11s  %-26s %9s %11s %7s %9s\n' "store" "fazhi s" "fazhi row/s" "reference" "ref s" \
	"ref row/s" "ratio" "target"
for r in "${RESULTS[@]}"; do echo "$r"; done
echo "(ratio = reference time / fazhi time; $ROWS subjects; $(nproc) cores)"
