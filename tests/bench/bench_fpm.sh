#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fingerprint: touch-to-durable latency through the emulated module on the
# sim board (sim "finger" -> touch edge -> GenImg, Img2Tz, Search over the
# pty -> tap committed -> "accepted" reply). The emulator answers at once,
# so this is the kiosk's own share; a real R307 adds its capture (< 0.3 s)
# and search (< 1 s) times and 57600-baud transfer (~2 ms a packet).
. "$(dirname "$0")/../integration/lib.sh"

TOUCHES=${TOUCHES:-500}
K=$T/k
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/' "$K/kiosk.conf"
{
	echo 'nip,name,unit_id,card,fingerprint_id'
	for i in $(seq 0 9); do echo "100$i,Staff $i,U1,,$i"; done
} >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null
HADIR_LOG_LEVEL=warn start_bg "$T/k.log" "$KIOSK" --config "$K/kiosk.conf"
wait_for 10 python3 "$REPO/tests/helpers/simclient.py" "$K/sim.sock" ping
sleep 0.2 # the module's reset (VerifyPwd, ReadSysPara, TemplateNum)

read -r n p50 p99 < <(python3 "$REPO/tests/helpers/simclient.py" "$K/sim.sock" --latency "$TOUCHES" \
	--finger 0 --cards 10)
echo "touch-to-durable over $n touches (emulated module): p50 ${p50} us, p99 ${p99} us"
