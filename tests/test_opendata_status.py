"""The open-data CSV says how far each value got (issue 8 item 15): status and check-result columns, and the
public export leaves values of sections not accepted out (--accepted-only, the default)."""
from __future__ import annotations

import csv
import shutil

import pytest

from dxdesk.cli import main
from dxdesk.demo import run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo") / "demo")


def rows_of(path):
    return list(csv.DictReader(open(path, encoding="utf-8-sig")))


def this_year(rows):
    return [r for r in rows if r["年度"] == "2023"]


def test_public_export_has_status_and_check_and_leaves_unaccepted_values_out(demo, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(demo.root / "workspace", ws)
    (ws / "dxdesk.lock").unlink(missing_ok=True)
    assert main(["-w", str(ws), "export", "--csv", "--out", str(tmp_path / "public.csv")]) == 0
    rows = this_year(rows_of(tmp_path / "public.csv"))
    assert {"提出状況", "点検結果"} <= set(rows[0])
    to_fix = [r for r in rows if r["課コード"] == "S02"]
    assert to_fix and {r["提出状況"] for r in to_fix} == {"要修正"}
    assert all(r["実績値"] == "" and r["算定評価"] == "" and r["自己評価"] == "" for r in to_fix)
    accepted = [r for r in rows if r["提出状況"] == "受理"]
    assert accepted and any(r["実績値"] for r in accepted)
    assert {r["点検結果"] for r in accepted if r["実績値"]} <= {"問題なし", "警告", "情報", "免除"}
    assert {r["提出状況"] for r in rows if r["課コード"] == "S03"} == {"未提出"}

    assert main(["-w", str(ws), "export", "--csv", "--no-accepted-only", "--out", str(tmp_path / "all.csv")]) == 0
    every = this_year(rows_of(tmp_path / "all.csv"))
    s02 = [r for r in every if r["課コード"] == "S02"]
    assert any(r["実績値"] for r in s02) and "エラー" in {r["点検結果"] for r in s02}


def test_consolidated_open_data_is_the_public_one(demo):
    rows = this_year(rows_of(demo.csv))
    assert all(r["実績値"] == "" for r in rows if r["提出状況"] in ("要修正", "提出済", "未提出"))
