#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print the cells of one sheet of an XLSX file, one per line: REF<TAB>TYPE<TAB>VALUE.

TYPE is "s" for text (shared or inline strings) and "n" for numbers, so a test
can tell a number stored as a number from one stored as text. Also prints
"frozen<TAB>ROWS" when the sheet has frozen rows, "autofilter<TAB>RANGE" when
it has one, and "format<TAB>REF<TAB>CODE" for a number cell with a custom number
format. Standard library only: zipfile + xml.etree.
Usage: xlsx_cells.py FILE.xlsx SHEET-NAME, or xlsx_cells.py FILE.xlsx --sheets
to list the sheet names in order.
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
    if sheet_name == "--sheets":
        for s in wb.find("m:sheets", NS):
            print(s.get("name"))
        return
    codes, xfs = {}, []
    if "xl/styles.xml" in z.namelist():
        st = ET.fromstring(z.read("xl/styles.xml"))
        for f in st.iter("{%s}numFmt" % NS["m"]):
            codes[f.get("numFmtId")] = f.get("formatCode")
        cell_xfs = st.find("m:cellXfs", NS)
        xfs = [x.get("numFmtId", "0") for x in cell_xfs] if cell_xfs is not None else []
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sheet = next(s for s in wb.find("m:sheets", NS) if s.get("name") == sheet_name)
    ws = ET.fromstring(z.read("xl/" + targets[sheet.get(REL)]))
    pane = ws.find("m:sheetViews/m:sheetView/m:pane", NS)
    if pane is not None and pane.get("state") == "frozen":
        print("frozen\t%s" % pane.get("ySplit", "0"))
    autofilter = ws.find("m:autoFilter", NS)
    if autofilter is not None:
        print("autofilter\t%s" % autofilter.get("ref"))
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
            style = int(c.get("s", "0"))
            if style < len(xfs) and xfs[style] in codes:
                print("format\t%s\t%s" % (c.get("r"), codes[xfs[style]]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
