"""Plan editions: Shizuoka's R7.3 策定 (the older sheet 1-1 its section 3 still shows) revised by the R8.3 改定.
Re-importing makes a new edition and keeps the old one; `plan diff` says what changed; a round records the
edition it went out with, and its returns are read against that edition after the revision."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.demo import fill_return
from dxdesk.sample import write_plan_workbook

PLANS = Path(__file__).parent / "fixtures" / "plans"


def test_revision_keeps_the_old_edition_and_says_what_changed(workspace, tmp_path):
    first = jobs.import_plan(workspace, write_plan_workbook(PLANS / "shizuoka_r7", tmp_path / "アクションプラン_R7.xlsx"))
    assert first.edition.title == "第1版（R7.3 策定）"
    saved_again = write_plan_workbook(PLANS / "shizuoka_r7", tmp_path / "R7_再保存.xlsx", created=dt.datetime(2025, 4, 1))
    again = jobs.import_plan(workspace, saved_again)
    assert again.edition.edition == 1  # the same plan saved again (other bytes) is no new edition
    revised = jobs.import_plan(workspace, write_plan_workbook(PLANS / "shizuoka", tmp_path / "アクションプラン_R8.xlsx"))
    assert revised.edition.title == "第2版（R8.3 改定）"
    assert [e.edition for e in jobs.editions(workspace)] == [1, 2]

    diff = jobs.plan_diff(workspace)
    assert (diff.before, diff.after) == ("第1版（R7.3 策定）", "第2版（R8.3 改定）")
    assert [(c.item_id, c.before, c.after) for c in diff.of("施策", "名称変更")] == [
        ("1-1-2", "電子申請の拡充", "行政手続のオンライン化"),
        ("1-1-3", "ワンストップ型デジタル行政サービス等推進事業", "統合データ基盤の活用"),
        ("1-1-4", "びったりサービスの活用", "ぴったりサービスの活用")]
    assert [(c.item_id, c.before, c.after) for c in diff.of("指標", "目標年度")] == [
        ("K04", "2024年度", "2026年度"), ("K05", "2024年度", "2026年度"), ("K06", "", "2026年度")]
    assert [(c.item_id, c.before, c.after) for c in diff.of("指標", "目標値")] == [
        ("K06", "移行完了", "令和8年度以降の移行完了")]
    assert len(diff.changes) == 7
    assert jobs.plan_diff(workspace, 2, 2).changes == []


def test_a_round_is_read_against_its_own_edition_after_a_revision(workspace, tmp_path):
    jobs.import_plan(workspace, write_plan_workbook(PLANS / "shizuoka_r7", tmp_path / "R7.xlsx"))
    round_ = jobs.new_round(workspace, 2024, dt.date(2025, 5, 16))
    assert round_.plan_edition == 1
    forms = jobs.distribute(workspace, round_).files
    form = next(f for f in forms if "_S01_" in f.name)  # carries 1-1-2 電子申請の拡充 as written in R7.3
    old_plan = jobs.round_plan(workspace, round_)
    fill_return(form, tmp_path / "in" / form.name, old_plan, {}, 2024)
    jobs.import_plan(workspace, write_plan_workbook(PLANS / "shizuoka", tmp_path / "R8.xlsx"))  # revised meanwhile
    assert jobs.require_plan(workspace).measures["1-1-2"].name == "行政手続のオンライン化"
    assert jobs.round_plan(workspace, round_).measures["1-1-2"].name == "電子申請の拡充"
    jobs.run_collection(workspace, round_, jobs.prepare_collection(workspace, round_, [tmp_path / "in"]))
    found = jobs.round_findings(workspace, round_, today=dt.date(2025, 5, 1))
    assert [f for f in found if f.code == "S4"] == []  # the locked 施策名 cells are the R7.3 ones: not "changed"
    assert [f for f in found if f.severity == "ERR"] == []
    later = jobs.new_round(workspace, 2025, dt.date(2026, 5, 15))
    assert later.plan_edition == 2


def test_plan_diff_on_the_command_line(tmp_path, monkeypatch, capsys, init_args):
    monkeypatch.chdir(tmp_path)
    assert main(init_args(".")) == 0
    assert main(["plan", "import", str(write_plan_workbook(PLANS / "shizuoka_r7", tmp_path / "R7.xlsx"))]) == 0
    assert main(["plan", "import", str(write_plan_workbook(PLANS / "shizuoka", tmp_path / "R8.xlsx"))]) == 0
    capsys.readouterr()
    assert main(["plan", "diff"]) == 0
    out = capsys.readouterr().out
    assert "第1版（R7.3 策定） → 第2版（R8.3 改定）: 変更 7 件" in out
    assert "施策 1-1-2 行政手続のオンライン化: 名称変更 「電子申請の拡充」→「行政手続のオンライン化」" in out
    assert main(["plan", "editions"]) == 0
    assert "第2版（R8.3 改定）  R8.xlsx" in capsys.readouterr().out


def test_an_older_edition_is_read_from_its_archive_once(workspace, tmp_path, monkeypatch):
    """A round of edition 1 after the revision: its plan is read from the archived R7.3 workbook once per
    workspace, not on every round_plan call; a new import (the editions change) reads it again. Each call
    still gets the workspace's current history, and a caller's plan is its own."""
    jobs.import_plan(workspace, write_plan_workbook(PLANS / "shizuoka_r7", tmp_path / "R7.xlsx"))
    round_ = jobs.new_round(workspace, 2024, dt.date(2025, 5, 16))
    jobs.import_plan(workspace, write_plan_workbook(PLANS / "shizuoka", tmp_path / "R8.xlsx"))
    reads = []
    real = jobs.read_plan_workbook
    monkeypatch.setattr(jobs, "read_plan_workbook", lambda path, *a, **k: reads.append(path) or real(path, *a, **k))
    plans = [jobs.round_plan(workspace, round_) for _ in range(3)]
    assert len(reads) == 1
    assert {p.measures["1-1-2"].name for p in plans} == {"電子申請の拡充"}  # as written in R7.3
    assert plans[0] is not plans[1] and plans[0].history == jobs.require_plan(workspace).history
    plans[0].history = []
    assert jobs.round_plan(workspace, round_).history == jobs.require_plan(workspace).history
    jobs.import_plan(workspace, write_plan_workbook(PLANS / "shizuoka_r7", tmp_path / "R7_again.xlsx",
                                                    created=dt.datetime(2025, 4, 1)))  # edition 3
    jobs.round_plan(workspace, round_)
    first = workspace.root / jobs.editions(workspace)[0].archived_path
    assert reads[0] == first and reads[1:] == [tmp_path / "R7_again.xlsx", first]


def test_plan_diff_says_a_row_moved_to_another_level_and_changed_schedule_marks(workspace, tmp_path, capsys):
    """Sasebo's plan revised: 農水3 now stands at 重点課題 (was 課題); A02 starts with 検討 (… instead of ○) and
    has no mark in R6; K01 gets one in R6. `plan diff` names each (issue 7)."""
    import shutil
    levels = PLANS / "sasebo_levels"
    jobs.import_plan(workspace, write_plan_workbook(levels, tmp_path / "R5.xlsx"))
    revised = tmp_path / "revised"
    shutil.copytree(levels, revised)
    measures = (revised / "施策.csv").read_text(encoding="utf-8")
    (revised / "施策.csv").write_text(measures.replace(",S09,2,課題", ",S09,2,重点課題"), encoding="utf-8")
    marks = (revised / "年度目標.csv").read_text(encoding="utf-8")
    marks = marks.replace("A02,2023,6,○", "A02,2023,6,…").replace("A02,2024,12,⇒", "A02,2024,12,")
    (revised / "年度目標.csv").write_text(marks.replace("K01,2024,6,", "K01,2024,6,…"), encoding="utf-8")
    jobs.import_plan(workspace, write_plan_workbook(revised, tmp_path / "R6.xlsx"))

    diff = jobs.plan_diff(workspace)
    assert [(c.kind, c.change, c.item_id, c.before, c.after) for c in diff.changes] == [
        ("施策", "階層", "農水3", "課題", "重点課題"),
        ("指標", "2024年度工程", "K01", "", "…"),
        ("指標", "2023年度工程", "A02", "○", "…"),
        ("指標", "2024年度工程", "A02", "⇒", "")]
    lines = "\n".join(diff.lines())
    assert "施策 農水3 安心・安定して生産できる環境の整備: 階層 「課題」→「重点課題」" in lines
    assert "指標 A02 " in lines and ": 2023年度工程 「○」→「…」" in lines
