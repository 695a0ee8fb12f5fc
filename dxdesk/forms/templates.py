"""The shipped templates in templates_xlsx/, rebuilt from their definitions (a test proves they match).

    python -m dxdesk.forms.templates templates_xlsx
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from dxdesk.forms.builder import RoundInfo, build_form
from dxdesk.forms.definition import PROGRESS_FORM
from dxdesk.plan.importer import import_plan
from dxdesk.sample import SAMPLE_DIR, write_plan_workbook

PLAN_EXAMPLE = "計画マスタ_記入例.xlsx"
FORM_EXAMPLE = "進捗報告様式_見本.xlsx"
FIXED_TIME = dt.datetime(2024, 4, 1, 9, 0, 0)


def build_templates(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    plan_path = write_plan_workbook(SAMPLE_DIR, folder / PLAN_EXAMPLE, created=FIXED_TIME)
    plan, _ = import_plan(plan_path)
    section = plan.reporting_sections()[0]
    info = RoundInfo("FY2023-1", 2023, dt.date(2024, 5, 17), "DX推進課", "内線 0000 / dx@example.lg.jp", "dxdesk")
    form_path = folder / FORM_EXAMPLE
    build_form(form_path, PROGRESS_FORM, plan, section, info, created_at=FIXED_TIME)
    return [plan_path, form_path]


if __name__ == "__main__":
    for written in build_templates(Path(sys.argv[1] if len(sys.argv) > 1 else "templates_xlsx")):
        print(written)
