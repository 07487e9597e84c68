#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Discipline reports end to end: a site, its units, staff, schedules, holidays,
# leave and taps imported from CSV, then `report discipline` as JSON, CSV and
# XLSX, `report days`, and the same over HTTP with the admin token — exact
# numbers for chosen employees (specs/discipline-rules.md §7), the error
# statuses, and CLI and HTTP giving the same JSON.
#
# The fortnight 2025-10-06 (Mon) .. 2025-10-17 (Fri), the 16th a holiday:
#   ANI (JKT, WIB, default)   one late tier each day of week 1: TL1..TL4
#   BUDI (JKT)                present Monday, CT leave Tue–Wed, then 6 TK in a row
#   CITRA (AMB, WIT, permentan) 15 min late at 07:45 WIT, no check-out on Tuesday
#   DEDI (RMD, Ramadan hours in week 2) 08:10 is TL2 normally, TL1 in Ramadan
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

ANI=198001012005011001
BUDI=198102022006021002
CITRA=198203032007031003
DEDI=198304042008041004
FROM=2025-10-06
TO=2025-10-17
CELLS="python3 $REPO/tests/helpers/xlsx_cells.py"

site_start "$T/site" && ok "site up" || { fail "site up"; exit 1; }
CA=$T/site/ca.pem
run() { "$COLLECTOR" --config "$CONF" "$@"; }

# --- the data, as CSV ---
cat >"$T/units.csv" <<EOF
unit_id,name,timezone,profile
JKT,Dinas Jakarta,Asia/Jakarta,default
AMB,Dinas Ambon,Asia/Jayapura,permentan
RMD,Dinas Ramadan,Asia/Jakarta,default
EOF
cat >"$T/staff.csv" <<EOF
nip,name,unit_id,card,fingerprint_id,allowance
$ANI,"Ani, S.E.",JKT,1001,,4000000
$BUDI,Budi,JKT,1002,,4000000
$CITRA,Citra,AMB,1003,,4000000
$DEDI,Dedi,RMD,1004,,3000000
EOF
{
	echo "unit_id,valid_from,valid_to,weekday,start,end"
	for wd in 1 2 3 4; do echo "RMD,2025-10-13,2025-10-17,$wd,08:00,15:00"; done
	echo "RMD,2025-10-13,2025-10-17,5,08:00,15:30"
} >"$T/schedules.csv"
printf 'date,name\n2025-10-16,Hari Uji\n' >"$T/holidays.csv"
printf 'nip,from,to,code\n%s,2025-10-07,2025-10-08,CT\n' "$BUDI" >"$T/leave.csv"
python3 - "$T/taps.csv" "$ANI" "$BUDI" "$CITRA" "$DEDI" <<'PY'
import sys
out, ani, budi, citra, dedi = sys.argv[1:]
w1 = ["2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09", "2025-10-10"]
w2 = ["2025-10-13", "2025-10-14", "2025-10-15", "2025-10-17"]
fri = lambda d, a, b: b if d in ("2025-10-10", "2025-10-17") else a
rows = []
def tap(nip, off, day, t):
    rows.append("%s,%sT%s%s+%02d:00" % (nip, day, t, ":00" if len(t) == 5 else "", off))
for d, t in zip(w1, ["07:30:59", "07:45", "08:30", "08:31", "09:01"]):
    tap(ani, 7, d, t); tap(ani, 7, d, fri(d, "16:00", "16:30"))
for d in w2:
    tap(ani, 7, d, "07:20"); tap(ani, 7, d, fri(d, "16:05", "16:35"))
tap(budi, 7, w1[0], "07:00"); tap(budi, 7, w1[0], "16:00")
tap(citra, 9, w1[0], "07:45"); tap(citra, 9, w1[0], "16:00"); tap(citra, 9, w1[1], "07:00")
for d in w1[2:] + w2:
    tap(citra, 9, d, "07:00"); tap(citra, 9, d, fri(d, "16:00", "16:30"))
tap(dedi, 7, w1[0], "08:10"); tap(dedi, 7, w1[0], "16:00")
for d in w1[1:]:
    tap(dedi, 7, d, "07:25"); tap(dedi, 7, d, fri(d, "16:00", "16:30"))
tap(dedi, 7, w2[0], "08:10"); tap(dedi, 7, w2[0], "15:00")
for d in w2[1:]:
    tap(dedi, 7, d, "07:55"); tap(dedi, 7, d, fri(d, "15:00", "15:30"))
rows.reverse()  # the order taps arrive in does not matter
open(out, "w").write("nip,time\n" + "\n".join(rows) + "\n")
PY
for kind in units staff schedules holidays leave taps; do
	check "import $kind" run import "$kind" "$T/$kind.csv"
done

# jq-like: print a value of an employee in a discipline JSON: emp FILE NIP PATH...
emp() {
	python3 - "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
e = next(x for x in doc["employees"] if x["nip"] == sys.argv[2])
for k in sys.argv[3:]:
    e = e[k]
print(json.dumps(e) if isinstance(e, (dict, list)) or e is None else e)
PY
}
# expect DESC ACTUAL WANTED
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# --- CLI: JSON ---
run report discipline --from $FROM --to $TO >"$T/cli.json" 2>"$T/cli.err"
expect "report discipline (json) exits 0" "$?" 0
J=$T/cli.json
expect "four employees" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["employees"]))' "$J")" 4
expect "ANI: 9 working days (one holiday)" "$(emp "$J" $ANI working_days)" 9
expect "ANI: TL1..TL4 once each" "$(emp "$J" $ANI tl)" '{"TL1": 1, "TL2": 1, "TL3": 1, "TL4": 1}'
expect "ANI: 227 late minutes" "$(emp "$J" $ANI late_minutes)" 227
expect "ANI: 4.25 %" "$(emp "$J" $ANI deduction_pct)" 4.25
expect "ANI: Rp 170,000" "$(emp "$J" $ANI deduction_amount)" 170000
expect "BUDI: 6 TK days" "$(emp "$J" $BUDI tk_days)" 6
expect "BUDI: 2 CT leave days" "$(emp "$J" $BUDI leave_days CT)" 2
expect "BUDI: Rp 720,000 (6 × 3 %)" "$(emp "$J" $BUDI deduction_amount)" 720000
expect "BUDI: 6 TK in a row across weekend and holiday" "$(emp "$J" $BUDI year max_consecutive_tk)" 6
expect "BUDI: teguran tertulis recommended" "$(emp "$J" $BUDI year sanction code)" teguran_tertulis
expect "CITRA (WIT, permentan): TL1 + PSW4 = 2.5 %" "$(emp "$J" $CITRA deduction_pct)" 2.5
expect "CITRA: 15 late minutes (07:45 WIT)" "$(emp "$J" $CITRA late_minutes)" 15
expect "DEDI (Ramadan): TL1 and TL2" "$(emp "$J" $DEDI tl)" '{"TL1": 1, "TL2": 1, "TL3": 0, "TL4": 0}'
expect "DEDI: Rp 45,000" "$(emp "$J" $DEDI deduction_amount)" 45000

run report discipline --from 2025-10-13 --to $TO --unit JKT >"$T/w2.json"
expect "week 2, unit JKT: two employees" \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["employees"]))' "$T/w2.json")" 2
expect "week 2: ANI on time, year to date still 227 minutes" \
	"$(emp "$T/w2.json" $ANI late_minutes)/$(emp "$T/w2.json" $ANI year minutes)" 0/227

# --- CLI: CSV ---
run report discipline --from $FROM --to $TO --format csv --output "$T/r.csv"
check "csv header in Bahasa Indonesia" grep -q '^NIP,Nama,Unit,Hari Kerja,Hari Hadir,Menit Terlambat,' "$T/r.csv"
check "csv: ANI's row (name quoted)" grep -q "^$ANI,\"Ani, S.E.\",JKT,9,9,227,0,1,1,1,1,0,0,0,0,0,.*,4.25,170000," "$T/r.csv"
check "csv: BUDI's sanction" grep -q "^$BUDI,Budi,JKT,.*,18.00,720000,6,0,6,6,ringan,teguran_tertulis,Teguran tertulis" "$T/r.csv"
expect "csv: header + 4 rows" "$(wc -l <"$T/r.csv")" 5

# --- CLI: XLSX: a summary, a sheet per unit, the period ---
run report discipline --from $FROM --to $TO --format xlsx --output "$T/r.xlsx"
expect "xlsx: sheets in order" "$($CELLS "$T/r.xlsx" --sheets | tr '\n' ' ')" "Ringkasan AMB JKT RMD Keterangan "
$CELLS "$T/r.xlsx" JKT >"$T/sheet1" 2>&1
check "xlsx: header row frozen" grep -qx 'frozen	1' "$T/sheet1"
check "xlsx: autofilter over the unit's rows" grep -qx 'autofilter	A1:AK3' "$T/sheet1"
check "xlsx: A1 is NIP" grep -qx 'A1	s	NIP' "$T/sheet1"
check "xlsx: ANI's NIP as text" grep -qx "A2	s	$ANI" "$T/sheet1"
check "xlsx: late minutes a number" grep -qx 'F2	n	227' "$T/sheet1"
check "xlsx: deduction a percentage" grep -qx 'AC2	n	0.0425' "$T/sheet1"
check "xlsx: ... in a percent format" grep -qx 'format	AC2	0.00%' "$T/sheet1"
check "xlsx: deduction Rp a number" grep -qx 'AD2	n	170000' "$T/sheet1"
check "xlsx: ... in a Rupiah format" grep -qx 'format	AD2	"Rp" #,##0' "$T/sheet1"
check "xlsx: BUDI's sanction text" grep -qx 'AK3	s	Teguran tertulis' "$T/sheet1"
check "xlsx: only JKT's staff on its sheet" bash -c "! grep -q '$CITRA' '$T/sheet1'"
$CELLS "$T/r.xlsx" AMB >"$T/sheet-amb" 2>&1
check "xlsx: CITRA on AMB's sheet" grep -qx "A2	s	$CITRA" "$T/sheet-amb"
$CELLS "$T/r.xlsx" Ringkasan >"$T/sum" 2>&1
check "xlsx summary: frozen header" grep -qx 'frozen	1' "$T/sum"
check "xlsx summary: autofilter over the units, not the total" grep -qx 'autofilter	A1:T4' "$T/sum"
check "xlsx summary: JKT on row 3" grep -qx 'A3	s	JKT' "$T/sum"
check "xlsx summary: JKT head count 2" grep -qx 'C3	n	2' "$T/sum"
check "xlsx summary: JKT compliance 6 of 16 days" grep -qx 'G3	n	0.375' "$T/sum"
check "xlsx summary: ... in a percent format" grep -qx 'format	G3	0.00%' "$T/sum"
check "xlsx summary: JKT 227 late minutes" grep -qx 'I3	n	227' "$T/sum"
check "xlsx summary: JKT 6 TK days" grep -qx 'K3	n	6' "$T/sum"
check "xlsx summary: JKT Rp 890,000" grep -qx 'L3	n	890000' "$T/sum"
check "xlsx summary: JKT one employee at a sanction" grep -qx 'Q3	n	1' "$T/sum"
check "xlsx summary: ... ringan" grep -qx 'R3	n	1' "$T/sum"
check "xlsx summary: total row" grep -qx 'A6	s	Jumlah' "$T/sum"
check "xlsx summary: total head count 4" grep -qx 'C6	n	4' "$T/sum"
$CELLS "$T/r.xlsx" Keterangan >"$T/sheet2" 2>&1
check "xlsx: period sheet" grep -qx 'B1	s	2025-10-06' "$T/sheet2"
check "xlsx: AMB's profile named" grep -q 'permentan' "$T/sheet2"

# --- CLI: the unit summary ---
# unit FILE UNIT_ID PATH...: a value of a unit ("total" for the total) in a units JSON.
unit() {
	python3 - "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
u = doc["total"] if sys.argv[2] == "total" else next(x for x in doc["units"] if x["unit_id"] == sys.argv[2])
for k in sys.argv[3:]:
    u = u[int(k)] if isinstance(u, list) else u[k]
print(json.dumps(u) if isinstance(u, (dict, list)) or u is None else u)
PY
}
run report units --from $FROM --to $TO >"$T/units.json"
expect "report units exits 0" "$?" 0
U=$T/units.json
expect "units: three, in id order" \
	"$(python3 -c 'import json,sys; print(" ".join(u["unit_id"] for u in json.load(open(sys.argv[1]))["units"]))' "$U")" "AMB JKT RMD"
expect "units: JKT head count 2" "$(unit "$U" JKT head_count)" 2
expect "units: JKT compliance 6 of 16 required days" \
	"$(unit "$U" JKT compliant_days)/$(unit "$U" JKT required_days)/$(unit "$U" JKT compliance_pct)" 6/16/37.5
expect "units: JKT late minutes, average per head" \
	"$(unit "$U" JKT late_minutes)/$(unit "$U" JKT avg_late_minutes)" 227/113.5
expect "units: JKT TK and deduction" "$(unit "$U" JKT tk_days)/$(unit "$U" JKT deduction_amount)" 6/890000
expect "units: JKT profile and zone" "$(unit "$U" JKT profile)/$(unit "$U" JKT timezone)" default/Asia/Jakarta
expect "units: AMB profile" "$(unit "$U" AMB profile)" permentan
expect "units: JKT's sanctioned: BUDI only" \
	"$(unit "$U" JKT sanctioned)/$(unit "$U" JKT sanctioned_employees 0 nip)/$(unit "$U" JKT sanctioned_employees 0 year sanction code)" \
	"1/$BUDI/teguran_tertulis"
expect "units: no one sanctioned in AMB" "$(unit "$U" AMB sanctioned_employees)" "[]"
expect "units: total head count 4, unit_id null" "$(unit "$U" total head_count)/$(unit "$U" total unit_id)" 4/null
expect "units: total deduction = sum of the employees'" "$(unit "$U" total deduction_amount)" \
	"$(python3 -c 'import json,sys; print(sum(e["deduction_amount"] for e in json.load(open(sys.argv[1]))["employees"]))' "$J")"
run report units --from $FROM --to $TO --unit AMB >"$T/amb.json"
expect "units --unit AMB: AMB alone" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["units"]), d["total"]["head_count"])' "$T/amb.json")" "1 1"
run report units --from $FROM --to $TO --format csv --output "$T/units.csv"
check "units csv: header" grep -q '^Unit,Nama Unit,Jumlah Pegawai,Hari Kerja,Hari Wajib Hadir,Hari Tepat Waktu,Kepatuhan (%),' "$T/units.csv"
check "units csv: JKT's row" grep -q '^JKT,Dinas Jakarta,2,18,16,6,37.50,.*,227,.*,6,890000,113.50,' "$T/units.csv"
expect "units csv: header + 3 rows" "$(wc -l <"$T/units.csv")" 4

# --- CLI: days and errors ---
run report days --nip $ANI --from $FROM --to $TO >"$T/days.json"
expect "days: 12 days listed" \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["days"]))' "$T/days.json")" 12
expect "days: Thursday 9th is TL3 (61 min)" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["days"][3]; print(d["date"], d["tl"], d["late_minutes"])' "$T/days.json")" \
	"2025-10-09 TL3 61"
run report discipline --from $TO --to $FROM >/dev/null 2>"$T/err"
expect "to before from: exit 2" "$?" 2
check "to before from: says so" grep -q 'before' "$T/err"
run report discipline --from $FROM --to $TO --unit NOPE >/dev/null 2>"$T/err"
expect "unknown unit: exit 1" "$?" 1
check "unknown unit: named" grep -q "unit 'NOPE' unknown" "$T/err"

# --- HTTP ---
AUTH=(--cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN")
R=$URL/api/v1/reports/discipline
expect "GET json: 200" "$(code "${AUTH[@]}" "$R?from=$FROM&to=$TO")" 200
check "HTTP and CLI JSON agree" python3 - "$T/body" "$J" <<'PY'
import json, sys
http, cli = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
http.pop("server_time_usec")
sys.exit(http != cli)
PY
expect "GET csv: 200" "$(code "${AUTH[@]}" -D "$T/hdr" "$R?from=$FROM&to=$TO&unit=JKT&format=csv")" 200
check "csv Content-Type" grep -qi '^Content-Type: text/csv' "$T/hdr"
check "csv file name" grep -qi '^Content-Disposition: attachment; filename="disiplin_2025-10-06_2025-10-17_JKT.csv"' "$T/hdr"
check "csv body: ANI" grep -q "^$ANI,\"Ani, S.E.\",JKT,9,9,227," "$T/body"
expect "GET xlsx: 200" "$(code "${AUTH[@]}" -D "$T/hdr" "$R?from=$FROM&to=$TO&format=xlsx")" 200
check "xlsx Content-Type" grep -qi '^Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' "$T/hdr"
check "xlsx file name" grep -qi 'filename="disiplin_2025-10-06_2025-10-17.xlsx"' "$T/hdr"
cp "$T/body" "$T/http.xlsx"
check "xlsx over HTTP: same cells as the CLI's" cmp <($CELLS "$T/http.xlsx" JKT) "$T/sheet1"
check "xlsx over HTTP: same summary as the CLI's" cmp <($CELLS "$T/http.xlsx" Ringkasan) "$T/sum"
RU=$URL/api/v1/reports/units
expect "GET units: 200" "$(code "${AUTH[@]}" "$RU?from=$FROM&to=$TO")" 200
check "units: HTTP and CLI JSON agree" python3 - "$T/body" "$U" <<'PY'
import json, sys
http, cli = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
http.pop("server_time_usec")
sys.exit(http != cli)
PY
expect "GET units csv: 200" "$(code "${AUTH[@]}" -D "$T/hdr" "$RU?from=$FROM&to=$TO&unit=JKT&format=csv")" 200
check "units csv file name" grep -qi 'filename="ringkasan_2025-10-06_2025-10-17_JKT.csv"' "$T/hdr"
check "units csv body: JKT alone" bash -c "[ \$(wc -l <'$T/body') = 2 ] && grep -q '^JKT,Dinas Jakarta,2,' '$T/body'"
expect "GET units xlsx: 200" "$(code "${AUTH[@]}" "$RU?from=$FROM&to=$TO&format=xlsx")" 200
cp "$T/body" "$T/http-units.xlsx"
check "units xlsx: the same workbook" cmp <($CELLS "$T/http-units.xlsx" Ringkasan) "$T/sum"
expect "units: no token 401" "$(code --cacert "$CA" "$RU?from=$FROM&to=$TO")" 401
expect "units: unknown unit 404" "$(code "${AUTH[@]}" "$RU?from=$FROM&to=$TO&unit=NOPE")" 404
expect "units: bad period 400" "$(code "${AUTH[@]}" "$RU?from=$TO&to=$FROM")" 400
expect "no token: 401" "$(code --cacert "$CA" "$R?from=$FROM&to=$TO")" 401
expect "missing to: 400" "$(code "${AUTH[@]}" "$R?from=$FROM")" 400
check "missing to: message" grep -q 'from and to are required' "$T/body"
expect "bad date: 400" "$(code "${AUTH[@]}" "$R?from=2025-02-30&to=$TO")" 400
expect "to before from: 400" "$(code "${AUTH[@]}" "$R?from=$TO&to=$FROM")" 400
expect "367 days: 400" "$(code "${AUTH[@]}" "$R?from=2024-01-01&to=2025-01-01")" 400
check "367 days: message" grep -q 'at most 366' "$T/body"
expect "unknown unit: 404" "$(code "${AUTH[@]}" "$R?from=$FROM&to=$TO&unit=NOPE")" 404
expect "unknown format: 400" "$(code "${AUTH[@]}" "$R?from=$FROM&to=$TO&format=pdf")" 400
D=$URL/api/v1/employees
expect "days: 200" "$(code "${AUTH[@]}" "$D/$ANI/days?from=$FROM&to=$TO")" 200
check "days: HTTP and CLI agree" python3 - "$T/body" "$T/days.json" <<'PY'
import json, sys
http, cli = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
http.pop("server_time_usec")
sys.exit(http != cli)
PY
expect "days: unknown NIP 404" "$(code "${AUTH[@]}" "$D/199912312099121999/days?from=$FROM&to=$TO")" 404
expect "days: bad period 400" "$(code "${AUTH[@]}" "$D/$ANI/days?from=$FROM")" 400
expect "HEAD of a report: 200" "$(code "${AUTH[@]}" -I "$R?from=$FROM&to=$TO")" 200
check "service up after the reports" up

# --- stored data changes, the next report follows ---
printf 'nip,from,to,code\n%s,2025-10-07,2025-10-08,CT\n%s,2025-10-09,2025-10-10,S\n' \
	"$BUDI" "$BUDI" >"$T/leave2.csv"
printf 'nip,time\n%s,2025-10-13T07:10:00+07:00\n' "$BUDI" >"$T/taps2.csv"
check "import more leave" run import leave "$T/leave2.csv"
check "import a late tap" run import taps "$T/taps2.csv"
run report discipline --from $FROM --to $TO --unit JKT >"$T/after.json"
expect "BUDI after: S on the 9th and 10th, present on the 13th: 3 TK" \
	"$(emp "$T/after.json" $BUDI tk_days)/$(emp "$T/after.json" $BUDI leave_days S)" 3/2
expect "BUDI after: no check-out on the 13th is PSW4" "$(emp "$T/after.json" $BUDI psw PSW4)" 1

# A kiosk that was offline sends its batch late: BUDI's taps of Tuesday the 14th, 07:00 and
# 16:00 WIB (the 14th was TK), arrive after the reports above; the next report has them.
enrol late "$T/late" || fail "enrol a kiosk"
BATCH_NIP=$BUDI BATCH_WALL_USEC=$((($(date -d 2025-10-14T07:00:00+07:00 +%s) - 32400) * 1000000)) \
	BATCH_STEP_USEC=$((9 * 3600 * 1000000)) BATCH_DIRECTION= batch 1 2 >"$T/late.json"
expect "late batch stored" "$(code --cacert "$CA" --cert "$T/late.pem" --key "$T/late.key" \
	-H 'Content-Type: application/json' --data @"$T/late.json" "$URL/api/v1/records")" 200
run report discipline --from $FROM --to $TO --unit JKT >"$T/late-report.json"
expect "late batch: BUDI present on the 14th, 2 TK left, no new tier" \
	"$(emp "$T/late-report.json" $BUDI tk_days)/$(emp "$T/late-report.json" $BUDI present_days)/$(emp "$T/late-report.json" $BUDI psw PSW4)" \
	2/3/1
run report days --nip $BUDI --from 2025-10-14 --to 2025-10-14 >"$T/budi14.json"
expect "late batch: the 14th explained from the kiosk's taps" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["days"][0]; print(d["check_in"], d["check_out"], d["tk"])' "$T/budi14.json")" \
	"07:00:00 16:00:00 False"

# A corrected holiday list: the holiday is the 15th, not the 16th. ANI, who worked the 15th
# and had no taps on the 16th (then a holiday), now has the 16th as TK; her 15th does not count.
printf 'date,name\n2025-10-15,Hari Uji (koreksi)\n' >"$T/holidays2.csv"
check "import the corrected holidays" run import holidays "$T/holidays2.csv"
run report discipline --from $FROM --to $TO --unit JKT >"$T/hol.json"
expect "corrected holiday: ANI 9 working days, 1 TK (the 16th)" \
	"$(emp "$T/hol.json" $ANI working_days)/$(emp "$T/hol.json" $ANI tk_days)" 9/1
run report days --nip $ANI --from 2025-10-15 --to 2025-10-16 >"$T/ani1516.json"
expect "corrected holiday: the 15th off, the 16th TK" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["days"]; print(d[0]["working"], d[0]["holiday"], d[1]["working"], d[1]["tk"])' "$T/ani1516.json")" \
	"False Hari Uji (koreksi) True True"
