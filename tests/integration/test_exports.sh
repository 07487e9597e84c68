#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dashboard's exports over HTTP with curl: the discipline report with the unit
# page's view (q, sort, order) as JSON, CSV and XLSX — the rows and their order checked
# against an independent Python model of the page's rules, the XLSX read back with
# openpyxl (a real reader) —, columns=page, bad view parameters (400), a unit admin
# exporting another unit (403, nothing in the body), the employee page's day table and
# activities as CSV and XLSX, and the audit entries of the exports.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

ANI=198001012005011001
BUDI=198102022006021002
BUDIMAN=198203032007031003
ABDUL=198304042008041004
CITRA=198405052009051005
EVA=198506062010061006
DEWI=199001012015011007
FROM=2025-10-06
TO=2025-10-10
ROWS="/usr/bin/python3 $REPO/tests/helpers/xlsx_rows.py"

site_start "$T/site" && ok "site up" || { fail "site up"; exit 1; }
CA=$T/site/ca.pem
run() { "$COLLECTOR" --config "$CONF" "$@"; }

printf 'unit_id,name,timezone,profile\nJKT,Dinas Jakarta,Asia/Jakarta,default\nAMB,Dinas Ambon,Asia/Jayapura,default\n' >"$T/units.csv"
cat >"$T/staff.csv" <<EOF
nip,name,unit_id,card,fingerprint_id,allowance
$ANI,"Ani, S.E.",JKT,1001,,4000000
$BUDI,budi santoso,JKT,1002,,4000000
$BUDIMAN,Budiman,JKT,1003,,4000000
$ABDUL,ABDUL,JKT,1004,,3000000
$CITRA,Citra,JKT,1005,,3000000
$EVA,Éva Budiarti,JKT,1006,,5000000
$DEWI,Dewi,AMB,1007,,4000000
EOF
# Mon..Fri: ANI and BUDI 15 minutes late every day (a tie), BUDIMAN 30, ABDUL and EVA on
# time (EVA only Mon..Wed), CITRA never comes; DEWI (WIT) on time.
python3 - "$T/taps.csv" "$ANI" "$BUDI" "$BUDIMAN" "$ABDUL" "$EVA" "$DEWI" <<'PY'
import sys
out, ani, budi, budiman, abdul, eva, dewi = sys.argv[1:]
rows = []
for d in ["2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09", "2025-10-10"]:
    for nip, t in ((ani, "07:45"), (budi, "07:45"), (budiman, "08:00"), (abdul, "07:00")):
        rows += ["%s,%sT%s:00+07:00" % (nip, d, t), "%s,%sT16:45:00+07:00" % (nip, d)]
    if d <= "2025-10-08":
        rows += ["%s,%sT07:10:00+07:00" % (eva, d), "%s,%sT16:45:00+07:00" % (eva, d)]
    rows += ["%s,%sT07:00:00+09:00" % (dewi, d), "%s,%sT16:45:00+09:00" % (dewi, d)]
open(out, "w").write("nip,time\n" + "\n".join(rows) + "\n")
PY
for kind in units staff taps; do
	check "import $kind" run import "$kind" "$T/$kind.csv"
done
UNIT_AMB=$(run token add --role unit_admin --unit AMB | tail -n 1)
check "a unit admin token for AMB" test "${#UNIT_AMB}" -ge 40

AUTH=(--cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN")
R=$URL/api/v1/reports/discipline
P="from=$FROM&to=$TO&unit=JKT"
# model Q SORT ORDER: the NIPs the unit page shows, in order, from the unfiltered JSON in
# $T/all.json; the page's rules written again in Python (server/web/unit.js, server/view.c).
model() {
	python3 - "$T/all.json" "$@" <<'PY'
import json, sys
doc, q, sort, order = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
fold = lambda s: "".join(c.lower() if "A" <= c <= "Z" else c for c in (s or ""))
levels = {"ringan": 1, "sedang": 2, "berat": 3}
def key(e):
    s = e["year"]["sanction"]
    return {"nip": fold(e["nip"]).encode(), "name": fold(e["name"]).encode(),
            "present": e["present_days"], "late": e["late_minutes"], "early": e["early_minutes"],
            "tk": e["tk_days"], "pct": e["deduction_bp"], "amount": e["deduction_amount"],
            "sanction": levels[s["level"]] * 1000000 + e["year"]["total_days"] if s else -1}[sort]
rows = [e for e in doc["employees"] if fold(q) in fold(e["nip"]) or fold(q) in fold(e["name"])]
rows.sort(key=lambda e: e["nip"])
rows.sort(key=key, reverse=order == "desc")  # stable: ties stay in NIP order
print(" ".join(e["nip"] for e in rows))
PY
}
nips_json() { python3 -c 'import json,sys; print(" ".join(e["nip"] for e in json.load(open(sys.argv[1]))["employees"]))' "$1"; }

equals "JSON, no view: 200" "$(code "${AUTH[@]}" "$R?$P")" 200
cp "$T/body" "$T/all.json"
equals "no view: six employees in NIP order" "$(nips_json "$T/all.json")" "$ANI $BUDI $BUDIMAN $ABDUL $CITRA $EVA"
equals "one unit: the JSON names it" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["unit_name"])' "$T/all.json")" "Dinas Jakarta"
equals "the model agrees with no view" "$(model "" nip asc)" "$ANI $BUDI $BUDIMAN $ABDUL $CITRA $EVA"
equals "late: ANI and BUDI tie at 75 minutes" \
	"$(python3 -c 'import json,sys; print(sorted({e["late_minutes"] for e in json.load(open(sys.argv[1]))["employees"]}))' "$T/all.json")" \
	"[0, 75, 150]"

# view Q SORT ORDER DESC: the JSON with the view equals the model's rows, and is not trivial.
view() {
	local want
	want=$(model "$1" "$2" "$3")
	[ "$(code "${AUTH[@]}" -G "$R" --data "$P" --data-urlencode "q=$1" --data "sort=$2&order=$3")" = 200 ] ||
		{ fail "$4: status"; return; }
	equals "$4 (${want//1980/…})" "$(nips_json "$T/body")" "$want"
}
view bud name asc "q=bud: budi, Budiman, Éva Budiarti by name (case-insensitive)"
view BUD name desc "q=BUD, name desc"
view "" late desc "late desc: ties (ANI, BUDI) in NIP order"
view "" late asc "late asc"
view "" tk desc "tk desc"
view "" pct desc "deduction % desc"
view "" amount asc "deduction Rp asc"
view "" present asc "present asc"
view "" sanction desc "sanction desc"
view "" name asc "name asc: ABDUL, Ani, budi… (A–Z folded), Éva last"
view 0061006 nip asc "q by NIP substring"
view "s.e" name asc "q with a dot"
view zzz name asc "q matching nobody"
equals "name asc, in words" "$(model "" name asc)" "$ABDUL $ANI $BUDI $BUDIMAN $CITRA $EVA"
equals "late desc, in words" "$(model "" late desc)" "$BUDIMAN $ANI $BUDI $ABDUL $CITRA $EVA"

# --- CSV and XLSX with the page's columns ---
V="$P&q=bu&sort=late&order=desc&columns=page"
WANT=$(model bu late desc)
equals "q=bu late desc: the model's rows" "$WANT" "$BUDIMAN $BUDI $EVA"
equals "CSV, columns=page: 200" "$(code "${AUTH[@]}" -D "$T/hdr" "$R?$V&format=csv")" 200
check "CSV: file name" grep -qi 'filename="disiplin_2025-10-06_2025-10-10_JKT.csv"' "$T/hdr"
equals "CSV: the page's header" "$(head -n 1 "$T/body" | tr -d '\r')" \
	"NIP,Nama,Hadir (hari),Terlambat (menit),Pulang cepat (menit),TK (hari),Potongan (%),Potongan (Rp),Sanksi tahun berjalan"
equals "CSV: the view's rows, in order" "$(tail -n +2 "$T/body" | cut -d, -f1 | tr '\r\n' '  ' | xargs)" "$WANT"
equals "CSV: BUDIMAN's row as the page shows it" "$(sed -n 2p "$T/body" | tr -d '\r')" \
	"$BUDIMAN,Budiman,5,150,0,0,2.50,100000,"
equals "XLSX, columns=page: 200" "$(code "${AUTH[@]}" -D "$T/hdr" "$R?$V&format=xlsx")" 200
check "XLSX: Content-Type" grep -qi '^Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' "$T/hdr"
cp "$T/body" "$T/page.xlsx"
equals "XLSX opens in openpyxl: one sheet" "$($ROWS "$T/page.xlsx" --sheets)" '["Pegawai"]'
$ROWS "$T/page.xlsx" Pegawai >"$T/page.rows"
check "XLSX: header, then exactly the view's rows, in order, numbers as numbers" \
	python3 - "$T/page.rows" "$T/all.json" "$WANT" <<'PY'
import json, sys
rows, doc, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3].split()
by_nip = {e["nip"]: e for e in doc["employees"]}
assert rows[0] == ["NIP", "Nama", "Hadir (hari)", "Terlambat (menit)", "Pulang cepat (menit)",
                   "TK (hari)", "Potongan (%)", "Potongan (Rp)", "Sanksi tahun berjalan"], rows[0]
assert [r[0] for r in rows[1:]] == want, rows
for r in rows[1:]:
    e = by_nip[r[0]]
    s = e["year"]["sanction"]
    assert r[1:8] == [e["name"], e["present_days"], e["late_minutes"], e["early_minutes"],
                      e["tk_days"], e["deduction_bp"] / 10000, e["deduction_amount"]], r
    assert r[8] == ("%s (%s)" % (s["text"], s["level"]) if s else None), r
PY
V2="$P&sort=tk&order=desc&columns=page&format=xlsx"
equals "XLSX, tk desc (a sanction): 200" "$(code "${AUTH[@]}" "$R?$V2")" 200
cp "$T/body" "$T/tk.xlsx"
check "XLSX: CITRA first, with the sanction as the page shows it" \
	python3 - <($ROWS "$T/tk.xlsx" Pegawai) "$T/all.json" "$(model "" tk desc)" <<'PY'
import json, sys
rows, doc, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3].split()
assert [r[0] for r in rows[1:]] == want, rows
s = next(e for e in doc["employees"] if e["nip"] == want[0])["year"]["sanction"]
assert s and rows[1][8] == "%s (%s)" % (s["text"], s["level"]), (rows[1], s)
PY

# --- the same view on the command line: the same bytes ---
code "${AUTH[@]}" "$R?$V&format=csv" >/dev/null
run report discipline --from $FROM --to $TO --unit JKT --search bu --sort late --order desc \
	--columns page --format csv --output "$T/cli.csv"
check "CLI --search/--sort/--order/--columns page: the HTTP CSV, byte for byte" cmp "$T/cli.csv" "$T/body"
run report discipline --from $FROM --to $TO --sort salary >/dev/null 2>"$T/err"
equals "CLI: unknown --sort exits 2" "$?" 2
check "CLI: ... naming the keys" grep -q 'sort: one of nip, name' "$T/err"

# --- the full report's columns with a view: the rows and order of the view ---
equals "CSV, all columns, with a view: 200" "$(code "${AUTH[@]}" "$R?$P&q=bu&sort=name&order=asc&format=csv")" 200
check "CSV: the report's header" grep -q '^NIP,Nama,Unit,Hari Kerja,Hari Hadir,' "$T/body"
equals "CSV: the view's rows" "$(tail -n +2 "$T/body" | cut -d, -f1 | tr '\r\n' '  ' | xargs)" "$(model bu name asc)"
equals "XLSX workbook with a view: 200" "$(code "${AUTH[@]}" "$R?$P&q=bu&sort=late&order=desc&format=xlsx")" 200
cp "$T/body" "$T/book.xlsx"
equals "XLSX workbook: its sheets" "$($ROWS "$T/book.xlsx" --sheets)" '["Ringkasan", "JKT", "Keterangan"]'
equals "XLSX workbook: the unit's sheet holds the view's rows, in order" \
	"$($ROWS "$T/book.xlsx" JKT | python3 -c 'import json,sys; print(" ".join(r[0] for r in json.load(sys.stdin)[1:]))')" \
	"$(model bu late desc)"
equals "XLSX workbook: the summary counts the rows exported" \
	"$($ROWS "$T/book.xlsx" Ringkasan | python3 -c 'import json,sys; print(json.load(sys.stdin)[1][2])')" 3

# --- bad view parameters ---
equals "unknown sort key: 400" "$(code "${AUTH[@]}" "$R?$P&sort=salary")" 400
check "unknown sort key: the message names the keys" grep -q 'sort: one of nip, name, present, late, early, tk, pct, amount, sanction' "$T/body"
equals "unknown sort key, CSV: 400" "$(code "${AUTH[@]}" "$R?$P&sort=salary&format=csv")" 400
equals "unknown order: 400" "$(code "${AUTH[@]}" "$R?$P&sort=name&order=up")" 400
check "unknown order: says asc or desc" grep -q 'order: asc or desc' "$T/body"
equals "unknown columns: 400" "$(code "${AUTH[@]}" "$R?$P&columns=some")" 400
equals "q of 200 bytes: 400" "$(code "${AUTH[@]}" "$R?$P&q=$(head -c 200 /dev/zero | tr '\0' a)")" 400

# --- scope: a unit admin of AMB ---
UA=(--cacert "$CA" -H "Authorization: Bearer $UNIT_AMB")
for f in json csv xlsx; do
	equals "unit admin of AMB, JKT as $f: 403" "$(code "${UA[@]}" "$R?$P&q=bu&sort=name&format=$f&columns=page")" 403
	check "... and no JKT data in the body" bash -c "! grep -qaE '$ANI|$BUDI|Budiman|Dinas Jakarta' '$T/body'"
done
equals "unit admin of AMB, own unit as CSV with a view: 200" \
	"$(code "${UA[@]}" "$R?from=$FROM&to=$TO&unit=AMB&q=dew&sort=name&columns=page&format=csv")" 200
equals "... Dewi alone" "$(tail -n +2 "$T/body" | cut -d, -f1 | tr -d '\r' | xargs)" "$DEWI"
equals "unit admin of AMB, no unit given, q=bu: nobody of JKT" \
	"$(code "${UA[@]}" "$R?from=$FROM&to=$TO&q=bu&format=csv")/$(($(wc -l <"$T/body") - 1))" 200/0

# --- the employee page: days ---
D=$URL/api/v1/employees
equals "days JSON: 200" "$(code "${AUTH[@]}" "$D/$ANI/days?from=$FROM&to=$TO")" 200
cp "$T/body" "$T/days.json"
equals "days CSV: 200" "$(code "${AUTH[@]}" -D "$T/hdr" "$D/$ANI/days?from=$FROM&to=$TO&format=csv")" 200
check "days CSV: file name with the NIP" grep -qi "filename=\"harian_2025-10-06_2025-10-10_$ANI.csv\"" "$T/hdr"
cp "$T/body" "$T/days.csv"
check "days CSV: the page's columns, one row per day, the page's texts" \
	python3 - "$T/days.csv" "$T/days.json" <<'PY'
import csv, json, sys
rows, days = list(csv.reader(open(sys.argv[1], newline=""))), json.load(open(sys.argv[2]))["days"]
assert rows[0] == ["Tanggal", "Jadwal", "Tap", "Masuk", "Pulang", "Terlambat (menit)",
                   "Pulang cepat (menit)", "TL/PSW", "Cuti", "TK", "Potongan (%)", "Keterangan"], rows[0]
assert len(rows) == 1 + len(days) == 6, len(rows)
assert rows[1][0] == "Senin, 2025-10-06" and rows[5][0] == "Jumat, 2025-10-10", rows
for r, d in zip(rows[1:], days):
    assert r[1] == "%s–%s" % (d["schedule"]["start"], d["schedule"]["end"]), r
    assert r[2] == "07:45:00 masuk\n16:45:00 pulang", r
    assert (r[3], r[4], int(r[5]), int(r[6])) == (d["check_in"], d["check_out"], d["late_minutes"], d["early_minutes"]), r
    assert r[7] == " ".join(x for x in (d["tl"], d["psw"]) if x), r
    assert r[9] == ("TK" if d["tk"] else ""), r
    assert r[10] == "%.2f" % d["deduction_pct"], r
    assert r[11] == "\n".join(d["reasons"]), r
PY
run report days --nip $ANI --from $FROM --to $TO --format csv --output "$T/cli-days.csv"
check "CLI report days --format csv: the HTTP CSV, byte for byte" cmp "$T/cli-days.csv" "$T/days.csv"
equals "days XLSX: 200" "$(code "${AUTH[@]}" "$D/$CITRA/days?from=$FROM&to=$TO&format=xlsx")" 200
cp "$T/body" "$T/days.xlsx"
check "days XLSX (openpyxl): CITRA's five TK days" \
	python3 - <($ROWS "$T/days.xlsx" Harian) <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert rows[0][0] == "Tanggal" and len(rows) == 6, rows
assert [r[9] for r in rows[1:]] == ["TK"] * 5, rows
assert all(r[2] is None and r[3] is None for r in rows[1:]), rows
PY
equals "days: unknown format 400" "$(code "${AUTH[@]}" "$D/$ANI/days?from=$FROM&to=$TO&format=pdf")" 400
equals "days CSV of a JKT NIP, unit admin of AMB: 403" "$(code "${UA[@]}" "$D/$ANI/days?from=$FROM&to=$TO&format=csv")" 403
check "... nothing of ANI in the body" bash -c "! grep -qaE 'Ani|07:45' '$T/body'"

# --- the employee page: activities ---
python3 -c 'import json,sys; print(json.dumps({"nip": sys.argv[1], "date": "2025-10-07", "plan": "", "description": "Rapat, koordinasi", "quantity": 2, "unit": "laporan", "start": "09:00", "end": "10:30"}))' \
	"$ANI" >"$T/act.json"
equals "an activity for ANI: 201" "$(code "${AUTH[@]}" -H 'Content-Type: application/json' --data @"$T/act.json" "$URL/api/v1/activities")" 201
A="$URL/api/v1/activities?nip=$ANI&from=$FROM&to=$TO"
equals "activities CSV: 200" "$(code "${AUTH[@]}" -D "$T/hdr" "$A&format=csv")" 200
check "activities CSV: file name" grep -qi "filename=\"kegiatan_2025-10-06_2025-10-10_$ANI.csv\"" "$T/hdr"
equals "activities CSV: the page's columns and row" "$(tr -d '\r' <"$T/body")" \
	"$(printf 'Tanggal,Waktu,RHK,Uraian,Hasil,Status,Catatan\n2025-10-07,09:00–10:30,,"Rapat, koordinasi",2 laporan,menunggu,')"
equals "activities XLSX: 200" "$(code "${AUTH[@]}" "$A&format=xlsx")" 200
cp "$T/body" "$T/act.xlsx"
equals "activities XLSX (openpyxl)" "$($ROWS "$T/act.xlsx" Kegiatan | python3 -c 'import json,sys; print(json.load(sys.stdin)[1])')" \
	"['2025-10-07', '09:00–10:30', None, 'Rapat, koordinasi', '2 laporan', 'menunggu', None]"
equals "activities: unknown format 400" "$(code "${AUTH[@]}" "$A&format=doc")" 400
equals "activities CSV, unit admin: 403" "$(code "${UA[@]}" "$A&format=csv")" 403

# --- audit ---
equals "audit: 200" "$(code "${AUTH[@]}" "$URL/api/v1/audit")" 200
cp "$T/body" "$T/audit.json"
audit_has() { # DESC ACTION TARGET DETAIL
	check "audit: $1" python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))
sys.exit(0 if any(e["action"] == sys.argv[2] and e["target"] == sys.argv[3] and e["detail"] == sys.argv[4] for e in j["entries"]) else 1)' \
		"$T/audit.json" "$2" "$3" "$4"
}
audit_has "the XLSX export with the view" report_export JKT "$FROM..$TO xlsx columns=page q=bu sort=late desc"
audit_has "the JSON view of the whole unit, as before" report_view JKT "$FROM..$TO json"
audit_has "the days exported" report_export "$ANI" "$FROM..$TO days csv"
audit_has "the activities exported" report_export "$ANI" "$FROM..$TO activities csv"
run audit --format csv >"$T/audit.csv"
check "audit: the CLI's export with a view" grep -q '"report_export","JKT","2025-10-06..2025-10-10 csv columns=page q=bu sort=late desc","cli"' "$T/audit.csv"
check "audit: the CLI's days export" grep -q '"report_export","'"$ANI"'","2025-10-06..2025-10-10 days csv","cli"' "$T/audit.csv"
check "service up after the exports" up
