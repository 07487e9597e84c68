#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build a kiosk's hash-chained record batch (common/record.h canonical bytes).

  records.py SPEC.json LO HI   print the batch of records LO..HI (1-based, inclusive)

SPEC.json is the device's whole chain, one object per record in seq order:
  {"kind": "tap"|"activity", "nip": "...", "wall_usec": N,
   "payload": {...} (dumped compact) or "text", optional "outcome", "credential"}
Every record links to the one before it, so slices of one SPEC sent in any
order form one chain, as a kiosk's resends would.
"""
import hashlib
import json
import struct
import sys

BOOT = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def _s(v):
    b = v.encode()
    return struct.pack(">I", len(b)) + b


def seal(recs):
    """Give record dicts (seq 1, 2, ... in order) their prev and link, as a kiosk chains them."""
    prev = bytes(32)
    for r in recs:
        canon = (prev + b"HADIR-REC-1" + struct.pack(">Q", r["seq"]) + _s(r["kind"]) +
                 struct.pack(">q", r["wall_usec"]) + struct.pack(">q", r["boot_usec"]) +
                 _s(r["boot_id"]) + bytes([1 if r["clock_trusted"] else 0]) +
                 _s(r["credential"]) + _s(r["nip"]) + _s(r["outcome"]) + _s(r["reason"]) +
                 _s(r["direction"]) + _s(r["payload"]))
        link = hashlib.sha256(canon).digest()
        r["prev"], r["link"] = prev.hex(), link.hex()
        prev = link
    return recs


def chain(spec):
    out = []
    for i, r in enumerate(spec):
        payload = r.get("payload", "")
        if not isinstance(payload, str):
            payload = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        out.append(dict(seq=i + 1, kind=r["kind"], wall_usec=r["wall_usec"],
                        boot_usec=1000000 + i + 1, boot_id=BOOT, clock_trusted=True,
                        credential=r.get("credential", "card:42"), nip=r["nip"],
                        outcome=r.get("outcome", "accepted"), reason="", direction="",
                        payload=payload))
    return seal(out)


def main():
    spec = json.load(open(sys.argv[1]))
    lo, hi = int(sys.argv[2]), int(sys.argv[3])
    recs = chain(spec)[lo - 1:hi]
    print(json.dumps({"version": 1, "records": recs}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
