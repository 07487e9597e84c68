#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Activity entries made on the kiosk screen reach the collector: an enrolled kiosk with
# the collector's roster (units and schedules: the greeting's status), a tap, entries posted through the screen's API with curl (as the screen's page
# does), and the raw records with their payloads in the collector's database, in
# the same hash chain as the taps (no alerts); there the correction replaces the entry, the
# supervisor approves it and the recap counts it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
site_start "$T/site" || { fail "collector site"; exit 1; }

K=$T/kiosk
UI_PORT=$(free_port)
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = pintu-1/' "$K/kiosk.conf"
cat >>"$K/kiosk.conf" <<CONF

[sync]
backoff_min = 200ms
backoff_max = 1s

[ui]
listen = 127.0.0.1:$UI_PORT
root = $REPO/firmware/ui
CONF
# The roster comes from the collector, with the unit's schedule: work starts at 23:58 today,
# so a tap now is on time (the greeting's status comes from the roster).
before_midnight_wib
YEAR=$(date +%Y)
WEEKDAY=$(TZ=Asia/Jakarta date +%u)
printf 'unit_id,name,timezone,profile\nU1,Dinas Uji,Asia/Jakarta,default\n' >"$T/units.csv"
printf 'nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n198501012010011001,Ani,U1,42,,4500000,\n' >"$T/staff.csv"
printf 'unit_id,valid_from,valid_to,weekday,start,end,label\nU1,%s-01-01,%s-12-31,%s,23:58,23:59,\n' \
	"$YEAR" "$((YEAR + 1))" "$WEEKDAY" >"$T/schedules.csv"
for kind in units staff schedules; do
	"$COLLECTOR" --config "$CONF" import "$kind" "$T/$kind.csv" >"$T/import.out" 2>&1 ||
		fail "collector import $kind: $(cat "$T/import.out")"
done
TOKEN=$("$COLLECTOR" --config "$CONF" device add pintu-1 | tail -n 1)
check "kiosk enrols" "$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$T/site/ca.pem" --config "$K/kiosk.conf"

start_bg "$T/kiosk.log" "$KIOSK" --config "$K/kiosk.conf"
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; exit 1; }
wait_for 5 curl -sf "http://127.0.0.1:$UI_PORT/api/state" || { fail "screen not served"; exit 1; }

CDB=$T/site/collector.db
arrived() { test "$(sqlite3 "$CDB" "SELECT count(*) FROM records WHERE kind = '$1'" 2>/dev/null)" = "$2"; }

KDB=$K/hadir.db
if wait_for 10 bash -c "[ \"\$(sqlite3 '$KDB' 'SELECT count(*) FROM staff s JOIN units u USING (unit_id) JOIN unit_schedule USING (unit_id)' 2>/dev/null)\" = 1 ]"; then
	ok "the collector's roster arrived with the unit, its zone and schedule"
else
	fail "roster at the kiosk: $(sqlite3 "$KDB" 'SELECT * FROM units' 2>&1)"
fi
check "tap accepted" bash -c "python3 '$SIM' '$K/sim.sock' 'card 42' | grep -q '^accepted 198501012010011001'"
if wait_for 5 bash -c "curl -s http://127.0.0.1:$UI_PORT/api/state | python3 -c 'import json,sys; e=json.load(sys.stdin)[\"event\"]; sys.exit(0 if e and e[\"status\"] == \"on_time\" and e[\"name\"] == \"Ani\" else 1)'"; then
	ok "the greeting says on time, from the unit's schedule in the roster"
else
	fail "greeting: $(curl -s "http://127.0.0.1:$UI_PORT/api/state")"
fi
if wait_for 5 arrived tap 1; then ok "the tap reached the collector"; else fail "tap did not arrive"; fi

SESSION=$(curl -s "http://127.0.0.1:$UI_PORT/api/state" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"]["token"])')
api() { curl -s -o "$T/reply" -w '%{http_code}' -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' "$@"; }
check "an entry posted through the screen's API" test "$(api --data '{"plan":"","description":"Menyusun laporan bulanan","quantity":3,"unit":"dokumen","start":"08:00","end":"09:30"}' "http://127.0.0.1:$UI_PORT/api/activities")" = 201
first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seq"])' "$T/reply")
check "a correction of it" test "$(api --data "{\"description\":\"Menyusun laporan bulanan (revisi)\",\"quantity\":4,\"unit\":\"dokumen\",\"start\":\"08:00\",\"end\":\"10:00\",\"supersedes\":$first}" "http://127.0.0.1:$UI_PORT/api/activities")" = 201
check "an invalid entry is refused with its reason" bash -c "[ \"\$(curl -s -o '$T/bad' -w '%{http_code}' -H 'Authorization: Bearer $SESSION' --data '{\"description\":\"x\",\"quantity\":1,\"unit\":\"jam\",\"start\":\"11:00\",\"end\":\"10:00\"}' http://127.0.0.1:$UI_PORT/api/activities)\" = 422 ] && grep -q '\"error\":\"start_after_end\"' '$T/bad'"

if wait_for 5 arrived activity 2; then ok "both activity records reached the collector, pushed at once"; else fail "activities did not arrive: $(sqlite3 "$CDB" 'SELECT seq, kind FROM records')"; fi
row=$(sqlite3 -separator '|' "$CDB" "SELECT nip, credential, outcome, payload FROM records WHERE kind = 'activity' AND seq = $first")
if grep -qE '^198501012010011001\|42\|accepted\|\{"v":1,"date":"[0-9-]{10}","plan":"","description":"Menyusun laporan bulanan","quantity":3,"unit":"dokumen","start":"08:00","end":"09:30","supersedes":0,"withdrawn":false\}$' <<<"$row"; then
	ok "the entry's record arrived with its person, credential and payload"
else
	fail "entry record at the collector: $row"
fi
check "the correction arrived superseding it" bash -c "sqlite3 '$CDB' \"SELECT payload FROM records WHERE kind = 'activity' AND seq = $((first + 1))\" | grep -q '\"description\":\"Menyusun laporan bulanan (revisi)\".*\"supersedes\":$first,'"
check "one chain with the taps: every record verified, no alerts" bash -c "[ \"\$(sqlite3 '$CDB' 'SELECT count(*) FROM records WHERE chain_ok = 1')\" = 3 ] && '$COLLECTOR' --config '$CONF' alerts --json | python3 -c 'import json,sys; a=json.load(sys.stdin); a=a.get(\"alerts\",a) if isinstance(a,dict) else a; assert len(a)==0, a'"
check "kiosk outbox drained" bash -c "'$KIOSK' status --json --config '$K/kiosk.conf' | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"outbox\"] == 0'"

# At the collector (server/activities.c): the correction replaced the entry, Ani's supervisor
# approves it with their own token, and the month's recap counts it.
printf 'nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n198501012010011001,Ani,U1,42,,4500000,197001012000011003\n197001012000011003,Sari,U1,,,5000000,\n' >"$T/staff2.csv"
"$COLLECTOR" --config "$CONF" import staff "$T/staff2.csv" >/dev/null
SUP=$("$COLLECTOR" --config "$CONF" token add --role supervisor --nip 197001012000011003 | tail -n 1)
TODAY=$(TZ=Asia/Jakarta date +%F)
curl -s -o "$T/list" --cacert "$T/site/ca.pem" -H "Authorization: Bearer $SUP" "$URL/api/v1/activities?nip=198501012010011001"
check "the supervisor sees the corrected entry, pending" test \
	"$(python3 -c 'import json,sys; print([(a["description"], a["status"], a["date"]) for a in json.load(open(sys.argv[1]))["activities"]])' "$T/list")" = \
	"[('Menyusun laporan bulanan (revisi)', 'pending', '$TODAY')]"
ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["activities"][0]["id"])' "$T/list")
check "the supervisor approves it" test "$(curl -s -o "$T/approved" -w '%{http_code}' --cacert "$T/site/ca.pem" -H "Authorization: Bearer $SUP" --data '{"comment":"Baik"}' "$URL/api/v1/activities/$ID/approve")" = 200
check "the month's recap counts it" test \
	"$(curl -s --cacert "$T/site/ca.pem" -H "Authorization: Bearer $SUP" "$URL/api/v1/reports/activities?from=${TODAY%-*}-01&to=$TODAY" | python3 -c 'import json,sys; e=json.load(sys.stdin)["employees"][0]; print(e["nip"], e["entries"], e["minutes"], e["approved"], e["plans"][0]["quantity"])')" = \
	"198501012010011001 1 120 1 4"
echo "1..$_tap_n"
