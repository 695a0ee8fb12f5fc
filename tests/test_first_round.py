"""A newcomer's first round from the command line (issue 8): every easy mistake guarded, every command
that did nothing says so with rc ≠ 0, argparse speaks Japanese."""
from __future__ import annotations

import datetime as dt
import io
import sys

import pytest

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.demo import run_demo
from dxdesk.store.workspace import open_workspace


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory, module_databases):
    return run_demo(tmp_path_factory.mktemp("demo") / "demo", database=module_databases()).root


@pytest.fixture
def ws_path(demo_root, tmp_path, copy_workspace):
    """A copy of the demo workspace: S02 and S04 要修正, S03 未提出, S05 提出済 (warnings)."""
    target = copy_workspace(demo_root / "workspace", tmp_path / "ws")
    (target / "dxdesk.lock").unlink(missing_ok=True)
    return str(target)


def status_of(path, code):
    with open_workspace(path) as ws:
        round_ = jobs.resolve_round(ws)
        return {s.section.code: s.status for s in jobs.statuses(ws, round_)}[code]


# 1 — accept refuses with the reason
@pytest.mark.parametrize("code, reason", [("S02", "エラー"), ("S03", "提出されていません"), ("S99", "S01")])
def test_accept_refuses_what_cannot_be_accepted(ws_path, capsys, code, reason):
    before = status_of(ws_path, "S02")
    assert main(["-w", ws_path, "accept", code]) != 0
    captured = capsys.readouterr()
    assert "受理しました" not in captured.out and reason in captured.err
    assert status_of(ws_path, "S02") == before


def test_the_demo_resubmission_is_saved_later_than_the_first_return(ws_path):
    """S05's corrected return must be latest whatever the machine's speed: with both saved in the same second,
    the content hash decided, and on a fast machine the faulty first return won (CI failed on it)."""
    with open_workspace(ws_path) as ws:
        rows = ws.conn.execute("SELECT saved_at, file_mtime FROM submissions WHERE section_code = 'S05' "
                               "ORDER BY submission_id").fetchall()
    (first, _), (fixed, fixed_mtime) = [tuple(r) for r in rows]
    assert fixed > first and fixed_mtime > first
    assert (dt.datetime.fromisoformat(fixed.rstrip("Z")) - dt.datetime.fromisoformat(first.rstrip("Z"))
            >= dt.timedelta(hours=1))


def test_accept_of_a_section_with_warnings_works(ws_path, capsys):
    assert main(["-w", ws_path, "accept", "S05"]) == 0
    assert status_of(ws_path, "S05") == "受理"


def test_accepting_again_says_it_was_accepted_already_and_keeps_who_and_when(ws_path, capsys):
    assert main(["-w", ws_path, "accept", "S05", "--by", "山田"]) == 0
    capsys.readouterr()
    assert main(["-w", ws_path, "accept", "S05", "--by", "佐藤"]) == 1
    out, err = capsys.readouterr()
    assert "S05" in err and "は既に受理済みです（山田、" in err and "受理しました" not in out
    with open_workspace(ws_path) as ws:
        assert ws.conn.execute("SELECT accepted_by FROM round_sections WHERE section_code = 'S05'").fetchone()[0] == "山田"


# 3 — collect on a missing path, init on an existing workspace
def test_collect_on_a_missing_path_fails(ws_path, tmp_path, capsys):
    assert main(["-w", ws_path, "collect", str(tmp_path / "nai")]) != 0
    assert "ありません" in capsys.readouterr().err


def test_init_on_an_existing_workspace_says_so(ws_path, capsys):
    main(["init", ws_path])  # (a shared one too: the folder says where its database is)
    out = capsys.readouterr().out
    assert "作成しました" not in out and "既に" in out


# 5 — no command but init/demo creates a workspace; the error says where it looked
def test_plan_import_does_not_create_a_second_workspace(tmp_path, sample_plan_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DXDESK_WORKSPACE", raising=False)
    assert main(["plan", "import", str(sample_plan_path)]) != 0
    assert not (tmp_path / "dxdesk.sqlite").exists()
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "-w" in err and "DXDESK_WORKSPACE" in err


# 6 — a second round of the same year is refused unless asked for; list and use
def test_second_round_of_a_year_is_refused_and_rounds_can_be_switched(ws_path, capsys):
    assert main(["-w", ws_path, "round", "new", "--fy", "2023", "--deadline", "2024-05-17"]) != 0
    assert "FY2023-1" in capsys.readouterr().err
    assert main(["-w", ws_path, "round", "new", "--fy", "2023", "--deadline", "2024-06-14", "--again"]) == 0
    assert main(["-w", ws_path, "round", "list"]) == 0
    out = capsys.readouterr().out
    assert "* FY2023-2" in out and "  FY2023-1" in out
    assert main(["-w", ws_path, "round", "use", "FY2023-1"]) == 0
    with open_workspace(ws_path) as ws:
        assert jobs.resolve_round(ws).round_id == "FY2023-1"
        assert jobs.current_round_id(ws) == "FY2023-1"
    assert main(["-w", ws_path, "round", "use", "FY2099-1"]) != 0
    assert "FY2023-1" in capsys.readouterr().err


# 7 — a year outside the plan, a deadline before the year starts
def test_year_outside_the_plan_and_early_deadline_are_refused(ws_path, capsys):
    assert main(["-w", ws_path, "round", "new", "--fy", "2035", "--deadline", "2036-05-15"]) != 0
    assert "計画期間" in capsys.readouterr().err
    assert main(["-w", ws_path, "round", "new", "--fy", "2024", "--deadline", "2024-03-01"]) != 0
    assert "年度が始まる前" in capsys.readouterr().err


# 8 — deadlines as people type them
@pytest.mark.parametrize("typed", ["2025/5/16", "R7.5.16", "令和7年5月16日", "2025-05-16"])
def test_deadline_as_people_type_it(ws_path, typed):
    assert main(["-w", ws_path, "round", "new", "--fy", "2024", "--deadline", typed]) == 0
    with open_workspace(ws_path) as ws:
        assert jobs.resolve_round(ws).deadline == "2025-05-16"


# 9 — an unknown section is an error listing the valid codes
def test_unknown_section_lists_the_valid_codes(ws_path, capsys):
    assert main(["-w", ws_path, "findings", "--section", "S99", "--summary"]) != 0
    err = capsys.readouterr().err
    assert "S99" in err and "S01" in err and "S19" in err
    for command in (["waive", "S99", "K2", "Q5", "--why", "確認済み"], ["sendback", "--section", "S99"]):
        assert main(["-w", ws_path, *command]) != 0
        assert "使える課コード" in capsys.readouterr().err


# 10 — argparse in Japanese
def test_argparse_frames_are_japanese(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["round", "new"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "使い方:" in err and "エラー:" in err and "次の引数が必要です" in err
    assert "usage:" not in err and "error:" not in err and "required" not in err
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "使い方:" in out and "オプション:" in out and "このヘルプを表示して終了" in out
    assert "options:" not in out and "show this help" not in out and "-w WORKSPACE" not in out
    with pytest.raises(SystemExit):
        main(["round", "new", "--help"])
    out = capsys.readouterr().out
    assert "--fy 年度" in out and "--deadline 期限" in out and "FY" not in out.replace("--fy", "")


# 11 — the demo's last line is a command the user can run
def test_demo_last_line_is_runnable(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "venv" / "bin" / "dxdesk")])
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["-q", "demo", "--out", str(tmp_path / "demo")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert str(tmp_path / "venv" / "bin" / "dxdesk") + " -w " in last and " findings" in last


# 20 — piping into head
class _ClosedPipe(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("command", [["status"], ["findings"]])
def test_a_closed_pipe_is_not_a_traceback(ws_path, monkeypatch, command):
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["-w", ws_path, *command]) == 141  # as `yes | head` does: no traceback


# 21 — plan-import warnings grouped like findings --summary
def test_plan_import_warnings_are_grouped(ws_path, tmp_path, capsys):
    import openpyxl
    from dxdesk.sample import SAMPLE_DIR, write_plan_workbook
    plan_path = write_plan_workbook(SAMPLE_DIR, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(plan_path)
    sheet = wb["指標"]
    col = [c.value for c in sheet[1]].index("指標区分") + 1
    for r in range(2, sheet.max_row + 1):
        sheet.cell(r, col).value = None
    wb.save(plan_path)
    capsys.readouterr()
    assert main(["-w", ws_path, "plan", "import", str(plan_path)]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "指標区分" in line]
    assert len(lines) <= 4, out
    assert "[警告] P6 計画マスタの値を読み替え（シート「指標」D列）: 155 件" in out


def test_the_frozen_console_prints_itself_as_the_command_to_run_again(monkeypatch, tmp_path):
    """Not `dxdesk-cli -m dxdesk.cli`, which no one can run (seen from the frozen demo)."""
    import sys

    from dxdesk.cli import own_command

    exe = tmp_path / "dxdesk-0.1.0" / "dxdesk-cli"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.setattr(sys, "argv", [str(exe), "demo"])
    assert own_command() == str(exe)


def test_the_demo_round_writes_the_same_consolidated_workbook_on_either_backend(demo_root, demo_round):
    """The output tests read the demo made once on SQLite (the session's demo_round); the demo made on this
    module's backend writes the same consolidated workbook, cell for cell (the time of writing masked)."""
    from test_shared_workspace import workbook_values
    name = "集約_FY2023-1.xlsx"
    mine = next(p for p in (demo_root / "workspace" / "out").rglob(name) if ".~dxdesk" not in str(p))
    theirs = next(p for p in (demo_round.root / "workspace" / "out").rglob(name) if ".~dxdesk" not in str(p))
    assert workbook_values(mine) == workbook_values(theirs)
