#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run every test against the binaries in BUILD (default build/): unit tests
# (cmocka, TAP output), fuzz corpus replays, then integration scripts. Every
# test reports TAP lines; this script counts them and ends with the line
# "N passed, N failed". A binary that dies without reporting counts as failed.
set -u
BUILD=${1:-build}
export HADIR_BUILD=$(cd "$BUILD" && pwd)
export CMOCKA_MESSAGE_OUTPUT=TAP
# Leak checking stays on; ASan aborts the test binary on the first error.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
cd "$(dirname "$0")/.."

passed=0
failed=0
failed_names=()

# run_one NAME TIMEOUT CMD...: run a test program, echo its output, count TAP lines.
run_one() {
	local name=$1 limit=$2
	shift 2
	local out rc p f
	out=$(timeout --kill-after=10 "$limit" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(grep -cE '^ok ' <<<"$out")
	f=$(grep -cE '^not ok ' <<<"$out")
	if ((rc != 0 && f == 0)); then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	((f > 0)) && failed_names+=("$name")
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in "$HADIR_BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "# unit: $(basename "$t")"
	run_one "$(basename "$t")" 300 "$t"
done

for t in "$HADIR_BUILD"/tests/replay_fuzz_*; do
	[ -x "$t" ] || continue
	target=$(basename "$t")
	target=${target#replay_fuzz_}
	echo "# fuzz corpus: $target"
	run_one "corpus $target" 300 "$t" "tests/fuzz/corpus/$target"
done

for t in tests/integration/test_*.sh; do
	[ -f "$t" ] || continue
	echo "# integration: $(basename "$t")"
	run_one "$(basename "$t")" 900 bash "$t"
done

# STYLE.md's layout, as .clang-format states it; `make format` fixes a failure.
echo "# style: clang-format"
run_one "clang-format" 120 bash -c 'out=$(make -s --no-print-directory format-check 2>&1) &&
	echo "ok - C sources laid out as .clang-format says" ||
	{ printf "%s\n" "$out" | head -n 20; echo "not ok - clang-format: run make format"; }'

if ((${#failed_names[@]})); then
	echo "# failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
((failed == 0))
