"""What the newcomer reads (issue 8 item 12): each message says what really happened."""
from __future__ import annotations

import openpyxl

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.demo import fill_return, fill_values
from dxdesk.rules.findings import severity_counts


def test_a_stray_text_file_is_skipped_not_an_error_of_the_round(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    inbox = tmp_path / "inbox"
    fill_return(forms[0], inbox / forms[0].name, jobs.require_plan(ws), sample_actuals, 2023)
    (inbox / "メモ.txt").write_text("S03 は来週提出の予定\n", encoding="utf-8")
    before = severity_counts(jobs.round_findings(ws, round_))
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [inbox]))
    reasons = {path.name: reason for path, reason in result.skipped}
    assert "メモ.txt" in reasons and "名付けた" not in reasons["メモ.txt"] and "テキスト" in reasons["メモ.txt"]
    found = jobs.round_findings(ws, round_)
    assert not [f for f in found if f.file == "メモ.txt"]
    assert severity_counts(found)["ERR"] == before["ERR"]


def test_schedule_managed_grade_is_not_said_to_come_from_numbers(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S09_" in f.name)
    clean = fill_return(form, tmp_path / "c.xlsx", jobs.require_plan(ws), sample_actuals, 2023) or tmp_path / "c.xlsx"
    path = fill_values(clean, tmp_path / "s09.xlsx", {"K005": {"schedule": "遅れ", "self_grade": "A"}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [path]))
    k2 = [f for f in jobs.round_findings(ws, round_) if f.code == "K2" and f.row_key == "K005"]
    assert k2 and "進捗状況「遅れ」から" in k2[0].message and "数値から" not in k2[0].message


def test_cover_counts_measures_not_budget_rows(sample_round):
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    plan = jobs.require_plan(ws)
    cover = openpyxl.load_workbook(form)["表紙"]
    line = next(row[1] for row in cover.iter_rows(values_only=True) if row[0] == "記入する行数")
    assert f"施策 {len(plan.measures_of_section('S01'))} 件" in line


def test_status_shows_no_rulebook_hash(sample_round, tmp_path, sample_actuals, capsys):
    ws, round_, forms = sample_round
    fill_return(forms[0], tmp_path / "in" / forms[0].name, jobs.require_plan(ws), sample_actuals, 2023)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / "in"]))
    version = jobs.statuses(ws, round_)[0].rulebook_version
    root = str(ws.root)
    ws.close()
    assert version and main(["-w", root, "status"]) == 0
    out = capsys.readouterr().out
    assert version not in out and "規則集" not in out
