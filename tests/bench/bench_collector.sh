#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Collector: records/s ingested from 8 concurrent mutual-TLS clients sending
# batches of 500 over kept-alive connections, beside the raw SQLite
# batched-insert rate of the same rows on the same disk in the same run; and
# the collector's RSS with 1,000 idle TLS connections open.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/collector.sh"

LOAD=$REPO/tests/helpers/loadgen.py
CLIENTS=${CLIENTS:-8}
BATCHES=${BATCHES:-20}
ulimit -n 8192 2>/dev/null
site_start "$T/site" >/dev/null || { echo "collector did not start"; exit 1; }
pairs=()
for i in $(seq "$CLIENTS"); do
	enrol "load-$i" "$T/load-$i" || { echo "enrolment failed"; exit 1; }
	pairs+=("$T/load-$i.pem:$T/load-$i.key")
done
read -r n secs < <(python3 "$LOAD" ingest "$URL" "$T/site/ca.pem" "${pairs[@]}" --batches "$BATCHES" --size 500)
read -r rn rsecs < <(python3 "$LOAD" rawsqlite "$T/raw.db" "$n" 500)
python3 -c "
rate = $n / $secs; raw = $rn / $rsecs
print('ingest: %d records from $CLIENTS mTLS clients in batches of 500: %.0f records/s' % ($n, rate))
print('raw SQLite batched insert of the same rows, same disk: %.0f records/s' % raw)
print('ratio: %.2f (goal >= 0.5)' % (rate / raw))"

mkfifo "$T/hold"
python3 "$LOAD" idle "$URL" "$T/site/ca.pem" "$T/load-1.pem" "$T/load-1.key" 1000 <"$T/hold" >"$T/idle.out" &
IDLE=$!
exec 3>"$T/hold"
wait_for 120 test -s "$T/idle.out"
sleep 1
rss=$(awk '/VmRSS/ {print $2}' "/proc/$COLLECTOR_PID/status")
echo "collector RSS with $(cat "$T/idle.out") idle TLS connections: $((rss / 1024)) MB (goal < 64 MB)"
exec 3>&-
wait "$IDLE" 2>/dev/null
