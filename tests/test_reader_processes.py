"""A reader that dies or hangs costs one file, never the collection: each return is read in a worker process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dxdesk.demo import fill_return
from dxdesk import jobs
from dxdesk.intake.readpool import ReaderPool

sys.path.insert(0, str(Path(__file__).parent / "corpus"))
from make_corpus import reader_dies  # noqa: E402


def test_a_reader_that_aborts_is_an_R3_naming_the_file_and_the_files_after_it_are_collected(
        sample_round, tmp_path, sample_actuals):
    """python-calamine aborts the process (SIGABRT) on reader_dies.xlsx; the files sorted after it are read."""
    ws, round_, forms = sample_round
    plan = jobs.require_plan(ws)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = tmp_path / "good.xlsx"
    fill_return(forms[0], good, plan, sample_actuals, 2023)
    reader_dies(good, inbox).rename(inbox / "00_reader_dies.xlsx")
    for form in forms[1:3]:
        fill_return(form, inbox / form.name, plan, sample_actuals, 2023)
    root = ws.root
    ws.close()
    result = subprocess.run([sys.executable, "-m", "dxdesk.cli", "-w", str(root), "collect", str(inbox)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "00_reader_dies.xlsx: ファイルを読み取る処理が異常終了しました（シグナル SIGABRT）" in result.stdout
    assert result.stdout.count("  取込: ") == 2
    assert "Traceback" not in result.stderr and "backtrace" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_reader_that_hangs_is_stopped_and_said(tmp_path):
    """A named pipe never delivers its first bytes: the reader waits forever, the pool gives up on it."""
    fifo = tmp_path / "hangs.xlsx"
    os.mkfifo(fifo)
    pool = ReaderPool(size=1, timeout=2)
    try:
        (read,) = list(pool.read([fifo]))
    finally:
        pool.close()
    assert read.book is None and not read.sniffed.ok
    assert read.sniffed.code == "R3" and "2 秒たっても終わりません" in read.sniffed.reason


def test_the_saved_time_comes_back_with_the_read_and_the_collecting_process_does_not_open_the_file_again(
        sample_round, tmp_path, sample_actuals, monkeypatch):
    from dxdesk.intake import saved
    from test_batching import set_saved_time
    ws, round_, forms = sample_round
    target = tmp_path / forms[0].name
    fill_return(forms[0], target, jobs.require_plan(ws), sample_actuals, 2023)
    set_saved_time(target, "2024-05-13T09:00:00Z", 1_715_300_000)
    opened = []
    monkeypatch.setattr(saved, "workbook_saved_at", lambda path: opened.append(path) or "")  # this process only
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [target]))
    (sub,) = jobs.rr.all_submissions(ws.conn, round_.round_id)
    assert (sub.saved_at, sub.file_mtime, opened) == ("2024-05-13T09:00:00Z", "2024-05-10T00:13:20Z", [])
