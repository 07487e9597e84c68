#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A reply bigger than one write turn (256 KB) is sent from the report's own buffer, after its
# head: over HTTPS it arrives whole, byte for byte what the command line writes, its
# Content-Length right; HEAD gives the same length and no body; the kept-alive connection
# answers the next request after either.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

site_start "$T/site" && ok "site up" || { fail "site up"; exit 1; }
run() { "$COLLECTOR" --config "$CONF" "$@"; }
AUTH=(--cacert "$T/site/ca.pem" -H "Authorization: Bearer $ADMIN_TOKEN")

printf 'unit_id,name,timezone,profile\nJKT,Dinas Jakarta,Asia/Jakarta,default\n' >"$T/units.csv"
python3 - "$T/staff.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("nip,name,unit_id,card,fingerprint_id,allowance\n")
    for i in range(3000):
        f.write("19%016d,Pegawai %d,JKT,%d,,4000000\n" % (i, i, 100000 + i))
PY
run import units "$T/units.csv" >/dev/null && run import staff "$T/staff.csv" >/dev/null &&
	ok "3,000 staff imported" || fail "3,000 staff imported"

R="$URL/api/v1/reports/discipline?from=2025-10-06&to=2025-10-10&format=csv"
run report discipline --from 2025-10-06 --to 2025-10-10 --format csv --output "$T/cli.csv"
check "the CSV is bigger than one write turn" test "$(stat -c %s "$T/cli.csv")" -gt $((256 * 1024))
# Two requests on one connection: the big reply, then a small one.
curl -s "${AUTH[@]}" -D "$T/head1" -o "$T/body" "$R" --next "${AUTH[@]}" -o "$T/healthz" \
	-w '%{num_connects}' "$URL/healthz" >"$T/connects"
check "the big reply arrives byte for byte" cmp "$T/cli.csv" "$T/body"
check "its Content-Length is the body's" \
	grep -qi "^content-length: $(stat -c %s "$T/cli.csv")"$'\r'"\$" "$T/head1"
check "the kept-alive connection answers the next request" test "$(cat "$T/connects")" = 0
check "and that answer is whole" grep -q ok "$T/healthz"
# HEAD, then a small request on the same connection: a body sent after the head would be
# read as the next answer.
curl -s "${AUTH[@]}" -I -o "$T/head2" "$R" --next "${AUTH[@]}" -o "$T/healthz2" \
	-w '%{num_connects}' "$URL/healthz" >"$T/connects2"
check "HEAD: the same length" \
	grep -qi "^content-length: $(stat -c %s "$T/cli.csv")"$'\r'"\$" "$T/head2"
check "HEAD: no body (the next answer on the connection is whole)" \
	bash -c "grep -q ok '$T/healthz2' && test \"\$(cat '$T/connects2')\" = 0"
