#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kiosk screen end to end: hadir-kiosk serving its screen on 127.0.0.1, Debian's
# headless Chromium driven by playwright-core (tests/e2e/screen.mjs) through taps on the
# sim socket, greeting, plan and free-text entries, validation errors, a correction, a
# withdrawal, idle end of session, the next person's tap, language switch, 800x480. Then
# the kiosk's own records: entries in the outbox and the hash chain, the correction
# superseding the old seq. Screenshots: $HADIR_TEST_OUT/kiosk_screen (default: the temp
# dir, kept with HADIR_KEEP_TMP=1).
. "$(dirname "$0")/lib.sh"

SIM=$REPO/tests/helpers/simclient.py
E2E=$REPO/tests/e2e
OUT=${HADIR_TEST_OUT:-$T}/kiosk_screen
mkdir -p "$OUT"
if [ ! -x /usr/bin/chromium ] || [ ! -d "$E2E/node_modules/playwright-core" ]; then
	fail "chromium or tests/e2e/node_modules missing: run scripts/deps.sh check"
	exit 1
fi

K=$T/kiosk
PORT=$(free_port)
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/; /^\[kiosk\]/a office = Dinas Uji Coba' "$K/kiosk.conf"
cat >>"$K/kiosk.conf" <<CONF

[ui]
listen = 127.0.0.1:$PORT
root = $REPO/firmware/ui
session_idle = 5s
CONF
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani Lestari,U1,42,\n1002,Budi Santoso,U1,43,\n' >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null
printf 'nip,code,title\n1001,RHK-1,Menyusun laporan bulanan\n1001,RHK-2,"Rapat koordinasi, evaluasi"\n' >"$T/p.csv"
check "plans import" bash -c "'$KIOSK' plans import '$T/p.csv' --config '$K/kiosk.conf' | grep -qx 'plans: 2 items'"
printf 'nip,code,title\n1001,RHK-9,Baru\n9999,RHK-1,Siapa\n' >"$T/bad.csv"
out=$("$KIOSK" plans import "$T/bad.csv" --config "$K/kiosk.conf" 2>&1)
if [ $? -ne 0 ] && grep -q "bad.csv:3: nip '9999' is not in the roster" <<<"$out"; then
	ok "plans import: all or nothing, the bad line named"
else
	fail "plans import of a bad file: $out"
fi

sed "s/^listen = .*/listen = 0.0.0.0:$PORT/" "$K/kiosk.conf" >"$T/open.conf"
out=$("$KIOSK" --check-config --config "$T/open.conf" 2>&1)
if [ $? -ne 0 ] && grep -q "\[ui\] listen: '0.0.0.0:$PORT' is not 127.x.x.x:PORT" <<<"$out"; then
	ok "a non-loopback screen address is refused by the config check"
else
	fail "non-loopback listen: $out"
fi

start_bg "$T/kiosk.log" "$KIOSK" --config "$K/kiosk.conf"
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; exit 1; }
wait_for 5 curl -sf "http://127.0.0.1:$PORT/api/state" || { fail "screen not served"; exit 1; }

# The HTTP side on its own: files, traversal, limits.
check "index.html served" bash -c "curl -sf http://127.0.0.1:$PORT/ | grep -q '<script src=\"app.js\">'"
check "no way out of the root" test "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "http://127.0.0.1:$PORT/../kiosk.conf")" = 404
check "only known file types" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/kiosk.conf")" = 404
check "activities need the session token" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/activities")" = 401
check "an oversized body is refused" test "$(head -c 40000 /dev/zero | tr '\0' x | curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer x' --data-binary @- "http://127.0.0.1:$PORT/api/activities")" = 413

# The door never waits for the screen: every connection slot held by a stalled client.
python3 - "$PORT" "$SIM" "$K/sim.sock" <<'PY' && ok "taps answered while stalled screen clients hold every connection" || fail "a stalled screen client delayed a tap"
import socket, subprocess, sys
held = []
for _ in range(20):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"GET /api/state HTTP/1.1\r\nHost: x\r\n")  # never finished
    held.append(s)
out = subprocess.run([sys.executable, sys.argv[2], sys.argv[3], "card 43"], capture_output=True, timeout=5)
sys.exit(0 if out.stdout.startswith(b"accepted 1002") else 1)
PY
python3 - "$PORT" <<'PY' && ok "stalled clients cannot lock the screen out: the longest idle makes room" || fail "the screen was locked out by stalled clients"
import socket, sys, urllib.request
held = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(40)]
for s in held:
    s.sendall(b"GET / HTTP/1.1\r\n")
body = urllib.request.urlopen("http://127.0.0.1:%s/api/state" % sys.argv[1], timeout=3).read()
sys.exit(0 if b'"office":"Dinas Uji Coba"' in body else 1)
PY

# The browser run; its lines become this test's lines.
node "$E2E/screen.mjs" "http://127.0.0.1:$PORT/" "$K/sim.sock" "$OUT" >"$T/e2e.out" 2>&1
rc=$?
seqs=""
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) fail "${line#not ok - }" ;;
	"# seq "*) seqs=${line#\# seq } ;;
	*) echo "# $line" ;;
	esac
done <"$T/e2e.out"
[ $rc -eq 0 ] || fail "browser run exited with $rc"
for shot in idle greeting form form-800x480; do
	check "screenshot $shot.png saved" test -s "$OUT/$shot.png"
done

# The records behind it: in the outbox, chained with the taps.
DB=$K/hadir.db
q() { sqlite3 "$DB" "$1"; }
check "four activity records: plan, free text, correction, withdrawal" test "$(q "SELECT count(*) FROM records WHERE kind = 'activity'")" = 4
check "entries carry the person and the tap's credential" test "$(q "SELECT group_concat(DISTINCT nip || '/' || credential || '/' || outcome) FROM records WHERE kind = 'activity'")" = "1001/42/accepted"
read -r old new <<<"$seqs"
if [ -n "${old:-}" ] && [ -n "${new:-}" ]; then
	check "the corrected entry is still in the outbox" bash -c "sqlite3 '$DB' \"SELECT payload FROM records WHERE seq = $old\" | grep -q '\"description\":\"Rapat koordinasi anggaran\"'"
	check "the correction's payload supersedes the old seq" bash -c "sqlite3 '$DB' \"SELECT payload FROM records WHERE seq = $new\" | grep -q '\"description\":\"Rapat koordinasi anggaran 2027\".*\"supersedes\":$old,\"withdrawn\":false'"
else
	fail "the browser run reported no correction"
fi
check "the withdrawal names a standing entry" test "$(q "SELECT count(*) FROM records WHERE kind = 'activity' AND payload LIKE '%\"withdrawn\":true}'")" = 1
check "plan entry payload as the contract says" bash -c "sqlite3 '$DB' \"SELECT payload FROM records WHERE kind = 'activity' ORDER BY seq LIMIT 1\" | grep -qE '^\\{\"v\":1,\"date\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}\",\"plan\":\"RHK-1\",\"description\":\"\",\"quantity\":3,\"unit\":\"dokumen\",\"start\":\"08:00\",\"end\":\"09:30\",\"supersedes\":0,\"withdrawn\":false\\}$'"
check "refused entries left nothing behind, the chain verifies" "$KIOSK" verify --config "$K/kiosk.conf"
# taps_today is the kiosk's local day (Asia/Jakarta): count the expected taps the same way,
# so a run across midnight WIB still compares like with like.
check "activity entries are not taps (status counts taps only)" bash -c "'$KIOSK' status --json --config '$K/kiosk.conf' | python3 -c '
import datetime, json, sqlite3, sys, zoneinfo
s = json.load(sys.stdin)
wib = zoneinfo.ZoneInfo(\"Asia/Jakarta\")
today = datetime.datetime.now(wib).date()
walls = sqlite3.connect(sys.argv[1]).execute(\"SELECT wall_usec FROM records WHERE kind = \x27tap\x27\").fetchall()
taps = sum(datetime.datetime.fromtimestamp(w / 1e6, wib).date() == today for (w,) in walls)
assert len(walls) == 7 and s[\"taps_today\"] == taps and s[\"last_seq\"] == 11, (s, taps)
' '$DB'"
echo "1..$_tap_n"
