#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dashboard's two heavy pages over HTTP: 100,000 staff in 500 units with September 2025's
# taps (tests/helpers/bench_site.py, as bench_report.sh), unit U000 holding 2,000 of them.
# Prints the server time of GET /api/v1/overview cold (empty cache) and warm (median of
# several; goal < 300 ms), after one new tap (one unit evaluated again), for a supervisor
# of nine (never cached: evaluated afresh each time), of the whole
# discipline report the overview page used to download instead, and of the unit page's
# request for the 2,000-employee unit. Server time: from sending the request to the last
# byte of the answer, on a connection already open. STAFF=N, UNITS=N, BIG=N for other sizes.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/collector.sh"

STAFF=${STAFF:-100000}
UNITS=${UNITS:-500}
BIG=${BIG:-2000}
site_start "$T/site" >/dev/null || {
	echo "collector did not start"
	exit 1
}
python3 "$REPO/tests/helpers/bench_site.py" "$T" "$STAFF" "$UNITS" "$BIG"
for kind in units staff taps; do
	"$COLLECTOR" --config "$CONF" import $kind "$T/$kind.csv" >/dev/null || {
		echo "import $kind failed"
		exit 1
	}
done
printf 'nip,time\n19%016d,2025-09-30T07:05:00+07:00\n' $((STAFF - 1)) >"$T/tap.csv"
# The first person of U000 supervises the next nine (bench_site.py).
SUPERVISOR=$("$COLLECTOR" --config "$CONF" token add --role supervisor --nip 190000000000000000 |
	tail -n 1)

python3 - "$URL" "$T/site/ca.pem" "$ADMIN_TOKEN" "$STAFF" "$UNITS" "$BIG" "$COLLECTOR" "$CONF" "$T/tap.csv" \
	"$SUPERVISOR" <<'PY'
import http.client, json, ssl, statistics, subprocess, sys, time
url, ca, token, staff, units, big, collector, conf, tap, supervisor = sys.argv[1:]
host, port = url.split("//")[1].split(":")
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = False
conn = http.client.HTTPSConnection(host, int(port), context=ctx, timeout=300)
conn.connect()
PERIOD = "from=2025-09-01&to=2025-09-30"

def get(path, bearer=token):
    t = time.monotonic()
    conn.request("GET", path, headers={"Authorization": "Bearer " + bearer})
    r = conn.getresponse()
    body = r.read()
    secs = time.monotonic() - t
    assert r.status == 200, (path, r.status, body[:200])
    return secs, body

def ms(secs):
    return "%.0f ms" % (secs * 1000)

overview = "/api/v1/overview?" + PERIOD
cold, body = get(overview)
j = json.loads(body)
print("overview: %s staff in %d units, September 2025: %d KB" % (staff, len(j["units"]), len(body) // 1024))
print("  cold (every unit evaluated): %s" % ms(cold))
warm = [get(overview)[0] for _ in range(7)]
print("  warm (from the cache): median %s of %d, slowest %s (goal: < 300 ms)" %
      (ms(statistics.median(warm)), len(warm), ms(max(warm))))
subprocess.run([collector, "--config", conf, "import", "taps", tap], check=True,
               stdout=subprocess.DEVNULL)
after, _ = get(overview)
print("  after a new tap (its unit evaluated again): %s" % ms(after))
times = []
for _ in range(3):
    secs, body = get(overview, supervisor)
    times.append(secs)
people = sum(u["staff"] for u in json.loads(body)["units"])
print("  a supervisor's (%d people, evaluated afresh each time): median %s of %d" %
      (people, ms(statistics.median(times)), len(times)))
whole, body = get("/api/v1/reports/discipline?" + PERIOD)
print("the whole discipline report (what the overview page downloaded before): %s, %d KB" %
      (ms(whole), len(body) // 1024))
unit = "/api/v1/reports/discipline?unit=U000&" + PERIOD
times = []
for _ in range(3):
    secs, body = get(unit)
    times.append(secs)
n = len(json.loads(body)["employees"])
print("unit page (GET /api/v1/reports/discipline?unit=U000): %d employees, median %s of %d, %d KB" %
      (n, ms(statistics.median(times)), len(times), len(body) // 1024))
PY
