#!/usr/bin/env python3
# check-csv.py: reads an exported CSV the way a spreadsheet importer would
# (Python's csv module) and prints what it found as JSON on stdout:
#   {"bom": true, "crlf": true, "header": [...], "rows": [{column: value}]}
# Exits 1 with a message when the file is not well-formed CSV.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import csv
import io
import json
import sys


def main():
    if len(sys.argv) != 2:
        print("usage: check-csv.py FILE", file=sys.stderr)
        return 2

    with open(sys.argv[1], "rb") as f:
        data = f.read()

    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")

    # Every record ends with CRLF: no bare LF outside quoted fields.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as e:
        print("not CSV: %s" % e, file=sys.stderr)
        return 1

    if not records:
        print("empty file", file=sys.stderr)
        return 1

    header = records[0]
    rows = []
    for i, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            print("record %d has %d fields, the header %d" % (i, len(record), len(header)),
                  file=sys.stderr)
            return 1
        rows.append(dict(zip(header, record)))

    # Every record must end with CRLF; a bare LF may only sit inside quotes.
    crlf = text.endswith("\r\n")
    quoted = False
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c == "\n" and not quoted and (i == 0 or text[i - 1] != "\r"):
            crlf = False

    json.dump({"bom": bom, "crlf": crlf, "header": header, "rows": rows},
              sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
