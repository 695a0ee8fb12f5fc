"""Any level carries KPIs (issue 7, item 5): a Sasebo-shaped plan with KPIs on its 課題 and activity indicators
on its プロジェクト (tests/fixtures/plans/sasebo_levels, real rows of Sasebo's FY2023 evaluation) goes through
import, distribution, a filled return, collection, the checks and consolidation; the city's ○/△ challenge
marks and the plan's ⇒ schedule marks are read and shown, never dropped."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import saved_on
from dxdesk.forms.definition import PROGRESS_SHEET
from dxdesk.sample import read_csv, write_plan_workbook
from print_size import print_sizes

FIXTURE = Path(__file__).parent / "fixtures" / "plans" / "sasebo_levels"
COL = {f.key: PROGRESS_SHEET.column(f.key) + 1 for f in PROGRESS_SHEET.fields}
TOURISM = "データ活用による戦略策定と観光力強化"


@pytest.fixture
def levels_plan(tmp_path) -> Path:
    return write_plan_workbook(FIXTURE, tmp_path / "計画マスタ_佐世保_階層.xlsx")


def form_rows(path: Path) -> dict[str, dict[str, object]]:
    ws = openpyxl.load_workbook(path)[PROGRESS_SHEET.name]
    rows = {}
    for r in range(PROGRESS_SHEET.header_row + 1, ws.max_row + 1):
        key = ws.cell(r, COL["kpi_id"]).value
        if key:
            rows[key] = {k: ws.cell(r, c).value for k, c in COL.items()} | {"_row": r}
    return rows


def fill(form: Path, target: Path, typed: dict[str, dict[str, object]]) -> Path:
    wb = openpyxl.load_workbook(form)
    ws = wb[PROGRESS_SHEET.name]
    for key, row in form_rows(form).items():
        for field, value in typed.get(key, {}).items():
            ws.cell(row["_row"], COL[field]).value = value
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def the_return(mark_of: dict[str, str], changes: dict[str, dict] | None = None) -> dict[str, dict[str, object]]:
    """FY2023 as Sasebo reported it: the actuals and the ○/△ marks (typed as the city writes them, 「○」「△」).
    Every actual meets its FY2023 target (K01 7 ≥ 5, K02 13 ≥ 3, A01 5 ≥ 3, A02 13 ≥ 6, K03 1 ≥ 1,
    A03 10 ≥ 10), so the self-grade is A throughout."""
    typed = {}
    for row in read_csv(FIXTURE / "今年度実績.csv"):
        typed[row["指標ID"]] = {"actual": float(row["実績値"]), "schedule": mark_of[row["指標ID"]], "self_grade": "A",
                               "result": row["取組結果"] or "計画どおり実施した。"}
    for key, change in (changes or {}).items():
        typed[key].update(change)
    return typed


def test_kpis_on_challenges_and_indicators_on_projects_end_to_end(workspace, levels_plan, tmp_path):
    ws = workspace
    imported = jobs.import_plan(ws, levels_plan)
    assert not imported.findings
    plan = jobs.require_plan(ws)
    assert plan.leaf_level == "プロジェクト"
    assert {k: plan.level_of(plan.measures[plan.kpis[k].measure_id]) for k in plan.kpis} == {
        "K01": "課題", "K02": "課題", "K03": "課題", "A01": "プロジェクト", "A02": "プロジェクト", "A03": "プロジェクト"}
    assert plan.mark("A02", 2023) == "○" and plan.mark("A02", 2024) == "⇒" and plan.mark("K01", 2023) == ""

    round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
    forms = {code: next(f for f in jobs_files if f"_{code}_" in f.name) for code in ("S07", "S09")} if (
        jobs_files := jobs.distribute(ws, round_).files) else {}
    assert len(jobs_files) == 2
    s07 = form_rows(forms["S07"])
    assert list(s07) == ["K01", "K02", "A01", "A02"]  # one row per KPI, whatever its level
    assert (s07["K01"]["measure_id"], s07["K01"]["measure_name"]) == ("観光1", f"【課題】{TOURISM}")
    assert (s07["A01"]["measure_id"], s07["A01"]["measure_name"]) == ("観光1-1-6", "【プロジェクト】人流データを活用した行動分析")
    assert s07["A01"]["schedule_mark"] == "⇒→⇒（翌年度も継続）"   # R5 ⇒, R6 ⇒
    assert s07["A02"]["schedule_mark"] == "○→⇒（翌年度も継続）"   # R5 ○ (starts), R6 ⇒
    assert s07["K01"]["schedule_mark"] is None and s07["K01"]["year_target"] == 5

    # S07 reports ○ on its 課題 and projects but calls A02 完了 although its schedule goes on (⇒ in R6);
    # S09 reports △ as Sasebo did, with no 未達理由 on A03.
    marks = {"K01": "○", "K02": "○：予定どおり", "A01": "○", "A02": "完了", "K03": "△", "A03": "△"}
    inbox = tmp_path / "in"
    fill(forms["S07"], inbox / forms["S07"].name, the_return(marks))
    fill(forms["S09"], inbox / forms["S09"].name,
         the_return(marks, {"K03": {"cause": "赤潮検知装置の設置が R6 にずれ込んだ。R6 に3か所を追加する。"}}))
    for path in inbox.iterdir():  # saved a day before the corrected copy below (else the two may tie by the second)
        saved_on(path, dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [inbox]))

    found = jobs.round_findings(ws, round_)
    by_code = {}
    for f in found:
        by_code.setdefault(f.code, []).append(f)
    assert "V5" not in by_code  # ○ and △ are read, not refused
    assert sorted((f.row_key, f.expected) for f in by_code["N1"]) == [
        ("A01", "予定どおり"), ("A03", "遅れ"), ("K01", "予定どおり"), ("K02", "予定どおり"), ("K03", "遅れ")]
    assert [f.row_key for f in by_code["K4"]] == ["A03"] and "進捗状況 △（遅れ）" in by_code["K4"][0].message
    assert [(f.row_key, f.severity) for f in by_code["L4"]] == [("A02", "WARN")]
    assert "工程は ○→⇒（翌年度も継続） ですが、進捗状況が「完了」です。工程では令和6年度も継続します（完了していません）。" in by_code["L4"][0].message
    assert "K7" not in by_code  # the projects' outputs sit under 課題 with outcome KPIs
    assert {s.section.code: s.status for s in jobs.statuses(ws, round_)} == {"S07": "提出済", "S09": "要修正"}

    # S09 sends it again with the cause; both are accepted
    again = tmp_path / "again"
    fill(forms["S09"], again / forms["S09"].name, the_return(marks, {
        "K03": {"cause": "赤潮検知装置の設置が R6 にずれ込んだ。R6 に3か所を追加する。"},
        "A03": {"cause": "協議は 10 回行ったが、研究開発の着手が遅れている。R6 に実証を始める。"}}))
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [again]))
    for code in ("S07", "S09"):
        jobs.accept_section(ws, round_, code, "DX推進課 佐藤")

    workbook = jobs.consolidate(ws, round_).workbook
    assert {s.sheet: round(s.effective, 2) for s in print_sizes(workbook)}["施策・指標一覧"] >= 8  # still printable
    book = openpyxl.load_workbook(workbook)["施策・指標一覧"]
    header = next(r for r in book.iter_rows(values_only=True) if r and "指標ID" in r)
    at = {name: i for i, name in enumerate(header)}
    rows = {r[at["指標ID"]]: r for r in book.iter_rows(values_only=True) if r and r[at["指標ID"]] in plan.kpis}
    shown = {k: (r[at["施策名"]], r[at["進捗状況"]], r[at["工程（今年度→翌年度）"]], r[at["算定評価"]])
             for k, r in rows.items()}
    assert shown == {
        "K01": (f"【課題】{TOURISM}", "○ 予定どおり", None, "A"),
        "K02": (f"【課題】{TOURISM}", "○ 予定どおり", None, "A"),
        "A01": ("【プロジェクト】人流データを活用した行動分析", "○ 予定どおり", "⇒→⇒（翌年度も継続）", "A"),
        "A02": ("【プロジェクト】データ共有プラットフォーム", "完了", "○→⇒（翌年度も継続）", "A"),
        "K03": ("【課題】安心・安定して生産できる環境の整備", "△ 遅れ", None, "A"),
        "A03": ("【プロジェクト】有害鳥獣被害防止対策", "△ 遅れ", "⇒→⇒（翌年度も継続）", "A"),
    }


def test_the_import_summary_counts_each_level_apart(workspace, levels_plan, sample_plan_path):
    """The 施策 sheet's rows of a higher level (課題) are not 施策: counted apart, under the plan's own names."""
    summary = jobs.import_plan(workspace, levels_plan).summary
    assert "課 2 件、プロジェクト 3 件、課題 2 件、指標 6 件" in summary, summary
    assert "施策" not in summary
    plain = jobs.import_plan(workspace, sample_plan_path)
    assert f"、施策 {len(plain.plan.measures)} 件、指標" in plain.summary and "課題" not in plain.summary


def test_a_level_the_plan_does_not_have_and_an_unknown_mark_are_findings(tmp_path):
    import shutil

    from dxdesk.plan.importer import import_plan

    folder = tmp_path / "plan"
    shutil.copytree(FIXTURE, folder)
    text = (folder / "施策.csv").read_text(encoding="utf-8")
    (folder / "施策.csv").write_text(text.replace(",S09,2,課題", ",S09,2,中課題"), encoding="utf-8")
    marks = (folder / "年度目標.csv").read_text(encoding="utf-8")
    marks = marks.replace("A01,2022,1,○", "A01,2022,1,〇").replace("A01,2023,3,⇒", "A01,2023,3,→")
    (folder / "年度目標.csv").write_text(marks.replace("A02,2023,6,○", "A02,2023,6,◎"), encoding="utf-8")
    plan, findings = import_plan(write_plan_workbook(folder, tmp_path / "plan.xlsx"))
    bad = [(f.code, f.sheet, f.value) for f in findings if f.code == "P3"]
    assert bad == [("P3", "施策", "中課題"), ("P3", "年度目標", "◎")]
    assert "農水3" not in plan.measures and "K03" not in plan.kpis  # the row and its KPI are not imported
    assert [(f.code, f.value) for f in findings if f.code == "P7"] == [("P7", "農水3"), ("P7", "K03")]  # skipped with it
    assert (plan.mark("A01", 2022), plan.mark("A01", 2023), plan.mark("A02", 2023)) == ("○", "⇒", "")
    assert plan.year_target("A02", 2023) == 6  # the target of that row is still read


def test_late_in_words_needs_a_cause_and_not_started_contradicts_the_schedule(workspace, levels_plan, tmp_path):
    jobs.import_plan(workspace, levels_plan)
    round_ = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    form = next(f for f in jobs.distribute(workspace, round_).files if "_S07_" in f.name)
    marks = {"K01": "遅れている", "K02": "○", "A01": "未着手", "A02": "予定どおり", "K03": "○", "A03": "○"}
    fill(form, tmp_path / "in" / form.name, the_return(marks))
    jobs.run_collection(workspace, round_, jobs.prepare_collection(workspace, round_, [tmp_path / "in"]))
    found = {(f.code, f.row_key): f.message for f in jobs.round_findings(workspace, round_)}
    assert "進捗状況 遅れている（遅れ）" in found[("K4", "K01")]
    assert "計画の工程は ⇒→⇒（翌年度も継続） ですが、進捗状況が「未着手」です。工程では今年度に実施します（○・⇒）。" in found[("L4", "A01")]
    assert ("L4", "A02") not in found and ("K4", "K02") not in found


@pytest.mark.libreoffice
def test_calc_live_check_asks_for_a_cause_on_a_triangle(workspace, levels_plan, tmp_path):
    """The form's live self-check, recalculated by LibreOffice Calc, wants 未達理由 on △ as K4 does."""
    from python_calamine import CalamineWorkbook

    from lo.calc import HAS_UNO, NO_UNO, fill_with_calc

    if not HAS_UNO:
        pytest.skip(NO_UNO)
    jobs.import_plan(workspace, levels_plan)
    round_ = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    form = next(f for f in jobs.distribute(workspace, round_).files if "_S09_" in f.name)
    col = {f.key: PROGRESS_SHEET.column(f.key) for f in PROGRESS_SHEET.fields}
    typed = {"K03": {col["actual"]: 1, col["schedule"]: "△", col["self_grade"]: "A"},
             "A03": {col["actual"]: 10, col["schedule"]: "○", col["self_grade"]: "A"}}
    saved = fill_with_calc(form, tmp_path, [{"sheet": PROGRESS_SHEET.name, "key_column": 0, "values": typed}])
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name(PROGRESS_SHEET.name).to_python(
        skip_empty_area=False)
    by_key = {r[0]: r for r in rows[PROGRESS_SHEET.header_row:]}
    assert by_key["K03"][col["self_check"]] == "未達理由が未入力"
    assert by_key["A03"][col["self_check"]] == ""
    jobs.run_collection(workspace, round_, jobs.prepare_collection(workspace, round_, [saved]))
    assert [f.row_key for f in jobs.round_findings(workspace, round_) if f.code == "K4"] == ["K03"]
