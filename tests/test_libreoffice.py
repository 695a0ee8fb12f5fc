"""Returns saved by a real spreadsheet program (LibreOffice Calc, headless) are read exactly."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.outputs.dataset import round_records

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice がありません（./scripts/setup.sh が入れます）")]


def resave_with_libreoffice(source, out_dir, profile):
    """Open and save the workbook in LibreOffice Calc as .xlsx (recalculating the self-check)."""
    out_dir.mkdir(exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / source.name


def test_returns_saved_by_libreoffice_are_read_exactly(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    plan = jobs.require_plan(ws)
    filled = tmp_path / "filled"
    resaved = []
    for form in forms[6:9]:
        fill_return(form, filled / form.name, plan, sample_actuals, 2023, "zenkaku" if form is forms[6] else "")
        resaved.append(resave_with_libreoffice(filled / form.name, tmp_path / "calc", tmp_path / "lo-profile"))
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, resaved))
    assert [o.outcome for o in result.outcomes] == ["取込"] * 3
    records = {r.kpi.kpi_id: r for r in round_records(ws.conn, plan, round_) if r.source_file}
    sections = {f.name.split("_")[1] for f in forms[6:9]}
    expected = [k for k in plan.kpis.values() if plan.measures[k.measure_id].owner in sections]
    assert len(records) == len(expected) > 0
    for kpi in expected:
        text = sample_actuals[kpi.kpi_id]["実績値"]
        assert records[kpi.kpi_id].actual == (pytest.approx(float(text)) if text else None)
    codes = {f.code for f in jobs.round_findings(ws, round_) if f.section in sections}
    assert "N1" in codes and "S1" not in codes and "K2" not in codes


def convert_with_libreoffice(source, out_dir, profile, fmt):
    out_dir.mkdir(exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
                    "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / f"{source.stem}.{fmt}"


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_returns_saved_as_xls_or_ods_are_read_and_flagged(sample_round, tmp_path, sample_actuals, fmt):
    """A sanitiser or another program turned the return into .xls / .ods — even renamed back to .xlsx."""
    ws, round_, forms = sample_round
    plan = jobs.require_plan(ws)
    filled = fill_return(forms[6], tmp_path / forms[6].name, plan, sample_actuals, 2023) or tmp_path / forms[6].name
    converted = convert_with_libreoffice(filled, tmp_path / fmt, tmp_path / "lo-profile", fmt)
    renamed = converted.with_name(f"renamed_{fmt}.xlsx")
    shutil.copy(converted, renamed)
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [renamed]))
    assert result.outcomes[0].section_code == forms[6].name.split("_")[1]  # read by content, not extension
    again = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [converted]))
    assert again.outcomes[0].outcome == "取込済み"  # the same bytes under its own name
    records = {r.kpi.kpi_id: r for r in round_records(ws.conn, plan, round_) if r.source_file}
    for kpi_id, record in records.items():
        text = sample_actuals[kpi_id]["実績値"]
        assert record.actual == (pytest.approx(float(text)) if text else None)
    codes = [f.code for f in jobs.round_findings(ws, round_)]
    assert "S10" in codes and "S1" not in codes and "R3" not in codes


def test_files_libreoffice_cannot_open_are_refused(sample_round, tmp_path, sample_actuals):
    """What LibreOffice itself refuses to open must not be 受理: here it is an R3 naming the file."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent / "corpus"))
    from make_corpus import content_types_not_xml, workbook_not_declared
    ws, round_, forms = sample_round
    good = tmp_path / "good.xlsx"
    fill_return(forms[0], good, jobs.require_plan(ws), sample_actuals, 2023)
    (tmp_path / "in").mkdir()
    cases = [make(good, tmp_path / "in") for make in (content_types_not_xml, workbook_not_declared)]
    result = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                             "--calc", "--convert-to", "csv", "--outdir", str(tmp_path / "csv")]
                            + [str(p) for p in cases + [good]], capture_output=True, timeout=300)
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["good.csv"], result.stderr
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, cases))
    r3 = {f.file: f.message for f in jobs.round_findings(ws, round_) if f.code == "R3"}
    assert sorted(r3) == sorted(p.name for p in cases)
    assert all("Excel ブックの構成が壊れています" in message for message in r3.values())
