"""Type into a distributed form the way a person does in LibreOffice Calc — keystroke-equivalent input
through the dispatcher (.uno:EnterString, the same path as typing into a cell and pressing Enter, so Calc's
own number/date/percent recognition runs for the profile's locale) — then save it.

Runs under the system python3 (Debian's python3-uno), not the project's virtualenv:

    /usr/bin/python3 tests/lo/type_with_calc.py JOB.json

JOB.json: {"profile": dir, "locale": "ja-JP" | "en-US", "docs": [one per workbook:
           {"form": path, "password": sheet password,
            "typed": [[sheet, "O5", "3/4"], …]            typed text, Enter pressed after each
            "formats": [[sheet, "E10", "#,##0,"], …]     a number format set on the cell (Format > Cells)
            "delete_rows": [[sheet, 12], …]              1-based rows deleted (sheet unprotected first)
            "insert_rows": [[sheet, 9], …]               a row inserted before 1-based row 9 (before typing;
                                                          the typed cells name the rows after the insertion)
            "rename_sheets": [[old, new], …]             sheets renamed (after typing)
            "unprotect": [sheet, …]                       sheets unprotected (Tools > Protect Sheet off) first
            "remove_sheets": ["_dxdesk"],                 sheets deleted
            "saves": [{"out": path, "filter": "xlsx" | "ods" | "xls", "password": file password (optional),
                       "wait": seconds to wait before saving (so two saves differ in their saved time)}]}]}
One LibreOffice runs for all the documents of a job (starting it is most of the time).
"""
import json
import os
import sys
import time

import uno

from _office import load, office, prop

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8", "xls": "MS Excel 97"}
REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/AutoCorrect"><prop oor:name="SingleQuoteAtStart" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def write_locale(profile, locale):
    user = os.path.join(profile, "user")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as handle:
        handle.write(REGISTRY.format(locale=locale))


def type_cells(ctx, doc, typed):
    """Select each cell and enter the text as typed (Calc recognises numbers, dates, % as on a keyboard)."""
    smgr = ctx.ServiceManager
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    controller = doc.getCurrentController()
    frame = controller.getFrame()
    for sheet_name, ref, text in typed:
        controller.setActiveSheet(doc.Sheets.getByName(sheet_name))
        dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", ref),))
        dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))


def set_formats(doc, formats):
    for sheet_name, ref, code in formats:
        cell = doc.Sheets.getByName(sheet_name).getCellRangeByName(ref)
        key = doc.NumberFormats.queryKey(code, cell.CharLocale, False)
        if key == -1:
            key = doc.NumberFormats.addNew(code, cell.CharLocale)
        cell.NumberFormat = key


def fill_and_save(ctx, desktop, job):
    doc = load(desktop, job["form"])
    password = job.get("password", "")
    touched = ({s for s, _, _ in job.get("formats", [])} | {s for s, _ in job.get("delete_rows", [])}
               | {s for s, _ in job.get("insert_rows", [])} | set(job.get("unprotect", [])))
    for name in touched:
        doc.Sheets.getByName(name).unprotect(password)
    set_formats(doc, job.get("formats", []))
    for sheet_name, row in sorted(job.get("insert_rows", []), key=lambda x: -x[1]):
        doc.Sheets.getByName(sheet_name).Rows.insertByIndex(row - 1, 1)
    type_cells(ctx, doc, job.get("typed", []))
    for old, new in job.get("rename_sheets", []):
        doc.Sheets.getByName(old).setName(new)
    for sheet_name, row in sorted(job.get("delete_rows", []), key=lambda x: -x[1]):
        doc.Sheets.getByName(sheet_name).Rows.removeByIndex(row - 1, 1)
    for name in job.get("remove_sheets", []):
        if doc.Sheets.hasByName(name):
            doc.Sheets.removeByName(name)
    doc.calculateAll()
    for save in job["saves"]:
        args = [prop("FilterName", FILTERS[save.get("filter", "xlsx")]), prop("Overwrite", True)]
        if save.get("password"):
            args.append(prop("Password", save["password"]))
        time.sleep(save.get("wait", 0))  # Calc writes the time of saving into the file, to the second
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(save["out"])), tuple(args))
    doc.close(True)


def main(job_path):
    job = json.load(open(job_path, encoding="utf-8"))
    write_locale(job["profile"], job.get("locale", "ja-JP"))
    with office(job["profile"]) as (ctx, desktop):
        for item in job["docs"]:
            fill_and_save(ctx, desktop, item)


if __name__ == "__main__":
    main(sys.argv[1])
