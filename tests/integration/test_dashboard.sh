#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dashboard: its static files as the collector serves them (security headers, no way
# out of the folder), then the pages in Debian's headless Chromium (tests/e2e/dashboard.mjs):
# login and lockout, the overview, logout, CSRF, and a unit admin refused another unit.
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

printf 'unit_id,name,timezone,profile\nA,Unit A,Asia/Jakarta,default\nB,Unit B,Asia/Makassar,default\n' >"$T/units.csv"
printf 'nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n%s,Ani,A,42,1,4500000,\n%s,Budi,B,43,2,4500000,\n' \
	"$NIP_A" 199001012015011002 >"$T/staff.csv"
"${C[@]}" import units "$T/units.csv" >/dev/null && "${C[@]}" import staff "$T/staff.csv" >/dev/null &&
	echo "$PW" | "${C[@]}" user add root --role superadmin >/dev/null &&
	echo "$PW" | "${C[@]}" user add adm-b --role unit_admin --unit B >/dev/null &&
	echo "$PW" | "${C[@]}" user add locky --role superadmin >/dev/null &&
	ok "units, staff and three users" || fail "units, staff and users"

if [ ! -x /usr/bin/chromium ] || [ ! -d "$E2E/node_modules/playwright-core" ]; then
	echo "ok $((_tap_n + 1)) # SKIP chromium or tests/e2e/node_modules missing (scripts/deps.sh check)"
	echo "1..$((_tap_n + 1))"
	exit 0
fi
node "$E2E/dashboard.mjs" "$URL/" "$OUT" "$PW" "$NIP_A" >"$T/e2e.out" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) fail "${line#not ok - }" ;;
	*) echo "# $line" ;;
	esac
done <"$T/e2e.out"
[ $rc -eq 0 ] || fail "browser run exited with $rc"
for shot in login login-refused overview overview-unit-admin unit-admin-forbidden; do
	check "screenshot $shot.png saved" test -s "$OUT/$shot.png"
done
check "the audit log holds the browser's logins and lockout" bash -c \
	"'$COLLECTOR' --config '$CONF' audit --format csv | grep -c '\"login_locked\",\"locky\"' | grep -qv '^0$'"
check "service up" up
echo "1..$_tap_n"
