# SPDX-License-Identifier: MIT
# Shared harness for integration tests: real processes on 127.0.0.1 in a
# temporary directory, always stopped and removed on exit, even when a test
# fails or the script is interrupted. Source it, then call ok/fail/check.
#   HADIR_BUILD  folder with hadir-kiosk and hadir-collector (set by tests/run.sh)
set -u

HADIR_BUILD=${HADIR_BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../build" && pwd)}
KIOSK=$HADIR_BUILD/hadir-kiosk
COLLECTOR=$HADIR_BUILD/hadir-collector
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T=$(mktemp -d /tmp/hadir-test.XXXXXX)
_tap_n=0
_pids=()

_cleanup() {
	local pid
	for pid in "${_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${_pids[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	if [ -n "${HADIR_KEEP_TMP:-}" ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

fail() {
	_tap_n=$((_tap_n + 1))
	echo "not ok $_tap_n - $*"
}

# check DESCRIPTION CMD...: ok when CMD succeeds; on failure its output is shown.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		fail "$desc"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 40
	fi
}

# equals DESCRIPTION GOT WANT: ok when GOT is WANT, else both are shown.
equals() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# start_bg LOGFILE CMD...: start CMD in the background, stopped at exit. Sets $!.
start_bg() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 &
	_pids+=("$!")
}

# forget_pid PID: the test stopped it itself.
forget_pid() {
	local keep=() p
	for p in "${_pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	_pids=("${keep[@]}")
}

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds.
wait_for() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 20; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

# before_midnight_wib: tests whose schedule starts at 23:58 WIB (so that a tap made now is
# on time, whatever the hour) would cross the start or midnight if run from 23:55 WIB on:
# then wait for the new day (at most five minutes, once a day).
before_midnight_wib() {
	local now
	now=$(TZ=Asia/Jakarta date +%H%M)
	if [ "$now" -ge 2355 ]; then
		echo "# waiting for midnight WIB: this test's schedule starts at 23:58"
		sleep $(((60 - 10#$(TZ=Asia/Jakarta date +%M)) * 60 + 5))
	fi
}

# free_port: an unused TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
