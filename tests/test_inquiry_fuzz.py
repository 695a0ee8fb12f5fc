"""A seeded, bounded fuzz of 全庁照会 returns (as tests/test_fuzz.py does for the round): copies of the three office
forms, filled with plausible values, then mutated — cells replaced by text, Excel errors, huge numbers, dates,
formulas, booleans and 40 000 characters; rows, columns and sheets deleted or inserted; cells merged over inputs;
the stamp removed or corrupted; a sheet's XML with flipped bytes, the zip cut short, a CSV renamed .xlsx, a copy of
another inquiry — and all collected in one go per inquiry. A few of them also saved by LibreOffice Calc as .ods
and .xls (a section on Calc, an old Excel), read through the same path.

Every file must end as findings naming it (or as the same bytes already taken): no file lost, no reader that
died (「想定外」) and no R3 for a workbook that Excel opens (a bug met while reading it), no Python exception caught as a last resort, a stampless return matched by content said so (Q2), a
copy of another inquiry refused (S2), nothing that must be rejected accepted, and no original changed."""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from dxdesk.forms.definition import STAMP_SHEET_NAME
from dxdesk.inquiry import jobs as ij
from dxdesk.inquiry.model import TABLE
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import submission_findings
from inquiry_support import DEADLINE, new_inquiry
from lo.calc import HAS_UNO, NO_UNO, run_driver

SEED, PER_FORM = 20261202, 40
CONVERTED = 3  # mutated returns per form also saved by Calc as .ods and .xls (one LibreOffice start for all)
ODD_VALUES = ("#DIV/0!", "=1/0", "=A1+1", "=SUM(A1:A3)", 10 ** 300, -1e308, 1e-300, dt.datetime(1900, 1, 1),
              dt.date(9999, 12, 31), dt.time(12, 0), True, "", "　", "該当なし", "x" * 40_000, "〃", "－", "１２３億",
              "=\"a\"&\"b\"", "9" * 400, "NaN", "inf", 1e16, "R99", "令和元年13月40日", "_x0001_")
# a Python exception caught by the last-resort handler (「読み取れません（KeyError: …）」) is a bug met, not a finding
EXCEPTION_NAME = re.compile(r"\b[A-Z][A-Za-z]+(Error|Exception): |Traceback")


def fill_in(copy: Path, mapping, rng: random.Random) -> openpyxl.Workbook:
    """The copy with every input typed as a section would (numbers, first choice, a date, a year, words)."""
    wb = openpyxl.load_workbook(copy)

    def typed(f):
        if f.choices:
            return f.choices[0]
        return {"数値": rng.randint(0, 900), "整数": rng.randint(0, 900), "日付": dt.datetime(2025, 6, 2),
                "年度": "R3"}.get(f.kind, "記入")

    for area in mapping.areas:
        sheet = wb[area.sheet]
        for f in area.fields:
            if f.prefill or f.key:
                continue
            if area.kind == TABLE:
                for row in range(area.first_row, area.last_row + 1):
                    sheet[f"{f.cell}{row}"] = typed(f)
            else:
                sheet[f.cell] = typed(f)
    return wb


def unstamp(wb) -> None:
    for sheet in [s for s in wb.worksheets if s.title == STAMP_SHEET_NAME]:
        wb.remove(sheet)
    wb.custom_doc_props.props.clear()


def corrupt_stamp(wb, rng) -> None:
    for prop in wb.custom_doc_props.props:
        if isinstance(prop.value, str):
            prop.value = rng.choice(["", "x", "Q9", "ZZ99", "{", "Q1", "v99"])
    for sheet in [s for s in wb.worksheets if s.title == STAMP_SHEET_NAME]:
        sheet.cell(rng.randint(1, 10), rng.randint(1, 3), rng.choice(["", "x", "Q2", None, 5, "{"]))


def mutate(wb, rng: random.Random) -> list[str]:
    """One to four changes a section, a mail gateway or a sanitiser could make; their names."""
    done = []
    for _ in range(rng.randint(1, 4)):
        visible = [s for s in wb.worksheets if s.sheet_state == "visible"]
        sheet = rng.choice(visible)
        op = rng.choice(["cell", "cell", "cell", "delete_rows", "insert_rows", "delete_cols", "insert_cols",
                         "delete_sheet", "add_sheet", "rename_sheet", "merge", "unstamp", "corrupt_stamp", "clear"])
        done.append(op)
        if op == "cell":
            cell = sheet.cell(rng.randint(1, 30), rng.randint(1, 10))
            if not isinstance(cell, MergedCell):
                cell.value = rng.choice(ODD_VALUES)
        elif op in ("delete_rows", "insert_rows"):
            getattr(sheet, op)(rng.randint(1, 20), rng.randint(1, 3))
        elif op in ("delete_cols", "insert_cols"):
            getattr(sheet, op)(rng.randint(1, 8), 1)
        elif op == "delete_sheet" and len(visible) > 1:
            wb.remove(sheet)
        elif op == "add_sheet":
            wb.create_sheet(rng.choice(["Sheet1", f"{sheet.title} (2)", "記入例"]), rng.randint(0, 2))
        elif op == "rename_sheet":
            sheet.title = rng.choice(["Sheet1", "回答", sheet.title + " "])
        elif op == "merge":
            r, c = rng.randint(1, 20), rng.randint(1, 7)
            sheet.merge_cells(start_row=r, start_column=c, end_row=r + rng.randint(0, 2), end_column=c + rng.randint(1, 2))
        elif op == "unstamp":
            unstamp(wb)
        elif op == "corrupt_stamp":
            corrupt_stamp(wb, rng)
        elif op == "clear":
            for row in sheet.iter_rows():
                for cell in row:
                    if not isinstance(cell, MergedCell):
                        cell.value = None
    return done


def broken(good: Path, out: Path, rng: random.Random) -> tuple[Path, str]:
    """The zip itself damaged: cut short, a sheet's XML with flipped bytes, an entry twice, no workbook part; the
    kind ("flip" may hit only a value: no requirement on its outcome, the others must be rejected)."""
    data = good.read_bytes()
    kind = rng.choice(["cut", "flip", "twice", "no_workbook"])
    if kind == "cut":
        out.write_bytes(data[:rng.randrange(30, len(data) - 22)])
        return out, kind
    with zipfile.ZipFile(good) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    sheet = next(n for n, _ in parts if n.startswith("xl/worksheets/sheet"))
    if kind == "flip":
        parts = [(n, bytes(b ^ (1 << rng.randrange(8)) if rng.random() < 0.001 else b for b in d) if n == sheet else d)
                 for n, d in parts]
    elif kind == "twice":
        parts.append(next(p for p in parts if p[0] == sheet))
    else:
        parts = [p for p in parts if p[0] != "xl/workbook.xml"]
    import warnings
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")
        for name, part in parts:
            z.writestr(name, part)
    return out, kind


def collect_and_check(ws, inquiry, inbox: Path, cases: dict[str, list[str]]) -> None:
    """Every file of the inbox collected in one go; each must end as findings naming it (the module's promise)."""
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()}

    result = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [inbox]))

    assert sorted(o.path.name for o in result.outcomes) + sorted(p.name for p, _ in result.skipped) == sorted(cases)
    subs = {s.file_name: s for s in rr.all_submissions(ws.conn, inquiry.inquiry_id)}
    taken = {o.path.name for o in result.outcomes if o.outcome == "取込済み"}  # the same bytes as an earlier file
    assert set(subs) | taken == set(cases)  # every file recorded: no return lost
    problems = []
    for name, ops in cases.items():
        if name not in subs:
            continue
        found = submission_findings(ws.conn, subs[name].submission_id)
        codes = {f.code for f in found}
        errors = {f.code for f in found if f.severity == "ERR"}
        if any("想定外" in f.message or EXCEPTION_NAME.search(f.message) for f in found):
            problems.append((name, "crash", [f.message for f in found if f.code in ("R3", "S1")]))
        if "R3" in codes and ops not in (["broken"], ["flipped"]):  # a workbook Excel opens: a bug met in reading
            problems.append((name, "a well-formed workbook not read", [f.message for f in found if f.code == "R3"]))
        if not subs[name].section_code and not errors:
            problems.append((name, "no section and no error", sorted(codes)))
        if subs[name].section_code and "unstamp" in ops and "Q2" not in codes and "S2" not in errors:
            problems.append((name, "stampless return matched silently", sorted(codes)))
        if ops == ["other"] and "S2" not in errors:
            problems.append((name, "another inquiry's copy not refused", sorted(codes)))
        if ops == ["broken"] and not errors:
            problems.append((name, "a broken file without an error", sorted(codes)))
        if any(f.file not in (name, "") for f in found):
            problems.append((name, "a finding naming another file", sorted(codes)))
    assert problems == []
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()} == before


def read_from_the_cells_named(values, path: Path) -> None:
    """Each value stored for a return is the one in the cell it names (a column read beside its own is caught)."""
    book = openpyxl.load_workbook(path)
    for v in (v for rows in values.values() for row in rows.values() for v in row.values()):
        held = book[v.sheet][v.cell].value
        if held is None:
            assert v.raw == "", v
        elif isinstance(held, dt.datetime):
            assert v.text == held.date().isoformat(), (v, held)
        else:
            assert v.num == held if isinstance(held, (int, float)) else v.raw == str(held).strip(), (v, held)


def test_mutated_returns_of_three_office_forms_each_end_as_findings_naming_the_file(tmp_path, workspace):
    rng = random.Random(SEED)
    ws = workspace
    made = []
    for form in ("システム棚卸", "PC・ライセンス数", "5レス"):
        ws, inquiry, _ = new_inquiry(tmp_path, form, ws=ws)
        made.append((inquiry, ij.distribute(ws, inquiry).files))
    for index, (inquiry, copies) in enumerate(made):
        inbox = tmp_path / f"inbox_{inquiry.inquiry_id}"
        inbox.mkdir()
        cases: dict[str, list[str]] = {}
        for n in range(PER_FORM):
            wb = fill_in(rng.choice(copies), inquiry.mapping, rng)
            ops = mutate(wb, rng) if n else []  # the first one as typed
            name = f"m{n:02d}_{'_'.join(ops) or 'good'}.xlsx"
            wb.save(inbox / name)
            cases[name] = ops
        good = inbox / next(iter(cases))
        for n in range(4):
            path, kind = broken(good, inbox / f"z{n}.xlsx", rng)
            cases[path.name] = ["flipped" if kind == "flip" else "broken"]
        (inbox / "csv.xlsx").write_text("課コード,項目\nA01,1\n", encoding="utf-8")
        cases["csv.xlsx"] = ["broken"]
        other_inquiry, other_copies = made[(index + 1) % len(made)]
        (inbox / "other.xlsx").write_bytes(other_copies[0].read_bytes())
        cases["other.xlsx"] = ["other"]
        collect_and_check(ws, inquiry, inbox, cases)
        good = next(s for s in rr.all_submissions(ws.conn, inquiry.inquiry_id) if s.file_name == "m00_good.xlsx")
        read_from_the_cells_named(rr.load_values(ws.conn, good.submission_id), inbox / "m00_good.xlsx")
    assert ij.merge(ws, made[0][0], DEADLINE)["workbook"].is_file()  # and the batch still merges


@pytest.mark.libreoffice
@pytest.mark.skipif(not HAS_UNO, reason=NO_UNO)
def test_mutated_returns_saved_as_ods_and_xls_each_end_as_findings_and_a_good_one_reads_as_its_xlsx(tmp_path):
    rng = random.Random(SEED + 1)
    ws, made = None, []
    for form in ("システム棚卸", "PC・ライセンス数", "5レス"):
        ws, inquiry, _ = new_inquiry(tmp_path, form, ws=ws)
        made.append((inquiry, ij.distribute(ws, inquiry).files))
    staging, docs, batches = tmp_path / "staging", [], []
    staging.mkdir()
    for index, (inquiry, copies) in enumerate(made):
        inbox = tmp_path / f"inbox_{inquiry.inquiry_id}"
        inbox.mkdir()
        cases: dict[str, list[str]] = {}
        for n in range(CONVERTED + 1):
            wb = fill_in(rng.choice(copies), inquiry.mapping, rng)
            ops = mutate(wb, rng) if n else []  # the first one as typed
            stem = f"m{n:02d}_{'_'.join(ops) or 'good'}"
            wb.save(staging / f"{inquiry.inquiry_id}_{stem}.xlsx")
            if not n:
                wb.save(inbox / f"{stem}.xlsx")  # the good one also as .xlsx, to compare what is read
                cases[f"{stem}.xlsx"] = ops
            docs.append({"form": str(staging / f"{inquiry.inquiry_id}_{stem}.xlsx"),
                         "saves": [{"out": str(inbox / f"{stem}.{kind}"), "filter": kind} for kind in ("ods", "xls")]})
            cases.update({f"{stem}.ods": ops, f"{stem}.xls": ops})
        other_copy = made[(index + 1) % len(made)][1][0]
        docs.append({"form": str(other_copy), "saves": [{"out": str(inbox / "other.ods"), "filter": "ods"}]})
        cases["other.ods"] = ["other"]
        batches.append((inquiry, inbox, cases))
    run_driver("type_with_calc.py", {"profile": str(tmp_path / "lo-profile"), "docs": docs}, tmp_path / "job.json",
               timeout=600)
    for inquiry, inbox, cases in batches:
        assert all((inbox / name).read_bytes()[:4] == b"\xd0\xcf\x11\xe0" for name in cases if name.endswith(".xls"))
        assert all(b"opendocument.spreadsheet" in (inbox / name).read_bytes()[:100] for name in cases if name.endswith(".ods"))
        collect_and_check(ws, inquiry, inbox, cases)
        subs = {s.file_name: s for s in rr.all_submissions(ws.conn, inquiry.inquiry_id)}
        good = next(name for name, ops in cases.items() if name.endswith(".xlsx"))
        typed = rr.load_values(ws.conn, subs[good].submission_id)

        def read(name: str) -> dict:
            return {area: {key: {f: (v.num, v.text, v.sheet, v.cell) for f, v in row.items()} for key, row in rows.items()}
                    for area, rows in rr.load_values(ws.conn, subs[name].submission_id).items()}

        assert typed and all(rows for rows in typed.values())
        read_from_the_cells_named(typed, inbox / good)
        for kind in ("ods", "xls"):
            converted = good.replace(".xlsx", f".{kind}")
            assert subs[converted].section_code == subs[good].section_code
            assert read(converted) == read(good), converted
