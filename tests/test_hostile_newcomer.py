"""The README's 全庁照会 example walked as a newcomer would, from a fresh folder (issue 12): a command that did
nothing says so in Japanese with rc 1, and a file not found says where dxdesk put it."""
from __future__ import annotations

import pytest

from dxdesk.cli import main
from dxdesk.sample.inquiry_forms import system_inventory
from inquiry_support import sections_book


@pytest.fixture
def newcomer(tmp_path, monkeypatch, capsys, init_args):
    """A fresh folder holding the sample form and a section list; the workspace made and the inquiry created
    exactly as the README writes it."""
    monkeypatch.chdir(tmp_path)
    system_inventory(tmp_path / "システム棚卸.xlsx")
    sections_book(tmp_path / "課一覧.xlsx")
    ws = str(tmp_path / "DX照会")
    assert main(init_args(ws)) == 0
    assert main(["-w", ws, "inquiry", "new", "システム棚卸.xlsx", "--name", "システム棚卸", "--deadline", "R7.6.30",
                 "--sections", "課一覧.xlsx"]) == 0
    capsys.readouterr()
    return ws


def test_the_mapping_named_as_in_the_readme_is_found_where_dxdesk_wrote_it_or_the_message_says_where(
        newcomer, tmp_path, capsys):
    assert main(["-w", newcomer, "inquiry", "mapping", "--id", "Q1", "対応表_Q1.xlsx"]) == 1
    err = capsys.readouterr().err
    assert "対応表_Q1.xlsx" in err and str(tmp_path / "DX照会" / "out" / "Q1" / "対応表_Q1.xlsx") in err


def test_collecting_a_folder_with_no_workbook_says_so_and_fails(newcomer, tmp_path, capsys):
    (tmp_path / "回収フォルダ").mkdir()
    assert main(["-w", newcomer, "inquiry", "collect", "--id", "Q1", "回収フォルダ"]) == 1
    assert "取り込める様式" in capsys.readouterr().err
    (tmp_path / "回収フォルダ" / "回答.csv").write_text("課コード,システム名\nA01,財務会計\n", encoding="utf-8")
    assert main(["-w", newcomer, "inquiry", "collect", "--id", "Q1", "回収フォルダ"]) == 1
    out, err = capsys.readouterr()
    assert "読み飛ばし: 回答.csv" in out and "取り込める様式" in err


def test_checking_again_before_anything_was_collected_says_so_and_fails(newcomer, capsys):
    assert main(["-w", newcomer, "inquiry", "check", "--id", "Q1"]) == 1
    assert "まだ取り込んだ提出がありません" in capsys.readouterr().err


def test_a_section_not_returned_is_chased_with_the_inquirys_own_remind_command(newcomer, capsys):
    assert main(["-w", newcomer, "inquiry", "findings", "--id", "Q1"]) == 0  # the deadline (R7.6.30) has passed
    out = capsys.readouterr().out
    assert "R2" in out and "dxdesk inquiry remind --id Q1" in out and "（dxdesk remind " not in out


def test_an_option_given_after_the_command_that_takes_it_not_is_told_in_japanese(newcomer, tmp_path, capsys):
    (tmp_path / "回収フォルダ").mkdir()
    with pytest.raises(SystemExit) as stopped:  # -q belongs before the command: `dxdesk -q inquiry collect …`
        main(["-w", newcomer, "inquiry", "collect", "--id", "Q1", "回収フォルダ", "-q"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "解釈できない引数があります: -q" in err and "unrecognized" not in err


def _rows_book(path, header, *rows):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_a_prefill_list_whose_columns_match_no_table_is_refused_not_distributed_empty(tmp_path, new_workspace):
    from dxdesk.errors import InputFileError
    from dxdesk.inquiry import jobs as ij
    from inquiry_support import DEADLINE
    ws = new_workspace(tmp_path / "ws")
    rows = _rows_book(tmp_path / "昨年度.xlsx", ["課コード", "名称", "年度"], ["A01", "財務会計", "R2"])
    with pytest.raises(InputFileError, match="システム名") as refused:
        ij.new_inquiry(ws, system_inventory(tmp_path / "棚卸.xlsx"), "棚卸", DEADLINE,
                       sections_book(tmp_path / "課一覧.xlsx"), rows)
    assert "昨年度.xlsx" in str(refused.value) and "名称" in str(refused.value)


def test_prefill_rows_of_a_section_not_asked_and_columns_not_read_are_said(tmp_path, new_workspace):
    from dxdesk.inquiry import jobs as ij
    from inquiry_support import DEADLINE
    ws = new_workspace(tmp_path / "ws")
    rows = _rows_book(tmp_path / "昨年度.xlsx", ["課コード", "システム名", "ベンダー"],
                      ["A01", "財務会計", "X社"], ["Z99", "廃止済み", "Y社"])
    made = ij.new_inquiry(ws, system_inventory(tmp_path / "棚卸.xlsx"), "棚卸", DEADLINE,
                          sections_book(tmp_path / "課一覧.xlsx"), rows)
    notes = " ".join(made.analysis.notes)
    assert "Z99" in notes and "照会先にない課" in notes and "列「ベンダー」" in notes
