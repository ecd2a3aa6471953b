# bench/lib.sh — what the benchmark scripts share (sourced, not run): the
# warnings printed before measuring, a temp dir and a throwaway PostgreSQL
# cluster removed on exit, free loopback ports, waiting for a server.
#
# The script sets NAME (its name in messages) and ROOT before sourcing, and
# defines die(). bench_tmp makes $TMP, cds into it and installs the exit
# trap: it stops the PostgreSQL cluster (pg_start) and runs the script's
# own bench_stop() first when it defines one.

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDIR=

# Whether to run PostgreSQL too: BENCH_PG as given, else 1 when installed.
if [ -z "${BENCH_PG:-}" ]; then
	BENCH_PG=0
	[ -x "$PGBIN/initdb" ] && BENCH_PG=1
fi

# Warns when bin's build tree is not a Release build (its CMakeCache.txt,
# found in build_dir) and when the machine is already busy.
bench_warn() { # bin build_dir [what the load skews]
	local cache=$2/CMakeCache.txt load
	if [ -f "$cache" ] && ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$cache"; then
		echo "$NAME: warning: $1 is not a Release build (see $cache)" >&2
	fi
	load=$(cut -d' ' -f1 /proc/loadavg)
	if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
		echo "$NAME: warning: load average $load — other work on this machine skews ${3:-the figures}" >&2
	fi
}

bench_cleanup() {
	if declare -F bench_stop >/dev/null; then bench_stop; fi
	if [ -n "$PGDIR" ] && [ -f "$PGDIR/data/PG_VERSION" ]; then
		bash "$ROOT/tests/pg_cluster.sh" stop "$PGDIR" || true
	fi
	[ -n "$PGDIR" ] && rm -rf -- "$PGDIR"
	rm -rf -- "$TMP"
}

bench_tmp() { # prefix
	TMP=$(mktemp -d "/tmp/$1.XXXXXX")
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
	cd "$TMP"
}

# A throwaway PostgreSQL 15 cluster on a free loopback port
# (tests/pg_cluster.sh); sets URI to its database.
pg_start() {
	command -v "$PGBIN/psql" >/dev/null || die "psql not found in $PGBIN"
	PGDIR=$(mktemp -d /tmp/fazhi-bench-pg.XXXXXX)
	URI=
	for _ in 1 2 3; do
		URI=$(bash "$ROOT/tests/pg_cluster.sh" start "$PGDIR" "$((20000 + RANDOM % 40000))" 2>"$TMP/pg.err") &&
			break
		URI=
		[ -f "$PGDIR/data/PG_VERSION" ] && bash "$ROOT/tests/pg_cluster.sh" stop "$PGDIR" 2>/dev/null
		mkdir -p "$PGDIR"
	done
	[ -n "$URI" ] || { cat "$TMP/pg.err" >&2; die "PostgreSQL cluster did not start"; }
}

# A port nothing listens on (connecting fails), from the dynamic range.
free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# Waits until URL answers (up to 10 s).
wait_http() {
	for _ in $(seq 1 100); do
		curl -s -o /dev/null "$1" && return 0
		sleep 0.1
	done
	return 1
}

# `fazhi serve` on a free loopback port (three tries), until its health
# endpoint answers; sets SERVE_PID and SERVE_PORT. The log is $TMP/serve.log.
SERVE_PID= SERVE_PORT=
start_fazhi() { # serve arguments…
	for _ in 1 2 3; do
		SERVE_PORT=$(free_port)
		"$FAZHI_BIN" serve "$@" --listen "127.0.0.1:$SERVE_PORT" >"$TMP/serve.log" 2>&1 &
		SERVE_PID=$!
		wait_http "http://127.0.0.1:$SERVE_PORT/api/v1/health" && return 0
		kill "$SERVE_PID" 2>/dev/null || true
		wait "$SERVE_PID" 2>/dev/null || true
		SERVE_PID=
	done
	cat "$TMP/serve.log" >&2
	die "fazhi serve did not start"
}
stop_fazhi() {
	[ -n "$SERVE_PID" ] || return 0
	kill "$SERVE_PID" 2>/dev/null || true
	wait "$SERVE_PID" 2>/dev/null || true
	SERVE_PID=
}
