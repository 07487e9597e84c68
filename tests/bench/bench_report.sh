#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Discipline report: 100,000 staff in 500 units (WIB/WITA/WIT, both profiles)
# with two taps on each of the 22 working days of September 2025, imported
# from CSV beforehand. Prints the time to import the taps, the time and peak
# RSS of `report discipline` as JSON and as XLSX (goal: JSON < 2 s, < 1 GB; the
# workbook has a summary sheet, a sheet per unit and the period sheet), of `report units`,
# and the slowest /healthz answer while the same report runs over HTTP (the
# worker thread keeps the event loop free). STAFF=N for a smaller run.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/collector.sh"

STAFF=${STAFF:-100000}
UNITS=${UNITS:-500}
site_start "$T/site" >/dev/null || {
	echo "collector did not start"
	exit 1
}

python3 "$REPO/tests/helpers/bench_site.py" "$T" "$STAFF" "$UNITS"
for kind in units staff; do
	"$COLLECTOR" --config "$CONF" import $kind "$T/$kind.csv" >/dev/null || {
		echo "import $kind failed"
		exit 1
	}
done
taps=$(($(wc -l <"$T/taps.csv") - 1))
start=$(date +%s.%N)
"$COLLECTOR" --config "$CONF" import taps "$T/taps.csv" >/dev/null || {
	echo "import taps failed"
	exit 1
}
end=$(date +%s.%N)
echo "import: $taps taps from CSV in $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"

# report KIND FORMAT [NOTE]: time, CPU time and peak RSS of one CLI report.
report() {
	/usr/bin/time -f '%e %U %S %M' -o "$T/time.$1.$2" "$COLLECTOR" --config "$CONF" report "$1" \
		--from 2025-09-01 --to 2025-09-30 --format "$2" --output "$T/$1.$2" || return 1
	read -r secs user sys kb <"$T/time.$1.$2"
	echo "report $1 --format $2: $STAFF staff, $UNITS units, September 2025:" \
		"${secs} s ($(awk "BEGIN { print $user + $sys }") s CPU), peak RSS $((kb / 1024)) MB," \
		"$(($(stat -c %s "$T/$1.$2") / 1024)) KB${3:-}"
}
report discipline json " (goal: < 2 s, < 1024 MB)"
report units json " (the same evaluation, one summary per unit)"
report discipline xlsx
echo "  the workbook: $(python3 -c 'import sys, zipfile; print(sum(n.startswith("xl/worksheets/sheet") for n in zipfile.ZipFile(sys.argv[1]).namelist()))' "$T/discipline.xlsx") sheets"

# The same report over HTTP while /healthz is asked every 20 ms: the loop stays free.
python3 - "$URL" "$T/site/ca.pem" "$ADMIN_TOKEN" <<'PY'
import http.client, ssl, sys, threading, time
url, ca, token = sys.argv[1:]
host, port = url.split("//")[1].split(":")
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = False
def get(path, headers={}):
    c = http.client.HTTPSConnection(host, int(port), context=ctx, timeout=120)
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body
done = threading.Event()
out = {}
def report():
    t = time.monotonic()
    out["status"], body = get("/api/v1/reports/discipline?from=2025-09-01&to=2025-09-30",
                              {"Authorization": "Bearer " + token})
    out["secs"], out["bytes"] = time.monotonic() - t, len(body)
    done.set()
th = threading.Thread(target=report)
th.start()
worst, n = 0.0, 0
while not done.is_set():
    t = time.monotonic()
    get("/healthz")
    worst, n = max(worst, time.monotonic() - t), n + 1
    time.sleep(0.02)
th.join()
print("HTTP report (json): status %d, %.2f s, %d KB; meanwhile %d /healthz answers,"
      " slowest %.0f ms" % (out["status"], out["secs"], out["bytes"] // 1024, n, worst * 1000))
PY
