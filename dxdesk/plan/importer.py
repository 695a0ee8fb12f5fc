"""Import the plan master workbook (docs/plan-master.md) into a Plan, with findings for bad rows."""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

from dxdesk.labels import LABELS
from dxdesk.plan import import_schedule as sched
from dxdesk.normalize import clean_text, is_blank, normalise_key, parse_number
from dxdesk.plan import model as m
from dxdesk.plan.table import Cell, Table, read_table
from dxdesk.rules.findings import Finding, make
from dxdesk.rules.scales import all_scales, find_scale, normalise_grade
from dxdesk.xlsx import reading_workbook
from dxdesk.years import YearError, parse_fy

REQUIRED_COLUMNS = {
    "課所室": ("課コード", "課所室名"),
    "施策": ("施策ID", "施策名", "担当課コード", "ライフサイクル段階"),
    "指標": ("指標ID", "施策ID", "指標名", "単位", "方向"),
    "年度目標": ("指標ID", "年度", "目標値"),
    "実績": ("指標ID", "年度", "実績値"),
    "予算": ("施策ID", "年度"),
    **sched.REQUIRED,
}
# Every column dxdesk reads, by sheet: any other header is a P8 finding (a misspelt column would
# otherwise be silently ignored). The 施策 sheet's hierarchy columns (between 施策ID and 施策名) are free.
UNIT_COST_KPI = "単価指標ID"  # 施策 sheet, optional: the KPI the measure's cost per unit (M5) is computed against
LEVEL_COLUMN = "階層"  # 施策 sheet, optional: the level a row stands at (課題 …) when it is not a 施策 (a leaf)
MARK_COLUMN = "工程"   # 年度目標 sheet, optional: the year's schedule mark ○ / ⇒ / …
# How marks are typed: 〇 (kanji zero) and ◯ for ○, → and => for ⇒, ... and ・・・ for ….
MARK_SPELLINGS = {"○": "○", "〇": "○", "◯": "○", "⇒": "⇒", "→": "⇒", "=>": "⇒", "＝＞": "⇒", "…": "…", "...": "…",
                  "・・・": "…", "‥": "…", "⋯": "…"}


def _labels(*keys: str) -> tuple[str, ...]:
    return tuple(LABELS[k] for k in keys)


KNOWN_COLUMNS = {
    "課所室": _labels("section_code", "dept", "section_name", "person", "email"),
    "施策": _labels("measure_id", "measure_name") + ("施策概要", "担当課コード", "ライフサイクル段階", "関連事業名",
                                                    UNIT_COST_KPI, "共同担当の入力", LEVEL_COLUMN),
    "指標": _labels("kpi_id", "measure_id", "kpi_name", "kpi_kind", "unit", "direction", "basis", "baseline",
                  "baseline_fy", "target", "target_fy", "comparator", "relisted_id")
            + ("算出式・設定根拠", "算出区分", "構成指標ID"),
    "年度目標": _labels("kpi_id", "fy", "target") + (MARK_COLUMN,),
    "実績": _labels("kpi_id", "fy", "actual", "self_grade") + ("備考",),
    "予算": ("施策ID", "年度", "予算額", "決算額", "共有予算ID"),
    "マイルストーン": sched.MILESTONE_COLUMNS,
    "システム": sched.SYSTEM_COLUMNS,
    "重点項目": sched.ITEM_COLUMNS,
}
KNOWN_SHEETS = ("計画",) + tuple(KNOWN_COLUMNS)
REQUIRED_SHEETS = ("課所室", "施策", "指標")
ALIASES = {
    "方向": {"増加": "増加", "上昇": "増加", "増": "増加", "↑": "増加", "高いほど良い": "増加", "多いほど良い": "増加",
             "大きいほど良い": "増加", "減少": "減少", "低下": "減少", "減": "減少", "↓": "減少", "低いほど良い": "減少",
             "少ないほど良い": "減少", "小さいほど良い": "減少", "維持": "維持", "現状維持": "維持", "→": "維持"},
    "指標区分": {"アウトカム": "アウトカム", "成果": "アウトカム", "成果指標": "アウトカム",
               "アウトプット": "アウトプット", "活動": "アウトプット", "活動指標": "アウトプット"},
    "集計": {"単年度": "単年度", "単年": "単年度", "年": "単年度", "/年": "単年度", "累計": "累計", "累積": "累計"},
    "目標条件": {"以上": "以上", "以下": "以下", "": ""},
    "共同担当の入力": {"参照": "参照", "閲覧": "参照", "見るだけ": "参照", "分担": "分担", "追記": "分担",
                  "一部を入力": "分担", "": "参照"},
}
_SPLIT_CODES = re.compile(r"[、,，/／\n\s・]+")
NO_BASELINE_WORDS = ("-", "—", "―", "ー", "－", "新規", "なし", "無し", "―――")


class _Reader:
    """Per-workbook state: the file name for messages and the findings collected so far."""

    def __init__(self, path: Path) -> None:
        self.file = path.name
        self.findings: list[Finding] = []
        self.rejected: dict[str, str] = {}  # id of a row not imported → its sheet
        self.orphans: dict[str, int] = {}   # that id → dependent rows skipped with it
        self.measure_rows: dict[str, int] = {}  # measure id → its row on the 施策 sheet

    def bad(self, table: Table, cell: Cell, column: str, reason: str, hint: str) -> None:
        self.findings.append(make("P3", file=self.file, sheet=table.sheet, cell=cell.ref, column=column,
                                  value=clean_text(cell.value), reason=reason, expected_hint=hint))

    def text(self, table: Table, cells: list[Cell], column: str) -> str:
        return table.text(cells, column)

    def required_text(self, table: Table, cells: list[Cell], column: str, row: int) -> str | None:
        value = self.text(table, cells, column)
        if not value:
            ref = table.col_ref(column, row) if table.has(column) else f"{row}行目"
            self.findings.append(make("P3", file=self.file, sheet=table.sheet, cell=ref, column=column,
                                      value="（空欄）", reason="必須項目です。",
                                      expected_hint=f"「{column}」を入力してください。この行は取り込んでいません。"))
            return None
        return value

    def choice(self, table: Table, cells: list[Cell], column: str, default: str | None = None) -> str | None:
        cell = table.get(cells, column)
        raw = clean_text(cell.value) if cell else ""
        if not raw and default is not None:
            return default
        value = ALIASES[column].get(normalise_key(raw))
        if value is None:
            allowed = " / ".join(sorted({v for v in ALIASES[column].values() if v}))
            self.bad(table, cell or Cell(raw, False, table.sheet), column, f"使える値は {allowed} です。",
                     f"{allowed} のいずれかを入力してください。この行は取り込んでいません。")
        return value

    def number(self, table: Table, cells: list[Cell], column: str, percent: bool = False,
               allow_text: bool = False, unit: str = "") -> tuple[float | None, str, bool]:
        """(number, text kept when not a number, ok). The KPI's own unit after the number is allowed
        (「1,234件」 in a 件 KPI); any other unit is not a number."""
        cell = table.get(cells, column)
        if cell is None or is_blank(cell.value):
            return None, "", True
        raw = clean_text(cell.value)
        if raw in NO_BASELINE_WORDS:
            return None, raw, True
        parsed = parse_number(cell.value)
        if parsed.error:
            parsed = parse_number(_strip_unit(raw, unit))
        if parsed.error:
            if allow_text:
                return None, raw, True
            self.bad(table, cell, column, "数値として読めません。", "数値を入力してください。この行は取り込んでいません。")
            return None, raw, False
        value = parsed.value
        if percent and cell.percent and isinstance(cell.value, (int, float)):
            value = round(value * 100, 10)
        return value, "", True

    def fy(self, table: Table, cells: list[Cell], column: str, required: bool = False) -> tuple[int | None, bool]:
        cell = table.get(cells, column)
        if cell is None or is_blank(cell.value):
            if required:
                self.required_text(table, cells, column, int(re.sub(r"\D", "", cells[0].ref) or 0))
            return None, not required
        try:
            return parse_fy(cell.value), True
        except YearError as exc:
            self.bad(table, cell, column, str(exc) + "。",
                     "2024 / R6 / 令和6年度 のように入力してください。この行は取り込んでいません。")
            return None, False


def _strip_unit(text: str, unit: str) -> str:
    """「1,234件」 in a 件 KPI → 「1,234」 (the KPI's own unit only; % is parse_number's business)."""
    if unit and unit not in ("%", "％") and text.endswith(unit) and len(text) > len(unit):
        return text[: -len(unit)]
    return text


STAGE_WORDS = {name: stage for stage, name in m.STAGE_NAMES.items()}


def normalise_stage(value: object) -> str | None:
    """1 / ２ / 3・4 / 3･4 / 3,4 / 2（拡大期）/ 拡大期 → the stage; anything else → None."""
    text = unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")
    if text in STAGE_WORDS:
        return STAGE_WORDS[text]
    text = re.sub(r"[(（].*[)）]$", "", text)                 # 2（拡大期）
    text = re.sub(r"^(?:段階|ステージ|第)", "", text).removesuffix("段階").removesuffix("期")
    text = re.sub(r"[･・\-ー,、/~〜]", "・", text).removesuffix(".0")
    text = {"34": "3・4", "3・4期": "3・4"}.get(text, text)
    return text if text in m.STAGES else None


def import_plan(path: str | Path) -> tuple[m.Plan, list[Finding]]:
    """Read the plan master workbook. Bad rows are skipped with a finding; never raises on content."""
    path = Path(path)
    reader = _Reader(path)
    with reading_workbook(path) as workbook:
        names = {normalise_key(n): n for n in workbook.sheetnames}
        for name in workbook.sheetnames:
            if normalise_key(name) not in {normalise_key(k) for k in KNOWN_SHEETS}:
                sched.unknown_sheet(reader, name, KNOWN_SHEETS)
        tables: dict[str, Table] = {}
        for sheet, columns in REQUIRED_COLUMNS.items():
            real = names.get(normalise_key(sheet))
            if real is None:
                if sheet in REQUIRED_SHEETS:
                    reader.findings.append(make("P1", file=reader.file, sheet=sheet))
                continue
            table = read_table(workbook[real], columns[0])
            missing = [c for c in columns if table is None or not table.has(c)]
            if missing:
                for column in missing:
                    reader.findings.append(make("P2", file=reader.file, sheet=real, expected=column))
                continue
            tables[sheet] = table
            sched.accept_unit_suffixes(table, KNOWN_COLUMNS[sheet])
            sched.unknown_columns(reader, table, KNOWN_COLUMNS[sheet], _level_columns(table) if sheet == "施策" else range(0))
        plan = m.Plan()
        settings = names.get(normalise_key("計画"))
        if settings:
            _read_settings(reader, workbook[settings], plan)
    if all(s in tables for s in REQUIRED_SHEETS):
        _read_sections(reader, tables["課所室"], plan)
        _read_measures(reader, tables["施策"], plan)
        _read_kpis(reader, tables["指標"], plan)
        _check_unit_cost_kpis(reader, tables["施策"], plan)
        if "年度目標" in tables:
            _read_year_targets(reader, tables["年度目標"], plan)
        if "実績" in tables:
            _read_history(reader, tables["実績"], plan)
        if "予算" in tables:
            _read_budgets(reader, tables["予算"], plan)
        if "マイルストーン" in tables:
            sched.read_milestones(reader, tables["マイルストーン"], plan)
        if "システム" in tables:
            sched.read_systems(reader, tables["システム"], plan)
        if "重点項目" in tables:
            sched.read_items(reader, tables["重点項目"], plan)
    for parent, count in reader.orphans.items():
        reader.findings.append(make("P7", file=reader.file, sheet=reader.rejected[parent], value=parent,
                                    count=count))
    return plan, reader.findings


def _read_settings(reader: _Reader, worksheet, plan: m.Plan) -> None:
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if not row or len(row) < 2:
            continue
        key, value = normalise_key(row[0]), clean_text(row[1])
        if key == "計画名" and value:
            plan.name = value
        elif key == "計画期間":
            plan.period = value
        elif key in ("版", "改定", "策定・改定") and value:
            plan.edition = value
        elif key in ("施策の階層名", "最下層の階層名") and value:
            plan.leaf_level = value
        elif key == "評価尺度" and value:
            found = find_scale(value)
            if found is None:  # never a silent fall-back to A〜D
                names = "・".join(f"{k}（{s.title}）" for k, s in all_scales().items())
                reader.findings.append(make(
                    "P3", file=reader.file, sheet=worksheet.title, cell=f"B{number}", column="評価尺度", value=value,
                    reason=f"この評価尺度は組み込みにも規則集（評価尺度定義）にもありません。使える評価尺度: {names}。",
                    expected_hint="評価尺度を直すか、規則集の「評価尺度定義」シートで定義してから取り込み直してください。"
                                  "それまでは A〜D（AD2）で扱います。"))
            else:
                plan.grade_scale = found


def _duplicate(reader: _Reader, table: Table, column: str, row: int, value: str, seen: dict[str, int]) -> bool:
    if value in seen:
        reader.findings.append(make("P4", file=reader.file, sheet=table.sheet, cell=table.col_ref(column, row),
                                    value=value, first=f"{seen[value]}行目"))
        return True
    seen[value] = row
    return False


def _check_unit_cost_kpis(reader: _Reader, table: Table, plan: m.Plan) -> None:
    """単価指標ID must be a KPI of that measure; otherwise a finding, and no cost per unit for it."""
    for measure in list(plan.measures.values()):
        kpi = plan.kpis.get(measure.unit_cost_kpi)
        if not measure.unit_cost_kpi or (kpi and kpi.measure_id == measure.measure_id):
            continue
        reader.findings.append(make(
            "P3", file=reader.file, sheet=table.sheet, column=UNIT_COST_KPI, value=measure.unit_cost_kpi,
            cell=table.col_ref(UNIT_COST_KPI, reader.measure_rows.get(measure.measure_id, 0)),
            reason=f"施策 {measure.measure_id} の指標として指標シートにありません。",
            expected_hint="この施策の指標IDにするか、空欄にしてください（単位あたりの費用 M5 は計算しません）。"))
        plan.measures[measure.measure_id] = dataclasses.replace(measure, unit_cost_kpi="")


def _missing_ref(reader: _Reader, table: Table, column: str, row: int, value: str, target: str) -> None:
    if value in reader.rejected:  # its parent row had its own finding: count, do not repeat
        reader.orphans[value] = reader.orphans.get(value, 0) + 1
        return
    reader.findings.append(make("P5", file=reader.file, sheet=table.sheet, cell=table.col_ref(column, row),
                                column=column, value=value, target=target))


def _read_sections(reader: _Reader, table: Table, plan: m.Plan) -> None:
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        code = reader.required_text(table, cells, "課コード", row)
        name = reader.required_text(table, cells, "課所室名", row)
        if not code or not name or _duplicate(reader, table, "課コード", row, code, seen):
            continue
        plan.sections[code] = m.Section(code=code, name=name, dept=reader.text(table, cells, "部局"),
                                        person=reader.text(table, cells, "担当者"),
                                        email=reader.text(table, cells, "メール"))


def _level_columns(table: Table) -> range:
    """The plan's hierarchy columns: between 施策ID and 施策名."""
    first, last = table.columns[normalise_key("施策ID")], table.columns[normalise_key("施策名")]
    return range(first + 1, last)


def _read_measures(reader: _Reader, table: Table, plan: m.Plan) -> None:
    level_cols = list(_level_columns(table))
    plan.level_names = tuple(clean_text(table.headers[c]) for c in level_cols)
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        measure_id = reader.required_text(table, cells, "施策ID", row)
        if measure_id and measure_id not in seen:
            reader.rejected[measure_id] = table.sheet  # until the row is accepted below
        name = reader.required_text(table, cells, "施策名", row)
        codes_text = reader.required_text(table, cells, "担当課コード", row)
        if not measure_id or not name or not codes_text:
            continue
        if _duplicate(reader, table, "施策ID", row, measure_id, seen):
            continue
        codes = tuple(c for c in _SPLIT_CODES.split(codes_text) if c)
        unknown = [c for c in codes if c not in plan.sections]
        if unknown:
            _missing_ref(reader, table, "担当課コード", row, "、".join(unknown), "課所室シート")
            continue
        stage_cell = table.get(cells, "ライフサイクル段階")
        stage = normalise_stage(stage_cell.value if stage_cell else None)
        if stage is None:
            reader.bad(table, stage_cell or Cell("", False, f"{row}行目"), "ライフサイクル段階",
                       "使える値は 1, 2, 3, 3・4, 4, 5 です。", "段階を入力してください。この行は取り込んでいません。")
            continue
        co_input = reader.choice(table, cells, "共同担当の入力", default="参照") if table.has("共同担当の入力") else "参照"
        if co_input is None:
            continue
        level = _row_level(reader, table, cells, plan)
        if level is None:
            continue
        levels = tuple(clean_text(cells[c].value) if c < len(cells) else "" for c in level_cols)
        reader.rejected.pop(measure_id, None)
        plan.measures[measure_id] = m.Measure(
            measure_id=measure_id, name=name, levels=levels, section_codes=codes, stage=stage,
            summary=reader.text(table, cells, "施策概要"), project=reader.text(table, cells, "関連事業名"),
            unit_cost_kpi=reader.text(table, cells, UNIT_COST_KPI) if table.has(UNIT_COST_KPI) else "",
            co_input=co_input, level=level)
        reader.measure_rows[measure_id] = row


def _row_level(reader: _Reader, table: Table, cells: list[Cell], plan: m.Plan) -> str | None:
    """The 階層 a row of the 施策 sheet stands at: "" for the sheet's own level (施策, or the plan's
    施策の階層名), a hierarchy column's name for a row that carries that level's KPIs (課題 …); None (a P3) else."""
    cell = table.get(cells, LEVEL_COLUMN) if table.has(LEVEL_COLUMN) else None
    level = clean_text(cell.value) if cell else ""
    if level in ("", plan.leaf_level, m.LEAF_LEVEL):
        return ""
    if level in plan.level_names:
        return level
    allowed = "・".join((*plan.level_names, plan.leaf_level))
    reader.bad(table, cell, LEVEL_COLUMN, f"計画の階層は {allowed} です（施策シートの階層列と 計画シートの 施策の階層名）。",
               f"{allowed} のいずれか（空欄は {plan.leaf_level}）を入力してください。この行は取り込んでいません。")
    return None


def _read_kpis(reader: _Reader, table: Table, plan: m.Plan) -> None:
    seen: dict[str, int] = {}
    relisted: list[tuple[int, str, str]] = []
    composites: list[tuple[int, str, str, tuple[str, ...]]] = []
    for row, cells in table.rows:
        values = [reader.required_text(table, cells, c, row) for c in ("指標ID", "施策ID", "指標名", "単位")]
        if values[0] and values[0] not in seen:
            reader.rejected[values[0]] = table.sheet  # until the row is accepted below
        kind = reader.choice(table, cells, "指標区分", default="")
        direction = reader.choice(table, cells, "方向")
        basis = reader.choice(table, cells, "集計", default="")
        for column, value, assumed in (("指標区分", kind, "（未設定）"), ("集計", basis, "単年度")):
            if value == "" and table.has(column):
                reader.findings.append(make("P6", file=reader.file, sheet=table.sheet, cell=table.col_ref(column, row),
                                            column=column, value="（空欄）", expected=assumed))
        if basis == "":
            basis = "単年度"
        comparator = reader.choice(table, cells, "目標条件", default="") if table.has("目標条件") else ""
        if None in values or None in (kind, direction, basis, comparator):
            continue
        kpi_id, measure_id, name, unit = values
        if _duplicate(reader, table, "指標ID", row, kpi_id, seen):
            continue
        if measure_id not in plan.measures:
            _missing_ref(reader, table, "施策ID", row, measure_id, "施策シート")
            continue
        percent = unit in ("%", "％")
        baseline, baseline_text, ok1 = reader.number(table, cells, "基準値", percent, unit=unit)
        target, target_text, ok2 = reader.number(table, cells, "目標値", percent, allow_text=True, unit=unit)
        inline = re.search(r"(以上|以下)$", target_text)
        if target is None and inline:  # 「80.0%以上」 in one cell: the floor or ceiling, said once
            target = parse_number(_strip_unit(target_text[: inline.start()], unit)).value
            if target is not None:
                comparator = comparator or inline.group(1)
                target_text = ""
        baseline_fy, ok3 = reader.fy(table, cells, "基準年度")
        target_fy, ok4 = reader.fy(table, cells, "目標年度")
        if not (ok1 and ok2 and ok3 and ok4):
            continue
        reader.rejected.pop(kpi_id, None)
        relisted_of = reader.text(table, cells, "再掲元指標ID")
        if relisted_of:
            relisted.append((row, kpi_id, relisted_of))
        formula = reader.text(table, cells, "算出区分") if table.has("算出区分") else ""
        if formula and formula not in m.FORMULAS:
            reader.bad(table, table.get(cells, "算出区分"), "算出区分", f"使える値は {'・'.join(m.FORMULAS)} です。",
                       "空欄（普通の指標）か、比率・積・複数項目 のいずれかにしてください。算出区分なしで取り込みました。")
        elif formula:
            parts = tuple(p for p in _SPLIT_CODES.split(reader.text(table, cells, "構成指標ID")) if p)
            composites.append((row, kpi_id, formula, parts))
        plan.kpis[kpi_id] = m.Kpi(
            kpi_id=kpi_id, measure_id=measure_id, name=name, kind=kind, unit="%" if percent else unit,
            direction=direction, basis=basis, baseline=baseline, baseline_text=baseline_text,
            baseline_fy=baseline_fy, target=target, target_text=target_text, target_fy=target_fy,
            comparator=comparator, relisted_of=relisted_of, rationale=reader.text(table, cells, "算出式・設定根拠"))
    for row, kpi_id, home in relisted:
        if home not in plan.kpis:
            _missing_ref(reader, table, "再掲元指標ID", row, home, "指標シート")
            plan.kpis[kpi_id] = dataclasses.replace(plan.kpis[kpi_id], relisted_of="")
    for row, kpi_id, formula, parts in composites:
        missing = [p for p in parts if p not in plan.kpis]
        if missing:
            _missing_ref(reader, table, "構成指標ID", row, "、".join(missing), "指標シート")
        elif formula == "比率" and len(parts) != 2:
            reader.findings.append(make("P3", file=reader.file, sheet=table.sheet, cell=table.col_ref("構成指標ID", row),
                                        column="構成指標ID", value="、".join(parts), reason="比率は分子と分母の2つです。",
                                        expected_hint="「分子の指標ID,分母の指標ID」の順に入力してください。"))
        else:
            plan.kpis[kpi_id] = dataclasses.replace(plan.kpis[kpi_id], formula=formula, parts=parts)


def _kpi_rows(reader: _Reader, table: Table, plan: m.Plan):
    """Rows of a per-KPI-per-year sheet with a known KPI and a readable year."""
    for row, cells in table.rows:
        kpi_id = reader.required_text(table, cells, "指標ID", row)
        if not kpi_id:
            continue
        if kpi_id not in plan.kpis:
            _missing_ref(reader, table, "指標ID", row, kpi_id, "指標シート")
            continue
        fy, ok = reader.fy(table, cells, "年度", required=True)
        if fy is not None and ok:
            yield row, cells, plan.kpis[kpi_id], fy


def _read_year_targets(reader: _Reader, table: Table, plan: m.Plan) -> None:
    for _row, cells, kpi, fy in _kpi_rows(reader, table, plan):
        value, _, ok = reader.number(table, cells, "目標値", kpi.is_percent)
        if ok and value is not None:
            plan.year_targets[(kpi.kpi_id, fy)] = value
        cell = table.get(cells, MARK_COLUMN) if table.has(MARK_COLUMN) else None
        if cell is None or is_blank(cell.value):
            continue
        mark = MARK_SPELLINGS.get(clean_text(cell.value).replace(" ", ""))
        if mark is None:
            reader.bad(table, cell, MARK_COLUMN, "工程の記号は ○（実施）・⇒（継続）・…（検討・準備）です。",
                       "○・⇒・… のいずれかを入力してください。この年度の工程は取り込んでいません。")
        else:
            plan.marks[(kpi.kpi_id, fy)] = mark


def _read_history(reader: _Reader, table: Table, plan: m.Plan) -> None:
    for row, cells, kpi, fy in _kpi_rows(reader, table, plan):
        value, text, _ = reader.number(table, cells, "実績値", kpi.is_percent, allow_text=True, unit=kpi.unit)
        note = reader.text(table, cells, "備考")
        if text and text not in NO_BASELINE_WORDS:  # 構築完了, 達成 …: kept as text, never as a number
            reader.findings.append(make("P6", file=reader.file, sheet=table.sheet, cell=table.col_ref("実績値", row),
                                        column="実績値", value=text, expected="文字の実績（数値なし）"))
            note = f"実績: {text}" + (f" / {note}" if note else "")
        plan.history.append(m.HistoryActual(
            kpi_id=kpi.kpi_id, fy=fy, value=value,
            self_grade=normalise_grade(reader.text(table, cells, "自己評価")) if table.has("自己評価") else "",
            note=note))


def _read_budgets(reader: _Reader, table: Table, plan: m.Plan) -> None:
    for row, cells in table.rows:
        measure_id = reader.required_text(table, cells, "施策ID", row)
        if not measure_id:
            continue
        if measure_id not in plan.measures:
            _missing_ref(reader, table, "施策ID", row, measure_id, "施策シート")
            continue
        fy, ok = reader.fy(table, cells, "年度", required=True)
        budget, _, ok1 = reader.number(table, cells, "予算額")
        settlement, _, ok2 = reader.number(table, cells, "決算額")
        if fy is not None and ok and ok1 and ok2:
            shared = reader.text(table, cells, "共有予算ID") if table.has("共有予算ID") else ""
            plan.budgets.append(m.Budget(measure_id, fy, budget, settlement, shared))
