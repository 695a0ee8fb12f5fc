"""Reminder mails as .eml drafts, parsed back with Python's email package: Japanese headers decode, X-Unsent,
the plan's contact, the form (not returned) or the send-back workbook (to correct) attached; the 回収状況 page."""
from __future__ import annotations

import datetime as dt
import email
import io
import shutil
import subprocess
from email import policy

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.forms.definition import SENDBACK_SHEET_NAME


def parse(path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_eml_drafts_for_sections_not_returned_and_to_correct(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    target = tmp_path / form.name
    fill_return(form, target, jobs.require_plan(ws), sample_actuals, 2023)
    fill_values(target, target, {"K126": {"actual": 10, "self_grade": "A"}})  # K2: to correct
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [target]))
    path, found = jobs.remind(ws, round_, today=dt.date(2024, 5, 24))
    folder = path.parent / "催促メール"
    drafts = sorted(folder.glob("*.eml"))
    assert len(drafts) == len(found) == 19  # 18 not returned + S01 to correct
    raw = drafts[0].read_bytes()
    assert raw.isascii() and b"\r\n" in raw  # RFC 5322: 7-bit, CRLF; Japanese only as encoded words / base64
    by_code = {d.name.split("_")[0]: parse(d) for d in drafts}
    fix = by_code["S01"]
    assert fix["Subject"] == "【修正のお願い】令和5年度 進捗状況報告（DX推進課）"
    assert fix["To"].addresses[0].addr_spec == "dx-s01@example.lg.jp"
    assert fix["To"].addresses[0].display_name == "DX推進課 佐藤 一郎"
    assert fix["From"].addresses[0].display_name == ws.setting("office_name")
    assert fix["X-Unsent"] == "1" and fix["Date"] and fix["Message-ID"]
    assert "エラー一覧" in fix.get_body(("plain",)).get_content()
    attachment = next(fix.iter_attachments())
    assert attachment.get_filename().startswith("差戻し_") and attachment.get_filename().endswith("S01_DX推進課_FY2023-1.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()), read_only=True)
    assert book.sheetnames[0] == SENDBACK_SHEET_NAME
    missing = by_code["S02"]
    assert missing["Subject"].startswith("【提出のお願い】令和5年度")
    assert "5 営業日が過ぎています" in missing.get_body(("plain",)).get_content()
    form2 = next(f for f in forms if "_S02_" in f.name)
    sent = next(missing.iter_attachments())
    assert sent.get_filename() == form2.name and sent.get_content() == form2.read_bytes()
    assert sent.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils がありません")
def test_status_list_is_one_page_to_print(sample_round):
    ws, round_, _forms = sample_round
    path, _found = jobs.remind(ws, round_, today=dt.date(2024, 5, 24))
    listing = path.parent / "回収状況.pdf"
    info = subprocess.run(["pdfinfo", str(listing)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(["pdftotext", "-layout", str(listing), "-"], capture_output=True, text=True).stdout
    assert "回収状況" in text and "提出 0 / 19 課" in text and "提出のお願い" in text
