# SPDX-License-Identifier: MIT
# Helpers for the collector's integration tests; source after lib.sh.
# Real clients only: curl with --cert/--key/--cacert, openssl req / s_client.

# site_start DIR: init a site on a free port in DIR and run the collector.
# Sets PORT, URL, CONF, ADMIN_TOKEN and COLLECTOR_PID.
site_start() {
	local dir=$1
	PORT=$(free_port)
	URL=https://127.0.0.1:$PORT
	CONF=$dir/collector.conf
	"$COLLECTOR" init "$dir" --listen "127.0.0.1:$PORT" >"$dir.init.out" 2>&1 || return 1
	ADMIN_TOKEN=$(sed -n 's/^admin token: //p' "$dir.init.out")
	collector_up
}

# collector_up: (re)start the collector on $CONF and wait for /healthz.
collector_up() {
	start_bg "$T/collector.$PORT.log" env HADIR_LOG_LEVEL=debug "$COLLECTOR" --config "$CONF"
	COLLECTOR_PID=$!
	wait_for 10 curl -sf --cacert "$(dirname "$CONF")/ca.pem" "$URL/healthz"
}

# code ARGS...: curl, printing only the HTTP status (000 when no reply); body in $T/body.
code() {
	curl -s -o "$T/body" -w '%{http_code}' --max-time 10 "$@"
}

# enrol NAME KEYBASE [OPTION...]: device add NAME [OPTION...] (e.g. --unit U1), a CSR
# from openssl req, POST /api/v1/enroll. Leaves KEYBASE.key and KEYBASE.pem (the certificate).
enrol() {
	local name=$1 base=$2 token
	shift 2
	token=$("$COLLECTOR" --config "$CONF" device add "$name" "$@" | tail -n 1) || return 1
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$base.key" \
		-subj "/CN=$name" -out "$base.csr" 2>/dev/null || return 1
	python3 -c 'import json,sys; print(json.dumps({"token": sys.argv[1], "csr": open(sys.argv[2]).read()}))' \
		"$token" "$base.csr" >"$base.req"
	[ "$(code --cacert "$(dirname "$CONF")/ca.pem" -H 'Content-Type: application/json' \
		--data @"$base.req" "$URL/api/v1/enroll")" = 200 ] || return 1
	python3 -c 'import json,sys; open(sys.argv[2], "w").write(json.load(open(sys.argv[1]))["certificate"])' \
		"$T/body" "$base.pem"
}

# batch FROM TO [TAMPER_SEQ]: a JSON batch of records FROM..TO of one hash chain
# (canonical bytes as in common/record.h); TAMPER_SEQ gets its NIP edited after sealing.
# Taps of BATCH_NIP (default 198501012010011001), the first at BATCH_WALL_USEC + BATCH_STEP_USEC,
# then one every BATCH_STEP_USEC (default a minute), direction BATCH_DIRECTION (default in).
batch() {
	BATCH_NIP=${BATCH_NIP:-198501012010011001} BATCH_WALL_USEC=${BATCH_WALL_USEC:-1740962460000000} \
	BATCH_STEP_USEC=${BATCH_STEP_USEC:-60000000} BATCH_DIRECTION=${BATCH_DIRECTION-in} \
	python3 - "$REPO/tests/helpers" "$@" <<'PY'
import json, os, sys
sys.path.insert(0, sys.argv[1])
import records
lo, hi = int(sys.argv[2]), int(sys.argv[3])
tamper = int(sys.argv[4]) if len(sys.argv) > 4 else -1
nip, wall = os.environ["BATCH_NIP"], int(os.environ["BATCH_WALL_USEC"])
step, direction = int(os.environ["BATCH_STEP_USEC"]), os.environ["BATCH_DIRECTION"]
recs = records.seal([dict(seq=seq, kind="tap", wall_usec=wall + seq * step,
                          boot_usec=1000000 + seq * step, boot_id=records.BOOT,
                          clock_trusted=True, credential="card:42", nip=nip,
                          outcome="accepted", reason="", direction=direction, payload="")
                     for seq in range(1, hi + 1)])
for r in recs:
    if r["seq"] == tamper:
        r["nip"] = "199001012015011001"
print(json.dumps({"version": 1, "records": [r for r in recs if r["seq"] >= lo]}))
PY
}

# json_field FILE KEY: a top-level value of a JSON object.
json_field() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# json_get FILE EXPR: a value from a JSON file, by a Python expression on j.
json_get() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# up: the service still answers.
up() {
	[ "$(code --cacert "$(dirname "$CONF")/ca.pem" "$URL/healthz")" = 200 ]
}
