#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A large site for the benchmarks, as the CSV files `hadir-collector import` reads.

Usage: bench_site.py DIR STAFF UNITS [BIG]
Writes DIR/units.csv (UNITS units U000.. in WIB/WITA/WIT, every fifth on the permentan
profile), DIR/staff.csv (STAFF people, NIP 19 + 16 digits) and DIR/taps.csv: two taps on
each of the 22 working days of September 2025, late now and then, absent (TK) on 2% of
days. Staff are spread over the units in turn; with BIG, the first BIG of them are unit
U000's (a unit of that size for the unit page) and the rest are spread over the others.
Within a unit, every tenth person (in NIP order) supervises the nine after them.
The same arguments give the same files (a fixed random seed).
"""
import random
import sys
from datetime import date, timedelta


def main(out, staff, units, big):
    zones = [("Asia/Jakarta", 7), ("Asia/Makassar", 8), ("Asia/Jayapura", 9)]
    with open(out + "/units.csv", "w") as f:
        f.write("unit_id,name,timezone,profile\n")
        for u in range(units):
            f.write("U%03d,Unit %d,%s,%s\n" % (u, u, zones[u % 3][0], "permentan" if u % 5 == 0 else "default"))
    days = [date(2025, 9, 1) + timedelta(d) for d in range(30)]
    days = [d for d in days if d.weekday() < 5]
    assert len(days) == 22
    rnd = random.Random(1)
    with open(out + "/staff.csv", "w") as s, open(out + "/taps.csv", "w") as t:
        s.write("nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n")
        t.write("nip,time\n")
        for i in range(staff):
            nip = "19%016d" % i
            # i = base + member * stride + u: the unit's members are every stride-th person
            if big and i < big:
                base, stride, u = 0, 1, 0
            elif big:
                base, stride, u = big, units - 1, 1 + (i - big) % (units - 1)
            else:
                base, stride, u = 0, units, i % units
            member = (i - base) // stride
            boss = "" if member % 10 == 0 else "19%016d" % (i - (member % 10) * stride)
            off = zones[u % 3][1]
            s.write("%s,Pegawai %d,U%03d,%d,,%d,%s\n" % (nip, i, u, 100000 + i, 3000000 + (i % 7) * 250000, boss))
            for d in days:
                if rnd.random() < 0.02:
                    continue  # absent: TK
                tin = 7 * 3600 + 15 * 60 + rnd.randrange(1800)  # late now and then
                tout = 16 * 3600 + rnd.randrange(3600)
                for sec in (tin, tout):
                    t.write("%s,%sT%02d:%02d:%02d+%02d:00\n" % (nip, d, sec // 3600, sec // 60 % 60, sec % 60, off))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
