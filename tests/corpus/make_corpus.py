"""Generate the bad-input corpus: one file per case of BAD_INPUTS.md, named after the case.

    python tests/corpus/make_corpus.py GOOD_RETURN.xlsx OUT_DIR

GOOD_RETURN is a distributed form filled as a section would (the cases are made from it)."""
from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile
import openpyxl

from dxdesk.forms.definition import PROGRESS_SHEET

ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
               + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                          for i in range(1, 10))
               + b']>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
               b"&lol9;</Properties>")

OUTSIDE_COLUMN = len(PROGRESS_SHEET.fields) + 1  # the first column past the progress sheet's last field


def _copy(good: Path, out: Path, name: str) -> Path:
    target = out / name
    shutil.copy(good, target)
    return target


def _rewrite_zip(good: Path, target: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, replace.get(info.filename, src.read(info.filename)))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return target


def lock_owner_file(good, out):
    (out / "~$lock_owner_file.xlsx").write_bytes(b"\x05owner" + b"\0" * 160)
    return out / "~$lock_owner_file.xlsx"


def zero_byte(good, out):
    (out / "zero_byte.xlsx").write_bytes(b"")
    return out / "zero_byte.xlsx"


def thumbs_db(good, out):
    (out / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 500)
    return out / "Thumbs.db"


def desktop_ini(good, out):
    (out / "desktop.ini").write_text("[.ShellClassInfo]\r\n", encoding="utf-8")
    return out / "desktop.ini"


def csv_renamed(good, out):
    (out / "csv_renamed.xlsx").write_text("指標ID,実績値\r\nK027,1021\r\n", encoding="cp932")
    return out / "csv_renamed.xlsx"


def html_renamed(good, out):
    (out / "html_renamed.xlsx").write_text("<html><body><table><tr><td>実績値</td></tr></table></body></html>",
                                           encoding="utf-8")
    return out / "html_renamed.xlsx"


def xls_renamed(good, out):
    (out / "xls_renamed.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    return out / "xls_renamed.xlsx"


def truncated_zip(good, out):
    data = good.read_bytes()
    (out / "truncated_zip.xlsx").write_bytes(data[: len(data) // 2])
    return out / "truncated_zip.xlsx"


def encrypted(good, out):
    target = out / "encrypted.xlsx"
    with open(good, "rb") as src, open(target, "wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    return target


def zip_bomb(good, out):
    return _rewrite_zip(good, out / "zip_bomb.xlsx", {}, {"xl/media/padding.bin": b"\0" * (300 * 1024 * 1024)})


def xml_entity_bomb(good, out):
    """Billion laughs in the workbook part (read by calamine) and in the custom properties (defusedxml)."""
    with zipfile.ZipFile(good) as src:
        workbook = src.read("xl/workbook.xml")
    doctype = ENTITY_BOMB.split(b"\n")[1].split(b"<Properties")[0]
    bombed = workbook.replace(b"<workbook ", doctype + b"<workbook ", 1).replace(
        b"</workbook>", b"<x>&lol9;</x></workbook>")
    return _rewrite_zip(good, out / "xml_entity_bomb.xlsx",
                        {"docProps/custom.xml": ENTITY_BOMB, "xl/workbook.xml": bombed})


def ods_renamed(good, out):
    target = out / "ods_renamed.xlsx"
    with zipfile.ZipFile(target, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return target


def xlsm_return(good, out):
    return _copy(good, out, "xlsm_return.xlsm")


def other_workbook(good, out):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "実績値"
    wb.save(out / "other_workbook.xlsx")
    return out / "other_workbook.xlsx"


CASES = {f.__name__: f for f in (lock_owner_file, zero_byte, thumbs_db, desktop_ini, csv_renamed, html_renamed,
                                 xls_renamed, truncated_zip, encrypted, zip_bomb, xml_entity_bomb, ods_renamed,
                                 xlsm_return, other_workbook)}


def make_corpus(good: Path, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    return {name: make(good, out) for name, make in CASES.items()}


if __name__ == "__main__":
    for case, path in make_corpus(Path(sys.argv[1]), Path(sys.argv[2])).items():
        print(f"{case}\t{path}")


def excel_errors(good, out):
    """#DIV/0! and #N/A typed over input cells (calamine reads them as empty)."""
    target = out / "excel_errors.xlsx"
    wb = openpyxl.load_workbook(good)
    ws = wb["進捗報告"]
    ws["O5"] = "#DIV/0!"
    ws["O5"].data_type = "e"
    ws["Q6"] = "#N/A"
    ws["Q6"].data_type = "e"
    wb.save(target)
    return target


def formula_never_calculated(good, out):
    """An input typed as a formula and saved by a program that does not calculate (openpyxl)."""
    target = out / "formula_never_calculated.xlsx"
    wb = openpyxl.load_workbook(good)
    wb["進捗報告"]["O5"] = "=1000+21"
    wb.save(target)
    return target


CASES.update({f.__name__: f for f in (excel_errors, formula_never_calculated)})


def _edit(good, out, name, edit):
    target = out / f"{name}.xlsx"
    wb = openpyxl.load_workbook(good)
    edit(wb)
    wb.save(target)
    return target


def sheet_renamed(good, out):
    return _edit(good, out, "sheet_renamed", lambda wb: setattr(wb["進捗報告"], "title", "進捗報告 (2)"))


def rows_inserted(good, out):
    return _edit(good, out, "rows_inserted", lambda wb: wb["進捗報告"].insert_rows(6, 2))


def column_inserted(good, out):
    return _edit(good, out, "column_inserted", lambda wb: wb["進捗報告"].insert_cols(3))


def locked_cell_changed(good, out):
    return _edit(good, out, "locked_cell_changed", lambda wb: wb["進捗報告"].cell(5, 9, 200))


def extra_sheet(good, out):
    return _edit(good, out, "extra_sheet", lambda wb: wb.create_sheet("メモ").cell(1, 1, "課内メモ"))


def data_outside(good, out):
    return _edit(good, out, "data_outside", lambda wb: wb["進捗報告"].cell(5, OUTSIDE_COLUMN, "欄外の補足"))


def budget_sheet_deleted(good, out):
    return _edit(good, out, "budget_sheet_deleted", lambda wb: wb.remove(wb["予算・決算"]))


CASES.update({f.__name__: f for f in (sheet_renamed, rows_inserted, column_inserted, locked_cell_changed,
                                      extra_sheet, data_outside, budget_sheet_deleted)})


def merged_input_cells(good, out):
    return _edit(good, out, "merged_input_cells", lambda wb: wb["進捗報告"].merge_cells("R5:S5"))


def hidden_rows_and_columns(good, out):
    def hide(wb):
        ws = wb["進捗報告"]
        ws.row_dimensions[6].hidden = True
        ws.column_dimensions["R"].hidden = True
    return _edit(good, out, "hidden_rows_and_columns", hide)


CASES.update({f.__name__: f for f in (merged_input_cells, hidden_rows_and_columns)})


def far_away_cell(good, out):
    """A value at XFD1048576: python-calamine would allocate the whole sheet (and abort the process)."""
    return _edit(good, out, "far_away_cell", lambda wb: wb["進捗報告"].cell(1048576, 16384, "x"))


CASES.update({far_away_cell.__name__: far_away_cell})


def structure_protected(good, out):
    """Workbook structure protected by the section (sheets cannot be added or renamed)."""
    def protect(wb):
        wb.security = openpyxl.workbook.protection.WorkbookProtection(workbookPassword="pw", lockStructure=True)
    return _edit(good, out, "structure_protected", protect)


def sheet_copied(good, out):
    return _edit(good, out, "sheet_copied", lambda wb: setattr(wb.copy_worksheet(wb["進捗報告"]), "title", "進捗報告 (2)"))


def defined_name_ref_error(good, out):
    def broken(wb):
        wb.defined_names["DX_progress_actual"].attr_text = "#REF!"
    return _edit(good, out, "defined_name_ref_error", broken)


def hidden_sheet_with_data(good, out):
    def hide(wb):
        memo = wb.create_sheet("作業用")
        memo["A1"] = "前年度の値"
        memo.sheet_state = "hidden"
    return _edit(good, out, "hidden_sheet_with_data", hide)


def input_formula_with_result(good, out):
    """An input typed as a formula, saved by a spreadsheet program with its result."""
    def formula(wb):
        cell = wb["進捗報告"]["O5"]
        cell.value = "=1000+21"
    target = _edit(good, out, "input_formula_with_result", formula)
    data = {}
    with zipfile.ZipFile(target) as src:
        for info in src.infolist():
            data[info.filename] = src.read(info.filename)
    sheet = next(n for n in data if n.startswith("xl/worksheets/") and b"1000+21" in data[n])
    data[sheet] = data[sheet].replace(b"<f>1000+21</f><v></v>", b"<f>1000+21</f><v>1021</v>").replace(
        b"<f>1000+21</f><v /></c>", b"<f>1000+21</f><v>1021</v></c>")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, blob in data.items():
            dst.writestr(name, blob)
    return target


def code_turned_into_date(good, out):
    """A text cell where Excel turned "1-2" into 2 January."""
    import datetime as dt
    return _edit(good, out, "code_turned_into_date",
                 lambda wb: wb["進捗報告"].cell(5, 18, dt.datetime(2024, 1, 2)))


def large_pasted_image(good, out):
    """Tens of MB of pasted picture inside the workbook (stored, as images do not compress)."""
    import os
    return _rewrite_zip(good, out / "large_pasted_image.xlsx", {}, {"xl/media/image1.png": os.urandom(30 * 1024 * 1024)})


CASES.update({f.__name__: f for f in (structure_protected, sheet_copied, defined_name_ref_error, hidden_sheet_with_data,
                                      input_formula_with_result, code_turned_into_date, large_pasted_image)})


def truncated_sheet_xml(good, out):
    """The zip is whole, but one sheet's XML stops half-way (a broken save)."""
    with zipfile.ZipFile(good) as src:
        sheet = next(n for n in src.namelist() if n.startswith("xl/worksheets/") and b"K0" in src.read(n)
                     and n.endswith(".xml"))
        data = src.read(sheet)
    return _rewrite_zip(good, out / "truncated_sheet_xml.xlsx", {sheet: data[: len(data) // 2]})


CASES.update({truncated_sheet_xml.__name__: truncated_sheet_xml})


def _rewrite_sheet(good: Path, target: Path, edit) -> Path:
    """Rewrite the 進捗報告 sheet's XML part (the one holding the KPI rows) with `edit(xml) -> xml`."""
    with zipfile.ZipFile(good) as src:
        sheet = next(n for n in src.namelist() if n.startswith("xl/worksheets/") and b"K0" in src.read(n)
                     and n.endswith(".xml"))
        data = src.read(sheet)
    return _rewrite_zip(good, target, {sheet: edit(data)})


def _before_sheet_end(extra: bytes):
    return lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>")


def cell_ref_four_letters(good, out):
    """A cell address with more than three letters (r="ZZZZZZ30"): python-calamine allocated ~300 GB and aborted."""
    return _rewrite_sheet(good, out / "cell_ref_four_letters.xlsx",
                          _before_sheet_end(b'<row r="30"><c r="ZZZZZZ30"><v>1</v></c></row>'))


def namespaced_sheet_far_cell(good, out):
    """Sheet XML with a namespace prefix (<x:row>, <x:c>) and a value at XFD1048576: the extent check missed
    prefixed elements, and python-calamine aborted."""
    import re

    def prefix(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=", 1)
        xml = re.sub(rb"<(/?)(?!x:)([A-Za-z]+)(?=[\s>/])", rb"<\1x:\2", xml)
        return xml.replace(b"</x:sheetData>",
                           b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData>')
    return _rewrite_sheet(good, out / "namespaced_sheet_far_cell.xlsx", prefix)


def oversized_sheet_far_cell(good, out):
    """A sheet part over the scan cap (50 MB of rows) plus a value at XFD1048576: the part was not scanned, and
    python-calamine aborted."""
    pad = b"".join(b'<row r="%d"><c r="A%d"/><c r="B%d"/></row>' % (r, r, r) for r in range(100, 1_048_000))
    return _rewrite_sheet(good, out / "oversized_sheet_far_cell.xlsx", _before_sheet_end(
        pad + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def reader_dies(good, out):
    """A shared-strings table claiming four billion strings: python-calamine reserves ~96 GB for it and aborts.
    No guard looks for this one: the reader process dies, and the collection goes on."""
    return _rewrite_zip(good, out / "reader_dies.xlsx", {}, {"xl/sharedStrings.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>')})


CASES.update({f.__name__: f for f in (cell_ref_four_letters, namespaced_sheet_far_cell, oversized_sheet_far_cell,
                                      reader_dies)})


def _in_row(row: int, extra: bytes):
    """Append `extra` inside <row r="row">…</row> of the sheet XML."""
    import re

    def edit(xml: bytes) -> bytes:
        match = re.search(rb'<row r="%d"[^>]*>.*?</row>' % row, xml, re.S)
        return xml[:match.end() - 6] + extra + xml[match.end() - 6:]
    return edit


def zip_bad_crc(good, out):
    """One entry's bytes changed after the zip was written (a broken copy): its CRC-32 no longer matches."""
    target = _rewrite_zip(good, out / "zip_bad_crc.xlsx", {})
    with zipfile.ZipFile(target) as z:
        info = z.getinfo("xl/workbook.xml")
    data = bytearray(target.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def zip_name_not_utf8(good, out):
    """An entry flagged as UTF-8 whose name bytes are not UTF-8."""
    target = _rewrite_zip(good, out / "zip_name_not_utf8.xlsx", {}, {"xl/media/画像.bin": b"\0" * 16})
    target.write_bytes(target.read_bytes().replace("画像".encode(), b"\xff\xfe\xfd\xfc\xfb\xfa"))
    return target


def duplicate_zip_entry(good, out):
    """The sheet part twice in the zip, the second with another actual: which one a reader takes is arbitrary."""
    with zipfile.ZipFile(good) as src:
        sheet = next(n for n in src.namelist() if n.startswith("xl/worksheets/") and b"K0" in src.read(n))
        data = src.read(sheet)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: that is the case
        return _rewrite_zip(good, out / "duplicate_zip_entry.xlsx", {},
                            {sheet: data.replace(b"<v>1021</v>", b"<v>9999</v>")})


def actual_309_digits(good, out):
    """実績値 and 予算額 typed as 309-digit text: float() makes them inf, which no output can write."""
    def edit(wb):
        wb["進捗報告"]["O5"] = "1" + "0" * 309
        wb["予算・決算"]["E5"] = "9" * 400
    return _edit(good, out, "actual_309_digits", edit)


def text_of_a_million_characters(good, out):
    """取組結果 of 10⁶ characters: beyond Excel's 32,767 a cell (written by a program, not typed)."""
    import re  # (openpyxl itself cuts a string at 32,767 characters, so the sheet XML is edited)
    return _rewrite_sheet(good, out / "text_of_a_million_characters.xlsx", lambda xml: re.sub(
        rb'(<c r="R5"[^>]*><is><t>)[^<]*', lambda m: m.group(1) + "長".encode() * 1_000_000, xml))


def control_characters_in_text(good, out):
    """NUL (as Excel's _x0000_ escape) in 取組結果 and raw control bytes in 未達理由."""
    import re

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb'(<c r="R5"[^>]*><is><t>)', rb"\1abc_x0000_def", xml)
        return re.sub(rb'(<c r="S6"[^>]*><is><t>)', lambda m: m.group(1) + b"x\x01\x02y", xml)
    return _rewrite_sheet(good, out / "control_characters_in_text.xlsx", edit)


def same_cell_twice(good, out):
    """実績値 O5 written twice in the sheet XML, the second with another value (the later one was read)."""
    return _rewrite_sheet(good, out / "same_cell_twice.xlsx", _in_row(5, b'<c r="O5"><v>9999</v></c>'))


def same_row_twice(good, out):
    """Row 6 written twice in the sheet XML, the second with another 実績値."""
    import re

    def edit(xml: bytes) -> bytes:
        row = re.search(rb'<row r="6"[^>]*>.*?</row>', xml, re.S).group(0)
        return xml.replace(row, row + re.sub(rb"(<c r=\"O6\"[^>]*>)<v>[^<]*</v>", rb"\1<v>9999</v>", row))
    return _rewrite_sheet(good, out / "same_row_twice.xlsx", edit)


def same_row_key_twice(good, out):
    """The row of K027 copied below the table with another 実績値: which one is meant cannot be told."""
    def edit(wb):
        ws = wb["進捗報告"]
        for col in range(1, 20):
            ws.cell(30, col, ws.cell(5, col).value)
        ws.cell(30, 15, 9999)
    return _edit(good, out, "same_row_key_twice", edit)


CASES.update({f.__name__: f for f in (zip_bad_crc, zip_name_not_utf8, duplicate_zip_entry, actual_309_digits,
                                      text_of_a_million_characters, control_characters_in_text, same_cell_twice,
                                      same_row_twice, same_row_key_twice)})


def _rewrite_content_types(good, target, edit):
    with zipfile.ZipFile(good) as src:
        types = src.read("[Content_Types].xml")
    return _rewrite_zip(good, target, {"[Content_Types].xml": edit(types)})


def content_types_not_xml(good, out):
    """[Content_Types].xml with an undeclared namespace prefix: not XML; LibreOffice cannot open the file."""
    return _rewrite_content_types(good, out / "content_types_not_xml.xlsx",
                                  lambda xml: xml.replace(b"<Types ", b"<x:Types ").replace(b"</Types>", b"</x:Types>"))


def workbook_not_declared(good, out):
    """[Content_Types].xml does not declare xl/workbook.xml as a workbook: LibreOffice cannot open the file."""
    return _rewrite_content_types(good, out / "workbook_not_declared.xlsx", lambda xml: xml.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", b"application/xml"))


CASES.update({f.__name__: f for f in (content_types_not_xml, workbook_not_declared)})
