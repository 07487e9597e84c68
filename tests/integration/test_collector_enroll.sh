#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Collector, happy path with real clients: init, health and metrics, enrolment
# with a CSR from openssl req, mutual TLS, record ingest (idempotent), taps.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

S=$T/site
site_start "$S" && ok "init and start" || { fail "init and start"; cat "$T"/collector.*.log; exit 1; }
check "init printed the admin token once" test "$(grep -c '^admin token: ' "$S.init.out")" = 1
check "admin token is not stored in clear" bash -c "! grep -rqF -- '$ADMIN_TOKEN' '$S'"
check "keys are private" test "$(stat -c %a "$S/ca.key") $(stat -c %a "$S/server.key")" = "600 600"
check "--check-config" "$COLLECTOR" --config "$CONF" --check-config
chmod 0644 "$S/server.key"
refuses_open_key() {
	local out
	! out=$("$COLLECTOR" --config "$CONF" --check-config 2>&1) && grep -q 'readable by others' <<<"$out"
}
check "--check-config refuses a world-readable key" refuses_open_key
chmod 0600 "$S/server.key"
check "init refuses to overwrite" bash -c "! '$COLLECTOR' init '$S' 2>/dev/null"

CA=$S/ca.pem
check "healthz over TLS, server verified by ca.pem (IP SAN)" test "$(code --cacert "$CA" "$URL/healthz")" = 200
check "healthz by the name localhost (DNS SAN)" \
	test "$(code --cacert "$CA" "https://localhost:$PORT/healthz")" = 200
check "JSON replies carry server_time_usec" grep -q '"server_time_usec":[0-9]' "$T/body"
check "every reply carries X-Hadir-Time" bash -c \
	"curl -s -D - -o /dev/null --cacert '$CA' '$URL/nowhere' | grep -qi '^X-Hadir-Time: [0-9]'"
check "unknown route is 404 JSON" bash -c \
	"[ \"\$(curl -s -o '$T/b404' -w '%{http_code}' --cacert '$CA' '$URL/nowhere')\" = 404 ] && grep -q '\"error\"' '$T/b404'"
check "metrics in Prometheus text" bash -c \
	"curl -sf --cacert '$CA' '$URL/metrics' | grep -q '^hadir_http_request_duration_seconds_bucket{le=\"+Inf\"}'"

# TLS parameters, seen by openssl s_client.
check "TLS 1.2 with ECDHE-ECDSA AEAD" bash -c \
	"openssl s_client -connect 127.0.0.1:$PORT -CAfile '$CA' -tls1_2 </dev/null 2>/dev/null | grep -E 'Cipher is ECDHE-ECDSA-(AES(128|256)-GCM|CHACHA20-POLY1305)'"
check "TLS 1.1 refused" bash -c \
	"! openssl s_client -connect 127.0.0.1:$PORT -tls1_1 -cipher DEFAULT@SECLEVEL=0 </dev/null >/dev/null 2>&1"
check "non-ECDHE suite refused" bash -c \
	"! openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -cipher AES128-GCM-SHA256 </dev/null >/dev/null 2>&1"
openssl s_client -connect 127.0.0.1:$PORT -CAfile "$CA" -tls1_2 -sess_out "$T/sess" </dev/null >/dev/null 2>&1
check "session ticket resumes" bash -c \
	"openssl s_client -connect 127.0.0.1:$PORT -CAfile '$CA' -tls1_2 -sess_in '$T/sess' </dev/null 2>/dev/null | grep -q '^Reused'"

# Enrolment.
check "enrol kiosk-1 with openssl req and curl" enrol kiosk-1 "$T/k1"
check "issued certificate verifies against ca.pem" openssl verify -CAfile "$CA" "$T/k1.pem"
check "certificate names the device and is for clients" bash -c \
	"openssl x509 -in '$T/k1.pem' -noout -subject -ext extendedKeyUsage | tr -d ' ' | grep -q 'CN=kiosk-1' && openssl x509 -in '$T/k1.pem' -noout -ext extendedKeyUsage | grep -q 'Client Authentication'"
check "enrolment reply carries the CA" cmp -s <(json_field "$T/body" ca) <(cat "$CA"; echo)
check "Expect: 100-continue answered at once (no 1 s client wait)" python3 - "$URL" "$CA" <<'PY'
import json, subprocess, sys, time
url, ca = sys.argv[1], sys.argv[2]
body = json.dumps({"token": "t", "csr": "a" * 1500000})
t = time.time()
out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca,
                      "-H", "Expect: 100-continue", "--expect100-timeout", "5",
                      "--data-binary", "@-", url + "/api/v1/enroll"],
                     input=body, capture_output=True, text=True).stdout
assert out == "403" and time.time() - t < 3, (out, time.time() - t)
PY
check "the token works once" test "$(code --cacert "$CA" --data @"$T/k1.req" "$URL/api/v1/enroll")" = 403
check "a made-up token is refused" test "$(code --cacert "$CA" \
	--data '{"token":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","csr":"x"}' "$URL/api/v1/enroll")" = 403
check "device list shows it enrolled" bash -c "'$COLLECTOR' --config '$CONF' device list | grep -q '^kiosk-1 *enrolled'"
check "device list --json" bash -c "'$COLLECTOR' --config '$CONF' device list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[0][\"state\"]==\"enrolled\"'"

# Records over mutual TLS.
MTLS=(--cacert "$CA" --cert "$T/k1.pem" --key "$T/k1.key" -H 'Content-Type: application/json')
batch 1 3 >"$T/b13"
check "batch 1..3 stored" test "$(code "${MTLS[@]}" --data @"$T/b13" "$URL/api/v1/records")" = 200
check "ack is 3" test "$(json_field "$T/body" acked_seq)" = 3
cp "$T/body" "$T/ack1"
# post_ack FILE ACK STORED DUPLICATES ALERTS: POST a batch and check the reply.
post_ack() {
	[ "$(code "${MTLS[@]}" --data @"$1" "$URL/api/v1/records")" = 200 ] &&
		[ "$(json_field "$T/body" acked_seq)" = "$2" ] &&
		[ "$(json_field "$T/body" stored)" = "$3" ] &&
		[ "$(json_field "$T/body" duplicates)" = "$4" ] &&
		[ "$(json_field "$T/body" alerts)" = "$5" ]
}
check "resent batch: same ack, nothing new" post_ack "$T/b13" 3 0 3 0
batch 6 7 >"$T/b67"
check "a gap is stored, alerted and held back from the ack" post_ack "$T/b67" 3 2 0 1
batch 4 5 >"$T/b45"
check "filling the gap moves the ack to 7" bash -c \
	"curl -s ${MTLS[*]@Q} --data @'$T/b45' '$URL/api/v1/records' | grep -q '\"acked_seq\":7'"
batch 8 8 8 >"$T/b8"
check "a tampered record is stored with an alert" bash -c \
	"curl -s ${MTLS[*]@Q} --data @'$T/b8' '$URL/api/v1/records' | grep -q '\"acked_seq\":8,\"stored\":1,\"duplicates\":0,\"alerts\":1'"
check "alerts --json lists the gap and the edited record" bash -c \
	"'$COLLECTOR' --config '$CONF' alerts --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [(a[\"seq\"], a[\"kind\"]) for a in d]==[(6,\"gap\"),(8,\"link\")], d'"
check "metrics count records and alerts" bash -c \
	"curl -s --cacert '$CA' '$URL/metrics' | grep -q '^hadir_records_ingested_total 8' && curl -s --cacert '$CA' '$URL/metrics' | grep -q '^hadir_tamper_alerts_total 2'"

# Taps, from the command line (while the service runs) and over HTTP.
check "taps --json lists the 8 taps" bash -c \
	"'$COLLECTOR' --config '$CONF' taps --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==8 and d[0][\"device\"]==\"kiosk-1\" and d[0][\"seq\"]==1, d'"
check "taps --nip filters" bash -c \
	"'$COLLECTOR' --config '$CONF' taps --nip 199001012015011001 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [t[\"seq\"] for t in d]==[8], d'"
check "taps --from/--to by date" bash -c \
	"'$COLLECTOR' --config '$CONF' taps --from 2025-03-04 --to 2025-03-05 --json | python3 -c 'import json,sys; assert json.load(sys.stdin)==[]'"
check "GET /api/v1/taps needs the admin token" test "$(code --cacert "$CA" "$URL/api/v1/taps")" = 401
check "GET /api/v1/taps with the admin token" bash -c \
	"curl -sf --cacert '$CA' -H 'Authorization: Bearer $ADMIN_TOKEN' '$URL/api/v1/taps?nip=198501012010011001&from=2025-03-03&to=2025-03-03' | python3 -c 'import json,sys; assert len(json.load(sys.stdin)[\"taps\"])==7'"
check "keep-alive: two requests on one connection" bash -c \
	"curl -sv --cacert '$CA' '$URL/healthz' '$URL/healthz' 2>&1 | grep -q 'Re-using existing connection'"
check "no secrets in the log" bash -c "! grep -qF -- '$ADMIN_TOKEN' '$T'/collector.*.log"
kill -TERM "$COLLECTOR_PID"
check "SIGTERM stops the service cleanly" bash -c "for i in \$(seq 100); do kill -0 $COLLECTOR_PID 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
wait "$COLLECTOR_PID"
check "exit status 0" test $? = 0
forget_pid "$COLLECTOR_PID"
echo "1..$_tap_n"
