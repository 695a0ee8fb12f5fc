"""Reminder mails as .eml drafts: RFC 5322, Japanese headers MIME-encoded (RFC 2047, UTF-8), the body in
UTF-8, the workbook attached (file name per RFC 2231), and `X-Unsent: 1` so that Outlook opens the file as a
draft to send (Thunderbird opens it with 編集して新規); nothing is ever sent from dxdesk (LGWAN: no network)."""
from __future__ import annotations

import datetime as dt
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from dxdesk.forms.builder import safe_filename
from dxdesk.intake.remind import Reminder
from dxdesk.xlsx import atomic_path

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def draft(reminder: Reminder, sender: str, sender_name: str, attachment: Path | None,
          when: dt.datetime | None = None) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = formataddr((sender_name, sender)) if sender else sender_name
    if reminder.to:
        msg["To"] = formataddr((reminder.to_name, reminder.to)) if reminder.to_name else reminder.to
    msg["Subject"] = reminder.subject
    msg["Date"] = format_datetime((when or dt.datetime.now()).astimezone())
    msg["Message-ID"] = make_msgid("dxdesk", (sender.rpartition("@")[2] or "localhost"))
    msg["X-Unsent"] = "1"
    msg.set_content(reminder.body, charset="utf-8")
    if attachment is not None:
        msg.add_attachment(attachment.read_bytes(), *XLSX_TYPE, filename=attachment.name)
    return msg


def write_draft(folder: Path, reminder: Reminder, sender: str, sender_name: str, attachment: Path | None) -> Path:
    name = safe_filename(f"{reminder.section_code}_{reminder.kind}_{reminder.subject}", 100) + ".eml"
    path = folder / name
    with atomic_path(path) as tmp:
        tmp.write_bytes(draft(reminder, sender, sender_name, attachment).as_bytes())
    return path
