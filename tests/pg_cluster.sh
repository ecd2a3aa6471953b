#!/usr/bin/env bash
# pg_cluster.sh — a throwaway PostgreSQL 15 cluster for the tests.
#
#   tests/pg_cluster.sh start DIR PORT   prints postgresql://postgres@127.0.0.1:PORT/fazhi_test
#   tests/pg_cluster.sh stop DIR         stops the server and removes DIR
#
# The cluster lives in DIR/data (trust auth, C.UTF-8, fsync off), listens on
# 127.0.0.1:PORT and a unix socket in DIR, logs to DIR/postgres.log. Run as
# root, the server runs as the unprivileged user fazhi-test (created if
# missing). The system PostgreSQL service is never touched.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
RUN_USER=fazhi-test

die() { echo "pg_cluster: $*" >&2; exit 1; }

# Runs a command as the cluster's owner (root cannot run postgres).
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u "$RUN_USER" -- "$@")
	else
		(cd / && "$@")
	fi
}

ensure_user() {
	[ "$(id -u)" -eq 0 ] || return 0
	id "$RUN_USER" >/dev/null 2>&1 ||
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$RUN_USER"
}

start() {
	local dir=$1 port=$2
	[[ $port =~ ^[0-9]+$ ]] || die "port must be a number: $port"
	[ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 not found in $PGBIN"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
	[ ${#dir} -lt 90 ] || die "$dir is too long for a unix socket path"
	ensure_user
	if [ "$(id -u)" -eq 0 ]; then
		chown "$RUN_USER": "$dir"
		as_owner test -w "$dir" || die "$RUN_USER cannot reach $dir (check its parents' permissions)"
	fi

	as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust \
		--locale=C.UTF-8 --encoding=UTF8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	cat >>"$dir/data/postgresql.conf" <<-EOF
		listen_addresses = '127.0.0.1'
		port = $port
		unix_socket_directories = '$dir'
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		shared_buffers = 32MB
		timezone = 'UTC'
	EOF
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start >/dev/null ||
		{ tail -n 20 "$dir/postgres.log" >&2; die "server did not start (port $port in use?)"; }
	as_owner "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAt \
		-c "CREATE DATABASE fazhi_test" >/dev/null
	echo "postgresql://postgres@127.0.0.1:$port/fazhi_test"
}

stop() {
	local dir=$1
	# Refuse anything that is not a cluster this script made.
	[ -f "$dir/data/PG_VERSION" ] || die "$dir holds no cluster made by this script"
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ||
			echo "pg_cluster: pg_ctl stop failed" >&2
	fi
	rm -rf -- "$dir"
}

case "${1:-}" in
start) [ $# -eq 3 ] || die "usage: $0 start DIR PORT"; start "$2" "$3" ;;
stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 start DIR PORT | stop DIR" ;;
esac
