import datetime as dt

from dxdesk import jobs
from dxdesk.intake.remind import business_days_between


def test_business_days_skip_weekends_and_holidays():
    # 2024-05-17 (Fri) → 2024-05-24 (Fri): 5 working days; Golden Week: 2024-05-02 → 2024-05-07 is 1 (05-07)
    assert business_days_between(dt.date(2024, 5, 17), dt.date(2024, 5, 24)) == 5
    assert business_days_between(dt.date(2024, 5, 2), dt.date(2024, 5, 7)) == 1


def test_reminders_for_sections_not_returned(sample_round):
    ws, round_, forms = sample_round
    path, found = jobs.remind(ws, round_, today=dt.date(2024, 5, 24))
    assert len(found) == 19 and path.name == "催促文.txt"
    first = found[0]
    assert first.to == "dx-s01@example.lg.jp" and "【提出のお願い】令和5年度" in first.subject
    assert "5 営業日が過ぎています" in first.body and "佐藤 一郎 様" in first.body
    assert "DX推進課" in path.read_text(encoding="utf-8")
