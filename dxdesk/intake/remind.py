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
                               f"【提出のお願い】{wareki(fy)} {title}（{s.section.name}）", body))
    return result
