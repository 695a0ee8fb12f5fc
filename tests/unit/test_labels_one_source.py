"""One source for every label (issue 8 item 23): statuses, CSV and table headers and the plan master's
column names come from dxdesk/labels.py, and one concept has one name (指標区分, not 区分 here and 指標区分 there)."""
import ast
from pathlib import Path

from dxdesk import labels as L
from dxdesk.outputs import csv_export
from dxdesk.plan import importer

ROOT = Path(__file__).resolve().parents[2]
LABEL_TEXTS = set(L.LABELS.values())


def _string_constants(path: Path) -> list[str]:
    return [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_statuses_are_written_only_in_labels():
    offenders = []
    for path in [*(ROOT / "dxdesk").rglob("*.py"), ROOT / "ui" / "models.py"]:
        if path.name == "labels.py":
            continue
        for text in _string_constants(path):
            if text in L.STATUSES:
                offenders.append(f"{path.relative_to(ROOT)}: {text}")
    assert offenders == []


def test_csv_headers_come_from_labels():
    assert set(csv_export.COLUMNS) <= LABEL_TEXTS
    assert set(csv_export.FINDING_COLUMNS) <= LABEL_TEXTS


def test_kpi_kind_has_one_name():
    assert L.LABELS["kpi_kind"] == "指標区分"
    assert L.LABELS["kpi_kind"] in importer.KNOWN_COLUMNS["指標"]
    assert set(importer.KNOWN_COLUMNS["指標"]) - {"算出式・設定根拠", "算出区分", "構成指標ID"} <= LABEL_TEXTS


def test_window_table_headers_come_from_labels():
    tree = ast.parse((ROOT / "ui" / "models.py").read_text(encoding="utf-8"))
    literal = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "HEADERS" for t in node.targets):
            literal += [e.value for e in getattr(node.value, "elts", []) if isinstance(e, ast.Constant)]
    assert set(literal) <= LABEL_TEXTS, sorted(set(literal) - LABEL_TEXTS)
