#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Organisation data at the collector: `import` of every kind, good files
# (examples/) and bad ones (exit status, FILE:LINE messages, nothing stored),
# kiosks assigned to units, GET /api/v1/roster with curl and a client
# certificate (404 before staff, 200 + ETag, 304, a new ETag after an
# import, only the device's units), and end to end: a real sim kiosk keeps
# its own roster while the collector has none (404, no error shown), then
# pulls the collector's and accepts a card of a person imported there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

EX=$REPO/examples
SIM=$REPO/tests/helpers/simclient.py
site_start "$T/site" || { fail "collector site"; exit 1; }
CA=$T/site/ca.pem
imp() { "$COLLECTOR" --config "$CONF" import "$@"; }

# roster NAME [IF-NONE-MATCH]: GET the roster as kiosk NAME; status printed, body in $T/body.
roster() {
	local h=()
	[ -n "${2:-}" ] && h=(-H "If-None-Match: $2")
	rm -f "$T/body" # curl writes no file for an empty body
	curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' --max-time 10 --cacert "$CA" \
		--cert "$T/$1.pem" --key "$T/$1.key" "${h[@]}" "$URL/api/v1/roster"
}
etag() { sed -n 's/^ETag: //Ip' "$T/headers" | tr -d '\r'; }
# staff_nips: the NIPs in the roster body, sorted, one line.
staff_nips() {
	python3 -c 'import json,sys; print(" ".join(sorted(s["nip"] for s in json.load(open(sys.argv[1]))["staff"])))' "$T/body"
}
# bad KIND FILE WANT: the import fails with status 1 and WANT among its messages.
bad() {
	local out rc
	out=$(imp "$1" "$2" 2>&1)
	rc=$?
	if [ "$rc" = 1 ] && grep -qF -- "$3" <<<"$out" && grep -q "nothing was stored" <<<"$out"; then
		ok "bad $1 file refused: $3"
	else
		fail "bad $1 file (status $rc): $out"
	fi
}

# Units first; kiosks are assigned to units when they are added.
out=$(imp units "$EX/units.csv")
check "import units: summary" test "$out" = "imported 3 units"
check "enrol kiosk k1 for DISKOMINFO" enrol k1 "$T/k1" --unit DISKOMINFO
check "enrol kiosk k2 for every unit" enrol k2 "$T/k2"
out=$("$COLLECTOR" --config "$CONF" device add k3 --unit NOPE 2>&1)
check "device add --unit refuses an unknown unit" bash -c "! '$COLLECTOR' --config '$CONF' device list | grep -q '^k3 ' && grep -q \"no unit 'NOPE'\" <<<\"$out\""
check "device list shows the units" bash -c "'$COLLECTOR' --config '$CONF' device list | grep -E '^k1 .* DISKOMINFO$'"
check "device list --json has units" bash -c "'$COLLECTOR' --config '$CONF' device list --json | python3 -c 'import json,sys; d={x[\"name\"]: x[\"units\"] for x in json.load(sys.stdin)}; assert d[\"k1\"] == [\"DISKOMINFO\"] and d[\"k2\"] == [], d'"

code=$(roster k1)
check "roster before any staff import: 404 with a reason" bash -c "[ $code = 404 ] && grep -q 'no roster imported yet' '$T/body'"

# A real kiosk with a roster of its own: while the collector has no staff, it keeps it.
K=$T/kiosk
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = k4/' "$K/kiosk.conf"
printf '\n[sync]\nroster_interval = 1s\nbackoff_min = 200ms\nbackoff_max = 1s\n' >>"$K/kiosk.conf"
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Lokal,X,5555,\n' >"$T/local.csv"
"$KIOSK" roster import "$T/local.csv" --config "$K/kiosk.conf" >/dev/null
TOKEN=$("$COLLECTOR" --config "$CONF" device add k4 --unit DISKOMINFO | tail -n 1)
check "kiosk k4 enrols" "$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$CA" --config "$K/kiosk.conf"
start_bg "$T/kiosk.log" env HADIR_LOG_LEVEL=debug "$KIOSK" --config "$K/kiosk.conf"
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; exit 1; }
if wait_for 10 grep -q "the collector has no roster yet" "$T/kiosk.log"; then ok "the kiosk asked for the roster and got 404"; else fail "no roster pull: $(tail -n 5 "$T/kiosk.log")"; fi
reply=$(python3 "$SIM" "$K/sim.sock" "card 5555")
check "it keeps its own roster meanwhile" bash -c "[[ '$reply' == 'accepted 1001 '* ]]"
check "and its status shows no error for it" bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -q 'last sync:' && ! '$KIOSK' status --config '$K/kiosk.conf' | grep -qi 'last error'"

out=$(imp staff "$EX/staff.csv")
check "import staff: summary" test "$out" = "imported 5 staff (3 units)"
code=$(roster k1)
E1=$(etag)
check "roster: 200 with a strong ETag" bash -c "[ $code = 200 ] && [[ '$E1' == '\"'*'\"' ]]"
check "k1 sees only DISKOMINFO's staff" test "$(staff_nips)" = "197803152005011002 198501012010011001 199002022015022002"
check "roster JSON: version, unit with timezone and grace, cards, supervisor" python3 - "$T/body" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["version"] == 1
u = r["units"]
assert [x["unit_id"] for x in u] == ["DISKOMINFO"] and u[0]["timezone"] == "Asia/Jakarta" and u[0]["grace_seconds"] == 59, u
ani = [s for s in r["staff"] if s["nip"] == "198501012010011001"][0]
assert ani["cards"] == ["1042", "8065495"] and ani["fingers"] == [7] and ani["supervisor_nip"] == "197803152005011002", ani
PY
code=$(roster k1 "$E1")
check "If-None-Match with the ETag: 304, no body, the same ETag" bash -c "[ $code = 304 ] && [ ! -s '$T/body' ] && [ '$(etag)' = '$E1' ]"
code=$(roster k2)
check "k2 (no units) sees everyone" bash -c "[ $code = 200 ] && [ \$(python3 -c 'import json; print(len(json.load(open(\"$T/body\"))[\"staff\"]))') = 5 ]"

out=$(imp schedules "$EX/schedules.csv")
check "import schedules: summary" test "$out" = "imported 21 schedules (3 units)"
out=$(imp holidays "$EX/holidays.csv")
check "import holidays: summary" test "$out" = "imported 16 holidays (2026)"
out=$(imp leave "$EX/leave.csv")
check "import leave: summary" test "$out" = "imported 3 leave records (2026)"
out=$(imp taps "$EX/taps.csv")
check "import taps: summary" test "$out" = "imported 4 taps (0 already stored)"
out=$(imp taps "$EX/taps.csv")
check "import taps again: nothing doubled" test "$out" = "imported 0 taps (4 already stored)"
check "imported taps are listed under (import)" bash -c "'$COLLECTOR' --config '$CONF' taps --nip 198501012010011001 --json | python3 -c 'import json,sys; t=json.load(sys.stdin); assert len(t)==2 and {x[\"device\"] for x in t}=={\"(import)\"}, t'"
code=$(roster k1 "$E1")
E2=$(etag)
check "after new imports the old ETag gets 200 and a new ETag" bash -c "[ $code = 200 ] && [ -n '$E2' ] && [ '$E2' != '$E1' ]"
check "schedules are in the roster" python3 -c "import json; u=json.load(open('$T/body'))['units'][0]; assert len(u['schedule'])==10 and any(s.get('label')=='Ramadan 1447' for s in u['schedule'])"

# Bad files: refused with the line, and nothing changes (the ETag and the lists prove it).
printf 'unit_id,name,timezone,profile\nDISKOMINFO,Dinas,Asia/Atlantis,default\n' >"$T/u.csv"
bad units "$T/u.csv" "$T/u.csv:2: timezone: unknown zone 'Asia/Atlantis'"
printf 'unit_id,name,timezone,profile\nDISKOMINFO,Dinas,Asia/Jakarta,default\n' >"$T/u2.csv"
bad units "$T/u2.csv" "'BAPPEDA' is not in the file but still in use"
{ head -n 3 "$EX/staff.csv"; echo "199002022015022002,Budi,DISKOMINFO,08065495,,3900000,"; } >"$T/s.csv"
bad staff "$T/s.csv" "$T/s.csv:4: card: 8065495 already belongs to NIP 198501012010011001"
printf 'nip,name,unit_id,card,allowance\n1,Ani,DISKOMINFO,42,1\n' >"$T/s2.csv"
bad staff "$T/s2.csv" "header: column 'fingerprint_id' missing"
printf 'unit_id,valid_from,valid_to,weekday,start,end\nBAPPEDA,2026-01-01,2026-12-31,9,07:30,16:00\n' >"$T/sc.csv"
bad schedules "$T/sc.csv" "$T/sc.csv:2: weekday: not 1 (Monday) to 7 (Sunday): '9'"
printf 'date,name\n2026-12-25,Natal\n2026-12-25,Natal\n' >"$T/h.csv"
bad holidays "$T/h.csv" "$T/h.csv:3: date: 2026-12-25 is already a holiday"
printf 'nip,from,to,code\n198501012010011001,2026-07-01,2026-07-02,CUTI\n' >"$T/l.csv"
bad leave "$T/l.csv" "$T/l.csv:2: code: unknown leave code 'CUTI'"
printf 'nip,time\n198501012010011001,2026-01-06T07:30:00+07:00\n198501012010011001,yesterday\n' >"$T/t.csv"
bad taps "$T/t.csv" "$T/t.csv:3: time: 'yesterday' is not an ISO 8601 time"
code=$(roster k1 "$E2")
check "after the bad files the roster is unchanged (304)" test "$code" = 304
check "after the bad taps file no tap was added" bash -c "[ \$('$COLLECTOR' --config '$CONF' taps --json | python3 -c 'import json,sys; print(len([t for t in json.load(sys.stdin) if t[\"device\"] == \"(import)\"]))') = 4 ]"
out=$(imp leave "$EX/leave.csv")
check "leave after the bad file: the same three records replaced" test "$out" = "imported 3 leave records (2026)"

# A kiosk moved to another unit: its roster (and ETag) follow.
out=$("$COLLECTOR" --config "$CONF" device units k1 --unit BAPPEDA)
check "device units k1 --unit BAPPEDA" test "$out" = "device k1 serves units BAPPEDA"
code=$(roster k1 "$E2")
check "the moved kiosk gets a new roster: BAPPEDA's staff" bash -c "[ $code = 200 ] && [ '$(staff_nips)' = 198207212008012003 ] && [ '$(etag)' != '$E2' ]"
check "device units without --unit: every unit again" bash -c "'$COLLECTOR' --config '$CONF' device units k1 | grep -q 'serves every unit' && [ \$(curl -s --cacert '$CA' --cert '$T/k1.pem' --key '$T/k1.key' '$URL/api/v1/roster' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[\"staff\"]))') = 5 ]"
check "device units refuses an unknown device" bash -c "! '$COLLECTOR' --config '$CONF' device units nope 2>/dev/null"

# End to end: the kiosk pulls the roster and accepts a card imported at the collector.
if wait_for 10 bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -q 'roster: *3 staff'"; then
	ok "after the first staff import the kiosk holds DISKOMINFO's 3 staff"
else
	fail "kiosk roster: $("$KIOSK" status --config "$K/kiosk.conf" | grep roster)"
fi
reply=$(python3 "$SIM" "$K/sim.sock" "card 5555")
check "its own roster is replaced by the collector's" test "$reply" = "unknown 5555"
reply=$(python3 "$SIM" "$K/sim.sock" "card 7777")
check "before: card 7777 is unknown to the kiosk" test "$reply" = "unknown 7777"
{ cat "$EX/staff.csv"; echo "200001012024011005,Rina Kusuma,DISKOMINFO,0007777,,3500000,197803152005011002"; } >"$T/staff2.csv"
out=$(imp staff "$T/staff2.csv")
check "import staff with a new person" test "$out" = "imported 6 staff (3 units)"
if wait_for 15 bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -q 'roster: *4 staff'"; then
	ok "the kiosk pulled its units' roster (4 staff of DISKOMINFO)"
else
	fail "kiosk roster: $("$KIOSK" status --config "$K/kiosk.conf" | grep roster)"
fi
reply=$(python3 "$SIM" "$K/sim.sock" "card 7777")
check "a card imported at the collector is accepted at the kiosk" bash -c "[[ '$reply' == 'accepted 200001012024011005 '* ]]"
reply=$(python3 "$SIM" "$K/sim.sock" "card 44")
check "a card of another unit's staff is not" test "$reply" = "unknown 44"
check "no roster error in the kiosk status" bash -c "! '$KIOSK' status --config '$K/kiosk.conf' | grep -qi 'last error:.*roster'"
echo "1..$_tap_n"
