"""Turn raw cells into typed values, with an INFO for every value read differently from how it was typed."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dxdesk.forms.definition import KEY_SEP, FormDef, SheetDef
from dxdesk.intake.reader import ExcelError, RawCell, UnsavedFormula, Workbook
from dxdesk.normalize import (clean_text, format_number, is_blank, normalise_key, parse_number, placeholder_meaning,
                              split_count_unit, unit_names)
from dxdesk.plan.model import Plan
from dxdesk.rules.kpi import schedule_status
from dxdesk.rules.scales import normalise_grade
from dxdesk.rules.findings import Finding, make
from dxdesk.years import YearError, parse_date

DATE_SERIAL_FACTOR = 10
AMOUNT_FIELDS = frozenset({"budget", "supplementary", "settlement", "opex_actual"})  # 千円: a date serial's size
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_date(serial: float) -> dt.date | None:
    """The day an Excel (1900 system) date serial stands for; None outside 1900–9999."""
    if not 1 <= serial < 2958466:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab and line breaks are allowed
EXCEL_TEXT_LIMIT = 32_767


def _shown(char) -> str:
    char = char.group() if isinstance(char, re.Match) else char
    return f"U+{ord(char):04X}"


@dataclass(frozen=True)
class Value:
    """One input cell after reading: the raw text, the number or choice read, where it was."""

    raw: str
    num: float | None
    text: str
    sheet: str
    cell: str
    held: float | None = None  # a number read but held back by an error on its cell (V4); a waiver releases it

    def number(self, waived: bool = False) -> float | None:
        """The number that counts: the one read, or the held one once its error is waived."""
        return self.num if self.num is not None or not waived else self.held

    @property
    def blank(self) -> bool:
        return self.raw == ""


Rows = dict[str, dict[str, Value]]  # row key → field key → value


def row_label(plan: Plan, sheet: SheetDef, key: str) -> str:
    if sheet.row_key == "kpi_id" and key in plan.kpis:
        return f"{key} {plan.kpis[key].name}"
    milestone = next((m for m in plan.milestones if m.milestone_id == key), None) if sheet.row_key == "milestone_id" else None
    if milestone:
        return f"{milestone.measure_id} {milestone.content}"
    if sheet.row_key == "system_id" and key in plan.systems:
        return f"{key} {plan.systems[key].name}"
    measure_id, _, item = key.partition(KEY_SEP)
    if sheet.row_key == "measure_id" and measure_id in plan.measures:
        return f"{measure_id} {plan.measures[measure_id].name}" + (f"・{item}" if item else "")
    return key


class Parser:
    def __init__(self, plan: Plan, file: str, section: str, fy: int = 0) -> None:
        self.plan, self.file, self.section, self.fy = plan, file, section, fy
        self.findings: list[Finding] = []

    def _finding(self, code: str, sheet: SheetDef, key: str, field, cell: RawCell, **extra) -> None:
        value = extra.get("value")
        if isinstance(value, str) and len(value) > 200:  # a message quotes the start of a very long value
            extra["value"] = f"{value[:100]}…（全 {len(value):,} 文字）"
        self.findings.append(make(code, file=self.file, section=self.section, sheet=cell.sheet, cell=cell.cell,
                                  row_key=key, field=field.key, field_label=field.label,
                                  row_label=row_label(self.plan, sheet, key), **extra))

    def parse(self, book: Workbook, form: FormDef) -> dict[str, Rows]:
        parsed: dict[str, Rows] = {}
        for sheet in form.sheets:
            values = book.sheets.get(sheet.key)
            rows: Rows = {}
            for key, cells in (values.rows.items() if values else ()):
                kpi = self.plan.kpis.get(key) if sheet.row_key == "kpi_id" else None
                if kpi and kpi.relisted_of:
                    rows[key] = {}  # 再掲: entered at home only; this row's cells are locked and not read
                    continue
                if kpi and self.plan.measures[kpi.measure_id].owner != self.section:  # 共同担当: 取組結果 of 分担 only
                    shares = self.plan.measures[kpi.measure_id].co_input == "分担" and "result" in cells
                    rows[key] = {"result": self._value(sheet, key, sheet.field("result"), cells["result"])} if shares else {}
                    continue
                rows[key] = {f.key: self._value(sheet, key, f, cells[f.key])
                             for f in sheet.fields if f.kind == "input" and f.key in cells}
            parsed[sheet.key] = rows
        return parsed

    def _value(self, sheet: SheetDef, key: str, field, cell: RawCell) -> Value:
        if isinstance(cell.value, ExcelError):
            self._finding("S6", sheet, key, field, cell, value=cell.value.text)
            return Value(cell.value.text, None, "", cell.sheet, cell.cell)
        if isinstance(cell.value, UnsavedFormula):
            self._finding("S9", sheet, key, field, cell, value=str(cell.value))
            return Value(str(cell.value), None, "", cell.sheet, cell.cell)
        raw = clean_text(cell.value)
        if is_blank(cell.value):
            return Value("", None, "", cell.sheet, cell.cell)
        if isinstance(cell.value, str) and not self._text_ok(sheet, key, field, cell):
            return Value(_CONTROL.sub(_shown, raw), None, "", cell.sheet, cell.cell)
        if field.value_type == "number":
            if isinstance(cell.value, (dt.date, dt.datetime)):  # Excel gave the cell a date format: 「3/4」 → 3月4日
                self._finding("V8", sheet, key, field, cell, value=raw, date=f"{cell.value:%Y/%m/%d}",
                              reason="セルの表示形式が日付です")
                return Value(raw, None, raw, cell.sheet, cell.cell)
            kpi = self.plan.kpis.get(key) if sheet.row_key == "kpi_id" else None
            number = parse_number(cell.value)
            counted = split_count_unit(cell.value, kpi.unit) if number.error and kpi and isinstance(cell.value, str) else None
            if counted and not parse_number(counted[0]).error:
                if counted[1] not in unit_names(kpi.unit):  # 「90件」 in a KPI counted in 手続: never converted
                    self._finding("V3", sheet, key, field, cell, value=counted[1], expected=kpi.unit)
                    return Value(raw, None, raw, cell.sheet, cell.cell)
                number = parse_number(counted[0])  # 「90手続」 in a 手続 KPI: read, with an N1 below
            if number.error:
                self._finding("V2", sheet, key, field, cell, value=raw)
                return Value(raw, None, raw, cell.sheet, cell.cell)
            serial = self._date_serial(key, kpi, field, cell, number.value)
            if serial:
                self._finding("V8", sheet, key, field, cell, value=raw, date=f"{serial[0]:%Y/%m/%d}", reason=serial[1])
                return Value(raw, None, raw, cell.sheet, cell.cell, held=number.value)  # a waiver confirms it
            if cell.divisor != 1 and not isinstance(cell.value, str):
                shown = number.value / cell.divisor
                self._finding("N1", sheet, key, field, cell, expected=format_number(shown, 3),
                              value=f"{raw}（表示形式で {format_number(cell.divisor)} 分の1 の {format_number(shown, 3)} と表示）")
                return Value(raw, shown, "", cell.sheet, cell.cell)
            unit = kpi.unit if kpi else "千円"
            if kpi and kpi.is_percent and field.key == "actual":
                return self._percent(sheet, key, field, cell, raw, number, kpi)
            if number.unit and number.unit != unit:
                self._finding("V3", sheet, key, field, cell, value=number.unit, expected=unit)
                return Value(raw, None, raw, cell.sheet, cell.cell)
            if number.changed:
                self._finding("N1", sheet, key, field, cell, value=raw, expected=format_number(number.value, 3))
            return Value(raw, number.value, "", cell.sheet, cell.cell)
        if field.value_type == "date":
            return self._date(sheet, key, field, cell, raw)
        if isinstance(cell.value, (dt.date, dt.datetime)) and field.value_type == "text":
            # Excel turns "1-2" into 2 January: keep what was read, and say so
            self._finding("N1", sheet, key, field, cell, value=raw,
                          expected=f"日付 {cell.value:%Y/%m/%d}（「1-2」のような入力が日付に変わった可能性があります）")
            return Value(raw, None, raw, cell.sheet, cell.cell)
        if field.choices:
            return self._choice(sheet, key, field, cell, raw)
        meaning = placeholder_meaning(raw)
        if meaning:  # kept as typed (K4 and V1 see a filled cell), but never silently
            self._finding("V9", sheet, key, field, cell, value=raw, meaning=meaning)
        return Value(raw, None, raw, cell.sheet, cell.cell)

    def _references(self, kpi) -> str:
        """The KPI's reference values, as a date-serial finding quotes them (only ever asked for a KPI)."""
        values = (kpi.baseline, kpi.target, self.plan.year_target(kpi.kpi_id, self.fy), self._last(kpi))
        return "・".join(format_number(v) for v in values if v is not None)

    def _last(self, kpi) -> float | None:
        last = self.plan.actual(kpi.kpi_id, self.fy - 1)
        return last.value if last else None

    def _date_serial(self, key: str, kpi, field, cell: RawCell, value: float) -> tuple[dt.date, str] | None:
        """A number that is really a date typed into a number cell, and why it is taken for one: 「3/4」 (3 of 4)
        becomes 4 March, a typed 2024/3/31 becomes 45382 — in a protected cell (every form's) with the cell's
        own number format kept. Told by the cell's date format, or by a whole number that is a date of these
        years and: for a KPI actual, more than DATE_SERIAL_FACTOR × every reference value, or no reference value
        at all; for an amount (予算額・決算額・運用経費), more than the plan's amount, or no planned amount."""
        if isinstance(cell.value, str) or not float(value).is_integer():
            return None
        day = excel_date(value)
        if cell.date_style or day is None:
            return (day, "セルの表示形式が日付です") if day else None
        last_year = max(self.fy + 3, dt.date.today().year + 1)
        if not self.fy - 1 <= day.year <= last_year:
            return None
        of_the_years = f"{self.fy - 1}〜{last_year}年の日付にあたる整数です"
        if kpi is not None and field.key == "actual":
            references = [abs(v) for v in (kpi.baseline, kpi.target, self.plan.year_target(kpi.kpi_id, self.fy),
                                           self._last(kpi)) if v is not None]
            if not references:
                return (day, f"比べる基準値・目標値・前年度の実績がなく、{of_the_years}") if self.fy else None
            if value > DATE_SERIAL_FACTOR * max(references):
                return day, f"基準値・目標値・前年度の実績（{self._references(kpi)}）から大きく離れています"
            return None
        if field.key not in AMOUNT_FIELDS or not self.fy:  # the round's year unknown: no years to tell by
            return None
        planned = self._planned_amount(key, field)
        if planned is None:
            return day, f"比べる計画の額がなく、{of_the_years}"
        if value > planned:
            return day, f"計画の額（{format_number(planned)} 千円）を超える、{of_the_years}"
        return None

    def _planned_amount(self, key: str, field) -> float | None:
        """The plan's amount an amount cell is part of: the measure's budget for its 予算・決算 rows (a 科目 or
        財源 is part of it, the 決算 rarely above it), the system's running cost for its 運用経費."""
        if field.key == "opex_actual":
            system = self.plan.systems.get(key)
            cost = system.opex_for(self.fy) if system else None
            return abs(cost.value) if cost and cost.numeric else None
        budget = self.plan.budget(key.partition(KEY_SEP)[0], self.fy)
        amounts = [abs(v) for v in (budget.budget, budget.settlement) if v is not None] if budget else []
        return max(amounts) if amounts else None

    def _text_ok(self, sheet: SheetDef, key: str, field, cell: RawCell) -> bool:
        """Control characters (NUL …) never come from typing: refuse the value (V10). Text over Excel's cell
        limit is kept whole in the store, but outputs must cut it: say so (V11)."""
        bad = _CONTROL.search(cell.value)
        if bad:
            self._finding("V10", sheet, key, field, cell, value=_shown(bad))
            return False
        if len(cell.value) > EXCEL_TEXT_LIMIT:
            self._finding("V11", sheet, key, field, cell, value=f"{len(cell.value):,}", expected=f"{EXCEL_TEXT_LIMIT:,}")
        return True

    def _percent(self, sheet: SheetDef, key: str, field, cell: RawCell, raw: str, number, kpi) -> Value:
        """% KPIs are kept as percent numbers (82.5). A cell shown as a percentage holds 0.825 for 82.5%;
        a bare 0.825 where the KPI's figures are tens of percent is ambiguous — an error, never a guess
        (not for ポイント: half a point is 0.5, never 50 %)."""
        value = number.value
        if cell.percent and not isinstance(cell.value, str):
            value = round(value * 100, 10)
            self._finding("N1", sheet, key, field, cell, value=f"{raw}（% 表示）", expected=format_number(value, 3))
            return Value(raw, value, "", cell.sheet, cell.cell)
        scale = [abs(v) for v in (kpi.baseline, kpi.target, self.plan.year_target(kpi.kpi_id, self.fy)) if v]
        if (0 < abs(value) <= 1 and number.unit != "%" and kpi.unit in ("%", "％")
                and (not scale or min(scale) > 1.5)):  # no reference values: just as ambiguous
            self._finding("V4", sheet, key, field, cell, value=raw, value_pct=format_number(value * 100, 3),
                          baseline=format_number(kpi.baseline) or "なし", target=format_number(kpi.target) or "なし")
            return Value(raw, None, raw, cell.sheet, cell.cell, held=round(value * 100, 10))
        if number.changed:
            self._finding("N1", sheet, key, field, cell, value=raw, expected=format_number(value, 3))
        return Value(raw, value, "", cell.sheet, cell.cell)

    def _date(self, sheet: SheetDef, key: str, field, cell: RawCell, raw: str) -> Value:
        try:
            date = parse_date(cell.value)
        except YearError as exc:
            self._finding("V7", sheet, key, field, cell, value=raw, reason=str(exc))
            return Value(raw, None, "", cell.sheet, cell.cell)
        if isinstance(cell.value, str):
            self._finding("N1", sheet, key, field, cell, value=raw, expected=date.isoformat())
        return Value(raw, None, date.isoformat(), cell.sheet, cell.cell)

    def _choice(self, sheet: SheetDef, key: str, field, cell: RawCell, raw: str) -> Value:
        if raw in field.choices:
            return Value(raw, None, raw, cell.sheet, cell.cell)
        variant = normalise_grade(raw) if field.value_type == "grade" else normalise_key(raw)
        if field.key == "schedule":  # the city's ○ / △ (Sasebo's challenge marks), 遅れている …
            variant = schedule_status(raw) or variant
        if variant in field.choices:
            self._finding("N1", sheet, key, field, cell, value=raw, expected=variant)
            return Value(raw, None, variant, cell.sheet, cell.cell)
        self._finding("V5", sheet, key, field, cell, value=raw, expected="・".join(field.choices))
        return Value(raw, None, "", cell.sheet, cell.cell)
