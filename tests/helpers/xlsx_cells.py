#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print the cells of one sheet of an XLSX file, one per line: REF<TAB>TYPE<TAB>VALUE.

TYPE is "s" for text (shared or inline strings) and "n" for numbers, so a test
can tell a number stored as a number from one stored as text. Also prints
"frozen<TAB>ROWS" when the sheet has frozen rows. Standard library only:
zipfile + xml.etree. Usage: xlsx_cells.py FILE.xlsx SHEET-NAME
"""
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def main(path, sheet_name):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
                  for si in root.findall("m:si", NS)]
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sheet = next(s for s in wb.find("m:sheets", NS) if s.get("name") == sheet_name)
    ws = ET.fromstring(z.read("xl/" + targets[sheet.get(REL)]))
    pane = ws.find("m:sheetViews/m:sheetView/m:pane", NS)
    if pane is not None and pane.get("state") == "frozen":
        print("frozen\t%s" % pane.get("ySplit", "0"))
    for c in ws.iter("{%s}c" % NS["m"]):
        t = c.get("t")
        if t == "s":
            print("%s\ts\t%s" % (c.get("r"), shared[int(c.find("m:v", NS).text)]))
        elif t == "inlineStr":
            text = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
            print("%s\ts\t%s" % (c.get("r"), text))
        else:
            v = c.find("m:v", NS)
            print("%s\tn\t%s" % (c.get("r"), v.text if v is not None else ""))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
