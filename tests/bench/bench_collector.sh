#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Collector: records/s ingested from 8 concurrent mutual-TLS clients sending
# batches of 500 over kept-alive connections, beside the raw SQLite
# batched-insert rate of the same rows on the same disk in the same run; and
# the collector's RSS with 1,000 idle TLS connections open.
#
# The clients, the collector and the raw insert share this machine's cores,
# so beside the wall-clock rates it prints CPU time per record (collector,
# clients, raw insert): the figure that does not depend on who else runs.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/collector.sh"

LOAD=$REPO/tests/helpers/loadgen.py
CLIENTS=${CLIENTS:-8}
BATCHES=${BATCHES:-20}
ulimit -n 8192 2>/dev/null

# cpu_ticks PID: user + system time of a process and of its main (event loop) thread, in clock ticks.
cpu_ticks() {
	awk '{printf "%d ", $14 + $15}' "/proc/$1/stat" "/proc/$1/task/$1/stat"
}

# rss_mb: the collector's resident set, in MB.
rss_mb() {
	awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$COLLECTOR_PID/status"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
site_start "$T/site" >/dev/null || { echo "collector did not start"; exit 1; }
pairs=()
for i in $(seq "$CLIENTS"); do
	enrol "load-$i" "$T/load-$i" || { echo "enrolment failed"; exit 1; }
	pairs+=("$T/load-$i.pem:$T/load-$i.key")
done
read -r c0 l0 < <(cpu_ticks "$COLLECTOR_PID")
w0=$(awk '/^wchar/ {print $2}' "/proc/$COLLECTOR_PID/io")
read -r n secs ccpu p50 p99 < <(python3 "$LOAD" ingest "$URL" "$T/site/ca.pem" "${pairs[@]}" \
	--batches "$BATCHES" --size 500)
read -r c1 l1 < <(cpu_ticks "$COLLECTOR_PID")
w1=$(awk '/^wchar/ {print $2}' "/proc/$COLLECTOR_PID/io")
read -r rn rsecs rcpu < <(python3 "$LOAD" rawsqlite "$T/raw.db" "$n" 500)
read -r xn xsecs xcpu < <(python3 "$LOAD" rawsqlite "$T/rawx.db" "$n" 500 --indexes)
python3 -c "
n, tick = $n, $(getconf CLK_TCK)
rate, raw, rawx = n / $secs, $rn / $rsecs, $xn / $xsecs
us = lambda s, k: s * 1e6 / k
print('ingest: %d records from $CLIENTS mTLS clients in batches of 500: %.0f records/s' % (n, rate))
print('  batch round trip: p50 %.1f ms, p99 %.1f ms' % ($p50, $p99))
print('raw SQLite batched insert of the same rows into the same table (the collector\\'s'
      ' schema and indexes), same disk: %.0f records/s, %.1f us CPU per record' % (rawx, us($xcpu, $xn)))
print('ratio: %.2f (goal >= 0.5)' % (rate / rawx))
print('  for scale: the same rows into a table with only its primary key: %.0f records/s'
      ' (ratio %.2f); the indexes reports and taps --nip need cost the rest' % (raw, rate / raw))
print('CPU per record: collector %.1f us (its event loop thread %.1f us), its clients %.1f us,'
      ' raw insert %.1f us' % (us(($c1 - $c0) / tick, n), us(($l1 - $l0) / tick, n),
      us($ccpu, n), us($xcpu, $xn)))
print('collector writes (database, WAL, sockets) per record: %.0f bytes' % (($w1 - $w0) / n))"

# Idle connections in two steps, to show the cost of one.
mkfifo "$T/hold"
exec 3<>"$T/hold"
rss0=$(rss_mb)
idle=()
for step in 1 2; do
	python3 "$LOAD" idle "$URL" "$T/site/ca.pem" "$T/load-1.pem" "$T/load-1.key" 500 \
		<"$T/hold" >"$T/idle.$step" &
	idle+=($!)
	wait_for 120 test -s "$T/idle.$step"
	sleep 1
	rss[$step]=$(rss_mb)
done
echo "collector RSS after the ingest: $rss0 MB; with 500 idle TLS connections: ${rss[1]} MB"
python3 -c "print('collector RSS with 1000 idle TLS connections: %s MB (goal < 64 MB), %.1f KB per connection' %
	('${rss[2]}', (${rss[2]} - $rss0) * 1024 / 1000))"
exec 3>&-
kill "${idle[@]}" 2>/dev/null
wait "${idle[@]}" 2>/dev/null || true # killed on purpose: not this bench's status
