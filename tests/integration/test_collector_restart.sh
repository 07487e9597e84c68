#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Collector durability and capacity: records acknowledged before a kill -9
# are there after a restart, resending them is harmless, and hundreds of idle
# TLS connections do not keep the service from answering.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

S=$T/site
site_start "$S" && ok "init and start" || { fail "init and start"; cat "$T"/collector.*.log; exit 1; }
CA=$S/ca.pem
enrol kiosk-1 "$T/k1" && ok "enrol kiosk-1" || fail "enrol kiosk-1"
MTLS=(--cacert "$CA" --cert "$T/k1.pem" --key "$T/k1.key")
batch 1 3 >"$T/b13"
check "batch 1..3 acknowledged" bash -c \
	"curl -s ${MTLS[*]@Q} --data @'$T/b13' '$URL/api/v1/records' | grep -q '\"acked_seq\":3'"

exec 3>&2 2>/dev/null # bash reports the killed job on stderr
kill -KILL "$COLLECTOR_PID"
wait "$COLLECTOR_PID"
exec 2>&3 3>&-
forget_pid "$COLLECTOR_PID"
check "device list works while the service is down" bash -c \
	"'$COLLECTOR' --config '$CONF' device list | grep -q kiosk-1"
collector_up && ok "restart after kill -9" || fail "restart after kill -9"
batch 1 5 >"$T/b15"
check "acknowledged records survived; resend stores only the new ones" bash -c \
	"curl -s ${MTLS[*]@Q} --data @'$T/b15' '$URL/api/v1/records' | grep -q '\"acked_seq\":5,\"stored\":2,\"duplicates\":3,\"alerts\":0'"
check "the device's certificate still works after the restart" \
	test "$(code "${MTLS[@]}" "$URL/healthz")" = 200
check "taps lists 5" bash -c \
	"'$COLLECTOR' --config '$CONF' taps --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin))==5'"

check "300 idle TLS connections held, service answers" python3 - "$PORT" "$CA" <<'PY'
import socket, ssl, subprocess, sys, time
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
held = []
for _ in range(300):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
    held.append(s)
t = time.time()
out = subprocess.run(["curl", "-sf", "--cacert", ca, "https://127.0.0.1:%d/metrics" % port],
                     capture_output=True, text=True, check=True).stdout
assert time.time() - t < 2, time.time() - t
open_now = [l for l in out.splitlines() if l.startswith("hadir_connections_open ")][0]
assert int(open_now.split()[1]) >= 300, open_now
for s in held:
    s.close()
PY

# SIGTERM with a request in flight: the request is answered, then the service exits.
check "SIGTERM answers the request in flight" python3 - "$PORT" "$CA" "$COLLECTOR_PID" <<'PY'
import os, signal, socket, ssl, sys, time
port, ca, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
ctx = ssl.create_default_context(cafile=ca)
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")   # headers not finished yet
time.sleep(0.2)
os.kill(pid, signal.SIGTERM)
time.sleep(0.2)
s.sendall(b"\r\n")
reply = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    reply += chunk
assert reply.startswith(b"HTTP/1.1 200"), reply
assert b"Connection: close" in reply, reply
PY
check "and then exits" bash -c "for i in \$(seq 100); do kill -0 $COLLECTOR_PID 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
forget_pid "$COLLECTOR_PID"

# sd_notify: READY=1 once listening, STOPPING=1 on SIGTERM (Type=notify in the unit).
start_bg "$T/notify.out" python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
while True:
    print(s.recv(4096).decode(), flush=True)
' "$T/notify.sock"
wait_for 5 test -S "$T/notify.sock"
start_bg "$T/collector.notify.log" env NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=400000 \
	"$COLLECTOR" --config "$CONF"
COLLECTOR_PID=$!
check "READY=1 sent to NOTIFY_SOCKET" wait_for 10 grep -q '^READY=1' "$T/notify.out"
check "WATCHDOG=1 keep-alives when WATCHDOG_USEC is set" wait_for 10 \
	bash -c "[ \$(grep -c '^WATCHDOG=1' '$T/notify.out') -ge 2 ]"
kill -TERM "$COLLECTOR_PID"
check "STOPPING=1 on SIGTERM" wait_for 10 grep -q '^STOPPING=1' "$T/notify.out"
echo "1..$_tap_n"
