#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drive a kiosk through its sim socket (tests, demo, bench).

  simclient.py SOCK LINE...             send each line, print each reply
  simclient.py SOCK --burst N --card C  pipeline N 'card C+i' taps, print replies as they come
  simclient.py SOCK --latency N --card C  N taps one at a time; print p50/p99 in microseconds
  simclient.py SOCK --latency N --finger F  the same with 'finger F+i' touches (--cards cycles)
"""
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sock")
    ap.add_argument("lines", nargs="*")
    ap.add_argument("--burst", type=int)
    ap.add_argument("--latency", type=int)
    ap.add_argument("--card", type=int, default=1)
    ap.add_argument("--cards", type=int, default=1, help="cycle over this many card numbers")
    ap.add_argument("--finger", type=int, help="--latency with finger touches from this slot")
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
        lat = []
        replies = lines_of(s)
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
        lat.sort()
        print("%d %.0f %.0f" % (len(lat), lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1]))
        return 0

    replies = lines_of(s)
    for line in a.lines:
        s.sendall(line.encode() + b"\n")
        print(next(replies, "(no reply)"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
