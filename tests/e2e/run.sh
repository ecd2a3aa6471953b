#!/usr/bin/env bash
# run.sh — the browser tests against the real server: a fresh demo store,
# a coordinator, a department clerk and the administrators with known
# passwords, the notification pass every second, `fazhi serve` on a free
# port with the built console, then the test files (all, or those named
# as arguments) in Debian's chromium; the server also loads the register definitions of
# fixtures/registers/ (FAZHI_REGISTERS_DIR).
set -euo pipefail
# The test files to run (names in this directory): all unless given.
files=("$@")
[ ${#files[@]} -gt 0 ] || files=($(cd "$(dirname "$0")" && ls ./*.test.mjs)) # every test file here
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${FAZHI_BIN:-$top/build/fazhi}
tmp=$(mktemp -d /tmp/fazhi-e2e.XXXXXX)
server=
# On a failure the server's own log ends the output (a 500's cause, a crash).
cleanup() {
	local rc=$?
	[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null
	if [ "$rc" -ne 0 ] && [ -s "$tmp/serve.log" ]; then echo "--- fazhi serve: last lines of its log"; tail -n 40 "$tmp/serve.log"; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

db=sqlite:$tmp/e2e.db
"$bin" demo --db "$db" >/dev/null
pw='Fazhi@E2e-2026x'
printf '%s\n' "$pw" | "$bin" user passwd --db "$db" --username coordinator --password-stdin >/dev/null
# An administrator: a known password and TOTP secret (the test computes the codes).
printf '%s\n' "$pw" | "$bin" user passwd --db "$db" --username secadmin --password-stdin >/dev/null
admin_secret=$("$bin" user totp --db "$db" --username secadmin | sed -n 's/^otpauth:.*secret=\([A-Z2-7]*\)&.*/\1/p')
# The department clerk who is told of items (notifications.test.mjs), and
# the system administrator (TOTP too).
printf '%s\n' "$pw" | "$bin" user passwd --db "$db" --username department --password-stdin >/dev/null
# The officer who handles a penalty case (cases.test.mjs).
printf '%s\n' "$pw" | "$bin" user passwd --db "$db" --username officer --password-stdin >/dev/null
# The evaluator who reviews case files (case_file_reviews.test.mjs).
printf '%s\n' "$pw" | "$bin" user passwd --db "$db" --username evaluator --password-stdin >/dev/null
printf '%s\n' "$pw" | "$bin" user passwd --db "$db" --username sysadmin --password-stdin >/dev/null
sys_secret=$("$bin" user totp --db "$db" --username sysadmin | sed -n 's/^otpauth:.*secret=\([A-Z2-7]*\)&.*/\1/p')
# A 入企码 of no record (scan.test.mjs: "未找到对应的检查记录"); the
# test makes its own inspection, card and token through the API.
qr_token=$("$bin" qr make --db "$db" --record 2000000000 --subject 1 --days 1)
# The notification pass every second, so a notice follows its event at once.
"$bin" settings set notify_interval_seconds 1 --db "$db" >/dev/null
port=$((30000 + RANDOM % 20000))
# A register the console has never seen, declared only (modules.test.mjs).
FAZHI_REGISTERS_DIR=$here/fixtures/registers \
	"$bin" serve --db "$db" --listen "127.0.0.1:$port" --web "$top/web/dist" >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done

cd "$here"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error
# One file at a time whatever the machine's core count: the files share
# one server, one store and its users (a logout, a publication, a read
# notice are seen by the next file).
FAZHI_URL=http://127.0.0.1:$port FAZHI_USER=coordinator FAZHI_PASSWORD=$pw \
FAZHI_ADMIN_USER=secadmin FAZHI_ADMIN_PASSWORD=$pw FAZHI_ADMIN_TOTP_SECRET=$admin_secret \
FAZHI_DEPT_USER=department FAZHI_OFFICER_USER=officer FAZHI_EVAL_USER=evaluator FAZHI_SYS_USER=sysadmin FAZHI_SYS_TOTP_SECRET=$sys_secret \
FAZHI_QR_TOKEN=$qr_token FAZHI_SUBJECT_QUERY=${FAZHI_SUBJECT_QUERY:-兴华} node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
