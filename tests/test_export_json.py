"""`dxdesk export --json`: the same rows as the CSV (numbers as numbers, blanks as null), and README.txt beside
the exported files with every column and the CC BY 4.0 note."""
from __future__ import annotations

import csv
import json

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.demo import fill_return
from dxdesk.outputs.csv_export import COLUMNS, JSON_NUMBERS


def test_json_has_the_same_rows_as_the_csv(sample_round, tmp_path, sample_actuals, monkeypatch):
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S06_" in f.name)
    fill_return(form, tmp_path / form.name, jobs.require_plan(ws), sample_actuals, 2023)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / form.name]))
    out = tmp_path / "opendata"
    assert main(["-w", str(ws.root), "export", "--csv", "--json", "--out", str(out)]) == 0
    with open(out / "opendata_all.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    data = json.loads((out / "opendata_all.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in data["columns"]] == list(COLUMNS)
    assert len(data["rows"]) == len(rows) > 100
    numbers = 0
    for from_csv, from_json in zip(rows, data["rows"]):
        assert list(from_json) == list(COLUMNS)
        for name in COLUMNS:
            value, text = from_json[name], from_csv[name].removeprefix("'")
            if value is None:
                assert text == ""
            elif isinstance(value, (int, float)):
                assert name in JSON_NUMBERS and float(text) == value
                numbers += 1
            else:
                assert value == text
    assert numbers > 100
    assert "CC BY 4.0" in data["license"]
    readme = (out / "README.txt").read_text(encoding="utf-8-sig")
    assert "opendata_all.csv" in readme and "opendata_all.json" in readme
    assert "CC BY 4.0" in readme and "creativecommons.org/licenses/by/4.0" in readme
    assert all(name in readme for name in COLUMNS)


def test_export_needs_a_format(workspace, capsys):
    assert main(["-w", str(workspace.root), "export"]) == 2
    assert "--json" in capsys.readouterr().err
