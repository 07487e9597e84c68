#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Accounts over TLS with curl: login and logout, the session cookie's flags,
# CSRF refusal, lockout after 5 wrong passwords with the same answer as for
# an unknown user, a unit admin's 403 on another unit's taps that is
# identical to the one for a NIP that does not exist, tokens with roles, and
# the audit log: an entry for each action, and no way to alter one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

S=$T/site
site_start "$S" && ok "site up" || { fail "site up"; cat "$T"/collector.*.log; exit 1; }
CA=$S/ca.pem
C=("$COLLECTOR" --config "$CONF")
PW='correct horse battery'
NIP_A=198501012010011001 # the taps batch() makes are this person's
NIP_B=199001012015011002

printf 'unit_id,name,timezone,profile\nA,Unit A,Asia/Jakarta,default\nB,Unit B,Asia/Makassar,default\n' >"$T/units.csv"
printf 'nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n%s,Ani,A,42,1,4500000,\n%s,Budi,B,43,2,4500000,\n' \
	"$NIP_A" "$NIP_B" >"$T/staff.csv"
check "import units" "${C[@]}" import units "$T/units.csv"
check "import staff: $NIP_A in A, $NIP_B in B" "${C[@]}" import staff "$T/staff.csv"
enrol kiosk-1 "$T/k1" && ok "enrol a kiosk" || fail "enrol a kiosk"
batch 1 3 >"$T/b"
check "three taps of unit A's $NIP_A stored" test "$(code --cacert "$CA" --cert "$T/k1.pem" \
	--key "$T/k1.key" --data @"$T/b" "$URL/api/v1/records")" = 200

echo "$PW" | "${C[@]}" user add alice --role superadmin >/dev/null &&
	echo "$PW" | "${C[@]}" user add adm-a --role unit_admin --unit A >/dev/null &&
	echo "$PW" | "${C[@]}" user add adm-b --role unit_admin --unit B >/dev/null &&
	echo "$PW" | "${C[@]}" user add locky --role staff --nip "$NIP_B" >/dev/null &&
	ok "user add: four users, password on stdin" || fail "user add"
check "user add refuses a unit_admin without --unit" \
	bash -c "! (echo '$PW' | '$COLLECTOR' --config '$CONF' user add x --role unit_admin 2>/dev/null)"
check "user add refuses a short password" \
	bash -c "! (echo short | '$COLLECTOR' --config '$CONF' user add y --role superadmin 2>/dev/null)"
"${C[@]}" user add gen --role superadmin --generate >"$T/gen.out"
GEN_PW=$(sed -n 's/^password (shown once): //p' "$T/gen.out")
check "user add --generate prints a password once" test "${#GEN_PW}" -ge 20
"${C[@]}" user list >"$T/users"
check "user list shows the users" grep -q '^adm-a *unit_admin *active *A ' "$T/users"

# login USER PASSWORD: POST /api/v1/login; headers in $T/headers, body in $T/body, prints the status.
login() {
	python3 -c 'import json,sys; print(json.dumps({"username": sys.argv[1], "password": sys.argv[2]}))' \
		"$1" "$2" >"$T/login.json"
	code --cacert "$CA" -D "$T/headers" -H 'Content-Type: application/json' \
		--data @"$T/login.json" "$URL/api/v1/login"
}
cookie_of() { sed -n 's/^Set-Cookie: hadir_session=\([^;]*\);.*/\1/p' "$T/headers" | tr -d '\r'; }

check "login alice: 200" test "$(login alice "$PW")" = 200
SET_COOKIE=$(grep -i '^Set-Cookie:' "$T/headers" | tr -d '\r')
for flag in HttpOnly Secure SameSite=Strict Path=/; do
	case "$SET_COOKIE" in
	*"; $flag"*) ok "session cookie has $flag" ;;
	*) fail "session cookie has $flag: $SET_COOKIE" ;;
	esac
done
ALICE=$(cookie_of)
ALICE_CSRF=$(json_get "$T/body" 'j["csrf_token"]')
check "the cookie is a 256-bit token" test "${#ALICE}" = 43
check "login reply has a CSRF token and the role" \
	test "${#ALICE_CSRF}-$(json_get "$T/body" 'j["role"]')" = "43-superadmin"
check "GET /me with the cookie: alice" \
	test "$(code --cacert "$CA" -b "hadir_session=$ALICE" "$URL/api/v1/me")-$(json_get "$T/body" 'j["user"]')" = 200-alice
check "GET /me gives the session's CSRF token again" \
	test "$(json_get "$T/body" 'j["csrf_token"]')" = "$ALICE_CSRF"
check "GET /me without credentials: 401" test "$(code --cacert "$CA" "$URL/api/v1/me")" = 401
check "POST /logout without X-CSRF-Token: 403" \
	test "$(code --cacert "$CA" -b "hadir_session=$ALICE" -X POST "$URL/api/v1/logout")" = 403
check "POST /logout with another token: 403" test "$(code --cacert "$CA" -b "hadir_session=$ALICE" \
	-H "X-CSRF-Token: $ALICE" -X POST "$URL/api/v1/logout")" = 403
check "the session survived the refused logouts" \
	test "$(code --cacert "$CA" -b "hadir_session=$ALICE" "$URL/api/v1/me")" = 200
check "POST /logout with the CSRF token: 200" test "$(code --cacert "$CA" -b "hadir_session=$ALICE" \
	-D "$T/headers" -H "X-CSRF-Token: $ALICE_CSRF" -X POST "$URL/api/v1/logout")" = 200
check "logout clears the cookie" grep -qi '^Set-Cookie: hadir_session=; Max-Age=0' "$T/headers"
check "after logout the cookie is refused: 401" \
	test "$(code --cacert "$CA" -b "hadir_session=$ALICE" "$URL/api/v1/me")" = 401
check "the generated password logs in" test "$(login gen "$GEN_PW")" = 200

# Lockout: five wrong passwords, then even the right one is refused, with the same answer.
for i in 1 2 3 4 5; do
	s=$(login locky "wrong password $i")
	[ "$s" = 401 ] || break
done
check "five wrong passwords: each 401" test "$s" = 401
WRONG=$(json_get "$T/body" 'j["error"]')
check "the right password on a locked account: 401" test "$(login locky "$PW")" = 401
LOCKED=$(json_get "$T/body" 'j["error"]')
check "an unknown user: 401" test "$(login nobody "$PW")" = 401
UNKNOWN=$(json_get "$T/body" 'j["error"]')
check "locked, wrong and unknown get one message" \
	test "$LOCKED" = "$WRONG" -a "$UNKNOWN" = "$WRONG"
check "locked, wrong and unknown set no cookie" bash -c "! grep -qi '^Set-Cookie' '$T/headers'"

# Scope: unit admins over taps.
check "login adm-b" test "$(login adm-b "$PW")" = 200
ADM_B=$(cookie_of)
check "adm-b: another unit's NIP is 403" test "$(code --cacert "$CA" -b "hadir_session=$ADM_B" \
	"$URL/api/v1/taps?nip=$NIP_A")" = 403
sed 's/"server_time_usec":[0-9]*//' "$T/body" >"$T/forbidden"
check "adm-b: a NIP that does not exist is 403" test "$(code --cacert "$CA" \
	-b "hadir_session=$ADM_B" "$URL/api/v1/taps?nip=199912312020121999")" = 403
sed 's/"server_time_usec":[0-9]*//' "$T/body" >"$T/nonexistent"
check "forbidden and nonexistent replies are identical" cmp "$T/forbidden" "$T/nonexistent"
check "adm-b: all taps lists none of unit A's" test "$(code --cacert "$CA" \
	-b "hadir_session=$ADM_B" "$URL/api/v1/taps")-$(json_get "$T/body" 'len(j["taps"])')" = 200-0
check "adm-b: own unit's NIP is 200" test "$(code --cacert "$CA" -b "hadir_session=$ADM_B" \
	"$URL/api/v1/taps?nip=$NIP_B")" = 200
P='from=2026-11-02&to=2026-11-06'
check "adm-b: report of unit A is 403" test "$(code --cacert "$CA" -b "hadir_session=$ADM_B" \
	"$URL/api/v1/reports/discipline?$P&unit=A")" = 403
sed 's/"server_time_usec":[0-9]*//' "$T/body" >"$T/forbidden_unit"
check "adm-b: report of a unit that does not exist is 403" test "$(code --cacert "$CA" \
	-b "hadir_session=$ADM_B" "$URL/api/v1/reports/discipline?$P&unit=NOPE")" = 403
sed 's/"server_time_usec":[0-9]*//' "$T/body" >"$T/nonexistent_unit"
check "forbidden and nonexistent units: identical replies" cmp "$T/forbidden_unit" "$T/nonexistent_unit"
check "forbidden unit and NIP: the same reply too" cmp "$T/forbidden_unit" "$T/forbidden"
check "adm-b: the report without a unit holds unit B's staff only" test "$(code --cacert "$CA" \
	-b "hadir_session=$ADM_B" "$URL/api/v1/reports/discipline?$P")-$(json_get "$T/body" \
	'",".join(e["nip"] for e in j["employees"])')" = "200-$NIP_B"
check "adm-b: unit summaries of unit A are 403" test "$(code --cacert "$CA" -b "hadir_session=$ADM_B" \
	"$URL/api/v1/reports/units?$P&unit=A")" = 403
check "adm-b: unit summaries without a unit: their unit only" test "$(code --cacert "$CA" \
	-b "hadir_session=$ADM_B" "$URL/api/v1/reports/units?$P")-$(json_get "$T/body" \
	'",".join(u["unit_id"] for u in j["units"])')" = 200-B
check "adm-b: CSV export of unit B" test "$(code --cacert "$CA" -b "hadir_session=$ADM_B" \
	"$URL/api/v1/reports/discipline?$P&unit=B&format=csv")" = 200
check "adm-b: another unit's employee days are 403" test "$(code --cacert "$CA" \
	-b "hadir_session=$ADM_B" "$URL/api/v1/employees/$NIP_A/days?$P")" = 403
check "adm-b: own employee's days are 200" test "$(code --cacert "$CA" \
	-b "hadir_session=$ADM_B" "$URL/api/v1/employees/$NIP_B/days?$P")" = 200
check "the superadmin token: the whole report" test "$(code --cacert "$CA" \
	-H "Authorization: Bearer $ADMIN_TOKEN" "$URL/api/v1/reports/discipline?$P")-$(json_get \
	"$T/body" 'len(j["employees"])')" = 200-2
check "login adm-a" test "$(login adm-a "$PW")" = 200
ADM_A=$(cookie_of)
check "adm-a sees unit A's three taps" test "$(code --cacert "$CA" -b "hadir_session=$ADM_A" \
	"$URL/api/v1/taps?nip=$NIP_A")-$(json_get "$T/body" 'len(j["taps"])')" = 200-3
check "adm-a: the audit log is for superadmins: 403" \
	test "$(code --cacert "$CA" -b "hadir_session=$ADM_A" "$URL/api/v1/audit")" = 403

# Tokens with a role, for scripts: no CSRF token needed.
"${C[@]}" token add --role unit_admin --unit B >"$T/tok.out"
TOK_B=$(tail -n 1 "$T/tok.out")
check "token add prints the token last" test "${#TOK_B}" = 43
check "unit_admin token: another unit's NIP is 403" test "$(code --cacert "$CA" \
	-H "Authorization: Bearer $TOK_B" "$URL/api/v1/taps?nip=$NIP_A")" = 403
check "unit_admin token: /me says unit_admin of B" test "$(code --cacert "$CA" \
	-H "Authorization: Bearer $TOK_B" "$URL/api/v1/me")-$(json_get "$T/body" 'j["role"]+":"+",".join(j["units"])')" = 200-unit_admin:B
check "token add refuses a staff token without --nip" \
	bash -c "! '$COLLECTOR' --config '$CONF' token add --role staff 2>/dev/null"
"${C[@]}" token add --role staff --nip "$NIP_A" >"$T/tok2.out"
TOK_STAFF=$(tail -n 1 "$T/tok2.out")
check "staff token: own taps 200" test "$(code --cacert "$CA" \
	-H "Authorization: Bearer $TOK_STAFF" "$URL/api/v1/taps?nip=$NIP_A")-$(json_get "$T/body" 'len(j["taps"])')" = 200-3
check "staff token: someone else's 403" test "$(code --cacert "$CA" \
	-H "Authorization: Bearer $TOK_STAFF" "$URL/api/v1/taps?nip=$NIP_B")" = 403
check "staff token: own days 200, the unit's report 403" test "$(code --cacert "$CA" \
	-H "Authorization: Bearer $TOK_STAFF" "$URL/api/v1/employees/$NIP_A/days?$P")-$(code \
	--cacert "$CA" -H "Authorization: Bearer $TOK_STAFF" "$URL/api/v1/reports/discipline?$P&unit=A")" = 200-403
"${C[@]}" token add --role supervisor --nip "$NIP_B" >"$T/tok3.out"
TOK_SUP=$(tail -n 1 "$T/tok3.out")
check "supervisor token: the report lists their staff and themselves only" test "$(code --cacert "$CA" \
	-H "Authorization: Bearer $TOK_SUP" "$URL/api/v1/reports/discipline?$P")-$(json_get "$T/body" \
	'",".join(e["nip"] for e in j["employees"])')" = "200-$NIP_B"
check "the init token is a superadmin: any NIP 200" test "$(code --cacert "$CA" \
	-H "Authorization: Bearer $ADMIN_TOKEN" "$URL/api/v1/taps?nip=$NIP_A")" = 200
check "an unknown token: 401" test "$(code --cacert "$CA" -H "Authorization: Bearer xyz" \
	"$URL/api/v1/taps")" = 401

# The audit log.
check "report discipline on the command line" bash -c \
	"'$COLLECTOR' --config '$CONF' report discipline --from 2026-11-02 --to 2026-11-06 --unit B >/dev/null"
check "GET /api/v1/audit as superadmin: 200" \
	test "$(code --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" "$URL/api/v1/audit")" = 200
cp "$T/body" "$T/audit.json"
has_entry() { # ACTION TARGET
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))
sys.exit(0 if any(e["action"] == sys.argv[2] and e["target"] == sys.argv[3] for e in j["entries"]) else 1)' \
		"$T/audit.json" "$1" "$2"
}
for entry in "import units" "import staff" "user_add alice" "user_add adm-a" "login alice" "logout alice" \
	"login_failed locky" "login_locked locky" "login_failed nobody" "login adm-b"; do
	check "audit has $entry" has_entry $entry
done
check "audit has adm-b's report view (their one unit)" grep -q \
	'"actor":"user:adm-b","action":"report_view","target":"B","detail":"2026-11-02..2026-11-06 json"' "$T/audit.json"
check "audit has adm-b's CSV export of unit B" grep -q \
	'"actor":"user:adm-b","action":"report_export","target":"B","detail":"2026-11-02..2026-11-06 csv"' "$T/audit.json"
check "audit has the view of one employee's days" grep -q \
	'"action":"report_view","target":"'"$NIP_B"'","detail":"2026-11-02..2026-11-06 days"' "$T/audit.json"
check "audit has no view that was refused" bash -c \
	"! grep -q '\"target\":\"A\"' '$T/audit.json'"
check "audit has the command line's report view" grep -q \
	'"action":"report_view","target":"B","detail":"2026-11-02..2026-11-06 json","source":"cli"' "$T/audit.json"
check "audit has token_add entries" grep -q '"action":"token_add"' "$T/audit.json"
check "login entries carry the client address" \
	grep -q '"action":"login","target":"alice","detail":"session started","source":"127.0.0.1"' "$T/audit.json"
check "audit ?action=logout filters" test "$(code --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" \
	"$URL/api/v1/audit?action=logout")-$(json_get "$T/body" 'len(j["entries"])')" = 200-1
check "audit ?format=csv" test "$(code --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" \
	"$URL/api/v1/audit?format=csv&actor=user:alice")-$(head -n 1 "$T/body" | tr -d '\r')" \
	= "200-id,time,actor,action,target,detail,source"
"${C[@]}" audit --format csv >"$T/audit.csv"
check "hadir-collector audit --format csv: header and every entry" \
	test "$(($(wc -l <"$T/audit.csv") - 1))" = "$(json_get "$T/audit.json" 'len(j["entries"])')"
N=$(sqlite3 "$S/collector.db" 'SELECT count(*) FROM audit_log')
check "sqlite3 UPDATE on the audit log fails" \
	bash -c "! sqlite3 '$S/collector.db' \"UPDATE audit_log SET actor = 'me'\" 2>/dev/null"
check "sqlite3 DELETE on the audit log fails" \
	bash -c "! sqlite3 '$S/collector.db' 'DELETE FROM audit_log' 2>/dev/null"
check "the audit log is unchanged" test "$(sqlite3 "$S/collector.db" \
	"SELECT count(*) FROM audit_log WHERE actor = 'me'")-$(sqlite3 "$S/collector.db" \
	'SELECT count(*) FROM audit_log')" = "0-$N"

"${C[@]}" user disable adm-a >/dev/null
check "user disable ends adm-a's session" \
	test "$(code --cacert "$CA" -b "hadir_session=$ADM_A" "$URL/api/v1/me")" = 401
check "a disabled user cannot log in" test "$(login adm-a "$PW")" = 401
echo "another long password" | "${C[@]}" user passwd adm-b >/dev/null
check "user passwd ends adm-b's session" \
	test "$(code --cacert "$CA" -b "hadir_session=$ADM_B" "$URL/api/v1/me")" = 401
check "the new password logs in" test "$(login adm-b "another long password")" = 200
check "service up" up
echo "1..$_tap_n"
