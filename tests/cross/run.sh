#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kiosk built for a board (make CROSS=TRIPLET) under qemu-user: its unit
# tests, then the real daemon enrolled to this machine's collector on
# 127.0.0.1, taps through its sim socket (a keyboard-wedge card, a Wiegand
# frame fed to the decoder as timed edges, a finger over the emulated
# module's pty, an unknown card), synced over mutual TLS and read back. The
# committed fuzz corpora of its parsers are replayed under qemu too.
#   tests/cross/run.sh aarch64-linux-gnu|arm-linux-gnueabihf|s390x-linux-gnu
#   HADIR_BUILD        the build machine's hadir-collector (set by tests/run.sh)
#   HADIR_CROSS_BUILD  the cross build (default build/TRIPLET)
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/collector.sh"

TRIPLET=${1:?usage: tests/cross/run.sh TRIPLET}
case "$TRIPLET" in
aarch64-linux-gnu) ARCH=arm64 QEMU_BIN=qemu-aarch64 FILE_ARCH='ARM aarch64' ;;
arm-linux-gnueabihf) ARCH=armhf QEMU_BIN=qemu-arm FILE_ARCH='32-bit LSB .* ARM, EABI5' ;;
# Big-endian: shows that no byte order is assumed (wire format, hash chain, protocols).
s390x-linux-gnu) ARCH=s390x QEMU_BIN=qemu-s390x FILE_ARCH='64-bit MSB .* IBM S/390' ;;
*) echo "tests/cross/run.sh: unknown triplet '$TRIPLET'" >&2; exit 2 ;;
esac
XBUILD=${HADIR_CROSS_BUILD:-$REPO/build/$TRIPLET}
# The target's libraries: the multiarch packages, whose loader and libc sit in
# /lib and /usr/lib/TRIPLET (-L / keeps the two from one package; the cross
# toolchain's /usr/TRIPLET has an older libc), or the sysroot deps.sh made.
PREFIX=/
[ -d "$REPO/build/sysroot/$TRIPLET" ] && PREFIX=$REPO/build/sysroot/$TRIPLET
QEMU=("$QEMU_BIN" -L "$PREFIX")
AKIOSK=$XBUILD/hadir-kiosk
SIM=$REPO/tests/helpers/simclient.py

if ! command -v "$QEMU_BIN" >/dev/null || [ ! -x "$AKIOSK" ]; then
	fail "$ARCH kiosk and $QEMU_BIN present (run: scripts/deps.sh cross-$ARCH; make CROSS=$TRIPLET)"
	exit 1
fi
if file -L "$AKIOSK" | grep -qE "$FILE_ARCH"; then ok "hadir-kiosk is an $ARCH binary"; else fail "$(file -L "$AKIOSK")"; fi

# The kiosk-side unit tests, each under qemu; one line per binary.
export CMOCKA_MESSAGE_OUTPUT=TAP
n_units=0
for t in "$XBUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	n_units=$((n_units + 1))
	out=$(timeout 300 "${QEMU[@]}" "$t" 2>&1)
	rc=$?
	cases=$(grep -cE '^ok ' <<<"$out")
	if ((rc == 0)) && ! grep -qE '^not ok ' <<<"$out"; then
		ok "$ARCH $(basename "$t"): $cases cases under qemu"
	else
		fail "$ARCH $(basename "$t") (status $rc)"
		grep -E '^not ok |^# ' <<<"$out" | sed 's/^/#   /' | head -n 20
	fi
done
# The committed fuzz corpora of the kiosk's parsers; one line per target.
for t in "$XBUILD"/tests/replay_fuzz_*; do
	[ -x "$t" ] || continue
	target=${t##*/replay_fuzz_}
	out=$(timeout 300 "${QEMU[@]}" "$t" "$REPO/tests/fuzz/corpus/$target" 2>&1)
	rc=$?
	if ((rc == 0)) && ! grep -qE '^not ok ' <<<"$out"; then
		ok "$ARCH fuzz corpus $target: $(grep -cE '^ok ' <<<"$out") inputs under qemu"
	else
		fail "$ARCH fuzz corpus $target (status $rc)"
		grep -vE '^ok ' <<<"$out" | sed 's/^/#   /' | head -n 20
	fi
done
if ((n_units >= 10)); then ok "$n_units $ARCH unit test binaries ran"; else fail "only $n_units $ARCH unit test binaries"; fi

# akiosk ARGS...: the cross-built kiosk under qemu.
akiosk() {
	"${QEMU[@]}" "$AKIOSK" "$@"
}

site_start "$T/site" || { fail "collector site"; exit 1; }
K=$T/kiosk
check "$ARCH init --board sim" akiosk init "$K" --board sim
sed -i "s/^debounce = .*/debounce = 0s/; s/^name = .*/name = pintu-$ARCH/" "$K/kiosk.conf"
# The daemon runs sync (and enroll) as hadir-kiosk-sync; qemu-user cannot exec
# a foreign binary by itself (no binfmt_misc here), so a wrapper runs it under qemu.
printf '#!/bin/sh\nexec %s -L %s %s "$@"\n' "$QEMU_BIN" "$PREFIX" "$XBUILD/hadir-kiosk-sync" >"$K/sync-helper"
chmod +x "$K/sync-helper"
printf '\n[sync]\nbackoff_min = 200ms\nbackoff_max = 1s\nhelper = sync-helper\n' >>"$K/kiosk.conf"
cat >"$T/roster.csv" <<'CSV'
nip,name,unit_id,card,fingerprint_id
198501012010011001,Budi,U1,42,7
199002022015022002,Sari,U1,8065495,
CSV
check "$ARCH roster import" akiosk roster import "$T/roster.csv" --config "$K/kiosk.conf"
TOKEN=$("$COLLECTOR" --config "$CONF" device add pintu-$ARCH | tail -n 1)
check "$ARCH kiosk enrols with the x86 collector (ECDSA key + CSR under qemu)" \
	akiosk enroll --url "$URL" --token "$TOKEN" --ca "$T/site/ca.pem" --config "$K/kiosk.conf"

start_bg "$T/kiosk.log" env HADIR_LOG_LEVEL=debug "${QEMU[@]}" "$AKIOSK" --config "$K/kiosk.conf"
KPID=$!
if wait_for 30 python3 "$SIM" "$K/sim.sock" ping; then
	ok "$ARCH daemon up under qemu"
else
	fail "$ARCH daemon did not start"
	sed 's/^/#   /' "$T/kiosk.log" | tail -n 20
	exit 1
fi
wait_for 10 grep -q "fpm: module on .* ready" "$T/kiosk.log"

# expect DESC WANT LINE: the sim socket answers LINE with WANT.
expect() {
	local got
	got=$(python3 "$SIM" "$K/sim.sock" "$3" 2>&1)
	if [ "$got" = "$2" ]; then ok "$1"; else fail "$1: got '$got', want '$2'"; fi
}
expect "card typed by a keyboard-wedge reader" "accepted 198501012010011001 1" "card 42"
expect "26-bit Wiegand frame decoded from timed edges" "accepted 199002022015022002 2" \
	"wiegand 10111101100010001110101110"
expect "Wiegand frame with bad parity refused" "rejected bad-parity" "wiegand 10111101100010001110001110"
expect "finger 7 identified over the R30x protocol" "accepted 198501012010011001 4" "finger 7"
expect "unknown card" "unknown 999" "card 999"

# taps_json: the collector's taps of this kiosk as "seq nip outcome" lines.
taps_json() {
	"$COLLECTOR" --config "$CONF" taps --json |
		python3 -c 'import json,sys
for t in json.load(sys.stdin):
    print(t["seq"], t["nip"] or "-", t["outcome"])'
}
want=$'1 198501012010011001 accepted\n2 199002022015022002 accepted\n3 - rejected\n4 198501012010011001 accepted\n5 - unknown'
if wait_for 20 bash -c "[ \"\$(\"\$0\" --config \"\$1\" taps --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')\" = 5 ]" "$COLLECTOR" "$CONF"; then
	ok "the five taps reached the collector"
else
	fail "taps at the collector: $(taps_json | tr '\n' ';')"
fi
got=$(taps_json 2>&1)
if [ "$got" = "$want" ]; then ok "collector holds them as recorded on $ARCH"; else fail "collector taps: $(tr '\n' ';' <<<"$got")"; fi
check "no tamper alerts: the $ARCH hash chain verifies on x86" bash -c \
	"'$COLLECTOR' --config '$CONF' alerts --json | python3 -c 'import json,sys; a=json.load(sys.stdin); a=a.get(\"alerts\",a) if isinstance(a,dict) else a; assert len(a)==0, a'"
kill -TERM "$KPID"
if wait_for 15 bash -c "! kill -0 $KPID 2>/dev/null"; then ok "SIGTERM stops the $ARCH daemon"; else fail "daemon still running"; fi
forget_pid "$KPID"
check "$ARCH verify walks the chain" akiosk verify --config "$K/kiosk.conf"
check "$ARCH status shows the last sync" bash -c "$QEMU_BIN -L '$PREFIX' '$AKIOSK' status --config '$K/kiosk.conf' | grep -q 'last sync:    20'"
