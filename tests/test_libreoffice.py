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
