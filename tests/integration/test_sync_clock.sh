#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A kiosk whose clock starts at 1970 (a board without RTC, no NTP yet) records
# taps untrusted, reaches the collector anyway (the chain to the pinned CA is
# checked, the dates cannot be), learns the collector's time, and the
# collector holds corrected times within 1 s of the truth.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

SIM=$REPO/tests/helpers/simclient.py
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
if [ -z "$FAKETIME_LIB" ]; then
	echo "ok 1 - clock at 1970 # SKIP libfaketime is not installed (scripts/deps.sh check)"
	exit 0
fi
site_start "$T/site" || { fail "collector site"; exit 1; }

K=$T/kiosk
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/; s/^name = .*/name = rtc-less/' "$K/kiosk.conf"
sed -i 's/^\[kiosk\]$/[kiosk]\ntrust_ntp = no/' "$K/kiosk.conf"
printf '\n[sync]\nbackoff_min = 200ms\nbackoff_max = 1s\n' >>"$K/kiosk.conf"
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n' >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null
TOKEN=$("$COLLECTOR" --config "$CONF" device add rtc-less | tail -n 1)
"$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$T/site/ca.pem" --config "$K/kiosk.conf" >/dev/null
python3 "$SIM" --help >/dev/null

# The collector is stopped first, so the first taps are made before any sync.
kill -TERM "$COLLECTOR_PID"
wait_for 10 bash -c "! kill -0 $COLLECTOR_PID 2>/dev/null"
forget_pid "$COLLECTOR_PID"

start_bg "$T/kiosk.log" env ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@1970-01-02 00:00:00" \
	FAKETIME_DONT_FAKE_MONOTONIC=1 HADIR_LOG_LEVEL=debug "$KIOSK" --config "$K/kiosk.conf"
KPID=$!
wait_for 10 python3 "$SIM" "$K/sim.sock" ping || { fail "kiosk did not start"; cat "$T/kiosk.log"; exit 1; }
for i in 1 2 3; do
	date +%s.%N >>"$T/true_times"
	python3 "$SIM" "$K/sim.sock" "card 42" >/dev/null
	sleep 0.4
done
check "taps made at 1970 are marked untrusted" bash -c "'$KIOSK' log --json --config '$K/kiosk.conf' | python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r)==3 and not any(x[\"clock_trusted\"] for x in r) and r[0][\"time\"].startswith(\"1970\"), r'"

collector_up
all_corrected() {
	"$COLLECTOR" --config "$CONF" taps --json |
		python3 -c 'import json,sys; t=json.load(sys.stdin); sys.exit(0 if len(t)==3 and all(x["corrected_usec"] is not None for x in t) else 1)'
}
if wait_for 15 all_corrected; then ok "untrusted taps reach the collector and get corrected times"; else fail "not all corrected: $(tail -n 5 "$T/kiosk.log")"; fi
check "collector holds corrected times within 1 s of the truth" python3 - "$("$COLLECTOR" --config "$CONF" taps --json)" "$T/true_times" <<'PY'
import json, sys
taps = json.loads(sys.argv[1])
taps = taps.get("taps", taps) if isinstance(taps, dict) else taps
truth = [float(l) for l in open(sys.argv[2])]
assert len(taps) == 3, taps
taps.sort(key=lambda t: t["seq"])
for t, true in zip(taps, truth):
    assert t["corrected_usec"] is not None, t
    assert t["recorded_usec"] < 10 * 86400 * 1e6, t        # the original, 1970, kept
    err = abs(t["corrected_usec"] / 1e6 - true)
    assert err < 1.0, (t, true, err)
PY
