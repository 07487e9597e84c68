#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kiosk screen: tap-to-durable latency with the screen serving two event streams
# (the door must not wait for the screen) beside the same kiosk without a screen;
# the time from a tap to its state arriving on an event stream; activity POSTs
# (validated, encoded, committed into the chain) per second.
. "$(dirname "$0")/../integration/lib.sh"

TAPS=${TAPS:-1000}
POSTS=${POSTS:-300}
SIM=$REPO/tests/helpers/simclient.py
K=$T/k
PORT=$(free_port)
"$KIOSK" init "$K" --board sim >/dev/null
sed -i 's/^debounce = .*/debounce = 0s/' "$K/kiosk.conf"
python3 -c "
print('nip,name,unit_id,card,fingerprint_id')
for i in range(200): print(f'{1000 + i},Orang {i},U1,{100 + i},')" >"$T/r.csv"
"$KIOSK" roster import "$T/r.csv" --config "$K/kiosk.conf" >/dev/null

# latency LABEL: start the kiosk, TAPS taps one at a time, stop it.
latency() {
	local pid
	HADIR_LOG_LEVEL=warn start_bg "$T/k.log" "$KIOSK" --config "$K/kiosk.conf"
	pid=$!
	wait_for 10 python3 "$SIM" "$K/sim.sock" ping
	if [ "$1" = screen ]; then
		wait_for 5 curl -sf "http://127.0.0.1:$PORT/api/state"
		timeout 600 curl -sN "http://127.0.0.1:$PORT/api/events" >/dev/null &
		timeout 600 curl -sN "http://127.0.0.1:$PORT/api/events" >/dev/null &
		sleep 0.3
	fi
	read -r n p50 p99 < <(python3 "$SIM" "$K/sim.sock" --latency "$TAPS" --card 100 --cards 200)
	echo "tap-to-durable, $1: p50 ${p50} us, p99 ${p99} us over $n taps"
	[ "$1" = screen ] || { kill -TERM "$pid"; wait "$pid" 2>/dev/null; forget_pid "$pid"; }
}

latency "no screen"
printf '\n[ui]\nlisten = 127.0.0.1:%s\nroot = %s/firmware/ui\nsession_idle = 1h\n' "$PORT" "$REPO" >>"$K/kiosk.conf"
latency screen

python3 - "$PORT" "$SIM" "$K/sim.sock" "$POSTS" <<'PY'
import http.client, json, socket, subprocess, sys, time
port, sim, sock, posts = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
# Tap to state on the event stream.
ev = socket.create_connection(("127.0.0.1", port))
ev.sendall(b"GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n")
ev.settimeout(5)
buf = b""
while buf.count(b"\n\n") < 2:  # headers' retry line, then the first state
    buf += ev.recv(65536)
tapper = socket.socket(socket.AF_UNIX)
tapper.connect(sock)
lat = []
for i in range(50):
    t0 = time.perf_counter()
    tapper.sendall(b"card %d\n" % (100 + i))
    buf = b""
    while b'"name":"Orang %d"' % i not in buf:
        buf += ev.recv(65536)
    lat.append((time.perf_counter() - t0) * 1e3)
lat.sort()
print("tap to its state on an event stream: p50 %.1f ms, max %.1f ms over 50 taps"
      % (lat[len(lat) // 2], lat[-1]))
state = json.loads(subprocess.run(["curl", "-s", "http://127.0.0.1:%d/api/state" % port],
                                  capture_output=True).stdout)
token = state["session"]["token"]
c = http.client.HTTPConnection("127.0.0.1", port)
body = json.dumps({"description": "Rapat koordinasi", "quantity": 1, "unit": "kegiatan",
                   "start": "08:00", "end": "09:00"})
t0 = time.perf_counter()
ok = 0
for i in range(posts):
    if i and i % 100 == 0:  # a person-day holds 128 records: the next person
        subprocess.run([sys.executable, sim, sock, "card %d" % (150 + i // 100)], capture_output=True)
        time.sleep(0.05)
        token = json.loads(subprocess.run(["curl", "-s", "http://127.0.0.1:%d/api/state" % port],
                                          capture_output=True).stdout)["session"]["token"]
    c.request("POST", "/api/activities", body, {"Authorization": "Bearer " + token})
    r = c.getresponse()
    r.read()
    ok += r.status == 201
dt = time.perf_counter() - t0
print("activity entries: %d of %d committed, %.0f per second (one connection)" % (ok, posts, posts / dt))
PY
