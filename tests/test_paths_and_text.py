"""Real paths and real text: Japanese folders with spaces and very long paths, files held open by another
program, section names Excel does not allow in sheet or file names, long text with emoji and 𠮟 / 髙 / ①."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.intake import archive
from dxdesk.sample import SAMPLE_DIR, write_plan_workbook


def test_japanese_folder_with_spaces_and_a_path_over_260_characters(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    deep = tmp_path / "令和5年度 回収 (最終)" / ("とても長いフォルダ名" * 6) / ("さらに深い階層" * 6) / ("担当課から届いた分" * 6)
    deep.mkdir(parents=True)
    target = deep / forms[0].name
    fill_return(forms[0], target, jobs.require_plan(ws), sample_actuals, 2023)
    assert len(str(target)) > 260
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / "令和5年度 回収 (最終)"]))
    assert [o.outcome for o in result.outcomes] == ["取込"]


def test_a_file_held_open_by_another_program_is_a_message(sample_round, tmp_path, monkeypatch, sample_actuals):
    ws, round_, forms = sample_round
    target = tmp_path / forms[0].name
    fill_return(forms[0], target, jobs.require_plan(ws), sample_actuals, 2023)
    real_open = open

    def locked(path, *args, **kwargs):
        if str(path) == str(target):
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(archive, "open", locked, raising=False)
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [target]))
    assert result.outcomes[0].outcome == "要確認"
    assert "ほかのプログラムで開かれて" in result.outcomes[0].message
    monkeypatch.undo()
    again = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [target]))
    assert again.outcomes[0].outcome == "取込"  # once closed, it is collected


def test_section_names_excel_does_not_allow(workspace, tmp_path):
    plan_path = write_plan_workbook(SAMPLE_DIR, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(plan_path)
    wb["課所室"].cell(2, 3).value = "企画/調整:DX[推進]課*?" + "（デジタル・トランスフォーメーション推進担当）" * 2
    wb.save(plan_path)
    jobs.import_plan(workspace, plan_path)
    round_ = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    files = jobs.distribute(workspace, round_).files
    name = next(f.name for f in files if "_S01_" in f.name)
    assert not set('/\\:*?"<>|') & set(name) and len(name) <= 90
    done = jobs.consolidate(workspace, round_)
    status = openpyxl.load_workbook(done.workbook, read_only=True)["回収状況"]
    assert any("企画/調整:DX[推進]課*?" in str(row[2]) for row in status.iter_rows(values_only=True))


def test_long_text_emoji_and_characters_outside_cp932_survive(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    text = "𠮟責ではなく髙橋さんと協議し、①窓口②電子申請の二本立てで周知した🙂\n改行の後も続く。" + "あ" * 3000
    target = tmp_path / forms[0].name
    fill_return(forms[0], target, jobs.require_plan(ws), sample_actuals, 2023)
    fill_values(target, target, {"K027": {"result": text}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [target]))
    done = jobs.consolidate(ws, round_)
    sheet = openpyxl.load_workbook(done.workbook, read_only=True)["施策・指標一覧"]
    assert any(text == cell for row in sheet.iter_rows(values_only=True) for cell in row)
    path, _ = jobs.export_csv(ws, tmp_path / "all.csv", 2023)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["指標ID"] == "K027" for r in rows)
