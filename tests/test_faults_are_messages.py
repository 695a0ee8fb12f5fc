"""Ordinary faults end in a Japanese message or finding, never in a traceback, and leave nothing half-written:
a full disk in the workspace or the output folder, a value no output can hold."""
from __future__ import annotations

import errno
import sqlite3
import sys
from pathlib import Path

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.demo import fill_return
from dxdesk.store import rounds_repo
from dxdesk.store.workspace import open_workspace

sys.path.insert(0, str(Path(__file__).parent / "corpus"))
from make_corpus import actual_309_digits, text_of_a_million_characters  # noqa: E402


def _inbox(sample_round, tmp_path, sample_actuals, count=3) -> Path:
    ws, round_, forms = sample_round
    inbox = tmp_path / "inbox"
    for form in forms[:count]:
        fill_return(form, inbox / form.name, jobs.require_plan(ws), sample_actuals, 2023)
    return inbox


def test_workspace_disk_full_while_collecting_is_a_message_and_no_file_is_half_stored(
        sample_round, tmp_path, sample_actuals, monkeypatch, capsys):
    ws, round_, forms = sample_round
    inbox = _inbox(sample_round, tmp_path, sample_actuals)
    root = ws.root
    ws.close()
    original, calls = rounds_repo.insert_values, [0]

    def fills_the_disk(*args, **kwargs):  # the second file's values hit a full disk inside its transaction
        calls[0] += 1
        if calls[0] == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return original(*args, **kwargs)
    monkeypatch.setattr(rounds_repo, "insert_values", fills_the_disk)
    assert main(["-w", str(root), "collect", str(inbox)]) == 1
    err = capsys.readouterr().err
    assert "ディスクの空き容量が足りません" in err and "書きかけ" in err and "Traceback" not in err
    with open_workspace(root) as ws:
        subs = ws.conn.execute("SELECT submission_id, file_name FROM submissions").fetchall()
        assert [name for _, name in subs] == [forms[0].name]  # the second file left no submission behind
        assert ws.conn.execute("SELECT COUNT(*) FROM findings WHERE submission_id NOT IN "
                               "(SELECT submission_id FROM submissions)").fetchone()[0] == 0


def test_archive_disk_full_stops_the_collection_with_a_message(sample_round, tmp_path, sample_actuals,
                                                                monkeypatch, capsys):
    ws, round_, forms = sample_round
    inbox = _inbox(sample_round, tmp_path, sample_actuals)
    root = ws.root
    ws.close()
    import dxdesk.intake.collect as collect

    def full(path, archive_dir):
        raise OSError(errno.ENOSPC, "No space left on device", str(archive_dir / "x"))
    monkeypatch.setattr(collect, "archive_file", full)
    assert main(["-w", str(root), "collect", str(inbox)]) == 1
    err = capsys.readouterr().err
    assert "ディスクの空き容量が足りません（" in err and str(root / "archive") in err
    assert not list((root / "archive").rglob(".part-*"))


def test_output_disk_full_is_a_message_and_the_previous_outputs_stay(sample_round, tmp_path, sample_actuals,
                                                                       monkeypatch, capsys):
    ws, round_, forms = sample_round
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [_inbox(sample_round, tmp_path,
                                                                                sample_actuals, 2)]))
    first = jobs.consolidate(ws, round_)
    before = first.workbook.read_bytes()
    root = ws.root
    ws.close()
    import xlsxwriter.workbook

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", self.filename)
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", full)
    assert main(["-w", str(root), "consolidate"]) == 1
    err = capsys.readouterr().err
    assert "ディスクの空き容量が足りません" in err and "Traceback" not in err
    assert first.workbook.read_bytes() == before
    assert not list(first.workbook.parent.glob(".~dxdesk-*"))


def test_a_309_digit_actual_is_a_finding_and_consolidation_still_writes_every_output(sample_round, tmp_path,
                                                                                       sample_actuals):
    """309 digits typed as text became inf; then consolidate failed for everyone with NAN/INF not supported."""
    ws, round_, forms = sample_round
    good = tmp_path / "good.xlsx"
    fill_return(forms[0], good, jobs.require_plan(ws), sample_actuals, 2023)
    (tmp_path / "in").mkdir()
    bad = actual_309_digits(good, tmp_path / "in")
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [bad]))
    findings = [f for f in jobs.round_findings(ws, round_) if f.file == bad.name and f.code == "V2"]
    assert sorted((f.sheet, f.cell) for f in findings) == [("予算・決算", "E5"), ("進捗報告", "O5")]
    assert "（全 310 文字）" in next(f.message for f in findings if f.cell == "O5")
    result = jobs.consolidate(ws, round_)
    assert result.workbook.exists() and result.csv.exists()


def test_a_million_character_text_is_kept_whole_and_cut_with_a_note_in_the_workbook(sample_round, tmp_path,
                                                                                      sample_actuals):
    ws, round_, forms = sample_round
    good = tmp_path / "good.xlsx"
    fill_return(forms[0], good, jobs.require_plan(ws), sample_actuals, 2023)
    (tmp_path / "in").mkdir()
    long = text_of_a_million_characters(good, tmp_path / "in")
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [long]))
    sub = rounds_repo.all_submissions(ws.conn, round_.round_id)[0]
    assert len(rounds_repo.load_values(ws.conn, sub.submission_id)["progress"]["K027"]["result"].raw) == 1_000_000
    (v11,) = [f for f in jobs.round_findings(ws, round_) if f.code == "V11"]
    assert (v11.sheet, v11.cell, v11.severity) == ("進捗報告", "R5", "WARN") and "1,000,000 文字" in v11.message
    result = jobs.consolidate(ws, round_)
    from python_calamine import CalamineWorkbook
    texts = [c for sheet in CalamineWorkbook.from_path(str(result.workbook)).sheet_names
             for row in CalamineWorkbook.from_path(str(result.workbook)).get_sheet_by_name(sheet).to_python()
             for c in row if isinstance(c, str) and c.startswith("長長長")]
    assert texts and all(len(t) <= 32_767 and t.endswith("全文は dxdesk に保存）") for t in texts)
