"""Paths only Windows cares about, tested here with the Windows branch forced (os.name monkeypatched or
windows=True): reserved device names in file names made from office data, MAX_PATH, UNC shares and mapped
drives for outputs and distributed forms."""
from __future__ import annotations

import os

import pytest

from dxdesk import winpath
from dxdesk.forms.builder import safe_filename
from dxdesk.xlsx import atomic_path


@pytest.mark.parametrize("name", ["CON.xlsx", "con", "NUL.tar.gz", "COM1 .xlsx", "lpt9.txt", "AUX", "PRN.csv",
                                  "CONIN$.txt", "COM²"])
def test_reserved_device_names_are_recognised(name):
    assert winpath.is_reserved(name)


@pytest.mark.parametrize("name", ["CONSOLE.xlsx", "S01_CON.xlsx", "集約_FY2023-1.xlsx", "COM10.xlsx", "NULL", "LPT0"])
def test_ordinary_names_are_not_reserved(name):
    assert not winpath.is_reserved(name)
    assert winpath.unreserved(name) == name


def test_a_file_name_made_from_office_data_never_names_a_device():
    assert winpath.unreserved("CON.xlsx") == "CON_.xlsx"
    assert safe_filename("CON") == "CON_"
    assert safe_filename("nul ") == "nul_"
    assert safe_filename("aux.") == "aux_"
    assert not winpath.is_reserved(safe_filename("COM1") + ".xlsx")


def test_a_name_cut_at_its_limit_keeps_no_trailing_dot_or_space():
    """Windows drops a trailing dot or space, so 「課. .xlsx」 would be another file than the one recorded."""
    assert safe_filename("あ" * 79 + ". 課", limit=80) == "あ" * 79


def test_long_windows_paths_get_the_extended_prefix():
    deep = "C:\\Users\\tanaka\\Documents\\" + "\\".join(["令和6年度 DX推進計画 進捗照会"] * 14) + "\\集約.xlsx"
    assert len(deep) > 260
    assert winpath.extended(deep, windows=True) == "\\\\?\\" + deep
    assert winpath.extended("C:\\dxdesk\\out\\集約.xlsx", windows=True) == "C:\\dxdesk\\out\\集約.xlsx"


def test_unc_shares_and_mapped_drives():
    share = "\\\\fileserver01\\dx$\\" + "\\".join(["各課からの返送ファイル"] * 25) + "\\集約.xlsx"
    assert winpath.extended(share, windows=True) == "\\\\?\\UNC\\fileserver01\\dx$\\" + share[len("\\\\fileserver01\\dx$\\"):]
    mapped = "Z:\\" + "\\".join(["共有フォルダ"] * 45) + "\\様式.xlsx"
    assert winpath.extended(mapped, windows=True).startswith("\\\\?\\Z:\\")
    already = "\\\\?\\" + mapped
    assert winpath.extended(already, windows=True) == already
    relative = "relative\\" * 40 + "a.xlsx"
    assert winpath.extended(relative, windows=True) == relative   # not absolute: left alone


def test_the_windows_branch_follows_os_name(monkeypatch):
    deep = "D:\\" + "x" * 300 + "\\a.xlsx"
    monkeypatch.setattr(os, "name", "nt")
    assert winpath.extended(deep).startswith("\\\\?\\D:\\")
    monkeypatch.setattr(os, "name", "posix")
    assert winpath.extended(deep) == deep                    # elsewhere the path is what it is


def test_outputs_are_written_past_260_characters(tmp_path):
    folder = tmp_path.joinpath(*["令和6年度 回収（最終）各課の進捗報告"] * 12)
    target = folder / "集約_FY2023-1.csv"
    assert len(str(target)) > 260
    with atomic_path(target) as tmp:
        tmp.write_text("ok", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "ok"
