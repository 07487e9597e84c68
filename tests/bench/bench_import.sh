#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Collector import: 100,000 staff (two credentials each) and 1,000,000 taps
# from CSV into a running site, each one transaction; rows/s and the peak RSS
# of the import process (/usr/bin/time -v), then the taps file again (all
# skipped as already stored); and the time to serve the roster of all
# 100,000 to a kiosk without units. Figures only; no pass or fail.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/collector.sh"

STAFF=${STAFF:-100000}
TAPS=${TAPS:-1000000}
site_start "$T/site" >/dev/null || { echo "collector did not start"; exit 1; }
enrol k "$T/k" || { echo "enrolment failed"; exit 1; }

python3 - "$T" "$STAFF" "$TAPS" <<'PY'
import sys
d, n_staff, n_taps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(d + "/units.csv", "w") as f:
    f.write("unit_id,name,timezone,profile\n")
    for u in range(100):
        f.write("U%03d,Unit %d,Asia/Jakarta,default\n" % (u, u))
nip = lambda i: "19%016d" % i
with open(d + "/staff.csv", "w") as f:
    f.write("nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n")
    for i in range(n_staff):
        boss = nip(i - i % 50) if i % 50 else ""
        finger = str(i) if i <= 65535 else ""
        f.write("%s,Pegawai %d,U%03d,%d,%s,4500000,%s\n" % (nip(i), i, i % 100, 1000000 + i, finger, boss))
        f.write("%s,Pegawai %d,U%03d,%d,,4500000,%s\n" % (nip(i), i, i % 100, 9000000 + i, boss))
with open(d + "/taps.csv", "w") as f:
    f.write("nip,time\n")
    for i in range(n_taps):
        day, k = divmod(i, 2 * 5000)
        f.write("%s,2026-%02d-%02dT%s:%02d:%02d+07:00\n" % (nip(k // 2), 1 + day // 28 % 12, 1 + day % 28,
                "07" if k % 2 == 0 else "16", k // 60 % 60, k % 60))
PY

# measure KIND FILE ROWS LABEL: import, then print rows/s and the peak RSS.
measure() {
	local kind=$1 file=$2 rows=$3 label=$4 out secs rss
	out=$( { /usr/bin/time -v "$COLLECTOR" --config "$CONF" import "$kind" "$file" >"$T/summary"; } 2>&1)
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' <<<"$out" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' <<<"$out")
	python3 -c "print('import %-8s %9d rows in %6.2f s: %9.0f rows/s, peak RSS %.1f MB  (%s)' % ('$kind', $rows, $secs, $rows / max($secs, 0.001), $rss / 1024, '$label'))"
	echo "  $(cat "$T/summary")"
}

"$COLLECTOR" --config "$CONF" import units "$T/units.csv" >/dev/null
measure staff "$T/staff.csv" $((STAFF * 2)) "$STAFF people, 2 cards each, supervisors"
measure taps "$T/taps.csv" "$TAPS" "new"
measure taps "$T/taps.csv" "$TAPS" "again: every row already stored"
curl -s -o "$T/roster.json" -w '%{http_code} %{time_total} %{size_download}\n' --cacert "$T/site/ca.pem" \
	--cert "$T/k.pem" --key "$T/k.key" "$URL/api/v1/roster" >"$T/roster.out" &
ROSTER=$!
# Meanwhile /healthz every 20 ms: the roster is built on the worker thread, not the loop.
: >"$T/healthz.times"
while kill -0 "$ROSTER" 2>/dev/null; do
	curl -s -o /dev/null -w '%{time_total}\n' --cacert "$T/site/ca.pem" "$URL/healthz" >>"$T/healthz.times"
	sleep 0.02
done
wait "$ROSTER"
read -r code secs bytes <"$T/roster.out"
python3 -c "print('roster of all %d staff: HTTP $code, %.1f MB in %.2f s' % ($STAFF, $bytes / 1e6, $secs))"
awk '$1 > w {w = $1} END {printf "  meanwhile %d /healthz answers, slowest %.0f ms\n", NR, w * 1000}' "$T/healthz.times"
echo "database: $(du -h "$T/site/collector.db" | cut -f1)"
