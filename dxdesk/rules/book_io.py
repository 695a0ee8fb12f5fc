"""The rule book as a workbook the DX office edits without a programmer (export, then import back)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from dxdesk.normalize import clean_text, normalise_key, parse_number
from dxdesk.outputs.xlsx_out import Styles, new_workbook, print_setup, table
from dxdesk.plan.table import read_table
from dxdesk.rules.book import RuleBook, RuleSetting
from dxdesk.rules.catalogue import CATALOGUE, SEVERITY_LABELS
from dxdesk.rules.findings import Finding, make
from dxdesk.rules.scales import COMPUTED, SCALES, Scale, define_scale, definition_rows
from dxdesk.xlsx import atomic_path, reading_workbook

RULE_SHEET, PARAM_SHEET, SCALE_SHEET, DEFINITION_SHEET = "規則", "閾値", "評価尺度", "評価尺度定義"
REQUIRED = {RULE_SHEET: ("コード", "重要度", "点検"), PARAM_SHEET: ("コード", "設定", "値"), SCALE_SHEET: ("項目", "値"),
            DEFINITION_SHEET: ("尺度", "評価", "算定評価")}
BUILT_IN = "（組み込み・変更不可）"
ON, OFF = "する", "しない"
SEVERITY_BY_TEXT = {**{k: k for k in SEVERITY_LABELS}, **{v: k for k, v in SEVERITY_LABELS.items()}}


def export_rulebook(path: Path, book: RuleBook) -> Path:
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp)
        styles = Styles(wb)
        ws = wb.add_worksheet(RULE_SHEET)
        rows = [[code, spec.title, SEVERITY_LABELS[spec.severity], SEVERITY_LABELS[book.setting(code).severity],
                 ON if book.setting(code).enabled else OFF, spec.message]
                for code, spec in CATALOGUE.items()]
        table(ws, styles, 0, [("コード", 7), ("項目", 24), ("既定の重要度", 10), ("重要度", 8), ("点検", 6),
                              ("指摘の文面", 80)], rows)
        ws.data_validation(1, 3, len(rows), 3, {"validate": "list", "source": list(SEVERITY_LABELS.values())})
        ws.data_validation(1, 4, len(rows), 4, {"validate": "list", "source": [ON, OFF]})
        print_setup(ws, 0, "規則集")
        params = wb.add_worksheet(PARAM_SHEET)
        table(params, styles, 0, [("コード", 7), ("設定", 24), ("値", 10)],
              [[code, name, value] for code, s in book.settings.items() for name, value in s.params.items()])
        scale = wb.add_worksheet(SCALE_SHEET)
        choices = {**SCALES, **{s.key: s for s in book.scales}}
        table(scale, styles, 0, [("項目", 12), ("値", 12), ("使える値", 60)],
              [["評価尺度", book.grade_scale, "・".join(f"{k}（{v.title}）" for k, v in choices.items())]])
        _export_definitions(wb.add_worksheet(DEFINITION_SHEET), styles, book)
        wb.close()
    return path


def _export_definitions(ws, styles: Styles, book: RuleBook) -> None:
    """One row per grade of every scale: the built-in ones as examples, then the office's own."""
    rows = []
    for s, note in [(s, BUILT_IN) for s in SCALES.values()] + [(s, "") for s in book.scales]:
        for letter, meaning, stands, cause in definition_rows(s):
            rows.append([s.key, s.title, letter, meaning, "・".join(stands), "必須" if cause else "", note])
    table(ws, styles, 0, [("尺度", 10), ("名称", 22), ("評価", 8), ("意味", 28), ("算定評価", 10),
                          ("未達理由", 9), ("備考", 20)], rows)
    print_setup(ws, 0, "評価尺度定義")


def _read_definitions(sheet_table, bad) -> list[Scale]:
    """The office's own scales: rows grouped by 尺度, best grade first; 算定評価 lists the computed grades
    (A〜D) each letter stands for (blank = chosen by hand, e.g. 中止); 未達理由 必須 marks grades needing a cause."""
    groups: dict[str, dict] = {}
    for row, cells in sheet_table.rows:
        key = sheet_table.text(cells, "尺度")
        if not key or key in SCALES:
            continue  # the built-in scales are listed as examples and cannot be changed
        letter = sheet_table.text(cells, "評価")
        stands = tuple(g for g in (normalise_key(p).upper() for p in
                                   sheet_table.text(cells, "算定評価").replace("、", "・").replace(",", "・")
                                   .replace("/", "・").split("・")) if g)
        wrong = [g for g in stands if g not in COMPUTED]
        group = groups.setdefault(key, {"title": "", "letters": [], "row": row})
        if not letter or wrong:
            bad(sheet_table, sheet_table.col_ref("算定評価" if wrong else "評価", row), "・".join(wrong) or "（空欄）",
                "算定評価は A・B・C・D（複数は「・」区切り、手で選ぶ評価は空欄）、評価は空欄にできません。")
            group["broken"] = True
            continue
        group["title"] = group["title"] or (sheet_table.text(cells, "名称") if sheet_table.has("名称") else "")
        cause = sheet_table.has("未達理由") and sheet_table.text(cells, "未達理由") not in ("", "不要", "-")
        meaning = sheet_table.text(cells, "意味") if sheet_table.has("意味") else ""
        group["letters"].append((letter, meaning, stands, cause))
    scales = []
    for key, group in groups.items():
        covered = {g for _, _, stands, _ in group["letters"] for g in stands}
        if group.get("broken"):
            continue
        if covered != set(COMPUTED):
            bad(sheet_table, sheet_table.col_ref("算定評価", group["row"]), key,
                f"尺度「{key}」の算定評価に {'・'.join(g for g in COMPUTED if g not in covered)} がありません"
                "（A〜D のどれも、どれかの評価に対応させてください）。この尺度は取り込んでいません。")
            continue
        scales.append(define_scale(key, group["title"] or key, group["letters"]))
    return scales


def import_rulebook(path: Path, base: RuleBook) -> tuple[RuleBook, list[Finding]]:
    """Read an edited rule book; bad entries keep their current setting and get a finding."""
    findings: list[Finding] = []
    book = base
    with reading_workbook(path) as wb:
        names = {normalise_key(n): n for n in wb.sheetnames}
        tables = {key: read_table(wb[names[normalise_key(key)]], columns[0])
                  for key, columns in REQUIRED.items() if normalise_key(key) in names}

    def bad(table, cell, value, reason):
        findings.append(make("B1", file=path.name, sheet=table.sheet, cell=cell, value=value, reason=reason))

    for key, sheet_table in list(tables.items()):
        missing = [c for c in REQUIRED[key] if sheet_table is None or not sheet_table.has(c)]
        for column in missing:
            findings.append(make("B1", file=path.name, sheet=key, value=column, expected=column,
                                 reason=f"列「{column}」がありません。このシートは取り込んでいません"))
        if missing:
            del tables[key]

    rules = tables.get(RULE_SHEET)
    for row, cells in (rules.rows if rules else []):
        code = rules.text(cells, "コード").upper()
        if code not in CATALOGUE:
            bad(rules, rules.col_ref("コード", row), code, "この規則コードはありません。")
            continue
        severity_text = rules.text(cells, "重要度")
        enabled_text = rules.text(cells, "点検")
        severity = SEVERITY_BY_TEXT.get(severity_text)
        if severity is None:
            bad(rules, rules.col_ref("重要度", row), severity_text, "重要度は エラー・警告・情報 のいずれかです。")
            continue
        if enabled_text not in (ON, OFF):
            bad(rules, rules.col_ref("点検", row), enabled_text, f"点検は「{ON}」か「{OFF}」です。")
            continue
        current = book.setting(code)
        book = book.with_setting(RuleSetting(code, enabled_text == ON, severity, current.params))
    params = tables.get(PARAM_SHEET)
    for row, cells in (params.rows if params else []):
        code = params.text(cells, "コード").upper()
        name = params.text(cells, "設定")
        cell = params.get(cells, "値")
        number = parse_number(cell.value if cell else None)
        current = book.setting(code) if code in CATALOGUE else None
        if current is None or name not in current.params:
            bad(params, params.col_ref("設定", row), f"{code} {name}", "この規則にその設定はありません。")
        elif number.value is None:
            bad(params, params.col_ref("値", row), clean_text(cell.value if cell else ""), "数値を入力してください。")
        else:
            book = book.with_setting(RuleSetting(code, current.enabled, current.severity,
                                                 {**current.params, name: number.value}))
    definitions = tables.get(DEFINITION_SHEET)
    if definitions:
        book = replace(book, scales=tuple(_read_definitions(definitions, bad)))
    known = {**SCALES, **{s.key: s for s in book.scales}}
    scales = tables.get(SCALE_SHEET)
    for row, cells in (scales.rows if scales else []):
        if normalise_key(scales.text(cells, "項目")) == "評価尺度":
            value = scales.text(cells, "値")
            if value in known:
                book = replace(book, grade_scale=value)
            else:
                bad(scales, scales.col_ref("値", row), value, f"使える評価尺度は {'・'.join(known)} です。")
    if book.grade_scale not in known:
        book = replace(book, grade_scale="AD2")
    return book, findings
