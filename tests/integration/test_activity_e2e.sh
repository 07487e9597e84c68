#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 7's acceptance in one chain: a collector site (units, staff with their supervisor,
# schedules, plan items), a sim kiosk enrolled to it with its screen on and the roster
# pulled; in Debian's headless Chromium (tests/e2e/screen.mjs entry) a tap through the
# sim socket, the greeting, "Catat kegiatan", a plan item picked and the rest typed, the
# entry saved and listed; then the record in the kiosk's outbox, its arrival at the
# collector (pending, for the supervisor), another supervisor refused, the approval by
# the supervisor through the API, and the month's recap counting it. Screenshots:
# $HADIR_TEST_OUT/activity_e2e (default: the temp dir, kept with HADIR_KEEP_TMP=1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
E2E=$REPO/tests/e2e
OUT=${HADIR_TEST_OUT:-$T}/activity_e2e
mkdir -p "$OUT"
if [ ! -x /usr/bin/chromium ] || [ ! -d "$E2E/node_modules/playwright-core" ]; then
	fail "chromium or tests/e2e/node_modules missing: run scripts/deps.sh check"
	exit 1
fi

A=198501012010011001  # Ani, staff of S1
S1=197001012000011003
S2=197101012000011004 # supervises someone else

site_start "$T/site" || { fail "collector site"; cat "$T"/collector.*.log; exit 1; }
CA=$T/site/ca.pem
printf 'unit_id,name,timezone,profile\nU1,Dinas Uji Coba,Asia/Jakarta,default\n' >"$T/units.csv"
cat >"$T/staff.csv" <<EOF
nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip
$A,Ani Lestari,U1,42,,4500000,$S1
$S1,Sari,U1,44,,7000000,
$S2,Sinta,U1,45,,7000000,
199002022015022002,Budi Santoso,U1,43,,3900000,$S2
EOF
# Work starts at 23:58 every day of this year and the next: a tap now is on time (within
# the profile's 59 s grace up to 23:58:59 WIB), whatever the day; the greeting's status
# comes from the roster's schedule.
before_midnight_wib
YEAR=$(date +%Y)
{
	echo 'unit_id,valid_from,valid_to,weekday,start,end,label'
	for day in 1 2 3 4 5 6 7; do
		echo "U1,$YEAR-01-01,$((YEAR + 1))-12-31,$day,23:58,23:59,"
	done
} >"$T/schedules.csv"
printf 'nip,code,title\n%s,RHK-1,Menyusun laporan bulanan\n%s,RHK-2,Rapat koordinasi\n' "$A" "$A" >"$T/plans.csv"
for kind in units staff schedules plans; do
	check "collector import $kind" "$COLLECTOR" --config "$CONF" import "$kind" "$T/$kind.csv"
done
SUP1=$("$COLLECTOR" --config "$CONF" token add --role supervisor --nip $S1 | tail -n 1)
SUP2=$("$COLLECTOR" --config "$CONF" token add --role supervisor --nip $S2 | tail -n 1)

K=$T/kiosk
UI_PORT=$(free_port)
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = pintu-1/; /^\[kiosk\]/a office = Dinas Uji Coba' "$K/kiosk.conf"
cat >>"$K/kiosk.conf" <<CONF

[sync]
roster_interval = 1s
backoff_min = 200ms
backoff_max = 1s

[ui]
listen = 127.0.0.1:$UI_PORT
root = $REPO/firmware/ui
CONF
DEVICE_TOKEN=$("$COLLECTOR" --config "$CONF" device add pintu-1 | tail -n 1)
check "kiosk enrols" "$KIOSK" enroll --url "$URL" --token "$DEVICE_TOKEN" --ca "$CA" --config "$K/kiosk.conf"
start_bg "$T/kiosk.log" "$KIOSK" --config "$K/kiosk.conf"
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; exit 1; }
wait_for 5 curl -sf "http://127.0.0.1:$UI_PORT/api/state" || { fail "screen not served"; exit 1; }

KDB=$K/hadir.db
kq() { sqlite3 "$KDB" "$1" 2>/dev/null; }
roster_pulled() {
	[ "$(kq "SELECT group_concat(code || '=' || title, ';') FROM (SELECT code, title FROM plans WHERE nip = '$A' ORDER BY code)")" = \
		"RHK-1=Menyusun laporan bulanan;RHK-2=Rapat koordinasi" ] &&
		[ "$(kq "SELECT count(*) FROM unit_schedule")" = 7 ]
}
if wait_for 15 roster_pulled; then
	ok "the kiosk pulled the roster: Ani's plan items and the unit's schedule"
else
	fail "roster at the kiosk: $(kq 'SELECT * FROM plans') / $(kq 'SELECT count(*) FROM unit_schedule')"
fi

# The browser run; its lines become this test's lines.
node "$E2E/screen.mjs" "http://127.0.0.1:$UI_PORT/" "$K/sim.sock" "$OUT" entry >"$T/e2e.out" 2>&1
rc=$?
SEQ=""
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) fail "${line#not ok - }" ;;
	"# entry "*) SEQ=${line#\# entry } ;;
	*) echo "# $line" ;;
	esac
done <"$T/e2e.out"
[ $rc -eq 0 ] || fail "browser run exited with $rc"
for shot in idle greeting form; do
	check "screenshot $shot.png saved" test -s "$OUT/$shot.png"
done
[[ $SEQ =~ ^[0-9]+$ ]] || { fail "the browser run reported no entry"; exit 1; }

# In the kiosk's database: the entry is an outbox record of the person's tap credential.
row=$(sqlite3 -separator '|' "$KDB" "SELECT kind, nip, credential, outcome, payload FROM records WHERE seq = $SEQ")
if grep -qE "^activity\|$A\|42\|accepted\|\{\"v\":1,\"date\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}\",\"plan\":\"RHK-1\",\"description\":\"\",\"quantity\":3,\"unit\":\"dokumen\",\"start\":\"08:00\",\"end\":\"09:30\",\"supersedes\":0,\"withdrawn\":false\}$" <<<"$row"; then
	ok "the entry is in the kiosk's database: kind activity, Ani's card, the payload typed in"
else
	fail "kiosk record $SEQ: $row"
fi
DAY=$(sed -n 's/.*"date":"\([0-9-]*\)".*/\1/p' <<<"$row")
check "the kiosk's chain verifies" "$KIOSK" verify --config "$K/kiosk.conf"

# At the collector, for Ani's supervisor.
# activities TOKEN: GET /api/v1/activities?nip=Ani into $T/body; prints the status.
activities() {
	code --cacert "$CA" -H "Authorization: Bearer $1" "$URL/api/v1/activities?nip=$A&history=1"
}
# field EXPR: a Python expression over the JSON reply j in $T/body, printed.
field() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/body" "$1"
}
arrived() {
	[ "$(activities "$SUP1")" = 200 ] && [ "$(field 'len(j["activities"])')" = 1 ]
}
if wait_for 15 arrived; then ok "the entry arrived at the collector"; else fail "no entry at the collector: $(cat "$T/body")"; fi
ENTRY='[(a["seq"], a["device"], a["nip"], a["date"], a["plan"], a["quantity"], a["unit"], a["start"], a["end"], a["minutes"], a["status"]) for a in j["activities"]]'
check "the supervisor sees it as sent, 90 minutes, pending" test "$(field "$ENTRY")" = \
	"[($SEQ, 'pintu-1', '$A', '$DAY', 'RHK-1', 3, 'dokumen', '08:00', '09:30', 90, 'pending')]"
ID=$(field 'j["activities"][0]["id"]')

review() { # review TOKEN ACTION: POST /api/v1/activities/ID/ACTION; prints the status
	code --cacert "$CA" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		--data '{"comment":"Baik, lanjutkan"}' "$URL/api/v1/activities/$ID/$2"
}
check "another supervisor may not list Ani's entries: 403" test "$(activities "$SUP2")" = 403
check "another supervisor may not approve it: 403" test "$(review "$SUP2" approve)" = 403
check "another supervisor may not return it: 403" test "$(review "$SUP2" return)" = 403
activities "$SUP1" >/dev/null
check "so it is still pending, unreviewed" test "$(field '[(a["status"], a["reviewer_nip"]) for a in j["activities"]]')" = "[('pending', '')]"
check "Ani's supervisor approves it: 200" test "$(review "$SUP1" approve)" = 200
check "the reply is the approved entry with its reviewer and comment" test \
	"$(field '(j["id"], j["status"], j["reviewer_nip"], j["comment"])')" = "($ID, 'approved', '$S1', 'Baik, lanjutkan')"
activities "$SUP1" >/dev/null
check "the list shows it approved" test "$(field '[(a["id"], a["status"]) for a in j["activities"]]')" = "[($ID, 'approved')]"

# The month's recap beside the discipline report.
check "the month's recap: 200" test "$(code --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" \
	"$URL/api/v1/reports/activities?from=${DAY%-*}-01&to=$DAY")" = 200
check "the recap counts Ani's entry as approved, 90 minutes, under RHK-1" test \
	"$(field '[(e["nip"], e["entries"], e["minutes"], e["approved"], e["pending"], e["returned"], [(p["code"], p["title"], p["entries"], p["minutes"], p["quantity"]) for p in e["plans"]]) for e in j["employees"] if e["nip"] == "'"$A"'"]')" = \
	"[('$A', 1, 90, 1, 0, 0, [('RHK-1', 'Menyusun laporan bulanan', 1, 90, 3)])]"
echo "1..$_tap_n"
