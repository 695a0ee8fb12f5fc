"""Shared pieces of the 全庁照会 tests: a section list workbook, a workspace with an inquiry made from one of the
three sample forms (dxdesk/sample/inquiry_forms.py), and the Koriyama 5レス figures (tests/fixtures/inquiry)."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from dxdesk.inquiry import jobs as ij
from dxdesk.sample.inquiry_forms import FORMS
from dxdesk.store.workspace import init_workspace

FIXTURES = Path(__file__).parent / "fixtures" / "inquiry"
SECTIONS = (("A01", "総務課", "総務部"), ("A02", "人事課", "総務部"), ("B01", "財政課", "財務部"),
            ("C01", "市民課", "市民部"), ("D01", "税務課", "税務部"), ("E01", "政策開発課", "政策開発部"))
DEADLINE = dt.date(2025, 6, 30)


def sections_book(path: Path, sections=SECTIONS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["課コード", "課名", "部局", "担当者", "メール"])
    for code, name, dept in sections:
        ws.append([code, name, dept, f"{name}担当", f"{code.lower()}@city.example.lg.jp"])
    wb.save(path)
    return path


def new_inquiry(tmp: Path, form: str, ws=None, sections=SECTIONS):
    """(workspace, inquiry, template path) — the form built, analysed and made an inquiry to `sections`."""
    ws = ws or init_workspace(tmp / "ws")
    template = FORMS[form](tmp / f"{form}.xlsx")
    made = ij.new_inquiry(ws, template, form, DEADLINE, sections_book(tmp / f"課一覧_{form}.xlsx", sections))
    return ws, made.inquiry, template


def koriyama_5less() -> dict[str, dict[str, tuple[int, int]]]:
    """department → metric → (previous, current), from the Koriyama HQ tables."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    with open(FIXTURES / "koriyama_5less.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["department"], {})[row["metric"]] = (int(row["previous"]), int(row["current"]))
    return out
