"""Reminder texts for the sections that have not returned (R2): ready to paste into LGWAN mail."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import jpholiday

from dxdesk import labels as L
from dxdesk.intake.status import SectionStatus
from dxdesk.years import format_date_jp, wareki


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (weekends and national holidays excluded)."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and not jpholiday.is_holiday(day):
            days += 1
    return days


@dataclass(frozen=True)
class Reminder:
    section_code: str
    to: str
    subject: str
    body: str
    kind: str = L.STATUS_NOT_RETURNED   # 未提出 (send the form) or 要修正 (send the send-back workbook)
    to_name: str = ""


_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: object) -> str:
    """A name as one line: a line break in a section name must not start a line of its own (a forged 宛先:)."""
    return _BREAKS.sub(" ", str(text or "")).strip()


def reminders(statuses: list[SectionStatus], fy: int, deadline: dt.date, title: str, office: str, contact: str,
              today: dt.date) -> list[Reminder]:
    late = business_days_between(deadline, today) if today > deadline else 0
    when = f"締切（{format_date_jp(deadline)}）から {late} 営業日が過ぎています。" if late else \
        f"締切は {format_date_jp(deadline)} です。"
    result = []
    office, contact, title = one_line(office), one_line(contact), one_line(title)
    for s in statuses:
        if s.status != L.STATUS_NOT_RETURNED:
            continue
        dept, name, person = one_line(s.section.dept), one_line(s.section.name), one_line(s.section.person)
        person = f"{person} 様" if person else "ご担当者 様"
        body = (f"{dept} {name}\n{person}\n\n"
                f"{office}です。{wareki(fy)} {title}の提出をお願いしております。\n{when}\n"
                "配布した様式（Excel）に記入のうえ、ファイル名を変えずにご提出ください。\n"
                "提出が難しい事情がありましたら、お手数ですがご連絡ください。\n\n"
                f"問合せ: {office} {contact}\n")
        result.append(Reminder(s.section.code, one_line(s.section.email),
                               f"【提出のお願い】{wareki(fy)} {title}（{name}）", body,
                               to_name=f"{name} {one_line(s.section.person)}".strip()))
    return result


def correction_reminders(statuses: list[SectionStatus], fy: int, title: str, office: str, contact: str) -> list[Reminder]:
    """For the sections whose latest return has an error (要修正): please correct the send-back workbook."""
    office, contact, title = one_line(office), one_line(contact), one_line(title)
    result = []
    for s in statuses:
        if s.status != L.STATUS_NEEDS_FIX:
            continue
        dept, name, person = one_line(s.section.dept), one_line(s.section.name), one_line(s.section.person)
        to_name = f"{name} {person}".strip()
        person = f"{person} 様" if person else "ご担当者 様"
        body = (f"{dept} {name}\n{person}\n\n"
                f"{office}です。{wareki(fy)} {title}をご提出いただき、ありがとうございました。\n"
                f"点検したところ、修正していただきたい箇所が {s.errors} 件ありました"
                + (f"（ほかに確認をお願いしたい箇所 {s.warnings} 件）" if s.warnings else "") + "。\n"
                "添付の差戻しブックを開くと、最初の「エラー一覧」シートに箇所と直し方を載せています。\n"
                "赤い枠のセルを直して、このブックのまま保存し、ご提出ください（再提出として受け付けます）。\n\n"
                f"問合せ: {office} {contact}\n")
        result.append(Reminder(s.section.code, one_line(s.section.email),
                               f"【修正のお願い】{wareki(fy)} {title}（{name}）", body, L.STATUS_NEEDS_FIX, to_name))
    return result
