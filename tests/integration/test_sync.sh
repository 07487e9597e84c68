#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kiosk to collector, end to end over mutual TLS: enrolment from the kiosk,
# taps pushed within a second, an outage of the collector with thousands of
# taps meanwhile (each arrives exactly once), kill -9 on both sides, a
# disabled device, a collector from another CA.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
site_start "$T/site" || { fail "collector site"; exit 1; }

K=$T/kiosk
"$KIOSK" init "$K" --board sim >/dev/null
cat >>"$K/kiosk.conf" <<CONF

[sync]
backoff_min = 200ms
backoff_max = 1s
CONF
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = pintu-1/' "$K/kiosk.conf"
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n1002,Budi,U1,43,\n' >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null

TOKEN=$("$COLLECTOR" --config "$CONF" device add pintu-1 | tail -n 1)
out=$("$KIOSK" enroll --url "$URL" --token wrong-token --ca "$T/site/ca.pem" --config "$K/kiosk.conf" 2>&1)
if [ $? -ne 0 ] && grep -q "enrolment failed: collector refused" <<<"$out"; then ok "a wrong token is refused"; else fail "wrong token: $out"; fi
check "kiosk enrols with the one-time token" "$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$T/site/ca.pem" --config "$K/kiosk.conf"
check "device key is private" test "$(stat -c %a "$K/device.key")" = 600
out=$("$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$T/site/ca.pem" --config "$K/kiosk.conf" 2>&1)
if [ $? -ne 0 ]; then ok "a spent token cannot enrol again"; else fail "token reused: $out"; fi

# clock_trust KIND: status (NTP not counted, so the verdict is the collector's) says KIND.
sed 's/^\[kiosk\]$/[kiosk]\ntrust_ntp = no/' "$K/kiosk.conf" >"$K/no-ntp.conf"
clock_trust() {
	"$KIOSK" status --json --config "$K/no-ntp.conf" |
		python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j["clock_trust"] == sys.argv[1] and j["clock_trusted"] == (sys.argv[1] == "collector") else 1)' "$1"
}
check "status: the clock not yet compared with the collector's is not trusted" clock_trust unmeasured

start_bg "$T/kiosk.log" env HADIR_LOG_LEVEL=debug "$KIOSK" --config "$K/kiosk.conf"
KPID=$!
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; exit 1; }

# arrived N: the collector holds N taps from this kiosk.
arrived() {
	"$COLLECTOR" --config "$CONF" taps --json 2>/dev/null |
		python3 -c 'import json,sys; t=json.load(sys.stdin); t=t.get("taps",t) if isinstance(t,dict) else t; sys.exit(0 if len(t)=='"$1"' else 1)'
}
python3 "$SIM" "$K/sim.sock" "card 42" "card 43" "card 999" >/dev/null
if wait_for 3 arrived 3; then ok "taps reach the collector within a second or so"; else fail "taps did not arrive"; fi
# A steady stream of taps is pushed while it goes on, not only when it pauses.
python3 - "$K/sim.sock" "$COLLECTOR" "$CONF" <<'PY' && ok "pushed while taps keep coming" || fail "a steady stream held pushes back"
import json, socket, subprocess, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rb")
t0 = time.monotonic()
for i in range(80):  # 40 taps/s for 2 s
    while time.monotonic() < t0 + i / 40.0:
        time.sleep(0.002)
    s.sendall(b"card 42\n"); f.readline()
out = subprocess.run([sys.argv[2], "--config", sys.argv[3], "taps", "--json"], capture_output=True)
taps = json.loads(out.stdout); taps = taps.get("taps", taps) if isinstance(taps, dict) else taps
print("# arrived during the stream:", len(taps) - 3); sys.exit(0 if len(taps) >= 3 + 40 else 1)  # the first second is there
PY
if wait_for 5 arrived 83; then ok "the stream arrived completely"; else fail "stream incomplete"; fi
check "status shows the last sync" bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -q 'last sync:    20'"
check "status shows the clock offset" bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -q 'clock offset:'"
check "status trusts the clock by the collector's time, as the tap path does" clock_trust collector
check "status says how far from the collector's time" bash -c \
	"'$KIOSK' status --config '$K/no-ntp.conf' | grep -qE 'clock: +trusted \(within 0\.[0-9]{3} s of the collector'"

# Outage: the collector is down while 5,000 taps are made; each arrives exactly once.
kill -TERM "$COLLECTOR_PID"
wait_for 10 bash -c "! kill -0 $COLLECTOR_PID 2>/dev/null"
forget_pid "$COLLECTOR_PID"
python3 "$SIM" "$K/sim.sock" --burst 5000 --card 42 --cards 2 --timeout 120 >"$T/burst" 2>&1
check "taps keep being recorded while the collector is down" test "$(grep -c "^accepted" "$T/burst")" = 5000
if wait_for 5 bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -q 'last error:   collector unreachable'"; then
	ok "status says the collector is unreachable"
else
	fail "status during outage: $("$KIOSK" status --config "$K/kiosk.conf")"
fi
check "outbox length shown" bash -c "'$KIOSK' status --json --config '$K/kiosk.conf' | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"outbox\"] >= 5000'"
collector_up
if wait_for 30 arrived 5083; then ok "after the outage every tap arrived"; else fail "after outage: $("$COLLECTOR" --config "$CONF" taps --json | head -c 300)"; fi
check "no record stored twice, chain intact, no alerts" bash -c "'$COLLECTOR' --config '$CONF' alerts --json | python3 -c 'import json,sys; a=json.load(sys.stdin); a=a.get(\"alerts\",a) if isinstance(a,dict) else a; assert len(a)==0, a'"
check "kiosk outbox drained" bash -c "'$KIOSK' status --json --config '$K/kiosk.conf' | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"outbox\"] == 0'"

# kill -9 on both sides in the middle of pushes.
python3 "$SIM" "$K/sim.sock" --burst 1500 --card 42 --cards 2 >/dev/null &
SENDER=$!
sleep 0.3
kill -9 "$COLLECTOR_PID"
forget_pid "$COLLECTOR_PID"
wait "$SENDER"
kill -9 "$KPID"
forget_pid "$KPID"
collector_up
start_bg "$T/kiosk2.log" "$KIOSK" --config "$K/kiosk.conf"
KPID=$!
wait_for 10 python3 "$SIM" "$K/sim.sock" ping
if wait_for 30 arrived 6583; then ok "kill -9 of both sides: every record arrives exactly once"; else fail "after kill -9: not all arrived"; fi
check "chain intact after kill -9" bash -c "'$COLLECTOR' --config '$CONF' alerts --json | python3 -c 'import json,sys; a=json.load(sys.stdin); a=a.get(\"alerts\",a) if isinstance(a,dict) else a; assert len(a)==0, a'"

# Sync runs in a child process (hadir-kiosk-sync): the daemon that records taps
# maps no libcurl, and a sync process that dies is started again, losing nothing.
SYNC_PID=$(pgrep -P "$KPID" -f hadir-kiosk-sync)
check "the daemon runs sync in a child process" test -n "$SYNC_PID"
check "the daemon maps no libcurl or TLS library" bash -c "! grep -qE 'libcurl|libssl|libgnutls' /proc/$KPID/maps"
kill -9 "$SYNC_PID"
python3 "$SIM" "$K/sim.sock" --burst 200 --card 42 --cards 2 >"$T/burst2" 2>&1
check "taps recorded while the sync process is down" test "$(grep -c "^accepted" "$T/burst2")" = 200
if wait_for 30 arrived 6783; then ok "a killed sync process is restarted and every tap arrives"; else fail "after killing sync: not all arrived"; fi
NEW_SYNC_PID=$(pgrep -P "$KPID" -f hadir-kiosk-sync)
check "a new sync process runs" test -n "$NEW_SYNC_PID" -a "$NEW_SYNC_PID" != "$SYNC_PID"
check "the daemon logged the sync process's death" grep -q "sync process (pid $SYNC_PID) was killed by signal 9" "$T/kiosk2.log"
kill -HUP "$KPID"
if wait_for 10 bash -c "p=\$(pgrep -P $KPID -f hadir-kiosk-sync); [ -n \"\$p\" ] && [ \"\$p\" != $NEW_SYNC_PID ]"; then
	ok "SIGHUP starts the sync process again (a new certificate or URL is used at once)"
else
	fail "SIGHUP: sync pid $(pgrep -P "$KPID" -f hadir-kiosk-sync), was $NEW_SYNC_PID"
fi
python3 "$SIM" "$K/sim.sock" "card 43" >/dev/null
if wait_for 20 arrived 6784; then ok "and it syncs"; else fail "after SIGHUP: not synced"; fi

# A disabled device: sync stops with a clear status; taps keep being recorded.
"$COLLECTOR" --config "$CONF" device disable pintu-1 >/dev/null
reply=$(python3 "$SIM" "$K/sim.sock" "card 43")
case "$reply" in accepted*) ok "a disabled kiosk still records taps" ;; *) fail "disabled: $reply" ;; esac
if wait_for 10 bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -qiE 'last error:.*(disabled|refused)'"; then
	ok "status says the device is refused"
else
	fail "disabled status: $("$KIOSK" status --config "$K/kiosk.conf" | grep -i error)"
fi
kill -TERM "$KPID"
wait_for 10 bash -c "! kill -0 $KPID 2>/dev/null"

# A collector with a certificate from another CA: the kiosk refuses and says why.
kill -TERM "$COLLECTOR_PID"
wait_for 10 bash -c "! kill -0 $COLLECTOR_PID 2>/dev/null"
"$COLLECTOR" init "$T/other" --listen "127.0.0.1:$PORT" >/dev/null 2>&1
CONF=$T/other/collector.conf collector_up
start_bg "$T/kiosk3.log" "$KIOSK" --config "$K/kiosk.conf"
KPID=$!
wait_for 10 python3 "$SIM" "$K/sim.sock" ping
python3 "$SIM" "$K/sim.sock" "card 42" >/dev/null
if wait_for 10 bash -c "'$KIOSK' status --config '$K/kiosk.conf' | grep -q 'server certificate not trusted'"; then
	ok "a collector from another CA is refused, and status says why"
else
	fail "other CA: $("$KIOSK" status --config "$K/kiosk.conf" | grep -i error)"
fi

# A kiosk whose sync program is missing (a broken installation): the door keeps
# recording, and status says why nothing is synced.
kill -TERM "$KPID"
wait_for 10 bash -c "! kill -0 $KPID 2>/dev/null"
forget_pid "$KPID"
printf 'helper = /nonexistent/hadir-kiosk-sync\n' >>"$K/kiosk.conf"
start_bg "$T/kiosk4.log" "$KIOSK" --config "$K/kiosk.conf"
KPID=$!
wait_for 10 python3 "$SIM" "$K/sim.sock" ping
reply=$(python3 "$SIM" "$K/sim.sock" "card 42")
case "$reply" in accepted*) ok "without its sync program the kiosk still records taps" ;; *) fail "no sync program: $reply" ;; esac
check "status says the sync program is missing" bash -c \
	"'$KIOSK' status --config '$K/kiosk.conf' | grep -q \"last error:   no sync program '/nonexistent/hadir-kiosk-sync'\""
