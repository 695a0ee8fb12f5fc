"""The command line: every job of the round is scriptable (`dxdesk --help`)."""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Callable

from dxdesk import __version__, jobs
from dxdesk.argparse_ja import JaParser
from dxdesk.outputs import numfmt
from dxdesk.inquiry.cli import add_inquiry_commands
from dxdesk.errors import DxdeskError, WorkspaceError, disk_full_message, is_disk_full
from dxdesk.intake.collect import CollectionPlan, NothingToCollect
from dxdesk.progress import PrintProgress
from dxdesk.rules.findings import SEVERITY_ORDER, count_by, group_by, severity_counts, sort_findings, summarise
from dxdesk.store.findings_repo import plan_findings
from dxdesk.store.rulebook_repo import current_rulebook
from dxdesk.store.activity_repo import activity_log
from dxdesk.store.pgstore import connection_lost, describe, lost_message
from dxdesk.store.workspace import Workspace, database_of, init_workspace, is_workspace, open_workspace
from dxdesk.years import YearError, format_date_jp, parse_date, parse_fy


def _workspace_path(args) -> tuple[Path, str]:
    """Where the workspace is looked for, and why there: -w, else DXDESK_WORKSPACE, else the current folder."""
    if args.workspace:
        return Path(args.workspace), "-w の指定"
    if os.environ.get("DXDESK_WORKSPACE"):
        return Path(os.environ["DXDESK_WORKSPACE"]), "環境変数 DXDESK_WORKSPACE"
    return Path("."), "現在のフォルダ"


def _open(args) -> Workspace:
    """Open the workspace; only `init` and `demo` create one (a forgotten -w must not make a second one)."""
    path, why = _workspace_path(args)
    if not is_workspace(path):
        raise WorkspaceError(
            f"{path.resolve()}（{why}）にワークスペースがありません。ワークスペースは -w DIR、環境変数 "
            f"DXDESK_WORKSPACE、現在のフォルダの順に探します。別の場所なら -w で指定し、新しく作るなら "
            f"`dxdesk init {path.resolve()}` を実行してください。")
    ws = open_workspace(path)
    for note in ([ws.readonly_reason] if ws.readonly else []) + ws.notes:
        print(f"注意: {note}")
    return ws


@contextlib.contextmanager
def _round(args):
    """The workspace and the round a command works on (--round, else the latest)."""
    with _open(args) as ws:
        yield ws, jobs.resolve_round(ws, args.round)


def _fy(text: str) -> int:
    try:
        return parse_fy(text)
    except YearError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _date(text: str) -> dt.date:
    """A date as people type it: 2025-05-16, 2025/5/16, R7.5.16, 令和7年5月16日."""
    try:
        return parse_date(text)
    except YearError as exc:
        raise argparse.ArgumentTypeError(f"{exc}（2025/5/16、R7.5.16、令和7年5月16日 のように指定してください）") from exc


def cmd_init(args) -> int:
    existed = is_workspace(Path(args.dir))
    with init_workspace(args.dir, database=args.database) as ws:
        if ws.shared:
            print(f"共有ワークスペースのフォルダは既にあります（何も変更していません）: {ws.root}（データベース {ws.where}）" if existed
                  else f"共有ワークスペースを作成しました: {ws.root}（データベース {ws.where}）")
            return 0
        print(f"ワークスペースは既にあります（何も変更していません）: {ws.root}" if existed
              else f"ワークスペースを作成しました: {ws.root}")
    return 0


def cmd_workspace_migrate(args) -> int:
    from dxdesk.store.moveup import default_folder, move_up
    with _open(args) as ws:
        folder = Path(args.folder) if args.folder else default_folder(ws.root)
        result = move_up(ws, args.to, folder, PrintProgress(args.quiet))
    print(f"データベース {describe(args.to)} へ移しました（原本 {result.originals} 件、"
          + "、".join(f"{t} {n}行" for t, n in result.rows.items() if n) + "）。")
    print(f"共有ワークスペースのフォルダ: {result.folder}（元のフォルダはそのまま残しています）")
    return 0


def cmd_log(args) -> int:
    with _open(args) as ws:
        for entry in activity_log(ws.conn, args.limit):
            print(entry.line)
    return 0


def cmd_plan_import(args) -> int:
    with _open(args) as ws:
        result = jobs.import_plan(ws, Path(args.file), PrintProgress(args.quiet))
        print(result.summary)
        if result.edition:
            print(f"計画の版: {result.edition.title}（以前の版も残っています: `dxdesk plan editions`、`dxdesk plan diff`）")
        print_grouped(result.findings)
    return 0


def print_grouped(findings, examples: int = 2) -> None:
    """Findings grouped as `findings --summary` counts them, errors first: identical ones (same rule, sheet,
    column, value) are one line with the count, the first few in full and where the others are."""
    groups: dict[tuple, list] = {}
    for f in sort_findings(findings):
        column = f.cell.rstrip("0123456789")
        groups.setdefault((SEVERITY_ORDER[f.severity], f.code, f.sheet, column, f.value, f.expected), []).append(f)
    for key in sorted(groups, key=lambda k: (k[0], -len(groups[k]), k[1])):
        items = groups[key]
        first = items[0]
        where = f"（シート「{first.sheet}」{key[3]}列）" if len(items) > 1 and key[3] else ""
        print(f"  [{first.severity_label}] {first.code} {first.title}{where}: {len(items)} 件")
        for f in items[:examples]:
            print(f"    {f.message}")
        if len(items) > examples:
            cells = "、".join(f.cell for f in items[examples:examples + 8] if f.cell)
            more = " …" if len(items) > examples + 8 else ""
            print(f"    ほか {len(items) - examples} 件" + (f"（{cells}{more}）" if cells else ""))
        if first.hint:
            print(f"    → {first.hint}")


def cmd_plan_editions(args) -> int:
    with _open(args) as ws:
        for e in jobs.editions(ws):
            print(f"{e.title}  {e.file_name}  取り込み {e.imported_at.replace('T', ' ')}")
    return 0


def cmd_plan_diff(args) -> int:
    with _open(args) as ws:
        for line in jobs.plan_diff(ws, args.before, args.after).lines():
            print(line)
    return 0


def cmd_plan_findings(args) -> int:
    with _open(args) as ws:
        for finding in plan_findings(ws.conn):
            print(f"[{finding.severity_label}] {finding.message} → {finding.hint}")
    return 0


def cmd_round_new(args) -> int:
    with _open(args) as ws:
        round_ = jobs.new_round(ws, args.fy, args.deadline, again=args.again)
        print(f"照会 {round_.round_id}（{round_.title}、締切 {format_date_jp(dt.date.fromisoformat(round_.deadline))}）"
              "を作成しました。以後のコマンドはこの照会を対象にします。")
    return 0


def cmd_round_list(args) -> int:
    with _open(args) as ws:
        current = jobs.current_round_id(ws)
        rounds = jobs.rr.list_rounds(ws.conn)
        for r in rounds:
            mark = "*" if r.round_id == current else " "
            print(f"{mark} {r.round_id}\t{r.title}\t締切 {format_date_jp(dt.date.fromisoformat(r.deadline))}")
        print("（* が対象の照会。切り替えは `dxdesk round use 照会ID`）" if rounds else "照会はまだありません。")
    return 0


def cmd_round_use(args) -> int:
    with _open(args) as ws:
        round_ = jobs.use_round(ws, args.round_id)
        print(f"対象の照会を {round_.round_id}（{round_.title}）にしました。")
    return 0


def cmd_distribute(args) -> int:
    with _round(args) as (ws, round_):
        result = jobs.distribute(ws, round_, Path(args.out) if args.out else None, PrintProgress(args.quiet))
        print(f"{len(result.files)} 課分の様式を作成しました: {result.folder}")
    return 0


def cmd_collect(args) -> int:
    with _round(args) as (ws, round_):
        job = prepared(lambda: jobs.prepare_collection(ws, round_, [Path(p) for p in args.paths]))
        result = jobs.run_collection(ws, round_, job, PrintProgress(args.quiet))
        print_skipped(result.skipped)
        for o in result.outcomes:
            tail = f" エラー {o.errors}・警告 {o.warnings}" if o.section_code else ""
            print(f"  {o.outcome}: {o.path.name} {o.section_code}{tail}" + (f"\n    {o.message}" if o.message else ""))
        print(f"{len(result.outcomes)} 件を処理しました。`dxdesk status` で提出状況を確認できます。")
    return 0


def prepared(prepare: Callable[[], CollectionPlan]) -> CollectionPlan:
    """The files a collection will read; when none is readable, the files skipped are listed before the error."""
    try:
        return prepare()
    except NothingToCollect as exc:
        print_skipped(exc.skipped)
        raise


def print_skipped(skipped: list[tuple[Path, str]]) -> None:
    for path, reason in skipped:
        print(f"  読み飛ばし: {path.name}（{reason}）")


def cmd_status(args) -> int:
    with _round(args) as (ws, round_):
        rows = jobs.statuses(ws, round_)
        print(f"{round_.title}（締切 {format_date_jp(dt.date.fromisoformat(round_.deadline))}、照会ID {round_.round_id}）")
        print_statuses(rows)
    return 0


def print_statuses(rows, name_label: str = "課所室名") -> None:
    """The status table (one tab-separated line a section) and the count of each status — a round's and a
    全庁照会's (whose sections are 課名 as in its section list)."""
    print(f"課コード\t{name_label}\t状況\tファイル\t受付日時\tエラー\t警告\t情報")
    for s in rows:
        print(f"{s.section.code}\t{s.section.name}\t{s.status}\t{s.file_name or '-'}\t"
              f"{numfmt.timestamp(s.received_at) or '-'}\t{s.errors}\t{s.warnings}\t{s.infos}")
    print("、".join(f"{k} {v}" for k, v in count_by(rows, "status").items()))


def cmd_findings(args) -> int:
    with _round(args) as (ws, round_):
        if args.section:
            jobs.require_section(jobs.require_plan(ws), args.section)
        found = [f for f in jobs.round_findings(ws, round_)
                 if (not args.section or f.section == args.section)
                 and (not args.severity or SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[args.severity])]
        if not args.summary:
            for f in sort_findings(found):
                print(f"[{f.severity_label}] {f.code} {f.message}" + (f"\n    → {f.hint}" if f.hint else "")
                      + (f"\n    ※ {f.waiver}" if f.waiver else ""))
        print("\n指摘の集計（規則別）:")
        for c in summarise(found):
            print(f"  {c.code:<4} {c.title:<20} {c.label} {c.count} 件（{c.where}）")
        print("課別:")
        for section, items in sorted(group_by(found, "section").items()):
            print(f"  {section or '（課不明）'}: {severity_line(items)}")
        print(f"{severity_line(found)} 件")
    return 0


def cmd_check(args) -> int:
    with _round(args) as (ws, round_):
        count = jobs.check(ws, round_, PrintProgress(args.quiet))
        book = current_rulebook(ws.conn)
        print(f"{count} 件の提出を規則集 {book.version} で点検し直しました。"
              f"{severity_line(jobs.round_findings(ws, round_))} 件")
    return 0


def cmd_rules_export(args) -> int:
    with _open(args) as ws:
        path = jobs.export_rules(ws, Path(args.file))
        print(f"規則集（版 {current_rulebook(ws.conn).version}）を書き出しました: {path}")
    return 0


def cmd_rules_import(args) -> int:
    with _open(args) as ws:
        book, findings = jobs.import_rules(ws, Path(args.file))
        for f in findings:
            print(f"  [{f.severity_label}] {f.message} → {f.hint}")
        print(f"規則集を取り込みました（版 {book.version}、評価尺度 {book.grade_scale}）。"
              "提出済みの分に適用するには `dxdesk check` を実行してください。")
    return 1 if findings else 0


def cmd_waive(args) -> int:
    with _round(args) as (ws, round_):
        finding = jobs.waive(ws, round_, args.section, args.code.upper(), args.cell, args.by, args.why)
        print(f"{finding.code} {finding.sheet}!{finding.cell} を免除しました。{finding.waiver}")
    return 0


def cmd_settings(args) -> int:
    from dxdesk import settings

    with _open(args) as ws:
        if args.key is None:
            for spec in settings.SETTINGS:
                print(f"{spec.key}\t{spec.label}\t{settings.shown(spec.key, ws.setting(spec.key))}")
            return 0
        spec = settings.spec(args.key)
        if args.value is None:
            print(settings.shown(spec.key, ws.setting(spec.key)))
            return 0
        value = args.value
        if spec.many and args.add:
            value = "\n".join(filter(None, [ws.setting(spec.key), value]))
        ws.set_setting(spec.key, value)
        print(f"「{spec.label}」を設定しました: {settings.shown(spec.key, ws.setting(spec.key))}")
    return 0


def severity_line(findings) -> str:
    counts = severity_counts(findings)
    return (f"エラー {counts['ERR']}・警告 {counts['WARN']}・情報 {counts['INFO']}"
            + (f"・免除したエラー {counts['WAIVED']}" if counts["WAIVED"] else ""))


def cmd_remind(args) -> int:
    with _round(args) as (ws, round_):
        path, found = jobs.remind(ws, round_, progress=PrintProgress(True))
        for r in found:
            print(f"宛先: {r.to}\n件名: {r.subject}\n\n{r.body}")
        print(f"{len(found)} 課分の催促文を書き出しました: {path}\n"
              f"メールの下書き（.eml、Outlook で開いて送信）: {path.parent / '催促メール'}\n"
              f"回収状況（印刷用）: {path.parent / '回収状況.pdf'}")
    return 0


def cmd_accept(args) -> int:
    with _round(args) as (ws, round_):
        status = jobs.accept_section(ws, round_, args.section, args.by)
        print(f"{args.section} {status.section.name} を受理しました（{args.by}）。状況: {status.status}")
    return 0


def cmd_consolidate(args) -> int:
    with _round(args) as (ws, round_):
        result = jobs.consolidate(ws, round_, PrintProgress(args.quiet))
        print(f"集約ブック: {result.workbook}\nCSV: {result.csv}\n指摘一覧: {result.findings}\n"
              f"（指標 {result.kpis} 件、提出 {result.returned}/{result.sections} 課）")
    return 0


def cmd_sendback(args) -> int:
    with _round(args) as (ws, round_):
        for code in args.section or ():
            jobs.require_section(jobs.require_plan(ws), code)
        result = jobs.sendback(ws, round_, PrintProgress(args.quiet), args.section or None)
        for code, path in result.files.items():
            print(f"  {code}: {path.name}")
        print(f"{len(result.files)} 課分の差戻しブックを作成しました: {result.folder}" if result.files
              else "差し戻す課はありません（エラー・要確認の警告のある提出がありません）。")
    return 0


def cmd_pack(args) -> int:
    with _round(args) as (ws, round_):
        for pack in (jobs.PACKS if args.pack == "all" else (args.pack,)):
            result = jobs.make_pack(ws, round_, pack, PrintProgress(args.quiet))
            print(f"{pack}: {result.xlsx}\n{pack}: {result.pdf}")
    return 0


def cmd_export(args) -> int:
    if not args.csv and not args.json:
        print("出力形式を指定してください（--csv、--json、または両方）。", file=sys.stderr)
        return 2
    note = "受理していない課の値は空欄" if args.accepted_only else "受理前の値も含む・公開用ではありません"
    with _open(args) as ws:
        if args.csv and not args.json and args.out and Path(args.out).suffix.lower() == ".csv":
            path, count = jobs.export_csv(ws, Path(args.out), args.fy, args.accepted_only)
            print(f"CSV を書き出しました: {path}（{count} 行、UTF-8 BOM 付き、{note}）")
            return 0
        formats = tuple(f for f, on in (("csv", args.csv), ("json", args.json)) if on)
        files, count = jobs.export_open_data(ws, Path(args.out) if args.out else None, args.fy, args.accepted_only,
                                             formats)
        for path in files:
            print(f"書き出しました: {path}")
        print(f"（{count} 行、{note}。列の説明と CC BY 4.0 の表示は README.txt に）")
    return 0


def cmd_demo(args) -> int:
    from dxdesk.demo import run_demo

    result = run_demo(Path(args.out), PrintProgress(args.quiet))
    print("\nデモの照会が終わりました。")
    for s in result.statuses:
        print(f"  {s.section.code} {s.section.name}: {s.status}（エラー {s.errors}・警告 {s.warnings}）")
    print(f"集約ブック: {result.workbook}")
    for pack in result.packs:
        print(f"資料 {pack.pack}: {pack.xlsx}\n資料 {pack.pack}: {pack.pdf}")
    if result.sendback:
        print(f"差戻しブック（{len(result.sendback_files)} 課）: {result.sendback}")
    if result.mails:
        print(f"催促メールの下書き（{len(result.mail_files)} 通、.eml）: {result.mails}")
        print(f"回収状況（印刷用）: {result.status_list}")
    for path in result.open_data:
        print(f"オープンデータ: {path}")
    print(f"オープンデータCSV: {result.csv}")
    print(f"指摘一覧: {result.findings_csv}（集約ブックの「指摘一覧」シートにも）")
    print(f"指摘: {result.findings} 件（うちエラー {result.errors} 件） → "
          f"{own_command()} -w {shlex.quote(str(result.root / 'workspace'))} findings で一覧")
    return 0


def own_command() -> str:
    """How the user can run dxdesk again: `dxdesk` when it is on PATH, else the path it was started by
    (.venv/bin/dxdesk after the Quick start, dxdesk.exe of the frozen build), else `python -m dxdesk.cli`."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if getattr(sys, "frozen", False):  # the frozen build: dxdesk-cli(.exe) beside dxdesk(.exe)
        return shlex.quote(str(Path(sys.executable)))
    if started and started.stem.lower() == "dxdesk":
        on_path = shutil.which("dxdesk")
        if on_path and Path(on_path).resolve() == started.resolve():
            return "dxdesk"
        return shlex.quote(str(started))
    return f"{shlex.quote(sys.executable)} -m dxdesk.cli"


def cmd_gui(args) -> int:
    try:
        from ui.app import run
    except ImportError as exc:
        print(f"画面を起動できません（PySide6 がありません: {exc}）。", file=sys.stderr)
        return 1
    return run(args.workspace)


def build_parser() -> argparse.ArgumentParser:
    p = JaParser(prog="dxdesk", description="DX計画の進捗照会・回収・点検・集約")
    p.add_argument("--version", action="version", version=f"dxdesk {__version__}", help="版を表示して終了")
    p.add_argument("-w", "--workspace", help="ワークスペースのフォルダ（既定: 環境変数 DXDESK_WORKSPACE か現在のフォルダ）")
    p.add_argument("-q", "--quiet", action="store_true", help="途中経過を表示しない")
    sub = p.add_subparsers(dest="command", required=True, metavar="コマンド", title="コマンド")
    s = sub.add_parser("init", help="ワークスペースを作成")
    s.add_argument("dir")
    s.add_argument("--database", metavar="postgresql://ユーザー@サーバー/DB",
                   help="複数の職員で共有するワークスペース: 記録を PostgreSQL のデータベースに置く"
                        "（パスワードは pgpass に。docs/shared-workspace.md）")
    s.set_defaults(func=cmd_init)
    wsp = sub.add_parser("workspace", help="ワークスペースの管理").add_subparsers(dest="workspace_command", required=True)
    s = wsp.add_parser("migrate", help="1人用のワークスペースを履歴・原本ごと PostgreSQL の共有ワークスペースへ移す")
    s.add_argument("--to", required=True, metavar="postgresql://ユーザー@サーバー/DB", help="移行先の空のデータベース")
    s.add_argument("--folder", metavar="フォルダ", help="共有ワークスペースのフォルダ（既定: 元のフォルダ名_共有）")
    s.set_defaults(func=cmd_workspace_migrate)
    s = sub.add_parser("log", help="操作履歴（だれが・いつ・何をしたか）")
    s.add_argument("--limit", type=int, default=50, metavar="件数", help="新しい順にこの件数（既定 50、0 で全件）")
    s.set_defaults(func=cmd_log)
    plan = sub.add_parser("plan", help="計画マスタ").add_subparsers(dest="plan_command", required=True)
    s = plan.add_parser("import", help="計画マスタのブックを取り込む")
    s.add_argument("file")
    s.set_defaults(func=cmd_plan_import)
    plan.add_parser("findings", help="計画マスタ取り込み時の指摘").set_defaults(func=cmd_plan_findings)
    plan.add_parser("editions", help="計画の版（策定・改定）の一覧").set_defaults(func=cmd_plan_editions)
    s = plan.add_parser("diff", help="計画の版の違い（施策・指標の追加・削除・名称・目標・年度・担当課・予算）")
    s.add_argument("--from", dest="before", type=int, help="比べる元の版（既定: 最新の1つ前）")
    s.add_argument("--to", dest="after", type=int, help="比べる先の版（既定: 最新）")
    s.set_defaults(func=cmd_plan_diff)
    rounds = sub.add_parser("round", help="照会（回収ラウンド）").add_subparsers(dest="round_command", required=True)
    s = rounds.add_parser("new", help="照会を作成")
    s.add_argument("--fy", type=_fy, required=True, help="対象年度（2024 / R6 / 令和6年度）")
    s.add_argument("--deadline", type=_date, required=True, help="提出期限（2025/5/16、R7.5.16、令和7年5月16日）")
    s.set_defaults(func=cmd_round_new)
    s.add_argument("--again", action="store_true", help="同じ年度の照会がもうあっても、もう一度照会する")
    rounds.add_parser("list", help="照会の一覧（* が対象の照会）").set_defaults(func=cmd_round_list)
    s = rounds.add_parser("use", help="対象の照会を切り替える")
    s.add_argument("round_id", help="照会ID（`dxdesk round list` で確認）")
    s.set_defaults(func=cmd_round_use)
    for name, func, text in (("distribute", cmd_distribute, "課ごとの様式を作成"),
                             ("status", cmd_status, "提出状況"), ("consolidate", cmd_consolidate, "集約ブックを作成")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--round", help="照会ID（既定: 対象の照会。`dxdesk round use` で切り替え）")
        if name == "distribute":
            s.add_argument("--out", help="出力フォルダ（既定: ワークスペースの out/<照会ID>/配布）")
        s.set_defaults(func=func)
    s = sub.add_parser("collect", help="返送されたブックを取り込む（フォルダまたはファイル）")
    s.add_argument("paths", nargs="+")
    s.add_argument("--round")
    s.set_defaults(func=cmd_collect)
    s = sub.add_parser("findings", help="指摘の一覧")
    s.add_argument("--round")
    s.add_argument("--section", help="課コード")
    s.add_argument("--severity", choices=("ERR", "WARN", "INFO"), help="この重要度以上")
    s.add_argument("--summary", action="store_true", help="集計だけを表示")
    s.set_defaults(func=cmd_findings)
    rules = sub.add_parser("rules", help="規則集（点検ルールの設定）").add_subparsers(dest="rules_command", required=True)
    s = rules.add_parser("export", help="規則集をブックに書き出す")
    s.add_argument("file")
    s.set_defaults(func=cmd_rules_export)
    s = rules.add_parser("import", help="編集した規則集のブックを取り込む")
    s.add_argument("file")
    s.set_defaults(func=cmd_rules_import)
    s = sub.add_parser("check", help="現在の規則集で点検し直す")
    s.add_argument("--round")
    s.set_defaults(func=cmd_check)
    s = sub.add_parser("waive", help="エラーを1件免除する（誰が・いつ・なぜ を記録）")
    s.add_argument("section", help="課コード")
    s.add_argument("code", help="指摘コード（例 K2）")
    s.add_argument("cell", help="セル（例 Q5 または 進捗報告!Q5）")
    s.add_argument("--why", required=True, help="免除の理由")
    s.add_argument("--by", default=os.environ.get("USERNAME") or os.environ.get("USER") or "担当者")
    s.add_argument("--round")
    s.set_defaults(func=cmd_waive)
    s = sub.add_parser("remind", help="未提出・要修正の課への催促メール（.eml の下書き）と回収状況の一覧")
    s.add_argument("--round")
    s.set_defaults(func=cmd_remind)
    s = sub.add_parser("accept", help="警告を確認して受理する")
    s.add_argument("section")
    s.add_argument("--by", default=os.environ.get("USERNAME") or os.environ.get("USER") or "担当者")
    s.add_argument("--round")
    s.set_defaults(func=cmd_accept)
    s = sub.add_parser("sendback", help="差戻しブック（エラー・警告のセルに印とコメント、エラー一覧）を課ごとに作成")
    s.add_argument("--section", action="append", help="この課だけ（繰り返し可）")
    s.add_argument("--round")
    s.set_defaults(func=cmd_sendback)
    s = sub.add_parser("pack", help="資料を作成: hq（本部会議）/ public（公表）/ audit（監査）の Excel と PDF")
    s.add_argument("pack", choices=("hq", "public", "audit", "all"))
    s.add_argument("--round")
    s.set_defaults(func=cmd_pack)
    s = sub.add_parser("export", help="集約データを書き出す")
    s.add_argument("--csv", action="store_true", help="オープンデータ CSV（UTF-8 BOM 付き）")
    s.add_argument("--json", action="store_true", help="同じ行の JSON（UTF-8）。README.txt（列の説明・CC BY 4.0）も書き出す")
    s.add_argument("--fy", type=_fy, help="この年度だけ（既定: 全年度）")
    s.add_argument("--accepted-only", action=argparse.BooleanOptionalAction, default=True,
                   help="受理した課の値だけを出す（既定。--no-accepted-only で受理前の値も含める。公開しないこと）")
    s.add_argument("--out", help="出力フォルダ（--csv だけのときは .csv のファイル名も可）")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("settings", help="担当課名・連絡先・パスワードなどの設定（引数なしで一覧）")
    s.add_argument("key", nargs="?", help="設定名（例 office_name）")
    s.add_argument("value", nargs="?", help="新しい値（省略すると現在の値を表示）")
    s.add_argument("--add", action="store_true", help="一覧の設定（collection_passwords）に1件追加する")
    s.set_defaults(func=cmd_settings)
    s = sub.add_parser("demo", help="同梱のサンプル計画で照会を一巡する")
    s.add_argument("--out", default="dxdesk-demo", help="デモのフォルダ（既定: ./dxdesk-demo）")
    s.set_defaults(func=cmd_demo)
    sub.add_parser("gui", help="画面を開く").set_defaults(func=cmd_gui)
    add_inquiry_commands(sub, _open, _date)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DxdeskError as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("中断しました。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 141  # as any command piped into `head` (128 + SIGPIPE)
    except Exception as exc:  # noqa: BLE001 — only a full disk and a lost database are turned into a message
        if connection_lost(exc):  # a shared workspace's server went away mid-operation: nothing half-written
            print(f"エラー: {lost_message(_where(args))}", file=sys.stderr)
            return 1
        if not is_disk_full(exc):
            raise
        print(f"エラー: {disk_full_message(exc)}", file=sys.stderr)
        return 1


def _where(args) -> str:
    try:
        return describe(database_of(_workspace_path(args)[0])) or "（不明）"
    except DxdeskError:
        return "（不明）"


def _quiet_stdout() -> None:
    """The reader (head, less) went away: send what is left to devnull, so the exit flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


if __name__ == "__main__":
    sys.exit(main())
