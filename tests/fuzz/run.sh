#!/usr/bin/env bash
# run.sh [target…] — a short, bounded libFuzzer run of each fuzz target
# (all by default): FUZZ_SECONDS each (default 30), inputs up to 4096 bytes,
# starting from the seeds in corpus/<target>/. New coverage goes to a
# scratch corpus, not the repository. Exits non-zero when any target finds
# a crash, leak or undefined behaviour; the reproducer is copied to
# corpus/<target>/crash-* — after fixing the bug, keep it there: ctest
# (fuzz.<name>) replays the whole corpus on every run.
#
#   CC=clang cmake -S . -B build-fuzz -DFAZHI_FUZZ=ON && cmake --build build-fuzz
#   tests/fuzz/run.sh                    # or FUZZ_SECONDS=600 tests/fuzz/run.sh fuzz_import_line
#
# FUZZ_BUILD: the build directory (default build-fuzz).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-30}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in "$here"/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
for t in "${targets[@]}"; do
	bin=$build/tests/fuzz/$t
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin not built (CC=clang cmake -S . -B build-fuzz -DFAZHI_FUZZ=ON)" >&2
		exit 2
	fi
	dict=()
	[ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
	work=$(mktemp -d)
	mkdir -p "$work/corpus" "$work/artifacts"
	echo "== $t: ${seconds}s"
	(cd "$work" && "$bin" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 "${dict[@]}" -artifact_prefix="$work/artifacts/" \
		"$work/corpus" "$here/corpus/$t") >"$work/log" 2>&1
	rc=$?
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$work/log"
	if [ $rc -ne 0 ] || [ -n "$(ls -A "$work/artifacts")" ]; then
		failed=1
		echo "!! $t failed (exit $rc):"
		grep -E 'ERROR:|runtime error:|SUMMARY:' "$work/log" | head -5
		for a in "$work/artifacts"/*; do
			[ -e "$a" ] || continue
			cp "$a" "$here/corpus/$t/$(basename "$a")"
			echo "   reproducer: tests/fuzz/corpus/$t/$(basename "$a")"
		done
		echo "   log: $work/log"
	else
		rm -rf "$work"
	fi
done
exit $failed
