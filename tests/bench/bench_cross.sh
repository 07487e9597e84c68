#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kiosk for boards: binary sizes (x86, arm64, armhf) and the arm64 (and,
# when built, armhf) daemon under qemu-user beside the x86 one: tap-to-durable
# latency through the sim socket and RSS after the taps. qemu emulates every
# instruction, so its latency is an upper bound, not a board's figure, and
# its RSS includes the emulator.
#   HADIR_BUILD        x86 build (make bench: build/)
#   HADIR_CROSS_BUILD  arm64 build (default build/aarch64-linux-gnu)
. "$(dirname "$0")/../integration/lib.sh"

TAPS=${TAPS:-500}
XBUILD=${HADIR_CROSS_BUILD:-$REPO/build/aarch64-linux-gnu}
HFBUILD=$REPO/build/arm-linux-gnueabihf

# size_line LABEL BINARY STRIP: file size stripped and its text/data/bss, and the same
# of the sync program beside it (hadir-kiosk-sync).
size_line() {
	local label=$1 bin=$2 tool=$3 text data bss b
	for b in "$bin" "$(dirname "$bin")/hadir-kiosk-sync"; do
		[ -x "$b" ] || continue
		"$tool" --strip-unneeded -o "$T/stripped" "$b"
		read -r text data bss _ < <("${tool%strip}size" "$b" | tail -n 1)
		printf '%-6s %-16s %6d KiB stripped (text %d, data %d, bss %d bytes)\n' "$label" \
			"$(basename "$b"):" $(($(stat -c %s "$T/stripped") / 1024)) "$text" "$data" "$bss"
	done
}
size_line x86 "$KIOSK" strip
if [ -x "$XBUILD/hadir-kiosk" ]; then
	size_line arm64 "$XBUILD/hadir-kiosk" aarch64-linux-gnu-strip
else
	echo "arm64  hadir-kiosk: not built (make CROSS=aarch64-linux-gnu)"
fi
if [ -x "$HFBUILD/hadir-kiosk" ]; then
	size_line armhf "$HFBUILD/hadir-kiosk" arm-linux-gnueabihf-strip
elif [ -d "$HFBUILD/obj" ]; then
	# Not linked (no :armhf libraries here): the kiosk's own objects, as linked into it.
	text=$(find "$HFBUILD/obj/common" "$HFBUILD/obj/firmware" -name '*.o' -print0 |
		xargs -0 arm-linux-gnueabihf-size -t | tail -n 1 | awk '{print $1}')
	echo "armhf  hadir-kiosk: not linked here; its objects' text is $text bytes (all of common/ and firmware/)"
fi

# run_kiosk LABEL CMD...: a sim kiosk under CMD, TAPS taps, latency and RSS.
run_kiosk() {
	local label=$1 dir=$T/$1 pid n p50 p99 rss
	shift
	"$@" init "$dir" --board sim >/dev/null
	sed -i 's/^debounce = .*/debounce = 0s/' "$dir/kiosk.conf"
	printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n' >"$T/r.csv"
	"$@" roster import "$T/r.csv" --config "$dir/kiosk.conf" >/dev/null
	HADIR_LOG_LEVEL=warn start_bg "$T/$label.log" "$@" --config "$dir/kiosk.conf"
	pid=$!
	wait_for 30 python3 "$REPO/tests/helpers/simclient.py" "$dir/sim.sock" ping
	read -r n p50 p99 < <(python3 "$REPO/tests/helpers/simclient.py" "$dir/sim.sock" \
		--latency "$TAPS" --card 42)
	rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
	printf '%-6s tap-to-durable over %d taps: p50 %s us, p99 %s us; RSS %d.%d MB\n' "$label" \
		"$n" "$p50" "$p99" $((rss / 1024)) $(((rss % 1024) * 10 / 1024))
	kill -TERM "$pid"
	wait_for 15 bash -c "! kill -0 $pid 2>/dev/null"
}
run_kiosk x86 "$KIOSK"
if [ -x "$XBUILD/hadir-kiosk" ] && command -v qemu-aarch64 >/dev/null; then
	run_kiosk arm64 qemu-aarch64 -L / "$XBUILD/hadir-kiosk"
fi
if [ -x "$HFBUILD/hadir-kiosk" ] && command -v qemu-arm >/dev/null; then
	prefix=/
	[ -d "$REPO/build/sysroot/arm-linux-gnueabihf" ] && prefix=$REPO/build/sysroot/arm-linux-gnueabihf
	run_kiosk armhf qemu-arm -L "$prefix" "$HFBUILD/hadir-kiosk"
fi
echo "(arm64 and armhf run under qemu-user: emulated, and their RSS includes qemu itself)"
