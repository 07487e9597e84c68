#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks. They print figures next to their goals; they do not pass or fail.
#   tests/bench/run.sh [BUILD]
set -eu
BUILD=$(cd "${1:-build}" && pwd)
REPO=$(cd "$(dirname "$0")/../.." && pwd)
failed=()
# A bench that fails is reported, and the others still run.
for b in "$REPO"/tests/bench/bench_*.sh; do
	echo "== $(basename "$b" .sh)"
	HADIR_BUILD=$BUILD bash "$b" || failed+=("$(basename "$b" .sh)")
done
if ((${#failed[@]})); then
	echo "benchmarks that failed: ${failed[*]}" >&2
	exit 1
fi
