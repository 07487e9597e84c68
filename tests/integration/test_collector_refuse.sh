#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Collector, hostile and broken clients: missing, self-signed, foreign-CA and
# disabled-device certificates; plain HTTP on the TLS port; oversized and
# malformed bodies; truncated handshakes; slow clients; the connection limit.
# After each, the service must still answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

S=$T/site
PORT=$(free_port)
URL=https://127.0.0.1:$PORT
CONF=$S/collector.conf
"$COLLECTOR" init "$S" --listen "127.0.0.1:$PORT" >/dev/null 2>&1
# Small limits so the test is quick.
sed -i 's/^listen = .*/&\nmax_connections = 8\nmax_body_size = 65536\nread_timeout = 1s\nidle_timeout = 3s/' "$CONF"
collector_up && ok "start with small limits" || { fail "start"; cat "$T"/collector.*.log; exit 1; }
CA=$S/ca.pem
enrol kiosk-1 "$T/k1" && ok "enrol kiosk-1" || fail "enrol kiosk-1"
MTLS=(--cacert "$CA" --cert "$T/k1.pem" --key "$T/k1.key")
batch 1 1 >"$T/b1"
check "enrolled device accepted" test "$(code "${MTLS[@]}" --data @"$T/b1" "$URL/api/v1/records")" = 200

check "no client certificate: 401 on device routes" \
	test "$(code --cacert "$CA" --data @"$T/b1" "$URL/api/v1/records")" = 401
check "the 401 is a JSON error" grep -q '"error":"a device client certificate is required"' "$T/body"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/self.key" \
	-subj /CN=kiosk-1 -days 2 -out "$T/self.pem" 2>/dev/null
check "self-signed certificate refused in the handshake" \
	test "$(code --cacert "$CA" --cert "$T/self.pem" --key "$T/self.key" "$URL/healthz")" = 000
check "service up" up

# Another site's CA: same subject name, different key.
"$COLLECTOR" init "$T/other" --listen 127.0.0.1:1 >/dev/null 2>&1
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/f.key" \
	-subj /CN=kiosk-1 -out "$T/f.csr" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' >"$T/ext"
openssl x509 -req -in "$T/f.csr" -CA "$T/other/ca.pem" -CAkey "$T/other/ca.key" -CAcreateserial \
	-days 2 -extfile "$T/ext" -out "$T/f.pem" 2>/dev/null
check "certificate from another CA refused" \
	test "$(code --cacert "$CA" --cert "$T/f.pem" --key "$T/f.key" "$URL/healthz")" = 000
check "service up" up

check "the server's own certificate (serverAuth) refused as a client's" \
	test "$(code --cacert "$CA" --cert "$S/server.pem" --key "$S/server.key" "$URL/healthz")" = 000

enrol kiosk-2 "$T/k2" && ok "enrol kiosk-2" || fail "enrol kiosk-2"
check "kiosk-2 accepted" test "$(code --cacert "$CA" --cert "$T/k2.pem" --key "$T/k2.key" \
	--data @"$T/b1" "$URL/api/v1/records")" = 200
check "device disable while running" "$COLLECTOR" --config "$CONF" device disable kiosk-2
check "disabled device's certificate refused" \
	test "$(code --cacert "$CA" --cert "$T/k2.pem" --key "$T/k2.key" "$URL/healthz")" = 000
check "disable of an unknown device fails" bash -c "! '$COLLECTOR' --config '$CONF' device disable nobody 2>/dev/null"
check "kiosk-1 still accepted" test "$(code "${MTLS[@]}" --data @"$T/b1" "$URL/api/v1/records")" = 200

check "plain HTTP on the TLS port gets no HTTP reply" \
	test "$(code "http://127.0.0.1:$PORT/healthz")" = 000
check "service up" up

head -c 100000 /dev/zero | tr '\0' a >"$T/big"
check "oversized body: 413 (body sent at once)" \
	test "$(code "${MTLS[@]}" -H 'Expect:' --data-binary @"$T/big" "$URL/api/v1/records")" = 413
check "the 413 is a JSON error" grep -q '"error":"request body too large"' "$T/body"
head -c 2000000 /dev/zero | tr '\0' a >"$T/bigger"
check "oversized body: 413 (Expect: 100-continue)" \
	test "$(code "${MTLS[@]}" --data-binary @"$T/bigger" "$URL/api/v1/records")" = 413
check "malformed JSON to enroll: 400" \
	test "$(code --cacert "$CA" --data '{"token":' "$URL/api/v1/enroll")" = 400
check "malformed batch: 400 naming the problem" bash -c \
	"[ \"\$(curl -s -o '$T/b400' -w '%{http_code}' ${MTLS[*]@Q} --data '{\"version\":1,\"records\":[{\"seq\":\"x\"}]}' '$URL/api/v1/records')\" = 400 ] && grep -q '\"error\":\"' '$T/b400'"
check "wrong method: 405" test "$(code --cacert "$CA" "$URL/api/v1/enroll")" = 405
check "huge header: 431" \
	test "$(code --cacert "$CA" -H "X-Pad: $(head -c 20000 /dev/zero | tr '\0' a)" "$URL/healthz")" = 431
check "service up" up

# Raw sockets: truncated handshake, a slow client, the connection limit.
check "truncated ClientHello, then hang up" python3 - "$PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(bytes.fromhex("160301020001000200"))  # a record header promising 512 bytes
s.close()
PY
check "slow client is cut off by the read timeout" python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(5)
t = time.time()
try:
    for _ in range(10):   # one byte of a handshake every 0.3 s
        s.sendall(b"\x16")
        time.sleep(0.3)
    data = s.recv(100)
except (ConnectionResetError, BrokenPipeError):
    data = b""
assert data == b"" and time.time() - t < 4.5, (data, time.time() - t)
PY
check "connections over the limit are closed at once" python3 - "$PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(8)]
time.sleep(0.2)
extra = socket.create_connection(("127.0.0.1", port))
extra.settimeout(0.8)   # well before the 1 s read timeout
try:
    assert extra.recv(1) == b""
except ConnectionResetError:
    pass
for s in held:
    s.close()
PY
sleep 0.3
check "service up after the limit" up
# idle_probe [CERTBASE]: seconds until the server closes an idle TLS connection.
idle_probe() {
	python3 - "$PORT" "$CA" "${1:-}" <<'PY'
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
if sys.argv[3]:
    ctx.load_cert_chain(sys.argv[3] + ".pem", sys.argv[3] + ".key")
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))),
                    server_hostname="localhost")
s.settimeout(8)
t = time.time()
try:
    data = s.recv(1)
except (ssl.SSLError, ConnectionResetError):
    data = b""
print("%.1f" % (time.time() - t) if data == b"" else "data")
PY
}
between() { # between LOW HIGH VALUE
	python3 -c 'import sys; assert float(sys.argv[1]) < float(sys.argv[3]) < float(sys.argv[2])' "$@"
}
check "a device's idle connection is held for idle_timeout (3 s)" between 2.5 6 "$(idle_probe "$T/k1")"
check "an anonymous idle connection only for read_timeout (1 s)" between 0.5 2.5 "$(idle_probe)"
check "metrics count refusals" bash -c \
	"curl -s --cacert '$CA' '$URL/metrics' | grep -Eq '^hadir_connections_rejected_total [1-9]' && curl -s --cacert '$CA' '$URL/metrics' | grep -Eq '^hadir_tls_handshake_failures_total [1-9]'"
check "process still the same one" kill -0 "$COLLECTOR_PID"
echo "1..$_tap_n"
