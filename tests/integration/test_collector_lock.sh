#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Another process holding the database's write lock for seconds (a large
# import) must not stop the collector's event loop: a kiosk's push meanwhile
# is answered at once with 503 (the kiosk resends), /healthz still answers,
# and the same push is stored once the lock is free.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

S=$T/site
site_start "$S" && ok "site up" || { fail "site up"; exit 1; }
CA=$S/ca.pem
DB=$S/collector.db
enrol kiosk-1 "$T/k1" && ok "enrol a kiosk" || fail "enrol a kiosk"
push() { code --cacert "$CA" --cert "$T/k1.pem" --key "$T/k1.key" --data @"$1" "$URL/api/v1/records"; }
batch 1 3 >"$T/b1"
check "a push while nothing else writes: 200" test "$(push "$T/b1")" = 200

# The lock holder: a transaction left open for 4 s, as a long import would.
printf '.timeout 5000\nBEGIN IMMEDIATE;\n.shell sleep 4\nCOMMIT;\n' | sqlite3 "$DB" &
HOLDER=$!
locked() { ! sqlite3 -cmd '.timeout 0' "$DB" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; }
wait_for 5 locked || fail "the lock holder did not take the lock"
batch 4 6 >"$T/b2"
status=$(push "$T/b2")
check "a push during the other process's transaction: 503 at once" \
	test "$status-$(kill -0 "$HOLDER" 2>/dev/null && echo held)" = "503-held"
check "the 503 says to resend" grep -q 'resend later' "$T/body"
check "/healthz answers meanwhile" test "$(code --cacert "$CA" "$URL/healthz")-$(locked && echo held)" = "200-held"
wait "$HOLDER"
check "the same push once the lock is free: 200" test "$(push "$T/b2")" = 200
check "records 1..6 stored, each once" test \
	"$(sqlite3 "$DB" 'SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM records')" = "6|6|1|6"
check "service up" up
echo "1..$_tap_n"
