"""Fill a distributed form the way a section does, in LibreOffice Calc (headless, through UNO), and save it.

Runs under the system python3 (Debian's python3-uno), not the project's virtualenv:

    /usr/bin/python3 tests/lo/fill_with_calc.py JOB.json

JOB.json: {"form": path, "out": path, "profile": dir, "sheet": "進捗報告", "key_column": 0,
           "values": {row key: {column index: value}}} — numbers are set as numbers, text as typed text.
Several sheets at once: "fills": [{"sheet": …, "key_column": …, "values": …}, …] instead of the three keys
(a 様式② card is filled with key_column 1, its labels, and column 2, its values)."""
import json
import os
import sys

import uno

from _office import load, office, prop


def fill(doc, fills):
    for fill in fills:
        sheet = doc.Sheets.getByName(fill["sheet"])
        for row in range(0, 2000):
            key = sheet.getCellByPosition(fill["key_column"], row).getString()
            for column, value in fill["values"].get(key, {}).items():
                cell = sheet.getCellByPosition(int(column), row)
                if isinstance(value, (int, float)):
                    cell.setValue(value)
                else:
                    cell.setString(value)


def main(job_path):
    job = json.load(open(job_path, encoding="utf-8"))
    with office(job["profile"]) as (_, desktop):
        doc = load(desktop, job["form"])
        fill(doc, job.get("fills") or [job])
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(job["out"])),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)


if __name__ == "__main__":
    main(sys.argv[1])
