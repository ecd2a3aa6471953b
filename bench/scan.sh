#!/usr/bin/env bash
# bench/scan.sh — the 入企码 scan page under load: GET /c/{token} (a valid
# token made by `fazhi qr make`; its signature checked once, then from the
# cache of verified tokens) by 200 clients at once, against GET
# /api/v1/health measured in the same run on the same server (see
# bench/README.md). Two tokens on a demo store (`fazhi demo`): one of no
# record — every reply must be the 404 page 「未找到对应的检查记录」, the work
# the token's check — and one of a demo inspection whose result is recorded
# — every reply must be its 200 page (the inspection, the enterprise, the
# body and each officer's certificate read from the store).
#
#   bench/scan.sh                    uses build/fazhi and SQLite
#
# Settings (environment): FAZHI_BIN (default build/fazhi), BENCH_DURATION
# seconds per wrk run (default 10), BENCH_CONNS (default 200), WRK_THREADS
# (default 2). The server runs with --max-conn-per-ip 0 (all clients come
# from 127.0.0.1). Takes about 3 × BENCH_DURATION + 30 s.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=bench/scan
FAZHI_BIN=${FAZHI_BIN:-$ROOT/build/fazhi}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNS:-200}
WRK_THREADS=${WRK_THREADS:-2}

die() { echo "$NAME: $*" >&2; exit 1; }
. "$ROOT/bench/lib.sh"

"$ROOT/scripts/deps.sh" bench || exit 1
[ -x "$FAZHI_BIN" ] || die "no fazhi binary at $FAZHI_BIN (build it, or set FAZHI_BIN)"
FAZHI_BIN=$(realpath "$FAZHI_BIN")
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 && $DURATION -le 60 ]] || die "BENCH_DURATION: 1..60 seconds"
bench_warn "$FAZHI_BIN" "$(dirname "$FAZHI_BIN")"
bench_stop() { stop_fazhi; }
bench_tmp fazhi-bench-scan

to_ms() { awk -v v="$1" 'BEGIN { u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	printf("%.2f", (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v) }'; }

# Runs wrk; prints "REQ_PER_S P50_MS P99_MS". non2xx: how many replies
# must be non-2xx: "none" or "all".
run_wrk() { # url non2xx
	local out n bad
	out=$(timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s "$1") ||
		die "wrk failed on $1"
	echo "$out" >>"$TMP/wrk.log"
	grep -q 'Socket errors' <<<"$out" && { echo "$out" >&2; die "socket errors on $1"; }
	n=$(awk '/requests in/ { print $1 }' <<<"$out")
	bad=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
	bad=${bad:-0}
	if { [ "$2" = none ] && [ "$bad" != 0 ]; } || { [ "$2" = all ] && [ "$bad" != "$n" ]; }; then
		echo "$out" >&2
		die "unexpected replies on $1 ($bad of $n not 2xx; expected $2)"
	fi
	echo "$(awk '/^Requests\/sec:/ { printf("%.0f", $2) }' <<<"$out")" \
		"$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")" "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
}

uri="sqlite:$TMP/s.db"
"$FAZHI_BIN" demo --db "$uri" >/dev/null
token=$("$FAZHI_BIN" qr make --db "$uri" --record 2000000000 --subject 1 --days 1)
read -r rec ent <<<"$(sqlite3 -separator ' ' "$TMP/s.db" "SELECT id, json_extract(data, '$.enterprise') FROM records
	WHERE register = 'inspection' AND state = 'result_recorded' ORDER BY id LIMIT 1")"
[ -n "$rec" ] || die "the demo has no inspection whose result is recorded"
itoken=$("$FAZHI_BIN" qr make --db "$uri" --record "$rec" --subject "$ent" --days 1)
start_fazhi --db "$uri" --max-conn-per-ip 0
base="http://127.0.0.1:$SERVE_PORT"
page=$(curl -s "$base/c/$token")
grep -q '未找到对应的检查记录' <<<"$page" || die "the scan page is not the one expected: $page"
page=$(curl -s "$base/c/$itoken")
grep -q '入企检查核验' <<<"$page" && grep -q '执法证号' <<<"$page" || die "the inspection's page is not the one expected: $page"
echo "fazhi: $FAZHI_BIN; wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s; $(nproc) cores shared by wrk and the server"
read -r hr hp50 hp99 <<<"$(run_wrk "$base/api/v1/health" none)"
read -r sr sp50 sp99 <<<"$(run_wrk "$base/c/$token" all)"
read -r ir ip50 ip99 <<<"$(run_wrk "$base/c/$itoken" none)"
stop_fazhi
echo
printf '%-28s %9s %8s %8s\n' "request" "req/s" "p50 ms" "p99 ms"
printf '%-28s %9s %8s %8s\n' "GET /api/v1/health" "$hr" "$hp50" "$hp99" "GET /c/{token} (no record)" "$sr" "$sp50" "$sp99" \
	"GET /c/{token} (inspection)" "$ir" "$ip50" "$ip99"
echo "(the same server, one after the other)"
