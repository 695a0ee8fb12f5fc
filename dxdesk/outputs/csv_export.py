"""Open-data CSV of the consolidated dataset: UTF-8 with BOM, stable columns (docs/csv-export.md)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from dxdesk.labels import LABELS
from dxdesk.outputs.dataset import KpiRecord
from dxdesk.xlsx import atomic_path

CSV_KEYS = ("fy", "measure_id", "measure_name", "kpi_id", "kpi_name", "unit", "baseline", "target", "actual",
            "achievement", "computed_grade", "self_grade", "grade_basis", "progress_ratio", "final_target",
            "target_fy", "comparator", "direction", "basis", "kpi_kind", "stage", "section_code", "section_name",
            "relisted_id", "source", "submission_status", "check_result")
COLUMNS = tuple(LABELS[k] for k in CSV_KEYS)
# what the public export leaves blank for a section not accepted yet (its values may still change)
UNCONFIRMED = tuple(LABELS[k] for k in ("actual", "achievement", "computed_grade", "self_grade", "progress_ratio"))
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Keep spreadsheet programs from reading a cell as a formula (CSV injection)."""
    if text and text.startswith(_DANGEROUS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.10g}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def row_of(r: KpiRecord) -> list[str]:
    j = r.judgement
    return [str(r.fy), r.measure.measure_id, r.measure.name, r.kpi.kpi_id, r.kpi.name, r.kpi.unit,
            _num(r.kpi.baseline) or r.kpi.baseline_text, _num(j.target), _num(r.actual), _pct(j.achievement),
            r.shown_grade, r.self_grade, j.basis, _pct(j.progress), _num(r.kpi.target) or r.kpi.target_text,
            str(r.kpi.target_fy or ""), r.kpi.comparator, r.kpi.direction, r.kpi.basis, r.kpi.kind,
            r.measure.stage, r.section.code, r.section.name, r.kpi.relisted_of, r.source_file, r.status, r.check]


def export_rows(records: list[KpiRecord], accepted_only: bool = True) -> list[list[str]]:
    """The rows of the open data, shared by the CSV and the JSON. accepted_only (the public export): a row
    whose section is not accepted yet keeps its plan columns and its 提出状況, with its values left out."""
    blank = [COLUMNS.index(c) for c in UNCONFIRMED]
    rows = []
    for record in records:
        row = row_of(record)
        if accepted_only and not record.accepted:
            for i in blank:
                row[i] = ""
        rows.append(row)
    return rows


def write_csv(path: Path, records: list[KpiRecord], accepted_only: bool = True) -> Path:
    """The open-data CSV (UTF-8 with BOM, CRLF), formula-looking text neutralised."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            for row in export_rows(records, accepted_only):
                writer.writerow([neutralise(v) for v in row])
    return path


# columns whose value is a number in the JSON when the CSV cell holds one (a 基準値 「新規」 stays text)
JSON_NUMBERS = {LABELS[k] for k in ("fy", "baseline", "target", "actual", "achievement", "progress_ratio",
                                    "final_target", "target_fy")}


def _json_value(label: str, text: str):
    if text == "":
        return None
    if label in JSON_NUMBERS and _is_number(text):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    return text


def write_json(path: Path, records: list[KpiRecord], accepted_only: bool = True, title: str = "") -> Path:
    """The same rows as the CSV as JSON (UTF-8): {"columns": [...], "rows": [{列名: 値}]}; numbers as numbers,
    empty cells as null (docs/csv-export.md)."""
    data = {"title": title, "license": LICENSE, "license_url": LICENSE_URL,
            "columns": [{"key": k, "name": c, "description": COLUMN_NOTES.get(k, "")} for k, c in zip(CSV_KEYS, COLUMNS)],
            "rows": [{c: _json_value(c, v) for c, v in zip(COLUMNS, row)} for row in export_rows(records, accepted_only)]}
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


LICENSE = "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"
COLUMN_NOTES = {
    "fy": "西暦の会計年度（2023 = 令和5年度）",
    "unit": "% の指標は百分率の数値（82.5）",
    "baseline": "数値がなければ計画マスタの表記（-、新規 など）または空",
    "target": "判定に用いた目標値: その年度の年度目標があればそれ、なければ最終目標",
    "achievement": "実績値 ÷ 目標値 × 100（小数1桁、%）。減少が良い指標は 目標値 ÷ 実績値 × 100",
    "computed_grade": "数値から算定した評価（段階 3・5 は「対象外」）。数値で決まらないときは空",
    "self_grade": "担当課の自己評価",
    "grade_basis": "どの目標で判定したか（令和5年度目標、最終目標（令和9年度）、スケジュール管理 など）",
    "progress_ratio": "(実績値 − 基準値) ÷ (目標値 − 基準値) × 100。基準値＝目標値のときは空",
    "final_target": "計画最終年度の目標（定性目標はその文言）",
    "comparator": "以上（下限）/ 以下（上限）/ 空",
    "direction": "増加 / 減少 / 維持",
    "basis": "単年度 / 累計",
    "kpi_kind": "アウトカム / アウトプット",
    "stage": "ライフサイクル段階",
    "section_code": "主担当課",
    "relisted_id": "再掲の指標は元の指標ID（集計では1回だけ数える）",
    "source": "値の出典ファイル名（履歴は「計画マスタ」）",
    "submission_status": "担当課の提出状況: 未提出 / 提出済 / 要修正 / 受理（計画マスタの実績は「過年度実績」）",
    "check_result": "その行の点検の結果: エラー / 警告 / 情報 / 免除 / 問題なし",
}


def write_readme(folder: Path, files: list[Path], title: str, accepted_only: bool = True) -> Path:
    """README.txt beside the exported files: what each file is, the columns, the licence (CC BY 4.0)."""
    lines = [f"{title}　オープンデータ", "", "■ ファイル"]
    for f in files:
        kind = "CSV（UTF-8 BOM 付き、改行 CRLF、1 行目は列名）" if f.suffix == ".csv" else \
            "JSON（UTF-8。CSV と同じ行。columns に列の説明、rows に 1 行 1 オブジェクト、数値は数値、空欄は null）"
        lines.append(f"・{f.name}: {kind}")
    lines += ["", "■ 1 行 = 1 指標 × 1 年度。" + ("受理前の課の実績値・評価は空欄です（値が変わることがあるため）。"
                                            if accepted_only else "受理前の値を含みます（内部確認用。公開しないこと）。"),
              "", "■ 列"]
    lines += [f"{i:>2}. {name}" + (f": {COLUMN_NOTES[k]}" if k in COLUMN_NOTES else "")
              for i, (k, name) in enumerate(zip(CSV_KEYS, COLUMNS), start=1)]
    lines += ["", "■ ライセンス", f"このデータは {LICENSE} の下で提供します。",
              f"出典を表示すれば、複製・加工・再配布・商用利用ができます（{LICENSE_URL}）。",
              f"出典の表示例: 「{title}」（{LICENSE}）", ""]
    path = folder / "README.txt"
    with atomic_path(path) as tmp:
        tmp.write_text("\r\n".join(lines), encoding="utf-8-sig")
    return path


FINDING_COLUMNS = tuple(LABELS[k] for k in ("severity", "code", "rule_title", "section_code", "file", "sheet", "cell",
                                             "value", "message", "hint", "waiver"))


def write_findings_csv(path: Path, findings) -> Path:
    """The findings list as CSV (UTF-8 with BOM), in the order of the 指摘一覧 sheet."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(FINDING_COLUMNS)
            for f in findings:
                writer.writerow([neutralise(v) for v in (f.severity_label, f.code, f.title, f.section, f.file,
                                                         f.sheet, f.cell, f.value, f.message, f.hint, f.waiver)])
    return path
