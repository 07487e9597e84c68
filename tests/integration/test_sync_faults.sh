#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sync through a network that cuts connections halfway, stalls them, and
# refuses them (a fault-injecting TCP proxy between kiosk and collector):
# sync recovers by itself and every record arrives exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
site_start "$T/site" || { fail "collector site"; exit 1; }
PROXY_PORT=$(free_port)
echo pass >"$T/mode"
start_bg "$T/proxy.log" python3 "$REPO/tests/helpers/faultproxy.py" "$PROXY_PORT" "$PORT" "$T/mode"
wait_for 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PROXY_PORT"

K=$T/kiosk
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = far-away/' "$K/kiosk.conf"
printf '\n[sync]\nbatch = 100\ntimeout = 2s\nbackoff_min = 200ms\nbackoff_max = 1s\n' >>"$K/kiosk.conf"
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n' >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null
TOKEN=$("$COLLECTOR" --config "$CONF" device add far-away | tail -n 1)
"$KIOSK" enroll --url "https://127.0.0.1:$PROXY_PORT" --token "$TOKEN" --ca "$T/site/ca.pem" \
	--config "$K/kiosk.conf" >/dev/null || { fail "enrol through the proxy"; exit 1; }
start_bg "$T/kiosk.log" env HADIR_LOG_LEVEL=debug "$KIOSK" --config "$K/kiosk.conf"
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; exit 1; }

count() {
	"$COLLECTOR" --config "$CONF" taps --json | python3 -c 'import json,sys; t=json.load(sys.stdin); print(len(t.get("taps",t) if isinstance(t,dict) else t))'
}
arrived() { [ "$(count)" = "$1" ]; }

# Connections cut after 60 KB: a batch gets through, the next dies halfway up or down.
echo cut:60000 >"$T/mode"
python3 "$SIM" "$K/sim.sock" --burst 300 --card 42 >/dev/null
sleep 2
before=$(count)
echo pass >"$T/mode"
if wait_for 20 arrived 300; then ok "connections cut halfway: all 300 arrive once the network heals ($before before)"; else fail "after cuts: $(count) of 300"; fi

# A stalled connection (no bytes either way): the exchange times out and is retried.
echo stall >"$T/mode"
python3 "$SIM" "$K/sim.sock" --burst 200 --card 42 >/dev/null
sleep 3
check "a stall is reported" bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -q 'last error:   collector did not answer in time'"
echo pass >"$T/mode"
if wait_for 20 arrived 500; then ok "after a stall sync recovers by itself"; else fail "after stall: $(count) of 500"; fi

# Refused connections.
echo refuse >"$T/mode"
python3 "$SIM" "$K/sim.sock" --burst 100 --card 42 >/dev/null
sleep 1
echo pass >"$T/mode"
if wait_for 20 arrived 600; then ok "after refused connections sync recovers"; else fail "after refusals: $(count) of 600"; fi
check "nothing stored twice, no tamper alerts" bash -c "'$COLLECTOR' --config '$CONF' alerts --json | python3 -c 'import json,sys; a=json.load(sys.stdin); a=a.get(\"alerts\",a) if isinstance(a,dict) else a; assert len(a)==0, a'"
check "collector acknowledged everything" bash -c "'$KIOSK' status --json --config '$K/kiosk.conf' | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"outbox\"] == 0'"
