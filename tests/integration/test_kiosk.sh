#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# hadir-kiosk end to end on the sim board: init, config errors, roster, taps
# through every input kind of the sim socket, the log, status, signals.
. "$(dirname "$0")/lib.sh"

SIM=$REPO/tests/helpers/simclient.py
K=$T/kiosk
CONF=$K/kiosk.conf

check "init makes a kiosk folder" "$KIOSK" init "$K" --board sim
check "init refuses to overwrite" bash -c "! '$KIOSK' init '$K' --board sim"
check "check-config accepts the fresh config" "$KIOSK" --check-config --config "$CONF"

# Config errors name the file, the line and the key.
cp "$CONF" "$T/bad.conf"
cp "$K/board.conf" "$T/board.conf"
printf '\n[input]\nwiegand_gap = 2h\n' >>"$T/bad.conf"
out=$("$KIOSK" --check-config --config "$T/bad.conf" 2>&1)
if grep -q "bad.conf:1[0-9]: \[input\] wiegand_gap" <<<"$out"; then ok "config error names file, line and key"; else fail "config error: $out"; fi
sed 's/^timezone = .*/timezone = Asia\/Atlantis/' "$CONF" >"$T/tz.conf"
out=$("$KIOSK" --check-config --config "$T/tz.conf" 2>&1)
if grep -q "unknown zone 'Asia/Atlantis'" <<<"$out"; then ok "unknown time zone refused"; else fail "timezone: $out"; fi

# Roster: 8065495 is facility 123 card 4567 (the spec's first Wiegand vector).
cat >"$T/roster.csv" <<'CSV'
nip,name,unit_id,card,fingerprint_id
198501012010011001,"Budi Santoso, S.Kom",U1,8065495,7
199002022015022002,Sari Dewi,U1,0008000987,
199103032016032003,Andi,U2,65537000,
CSV
check "roster import" "$KIOSK" roster import "$T/roster.csv" --config "$CONF"
printf 'nip,name,unit_id,card,fingerprint_id\n1,A,U1,5,\nx,B,U1,6,\n' >"$T/bad.csv"
out=$("$KIOSK" roster import "$T/bad.csv" --config "$CONF" 2>&1)
if grep -q "bad.csv:3: nip" <<<"$out"; then ok "bad roster row named by line"; else fail "bad roster: $out"; fi

start_bg "$T/kiosk.log" "$KIOSK" --config "$CONF"
KPID=$!
if wait_for 10 python3 "$SIM" "$K/sim.sock" ping; then ok "daemon answers on the sim socket"; else fail "daemon did not start"; cat "$T/kiosk.log"; exit 1; fi

expect() { # expect DESCRIPTION WANT LINE
	local got
	got=$(python3 "$SIM" "$K/sim.sock" "$3")
	if [[ "$got" == $2 ]]; then ok "$1"; else fail "$1: got '$got', want '$2'"; fi
}
expect "wiegand 26-bit vector accepted" "accepted 198501012010011001 1" "wiegand 10111101100010001110101110"
expect "same person again is one tap" "accepted 198501012010011001 1" "finger 7"
expect "bad parity rejected" "rejected bad-parity" "wiegand 10111101100010001110001110"
expect "wrong bit count rejected" "rejected bit-count" "wiegand 101111011000100011101011101"
expect "wedge card with leading zeros" "accepted 199002022015022002 4" "card 0008000987"
expect "unknown card recorded" "unknown 4242" "card 4242"
expect "unknown wiegand card" "unknown 65537" "wiegand 10000000100000000000000010"
expect "unknown finger" "unknown finger:9" "finger 9"
expect "malformed line answered" "error *" "wiegand 0102"
expect "unknown command answered" "error *" "open sesame"
expect "34-bit vector decoded" "unknown 65590321" "wiegand 0000000111110100011010100001100010"
expect "37-bit vector decoded" "unknown 6472458816" "wiegand 0001100000011100100111100010010000001"
expect "daemon still serving after bad input" "pong" "ping"

log=$("$KIOSK" log --json --limit 100 --config "$CONF")
check "log --json lists every recorded tap" python3 - "$log" <<'PY'
import json, sys
recs = json.loads(sys.argv[1])
got = [(r["seq"], r["credential"], r["nip"], r["outcome"], r["reason"]) for r in reversed(recs)]
want = [
    (1, "8065495", "198501012010011001", "accepted", ""),
    (2, "wiegand26:2f6238e", None, "rejected", "bad-parity"),
    (3, "wiegand27:5ec475d", None, "rejected", "bit-count"),
    (4, "8000987", "199002022015022002", "accepted", ""),
    (5, "4242", None, "unknown", "not in roster"),
    (6, "65537", None, "unknown", "not in roster"),
    (7, "finger:9", None, "unknown", "not in roster"),
    (8, "65590321", None, "unknown", "not in roster"),
    (9, "6472458816", None, "unknown", "not in roster"),
]
assert got == want, got
assert all("time" in r and r["time"][-6:] == "+07:00" for r in recs)
PY
check "limit is honoured" bash -c "[ \$('$KIOSK' log --json --limit 2 --config '$CONF' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') = 2 ]"
check "status shows roster and taps" bash -c "'$KIOSK' status --config '$CONF' | grep -q 'roster:       3 staff'"
check "status shows the fingerprint module" bash -c "'$KIOSK' status --config '$CONF' | grep -q 'fingerprint:  ok'"
check "status --json counts today's taps" bash -c "'$KIOSK' status --json --config '$CONF' | python3 -c 'import json,sys; s=json.load(sys.stdin); assert s[\"taps_today\"] == 9 and s[\"accepted_today\"] == 2, s'"
check "chain verifies" "$KIOSK" verify --config "$CONF"
check "feedback signalled after commit" grep -q "feedback: accept" "$T/kiosk.log"
check "unknown gets its own signal" grep -q "feedback: unknown" "$T/kiosk.log"

kill -HUP "$KPID"
expect "SIGHUP keeps the daemon running" "pong" "ping"
kill -TERM "$KPID"
if wait_for 10 bash -c "! kill -0 $KPID 2>/dev/null"; then ok "SIGTERM stops the daemon"; else fail "SIGTERM ignored"; fi
wait "$KPID"
check "clean exit status" test $? -eq 0
forget_pid "$KPID"
check "sim socket removed on exit" test ! -e "$K/sim.sock"

# Faults: a missing database and a damaged one are refused, never replaced.
mv "$K/hadir.db" "$T/saved.db"
rm -f "$K/hadir.db-wal" "$K/hadir.db-shm"
out=$("$KIOSK" --config "$CONF" 2>&1)
if [ $? -ne 0 ] && grep -q "database .* missing" <<<"$out"; then ok "missing database refused with a clear error"; else fail "missing db: $out"; fi
check "no database invented" test ! -e "$K/hadir.db"
check "db create makes it on request" "$KIOSK" db create --config "$CONF"
check "db create never replaces one" bash -c "! '$KIOSK' db create --config '$CONF'"
rm -f "$K/hadir.db" "$K/hadir.db-wal" "$K/hadir.db-shm"
printf 'garbage, not sqlite\n%.0s' {1..200} >"$K/hadir.db"
sum=$(sha256sum "$K/hadir.db")
out=$("$KIOSK" --config "$CONF" 2>&1)
if [ $? -ne 0 ] && grep -q "damaged" <<<"$out"; then ok "damaged database refused"; else fail "damaged db: $out"; fi
check "damaged database left untouched" test "$(sha256sum "$K/hadir.db")" = "$sum"
mv "$T/saved.db" "$K/hadir.db"

# A board whose GPIO chip does not exist: a clear error, not a crash.
sed -e 's/^source = .*/source = wiegand/' -e "s|^board = .*|board = $REPO/boards/rpi4.conf|" "$CONF" >"$K/rpi.conf"
out=$("$KIOSK" --config "$K/rpi.conf" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "no GPIO chip .gpiochip0." <<<"$out"; then ok "missing GPIO chip reported"; else fail "missing chip (rc $rc): $out"; fi
