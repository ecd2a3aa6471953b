#!/usr/bin/env bash
# run.sh — builds fazhi and runs it with the demo city 示例市 on SQLite:
# http://127.0.0.1:8080 (set FAZHI_LISTEN to change). Installs what is
# missing when run as root. The demo accounts and their initial passwords
# are printed the first time; delete fazhi-demo.db* to start afresh.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh run
scripts/build.sh release
db=${FAZHI_DB:-sqlite:./fazhi-demo.db}
build/fazhi demo --db "$db"
echo
echo "打开 / open: http://${FAZHI_LISTEN:-127.0.0.1:8080}/  （Ctrl-C 停止 / to stop）"
exec build/fazhi serve --db "$db" --listen "${FAZHI_LISTEN:-127.0.0.1:8080}"
