#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Signed chain heads: the kiosk signs the last record of each batch with its device key,
# the collector verifies it with the certificate the kiosk enrolled with and keeps the
# latest; `hadir-collector verify` walks the stored chain to it. A head that does not
# verify is refused with a tamper alert; a record edited in the collector's database is
# found by its link, and one edited with every later link recomputed (the chain has no
# key) by the signature.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
site_start "$T/site" || { fail "collector site"; exit 1; }
K=$T/kiosk
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = pintu/' "$K/kiosk.conf"
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n' >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null
TOKEN=$("$COLLECTOR" --config "$CONF" device add pintu | tail -n 1)
"$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$T/site/ca.pem" --config "$K/kiosk.conf" \
	>/dev/null && ok "kiosk enrolled" || fail "kiosk enrolled"
start_bg "$T/kiosk.log" "$KIOSK" --config "$K/kiosk.conf"
KPID=$!
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; exit 1; }
python3 "$SIM" "$K/sim.sock" --burst 20 --card 42 >/dev/null

# signed N: verify --json says the head the kiosk signed is at N and verifies.
signed() {
	"$COLLECTOR" --config "$CONF" verify --json |
		python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; sys.exit(0 if d["signed_seq"] == int(sys.argv[1]) and d["signature"] == "verifies" and d["ok"] else 1)' "$1"
}
if wait_for 10 signed 20; then ok "the kiosk's signed head reaches the collector and verifies"; else
	fail "signed head: $("$COLLECTOR" --config "$CONF" verify --json)"
fi
check "device list --json shows the signed head" bash -c \
	"'$COLLECTOR' --config '$CONF' device list --json | grep -q '\"signed_seq\": 20'"
"$COLLECTOR" --config "$CONF" verify >"$T/verify" 2>&1
equals "verify: exit 0 when all is well" "$?" 0
check "verify says so" grep -qx "pintu: 20 records, last seq 20; chain intact; signed head: seq 20, verifies" "$T/verify"
kill -TERM "$KPID"
wait_for 10 bash -c "! kill -0 $KPID 2>/dev/null"

# A push with a head the device key did not sign: refused, and a tamper alert.
post() {
	curl -s -o "$T/body" -w '%{http_code}' --cacert "$T/site/ca.pem" --cert "$K/device.pem" \
		--key "$K/device.key" -H 'Content-Type: application/json' --data "$1" \
		"$URL/api/v1/records"
}
FORGED=$(python3 -c 'import base64; print(base64.b64encode(bytes([0x30, 0x06, 2, 1, 1, 2, 1, 1])).decode())')
equals "a forged head is refused (400)" \
	"$(post '{"version":1,"records":[],"anchors":[],"head":{"seq":20,"signature":"'"$FORGED"'"}}')" 400
check "with a signature alert" bash -c "'$COLLECTOR' --config '$CONF' alerts --json | grep -q '\"signature\"'"
equals "a head of a record the collector does not hold is refused (400)" \
	"$(post '{"version":1,"records":[],"anchors":[],"head":{"seq":999,"signature":"'"$FORGED"'"}}')" 400
# The same with record 20 itself resent beside it: the head is checked off the event loop.
python3 - "$T/site/collector.db" "$FORGED" "$T/resend" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = ["seq", "kind", "wall_usec", "boot_usec", "boot_id", "clock_trusted", "credential", "nip",
        "outcome", "reason", "direction", "payload", "prev", "link"]
row = dict(zip(cols, db.execute("SELECT %s FROM records WHERE seq = 20 AND device_id ="
                                " (SELECT id FROM devices WHERE name = 'pintu')" % ", ".join(cols)).fetchone()))
row["clock_trusted"] = bool(row["clock_trusted"])
row["prev"], row["link"] = row["prev"].hex(), row["link"].hex()
batch = {"version": 1, "records": [row], "anchors": []}
json.dump(batch, open(sys.argv[3] + "-unsigned.json", "w"))
batch["head"] = {"seq": 20, "signature": sys.argv[2]}
json.dump(batch, open(sys.argv[3] + ".json", "w"))
PY
equals "a forged head beside its record is refused (400)" "$(post @"$T/resend.json")" 400
equals "the record alone, resent, is a duplicate (200)" "$(post @"$T/resend-unsigned.json")" 200
check "a refused head leaves the kept one" signed 20

# Tampering with the collector's stored copy.
DB=$T/site/collector.db
sqlite3 "$DB" "UPDATE records SET nip = '9999' WHERE seq = 5 AND device_id = (SELECT id FROM devices WHERE name = 'pintu')"
"$COLLECTOR" --config "$CONF" verify >"$T/verify" 2>&1
equals "verify: exit 1 for an edited record" "$?" 1
check "verify names it" grep -q "chain record 5: its fields do not hash to its link" "$T/verify"
# The same edit with every link recomputed, as someone who knows the format would.
python3 - "$DB" "$REPO/tests/helpers" <<'PY'
import sqlite3, sys
sys.path.insert(0, sys.argv[2])
import records
db = sqlite3.connect(sys.argv[1])
dev = db.execute("SELECT id FROM devices WHERE name = 'pintu'").fetchone()[0]
cols = ["seq", "kind", "wall_usec", "boot_usec", "boot_id", "clock_trusted", "credential", "nip",
        "outcome", "reason", "direction", "payload"]
rows = [dict(zip(cols, r)) for r in
        db.execute("SELECT %s FROM records WHERE device_id = ? ORDER BY seq" % ", ".join(cols), (dev,))]
for r in records.seal(rows):
    db.execute("UPDATE records SET prev = ?, link = ? WHERE device_id = ? AND seq = ?",
               (bytes.fromhex(r["prev"]), bytes.fromhex(r["link"]), dev, r["seq"]))
db.commit()
PY
"$COLLECTOR" --config "$CONF" verify >"$T/verify" 2>&1
equals "verify: exit 1 for a rewritten chain" "$?" 1
check "the chain itself is whole again" grep -q "chain intact" "$T/verify"
check "but it no longer leads to the head the kiosk signed" \
	grep -q "signed head: seq 20, DOES NOT VERIFY" "$T/verify"
"$COLLECTOR" --config "$CONF" verify --device nobody >/dev/null 2>"$T/err"
equals "verify --device of an unknown kiosk: exit 1" "$?" 1
check "and says so" grep -q "no enrolled device 'nobody'" "$T/err"
