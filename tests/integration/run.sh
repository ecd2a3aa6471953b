#!/usr/bin/env bash
# run.sh — the HTTP/CLI integration tests on one backend.
#
#   tests/integration/run.sh sqlite
#   FAZHI_TEST_PG_URI=postgresql://postgres@127.0.0.1:5432/postgres tests/integration/run.sh postgresql
#   tests/integration/run.sh postgresql          (no URI: a throwaway cluster via tests/pg_cluster.sh)
#
# FAZHI_BIN picks the binary (default build/fazhi); extra arguments after the
# backend are test files (default: all *.test.mjs, and then the check that
# every route was called, routes_called.mjs, and that every audit detail
# key has a Chinese label, audit_labels.mjs). Two files at a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
backend=${1:-}
case $backend in
sqlite | postgresql) shift ;;
*) echo "usage: $0 sqlite|postgresql [FILE.test.mjs…]" >&2; exit 2 ;;
esac

bin=${FAZHI_BIN:-build/fazhi}
[[ $bin = /* ]] || bin=$repo/$bin
[ -x "$bin" ] || { echo "run.sh: $bin not found: build first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: node (20+) is needed" >&2; exit 2; }
if [ "$backend" = sqlite ]; then
	command -v sqlite3 >/dev/null || { echo "run.sh: the sqlite3 CLI is needed (apt-get install sqlite3)" >&2; exit 2; }
else
	command -v psql >/dev/null || { echo "run.sh: psql is needed (apt-get install postgresql-client)" >&2; exit 2; }
fi

cluster=
cleanup() { [ -z "$cluster" ] || bash "$repo/tests/pg_cluster.sh" stop "$cluster" || true; }
trap cleanup EXIT
if [ "$backend" = postgresql ] && [ -z "${FAZHI_TEST_PG_URI:-}" ]; then
	cluster=$(mktemp -d /tmp/fazhi-it-pg.XXXXXX)
	chmod 755 "$cluster"
	port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	FAZHI_TEST_PG_URI=$(bash "$repo/tests/pg_cluster.sh" start "$cluster" "$port")
	export FAZHI_TEST_PG_URI
	echo "# throwaway PostgreSQL cluster: $FAZHI_TEST_PG_URI"
fi

files=("$@")
route_log=
if [ ${#files[@]} -eq 0 ]; then
	files=("$here"/*.test.mjs)
	# The whole suite: every route must be called (routes_called.mjs).
	route_log=$(mktemp /tmp/fazhi-routes.XXXXXX)
	export FAZHI_ROUTE_LOG=$route_log
	# … and every audit detail key has a Chinese label (audit_labels.mjs).
	details=$(mktemp /tmp/fazhi-audit-details.XXXXXX)
	export FAZHI_AUDIT_DETAILS=$details
fi
cleanup() {
	[ -z "$route_log" ] || rm -f "$route_log" "$details"
	[ -z "$cluster" ] || bash "$repo/tests/pg_cluster.sh" stop "$cluster" || true
}
export FAZHI_TEST_BACKEND=$backend FAZHI_BIN=$bin
echo "# backend $backend, binary $bin"
# Not exec: the trap stops the cluster afterwards.
node --test --test-concurrency=2 --test-timeout=300000 --test-reporter=tap "${files[@]}"
[ -z "$route_log" ] || node "$here/routes_called.mjs" "$bin" "$route_log"
[ -z "$route_log" ] || node "$here/audit_labels.mjs" "$bin" "$details"
