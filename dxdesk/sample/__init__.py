"""The bundled sample plan (real Sasebo figures, see README.md here) and the plan-master writer."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from dxdesk.outputs.xlsx_out import new_workbook
from dxdesk.xlsx import atomic_path

SAMPLE_DIR = Path(__file__).parent / "sasebo"
SHEET_ORDER = ("計画", "課所室", "施策", "指標", "年度目標", "実績", "予算", "マイルストーン", "システム", "重点項目")
NUMERIC_COLUMNS = {"基準値", "目標値", "年度", "予算額", "決算額", "実績値", "基準年度", "目標年度", "予定年度"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _as_number(text: str) -> float | int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def write_plan_workbook(csv_dir: Path, path: Path, created: dt.datetime | None = None) -> Path:
    """Build a plan-master workbook (docs/plan-master.md) from one CSV per sheet."""
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp)
        if created:
            wb.set_properties({"created": created})
        header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_name": "游ゴシック"})
        body = wb.add_format({"font_name": "游ゴシック"})
        for sheet in SHEET_ORDER:
            source = csv_dir / f"{sheet}.csv"
            if not source.exists():
                continue
            with open(source, encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.reader(handle))
            ws = wb.add_worksheet(sheet)
            for c, name in enumerate(rows[0]):
                ws.write_string(0, c, name, header)
                ws.set_column(c, c, 30 if name in ("施策名", "指標名", "施策概要", "算出式・設定根拠", "内容", "概要",
                                                   "効果", "課題", "利益最大化のために何をすべきか") else 12)
            for r, values in enumerate(rows[1:], start=1):
                for c, text in enumerate(values):
                    number = _as_number(text) if rows[0][c] in NUMERIC_COLUMNS and text else None
                    if number is not None:
                        ws.write_number(r, c, number, body)
                    elif text:
                        ws.write_string(r, c, text, body)
            ws.freeze_panes(1, 0)
        wb.close()
    return path
