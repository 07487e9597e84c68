#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo: a collector site made by `init` with the example organisation
# imported (examples/), and a simulated kiosk enrolled to it over mutual TLS
# that pulls its unit's roster from the collector. Taps go in through the kiosk's sim
# socket like a card reader at the door and are shown arriving at the
# collector. Everything lives in a temporary folder and is stopped at the
# end. Usage: scripts/demo.sh [BUILD]
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
REPO=$(cd "$(dirname "$0")/.." && pwd)
SIM="python3 $REPO/tests/helpers/simclient.py"
D=$(mktemp -d /tmp/hadir-demo.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$D"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "A collector site (hadir-collector init)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=https://127.0.0.1:$PORT
"$BUILD/hadir-collector" init "$D/site" --listen "127.0.0.1:$PORT" | sed 's/^admin token: .*/admin token: (printed once; hidden in the demo)/'
"$BUILD/hadir-collector" --config "$D/site/collector.conf" 2>"$D/collector.log" &
pids+=($!)
for _ in $(seq 100); do curl -sf --cacert "$D/site/ca.pem" "$URL/healthz" >/dev/null && break; sleep 0.05; done
printf '  %s/healthz -> %s\n' "$URL" "$(curl -s --cacert "$D/site/ca.pem" "$URL/healthz")"

say "The organisation at the collector (hadir-collector import, examples/)"
for kind in units staff schedules holidays plans; do
	printf '  %-10s ' "$kind"
	"$BUILD/hadir-collector" --config "$D/site/collector.conf" import "$kind" "$REPO/examples/$kind.csv"
done

say "A kiosk on the simulated board for unit DISKOMINFO, enrolled with a one-time token"
"$BUILD/hadir-kiosk" init "$D/kiosk" --board sim
sed -i 's/^name = .*/name = diskominfo-pintu-1/' "$D/kiosk/kiosk.conf"
printf '\n[sync]\nroster_interval = 1s\n' >>"$D/kiosk/kiosk.conf"
TOKEN=$("$BUILD/hadir-collector" --config "$D/site/collector.conf" \
	device add diskominfo-pintu-1 --unit DISKOMINFO | tail -n 1)
"$BUILD/hadir-kiosk" enroll --url "$URL" --token "$TOKEN" --ca "$D/site/ca.pem" \
	--config "$D/kiosk/kiosk.conf"
"$BUILD/hadir-kiosk" --config "$D/kiosk/kiosk.conf" 2>"$D/kiosk.log" &
pids+=($!)
for _ in $(seq 100); do $SIM "$D/kiosk/sim.sock" ping >/dev/null 2>&1 && break; sleep 0.05; done
for _ in $(seq 100); do
	"$BUILD/hadir-kiosk" status --config "$D/kiosk/kiosk.conf" | grep -q 'roster: *3 staff' && break
	sleep 0.1
done
printf '  the kiosk pulled its roster from the collector: %s\n' \
	"$("$BUILD/hadir-kiosk" status --config "$D/kiosk/kiosk.conf" | grep roster)"

say "Taps at the door (sim socket: command -> answer once durable)"
for line in "wiegand 10111101100010001110101110" "card 0008000987" "finger 7" \
	"wiegand 10111101100010001110001110" "card 4242"; do
	printf '  %-40s -> %s\n' "$line" "$($SIM "$D/kiosk/sim.sock" "$line")"
done

say "Arriving at the collector (hadir-collector taps)"
for _ in $(seq 60); do
	n=$("$BUILD/hadir-collector" --config "$D/site/collector.conf" taps --json |
		python3 -c 'import json,sys; t=json.load(sys.stdin); print(len(t.get("taps",t) if isinstance(t,dict) else t))')
	[ "$n" -ge 4 ] && break
	sleep 0.1
done
"$BUILD/hadir-collector" --config "$D/site/collector.conf" taps

TODAY=$(TZ=Asia/Jakarta date +%F) # DISKOMINFO is in WIB
say "Discipline today per unit (hadir-collector report units, CSV)"
"$BUILD/hadir-collector" --config "$D/site/collector.conf" report units --from "$TODAY" \
	--to "$TODAY" --format csv
say "Why Ani's day counts as it does (hadir-collector report days; the taps' local time matters)"
"$BUILD/hadir-collector" --config "$D/site/collector.conf" report days \
	--nip 198501012010011001 --from "$TODAY" --to "$TODAY" |
	python3 -c 'import json, sys
d = json.load(sys.stdin)
for day in d["days"]:
    for tap in day["taps"]:
        print("  tap %s: %s" % (tap["time"], tap["use"]))
    for reason in day["reasons"]:
        print("  %s" % reason)'

say "Kiosk health as the collector sees it (hadir-collector devices)"
"$BUILD/hadir-collector" --config "$D/site/collector.conf" devices
say "The collector's copy of each kiosk's chain, up to the head the kiosk signed (hadir-collector verify)"
"$BUILD/hadir-collector" --config "$D/site/collector.conf" verify

say "What the kiosk recorded (hadir-kiosk log)"
"$BUILD/hadir-kiosk" log --config "$D/kiosk/kiosk.conf"
say "Kiosk status"
"$BUILD/hadir-kiosk" status --config "$D/kiosk/kiosk.conf"
"$BUILD/hadir-kiosk" verify --config "$D/kiosk/kiosk.conf"
say "Light and sound at the door (kiosk log)"
grep -E "feedback|gpio" "$D/kiosk.log" | head -n 8
say "The door daemon and its sync process (memory: the daemon maps no libcurl)"
KPID=$(pgrep -f "hadir-kiosk --config $D/kiosk/kiosk.conf" | head -n 1)
for pid in "$KPID" $(pgrep -P "$KPID"); do
	printf '  %-18s RSS %s kB\n' "$(cat "/proc/$pid/comm")" "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
done
