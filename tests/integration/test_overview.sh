#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GET /api/v1/overview: per-unit figures and the daily series equal to the sums of the
# discipline report of the same period and caller; each role's scope (unit admins their
# units, supervisors and staff their people; a forbidden unit is the one 403); the cache
# following a kiosk's new taps and an import of leave on the very next request; the CSV and
# XLSX of the page's table; the audit log.
#
# Mon 2025-10-06 .. Fri 10-10. Unit A (WIB): Ani on time daily (supervisor of Dodi and Eko),
# Cici never in, Dodi in at 07:45 daily, Eko on time Mon-Tue only. Unit B (WITA): Budi on
# time but Tuesday. Unit C: nobody.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

FROM=2025-10-06
TO=2025-10-10
P="from=$FROM&to=$TO"
ANI=198501012010011001
BUDI=199001012015011002
CICI=198601012010012002
DODI=198701012010011003
EKO=198801012010011004
CELLS="python3 $REPO/tests/helpers/xlsx_cells.py"

site_start "$T/site" && ok "site up" || { fail "site up"; cat "$T"/collector.*.log; exit 1; }
CA=$T/site/ca.pem
C=("$COLLECTOR" --config "$CONF")

printf 'unit_id,name,timezone,profile\nA,Unit A,Asia/Jakarta,default\nB,Unit B,Asia/Makassar,default\nC,Unit C,Asia/Jayapura,default\n' >"$T/units.csv"
cat >"$T/staff.csv" <<EOF
nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip
$ANI,Ani,A,42,1,4500000,
$BUDI,Budi,B,43,2,4500000,
$CICI,Cici,A,44,3,4500000,
$DODI,Dodi,A,45,4,4000000,$ANI
$EKO,Eko,A,46,5,4000000,$ANI
EOF
{
	echo 'nip,time'
	for d in 06 07 08 09 10; do
		printf '%s,2025-10-%sT07:00:00+07:00\n%s,2025-10-%sT16:45:00+07:00\n' "$ANI" $d "$ANI" $d
		printf '%s,2025-10-%sT07:45:00+07:00\n%s,2025-10-%sT16:45:00+07:00\n' "$DODI" $d "$DODI" $d
	done
	for d in 06 07; do printf '%s,2025-10-%sT07:00:00+07:00\n%s,2025-10-%sT16:45:00+07:00\n' "$EKO" $d "$EKO" $d; done
	for d in 06 08 09 10; do printf '%s,2025-10-%sT07:00:00+08:00\n%s,2025-10-%sT16:45:00+08:00\n' "$BUDI" $d "$BUDI" $d; done
} >"$T/taps.csv"
"${C[@]}" import units "$T/units.csv" >/dev/null && "${C[@]}" import staff "$T/staff.csv" >/dev/null &&
	"${C[@]}" import taps "$T/taps.csv" >/dev/null && ok "units, staff and taps imported" ||
	fail "units, staff and taps imported"
token() { "${C[@]}" token add "$@" | tail -n 1; }
TOK_B=$(token --role unit_admin --unit B)
TOK_SUP=$(token --role supervisor --nip "$ANI")
TOK_STAFF=$(token --role staff --nip "$BUDI")

# get TOKEN NAME [QUERY]: the overview (or with QUERY another route) into $T/NAME; prints the status.
get() {
	local status
	status=$(code --cacert "$CA" -H "Authorization: Bearer $1" "$URL${3:-/api/v1/overview?$P}")
	cp "$T/body" "$T/$2"
	echo "$status"
}
# save NAME ARGS...: code ARGS..., the body kept as $T/NAME.
save() {
	local name=$1 status
	shift
	status=$(code "$@")
	cp "$T/body" "$T/$name"
	echo "$status"
}
# matches OVERVIEW REPORT: the overview's units and days are the sums of the report's employees.
matches() {
	python3 - "$T/$1" "$T/$2" <<'PY'
import json, sys
ov, rep = (json.load(open(p)) for p in sys.argv[1:3])
units = {}
for e in rep["employees"]:
    u = units.setdefault(e["unit_id"], dict(staff=0, working_days=0, on_time_days=0, late=0,
                                            early=0, tk_days=0, deduction=0, at_threshold=0))
    u["staff"] += 1
    u["working_days"] += e["required_days"]
    u["on_time_days"] += e["compliant_days"]
    u["late"] += sum(e["tl"].values())
    u["early"] += sum(e["psw"].values())
    u["tk_days"] += e["tk_days"]
    u["deduction"] += e["deduction_amount"]
    u["at_threshold"] += e["year"]["sanction"] is not None
for o in ov["units"]:
    want = units.get(o["unit_id"], dict(staff=0, working_days=0, on_time_days=0, late=0, early=0,
                                         tk_days=0, deduction=0, at_threshold=0))
    got = {k: o[k] for k in want}
    assert got == want, (o["unit_id"], got, want)
    rate = o["on_time_days"] / o["working_days"] if o["working_days"] else None
    assert o["compliance"] == (round(rate, 12) if rate is not None else None) or \
        abs(o["compliance"] - rate) < 1e-12, o
assert {k for k, u in units.items() if u["staff"]} <= {o["unit_id"] for o in ov["units"]}
assert sum(d["working"] for d in ov["daily"]) == sum(o["working_days"] for o in ov["units"])
assert sum(d["on_time"] for d in ov["daily"]) == sum(o["on_time_days"] for o in ov["units"])
assert [d["date"] for d in ov["daily"]] == ["2025-10-%02d" % d for d in range(6, 11)]
for d in ov["daily"]:
    assert d["rate"] is None if d["working"] == 0 else abs(d["rate"] - d["on_time"] / d["working"]) < 1e-12
PY
}
# field FILE EXPR: a value from a JSON file, by a Python expression on j.
field() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/$1" "$2"
}
UNIT='next(u for u in j["units"] if u["unit_id"] == "%s")'

check "superadmin: 200" test "$(get "$ADMIN_TOKEN" all)" = 200
check "superadmin: every unit, the empty one too" test "$(field all '",".join(u["unit_id"] for u in j["units"])')" = A,B,C
check "unit C: no staff, no compliance rate" test "$(field all "$(printf "$UNIT" C)"'["staff"], '"$(printf "$UNIT" C)"'["compliance"]')" = "(0, None)"
check "unit A: 4 staff, Cici (5 TK days) and Eko (3) at a sanction threshold" \
	test "$(field all "$(printf "$UNIT" A)"'["staff"], '"$(printf "$UNIT" A)"'["at_threshold"], '"$(printf "$UNIT" A)"'["tk_days"]')" = "(4, 2, 8)"
check "unit B: Budi on time 4 of 5 days" test "$(field all "$(printf "$UNIT" B)"'["on_time_days"], '"$(printf "$UNIT" B)"'["working_days"], '"$(printf "$UNIT" B)"'["compliance"]')" = "(4, 5, 0.8)"
check "daily: Tuesday 5 expected, Ani and Eko on time" test "$(field all '[(d["working"], d["on_time"]) for d in j["daily"]][1]')" = "(5, 2)"
get "$ADMIN_TOKEN" rep "/api/v1/reports/discipline?$P" >/dev/null
check "superadmin: the figures are the discipline report's sums" matches all rep
check "the answer says when its figures were computed" test "$(field all 'j["computed_usec"] <= j["server_time_usec"] and j["computed_usec"] > 1.7e15')" = True
get "$ADMIN_TOKEN" all2 >/dev/null
check "a second request (from the cache) gives the same figures" \
	test "$(field all 'json.dumps(j["units"]) + json.dumps(j["daily"])')" = "$(field all2 'json.dumps(j["units"]) + json.dumps(j["daily"])')"

# Scope.
check "unit admin of B: 200, unit B only" test "$(get "$TOK_B" b)-$(field b '",".join(u["unit_id"] for u in j["units"])')" = 200-B
check "unit admin of B: B's figures as the superadmin's" \
	test "$(field b 'json.dumps(j["units"][0])')" = "$(field all "json.dumps($(printf "$UNIT" B))")"
check "unit admin of B: unit=B 200" test "$(get "$TOK_B" b2 "/api/v1/overview?$P&unit=B")" = 200
check "unit admin of B: unit=A is 403" test "$(get "$TOK_B" b-a "/api/v1/overview?$P&unit=A")" = 403
check "unit admin of B: an unknown unit is the same 403" test "$(get "$TOK_B" b-z "/api/v1/overview?$P&unit=ZZZ")" = 403
check "the two 403s say the same, nothing about unit A" test \
	"$(field b-a 'j["error"]')-$(field b-a 'sorted(j)')" = "$(field b-z 'j["error"]')-$(field b-z 'sorted(j)')"
check "superadmin: unit=A holds A only" test "$(get "$ADMIN_TOKEN" a "/api/v1/overview?$P&unit=A")-$(field a 'len(j["units"])')" = 200-1
check "superadmin: an unknown unit is 404" test "$(get "$ADMIN_TOKEN" z "/api/v1/overview?$P&unit=ZZZ")" = 404
check "supervisor: unit A, counting Ani, Dodi and Eko only" \
	test "$(get "$TOK_SUP" sup)-$(field sup '[(u["unit_id"], u["staff"]) for u in j["units"]]')" = "200-[('A', 3)]"
get "$TOK_SUP" sup-rep "/api/v1/reports/discipline?$P" >/dev/null
check "supervisor: the figures are the sums of the supervisor's report" matches sup sup-rep
check "supervisor: no whole unit (unit=A is 403)" test "$(get "$TOK_SUP" sup-a "/api/v1/overview?$P&unit=A")" = 403
check "staff: their own unit, themselves only" \
	test "$(get "$TOK_STAFF" st)-$(field st '[(u["unit_id"], u["staff"]) for u in j["units"]]')" = "200-[('B', 1)]"
check "no credentials: 401" test "$(code --cacert "$CA" "$URL/api/v1/overview?$P")" = 401
check "a bad period: 400" test "$(get "$ADMIN_TOKEN" bad "/api/v1/overview?from=2025-10-10&to=2025-10-06")" = 400
check "a bad format: 400" test "$(get "$ADMIN_TOKEN" bad "/api/v1/overview?$P&format=pdf")" = 400

# The cache follows the store: Budi's Tuesday from a kiosk, on the next request.
enrol kiosk-1 "$T/k1" && ok "a kiosk enrolled" || fail "a kiosk enrolled"
TUE_0700_WITA=$(python3 -c 'import datetime as d; print(int(d.datetime(2025,10,7,7,0,tzinfo=d.timezone(d.timedelta(hours=8))).timestamp()) * 1000000)')
STEP=$((9 * 3600 * 1000000 + 45 * 60 * 1000000))
BATCH_NIP=$BUDI BATCH_WALL_USEC=$((TUE_0700_WITA - STEP)) BATCH_STEP_USEC=$STEP BATCH_DIRECTION= batch 1 2 >"$T/tue"
check "the kiosk's two taps of Budi's Tuesday stored" test "$(code --cacert "$CA" --cert "$T/k1.pem" \
	--key "$T/k1.key" --data @"$T/tue" "$URL/api/v1/records")" = 200
get "$ADMIN_TOKEN" tap >/dev/null
check "after the taps: unit B on time 5 of 5, no TK" \
	test "$(field tap "$(printf "$UNIT" B)"'["on_time_days"], '"$(printf "$UNIT" B)"'["tk_days"]')" = "(5, 0)"
check "after the taps: Tuesday's on-time count rose by one" test "$(field tap 'j["daily"][1]["on_time"]')" = 3
check "after the taps: unit A unchanged" \
	test "$(field tap "json.dumps($(printf "$UNIT" A))")" = "$(field all "json.dumps($(printf "$UNIT" A))")"
get "$ADMIN_TOKEN" rep2 "/api/v1/reports/discipline?$P" >/dev/null
check "after the taps: still the discipline report's sums" matches tap rep2
check "the unit admin sees the new figure too" \
	test "$(get "$TOK_B" b3)-$(field b3 'j["units"][0]["on_time_days"]')" = 200-5

# ... and an import of leave (another process): Ani on leave on Wednesday.
printf 'nip,from,to,code\n%s,2025-10-08,2025-10-08,CT\n' "$ANI" >"$T/leave.csv"
check "import leave" "${C[@]}" import leave "$T/leave.csv"
get "$ADMIN_TOKEN" leave >/dev/null
check "after the leave import: unit A expects one person-day less, Wednesday too" test \
	"$(field leave "$(printf "$UNIT" A)"'["working_days"], j["daily"][2]["working"]')" = \
	"$(field tap "$(printf "$UNIT" A)"'["working_days"] - 1, j["daily"][2]["working"] - 1')"
get "$ADMIN_TOKEN" rep3 "/api/v1/reports/discipline?$P" >/dev/null
check "after the leave import: still the discipline report's sums" matches leave rep3

# The page's table as CSV and XLSX.
check "CSV: 200 as a download" test "$(save o.csv --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" \
	-D "$T/csv.h" "$URL/api/v1/overview?$P&format=csv")" = 200
check "CSV: a file name with the period" grep -q "filename=\"ringkasan_unit_${FROM}_${TO}.csv\"" "$T/csv.h"
check "CSV: the header row" test "$(head -n 1 "$T/o.csv" | tr -d '\r')" = \
	"Unit,Nama Unit,Pegawai,Kepatuhan (%),Terlambat (hari),Pulang Cepat (hari),TK (hari),Potongan (Rp),Pada/Lewat Ambang Sanksi,Kios,Kios Tak Sinkron,Peringatan Manipulasi"
check "CSV: one row per unit" test "$(($(wc -l <"$T/o.csv") - 1))" = 3
check "CSV: the rows are the JSON's units" python3 - "$T/o.csv" "$T/leave" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:]
units = json.load(open(sys.argv[2]))["units"]
for r, u in zip(rows, units, strict=True):
    pct = "" if u["compliance"] is None else "%d.%02d" % divmod(u["on_time_days"] * 10000 // u["working_days"], 100)
    want = [u["unit_id"], u["name"], str(u["staff"]), pct, str(u["late"]), str(u["early"]),
            str(u["tk_days"]), str(u["deduction"]), str(u["at_threshold"]), str(u["kiosks"]),
            str(u["kiosks_stale"]), str(u["alerts"])]
    assert r == want, (r, want)
PY
check "XLSX: 200" test "$(save o.xlsx --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" \
	"$URL/api/v1/overview?$P&format=xlsx")" = 200
$CELLS "$T/o.xlsx" Ringkasan >"$T/xlsx" 2>&1
check "XLSX: one sheet, the header and a row per unit" bash -c \
	"test \"\$($CELLS '$T/o.xlsx' --sheets)\" = Ringkasan && grep -qP '^A1\ts\tUnit$' '$T/xlsx' &&
	grep -qP '^A4\ts\tC$' '$T/xlsx' && ! grep -qP '^A5\t' '$T/xlsx'"
check "XLSX: unit A's staff as a number" grep -qP '^C2\tn\t4$' "$T/xlsx"
check "unit admin of B: CSV of unit B only" test "$(save b.csv --cacert "$CA" -H "Authorization: Bearer $TOK_B" \
	"$URL/api/v1/overview?$P&format=csv")-$(tail -n +2 "$T/b.csv" | cut -d, -f1 | tr -d '\r')" = 200-B

# Each unit's kiosks as they are now: unit A's has sent a record altered after sealing (a
# tamper alert), unit B's was added and never synced; with stale_after = 1s both are stale.
# kiosk-1 serves every unit and is counted in none.
enrol kiosk-a "$T/ka" --unit A && ok "a kiosk for unit A enrolled" || fail "a kiosk for unit A enrolled"
BATCH_NIP=199912312020121999 batch 1 3 2 >"$T/tampered"
code --cacert "$CA" --cert "$T/ka.pem" --key "$T/ka.key" --data @"$T/tampered" "$URL/api/v1/records" >/dev/null
"${C[@]}" device add kiosk-b --unit B >/dev/null
kill -TERM "$COLLECTOR_PID"
wait_for 10 bash -c "! kill -0 $COLLECTOR_PID 2>/dev/null"
forget_pid "$COLLECTOR_PID"
printf '\n[dashboard]\nstale_after = 1s\n' >>"$CONF"
collector_up
sleep 1.2
code --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" "$URL/api/v1/overview?$P" >/dev/null
check "per unit: kiosks, kiosks not synced, tamper alerts (A 1/1/1, B 1/1/0, C 0/0/0)" test \
	"$(json_get "$T/body" '" ".join("%s:%d/%d/%d" % (u["unit_id"], u["kiosks"], u["kiosks_stale"], u["alerts"]) for u in j["units"])')" \
	= "A:1/1/1 B:1/1/0 C:0/0/0"
code --cacert "$CA" -H "Authorization: Bearer $TOK_B" "$URL/api/v1/overview?$P" >/dev/null
check "unit admin of B: unit B's kiosk counts only" test \
	"$(json_get "$T/body" '" ".join("%s:%d/%d/%d" % (u["unit_id"], u["kiosks"], u["kiosks_stale"], u["alerts"]) for u in j["units"])')" = "B:1/1/0"

"${C[@]}" audit --format csv >"$T/audit.csv"
check "audited: views and exports of the overview" bash -c \
	"grep -q '\"report_view\",\"\\*\",\"$FROM..$TO overview json\"' '$T/audit.csv' &&
	grep -q '\"report_export\",\"\\*\",\"$FROM..$TO overview xlsx\"' '$T/audit.csv' &&
	grep -q '\"report_view\",\"B\",\"$FROM..$TO overview json\"' '$T/audit.csv'"
check "service up" up
echo "1..$_tap_n"
