"""The demo round: the sample plan, forms distributed, returns simulated from the real FY2023 actuals
(with the faults real returns have), collected, checked and consolidated — all offline."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jaconv
import openpyxl

from dxdesk import jobs
from dxdesk.errors import DxdeskError
from dxdesk.forms.definition import BUDGET_SHEET, BUDGET_TOTAL, PROGRESS_SHEET, SheetDef
from dxdesk.forms.schedule import MILESTONE_SHEET, SYSTEM_SHEET
from dxdesk.labels import LABELS
from dxdesk.plan.milestones import DONE, IN_PROGRESS, NOT_STARTED
from dxdesk.plan.model import KPI_MANAGED_STAGES, SCHEDULE_MANAGED_STAGES, UNGRADED_STAGES, Plan
from dxdesk.progress import NullProgress, Progress
from dxdesk.rules.findings import severity_counts
from dxdesk.rules.kpi import NOT_EVALUATED
from dxdesk.rules.scales import scale
from dxdesk.sample import SAMPLE_DIR, read_csv, write_plan_workbook
from dxdesk.store.workspace import init_workspace

MARKER = ".dxdesk-demo"
DEMO_FY = 2023
DEMO_DEADLINE = dt.date(2024, 5, 17)
STATUS_GRADES = {"完了": "A", "予定どおり": "B", "遅れ": "C", "未着手": "D"}  # 進捗状況 as the section grades it
GENERIC_CAUSE = "周知が十分でなく利用が伸びなかった。今後は窓口・広報紙・SNSでの周知を強化し、手続の見直しを進める。"


# What simulated sections do wrong, and which grades a section needs for the fault to show.
FAULTS = (("zenkaku", set()), ("wrong_grade", {"A", "B"}), ("missing_cause", {"C", "D"}),
          ("not_returned", set()), ("resubmit", {"C", "D"}))


def _grades(plan: Plan, code: str, actuals: dict[str, dict]) -> set[str]:
    return {actuals.get(kpi.kpi_id, {}).get("自己評価", "") for kpi in plan.kpis_of_section(code)}


def assign_faults(plan: Plan, codes: list[str], actuals: dict[str, dict], fy: int) -> dict[str, str]:
    """Section code → fault, each fault on the first free section where it can be seen."""
    assigned: dict[str, str] = {}
    for fault, needs in FAULTS:
        for code in codes:
            if code not in assigned and (not needs or needs & _grades(plan, code, actuals)):
                assigned[code] = fault
                break
    return assigned


@dataclass
class DemoResult:
    root: Path
    workbook: Path
    csv: Path
    findings_csv: Path
    findings: int
    errors: int
    statuses: list
    packs: list = dataclasses.field(default_factory=list)          # jobs.PackResult: hq / public / audit, xlsx and pdf
    sendback: Path | None = None                       # folder of the send-back workbooks
    sendback_files: list = dataclasses.field(default_factory=list)
    mails: Path | None = None                          # folder of the .eml reminder drafts
    mail_files: list = dataclasses.field(default_factory=list)
    status_list: Path | None = None                    # 回収状況.pdf
    open_data: list = dataclasses.field(default_factory=list)      # CSV, JSON and README.txt


def _prepare(root: Path) -> None:
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise DxdeskError(f"{root} は空でなく、デモ用のフォルダでもありません。別のフォルダを --out で指定してください。")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("dxdesk demo\n", encoding="utf-8")


FIRST_RETURNS_AGO = dt.timedelta(days=1)  # the first returns were saved the day before the corrections
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def saved_on(path: Path, moment: dt.datetime) -> None:
    """Make a simulated return look saved at `moment` (UTC): its own saved time (docProps/core.xml) and the
    file's. Without this a corrected return written within the same second as the faulty one would tie with it,
    and which one is latest would depend on the machine's speed."""
    stamp = moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    temp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/core.xml":
                data, count = _MODIFIED.subn(rb"\g<1>" + stamp + rb"\g<2>", data)
                if count != 1:
                    raise ValueError(f"{path.name}: docProps/core.xml has no single dcterms:modified")
            target.writestr(item, data)
    os.replace(temp, path)
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def fill_return(form_path: Path, target: Path, plan: Plan, actuals: dict[str, dict], fy: int,
                fault: str = "", scale_key: str = "AD2", reports: dict[str, dict] | None = None) -> None:
    """Fill a distributed form as the section would (openpyxl on a copy), with one kind of fault.
    `reports` gives this year's milestone and system figures by ID (今年度工程.csv, 今年度システム.csv).

    Actuals, self-grades (自己評価) and schedule statuses (進捗状況) come from the data (今年度実績.csv), never
    from dxdesk's own grading: these returns are what the rules are checked against."""
    wb = openpyxl.load_workbook(form_path)
    ws = wb[PROGRESS_SHEET.name]
    col = {f.key: PROGRESS_SHEET.column(f.key) + 1 for f in PROGRESS_SHEET.fields}
    first = PROGRESS_SHEET.header_row + 1
    wrong_done = cause_done = False
    for r in range(first, ws.max_row + 1):
        kpi_id = ws.cell(r, col["kpi_id"]).value
        if kpi_id not in plan.kpis:
            continue
        kpi, measure = plan.kpis[kpi_id], plan.measures[plan.kpis[kpi_id].measure_id]
        if kpi.relisted_of or ws.cell(r, col["actual"]).protection.locked:
            continue  # 再掲 or 共同担当: locked, entered at its home / by the 主担当
        real = actuals.get(kpi_id, {})
        value = float(real["実績値"]) if real.get("実績値") else None
        schedule = (real.get("進捗状況") or "予定どおり") if measure.stage in SCHEDULE_MANAGED_STAGES else ""
        grade = real.get("自己評価") or (STATUS_GRADES.get(schedule, "") if schedule else "")
        worse = (value is not None and kpi.baseline is not None
                 and (value < kpi.baseline if kpi.direction != "減少" else value > kpi.baseline))
        cause = GENERIC_CAUSE if grade in ("C", "D") or worse else ""
        if measure.stage in KPI_MANAGED_STAGES and value is None:
            grade, cause = NOT_EVALUATED, "令和6年度に指標を整理し、改めて設定するため評価していない。"
        if measure.stage in UNGRADED_STAGES:
            grade = ""
        grade = scale(scale_key).shown.get(grade, grade)
        if value is not None:
            typed = value if fault != "zenkaku" else jaconv.h2z(f"{value:g}", digit=True, ascii=True)
            ws.cell(r, col["actual"]).value = typed
        if fault == "wrong_grade" and not wrong_done and grade in ("A", "B", "◎", "○"):
            grade, wrong_done = {"A": "B", "B": "A", "◎": "○", "○": "◎"}[grade], True
        if fault == "missing_cause" and not cause_done and cause and grade != NOT_EVALUATED:
            cause, cause_done = "", True
        ws.cell(r, col["schedule"]).value = schedule or None
        ws.cell(r, col["self_grade"]).value = grade or None
        ws.cell(r, col["result"]).value = real.get("取組結果") or "計画どおり実施した。"
        ws.cell(r, col["cause"]).value = cause or None
    _fill_budget(wb[BUDGET_SHEET.name], plan)
    fill_repeated(wb, MILESTONE_SHEET, _milestone_reports(plan, fy, reports or {}))
    fill_repeated(wb, SYSTEM_SHEET, _system_reports(plan, fy, reports or {}))
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)


def _milestone_reports(plan: Plan, fy: int, reports: dict[str, dict]) -> dict[str, dict[str, object]]:
    """As a section on schedule reports: what was due is done (in March), what is later is under way or not
    started — unless the sample says otherwise."""
    found = {}
    for m in plan.milestones:
        given = reports.get(m.milestone_id)
        if given:
            found[m.milestone_id] = {"milestone_status": given.get("状況") or None,
                                     "done_month": given.get("実施月") or None,
                                     "delay_reason": given.get("遅延理由") or None}
        elif m.fy is not None:
            status = DONE if m.fy <= fy else (IN_PROGRESS if m.fy == fy + 1 else NOT_STARTED)
            found[m.milestone_id] = {"milestone_status": status,
                                     "done_month": dt.date(min(m.fy, fy) + 1, 3, 1) if status == DONE else None}
    return found


def _system_reports(plan: Plan, fy: int, reports: dict[str, dict]) -> dict[str, dict[str, object]]:
    """This year's running cost and use: from the sample, else the plan's figure for the year (無し → 0; 未定
    leaves the cell empty, as a section that does not know yet would)."""
    found = {}
    for system in plan.systems.values():
        given = reports.get(system.system_id)
        if given:
            found[system.system_id] = {"opex_actual": _number(given.get("運用経費")), "usage": _number(given.get("利用実績")),
                                       "opex_reason": given.get("増減理由") or None}
        else:
            planned = system.opex_for(fy) or system.planned_opex
            amount = planned.value if planned and planned.numeric else (0 if planned and planned.status == "無し" else None)
            found[system.system_id] = {"opex_actual": amount}
    return found


def _number(text: object) -> float | int | None:
    if text in (None, ""):
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def fill_repeated(wb, sheet: SheetDef, values: dict[str, dict[str, object]]) -> None:
    """Type values into the repeated sheets (工程_…, 様式②_…) of an open workbook, found by label and row key:
    {row key: {field key: value}}."""
    for ws in wb.worksheets:
        if not ws.title.startswith(sheet.name + "_"):
            continue
        if sheet.layout == "card":
            rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1)}
            key = ws.cell(rows[sheet.fields[0].label], 3).value
            for field, value in values.get(key, {}).items():
                ws.cell(rows[LABELS[field]], 3).value = value
            continue
        col = {f.key: sheet.column(f.key) + 1 for f in sheet.fields}
        for r in range(sheet.header_row + 1, ws.max_row + 1):
            for field, value in values.get(ws.cell(r, 1).value, {}).items():
                ws.cell(r, col[field]).value = value


def _fill_budget(ws, plan: Plan) -> None:
    """Settle each measure's budget at 92%, broken down into 委託料 / その他 and 一般財源 (sums agree)."""
    col = {f.key: BUDGET_SHEET.column(f.key) + 1 for f in BUDGET_SHEET.fields}
    rows = {}
    for r in range(BUDGET_SHEET.header_row + 1, ws.max_row + 1):
        rows[(ws.cell(r, col["measure_id"]).value, ws.cell(r, col["budget_item"]).value)] = r
    for (measure_id, item), r in rows.items():
        budget = ws.cell(r, col["budget"]).value
        if item != BUDGET_TOTAL or not isinstance(budget, (int, float)) or measure_id not in plan.measures:
            continue
        settlement = round(budget * 0.92)
        ws.cell(r, col["settlement"]).value = settlement
        split = {"委託料": (round(budget * 0.7), round(settlement * 0.7)),
                 "その他": (budget - round(budget * 0.7), settlement - round(settlement * 0.7)),
                 "一般財源": (budget, settlement)}
        for part, (b, s) in split.items():
            ws.cell(rows[(measure_id, part)], col["budget"]).value = b
            ws.cell(rows[(measure_id, part)], col["settlement"]).value = s


def fill_values(form_path: Path, target: Path, values: dict[str, dict[str, object]]) -> Path:
    """Type values into a copy of a distributed form: {row key: {field key: value}} on 進捗報告, in the cells a
    section can type in (a re-listed or co-owned row's locked cells are skipped, as the protection does)."""
    wb = openpyxl.load_workbook(form_path)
    ws = wb[PROGRESS_SHEET.name]
    col = {f.key: PROGRESS_SHEET.column(f.key) + 1 for f in PROGRESS_SHEET.fields}
    for r in range(PROGRESS_SHEET.header_row + 1, ws.max_row + 1):
        for key, value in values.get(ws.cell(r, col["kpi_id"]).value, {}).items():
            if not ws.cell(r, col[key]).protection.locked:
                ws.cell(r, col[key]).value = value
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def sample_reports() -> dict[str, dict]:
    """What the sample's sections report for milestones and systems this year (by マイルストーンID / システムID)."""
    found: dict[str, dict] = {}
    for name, key in (("今年度工程.csv", "マイルストーンID"), ("今年度システム.csv", "システムID")):
        if (SAMPLE_DIR / name).exists():
            found.update({row[key]: row for row in read_csv(SAMPLE_DIR / name)})
    return found


def _products(ws, round_, result: DemoResult, progress: Progress) -> None:
    data = jobs.round_data(ws, round_)
    result.packs = [jobs.make_pack(ws, round_, pack, progress, data) for pack in jobs.PACKS]
    sent = jobs.sendback(ws, round_, progress)
    result.sendback, result.sendback_files = sent.folder, list(sent.files.values())
    text, _found = jobs.remind(ws, round_, progress=progress)
    result.mails = text.parent / "催促メール"
    result.mail_files = sorted(result.mails.glob("*.eml"))
    result.status_list = text.parent / "回収状況.pdf"
    result.open_data, _count = jobs.export_open_data(ws, ws.out_dir / "opendata")


def run_demo(root: Path, progress: Progress | None = None, products: bool = True,
             database: str | None = None) -> DemoResult:
    """The whole demo round; `products` also writes what the office hands over: the three packs (xlsx and
    PDF), the send-back workbooks, the reminder mails and the open data with its README. With `database`
    (an empty PostgreSQL database) the demo's workspace is a shared one."""
    progress = progress or NullProgress()
    root = Path(root).resolve()
    _prepare(root)
    plan_path = write_plan_workbook(SAMPLE_DIR, root / "入力" / "計画マスタ_サンプル.xlsx")
    ws = init_workspace(root / "workspace", database=database)
    try:
        progress.status(jobs.import_plan(ws, plan_path).summary)
        round_ = jobs.new_round(ws, DEMO_FY, DEMO_DEADLINE)
        progress.status(f"照会 {round_.round_id} を作成しました（締切 {round_.deadline}）")
        forms = jobs.distribute(ws, round_, progress=progress).files
        plan = jobs.require_plan(ws)
        actuals = {row["指標ID"]: row for row in read_csv(SAMPLE_DIR / "今年度実績.csv")}
        reports = sample_reports()
        inbox = root / "回収"
        codes = [s.code for s in plan.reporting_sections()]
        faults = assign_faults(plan, codes, actuals, DEMO_FY)
        resubmit_later = []
        for code, form_path in zip(codes, forms):
            fault = faults.get(code, "")
            if fault == "not_returned":
                continue
            target = inbox / form_path.name
            fill_return(form_path, target, plan, actuals, DEMO_FY, "missing_cause" if fault == "resubmit" else fault,
                        reports=reports)
            saved_on(target, dt.datetime.now(dt.timezone.utc) - FIRST_RETURNS_AGO)
            if fault == "resubmit":
                resubmit_later.append((form_path, target))
        progress.status(f"回収フォルダ: {inbox}")
        jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [inbox]), progress)
        for form_path, target in resubmit_later:
            fixed = root / "回収_再提出" / target.name
            fill_return(form_path, fixed, plan, actuals, DEMO_FY, reports=reports)
            jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [fixed]), progress)
        done = jobs.consolidate(ws, round_, progress)
        jobs.export_csv(ws)
        findings = jobs.round_findings(ws, round_)
        result = DemoResult(root, done.workbook, done.csv, done.findings, len(findings),
                            severity_counts(findings)["ERR"], jobs.statuses(ws, round_))
        if products:
            _products(ws, round_, result, progress)
        return result
    finally:
        ws.close()
