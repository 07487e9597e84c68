#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kiosk: tap-to-durable latency through the sim socket (write -> "accepted"
# reply, i.e. after the SQLite commit), beside the raw fsync latency of the
# same file system, timed after each tap so both see the same machine (the
# sync process, the collector sharing these two cores and this disk); the
# memory of the daemon and of its sync process; their CPU time while idle for
# 10 s. The kiosk is enrolled
# to a collector on 127.0.0.1, as deployed: its records sync while it runs. A
# second, unenrolled kiosk gives the same latency with no sync process at all.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/collector.sh"

TAPS=${TAPS:-2000}
SIM=$REPO/tests/helpers/simclient.py
printf 'nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n' >"$T/r.csv"
# kiosk_dir DIR: a sim kiosk with one card, no debounce.
kiosk_dir() {
	"$KIOSK" init "$1" --board sim >/dev/null
	sed -i 's/^debounce = .*/debounce = 0s/' "$1/kiosk.conf"
	"$KIOSK" roster import "$T/r.csv" --config "$1/kiosk.conf" >/dev/null
}

K0=$T/k0
kiosk_dir "$K0"
HADIR_LOG_LEVEL=warn start_bg "$T/k0.log" "$KIOSK" --config "$K0/kiosk.conf"
K0PID=$!
wait_for 10 python3 "$SIM" "$K0/sim.sock" ping
read -r _ u50 u99 ua50 ua99 uo50 uo99 < <(python3 "$SIM" "$K0/sim.sock" --latency "$TAPS" --card 42 \
	--probe "$K0/fsync.probe")
kill -TERM "$K0PID"

K=$T/k
kiosk_dir "$K"
site_start "$T/site" >/dev/null
TOKEN=$("$COLLECTOR" --config "$CONF" device add kiosk | tail -n 1)
"$KIOSK" enroll --url "$URL" --token "$TOKEN" --ca "$T/site/ca.pem" --config "$K/kiosk.conf" >/dev/null
HADIR_LOG_LEVEL=warn start_bg "$T/k.log" "$KIOSK" --config "$K/kiosk.conf"
KPID=$!
wait_for 10 python3 "$SIM" "$K/sim.sock" ping

read -r n p50 p99 a50 a99 o50 o99 < <(python3 "$SIM" "$K/sim.sock" --latency "$TAPS" --card 42 \
	--probe "$K/fsync.probe")
ratio() { python3 -c "print('%.2f' % ($1 / max($2, 1)))"; }
echo "tap-to-durable over $n taps: p50 ${p50} us, p99 ${p99} us (enrolled, its sync process pushing)"
echo "raw fsync on the same file system, timed after each tap: 200 bytes appended p50 ${a50} us," \
	"p99 ${a99} us; 200 bytes overwritten p50 ${o50} us, p99 ${o99} us"
echo "ratio p99 tap / p99 fsync: $(ratio "$p99" "$a99") (goal <= 1.5);" \
	"against the overwrite (no metadata to journal): $(ratio "$p99" "$o99")"
echo "the same with no sync process (an unenrolled kiosk): p50 ${u50} us, p99 ${u99} us;" \
	"fsync p99 ${ua99} us appended, ${uo99} us overwritten; ratios $(ratio "$u99" "$ua99")," \
	"$(ratio "$u99" "$uo99")"

SPID=$(pgrep -P "$KPID" -f hadir-kiosk-sync)
mb() { awk -v k="$1" 'BEGIN {printf "%.1f MB", k / 1024}'; }
kb() { awk -v f="$1" '$1 == f":" {print $2}' "$2"; }
echo "daemon RSS after $n taps: $(mb "$(kb VmRSS "/proc/$KPID/status")") (goal < 8 MB)," \
	"of which its own (anonymous) $(mb "$(kb RssAnon "/proc/$KPID/status")")"
echo "sync process (hadir-kiosk-sync: libcurl, TLS) RSS: $(mb "$(kb VmRSS "/proc/$SPID/status")")"
echo "both together, shared pages counted once (PSS): $(mb $(($(kb Pss "/proc/$KPID/smaps_rollup") + $(kb Pss "/proc/$SPID/smaps_rollup"))))"
ticks() { awk '{s += $14 + $15} END {print s}' "/proc/$KPID/stat" "/proc/$SPID/stat"; }
before=$(ticks)
sleep 10
after=$(ticks)
echo "CPU of both while idle for 10 s: $((after - before)) clock ticks of $(getconf CLK_TCK)/s (goal 0)"
