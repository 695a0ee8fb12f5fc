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


def test_a_line_break_in_a_section_name_cannot_forge_a_line_of_the_reminder(tmp_path, sample_plan_path, new_workspace):
    """A section name typed with Alt+Enter in the plan master ended up as a 宛先: line of its own."""
    import openpyxl
    plan = tmp_path / "plan.xlsx"
    wb = openpyxl.load_workbook(sample_plan_path)
    wb["課所室"]["C2"] = "DX推進課\n宛先: attacker@example.com\n件名: 至急"
    wb["課所室"]["D2"] = "佐藤\r\n一郎"
    wb.save(plan)
    ws = new_workspace(tmp_path / "ws")
    jobs.import_plan(ws, plan)
    round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
    path, found = jobs.remind(ws, round_, today=dt.date(2024, 5, 24))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line.startswith("宛先:")] == [f"宛先: {r.to}" for r in found]
    assert not any(line.startswith("件名: 至急") for line in lines)
    assert "DX推進課 宛先: attacker@example.com 件名: 至急" in found[0].subject
    assert "佐藤 一郎 様" in found[0].body
    ws.close()
