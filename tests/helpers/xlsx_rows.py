#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Print the rows of one sheet of an XLSX file as one JSON array of arrays.

Read with openpyxl (Debian's python3-openpyxl, scripts/deps.sh check), a real
XLSX reader, so a test sees the workbook as a spreadsheet program would: numbers
as numbers, text as text, empty cells as null. Run it with Debian's
/usr/bin/python3, where python3-openpyxl is installed.
Usage: xlsx_rows.py FILE.xlsx SHEET-NAME, or xlsx_rows.py FILE.xlsx --sheets
to print the sheet names.
"""
import json
import sys

import openpyxl


def main(path, sheet):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if sheet == "--sheets":
        print(json.dumps(wb.sheetnames))
        return
    rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
