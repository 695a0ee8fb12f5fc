"""Fill a distributed form the way a section does, in LibreOffice Calc (headless, through UNO), and save it.

Runs under the system python3 (Debian's python3-uno), not the project's virtualenv:

    /usr/bin/python3 tests/lo/fill_with_calc.py JOB.json

JOB.json: {"form": path, "out": path, "profile": dir, "sheet": "進捗報告", "key_column": 0,
           "values": {row key: {column index: value}}} — numbers are set as numbers, text as typed text.
Several sheets at once: "fills": [{"sheet": …, "key_column": …, "values": …}, …] instead of the three keys
(a 様式② card is filled with key_column 1, its labels, and column 2, its values)."""
import json
import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.5)
    raise RuntimeError("LibreOffice did not start")


def main(job_path):
    job = json.load(open(job_path, encoding="utf-8"))
    pipe = f"dxdesk_{uuid.uuid4().hex[:8]}"
    office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{job['profile']}", "--headless",
                               "--invisible", "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(job["form"])), "_blank", 0,
                                           (prop("Hidden", True),))
        for fill in job.get("fills") or [job]:
            sheet = doc.Sheets.getByName(fill["sheet"])
            for row in range(0, 2000):
                key = sheet.getCellByPosition(fill["key_column"], row).getString()
                for column, value in fill["values"].get(key, {}).items():
                    cell = sheet.getCellByPosition(int(column), row)
                    if isinstance(value, (int, float)):
                        cell.setValue(value)
                    else:
                        cell.setString(value)
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(job["out"])),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge closes as LibreOffice exits
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv[1])
