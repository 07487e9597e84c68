#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Load for the collector benchmark (real TLS clients, Python's ssl module).

  loadgen.py ingest URL CA CLIENTS... --batches N --size S
      CLIENTS are CERT:KEY pairs, one per device; each client sends N batches
      of S records of its own hash chain over one kept-alive connection, all
      clients at once (one process each). Prints "records seconds".
  loadgen.py rawsqlite FILE RECORDS SIZE
      the same rows inserted straight into SQLite (WAL, synchronous=FULL) in
      transactions of SIZE rows. Prints "records seconds".
  loadgen.py idle URL CA CERT KEY N
      opens N TLS connections and keeps them idle until stdin closes.
"""
import http.client
import json
import multiprocessing
import resource
import socket
import sqlite3
import ssl
import sys
import time
import urllib.parse

import records  # tests/helpers/records.py: the chain's canonical bytes

BOOT = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def chain(n):
    return records.seal([
        dict(seq=seq, kind="tap", wall_usec=1740962460000000 + seq * 1000000,
             boot_usec=1000000 + seq * 1000000, boot_id=BOOT, clock_trusted=True,
             credential=str(8000000 + seq % 500), nip="1985%014d" % (seq % 500),
             outcome="accepted", reason="", direction="", payload="")
        for seq in range(1, n + 1)])


def context(ca, cert=None, key=None):
    ctx = ssl.create_default_context(cafile=ca)
    if cert:
        ctx.load_cert_chain(cert, key)
    return ctx


def one_client(args):
    url, ca, cert, key, batches, size, start = args
    u = urllib.parse.urlparse(url)
    recs = chain(batches * size)
    bodies = [json.dumps({"version": 1, "records": recs[i * size:(i + 1) * size]})
              for i in range(batches)]
    conn = http.client.HTTPSConnection(u.hostname, u.port, context=context(ca, cert, key))
    conn.connect()
    while time.time() < start:
        time.sleep(0.001)
    cpu0, lat = cpu_seconds(), []
    for body in bodies:
        t0 = time.time()
        conn.request("POST", "/api/v1/records", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        reply = r.read()
        if r.status != 200:
            raise SystemExit("HTTP %d: %s" % (r.status, reply[:200]))
        lat.append(time.time() - t0)
    return time.time(), cpu_seconds() - cpu0, lat


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p / 100.0 * len(v)))]


def ingest(argv):
    url, ca = argv[0], argv[1]
    batches = int(argv[argv.index("--batches") + 1])
    size = int(argv[argv.index("--size") + 1])
    clients = [c for c in argv[2:] if ":" in c and not c.startswith("--")]
    start = time.time() + 3.0 + 0.2 * len(clients)  # time to build the chains first
    jobs = [(url, ca, c.split(":")[0], c.split(":")[1], batches, size, start) for c in clients]
    with multiprocessing.Pool(len(jobs)) as pool:
        done = pool.map(one_client, jobs)
    lat = [x for d in done for x in d[2]]
    print(len(jobs) * batches * size, "%.3f" % (max(d[0] for d in done) - start),
          "%.3f" % sum(d[1] for d in done),
          "%.1f %.1f" % (percentile(lat, 50) * 1000, percentile(lat, 99) * 1000))


def rawsqlite(argv):
    path, n, size = argv[0], int(argv[1]), int(argv[2])
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE records (device_id INTEGER, seq INTEGER, kind TEXT, wall_usec INTEGER,"
               " boot_usec INTEGER, boot_id TEXT, clock_trusted INTEGER, credential TEXT, nip TEXT,"
               " outcome TEXT, reason TEXT, direction TEXT, payload TEXT, prev BLOB, link BLOB,"
               " corrected_usec INTEGER, received_usec INTEGER, chain_ok INTEGER,"
               " PRIMARY KEY (device_id, seq))")
    if "--indexes" in argv:  # as server/db_sqlite.c's migrations leave them
        db.execute("CREATE INDEX records_nip ON records(nip, wall_usec)")
        db.execute("CREATE INDEX records_uncorrected ON records(device_id, boot_id)"
                   " WHERE corrected_usec IS NULL")
        db.execute("CREATE INDEX records_boot_trusted ON records(device_id, boot_id,"
                   " clock_trusted, seq)")
    recs = chain(n)
    rows = [(1, r["seq"], r["kind"], r["wall_usec"], r["boot_usec"], r["boot_id"], 1,
             r["credential"], r["nip"], r["outcome"], "", "", "", bytes.fromhex(r["prev"]),
             bytes.fromhex(r["link"]), r["wall_usec"], 0, 1) for r in recs]
    t0, cpu0 = time.time(), cpu_seconds()
    for i in range(0, n, size):
        db.execute("BEGIN")
        db.executemany("INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       rows[i:i + size])
        db.execute("COMMIT")
    print(n, "%.3f %.3f" % (time.time() - t0, cpu_seconds() - cpu0))


def idle(argv):
    url, ca, cert, key, n = argv[0], argv[1], argv[2], argv[3], int(argv[4])
    u = urllib.parse.urlparse(url)
    ctx = context(ca, cert, key)
    conns = []
    for _ in range(n):
        raw = socket.create_connection((u.hostname, u.port))
        conns.append(ctx.wrap_socket(raw, server_hostname=u.hostname))
    print(len(conns), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    {"ingest": ingest, "rawsqlite": rawsqlite, "idle": idle}[sys.argv[1]](sys.argv[2:])
