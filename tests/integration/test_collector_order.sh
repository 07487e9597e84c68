#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Batches are decoded on a worker thread but stored in the order they came:
# pipelined batches on one connection, and devices posting at the same time,
# each get acknowledgements that advance exactly batch by batch, with no
# tamper alert (a batch stored before its predecessor would raise a "gap").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

site_start "$T/site" || { fail "collector site"; exit 1; }
for i in 1 2 3 4; do
	enrol "order-$i" "$T/o$i" || { fail "enrol order-$i"; exit 1; }
done

# post.py PORT CA MODE CERT:KEY...: MODE pipelined sends 4 batches of 100 on one
# connection before reading any reply; MODE parallel runs one connection per
# device, 5 batches of 100 each, all devices at once. Prints each device's acks.
cat >"$T/post.py" <<'PY'
import json, socket, ssl, sys, threading
sys.path.insert(0, sys.argv[1])
import loadgen
port, ca, mode, devices = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]

def request(body):
    return (b"POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

def replies(f, n):
    out = []
    for _ in range(n):
        status, length = f.readline().split()[1], 0
        for line in iter(f.readline, b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        out.append((int(status), json.loads(f.read(length))))
    return out

def device(pair, batches, pipelined, acks):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.load_cert_chain(*pair.split(":"))
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
    f = s.makefile("rb")
    recs = loadgen.chain(batches * 100)
    bodies = [json.dumps({"version": 1, "records": recs[i * 100:(i + 1) * 100]}).encode()
              for i in range(batches)]
    if pipelined:
        s.sendall(b"".join(request(b) for b in bodies))
        got = replies(f, batches)
    else:
        got = []
        for b in bodies:
            s.sendall(request(b))
            got += replies(f, 1)
    acks[pair] = [(st, r.get("acked_seq"), r.get("alerts")) for st, r in got]

acks = {}
if mode == "pipelined":
    device(devices[0], 4, True, acks)
else:
    ts = [threading.Thread(target=device, args=(d, 5, False, acks)) for d in devices]
    [t.start() for t in ts]
    [t.join() for t in ts]
for d in devices:
    print(" ".join("%s:%s:%s" % a for a in acks[d]))
PY

python3 "$T/post.py" "$REPO/tests/helpers" "$PORT" "$T/site/ca.pem" pipelined \
	"$T/o1.pem:$T/o1.key" >"$T/pipelined" 2>&1
check "4 pipelined batches on one connection: acknowledged in order" \
	test "$(cat "$T/pipelined")" = "200:100:0 200:200:0 200:300:0 200:400:0"
python3 "$T/post.py" "$REPO/tests/helpers" "$PORT" "$T/site/ca.pem" parallel \
	"$T/o2.pem:$T/o2.key" "$T/o3.pem:$T/o3.key" "$T/o4.pem:$T/o4.key" >"$T/parallel" 2>&1
check "3 devices at once: each device's acknowledgements advance batch by batch" \
	test "$(sort -u "$T/parallel")" = "200:100:0 200:200:0 200:300:0 200:400:0 200:500:0"
check "3 devices at once: a line of acknowledgements each" test "$(wc -l <"$T/parallel")" = 3
check "every record stored once" bash -c "'$COLLECTOR' --config '$CONF' taps --json |
	python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 400 + 3 * 500'"
check "no tamper alerts" bash -c "[ \"\$('$COLLECTOR' --config '$CONF' alerts --json)\" = '[]' ]"
