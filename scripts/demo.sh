#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo: a simulated kiosk on embedded defaults, driven through its sim
# socket like a card reader at the door. Everything lives in a temporary
# folder and is stopped at the end. Usage: scripts/demo.sh [BUILD]
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

say "A kiosk on the simulated board"
"$BUILD/hadir-kiosk" init "$D/kiosk" --board sim
cat >"$D/staff.csv" <<'CSV'
nip,name,unit_id,card,fingerprint_id
198501012010011001,"Budi Santoso, S.Kom",DUMAI-01,8065495,7
199002022015022002,Sari Dewi,DUMAI-01,0008000987,
CSV
"$BUILD/hadir-kiosk" roster import "$D/staff.csv" --config "$D/kiosk/kiosk.conf"
"$BUILD/hadir-kiosk" --config "$D/kiosk/kiosk.conf" 2>"$D/kiosk.log" &
pids+=($!)
for _ in $(seq 100); do $SIM "$D/kiosk/sim.sock" ping >/dev/null 2>&1 && break; sleep 0.05; done

say "Taps at the door (sim socket: command -> answer once durable)"
for line in "wiegand 10111101100010001110101110" "card 0008000987" "finger 7" \
	"wiegand 10111101100010001110001110" "card 4242"; do
	printf '  %-40s -> %s\n' "$line" "$($SIM "$D/kiosk/sim.sock" "$line")"
done

say "What the kiosk recorded (hadir-kiosk log)"
"$BUILD/hadir-kiosk" log --config "$D/kiosk/kiosk.conf"
say "Kiosk status"
"$BUILD/hadir-kiosk" status --config "$D/kiosk/kiosk.conf"
"$BUILD/hadir-kiosk" verify --config "$D/kiosk/kiosk.conf"
say "Light and sound at the door (kiosk log)"
grep -E "feedback|gpio" "$D/kiosk.log" | head -n 12
