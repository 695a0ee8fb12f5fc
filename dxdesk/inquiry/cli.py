"""`dxdesk inquiry …`: 全庁照会 from the office's own form (new, mapping, list, distribute, collect, status,
findings, waive, accept, remind, merge). Several inquiries live in one workspace, each with its own status."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from dxdesk.inquiry import jobs as ij
from dxdesk.progress import PrintProgress
from dxdesk.rules.findings import SEVERITY_ORDER, count_by, sort_findings, summarise
from dxdesk.years import format_date_jp

ID_HELP = "全庁照会の照会ID（Q1 など。既定: 最後に作った照会。`dxdesk inquiry list` で確認）"
_WHO = os.environ.get("USERNAME") or os.environ.get("USER") or "担当者"


def add_inquiry_commands(sub, open_workspace, parse_date) -> None:
    """Register `inquiry` and its subcommands; open_workspace(args) and parse_date come from dxdesk.cli."""
    group = sub.add_parser("inquiry", help="全庁照会（手持ちの Excel 様式で各課に照会・回収・点検・集約）")
    commands = group.add_subparsers(dest="inquiry_command", required=True, metavar="サブコマンド")

    def add(name: str, func, text: str, with_id: bool = True):
        s = commands.add_parser(name, help=text)
        if with_id:
            s.add_argument("--id", dest="inquiry_id", help=ID_HELP)
        s.set_defaults(func=lambda args: func(args, open_workspace))
        return s

    s = add("new", cmd_new, "様式のブックから照会を作成し、入力欄の対応表（Excel）を書き出す", with_id=False)
    s.add_argument("template", help="様式のブック（.xlsx）")
    s.add_argument("--name", required=True, help="照会の名前（例 システム棚卸）")
    s.add_argument("--deadline", type=parse_date, required=True, help="提出期限（2025/6/30、R7.6.30）")
    s.add_argument("--sections", help="照会先の課の一覧のブック（課コード・課名・部局・担当者・メール）。既定: 計画マスタの課")
    s.add_argument("--rows", help="課ごとに事前記入する行の一覧のブック（課コード と表の列名。例: 昨年度の棚卸）")
    s = add("mapping", cmd_mapping, "直した対応表を読み込む")
    s.add_argument("file", help="対応表のブック")
    add("list", cmd_list, "照会の一覧（DX計画の照会と全庁照会）と、それぞれの回収状況", with_id=False)
    s = add("distribute", cmd_distribute, "課ごとの様式を作成（課名・課コードを記入、入力欄以外を保護）")
    s.add_argument("--out", help="出力フォルダ（既定: out/<照会ID>/配布）")
    s = add("collect", cmd_collect, "返送されたブックを取り込み、点検する")
    s.add_argument("paths", nargs="+", help="フォルダまたはファイル")
    add("check", cmd_check, "直した対応表で、取り込み済みの最新の提出を点検し直す")
    add("status", cmd_status, "提出状況")
    s = add("findings", cmd_findings, "指摘の一覧")
    s.add_argument("--section", help="課コード")
    s.add_argument("--severity", choices=("ERR", "WARN", "INFO"), help="この重要度以上")
    s = add("waive", cmd_waive, "エラーを1件免除する（誰が・いつ・なぜ を記録）")
    s.add_argument("section", help="課コード")
    s.add_argument("code", help="指摘コード（例 V5）")
    s.add_argument("cell", help="セル（例 G9 または システム棚卸!G9）")
    s.add_argument("--why", required=True, help="免除の理由")
    s.add_argument("--by", default=_WHO)
    s = add("accept", cmd_accept, "警告を確認して受理する")
    s.add_argument("section", help="課コード")
    s.add_argument("--by", default=_WHO)
    add("remind", cmd_remind, "未提出・要修正の課への催促メール（.eml の下書き）")
    add("merge", cmd_merge, "集約ブック・CSV・JSON を作成（out/<照会ID>/集約/）")


def cmd_new(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        new = ij.new_inquiry(ws, Path(args.template), args.name, args.deadline,
                             Path(args.sections) if args.sections else None, Path(args.rows) if args.rows else None)
        inquiry = new.inquiry
        sections = len(ij.iq.sections(ws.conn, inquiry.inquiry_id))
        print(f"全庁照会 {inquiry.inquiry_id}「{inquiry.name}」を作成しました（締切 "
              f"{format_date_jp(dt.date.fromisoformat(inquiry.deadline))}、照会先 {sections} 課）。")
        for area in inquiry.mapping.areas:
            extra = f" 入力行 {area.first_row}〜{area.last_row}（{area.rows}）" + \
                (f" 合計行 {area.total_row}" if area.total_row else "") if area.kind == "表" else ""
            names = "、".join(f.name + ("（事前記入）" if f.prefill else "（行の見出し）" if f.key else "")
                             for f in area.fields)
            print(f"  {area.area_id} {area.kind} シート「{area.sheet}」{extra}: {names}")
        for note in new.analysis.notes:
            print(f"  注意: {note}")
        print(f"入力欄の対応表: {new.mapping_path}\n違っていれば対応表を Excel で直して "
              f"`dxdesk inquiry mapping --id {inquiry.inquiry_id} 対応表.xlsx`、よければ "
              f"`dxdesk inquiry distribute --id {inquiry.inquiry_id}` で配布します。")
    return 0


def cmd_mapping(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        inquiry = ij.apply_mapping(ws, ij.resolve(ws, args.inquiry_id), Path(args.file))
        fields = sum(len(a.fields) for a in inquiry.mapping.areas)
        print(f"{inquiry.inquiry_id} の対応表を読み込みました（入力欄 {len(inquiry.mapping.areas)}・項目 {fields}、"
              f"版 {inquiry.version}）。配布済みの様式は、その版の入力欄で読み取ります。")
    return 0


def cmd_list(args, open_workspace) -> int:
    """Every inquiry of the workspace with its own status — the DX plan's rounds first, then the 全庁照会."""
    from dxdesk import jobs
    from dxdesk.store import rounds_repo as rr

    with open_workspace(args) as ws:
        for round_ in rr.list_rounds(ws.conn):
            counts = count_by(jobs.statuses(ws, round_), "status")
            print(f"{round_.round_id}\t{round_.title}\t締切 {format_date_jp(dt.date.fromisoformat(round_.deadline))}\t"
                  + "、".join(f"{k} {v}" for k, v in counts.items()))
        found = ij.iq.list_all(ws.conn)
        if not found:
            print("全庁照会はまだありません。")
        for inquiry in found:
            counts = count_by(ij.statuses(ws, inquiry), "status")
            print(f"{inquiry.inquiry_id}\t{inquiry.name}\t締切 {format_date_jp(dt.date.fromisoformat(inquiry.deadline))}\t"
                  + "、".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_distribute(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        result = ij.distribute(ws, ij.resolve(ws, args.inquiry_id), Path(args.out) if args.out else None,
                               PrintProgress(args.quiet))
        print(f"{len(result.files)} 課分の様式を作成しました: {result.folder}")
    return 0


def cmd_collect(args, open_workspace) -> int:
    from dxdesk.cli import prepared, print_skipped  # (dxdesk.cli imports this module)

    with open_workspace(args) as ws:
        inquiry = ij.resolve(ws, args.inquiry_id)
        job = prepared(lambda: ij.prepare_collection(inquiry, [Path(p) for p in args.paths]))
        result = ij.collect(ws, inquiry, job, PrintProgress(args.quiet))
        print_skipped(result.skipped)
        for o in result.outcomes:
            tail = f" エラー {o.errors}・警告 {o.warnings}" if o.section_code else ""
            print(f"  {o.outcome}: {o.path.name} {o.section_code}{tail}" + (f"\n    {o.message}" if o.message else ""))
        print(f"{len(result.outcomes)} 件を処理しました。`dxdesk inquiry status --id {inquiry.inquiry_id}` で提出状況を確認できます。")
    return 0


def cmd_check(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        inquiry = ij.resolve(ws, args.inquiry_id)
        count = ij.recheck(ws, inquiry, PrintProgress(args.quiet))
        print(ij.rechecked(inquiry, count))
    return 0


def cmd_status(args, open_workspace) -> int:
    from dxdesk.cli import print_statuses  # (dxdesk.cli imports this module)

    with open_workspace(args) as ws:
        inquiry = ij.resolve(ws, args.inquiry_id)
        print(f"{inquiry.inquiry_id} {inquiry.name}（締切 {format_date_jp(dt.date.fromisoformat(inquiry.deadline))}）")
        print_statuses(ij.statuses(ws, inquiry), "課名")
    return 0


def cmd_findings(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        found = [f for f in ij.findings(ws, ij.resolve(ws, args.inquiry_id))
                 if (not args.section or f.section == args.section)
                 and (not args.severity or SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[args.severity])]
        for f in sort_findings(found):
            print(f"[{f.severity_label}] {f.code} {f.message}" + (f"\n    → {f.hint}" if f.hint else "")
                  + (f"\n    ※ {f.waiver}" if f.waiver else ""))
        print("\n指摘の集計（規則別）:")
        for c in summarise(found):
            print(f"  {c.code:<4} {c.title:<20} {c.label} {c.count} 件（{c.where}）")
    return 0


def cmd_waive(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        finding = ij.waive(ws, ij.resolve(ws, args.inquiry_id), args.section, args.code.upper(), args.cell, args.by,
                           args.why)
        print(f"{finding.code} {finding.sheet}!{finding.cell} を免除しました。{finding.waiver}")
    return 0


def cmd_accept(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        status = ij.accept(ws, ij.resolve(ws, args.inquiry_id), args.section, args.by)
        print(f"{status.section.code} {status.section.name}: {status.status}")
    return 0


def cmd_remind(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        inquiry = ij.resolve(ws, args.inquiry_id)
        path, found = ij.remind(ws, inquiry)
        print(f"催促 {len(found)} 件: {path}（.eml の下書きは {ij.drafts_folder(ws, inquiry)}）")
    return 0


def cmd_merge(args, open_workspace) -> int:
    with open_workspace(args) as ws:
        out = ij.merge(ws, ij.resolve(ws, args.inquiry_id))
        print(f"集約ブック: {out['workbook']}\nCSV・JSON: {out['folder']}")
    return 0
