#!/usr/bin/env bash
# bench/writes.sh — writes under concurrency: records created over HTTP by
# 50 clients at once, against GET /api/v1/health measured in the same run
# on the same server (see bench/README.md).
#
#   bench/writes.sh [WORKLOAD]       uses build/fazhi, SQLite and PostgreSQL
#   FAZHI_BIN=path/to/fazhi bench/writes.sh case
#
# WORKLOAD (default rectification):
#   rectification  POST /api/v1/registers/rectification/records — a 整改
#                  item for B330282-SCJG by a coordinator scoped to 330200
#   case           行政处罚案件 of B330282-SCJG by one of its officers: each
#                  client alternates creating a case (POST …/enforcement_case/
#                  records: the party, the matter and two certificates
#                  checked) and recording 立案 on a case it created (POST
#                  …/records/{id}/transitions: the two officers' certificates
#                  valid today, 第四十二条; the limitation, 第三十六条; the
#                  handling limit derived; the step's date stamped)
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
# Per store: `fazhi demo`, the workload's user, a login with curl (session
# cookie and CSRF token), then
#   (a) GET /api/v1/health                                  — the reference
#   (b) the workload's writes: session check, CSRF, field checks, the
#       record, its counters and its audit entry in one transaction
# each `wrk -t2 -c50 -d10s --latency` (the writes from a Lua script). Every
# reply must be 2xx, and the store must show at least as many changes as
# wrk counted replies (a write acknowledged and lost fails the run).
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
WORKLOAD=${1:-rectification}
USERNAME=bench
PASSWORD='Wrk-Load-7q!Zx'
BODY_CODE=B330282-SCJG
case $WORKLOAD in
rectification | case) ;;
*) echo "bench/writes: unknown workload $WORKLOAD (rectification or case)" >&2; exit 2 ;;
esac
REGISTER=$WORKLOAD
[ "$WORKLOAD" = case ] && REGISTER=enforcement_case
RECORDS=/api/v1/registers/$REGISTER/records

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

# ---- the workloads: who writes, what, and how the store counts it ----

# The changes a store shows: records of the register, plus (case) the
# cases in 立案 — each acknowledged write adds one. $1: the SQL runner.
changes() {
	if [ "$WORKLOAD" = case ]; then
		"$1" "SELECT (SELECT COUNT(*) FROM records WHERE register = 'enforcement_case')
			+ (SELECT COUNT(*) FROM records WHERE register = 'enforcement_case' AND state = 'filed')"
	else
		"$1" "SELECT COUNT(*) FROM records WHERE register = 'rectification'"
	fi
}

add_user() { # uri
	if [ "$WORKLOAD" = case ]; then
		echo "$PASSWORD" | "$FAZHI_BIN" user add --db "$1" --username "$USERNAME" --role officer \
			--body "$BODY_CODE" --password-stdin >/dev/null
	else
		echo "$PASSWORD" | "$FAZHI_BIN" user add --db "$1" --username "$USERNAME" --role coordinator \
			--scope 330200 --password-stdin >/dev/null
	fi
}

# The JSON body of one create. A case: two of the body's officers whose
# certificates are valid today, a party in its county, one of its matters.
create_body() { # sql-runner
	if [ "$WORKLOAD" != case ]; then
		# The deadline three months ahead of the server's today (its clock is China time).
		echo "{\"body\":\"$BODY_CODE\",\"data\":{\"source\":\"法治督察\",\"issue\":\"并发写入压测\",\"deadline\":\"$(TZ=Asia/Shanghai date -d '+90 days' +%F)\"}}"
		return
	fi
	local today officers party matter
	today=$(TZ=Asia/Shanghai date +%F)
	officers=$("$1" "SELECT p.cert_no FROM people p JOIN bodies b ON b.id = p.body_id WHERE b.code = '$BODY_CODE'
		AND p.cert_status = 'active' AND p.cert_valid_from <= '$today' AND p.cert_valid_until >= '$today'
		ORDER BY p.id LIMIT 2" | paste -sd, -)
	party=$("$1" "SELECT s.id FROM subjects s WHERE s.kind = 'enterprise' AND s.region_path LIKE
		(SELECT region_path FROM bodies WHERE code = '$BODY_CODE') || '%' ORDER BY s.id LIMIT 1")
	matter=$("$1" "SELECT r.id FROM records r JOIN bodies b ON b.id = r.body_id WHERE r.register = 'enforcement_matter'
		AND r.state = 'listed' AND b.code = '$BODY_CODE' ORDER BY r.id LIMIT 1")
	[[ $officers == *,* && -n $party && -n $matter ]] || die "case: no two certified officers, party or matter for $BODY_CODE"
	echo "{\"body\":\"$BODY_CODE\",\"data\":{\"party\":$party,\"matter\":$matter,\"procedure\":\"普通程序\",\"violation\":\"并发写入压测：销售超过保质期的食品\",\"violation_date\":\"$today\",\"officers\":\"$officers\"}}"
}

# The wrk script: every request creates (rectification); for a case, a
# reply's new id is queued and the thread's next request records its 立案.
write_lua() { # token csrf create-body
	cat >"$TMP/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "fazhi_session=$1"
wrk.headers["X-CSRF-Token"] = "$2"
wrk.body = '$3'
EOF
	[ "$WORKLOAD" = case ] || return 0
	cat >>"$TMP/post.lua" <<EOF
local queue = {}
request = function()
  local id = table.remove(queue)
  if id then
    return wrk.format("POST", "$RECORDS/" .. id .. "/transitions", nil, '{"transition":"file"}')
  end
  return wrk.format("POST", "$RECORDS", nil, wrk.body)
end
response = function(status, headers, body)
  if status == 201 then
    local id = body:match('"id":(%d+)')
    if id then table.insert(queue, id) end
  end
end
EOF
}

RESULTS=()
# Measures one store: health, then the workload, on one server.
measure() { # label uri sql-runner
	local label=$1 uri=$2 sql=$3
	echo "$label: fazhi demo…"
	"$FAZHI_BIN" demo --db "$uri" >/dev/null
	add_user "$uri"
	local args=(--db "$uri")
	[ -n "$FAZHI_THREADS" ] && args+=(--threads "$FAZHI_THREADS")
	start_fazhi "${args[@]}"
	local base="http://127.0.0.1:$SERVE_PORT" csrf token body
	csrf=$(curl -s -c "$TMP/cookies" -H 'Content-Type: application/json' \
		--data "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$base/api/v1/session" |
		sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
	token=$(awk '$6 == "fazhi_session" { print $7 }' "$TMP/cookies")
	[ -n "$csrf" ] && [ -n "$token" ] || die "$label: login failed"
	body=$(create_body "$sql")
	write_lua "$token" "$csrf" "$body"
	local code
	code=$(curl -s -o "$TMP/one.json" -w '%{http_code}' -b "$TMP/cookies" -H "X-CSRF-Token: $csrf" \
		-H 'Content-Type: application/json' --data "$body" "$base$RECORDS")
	[ "$code" = 201 ] || { cat "$TMP/one.json" >&2; die "$label: creating a record answered $code"; }
	local before after h w
	before=$(changes "$sql")
	h=$(run_wrk "$base/api/v1/health")
	w=$(run_wrk "$base$RECORDS" -s "$TMP/post.lua")
	stop_fazhi
	after=$(changes "$sql")
	[ $((after - before)) -ge "${w##* }" ] ||
		die "$label: wrk counted ${w##* } writes, the store shows $((after - before)) more changes"
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

echo "fazhi: $FAZHI_BIN; workload $WORKLOAD; wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s; $(nproc) cores shared by wrk and the server"

# ---- SQLite ----
command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install -y sqlite3)"
sq_sql() { sqlite3 "$TMP/w.db" "$1"; }
measure SQLite "sqlite:$TMP/w.db" sq_sql
rm -rf -- "$TMP"/w.db*

# ---- PostgreSQL ----
if [ "$BENCH_PG" = 1 ]; then
	pg_start
	pg_sql() { "$PGBIN/psql" -X -qAt "$URI" -c "$1"; }
	measure PostgreSQL "$URI" pg_sql
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
what="POST $RECORDS"
[ "$WORKLOAD" = case ] && what="POST $RECORDS and …/{id}/transitions (立案), alternately"
echo "(writes: $what; health: GET /api/v1/health on the same server just before;"
echo " p99 ratio = writes p99 / health p99; wrk and the server share $(nproc) cores)"
