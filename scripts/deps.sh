#!/usr/bin/env bash
# deps.sh run|test|bench — installs the Debian packages fazhi needs, when missing.
# As root it installs them with apt-get; otherwise it prints the exact
# command to run and fails. The list with the reason for each package is in
# README.md ("Dependencies").
set -euo pipefail

build=(build-essential cmake pkg-config
	libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev
	libssl-dev libsodium-dev libxlsxwriter-dev libcsv-dev liboath-dev libqrencode-dev
	libzip-dev libexpat1-dev libcurl4-openssl-dev)
runtime=()
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || runtime+=(nodejs npm)
tests=(postgresql-15 sqlite3 chromium clang libclang-rt-14-dev curl
	libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-wqy-zenhei zbar-tools)
bench=(postgresql-15 sqlite3 curl wrk nginx-light)

want=("${build[@]}" "${runtime[@]}")
[ "${1:-run}" = test ] && want+=("${tests[@]}")
[ "${1:-run}" = bench ] && want+=("${bench[@]}")

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "缺少依赖 / missing packages: ${missing[*]}" >&2
	echo "请以 root 运行 / run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "安装依赖 / installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The postgresql package starts the system cluster; the tests never use it.
