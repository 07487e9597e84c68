#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Device health end to end: a simulated kiosk enrolled for unit A reports its
# outbox, clock and version with every push and, idle, every health_interval;
# GET /api/v1/devices shows it to a superadmin and to unit A's admin, not to
# unit B's (who sees only B's kiosk), 403 to a supervisor; a forged chain is
# counted as a tamper alert of its device; a bad health object costs no
# record; `devices` prints the same; a small [dashboard] stale_after marks a
# silent kiosk stale.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
S=$T/site
site_start "$S" && ok "site up" || { fail "site up"; cat "$T"/collector.*.log; exit 1; }
CA=$S/ca.pem
C=("$COLLECTOR" --config "$CONF")
printf 'unit_id,name,timezone,profile\nA,Unit A,Asia/Jakarta,default\nB,Unit B,Asia/Makassar,default\n' >"$T/units.csv"
check "import units A and B" "${C[@]}" import units "$T/units.csv"

K=$T/kiosk
"$KIOSK" init "$K" --board sim >/dev/null
printf '\n[sync]\nbackoff_min = 200ms\nbackoff_max = 1s\nhealth_interval = 1s\n' >>"$K/kiosk.conf"
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = pintu-a/' "$K/kiosk.conf"
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani,A,42,\n1002,Budi,A,43,\n' >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null
TOKEN=$("${C[@]}" device add pintu-a --unit A | tail -n 1)
check "kiosk enrols for unit A" "$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$CA" --config "$K/kiosk.conf"
start_bg "$T/kiosk.log" env HADIR_LOG_LEVEL=debug "$KIOSK" --config "$K/kiosk.conf"
KPID=$!
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; exit 1; }
python3 "$SIM" "$K/sim.sock" "card 42" "card 43" "card 999" >/dev/null

SUPER=(--cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN")
# devices_as TOKEN: GET /api/v1/devices with a bearer token; status printed, body in $T/body.
devices_as() { code --cacert "$CA" -H "Authorization: Bearer $1" "$URL/api/v1/devices"; }
# dev EXPR: EXPR over d, pintu-a's entry in the last reply.
dev() { json_get "$T/body" "(lambda d: $1)([d for d in j['devices'] if d['name'] == 'pintu-a'][0])"; }
drained() { [ "$(devices_as "$ADMIN_TOKEN")" = 200 ] && [ "$(dev 'd["outbox"]')" = 0 ]; }
if wait_for 10 drained; then ok "the kiosk's health arrives: outbox 0 once its taps are in"; else
	fail "no health: $(cat "$T/body")"; fi
check "units, last sync, clock offset and trust, version, no alerts, not stale" test \
	"$(dev '(d["units"], d["last_sync_usec"] > 0, type(d["clock_offset_usec"]).__name__,
	        d["clock_trusted"] in (True, False), len(d["version"]) > 0, d["alerts"], d["stale"],
	        d["disabled"], d["outbox_oldest_usec"])')" \
	= "(['A'], True, 'int', True, True, 0, False, False, None)"
check "the three taps were stored" test "$("${C[@]}" taps --json | json_get /dev/stdin 'len(j)')" = 3
FIRST=$(dev 'd["last_sync_usec"]')
BOOT=$(dev 'd["boot_id"]')
advanced() { devices_as "$ADMIN_TOKEN" >/dev/null && [ "$(dev 'd["last_sync_usec"]')" -gt "$FIRST" ]; }
if wait_for 10 advanced; then ok "an idle kiosk still reports (health_interval)"; else fail "no idle report"; fi
check "the boot id is the kiosk's, unchanged" test "$(dev 'd["boot_id"]')" = "$BOOT"

# A second device for unit B, driven by curl: an intact batch, then a forged link.
enrol kiosk-b "$T/kb" --unit B && ok "enrol kiosk-b for unit B" || fail "enrol kiosk-b"
MTLS_B=(--cacert "$CA" --cert "$T/kb.pem" --key "$T/kb.key")
batch 1 2 >"$T/b12"
check "kiosk-b: two records" test "$(code "${MTLS_B[@]}" --data @"$T/b12" "$URL/api/v1/records")" = 200
batch 3 3 3 >"$T/b3"
check "kiosk-b: a record edited after sealing is stored with an alert" \
	test "$(code "${MTLS_B[@]}" --data @"$T/b3" "$URL/api/v1/records")-$(json_get "$T/body" 'j["alerts"]')" = 200-1
python3 - "$T/b12" "$T/b45" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
b["records"] = []
b["health"] = {"outbox": -5, "outbox_oldest_usec": 0, "clock_offset_usec": 0,
               "clock_trusted": "yes", "boot_id": "x", "uptime_s": 1, "version": "v"}
json.dump(b, open(sys.argv[2], "w"))
PY
batch 4 4 | python3 -c 'import json,sys; b=json.load(sys.stdin); h=json.load(open(sys.argv[1]))["health"]; b["health"]=h; print(json.dumps(b))' "$T/b45" >"$T/b4"
check "a bad health object costs no record: 200, seq 4 acknowledged" \
	test "$(code "${MTLS_B[@]}" --data @"$T/b4" "$URL/api/v1/records")-$(json_get "$T/body" 'j["acked_seq"]')" = 200-4
check "... and is logged" grep -q "device 'kiosk-b': health ignored: health outbox: out of range" "$T/collector.$PORT.log"

check "superadmin: both kiosks, kiosk-b with one alert and no health" test \
	"$(devices_as "$ADMIN_TOKEN")-$(json_get "$T/body" '[(d["name"], d["alerts"], d["outbox"]) for d in j["devices"]]')" \
	= "200-[('kiosk-b', 1, None), ('pintu-a', 0, 0)]"
check "superadmin: the latest alerts name kiosk-b's forged record" test \
	"$(json_get "$T/body" '[(a["device"], a["seq"], a["kind"]) for a in j["alerts"]]')" = "[('kiosk-b', 3, 'link')]"

printf 'nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n198501012010011001,Ani,A,42,,0,\n' >"$T/staff.csv"
check "import staff" "${C[@]}" import staff "$T/staff.csv"
"${C[@]}" token add --role unit_admin --unit A | tail -n 1 >"$T/tok.a"
"${C[@]}" token add --role unit_admin --unit B | tail -n 1 >"$T/tok.b"
"${C[@]}" token add --role supervisor --nip 198501012010011001 | tail -n 1 >"$T/tok.s"
check "unit A's admin sees pintu-a only, and none of kiosk-b's alerts" test \
	"$(devices_as "$(cat "$T/tok.a")")-$(json_get "$T/body" '([d["name"] for d in j["devices"]], j["alerts"])')" \
	= "200-(['pintu-a'], [])"
check "unit B's admin sees kiosk-b and its alert, nothing of pintu-a" test \
	"$(devices_as "$(cat "$T/tok.b")")-$(json_get "$T/body" '([d["name"] for d in j["devices"]], len(j["alerts"]))')" \
	= "200-(['kiosk-b'], 1)"
"${C[@]}" device add spare >/dev/null
check "a device serving no unit: the superadmin's alone" test \
	"$(devices_as "$ADMIN_TOKEN")-$(json_get "$T/body" '"spare" in [d["name"] for d in j["devices"]]')-$(devices_as "$(cat "$T/tok.a")")-$(json_get "$T/body" '"spare" in [d["name"] for d in j["devices"]]')" \
	= "200-True-200-False"
check "a supervisor: 403" test "$(devices_as "$(cat "$T/tok.s")")" = 403
check "no credentials: 401" test "$(code --cacert "$CA" "$URL/api/v1/devices")" = 401

"${C[@]}" devices >"$T/devices.txt"
check "devices: a line per kiosk with units, outbox and alerts" \
	grep -Eq '^pintu-a +A +20[0-9T:.Z-]+ +0 +[-+][0-9.]+ +0 ok$' "$T/devices.txt"
check "devices: kiosk-b with its alert, no health yet" \
	grep -Eq '^kiosk-b +B +20[0-9T:.Z-]+ +- +- +1 ok$' "$T/devices.txt"
check "devices --json: the API's fields" test \
	"$("${C[@]}" devices --json | json_get /dev/stdin '[(d["name"], d["alerts"], d["stale"]) for d in j["devices"]]')" \
	= "[('kiosk-b', 1, False), ('pintu-a', 0, False), ('spare', 0, False)]"

# Stale: the kiosk stops; with stale_after = 1s it is flagged, by the API and the command.
kill -TERM "$KPID"
kill -TERM "$COLLECTOR_PID"
wait_for 10 bash -c "! kill -0 $COLLECTOR_PID 2>/dev/null"
forget_pid "$COLLECTOR_PID"
printf '\n[dashboard]\nstale_after = 1s\n' >>"$CONF"
collector_up || fail "collector restart"
sleep 1.5
check "stale_after 1s: every silent kiosk is stale" test \
	"$(devices_as "$ADMIN_TOKEN")-$(json_get "$T/body" '[(d["name"], d["stale"]) for d in j["devices"]]')" \
	= "200-[('kiosk-b', True), ('pintu-a', True), ('spare', True)]"
check "devices says stale" grep -Eq '^pintu-a .* stale$' <("${C[@]}" devices)
"${C[@]}" device disable spare >/dev/null
check "a disabled kiosk is not stale but disabled" test \
	"$(devices_as "$ADMIN_TOKEN")-$(json_get "$T/body" '[(d["stale"], d["disabled"]) for d in j["devices"] if d["name"] == "spare"]')" \
	= "200-[(False, True)]"

echo "1..$_tap_n"
