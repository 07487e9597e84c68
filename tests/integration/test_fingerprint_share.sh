#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fingerprint templates shared between the kiosks of a unit, through the
# collector: a finger enrolled on kiosk A (through its emulated module) is
# uploaded, sealed at rest (no plaintext in the database file), pulled by
# kiosk B of the same unit into its own module and identified there; kiosk
# C of another unit never gets it; a wrong or too open key file stops the
# collector with a clear message; an enrolment the collector asks of B runs
# there and its outcome (done, failed with why) is listed; a delete on A
# removes the finger from B.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
site_start "$T/site" || { fail "collector site"; exit 1; }
check "init made the template key private" test "$(stat -c %a "$T/site/templates.key")" = 600

cat >"$T/units.csv" <<'CSV'
unit_id,name,timezone,profile
U1,Dinas Satu,Asia/Jakarta,default
U2,Dinas Dua,Asia/Jakarta,default
CSV
cat >"$T/staff.csv" <<'CSV'
nip,name,unit_id,card,fingerprint_id,allowance
198501012010011001,Ani,U1,42,,0
199002022015022002,Budi,U1,43,,0
197803152005011002,Citra,U2,44,,0
CSV
check "units imported" "$COLLECTOR" --config "$CONF" import units "$T/units.csv"
check "staff imported" "$COLLECTOR" --config "$CONF" import staff "$T/staff.csv"

# kiosk NAME UNIT: a sim kiosk enrolled at the collector for UNIT, running.
kiosk() {
	local k=$T/$1 token
	"$KIOSK" init "$k" --board sim >/dev/null || return 1
	sed -i "s/^debounce = .*/debounce = 0s/; s/^name = .*/name = $1/" "$k/kiosk.conf"
	printf '\n[sync]\nbackoff_min = 200ms\nbackoff_max = 1s\nroster_interval = 1s\n' >>"$k/kiosk.conf"
	printf '\n[fingerprint]\ntimeout = 500ms\n' >>"$k/kiosk.conf"
	token=$("$COLLECTOR" --config "$CONF" device add "$1" --unit "$2" | tail -n 1) || return 1
	"$KIOSK" enroll --url "$URL" --token "$token" --ca "$T/site/ca.pem" \
		--config "$k/kiosk.conf" >/dev/null || return 1
	start_bg "$T/$1.log" env HADIR_LOG_LEVEL=debug "$KIOSK" --config "$k/kiosk.conf"
	wait_for 10 python3 "$SIM" "$k/sim.sock" ping
}
# q KIOSK SQL: one value from a kiosk's database.
q() {
	python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' \
		"$T/$1/hadir.db" "$2"
}
# sim KIOSK LINE: the kiosk's answer to one sim socket line.
sim() { python3 "$SIM" "$T/$1/sim.sock" "$2"; }
expect() { # expect DESCRIPTION KIOSK WANT LINE
	local got
	got=$(sim "$2" "$4")
	if [[ "$got" == $3 ]]; then ok "$1"; else fail "$1: got '$got', want '$3'"; fi
}
staff_of() { [ "$(q "$1" "SELECT count(*) FROM staff")" = "$2" ]; }
export -f q
export T

for k in kiosk-a:U1 kiosk-b:U1 kiosk-c:U2; do
	if kiosk "${k%%:*}" "${k##*:}"; then ok "${k%%:*} (${k##*:}) enrolled and running"; else fail "${k%%:*} did not start"; exit 1; fi
done
if wait_for 10 staff_of kiosk-a 2 && wait_for 10 staff_of kiosk-b 2 && wait_for 10 staff_of kiosk-c 1; then
	ok "each kiosk has its unit's roster"
else fail "rosters not pulled"; fi
for k in kiosk-a kiosk-b kiosk-c; do
	wait_for 10 grep -q "ready: 100 of 1000 pages used" "$T/$k.log" || fail "$k: module not ready"
done
etag_c=$(q kiosk-c "SELECT value FROM sync_state WHERE key='roster_etag'")

# Enrol Ani on A: the emulated module stores a new finger on its first free page, 100.
out=$("$KIOSK" fingerprint enroll 198501012010011001 --config "$T/kiosk-a/kiosk.conf" 2>&1)
if grep -qx "enrolled 198501012010011001 100" <<<"$out"; then ok "Ani enrolled on kiosk A, page 100"; else fail "enrol on A: $out"; fi
if wait_for 10 grep -q "templates: 198501012010011001 template 0 from device 'kiosk-a'" "$T/collector.$PORT.log"; then
	ok "the collector keeps A's template as Ani's template 0"; else fail "template not uploaded"; fi
if wait_for 10 bash -c '[ -n "$(q kiosk-b "SELECT page FROM fingers WHERE nip = '"'198501012010011001'"' AND sha256 IS NOT NULL")" ]'; then
	ok "kiosk B downloaded it into its module"; else fail "kiosk B never got the template"; fi
page_b=$(q kiosk-b "SELECT page FROM fingers WHERE nip = '198501012010011001'")
check "B mapped its own page to Ani" test "$page_b" = 100
expect "Ani's finger is accepted on kiosk B" kiosk-b "accepted 198501012010011001 *" "finger 100"
expect "on kiosk A too" kiosk-a "accepted 198501012010011001 *" "finger 100"

# Kiosk C (unit U2) pulls the changed roster but never receives Ani's template.
if wait_for 10 bash -c '[ "$(q kiosk-c "SELECT value FROM sync_state WHERE key='"'roster_etag'"'")" != "'"$etag_c"'" ]'; then
	ok "kiosk C pulled the roster after the upload"; else fail "kiosk C did not pull again"; fi
check "kiosk C has no finger and no queued work" test "$(q kiosk-c "SELECT (SELECT count(*) FROM fingers) + (SELECT count(*) FROM template_work)")" = 0
expect "the finger is unknown on kiosk C" kiosk-c "unknown finger:none" "finger 100"
code --cacert "$T/site/ca.pem" --cert "$T/kiosk-c/device.pem" --key "$T/kiosk-c/device.key" "$URL/api/v1/roster" >"$T/code"
check "C's roster reply carries no template of Ani" python3 - "$T/body" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert [s["nip"] for s in r["staff"]] == ["197803152005011002"], r["staff"]
assert all(not s.get("templates") for s in r["staff"])
PY

# upload KIOSK NIP [SHA]: POST a made-up template as that kiosk; prints the status.
upload() {
	python3 - "$2" "${3:-}" >"$T/up.json" <<'PY'
import base64, hashlib, json, sys
t = bytes(range(256)) * 2
print(json.dumps({"nip": sys.argv[1], "page": 5, "template": base64.b64encode(t).decode(),
                  "sha256": sys.argv[2] or hashlib.sha256(t).hexdigest()}))
PY
	code --cacert "$T/site/ca.pem" --cert "$T/$1/device.pem" --key "$T/$1/device.key" \
		-H 'Content-Type: application/json' --data @"$T/up.json" "$URL/api/v1/templates"
}
check "a kiosk of another unit may not upload Ani's templates" test "$(upload kiosk-c 198501012010011001)" = 403
check "a template whose sha256 does not match is refused" test "$(upload kiosk-b 198501012010011001 "$(printf '0%.0s' {1..64})")" = 400

# The template the emulator makes for finger 100 (fpm_emu.c): a slice of it must not be at rest.
slice() {
	python3 -c 'import sys; n=100; t=bytes([(n*31+i*7)&0xff for i in range(512)]); sys.stdout.buffer.write(t[100:140])'
}
code --cacert "$T/site/ca.pem" --cert "$T/kiosk-b/device.pem" --key "$T/kiosk-b/device.key" "$URL/api/v1/roster" >"$T/code"
check "B's roster reply carries Ani's template (the slice is real)" python3 - "$T/body" <<'PY'
import base64, json, sys
r = json.load(open(sys.argv[1]))
ani = [s for s in r["staff"] if s["nip"] == "198501012010011001"][0]
t = base64.b64decode(ani["templates"][0]["data"])
assert ani["templates"][0]["page"] == 0
assert t[100:140] == bytes([(100*31+i*7)&0xff for i in range(100, 140)])
PY
no_plaintext() {
	python3 - "$@" <<'PY'
import sys
needle = bytes([(100*31+i*7)&0xff for i in range(100, 140)])
for path in sys.argv[1:]:
    try:
        data = open(path, "rb").read()
    except FileNotFoundError:
        continue
    assert needle not in data, path
PY
}
check "no template bytes in the collector's database files" no_plaintext "$T/site/collector.db" "$T/site/collector.db-wal"
check "no template bytes in the collector's log" no_plaintext "$T/collector.$PORT.log"

# A wrong or exposed key file: the collector refuses to start, and says why.
kill -TERM "$COLLECTOR_PID"; wait "$COLLECTOR_PID" 2>/dev/null; forget_pid "$COLLECTOR_PID"
check "stopped: every page checkpointed, still no plaintext" no_plaintext "$T/site/collector.db" "$T/site/collector.db-wal"
cp -p "$T/site/templates.key" "$T/templates.key.backup"
chmod 0644 "$T/site/templates.key"
out=$(timeout 10 "$COLLECTOR" --config "$CONF" 2>&1)
if [ $? -ne 0 ] && grep -q "readable or writable by others" <<<"$out"; then ok "a key file others can read: refused"; else fail "open key file: $out"; fi
python3 -c 'import os; print(os.urandom(32).hex())' >"$T/site/templates.key"
chmod 0600 "$T/site/templates.key"
out=$(timeout 10 "$COLLECTOR" --config "$CONF" 2>&1)
if [ $? -ne 0 ] && grep -q "does not open the stored fingerprint templates" <<<"$out"; then ok "a wrong key file: refused clearly"; else fail "wrong key: $out"; fi
rm "$T/site/templates.key"
out=$(timeout 10 "$COLLECTOR" --config "$CONF" 2>&1)
if [ $? -ne 0 ] && grep -q "missing but the database holds" <<<"$out"; then ok "a missing key file with templates stored: refused"; else fail "missing key: $out"; fi
cp -p "$T/templates.key.backup" "$T/site/templates.key"
# A new key (the service stopped): every template resealed, the old key kept aside.
out=$("$COLLECTOR" --config "$CONF" fingerprint rekey 2>&1)
if grep -q "^1 template resealed under a new key" <<<"$out"; then ok "rekey reseals Ani's template"; else fail "rekey: $out"; fi
check "the new key is private and new, the old one kept as .old" bash -c \
	"[ \"\$(stat -c %a '$T/site/templates.key')\" = 600 ] && ! cmp -s '$T/site/templates.key' '$T/templates.key.backup' && cmp -s '$T/site/templates.key.old' '$T/templates.key.backup'"
check "still no plaintext after resealing" no_plaintext "$T/site/collector.db" "$T/site/collector.db-wal"
if collector_up; then ok "the collector runs again under the new key"; else fail "collector did not restart"; exit 1; fi

# An enrolment the collector asks of kiosk B.
out=$("$COLLECTOR" --config "$CONF" fingerprint enroll --device kiosk-c --nip 199002022015022002 2>&1)
if [ $? -ne 0 ] && grep -q "not in the roster of device kiosk-c" <<<"$out"; then ok "a kiosk of another unit cannot be asked"; else fail "other unit: $out"; fi
out=$("$COLLECTOR" --config "$CONF" fingerprint enroll --device kiosk-b --nip 199002022015022002 2>&1)
if grep -q "^enrolment of 199002022015022002 requested at kiosk-b (request 1)" <<<"$out"; then ok "enrolment of Budi requested at kiosk B"; else fail "request: $out"; fi
request_state() { # request_state ID STATE
	"$COLLECTOR" --config "$CONF" fingerprint list --json |
		python3 -c 'import json,sys; r=[q for q in json.load(sys.stdin)["requests"] if q["id"]==int(sys.argv[1])]; sys.exit(0 if r and r[0]["state"]==sys.argv[2] else 1)' "$1" "$2"
}
if wait_for 15 request_state 1 done; then ok "kiosk B ran it and reported done"; else fail "request 1 not done"; "$COLLECTOR" --config "$CONF" fingerprint list; fi
check "B logged the collector's request" grep -q "as the collector asked (request 1)" "$T/kiosk-b.log"
if wait_for 10 bash -c '[ "$(q kiosk-a "SELECT page FROM fingers WHERE nip = '"'199002022015022002'"'")" = 101 ]'; then
	ok "kiosk A got Budi's template on its page 101"; else fail "A never got Budi's template"; fi
expect "Budi's finger (made on B) is accepted on kiosk A" kiosk-a "accepted 199002022015022002 *" "finger 101"
check "fingerprint list shows the request done" bash -c "'$COLLECTOR' --config '$CONF' fingerprint list | grep -E '^1 +kiosk-b +199002022015022002 +done'"

# A request that fails at the kiosk (its module hangs) is reported with the reason.
expect "B's module hangs" kiosk-b "ok" "fpm hang"
"$COLLECTOR" --config "$CONF" fingerprint enroll --device kiosk-b --nip 199002022015022002 >/dev/null
if wait_for 15 request_state 2 failed; then ok "the failed request is reported"; else fail "request 2 not failed"; fi
check "fingerprint list shows why" bash -c "'$COLLECTOR' --config '$CONF' fingerprint list | grep -E '^2 +kiosk-b +199002022015022002 +failed .*timeout'"
expect "B's module recovers" kiosk-b "ok" "fpm recover"
wait_for 10 bash -c "tail -n 3 '$T/kiosk-b.log' | grep -q 'ready: '" || true

# Delete on A: the collector forgets it, and B deletes it from its module.
out=$("$KIOSK" fingerprint delete 198501012010011001 --config "$T/kiosk-a/kiosk.conf" 2>&1)
if grep -qx "deleted 198501012010011001 100" <<<"$out"; then ok "Ani's finger deleted on kiosk A"; else fail "delete on A: $out"; fi
if wait_for 10 bash -c '[ -z "$(q kiosk-b "SELECT page FROM fingers WHERE nip = '"'198501012010011001'"'")" ]'; then
	ok "kiosk B deleted it too"; else fail "B still has Ani's finger"; fi
expect "Ani's finger is refused on kiosk B" kiosk-b "unknown finger:none" "finger 100"
expect "and on kiosk A" kiosk-a "unknown finger:none" "finger 100"
expect "Budi's finger still works on B" kiosk-b "accepted 199002022015022002 *" "finger 101"
check "no template bytes in any kiosk or collector log" bash -c "! grep -qiE '\"template\":|[A-Za-z0-9+/]{200}' '$T'/*.log"

# Budi leaves the staff: his template is deleted at the collector and from both modules.
grep -v "^199002022015022002," "$T/staff.csv" >"$T/staff2.csv"
check "staff imported without Budi" "$COLLECTOR" --config "$CONF" import staff "$T/staff2.csv"
check "the collector keeps no template of former staff" bash -c \
	"'$COLLECTOR' --config '$CONF' fingerprint list --json | python3 -c 'import json,sys; sys.exit(1 if json.load(sys.stdin)[\"templates\"] else 0)'"
if wait_for 10 bash -c '[ -z "$(q kiosk-a "SELECT page FROM fingers WHERE nip = '"'199002022015022002'"'")$(q kiosk-b "SELECT page FROM fingers WHERE nip = '"'199002022015022002'"'")" ]'; then
	ok "kiosks A and B deleted Budi's finger from their modules"; else fail "Budi's finger is still on a kiosk"; fi
expect "Budi's finger is unknown on kiosk B" kiosk-b "unknown finger:none" "finger 101"
check "kiosk A's status: nothing left to send or to write" bash -c \
	"'$KIOSK' status --json --config '$T/kiosk-a/kiosk.conf' | python3 -c 'import json,sys; s=json.load(sys.stdin); sys.exit(0 if (s[\"templates_to_send\"], s[\"templates_to_write\"]) == (0, 0) else 1)'"
