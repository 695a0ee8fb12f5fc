"""The rule book is configuration the office edits as a workbook; every check records its version."""
import openpyxl

from dxdesk import jobs
from dxdesk.demo import fill_values
from dxdesk.rules.book import default_rulebook
from dxdesk.rules.book_io import export_rulebook, import_rulebook
from dxdesk.rules.findings import flatten


def test_rule_book_round_trips_through_a_workbook(tmp_path):
    book = default_rulebook()
    path = export_rulebook(tmp_path / "規則集.xlsx", book)
    again, findings = import_rulebook(path, book)
    assert findings == [] and again.version == book.version


def test_edited_rule_book_with_bad_entries(tmp_path):
    path = export_rulebook(tmp_path / "規則集.xlsx", default_rulebook())
    wb = openpyxl.load_workbook(path)
    rules = wb["規則"]
    code_row = {rules.cell(r, 1).value: r for r in range(2, rules.max_row + 1)}
    rules.cell(code_row["K2"], 4).value = "警告"      # downgrade
    rules.cell(code_row["N1"], 5).value = "しない"    # switch off
    rules.cell(code_row["K4"], 4).value = "重大"      # not a severity
    rules.append(["Z9", "なし", "エラー", "エラー", "する"])
    params = wb["閾値"]
    params_row = {params.cell(r, 1).value: r for r in range(2, params.max_row + 1)}
    params.cell(params_row["M2"], 3).value = "３０％"   # typed the Japanese way: 0.3? no — 30
    wb["評価尺度"].cell(2, 2).value = "ABC"
    wb.save(path)
    book, findings = import_rulebook(path, default_rulebook())
    assert flatten(findings, ["code", "sheet", "value"]) == [
        ["B1", "規則", "重大"], ["B1", "規則", "Z9"], ["B1", "評価尺度", "ABC"]]
    assert book.setting("K2").severity == "WARN" and not book.setting("N1").enabled
    assert book.setting("K4").severity == "ERR"
    assert book.param("M2", "執行率の下限") == 30.0


def test_check_after_a_rule_book_change_records_the_version(sample_round, tmp_path):
    ws, round_, forms = sample_round
    filled = fill_values(forms[0], tmp_path / "r.xlsx", {"K126": {"actual": 10, "self_grade": "A"}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [filled]))
    before = {f.code: f.severity for f in jobs.round_findings(ws, round_)}
    assert before["K2"] == "ERR"
    path = jobs.export_rules(ws, tmp_path / "規則集.xlsx")
    wb = openpyxl.load_workbook(path)
    rules = wb["規則"]
    row = next(r for r in range(2, rules.max_row + 1) if rules.cell(r, 1).value == "K2")
    rules.cell(row, 4).value = "警告"
    wb.save(path)
    book, findings = jobs.import_rules(ws, path)
    assert findings == []
    jobs.check(ws, round_)
    after = {f.code: f.severity for f in jobs.round_findings(ws, round_)}
    assert after["K2"] == "WARN"
    sub = jobs.rr.latest_submissions(ws.conn, round_.round_id)["S01"]
    assert sub.rulebook_version == book.version
    assert ws.conn.execute("SELECT COUNT(*) FROM rulebooks").fetchone()[0] == 2
