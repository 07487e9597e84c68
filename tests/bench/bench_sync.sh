#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sync: tap-to-visible-at-collector latency (the record's kiosk time to the
# collector's commit time, both on this machine's clock) over 1,000 taps at a
# steady 40 taps/s, and the time an offline kiosk takes to catch up 30,000
# records once the collector is back.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
TAPS=${TAPS:-1000}
BACKLOG=${BACKLOG:-30000}
site_start "$T/site" >/dev/null
K=$T/k
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = bench/' "$K/kiosk.conf"
printf '\n[sync]\nbackoff_min = 200ms\nbackoff_max = 1s\n' >>"$K/kiosk.conf"
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n' >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null
TOKEN=$("$COLLECTOR" --config "$CONF" device add bench | tail -n 1)
"$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$T/site/ca.pem" --config "$K/kiosk.conf" >/dev/null
HADIR_LOG_LEVEL=warn start_bg "$T/k.log" "$KIOSK" --config "$K/kiosk.conf"
wait_for 10 python3 "$SIM" "$K/sim.sock" ping

python3 - "$K/sim.sock" "$TAPS" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rb")
n = int(sys.argv[2]); t0 = time.monotonic()
for i in range(n):
    while time.monotonic() < t0 + i / 40.0:
        time.sleep(0.001)
    s.sendall(b"card 42\n"); f.readline()
PY
outbox() { "$KIOSK" status --json --config "$K/kiosk.conf" | python3 -c 'import json,sys; print(json.load(sys.stdin)["outbox"])'; }
wait_for 30 bash -c "[ \$('$KIOSK' status --json --config '$K/kiosk.conf' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"outbox\"])') = 0 ]"
"$COLLECTOR" --config "$CONF" taps --json | python3 -c '
import json, sys
t = json.load(sys.stdin); t = t.get("taps", t) if isinstance(t, dict) else t
lat = sorted((x["received_usec"] - x["recorded_usec"]) / 1000 for x in t)
print("tap-to-visible over %d taps at 40/s: p50 %.0f ms, p99 %.0f ms (goal p99 <= 1000 ms)"
      % (len(lat), lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1]))'

kill -TERM "$COLLECTOR_PID"
wait_for 10 bash -c "! kill -0 $COLLECTOR_PID 2>/dev/null"
forget_pid "$COLLECTOR_PID"
python3 "$SIM" "$K/sim.sock" --burst "$BACKLOG" --card 42 --timeout 300 >/dev/null
echo "offline backlog: $(outbox) records"
start=$(date +%s.%N)
collector_up
wait_for 600 bash -c "[ \$('$KIOSK' status --json --config '$K/kiosk.conf' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"outbox\"])') = 0 ]"
end=$(date +%s.%N)
python3 -c "print('catch-up of $BACKLOG offline records: %.1f s (%.0f records/s)' % ($end - $start, $BACKLOG / ($end - $start)))"
