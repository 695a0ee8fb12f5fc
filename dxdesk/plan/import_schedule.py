"""The plan master's optional マイルストーン and システム sheets, and the check that every sheet and column
of the workbook is one dxdesk knows (a misspelt one would otherwise be ignored without a word)."""
from __future__ import annotations

import dataclasses
import difflib
import re

from dxdesk.normalize import clean_text, normalise_key
from dxdesk.plan import model as m
from dxdesk.plan.milestones import Milestone, normalise_status, parse_period, MILESTONE_STATUSES
from dxdesk.plan.systems import Cost, System, parse_costs, parse_intro_year
from dxdesk.plan.table import Cell, Table
from dxdesk.rules.findings import make

MILESTONE_COLUMNS = ("施策ID", "マイルストーンID", "内容", "予定年度", "予定時期", "状況", "備考")
SYSTEM_COLUMNS = ("システムID", "施策ID", "システム名", "概要", "構成", "所管課コード", "導入年度", "導入経費",
                  "導入経費年度", "運用経費", "運用経費年度", "効果", "課題", "利益最大化のために何をすべきか",
                  "利用指標ID")
ITEM_COLUMNS = ("項目", "As-Is", "Gap", "To-Be")
REQUIRED = {"マイルストーン": ("施策ID", "マイルストーンID", "内容"), "システム": ("システムID", "施策ID", "システム名"),
            "重点項目": ("項目",)}
_UNIT_SUFFIX = re.compile(r"[（(][^）)]*[）)]$")  # 導入経費（千円）, 運用経費(千円/年)


def accept_unit_suffixes(table: Table, known: tuple[str, ...]) -> None:
    """「導入経費（千円）」 is the 導入経費 column: a unit in brackets after a known name is allowed."""
    names = {normalise_key(k) for k in known}
    for header, index in list(table.columns.items()):
        bare = _UNIT_SUFFIX.sub("", header)
        if header not in names and bare in names and bare not in table.columns:
            table.columns[bare] = index


def unknown_columns(reader, table: Table, known: tuple[str, ...], allowed: range = range(0)) -> None:
    """P8 for each header of the table that is not a column dxdesk reads (columns in `allowed`, e.g. the
    施策 sheet's hierarchy levels, are the plan's own)."""
    names = {normalise_key(k) for k in known}
    for index, text in enumerate(table.headers):
        key = normalise_key(text)
        if not key or index in allowed or key in names or _UNIT_SUFFIX.sub("", key) in names:
            continue
        ref = f"{_column_letter(index)}{table.header_row}"
        reader.findings.append(make("P8", file=reader.file, sheet=table.sheet, cell=ref, value=clean_text(text),
                                    what="列", suggestion=_suggest(text, known)))


def unknown_sheet(reader, name: str, known: tuple[str, ...]) -> None:
    reader.findings.append(make("P8", file=reader.file, sheet=name, cell="", value=name, what="シート",
                                suggestion=_suggest(name, known)))


def _suggest(text: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(normalise_key(text), [normalise_key(k) for k in known], n=1, cutoff=0.5)
    if close:
        original = next(k for k in known if normalise_key(k) == close[0])
        return f"「{original}」の誤りではありませんか。"
    return f"使える名前: {'・'.join(known)}。"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index + 1)


def read_milestones(reader, table: Table, plan: m.Plan) -> None:
    from dxdesk.plan.importer import _duplicate, _missing_ref
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        values = [reader.required_text(table, cells, c, row) for c in REQUIRED["マイルストーン"]]
        if None in values:
            continue
        measure_id, milestone_id, content = values
        if _duplicate(reader, table, "マイルストーンID", row, milestone_id, seen):
            continue
        if measure_id not in plan.measures:
            _missing_ref(reader, table, "施策ID", row, measure_id, "施策シート")
            continue
        fy, ok = reader.fy(table, cells, "予定年度")
        if not ok:
            continue
        period_cell = table.get(cells, "予定時期")
        due_month, readable = parse_period(period_cell.value if period_cell else None)
        period = table.text(cells, "予定時期")
        if not readable:
            reader.findings.append(make("P6", file=reader.file, sheet=table.sheet, cell=period_cell.ref,
                                        column="予定時期", value=period, expected="年度末（3月）まで"))
        status_cell = table.get(cells, "状況")
        status = normalise_status(status_cell.value if status_cell else None)
        if status is None:
            reader.bad(table, status_cell, "状況", f"使える値は {'・'.join(MILESTONE_STATUSES)} です。",
                       "状況を選び直してください。状況なし（空欄）で取り込みました。")
            status = ""
        plan.milestones.append(Milestone(measure_id, milestone_id, content, fy, period, due_month, status,
                                         table.text(cells, "備考"), len(plan.milestones)))


def read_systems(reader, table: Table, plan: m.Plan) -> None:
    from dxdesk.plan.importer import _SPLIT_CODES, _duplicate, _missing_ref
    accept_unit_suffixes(table, SYSTEM_COLUMNS)
    first_row: dict[str, int] = {}
    for row, cells in table.rows:
        values = [reader.required_text(table, cells, c, row) for c in REQUIRED["システム"]]
        if None in values:
            continue
        system_id, measures_text, name = values
        measure_ids = tuple(x for x in _SPLIT_CODES.split(measures_text) if x)
        unknown = [x for x in measure_ids if x not in plan.measures]
        if unknown:
            _missing_ref(reader, table, "施策ID", row, "、".join(unknown), "施策シート")
            continue
        if system_id in plan.systems:  # the same system listed again under another measure: counted once
            known = plan.systems[system_id]
            again = tuple(x for x in measure_ids if x not in known.measure_ids)
            if not again:
                _duplicate(reader, table, "システムID", row, system_id, first_row)
                continue
            plan.systems[system_id] = _replace(known, measure_ids=known.measure_ids + again)
            reader.findings.append(make("M9", file=reader.file, sheet=table.sheet, cell=table.col_ref("施策ID", row),
                                        value=system_id, row_label=f"{system_id} {known.name}",
                                        expected=known.home, again="、".join(again), first=f"{first_row[system_id]}行目"))
            continue
        first_row[system_id] = row
        section = table.text(cells, "所管課コード")
        home_owner = plan.measures[measure_ids[0]].owner
        if section and section not in plan.sections:
            _missing_ref(reader, table, "所管課コード", row, section, "課所室シート")
            continue
        if not section or section not in {x.owner for x in plan.measures.values()}:
            if section:  # a section that reports nothing gets no form: its home measure's section fills it in
                reader.findings.append(make("P6", file=reader.file, sheet=table.sheet,
                                            cell=table.col_ref("所管課コード", row), column="所管課コード",
                                            value=section, expected=f"{home_owner}（施策 {measure_ids[0]} の担当課。"
                                            "所管課は施策の主担当ではないため様式を配布しません）"))
            section = home_owner
        intro_costs, ok1 = _costs(reader, table, cells, row, "導入経費", "導入経費年度")
        opex, ok2 = _costs(reader, table, cells, row, "運用経費", "運用経費年度")
        if not (ok1 and ok2):
            continue
        usage = table.text(cells, "利用指標ID")
        if usage and usage not in plan.kpis:
            _missing_ref(reader, table, "利用指標ID", row, usage, "指標シート")
            usage = ""
        intro_text = table.text(cells, "導入年度")
        plan.systems[system_id] = System(
            system_id, measure_ids, name, section, table.text(cells, "概要"), table.text(cells, "構成"),
            intro_text, parse_intro_year(intro_text), intro_costs[0] if intro_costs else Cost(), tuple(opex), table.text(cells, "効果"), table.text(cells, "課題"),
            table.text(cells, "利益最大化のために何をすべきか"), usage, len(plan.systems))


def _replace(system: System, **changes) -> System:
    return dataclasses.replace(system, **changes)


def _costs(reader, table: Table, cells: list[Cell], row: int, column: str, year_column: str):
    cell, year = table.get(cells, column), table.get(cells, year_column)
    costs, ok = parse_costs(cell.value if cell else None, year.value if year else None)
    if not ok:
        reader.bad(table, year, year_column, "年度として読めません。",
                   "2024 / R6 / 令和6年度 のように入力してください。この行は取り込んでいません。")
    return costs, ok


def read_items(reader, table: Table, plan: m.Plan) -> None:
    """重点項目: the As-Is / Gap / To-Be of each item of the plan's lowest level (the 様式① print shows them)."""
    from dxdesk.plan.importer import _duplicate, _missing_ref
    names = {x.levels[-1] for x in plan.measures.values() if x.levels}
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        name = reader.required_text(table, cells, "項目", row)
        if not name or _duplicate(reader, table, "項目", row, name, seen):
            continue
        if name not in names:
            _missing_ref(reader, table, "項目", row, name, f"施策シートの「{plan.level_names[-1] if plan.level_names else '階層'}」列")
            continue
        plan.items[name] = {k: table.text(cells, k) for k in ITEM_COLUMNS[1:]}
