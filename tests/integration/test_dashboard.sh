#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dashboard: its static files as the collector serves them (security headers, no way
# out of the folder), then the pages in Debian's headless Chromium (tests/e2e/dashboard.mjs):
# login and lockout, the overview, a unit's page and its downloads, an employee's page (days,
# totals, activities), logout, CSRF, and a unit admin refused another unit by API, on the unit
# page and on an employee's page; the overview's kiosk section.
# Screenshots go to $HADIR_TEST_OUT/dashboard (default: the test's temporary folder).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

E2E=$REPO/tests/e2e
OUT=${HADIR_TEST_OUT:-$T}/dashboard
mkdir -p "$OUT"

S=$T/site
site_start "$S" && ok "site up" || { fail "site up"; cat "$T"/collector.*.log; exit 1; }
CA=$S/ca.pem
C=("$COLLECTOR" --config "$CONF")
PW='correct horse battery'
NIP_A=198501012010011001

check "GET / is the login page" bash -c "curl -sf --cacert '$CA' '$URL/' | grep -q 'id=\"login-form\"'"
curl -s -D "$T/h" -o /dev/null --cacert "$CA" "$URL/web/overview.html"
check "pages allow this origin only (CSP)" grep -qi "^Content-Security-Policy: default-src 'self';" "$T/h"
check "pages may not be framed" grep -qi "^X-Frame-Options: DENY" "$T/h"
check "no way out of the web folder" test "$(code --cacert "$CA" --path-as-is "$URL/web/../collector.conf")" = 404
check "only known file types" test "$(code --cacert "$CA" "$URL/web/ca.key")" = 404
check "JavaScript as JavaScript" test "$(curl -s -o /dev/null -w '%{content_type}' --cacert "$CA" \
	"$URL/web/app.js")" = "text/javascript; charset=utf-8"

# Unit A for the unit page, over Mon 2025-10-06 .. Wed 10-08: Ani on time every day, Cici
# never in (3 TK days: teguran lisan), and Pegawai 001..118 in on the Monday only (2 TK days,
# below any sanction) — 120 rows, three pages of 50.
FROM=2025-10-06
TO=2025-10-08
NIP_C=198601012010012002
printf 'unit_id,name,timezone,profile\nA,Unit A,Asia/Jakarta,default\nB,Unit B,Asia/Makassar,default\n' >"$T/units.csv"
{
	echo 'nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip'
	echo "$NIP_A,Ani,A,42,1,4500000,"
	echo "199001012015011002,Budi,B,43,2,4500000,"
	echo "$NIP_C,Cici,A,44,3,4500000,"
	for i in $(seq 1 118); do printf '1970010120000%05d,Pegawai %03d,A,%d,,4000000,\n' "$i" "$i" $((1000 + i)); done
} >"$T/staff.csv"
{
	echo 'nip,time'
	for d in 06 07 08; do echo "$NIP_A,2025-10-${d}T07:00:00+07:00" "$NIP_A,2025-10-${d}T16:00:00+07:00"; done | tr ' ' '\n'
	for i in $(seq 1 118); do
		printf '1970010120000%05d,2025-10-06T07:10:00+07:00\n1970010120000%05d,2025-10-06T16:00:00+07:00\n' "$i" "$i"
	done
} >"$T/taps.csv"
"${C[@]}" import units "$T/units.csv" >/dev/null && "${C[@]}" import staff "$T/staff.csv" >/dev/null &&
	"${C[@]}" import taps "$T/taps.csv" >/dev/null &&
	echo "$PW" | "${C[@]}" user add root --role superadmin >/dev/null &&
	echo "$PW" | "${C[@]}" user add adm-b --role unit_admin --unit B >/dev/null &&
	echo "$PW" | "${C[@]}" user add locky --role superadmin >/dev/null &&
	ok "units, staff, taps and three users" || fail "units, staff, taps and users"
# A kiosk of unit A that has reported its health once, for the overview's kiosk section.
HEALTH='{"outbox":7,"outbox_oldest_usec":0,"clock_offset_usec":-1500000,"clock_trusted":true,"boot_id":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","uptime_s":60,"version":"test"}'
enrol pintu-a "$T/ka" --unit A && [ "$(code --cacert "$CA" --cert "$T/ka.pem" --key "$T/ka.key" \
	--data "{\"version\":1,\"records\":[],\"health\":$HEALTH}" "$URL/api/v1/records")" = 200 ] &&
	ok "a kiosk of unit A reported its health" || fail "a kiosk of unit A reported its health"

# Ani's activities for the employee page: web entries by the admin token, one returned with a
# comment, one approved, one left pending.
NIP_B=199001012015011002
activity() { # activity DATE DESCRIPTION: POST a web entry for Ani; prints its id
	curl -sf --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
		--data "{\"nip\":\"$NIP_A\",\"date\":\"$1\",\"plan\":\"\",\"description\":\"$2\",\"quantity\":1,\"unit\":\"laporan\",\"start\":\"09:00\",\"end\":\"10:30\"}" \
		"$URL/api/v1/activities" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
review() { # review ID approve|return [COMMENT]
	[ "$(code --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
		--data "{\"comment\":\"${3:-}\"}" "$URL/api/v1/activities/$1/$2")" = 200 ]
}
ACT1=$(activity 2025-10-06 'Menyusun laporan bulanan') && review "$ACT1" return 'Lampirkan notulen rapat' &&
	ACT2=$(activity 2025-10-07 'Rapat koordinasi') && review "$ACT2" approve &&
	ACT3=$(activity 2025-10-08 'Entri data kepegawaian') && [ -n "$ACT3" ] &&
	ok "three activities of Ani: returned, approved, pending" || fail "Ani's activities"

if [ ! -x /usr/bin/chromium ] || [ ! -d "$E2E/node_modules/playwright-core" ]; then
	echo "ok $((_tap_n + 1)) # SKIP chromium or tests/e2e/node_modules missing (scripts/deps.sh check)"
	echo "1..$((_tap_n + 1))"
	exit 0
fi
node "$E2E/dashboard.mjs" "$URL/" "$OUT" "$PW" "$NIP_A" "$FROM" "$TO" "$NIP_C" "$NIP_B" >"$T/e2e.out" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) fail "${line#not ok - }" ;;
	*) echo "# $line" ;;
	esac
done <"$T/e2e.out"
[ $rc -eq 0 ] || fail "browser run exited with $rc"
for shot in login login-refused overview unit unit-filtered overview-unit-admin unit-admin-forbidden \
	unit-admin-other-unit employee-cici employee-ani employee-unit-admin-forbidden employee-unit-admin-own \
	unit-export-filtered; do
	check "screenshot $shot.png saved" test -s "$OUT/$shot.png"
done
# The page's downloads, as the browser saved them: exactly unit A's 120 people for the period,
# in the table's columns and order at the time (by name, descending), read with openpyxl.
check "the unit page's CSV: a header and 120 rows" test "$(wc -l <"$OUT/unit-A.csv")" = 121
check "the unit page's CSV: the table's header" grep -q '^NIP,Nama,Hadir (hari),Terlambat (menit),' "$OUT/unit-A.csv"
check "the unit page's CSV: Cici with her sanction" grep -q "^$NIP_C,Cici,.*,Teguran lisan (ringan)" "$OUT/unit-A.csv"
check "the unit page's CSV: no one of unit B" bash -c "! grep -q Budi '$OUT/unit-A.csv'"
ROWS="/usr/bin/python3 $REPO/tests/helpers/xlsx_rows.py"
check "the unit page's XLSX: one sheet, the table" test "$($ROWS "$OUT/unit-A.xlsx" --sheets)" = '["Pegawai"]'
check "the unit page's XLSX: 120 rows by name, descending: Pegawai 118 .. Cici, Ani" python3 - \
	<($ROWS "$OUT/unit-A.xlsx" Pegawai) "$NIP_A" "$NIP_C" <<'PY'
import json, sys
rows, ani, cici = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
assert len(rows) == 121 and rows[0][:2] == ["NIP", "Nama"], rows[:2]
assert [r[1] for r in rows[1:3]] == ["Pegawai 118", "Pegawai 117"], rows[1:3]
assert [r[0] for r in rows[-2:]] == [cici, ani], rows[-2:]
PY
check "the filtered XLSX: exactly Pegawai 099 .. 001" python3 - <($ROWS "$OUT/unit-A-filtered.xlsx" Pegawai) <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r[1] for r in rows[1:]] == ["Pegawai %03d" % i for i in range(99, 0, -1)], rows[:3]
PY
check "the employee page's days CSV: a header and three days" test "$(grep -c '^"\?[A-Z][a-z]*, 2025-10-0' "$OUT/employee-ani-days.csv")" = 3
# The overview's downloads: its table, a row per unit.
check "the overview's CSV: a header and units A and B" test \
	"$(tail -n +2 "$OUT/overview.csv" | cut -d, -f1 | tr -d '\r' | tr '\n' ' ')" = "A B "
check "the overview's XLSX: the same table" bash -c \
	"python3 '$REPO/tests/helpers/xlsx_cells.py' '$OUT/overview.xlsx' Ringkasan | grep -qP '^A3\ts\tB$'"
check "the audit log holds the browser's logins and lockout" bash -c \
	"'$COLLECTOR' --config '$CONF' audit --format csv | grep -c '\"login_locked\",\"locky\"' | grep -qv '^0$'"
check "service up" up
echo "1..$_tap_n"
