#!/usr/bin/env bash
# build.sh [release|check] — builds the C program and the web console.
# release: optimised; check: warnings are errors (what the tests use).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-release}
if [ "$mode" = check ]; then
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAZHI_WERROR=ON >/dev/null
else
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build -j"$(nproc)"
if [ ! -f web/dist/index.html ] || [ web/package-lock.json -nt web/dist/index.html ] ||
	[ -n "$(find web/src web/index.html -newer web/dist/index.html 2>/dev/null | head -1)" ]; then
	(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
fi
