#!/usr/bin/env bash
# bench/http.sh — HTTP throughput of `fazhi serve` against nginx serving a
# static file, measured in the same run (see bench/README.md).
#
#   bench/http.sh                    uses build/fazhi
#   FAZHI_BIN=path/to/fazhi bench/http.sh
#
# Builds nothing: it expects a Release build
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2
#
# Settings (environment):
#   FAZHI_BIN       the binary (default build/fazhi)
#   BENCH_DURATION  seconds per wrk run (default 5)
#   BENCH_CONNS     wrk connections (default 64)
#   WRK_THREADS     wrk threads (default 2)
#   FAZHI_THREADS   server worker counts tried, best reported (default "1 2 4";
#                   nginx is measured once before each, its best reported)
#   NGINX_WORKERS   nginx worker_processes (default auto = one per core)
#
# It runs, on loopback only: (a) nginx serving a JSON file of the same bytes
# as fazhi's health reply, (b) GET /api/v1/health, (c) GET
# /api/v1/bodies?limit=50 with a session cookie (coordinator scoped to
# 330200: session check, scope filter, the query and the count, 50 rows of
# JSON). wrk and the server under test share the machine's cores.
# Everything it starts is stopped on exit; its files live in a temp dir.
# Takes about 3 × (3 × BENCH_DURATION) + 5 s (50 s by default).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=bench/http
FAZHI_BIN=${FAZHI_BIN:-$ROOT/build/fazhi}
DURATION=${BENCH_DURATION:-5}
CONNS=${BENCH_CONNS:-64}
WRK_THREADS=${WRK_THREADS:-2}
FAZHI_THREADS=${FAZHI_THREADS:-"1 2 4"}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
USERNAME=bench
PASSWORD='Wrk-Load-7q!Zx'

die() { echo "$NAME: $*" >&2; exit 1; }
. "$ROOT/bench/lib.sh"

"$ROOT/scripts/deps.sh" bench || exit 1 # wrk, nginx, curl (installs them as root)
[ -x "$FAZHI_BIN" ] || die "no fazhi binary at $FAZHI_BIN (build it, or set FAZHI_BIN)"
FAZHI_BIN=$(realpath "$FAZHI_BIN")
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 && $DURATION -le 60 ]] || die "BENCH_DURATION: 1..60 seconds"
bench_warn "$FAZHI_BIN" "$(dirname "$FAZHI_BIN")"

NGINX_PID=
bench_stop() {
	stop_fazhi
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
	return 0
}
bench_tmp fazhi-bench-http

# ---- the store: demo city + one coordinator account ----
DB="sqlite:$TMP/b.db"
"$FAZHI_BIN" demo --db "$DB" >/dev/null
echo "$PASSWORD" | "$FAZHI_BIN" user add --db "$DB" --username "$USERNAME" --role coordinator \
	--scope 330200 --password-stdin >/dev/null

# Runs wrk; prints "REQ_PER_S P99_MS" ("0 0" when any reply was not 2xx).
run_wrk() { # url [header]
	local out args=(-t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s)
	[ $# -gt 1 ] && args+=(-H "$2")
	out=$(timeout $((DURATION + 30)) wrk "${args[@]}" "$1") || die "wrk failed on $1"
	echo "$out" >>"$TMP/wrk.log"
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "bench/http: errors on $1:" >&2
		grep -E 'Non-2xx|Socket errors' <<<"$out" >&2
		echo "0 0"
		return
	fi
	awk '/^Requests\/sec:/ { rps = $2 }
	     $1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
			   ms = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v }
	     END { printf "%.0f %.2f\n", rps, ms }' <<<"$out"
}

# ---- fazhi: log in once (the session is in the store), then each thread count ----
echo "fazhi: $FAZHI_BIN; wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s; $(nproc) cores shared by wrk and the server"
start_fazhi --db "$DB" --threads 2
BASE="http://127.0.0.1:$SERVE_PORT"
curl -s -o "$TMP/health.json" "$BASE/api/v1/health"
curl -s -c "$TMP/cookies" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	--data "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session" |
	grep -q '^200$' || die "login failed"
COOKIE="Cookie: fazhi_session=$(awk '$6 == "fazhi_session" { print $7 }' "$TMP/cookies")"
n=$(curl -s -H "$COOKIE" "$BASE/api/v1/bodies?limit=50" | grep -o '"code":' | wc -l)
[ "$n" -eq 50 ] || die "the bodies list did not answer 50 items (got $n)"
list_bytes=$(curl -s -H "$COOKIE" "$BASE/api/v1/bodies?limit=50" | wc -c)
stop_fazhi

# ---- nginx: the same bytes as fazhi's health reply, from a file ----
mkdir -p "$TMP/nginx/www" "$TMP/nginx/tmp"
cp "$TMP/health.json" "$TMP/nginx/www/health.json"
chmod 755 "$TMP" "$TMP/nginx" "$TMP/nginx/www" # workers may run as another user
chmod 644 "$TMP/nginx/www/health.json"
NGINX_PORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_timeout 65;
	keepalive_requests 1000000;
	client_body_temp_path $TMP/nginx/tmp/body;
	proxy_temp_path $TMP/nginx/tmp/proxy;
	fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
	uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
	scgi_temp_path $TMP/nginx/tmp/scgi;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $TMP/nginx/www;
		location = /health.json { default_type application/json; }
	}
}
EOF
nginx -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
NGINX_PID=$!
wait_http "http://127.0.0.1:$NGINX_PORT/health.json" || { cat "$TMP/nginx/error.log" >&2; die "nginx did not start"; }

# ---- nginx up, then per thread count: nginx, fazhi health, fazhi list ----
# Interleaved so that the reference sees the same conditions; the best run
# of each is reported (nginx gets as many tries as fazhi).
best_n="0 0" best_h="0 0" best_l="0 0" th_h=0 th_l=0
for t in $FAZHI_THREADS; do
	n=$(run_wrk "http://127.0.0.1:$NGINX_PORT/health.json")
	start_fazhi --db "$DB" --threads "$t"
	BASE="http://127.0.0.1:$SERVE_PORT"
	h=$(run_wrk "$BASE/api/v1/health")
	l=$(run_wrk "$BASE/api/v1/bodies?limit=50" "$COOKIE")
	stop_fazhi
	printf '  nginx %6s/s p99 %6s ms | --threads %s: health %6s/s p99 %6s ms, list %5s/s p99 %6s ms\n' \
		${n% *} ${n#* } "$t" ${h% *} ${h#* } ${l% *} ${l#* }
	[ "${n% *}" -gt "${best_n% *}" ] && best_n=$n
	[ "${h% *}" -gt "${best_h% *}" ] && best_h=$h th_h=$t
	[ "${l% *}" -gt "${best_l% *}" ] && best_l=$l th_l=$t
done
ng=$best_n
kill "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=

# ---- the table ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%.2f", (b > 0) ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print((r >= t) ? "PASS" : "BELOW") }'; }
rh=$(ratio "${best_h% *}" "${ng% *}")
rl=$(ratio "${best_l% *}" "${ng% *}")
echo
printf '%-50s %10s %9s %8s\n' "benchmark" "req/s" "p99 ms" "threads"
printf '%-50s %10s %9s %8s\n' "(a) nginx static JSON ($(wc -c <"$TMP/health.json") B)" ${ng% *} ${ng#* } \
	"$NGINX_WORKERS"
printf '%-50s %10s %9s %8s\n' "(b) fazhi GET /api/v1/health" ${best_h% *} ${best_h#* } "$th_h"
printf '%-50s %10s %9s %8s\n' "(c) fazhi GET /api/v1/bodies?limit=50 ($list_bytes B)" ${best_l% *} \
	${best_l#* } "$th_l"
echo
printf 'health/nginx = %s (target >= 1.0) %s\n' "$rh" "$(verdict "$rh" 1.0)"
printf 'list/nginx   = %s (target >= 0.5) %s\n' "$rl" "$(verdict "$rl" 0.5)"
echo "(wrk and the servers share $(nproc) cores; nginx worker_processes $NGINX_WORKERS; fazhi: best of --threads $FAZHI_THREADS)"
