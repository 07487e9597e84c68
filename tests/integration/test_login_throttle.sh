#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Failed logins per address: a guesser spraying one password over many
# accounts stays below each account's lockout, so after [accounts]
# address_failures refusals from one address within address_window that
# address is refused (429, Retry-After) before any password check, while
# another address still logs in and the account itself is not locked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

S=$T/site
site_start "$S" && ok "site up" || { fail "site up"; exit 1; }
kill -TERM "$COLLECTOR_PID"
wait_for 10 bash -c "! kill -0 $COLLECTOR_PID 2>/dev/null"
forget_pid "$COLLECTOR_PID"
printf '\n[accounts]\naddress_failures = 3\naddress_window = 1min\n' >>"$CONF"
collector_up && ok "collector up with address_failures = 3" || { fail "collector up"; exit 1; }
CA=$S/ca.pem
PW='correct horse battery'
echo "$PW" | "$COLLECTOR" --config "$CONF" user add alice --role superadmin >/dev/null

# login FROM USER PASSWORD: POST /api/v1/login from source address FROM; prints the status.
login() {
	python3 -c 'import json,sys; print(json.dumps({"username": sys.argv[1], "password": sys.argv[2]}))' \
		"$2" "$3" >"$T/login.json"
	code --interface "$1" --cacert "$CA" -D "$T/headers" -H 'Content-Type: application/json' \
		--data @"$T/login.json" "$URL/api/v1/login"
}

statuses=
for user in ani budi cici; do
	statuses+="$(login 127.0.0.1 "$user" "$PW") "
done
check "three guesses at three accounts from 127.0.0.1: refused as usual" test "$statuses" = "401 401 401 "
check "the fourth try from 127.0.0.1, even with the right password: 429" \
	test "$(login 127.0.0.1 alice "$PW")" = 429
retry=$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/p' "$T/headers")
check "it says when to try again (Retry-After within the window)" \
	test -n "$retry" -a "${retry:-0}" -ge 1 -a "${retry:-99}" -le 60
check "the reply says why" grep -q 'too many failed logins from this address' "$T/body"
check "another address logs in as alice" test "$(login 127.0.0.2 alice "$PW")" = 200
check "the account was not locked by the guesses" bash -c \
	"'$COLLECTOR' --config '$CONF' user list | grep -q '^alice *superadmin *active'"
check "the refusal is in the collector's log" \
	grep -q "login of 'alice' from 127.0.0.1 refused: too many failed logins" "$T/collector.$PORT.log"
check "service up" up
echo "1..$_tap_n"
