#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The fingerprint module end to end on the sim board: the kiosk's driver
# speaks the real protocol over a pty to the emulated module. Identify,
# enrol (hadir-kiosk fingerprint enroll, through the daemon's control
# socket), identify the new finger, survive a roster import, delete it and
# see it refused; emulator faults (garbage, bad checksum, no finger); a
# module that hangs mid-packet does not stop card taps and is reset.
. "$(dirname "$0")/lib.sh"

SIM=$REPO/tests/helpers/simclient.py
K=$T/kiosk
CONF=$K/kiosk.conf

"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/' "$CONF"
printf '\n[fingerprint]\ntimeout = 500ms\n' >>"$CONF"
cat >"$T/roster.csv" <<'CSV'
nip,name,unit_id,card,fingerprint_id
198501012010011001,Budi,U1,8065495,7
199002022015022002,Sari,U1,8000987,
CSV
"$KIOSK" roster import "$T/roster.csv" --config "$CONF" >/dev/null

out=$("$KIOSK" fingerprint enroll 199002022015022002 --config "$CONF" 2>&1)
if [ $? -ne 0 ] && grep -q "is hadir-kiosk running" <<<"$out"; then ok "no daemon: clear error"; else fail "no daemon: $out"; fi

export K
fp_state() { # the module state the daemon stored for `status`
	python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("SELECT value FROM sync_state WHERE key=?", ("fingerprint",)).fetchone(); print(r[0] if r else "")' "$K/hadir.db"
}
export -f fp_state

start_bg "$T/kiosk.log" "$KIOSK" --config "$CONF"
KPID=$!
if wait_for 10 python3 "$SIM" "$K/sim.sock" ping; then ok "daemon up"; else fail "daemon did not start"; cat "$T/kiosk.log"; exit 1; fi
if wait_for 10 grep -q "fpm: module on .* ready: 100 of 1000 pages used" "$T/kiosk.log"; then ok "module reset and ready"; else fail "module not ready"; fi
state=$(fp_state)
if [ "$state" = "ok, 100 of 1000 pages used" ]; then ok "module state stored for status"; else fail "state: '$state'"; fi

expect() { # expect DESCRIPTION WANT LINE
	local got
	got=$(python3 "$SIM" "$K/sim.sock" "$3")
	if [[ "$got" == $2 ]]; then ok "$1"; else fail "$1: got '$got', want '$2'"; fi
}
expect "finger 7 identified over the protocol" "accepted 198501012010011001 1" "finger 7"
check "the tap is logged" grep -q "tap: accepted 198501012010011001" "$T/kiosk.log"
expect "finger on an unassigned page is an unknown credential" "unknown finger:9" "finger 9"
expect "finger matching no template" "unknown finger:none" "finger 500"
expect "fpm nofinger answered ok" "ok" "fpm nofinger"
expect "no finger is rejected, not recorded" "rejected no-finger" "finger 7"
expect "fpm garbage answered ok" "ok" "fpm garbage"
expect "garbage before the reply: parser resynchronises" "accepted 198501012010011001 4" "finger 7"
expect "fpm badsum answered ok" "ok" "fpm badsum"
expect "bad checksum: the read fails" "rejected fingerprint-bad-reply" "finger 7"
if wait_for 10 bash -c "tail -n 5 '$T/kiosk.log' | grep -q 'ready: 100 of 1000'"; then ok "module reset after the bad reply"; else fail "no reset after bad reply"; fi
expect "identification works again" "accepted 198501012010011001 5" "finger 7"
expect "unknown fault refused" "error *" "fpm explode"

# Enrolment through the control socket; the emulator presents a new finger twice.
out=$("$KIOSK" fingerprint enroll 199002022015022002 --config "$CONF" 2>&1)
if grep -qx "enrolled 199002022015022002 100" <<<"$out"; then ok "enrolled on the first free page"; else fail "enroll: $out"; fi
check "enrolment prompted place, lift, place again" bash -c \
	"grep -q 'place the finger' '$T/kiosk.log' && grep -q 'lift the finger' '$T/kiosk.log' && grep -q 'place the same finger again' '$T/kiosk.log' && grep -q 'feedback: prompt' '$T/kiosk.log'"
expect "the new finger is identified" "accepted 199002022015022002 6" "finger 100"
check "status: its template waits for a collector (this kiosk has none)" bash -c \
	"'$KIOSK' status --config '$CONF' | grep -q '^templates:    1 to send to the collector'"
out=$("$KIOSK" fingerprint enroll 123 --config "$CONF" 2>&1)
if [ $? -ne 0 ] && grep -q "error NIP 123 is not in the roster" <<<"$out"; then ok "enrol of an unknown NIP refused"; else fail "unknown nip: $out"; fi
"$KIOSK" roster import "$T/roster.csv" --config "$CONF" >/dev/null
expect "the enrolled finger survives a roster import" "accepted 199002022015022002 7" "finger 100"

out=$("$KIOSK" fingerprint delete 199002022015022002 --config "$CONF" 2>&1)
if grep -qx "deleted 199002022015022002 100" <<<"$out"; then ok "deleted"; else fail "delete: $out"; fi
expect "the deleted finger is refused" "unknown finger:none" "finger 100"
out=$("$KIOSK" fingerprint delete 199002022015022002 --config "$CONF" 2>&1)
if [ $? -ne 0 ] && grep -q "has no fingerprint" <<<"$out"; then ok "second delete: nothing to delete"; else fail "delete again: $out"; fi

# A module that hangs mid-packet: the identification fails, cards keep working, the module is reset.
expect "fpm hang answered ok" "ok" "fpm hang"
expect "hung module: the finger fails after the timeout" "rejected fingerprint-timeout" "finger 7"
expect "a card is accepted while the module is hung" "accepted 199002022015022002 9" "card 8000987"
expect "a finger while the module is down is refused at once" "rejected fingerprint-not-ready" "finger 7"
if wait_for 10 bash -c '[ "$(fp_state)" = "not answering" ]'; then ok "state says not answering"; else fail "state: '$(fp_state)'"; fi
expect "another card while hung" "accepted 198501012010011001 10" "wiegand 10111101100010001110101110"
expect "fpm recover answered ok" "ok" "fpm recover"
if wait_for 10 bash -c '[[ "$(fp_state)" == ok* ]]'; then ok "module reset once it answers again"; else fail "module not reset"; fi
expect "identification works after the reset" "accepted 198501012010011001 11" "finger 7"
check "daemon never blocked: still answering" python3 "$SIM" "$K/sim.sock" ping

log=$("$KIOSK" log --json --limit 100 --config "$CONF")
check "only real reads are recorded" python3 - "$log" <<'PY'
import json, sys
recs = list(reversed(json.loads(sys.argv[1])))
got = [(r["credential"], r["outcome"]) for r in recs]
want = [
    ("finger:7", "accepted"), ("finger:9", "unknown"), ("finger:none", "unknown"),
    ("finger:7", "accepted"), ("finger:7", "accepted"), ("finger:100", "accepted"),
    ("finger:100", "accepted"), ("finger:none", "unknown"), ("8000987", "accepted"),
    ("8065495", "accepted"), ("finger:7", "accepted"),
]
assert got == want, got
PY
check "no template bytes in the log" bash -c "! grep -qi 'template.*[0-9a-f]\{32\}' '$T/kiosk.log'"

kill -TERM "$KPID"
if wait_for 10 bash -c "! kill -0 $KPID 2>/dev/null"; then ok "SIGTERM stops the daemon"; else fail "SIGTERM ignored"; fi
wait "$KPID"
check "clean exit" test $? -eq 0
forget_pid "$KPID"
check "control socket removed on exit" test ! -e "$K/control.sock"
