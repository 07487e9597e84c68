#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drive a kiosk through its sim socket (tests, demo, bench).

  simclient.py SOCK LINE...             send each line, print each reply
  simclient.py SOCK --burst N --card C  pipeline N 'card C+i' taps, print replies as they come
  simclient.py SOCK --latency N --card C  N taps one at a time; print p50/p99 in microseconds
  simclient.py SOCK --latency N --finger F  the same with 'finger F+i' touches (--cards cycles)
  simclient.py SOCK --latency N --card C --probe FILE  after each tap, also time an fsync of
      200 bytes appended to FILE and of 200 bytes overwritten in FILE.over (same file system,
      same moment); prints n p50 p99, then p50 p99 of each probe
"""
import os
import argparse
import socket
import sys
import threading
import time


def connect(path, timeout=30.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def lines_of(sock):
    buf = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            return
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield line.decode()


def timed_fsync(fd):
    t0 = time.perf_counter()
    os.fsync(fd)
    return (time.perf_counter() - t0) * 1e6


def p50_p99(lat):
    lat = sorted(lat)
    return "%.0f %.0f" % (lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sock")
    ap.add_argument("lines", nargs="*")
    ap.add_argument("--burst", type=int)
    ap.add_argument("--latency", type=int)
    ap.add_argument("--card", type=int, default=1)
    ap.add_argument("--cards", type=int, default=1, help="cycle over this many card numbers")
    ap.add_argument("--finger", type=int, help="--latency with finger touches from this slot")
    ap.add_argument("--probe", help="--latency: interleave fsync probes on this file")
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args()
    s = connect(a.sock, a.timeout)

    if a.burst:
        def send():
            try:
                for i in range(a.burst):
                    s.sendall(b"card %d\n" % (a.card + i % a.cards))
            except OSError:
                pass
        threading.Thread(target=send, daemon=True).start()
        n = 0
        for line in lines_of(s):
            print(line, flush=True)
            n += 1
            if n == a.burst:
                break
        return 0

    if a.latency:
        lat, appended, overwritten = [], [], []
        replies = lines_of(s)
        if a.probe:
            append_fd = os.open(a.probe, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            over_fd = os.open(a.probe + ".over", os.O_WRONLY | os.O_CREAT, 0o600)
            os.write(over_fd, b"x" * 4096)
            os.fsync(over_fd)
        for i in range(a.latency):
            t0 = time.perf_counter()
            if a.finger is not None:
                s.sendall(b"finger %d\n" % (a.finger + i % a.cards))
            else:
                s.sendall(b"card %d\n" % (a.card + i % a.cards))
            reply = next(replies)
            lat.append((time.perf_counter() - t0) * 1e6)
            if not reply.startswith("accepted"):
                print("unexpected reply: " + reply, file=sys.stderr)
                return 1
            if a.probe:
                os.write(append_fd, b"x" * 200)
                appended.append(timed_fsync(append_fd))
                os.pwrite(over_fd, b"x" * 200, 0)
                overwritten.append(timed_fsync(over_fd))
        print("%d %s" % (len(lat), " ".join(p50_p99(l) for l in (lat, appended, overwritten) if l)))
        return 0

    replies = lines_of(s)
    for line in a.lines:
        s.sendall(line.encode() + b"\n")
        print(next(replies, "(no reply)"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
