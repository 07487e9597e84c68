#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Activities at the collector, with real clients: a kiosk posts activity
# records (hash-chained, over mutual TLS) beside its taps; corrections and
# withdrawals supersede; bad payloads are kept as invalid with a reason;
# supervisors (tokens with an NIP) see and review only their own staff;
# web entries, bad input answered with a 4xx; the recap as JSON and CSV; the
# require_tap rule.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

A=198501012010011001  # staff of S1
B=199001012015011002  # staff of S2
S1=197001012000011003
S2=197101012000011004
RECORDS=$REPO/tests/helpers/records.py

# sql STATEMENT: run it on the collector's database, print the rows.
sql() {
	python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(*r, sep="|") for r in c.execute(sys.argv[2])]; c.commit()' \
		"$S/collector.db" "$1"
}

S=$T/site
site_start "$S" && ok "init and start" || { fail "init and start"; cat "$T"/collector.*.log; exit 1; }
CA=$S/ca.pem
cat >"$T/units.csv" <<EOF
unit_id,name,timezone,profile
U1,Dinas Kominfo,Asia/Jakarta,default
EOF
cat >"$T/staff.csv" <<EOF
nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip
$A,Ani,U1,42,,5000000,$S1
$B,Budi,U1,43,,5000000,$S2
$S1,Sari,U1,44,,7000000,
$S2,Sinta,U1,45,,7000000,
EOF
cat >"$T/plans.csv" <<EOF
nip,code,title
$A,RHK-1,Laporan keuangan bulanan
$A,RHK-2,Rapat koordinasi
$B,RHK-1,Pemeliharaan jaringan
EOF
check "import units and staff (supervisor_nip)" bash -c \
	"'$COLLECTOR' --config '$CONF' import units '$T/units.csv' && '$COLLECTOR' --config '$CONF' import staff '$T/staff.csv'"
check "import plans" "$COLLECTOR" --config "$CONF" import plans "$T/plans.csv"
printf 'nip,code,title\n%s,RHK-9,Ok\n199901012020011999,RHK-1,Nobody\n' "$A" >"$T/badplans.csv"
bad_plans() {
	local out
	! out=$("$COLLECTOR" --config "$CONF" import plans "$T/badplans.csv" 2>&1) &&
		grep -q 'badplans.csv:3' <<<"$out"
}
check "plans of an unknown NIP refused with the line number" bad_plans

token_for() {
	"$COLLECTOR" --config "$CONF" token add --role supervisor --nip "$1" | tail -n 1
}
T1=$(token_for $S1)
T2=$(token_for $S2)
check "supervisor tokens printed" test "${#T1}" -ge 40 -a "${#T2}" -ge 40 -a "$T1" != "$T2"
check "supervisor token only for a known NIP" bash -c \
	"! '$COLLECTOR' --config '$CONF' token add --role supervisor --nip 199901012020011999 2>/dev/null"
check "supervisor token needs --nip" bash -c \
	"! '$COLLECTOR' --config '$CONF' token add --role supervisor 2>/dev/null"
check "tokens stored as hashes only" bash -c "! grep -qF -- '$T1' '$S/collector.db'"

check "enrol kiosk-1" enrol kiosk-1 "$T/k1"
MTLS=(--cacert "$CA" --cert "$T/k1.pem" --key "$T/k1.key")
check "roster carries each person's plan items (the bad file stored nothing)" test \
	"$(curl -s "${MTLS[@]}" "$URL/api/v1/roster" | python3 -c 'import json,sys; print(sorted((s["nip"], [p["code"] for p in s["plans"]]) for s in json.load(sys.stdin)["staff"]))')" = \
	"[('$S1', []), ('$S2', []), ('$A', ['RHK-1', 'RHK-2']), ('$B', ['RHK-1'])]"
ADMIN=(-H "Authorization: Bearer $ADMIN_TOKEN")
SUP1=(-H "Authorization: Bearer $T1")
SUP2=(-H "Authorization: Bearer $T2")

# The kiosk's chain: 2025-03-03, WIB (07:00 WIB = 00:00Z).
python3 - "$T/spec.json" "$A" "$B" <<'PY'
import json, sys
path, a, b = sys.argv[1:]
day = 1740960000000000  # 2025-03-03T00:00Z = 07:00 WIB
def act(desc, sup=0, withdrawn=False, date="2025-03-03", plan="", q=2, start="08:00", end="09:30"):
    return {"v": 1, "date": date, "plan": plan, "description": desc, "quantity": q,
            "unit": "dokumen", "start": start, "end": end, "supersedes": sup, "withdrawn": withdrawn}
spec = [
    {"kind": "tap", "nip": a, "wall_usec": day},                                    # 1
    {"kind": "activity", "nip": a, "wall_usec": day + 3600e6, "payload": act("Menyusun laporan", plan="RHK-1")},  # 2
    {"kind": "activity", "nip": a, "wall_usec": day + 7200e6, "payload": act("Menyusun laporan keuangan", 2, plan="RHK-1", q=3)},  # 3
    {"kind": "tap", "nip": b, "wall_usec": day + 60e6},                             # 4
    {"kind": "activity", "nip": b, "wall_usec": day + 3600e6, "payload": act("Memperbaiki router", plan="RHK-1", start="10:00", end="12:00")},  # 5
    {"kind": "activity", "nip": b, "wall_usec": day + 3700e6, "payload": act("   ")},                 # 6: empty description
    {"kind": "activity", "nip": a, "wall_usec": day + 3800e6, "payload": act("Rapat", date="2025-03-06")},  # 7: future
    {"kind": "activity", "nip": a, "wall_usec": day + 3900e6, "payload": act("Salah catat")},         # 8
    {"kind": "activity", "nip": a, "wall_usec": day + 4000e6, "payload": act("Salah catat", 8, True)},  # 9: withdraws 8
    {"kind": "activity", "nip": a, "wall_usec": day + 4100e6, "payload": "{not json"},              # 10
    {"kind": "activity", "nip": "199901012020011999", "wall_usec": day + 4200e6, "payload": act("Siapa")},  # 11
    {"kind": "activity", "nip": a, "wall_usec": day + 4300e6, "payload": act("Sore", start="16:00", end="15:00")},  # 12
]
for r in spec:
    r["wall_usec"] = int(r["wall_usec"])
json.dump(spec, open(path, "w"))
PY

post() { # post LO HI: the kiosk sends records LO..HI; prints the HTTP status
	python3 "$RECORDS" "$T/spec.json" "$1" "$2" >"$T/batch"
	code "${MTLS[@]}" --data-binary @"$T/batch" "$URL/api/v1/records"
}
# The correction (3) arrives before what it corrects (1..2).
check "a correction before its original: stored" test "$(post 3 3)" = 200
check "then the rest of the chain" test "$(post 1 12)" = 200
check "all twelve records stored, acked to 12" test "$(json_field "$T/body" acked_seq)" = 12
post 1 12 >/dev/null
check "resend stores nothing new" test "$(json_field "$T/body" stored)" = 0

list() { # list TOKEN-ARGS... QUERY: GET /api/v1/activities?QUERY into $T/body; prints the status
	local q=${*: -1}
	code --cacert "$CA" "${@:1:$#-1}" "$URL/api/v1/activities?$q"
}
# field EXPR: a Python expression over the reply j, printed.
field() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/body" "$1"
}

check "list (admin): 200" test "$(list "${ADMIN[@]}" "from=2025-03-01&to=2025-03-31")" = 200
# Current: 3 (corrects 2), 5, 6 invalid, 7 invalid, 10 invalid, 11 invalid, 12 invalid; 8 withdrawn by 9.
check "current entries: corrections replace, withdrawals remove" \
	test "$(field '",".join(str(s) for s in sorted(a["seq"] for a in j["activities"]))')" = "3,5,6,7,10,11,12"
check "the correction is current and linked" \
	test "$(field '[a for a in j["activities"] if a["seq"]==3][0]["description"]')" = "Menyusun laporan keuangan"
check "invalid payloads are kept with their reason" test "$(field 'dict(sorted((a["seq"], a["reason"]) for a in j["activities"] if a["status"]=="invalid"))')" = \
	"{6: 'payload: description is empty and no plan is chosen', 7: \"date 2025-03-06 is after the entry's day + 1\", 10: 'payload: not an activity payload', 11: 'unknown NIP 199901012020011999', 12: 'payload: start must be before end'}"
check "history=1 shows superseded and withdrawn too" bash -c \
	"[ \"\$(curl -s --cacert '$CA' -H 'Authorization: Bearer $ADMIN_TOKEN' '$URL/api/v1/activities?history=1' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[\"activities\"]))')\" = 10 ]"
check "status filter" bash -c \
	"[ \"\$(curl -s --cacert '$CA' -H 'Authorization: Bearer $ADMIN_TOKEN' '$URL/api/v1/activities?status=pending' | python3 -c 'import json,sys; print(sorted(a[\"seq\"] for a in json.load(sys.stdin)[\"activities\"]))')\" = '[3, 5]' ]"
check "bad status: 400" test "$(list "${ADMIN[@]}" "status=maybe")" = 400
check "bad date: 400" test "$(list "${ADMIN[@]}" "from=2025-13-01")" = 400
check "no token: 401" test "$(list "from=2025-03-01")" = 401

ID_A=$(curl -s --cacert "$CA" "${ADMIN[@]}" "$URL/api/v1/activities?nip=$A&status=pending" | python3 -c 'import json,sys; print(json.load(sys.stdin)["activities"][0]["id"])')
ID_A_OLD=$(curl -s --cacert "$CA" "${ADMIN[@]}" "$URL/api/v1/activities?nip=$A&history=1" | python3 -c 'import json,sys; print([a["id"] for a in json.load(sys.stdin)["activities"] if a["seq"]==2][0])')
ID_B=$(curl -s --cacert "$CA" "${ADMIN[@]}" "$URL/api/v1/activities?nip=$B&status=pending" | python3 -c 'import json,sys; print(json.load(sys.stdin)["activities"][0]["id"])')
ID_B_BAD=$(curl -s --cacert "$CA" "${ADMIN[@]}" "$URL/api/v1/activities?nip=$B&status=invalid" | python3 -c 'import json,sys; print(json.load(sys.stdin)["activities"][0]["id"])')

# Supervisor scope.
list "${SUP1[@]}" "from=2025-03-01&to=2025-03-31" >/dev/null
check "S1 sees only A's entries" test "$(field 'sorted({a["nip"] for a in j["activities"]})')" = "['$A']"
check "S2 asking for A's entries: 403" test "$(list "${SUP2[@]}" "nip=$A")" = 403
cp "$T/body" "$T/forbidden_list"
check "S2 asking for an unknown NIP: the same 403 and body" bash -c \
	"[ \"\$(curl -s -o '$T/unknown_list' -w '%{http_code}' --cacert '$CA' -H 'Authorization: Bearer $T2' '$URL/api/v1/activities?nip=199901012020011999')\" = 403 ] && cmp -s <(sed 's/,\"server_time_usec\":[0-9]*//' '$T/forbidden_list') <(sed 's/,\"server_time_usec\":[0-9]*//' '$T/unknown_list')"
list "${SUP2[@]}" "nip=$B" >/dev/null
check "S2 asking for B's entries gets them" test "$(field 'sorted({a["nip"] for a in j["activities"]})')" = "['$B']"
review() { # review TOKEN-ARGS... ID VERB BODY: prints the status
	local n=$#
	code --cacert "$CA" "${@:1:n-3}" -H 'Content-Type: application/json' --data "${@:n:1}" \
		"$URL/api/v1/activities/${@:n-2:1}/${@:n-1:1}"
}
check "S2 cannot approve A's entry: 403" test "$(review "${SUP2[@]}" "$ID_A" approve '{}')" = 403
cp "$T/body" "$T/forbidden"
check "S2 on a missing id: the same 403 and body" bash -c \
	"[ \"\$(curl -s -o '$T/missing' -w '%{http_code}' --cacert '$CA' -H 'Authorization: Bearer $T2' --data '{}' '$URL/api/v1/activities/99999/approve')\" = 403 ] && cmp -s <(sed 's/,\"server_time_usec\":[0-9]*//' '$T/forbidden') <(sed 's/,\"server_time_usec\":[0-9]*//' '$T/missing')"
check "admin on a missing id: 404" test "$(review "${ADMIN[@]}" 99999 approve '{}')" = 404
check "S1 returns without a comment: 400" test "$(review "${SUP1[@]}" "$ID_A" return '{"comment":""}')" = 400
check "S1 returns A's entry with a comment: 200" test "$(review "${SUP1[@]}" "$ID_A" return '{"comment":"Lampirkan bukti"}')" = 200
check "the entry shows returned, the comment and the reviewer" test \
	"$(field 'j["status"], j["comment"], j["reviewer_nip"]')" = "('returned', 'Lampirkan bukti', '$S1')"
check "S1 approves it after all: 200" test "$(review "${SUP1[@]}" "$ID_A" approve '{"comment":"OK"}')" = 200
check "approving a superseded entry: 409" test "$(review "${SUP1[@]}" "$ID_A_OLD" approve '{}')" = 409
check "approving an invalid entry: 409" test "$(review "${SUP2[@]}" "$ID_B_BAD" approve '{}')" = 409
check "S2 approves B's entry (no body)" test "$(code --cacert "$CA" "${SUP2[@]}" -X POST "$URL/api/v1/activities/$ID_B/approve")" = 200
# A role that may not review (only the schema knows "staff" tokens yet).
sql "INSERT INTO admin_tokens (hash, role, created_usec) VALUES ('$(printf staff-token | sha256sum | cut -d' ' -f1)', 'staff', 0)"
check "a staff token may not list activities: 403" \
	test "$(list -H 'Authorization: Bearer staff-token' "from=2025-03-01")" = 403

# Web entries (the collector's own device).
TODAY=$(TZ=Asia/Jakarta date +%F)
FUTURE=$(TZ=Asia/Jakarta date -d '+3 days' +%F)
web() { # web TOKEN-ARGS... JSON: POST /api/v1/activities; prints the status
	local n=$#
	code --cacert "$CA" "${@:1:n-1}" -H 'Content-Type: application/json' --data "${@:n:1}" \
		"$URL/api/v1/activities"
}
entry() { # entry NIP [KEY=JSON ...]: a web entry body
	python3 - "$@" <<'PY'
import json, sys
e = {"nip": sys.argv[1], "date": "", "plan": "", "description": "Rapat koordinasi", "quantity": 1,
     "unit": "kegiatan", "start": "09:00", "end": "10:00"}
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    e[k] = json.loads(v)
print(json.dumps(e))
PY
}
check "S1 enters an activity for A: 201" test "$(web "${SUP1[@]}" "$(entry $A date=\"$TODAY\" plan=\"RHK-2\")")" = 201
WEB_ID=$(field 'j["id"]')
check "web entry is pending on device (web)" test "$(field 'j["status"], j["device"], j["seq"], j["minutes"]')" = "('pending', '(web)', 1, 60)"
check "S1 corrects it (supersedes the id): 201" test "$(web "${SUP1[@]}" "$(entry $A date=\"$TODAY\" plan=\"RHK-2\" end=\"11:30\" supersedes=$WEB_ID)")" = 201
WEB_ID2=$(field 'j["id"]')
check "correcting it again from the old id: 409" test "$(web "${SUP1[@]}" "$(entry $A date=\"$TODAY\" supersedes=$WEB_ID)")" = 409
check "S1 withdraws the correction, naming only the entry: 201" test \
	"$(web "${SUP1[@]}" "{\"nip\":\"$A\",\"date\":\"$TODAY\",\"supersedes\":$WEB_ID2,\"withdrawn\":true}")" = 201
check "the withdrawal carries the withdrawn entry's fields" test \
	"$(field 'j["withdrawn"], j["end"], j["plan"]')" = "(True, '11:30', 'RHK-2')"
list "${ADMIN[@]}" "nip=$A&from=$TODAY&to=$TODAY" >/dev/null
check "nothing current is left of it" test "$(field 'len(j["activities"])')" = 0
check "S2 enters for A: 403" test "$(web "${SUP2[@]}" "$(entry $A date=\"$TODAY\")")" = 403
check "empty description: 400 naming the rule" bash -c \
	"[ \"\$(curl -s -o '$T/e' -w '%{http_code}' --cacert '$CA' -H 'Authorization: Bearer $T1' --data '$(entry $A date=\"$TODAY\" description=\"\ \ \")' '$URL/api/v1/activities')\" = 400 ] && grep -q '\"code\":\"description_empty\"' '$T/e'"
check "absurd quantity: 400" test "$(web "${SUP1[@]}" "$(entry $A date=\"$TODAY\" quantity=100000)")" = 400
check "absurd time: 400" test "$(web "${SUP1[@]}" "$(entry $A date=\"$TODAY\" start=\"25:00\")")" = 400
check "start after end: 400 start_after_end" bash -c \
	"[ \"\$(curl -s -o '$T/e' -w '%{http_code}' --cacert '$CA' -H 'Authorization: Bearer $T1' --data '$(entry $A date=\"$TODAY\" start=\"11:00\" end=\"10:00\")' '$URL/api/v1/activities')\" = 400 ] && grep -q '\"code\":\"start_after_end\"' '$T/e'"
check "future date: 422" test "$(web "${SUP1[@]}" "$(entry $A date=\"$FUTURE\")")" = 422
check "unknown NIP (admin): 422" test "$(web "${ADMIN[@]}" "$(entry 199901012020011999 date=\"$TODAY\")")" = 422
check "oversize description: 400 description_long" bash -c \
	"[ \"\$(curl -s -o '$T/e' -w '%{http_code}' --cacert '$CA' -H 'Authorization: Bearer $T1' --data '$(entry $A date=\"$TODAY\" description=\"$(head -c 600 /dev/zero | tr '\0' x)\")' '$URL/api/v1/activities')\" = 400 ] && grep -q 'description_long' '$T/e'"
python3 -c 'import json,sys; print(json.dumps({"nip": sys.argv[1], "date": sys.argv[2], "plan": "", "description": "\U0001F600" * 500, "quantity": 1, "unit": "x", "start": "09:00", "end": "10:00"}))' "$A" "$TODAY" >"$T/huge"
check "an entry too large for a record: 413 too_big" bash -c \
	"[ \"\$(curl -s -o '$T/e' -w '%{http_code}' --cacert '$CA' -H 'Authorization: Bearer $T1' --data @'$T/huge' '$URL/api/v1/activities')\" = 413 ] && grep -q '\"code\":\"too_big\"' '$T/e'"
check "not JSON: 400" test "$(web "${SUP1[@]}" '{"nip":')" = 400
check "nothing stored from bad input: 3 web records" test \
	"$(sql "SELECT count(*) FROM records r JOIN devices d ON d.id = r.device_id WHERE d.name = '(web)'")" = 3

# Recap.
check "recap JSON: 200" test "$(code --cacert "$CA" "${ADMIN[@]}" "$URL/api/v1/reports/activities?from=2025-03-01&to=2025-03-31")" = 200
check "recap: A has 1 entry (90 min, RHK-1 quantity 3), approved" test \
	"$(field '[(e["entries"], e["minutes"], e["approved"], e["invalid"], [(p["code"], p["title"], p["quantity"]) for p in e["plans"]]) for e in j["employees"] if e["nip"]=="'$A'"][0]')" = \
	"(1, 90, 1, 3, [('RHK-1', 'Laporan keuangan bulanan', 3)])"
check "recap: B has 1 approved, 1 invalid" test \
	"$(field '[(e["entries"], e["approved"], e["invalid"]) for e in j["employees"] if e["nip"]=="'$B'"][0]')" = "(1, 1, 1)"
check "recap CSV over HTTP" bash -c \
	"curl -sf --cacert '$CA' -H 'Authorization: Bearer $ADMIN_TOKEN' '$URL/api/v1/reports/activities?from=2025-03-01&to=2025-03-31&format=csv' | grep -q '^$A,Ani,U1,RHK-1,Laporan keuangan bulanan,1,90,3,'"
check "recap for S2 holds B only" bash -c \
	"[ \"\$(curl -s --cacert '$CA' -H 'Authorization: Bearer $T2' '$URL/api/v1/reports/activities?from=2025-03-01&to=2025-03-31' | python3 -c 'import json,sys; print([e[\"nip\"] for e in json.load(sys.stdin)[\"employees\"]])')\" = \"['$B']\" ]"
check "recap XLSX over HTTP: a workbook named for the period" bash -c \
	"curl -sf -D '$T/xh' -o '$T/recap.xlsx' --cacert '$CA' -H 'Authorization: Bearer $ADMIN_TOKEN' '$URL/api/v1/reports/activities?from=2025-03-01&to=2025-03-31&format=xlsx' && grep -qi '^Content-Disposition: attachment; filename=\"kegiatan_2025-03-01_2025-03-31.xlsx\"' '$T/xh'"
python3 "$REPO/tests/helpers/xlsx_cells.py" "$T/recap.xlsx" Kegiatan >"$T/cells" 2>&1
check "XLSX: header, frozen, A's plan row with numbers as numbers" bash -c \
	"grep -qx 'A1	s	NIP' '$T/cells' && grep -qx 'frozen	1' '$T/cells' && grep -q '	s	Laporan keuangan bulanan$' '$T/cells' && grep -qE '^H[0-9]+	n	3$' '$T/cells'"
check "recap without a period: 400" test "$(code --cacert "$CA" "${ADMIN[@]}" "$URL/api/v1/reports/activities")" = 400
check "CLI recap (CSV) matches HTTP" bash -c \
	"cmp -s <('$COLLECTOR' --config '$CONF' report activities --from 2025-03-01 --to 2025-03-31 --format csv) <(curl -s --cacert '$CA' -H 'Authorization: Bearer $ADMIN_TOKEN' '$URL/api/v1/reports/activities?from=2025-03-01&to=2025-03-31&format=csv')"
check "CLI recap as XLSX to a file" bash -c \
	"'$COLLECTOR' --config '$CONF' report activities --from 2025-03-01 --to 2025-03-31 --format xlsx --output '$T/cli.xlsx' && python3 '$REPO/tests/helpers/xlsx_cells.py' '$T/cli.xlsx' Kegiatan | cmp -s - '$T/cells'"

# The require_tap rule: B has a tap on 3 March; nobody tapped on 4 March.
kill -TERM "$COLLECTOR_PID"
wait "$COLLECTOR_PID" 2>/dev/null
forget_pid "$COLLECTOR_PID"
printf '\n[activities]\nrequire_tap = true\n' >>"$CONF"
collector_up && ok "restart with require_tap" || fail "restart with require_tap"
python3 - "$T/spec.json" "$B" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
day = 1740960000000000
def act(desc, date):
    return {"v": 1, "date": date, "plan": "", "description": desc, "quantity": 1, "unit": "jam",
            "start": "13:00", "end": "14:00", "supersedes": 0, "withdrawn": False}
spec.append({"kind": "activity", "nip": sys.argv[2], "wall_usec": day + 5000000000, "payload": act("Ada absen", "2025-03-03")})
spec.append({"kind": "activity", "nip": sys.argv[2], "wall_usec": day + 86400000000, "payload": act("Tanpa absen", "2025-03-04")})
json.dump(spec, open(sys.argv[1], "w"))
PY
check "records posted" test "$(post 13 14)" = 200
list "${ADMIN[@]}" "nip=$B&from=2025-03-03&to=2025-03-04" >/dev/null
check "with a tap: pending; without: refused with the reason" test \
	"$(field '[(a["seq"], a["status"], a["reason"]) for a in j["activities"] if a["seq"] > 12]')" = \
	"[(13, 'pending', ''), (14, 'refused', 'no accepted tap on 2025-03-04')]"
check "the refused record is stored as evidence" test \
	"$(sql "SELECT count(*) FROM records WHERE seq = 14 AND kind = 'activity'")" = 1
check "web entry without a tap today: 422" test "$(web "${SUP2[@]}" "$(entry $B date=\"$TODAY\")")" = 422
check "service up" up
echo "1..$_tap_n"
