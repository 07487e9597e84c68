#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A TCP proxy on 127.0.0.1 that injects network faults, for sync tests.

  faultproxy.py LISTEN_PORT TARGET_PORT MODE_FILE

MODE_FILE is read for every chunk forwarded, so a test switches faults live:
  pass       forward everything
  cut:N      close both sides once N bytes went either way on a connection
  stall      hold the connection open and forward nothing
  refuse     close new connections at once
"""
import socket
import sys
import threading
import time


def mode(path):
    try:
        with open(path) as f:
            return f.read().strip() or "pass"
    except OSError:
        return "pass"


def pump(src, dst, state, path):
    try:
        while True:
            data = src.recv(16384)
            if not data:
                break
            while True:
                m = mode(path)
                if m != "stall":
                    break
                time.sleep(0.05)
            if m.startswith("cut:"):
                state["bytes"] += len(data)
                if state["bytes"] >= int(m[4:]):
                    break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client, target, path):
    if mode(path) == "refuse":
        client.close()
        return
    try:
        upstream = socket.create_connection(("127.0.0.1", target))
    except OSError:
        client.close()
        return
    state = {"bytes": 0}
    a = threading.Thread(target=pump, args=(client, upstream, state, path), daemon=True)
    b = threading.Thread(target=pump, args=(upstream, client, state, path), daemon=True)
    a.start(); b.start(); a.join(); b.join()
    client.close(); upstream.close()


def main():
    listen, target, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", listen))
    srv.listen(64)
    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c, target, path), daemon=True).start()


if __name__ == "__main__":
    main()
