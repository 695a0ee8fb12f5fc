"""印刷: the round's collection status and findings summary as an A4 document, previewed and printed with
Qt's print support (the office prints it for the HQ meeting folder)."""
from __future__ import annotations

import html

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from dxdesk.rules.findings import summarise
from dxdesk.years import format_date_jp


def report_html(snap) -> str:
    """回収状況 and 指摘の集計 of the current round (presentation only: the data comes from the snapshot)."""
    r, s = snap.round, snap.state
    head = (f"<h2>{html.escape(r.title)}（{r.round_id}）回収状況</h2>"
            f"<p>締切 {format_date_jp(s.deadline)}　提出 {s.returned}/{s.sections} 課　未提出 {s.missing}　"
            f"要修正 {s.to_correct}　受理 {s.accepted}　エラー {s.errors}</p>")
    cells = "".join(
        f"<tr><td>{html.escape(x.section.code)}</td><td>{html.escape(x.section.dept)}</td>"
        f"<td>{html.escape(x.section.name)}</td><td>{x.status}</td><td>{html.escape(x.file_name)}</td>"
        f"<td align='right'>{x.errors}</td><td align='right'>{x.warnings}</td></tr>" for x in snap.statuses)
    status = ("<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr><th>課コード</th><th>部局</th>"
              f"<th>課所室名</th><th>状況</th><th>ファイル</th><th>エラー</th><th>警告</th></tr>{cells}</table>")
    counts = "".join(f"<tr><td>{c.label}</td><td>{c.code}</td><td>{html.escape(c.title)}</td>"
                     f"<td align='right'>{c.count}</td><td align='right'>{c.sections}</td></tr>"
                     for c in summarise(snap.findings))
    findings = ("<h3>指摘の集計</h3><table border='1' cellspacing='0' cellpadding='3' width='100%'><tr><th>重要度</th>"
                f"<th>コード</th><th>項目</th><th>件数</th><th>課数</th></tr>{counts}</table>" if counts else "")
    return f"<html><body style='font-size:9pt'>{head}{status}{findings}</body></html>"


def report_document(snap, font=None) -> QTextDocument:
    doc = QTextDocument()
    if font is not None:
        doc.setDefaultFont(font)
    doc.setHtml(report_html(snap))
    return doc


def a4_printer(mode=QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    return printer
