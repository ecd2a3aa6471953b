#!/usr/bin/env bash
# bench/writes.sh — writes under concurrency: records created over HTTP by
# 50 clients at once, against GET /api/v1/health measured in the same run
# on the same server (see bench/README.md).
#
#   bench/writes.sh                  uses build/fazhi, SQLite and PostgreSQL
#   FAZHI_BIN=path/to/fazhi bench/writes.sh
#
# Builds nothing: it expects a Release build
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2
#
# Settings (environment):
#   FAZHI_BIN       the binary (default build/fazhi)
#   BENCH_DURATION  seconds per wrk run (default 10)
#   BENCH_CONNS     wrk connections (default 50)
#   WRK_THREADS     wrk threads (default 2)
#   FAZHI_THREADS   server worker threads (default: the server's own, 2 × cores)
#   BENCH_PG        1: also PostgreSQL, on a throwaway cluster (tests/pg_cluster.sh);
#                   0: SQLite only (default: 1 when PostgreSQL 15 is installed)
#
# Per store: `fazhi demo`, a coordinator `bench` scoped to 330200, a login
# with curl (session cookie and CSRF token), then
#   (a) GET /api/v1/health                                  — the reference
#   (b) POST /api/v1/registers/rectification/records        — a 整改 item for
#       B330282-SCJG: session check, CSRF, field checks, the record, its
#       counters and its audit entry in one transaction, the record as reply
# each `wrk -t2 -c50 -d10s --latency` (the POST from a Lua script). Every
# reply must be 2xx, and the store must hold at least as many new records
# as wrk counted replies (a write acknowledged and lost fails the run).
# Everything runs on loopback; what it starts is stopped on exit; its files
# live in a temp dir. Takes about 2 × (2 × BENCH_DURATION) + 30 s.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=bench/writes
FAZHI_BIN=${FAZHI_BIN:-$ROOT/build/fazhi}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNS:-50}
WRK_THREADS=${WRK_THREADS:-2}
FAZHI_THREADS=${FAZHI_THREADS:-}
USERNAME=bench
PASSWORD='Wrk-Load-7q!Zx'
BODY_CODE=B330282-SCJG
RECORDS=/api/v1/registers/rectification/records

die() { echo "$NAME: $*" >&2; exit 1; }
. "$ROOT/bench/lib.sh"

"$ROOT/scripts/deps.sh" bench || exit 1 # wrk, curl, sqlite3, postgresql-15 (installs them as root)
[ -x "$FAZHI_BIN" ] || die "no fazhi binary at $FAZHI_BIN (build it, or set FAZHI_BIN)"
FAZHI_BIN=$(realpath "$FAZHI_BIN")
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 && $DURATION -le 60 ]] || die "BENCH_DURATION: 1..60 seconds"
[[ -z $FAZHI_THREADS || $FAZHI_THREADS =~ ^[0-9]+$ ]] || die "FAZHI_THREADS: a number"
bench_warn "$FAZHI_BIN" "$(dirname "$FAZHI_BIN")"
bench_stop() { stop_fazhi; }
bench_tmp fazhi-bench-writes
export FAZHI_KEY_FILE="$TMP/fazhi.key" # the personal-data key (PostgreSQL stores)

# wrk's latency "516.00us" / "7.20ms" / "1.02s" in ms.
to_ms() { awk -v v="$1" 'BEGIN { u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	printf("%.2f", (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v) }'; }

# Runs wrk; prints "REQ_PER_S P50_MS P99_MS REPLIES", or dies when any
# reply was not 2xx or a socket failed.
run_wrk() { # url [wrk args…]
	local url=$1 out
	shift
	out=$(timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
		--timeout 5s "$@" "$url") || die "wrk failed on $url"
	echo "$out" >>"$TMP/wrk.log"
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "$out" >&2
		die "errors on $url (above)"
	fi
	local rps p50 p99 n
	rps=$(awk '/^Requests\/sec:/ { printf("%.0f", $2) }' <<<"$out")
	p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
	n=$(awk '/requests in/ { print $1 }' <<<"$out")
	echo "$rps $p50 $p99 $n"
}

RESULTS=()
# Measures one store: health, then record creation, on one server.
measure() { # label uri count-command…
	local label=$1 uri=$2
	shift 2
	echo "$label: fazhi demo…"
	"$FAZHI_BIN" demo --db "$uri" >/dev/null
	echo "$PASSWORD" | "$FAZHI_BIN" user add --db "$uri" --username "$USERNAME" --role coordinator \
		--scope 330200 --password-stdin >/dev/null
	local args=(--db "$uri")
	[ -n "$FAZHI_THREADS" ] && args+=(--threads "$FAZHI_THREADS")
	start_fazhi "${args[@]}"
	local base="http://127.0.0.1:$SERVE_PORT" csrf token
	csrf=$(curl -s -c "$TMP/cookies" -H 'Content-Type: application/json' \
		--data "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$base/api/v1/session" |
		sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
	token=$(awk '$6 == "fazhi_session" { print $7 }' "$TMP/cookies")
	[ -n "$csrf" ] && [ -n "$token" ] || die "$label: login failed"
	# The deadline three months ahead of the server's today (its clock is China time).
	local deadline
	deadline=$(TZ=Asia/Shanghai date -d '+90 days' +%F)
	cat >"$TMP/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "fazhi_session=$token"
wrk.headers["X-CSRF-Token"] = "$csrf"
wrk.body = '{"body":"$BODY_CODE","data":{"source":"法治督察","issue":"并发写入压测","deadline":"$deadline"}}'
EOF
	local code
	code=$(curl -s -o "$TMP/one.json" -w '%{http_code}' -b "$TMP/cookies" -H "X-CSRF-Token: $csrf" \
		-H 'Content-Type: application/json' --data "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$TMP/post.lua")" \
		"$base$RECORDS")
	[ "$code" = 201 ] || { cat "$TMP/one.json" >&2; die "$label: creating a record answered $code"; }
	local before after h w
	before=$("$@")
	h=$(run_wrk "$base/api/v1/health")
	w=$(run_wrk "$base$RECORDS" -s "$TMP/post.lua")
	stop_fazhi
	after=$("$@")
	[ $((after - before)) -ge "${w##* }" ] ||
		die "$label: wrk counted ${w##* } created records, the store holds $((after - before)) more"
	read -r hr hp50 hp99 _ <<<"$h"
	read -r wr wp50 wp99 _ <<<"$w"
	printf '  %s: health %s/s p50 %s ms p99 %s ms | writes %s/s p50 %s ms p99 %s ms (%s stored)\n' \
		"$label" "$hr" "$hp50" "$hp99" "$wr" "$wp50" "$wp99" $((after - before))
	RESULTS+=("$(printf '%-11s %9s %8s %8s %10s %8s %8s %9s' "$label" "$wr" "$wp50" "$wp99" "$hr" "$hp50" \
		"$hp99" "$(awk -v a="$wp99" -v b="$hp99" 'BEGIN { printf("%.1f", (b > 0) ? a / b : 0) }')")")
	if [ "$label" = SQLite ]; then
		SQ_RATE=$wr SQ_P99=$wp99
	fi
}

echo "fazhi: $FAZHI_BIN; wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s; $(nproc) cores shared by wrk and the server"

# ---- SQLite ----
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install -y sqlite3)"
sq_count() { sqlite3 "$TMP/w.db" "SELECT COUNT(*) FROM records WHERE register = 'rectification'"; }
measure SQLite "sqlite:$TMP/w.db" sq_count
rm -rf -- "$TMP"/w.db*

# ---- PostgreSQL ----
if [ "$BENCH_PG" = 1 ]; then
	pg_start
	pg_count() { "$PGBIN/psql" -X -qAt "$URI" -c "SELECT COUNT(*) FROM records WHERE register = 'rectification'"; }
	measure PostgreSQL "$URI" pg_count
fi

# ---- the table ----
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { print(((dir == "<") ? (v < t) : (v >= t)) ? "PASS" : "BELOW") }'; }
echo
printf '%-11s %9s %8s %8s %10s %8s %8s %9s\n' "store" "writes/s" "p50 ms" "p99 ms" "health/s" "p50 ms" \
	"p99 ms" "p99 ratio"
for r in "${RESULTS[@]}"; do echo "$r"; done
echo
printf 'SQLite writes/s = %s (target >= 1000) %s\n' "$SQ_RATE" "$(verdict "$SQ_RATE" 1000 '>=')"
printf 'SQLite p99      = %s ms (target < 20 ms) %s\n' "$SQ_P99" "$(verdict "$SQ_P99" 20 '<')"
echo "(writes: POST $RECORDS; health: GET /api/v1/health on the same server just before;"
echo " p99 ratio = writes p99 / health p99; wrk and the server share $(nproc) cores)"
