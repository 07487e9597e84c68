#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Several kiosks posting at once: their batches share group commits, every
# one is acknowledged and stored once, and a resend of everything changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

LOAD=$REPO/tests/helpers/loadgen.py
site_start "$T/site" || { fail "collector site"; exit 1; }
pairs=()
for i in 1 2 3 4; do
	enrol "group-$i" "$T/g$i" || { fail "enrol group-$i"; exit 1; }
	pairs+=("$T/g$i.pem:$T/g$i.key")
done
count() {
	"$COLLECTOR" --config "$CONF" taps --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
check "4 concurrent clients, 5 batches of 100 each, all acknowledged" \
	python3 "$LOAD" ingest "$URL" "$T/site/ca.pem" "${pairs[@]}" --batches 5 --size 100
check "every record stored once" test "$(count)" = 2000
check "the same load again is all duplicates" \
	python3 "$LOAD" ingest "$URL" "$T/site/ca.pem" "${pairs[@]}" --batches 5 --size 100
check "still every record once" test "$(count)" = 2000
check "no tamper alerts" bash -c "[ \"\$('$COLLECTOR' --config '$CONF' alerts --json)\" = '[]' ]"
check "acknowledged sequence per device" bash -c "'$COLLECTOR' --config '$CONF' device list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get(\"devices\",d) if isinstance(d,dict) else d; assert all(x[\"acked_seq\"]==500 for x in d), d'"
