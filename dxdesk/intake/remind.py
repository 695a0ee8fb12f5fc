"""Reminder texts for the sections that have not returned (R2): ready to paste into LGWAN mail."""
from __future__ import annotations

import datetime as dt
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


def reminders(statuses: list[SectionStatus], fy: int, deadline: dt.date, title: str, office: str, contact: str,
              today: dt.date) -> list[Reminder]:
    late = business_days_between(deadline, today) if today > deadline else 0
    when = f"締切（{format_date_jp(deadline)}）から {late} 営業日が過ぎています。" if late else \
        f"締切は {format_date_jp(deadline)} です。"
    result = []
    for s in statuses:
        if s.status != L.STATUS_NOT_RETURNED:
            continue
        person = f"{s.section.person} 様" if s.section.person else "ご担当者 様"
        body = (f"{s.section.dept} {s.section.name}\n{person}\n\n"
                f"{office}です。{wareki(fy)} {title}の提出をお願いしております。\n{when}\n"
                "配布した様式（Excel）に記入のうえ、ファイル名を変えずにご提出ください。\n"
                "提出が難しい事情がありましたら、お手数ですがご連絡ください。\n\n"
                f"問合せ: {office} {contact}\n")
        result.append(Reminder(s.section.code, s.section.email,
                               f"【提出のお願い】{wareki(fy)} {title}（{s.section.name}）", body,
                               to_name=f"{s.section.name} {s.section.person}".strip()))
    return result


def correction_reminders(statuses: list[SectionStatus], fy: int, title: str, office: str, contact: str) -> list[Reminder]:
    """For the sections whose latest return has an error (要修正): please correct the send-back workbook."""
    result = []
    for s in statuses:
        if s.status != L.STATUS_NEEDS_FIX:
            continue
        person = f"{s.section.person} 様" if s.section.person else "ご担当者 様"
        body = (f"{s.section.dept} {s.section.name}\n{person}\n\n"
                f"{office}です。{wareki(fy)} {title}をご提出いただき、ありがとうございました。\n"
                f"点検したところ、修正していただきたい箇所が {s.errors} 件ありました"
                + (f"（ほかに確認をお願いしたい箇所 {s.warnings} 件）" if s.warnings else "") + "。\n"
                "添付の差戻しブックを開くと、最初の「エラー一覧」シートに箇所と直し方を載せています。\n"
                "赤い枠のセルを直して、このブックのまま保存し、ご提出ください（再提出として受け付けます）。\n\n"
                f"問合せ: {office} {contact}\n")
        result.append(Reminder(s.section.code, s.section.email,
                               f"【修正のお願い】{wareki(fy)} {title}（{s.section.name}）", body, L.STATUS_NEEDS_FIX,
                               f"{s.section.name} {s.section.person}".strip()))
    return result
