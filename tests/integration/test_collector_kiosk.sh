#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kiosk and collector together: hadir-kiosk enrols with a token from
# `device add`, taps on the sim board reach the collector over mutual TLS,
# and the collector's acknowledgement empties the kiosk's outbox.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector.sh"

S=$T/site
site_start "$S" && ok "collector up" || { fail "collector up"; exit 1; }
K=$T/kiosk
KCONF=$K/kiosk.conf
SIM=$REPO/tests/helpers/simclient.py
check "kiosk init" "$KIOSK" init "$K" --board sim
NAME=$(sed -n 's/^name *= *//p' "$KCONF")
TOKEN=$("$COLLECTOR" --config "$CONF" device add "$NAME" | tail -n 1)
check "hadir-kiosk enroll with the token" "$KIOSK" enroll --url "$URL" --token "$TOKEN" \
	--ca "$S/ca.pem" --config "$KCONF"
check "collector lists the kiosk as enrolled" bash -c \
	"'$COLLECTOR' --config '$CONF' device list | grep -q '^$NAME *enrolled'"
printf 'nip,name,unit_id,card,fingerprint_id\n198501012010011001,Budi,U1,8065495,7\n' >"$T/r.csv"
check "roster import" "$KIOSK" roster import "$T/r.csv" --config "$KCONF"
start_bg "$T/kiosk.log" "$KIOSK" --config "$KCONF"
check "kiosk daemon up" wait_for 10 python3 "$SIM" "$K/sim.sock" ping
check "tap accepted" test "$(python3 "$SIM" "$K/sim.sock" "card 8065495")" = \
	"accepted 198501012010011001 1"
check "unknown card recorded" test "$(python3 "$SIM" "$K/sim.sock" "card 4242")" = "unknown 4242"
check "both taps reach the collector" wait_for 20 bash -c \
	"'$COLLECTOR' --config '$CONF' taps --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [(t[\"seq\"], t[\"outcome\"]) for t in d]==[(1,\"accepted\"),(2,\"unknown\")]'"
check "acknowledged up to 2, no tamper alerts" bash -c \
	"'$COLLECTOR' --config '$CONF' device list --json | python3 -c 'import json,sys; assert json.load(sys.stdin)[0][\"acked_seq\"]==2' && [ \"\$('$COLLECTOR' --config '$CONF' alerts --json)\" = '[]' ]"
echo "1..$_tap_n"
