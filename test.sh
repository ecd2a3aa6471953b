#!/usr/bin/env bash
# test.sh — builds everything and runs every test: unit (ctest), integration
# over HTTP on SQLite and on a throwaway PostgreSQL 15 cluster, browser
# (Playwright + Debian's chromium), the ASan+UBSan build, and the fuzz
# targets (corpus replay + a short run). Installs what is missing when run
# as root. Prints one summary line at the end: "suites: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
scripts/deps.sh test || exit 1

passed=0 failed=0 failures=()
logs=$(mktemp -d /tmp/fazhi-test-logs.XXXXXX)
# Each suite's output goes to the terminal and to $logs/NAME.log, so that
# the end of the run can repeat what a failed suite said (CI shows the tail).
suite() { # suite NAME COMMAND…
	local name=$1; shift
	echo "=== $name"
	if "$@" 2>&1 | tee "$logs/$name.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
		passed=$((passed + 1)); echo "=== $name: ok"
	else failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED"; fi
}
# The failures of a suite's log: node's "failing tests" section, ctest's
# list, else the log's last lines — at most 150 lines.
failure_report() {
	local log=$logs/$1.log
	echo "--- $1: what failed"
	if grep -q '^✖ failing tests:' "$log"; then sed -n '/^✖ failing tests:/,$p' "$log"
	elif grep -q '^not ok' "$log"; then grep -n -A12 '^not ok' "$log"
	elif grep -q 'tests FAILED' "$log"; then sed -n '/tests FAILED/,$p' "$log"
	else tail -n 80 "$log"; fi | head -n 150
}

scripts/build.sh check || { echo "suites: 0 passed, 1 failed"; exit 1; }
export FAZHI_BIN=$root/build/fazhi

tmp=$(mktemp -d /tmp/fazhi-test.XXXXXX)
chmod 0755 "$tmp" # the cluster runs as an unprivileged user
pgdir=$tmp/pg
cleanup() { bash tests/pg_cluster.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
pgport=$((20000 + RANDOM % 20000))
if FAZHI_TEST_PG_URI=$(bash tests/pg_cluster.sh start "$pgdir" "$pgport"); then
	export FAZHI_TEST_PG_URI
else
	echo "PostgreSQL 测试集群启动失败 / could not start the PostgreSQL test cluster"
	failed=$((failed + 1)); failures+=("postgresql-cluster")
fi

suite unit ctest --test-dir build --output-on-failure -E '^fuzz\.'
suite integration-sqlite tests/integration/run.sh sqlite
[ -n "${FAZHI_TEST_PG_URI:-}" ] && suite integration-postgresql tests/integration/run.sh postgresql
suite browser tests/e2e/run.sh

# Sanitizers: the unit tests and the SQLite integration suite under ASan+UBSan.
sanitize() {
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFAZHI_SANITIZE=ON -DFAZHI_WERROR=ON >/dev/null &&
	cmake --build build-asan -j"$(nproc)" >/dev/null &&
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan --output-on-failure -E '^fuzz\.' &&
	FAZHI_BIN=$root/build-asan/fazhi ASAN_OPTIONS=detect_leaks=0 tests/integration/run.sh sqlite
}
suite sanitizers sanitize

fuzz() {
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAZHI_FUZZ=ON >/dev/null &&
	cmake --build build-fuzz -j"$(nproc)" >/dev/null &&
	ctest --test-dir build-fuzz --output-on-failure -R '^fuzz\.' &&
	FUZZ_SECONDS=${FUZZ_SECONDS:-20} FUZZ_BUILD=$root/build-fuzz tests/fuzz/run.sh
}
suite fuzz fuzz

echo
for f in "${failures[@]}"; do [ -f "$logs/$f.log" ] && failure_report "$f"; done
rm -rf "$logs"
[ ${#failures[@]} -gt 0 ] && echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
